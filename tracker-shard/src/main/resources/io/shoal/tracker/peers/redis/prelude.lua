-- Shared helpers, prepended to each of the store's scripts.
-- Per torrent: sorted sets k4 / k6 (member = compact address, score = expiry in ms) and a hash holding
--   <compact address> = '1' (seeder) or '0' (leecher) followed by the 20-byte peer id,
--   n4, n6 = peers per family and s = seeders (all as of the last purge), d = downloaded,
--   t = store time (ms) of the last refresh of the keys' TTLs.
local BATCH = 256
local BATCH_TEXT = '256' -- numbers passed to redis.call are formatted with snprintf: pass text

-- Drops the members of sorted set `key` that expired (score <= now) and their ids. Returns how many went, how
-- many of those were seeders, and whether `watch` was one of them.
local function purge(key, ids, now, watch)
  local removed, seeders, hit = 0, 0, false
  while true do
    local gone = redis.call('ZRANGE', key, '-inf', now, 'BYSCORE', 'LIMIT', '0', BATCH_TEXT)
    local n = #gone
    if n == 0 then break end
    local values = redis.call('HMGET', ids, unpack(gone))
    for i = 1, n do
      local v = values[i]
      if v and string.byte(v, 1) == 49 then seeders = seeders + 1 end
      if gone[i] == watch then hit = true end
    end
    redis.call('ZREM', key, unpack(gone))
    redis.call('HDEL', ids, unpack(gone))
    removed = removed + n
    if n < BATCH then break end
  end
  return removed, seeders, hit
end

-- Counts a swarm from its members, for when its counters cannot be trusted (lost with their hash, or merged
-- by a slot migration). O(swarm), so only on that rare path.
local function recount(k4, k6, ids)
  local n4 = redis.call('ZCARD', k4)
  local n6 = redis.call('ZCARD', k6)
  local s = 0
  local function seedersOf(key, n)
    for from = 0, n - 1, BATCH do
      local members = redis.call('ZRANGE', key, from, from + BATCH - 1)
      if #members == 0 then break end
      local values = redis.call('HMGET', ids, unpack(members))
      for i = 1, #values do
        if values[i] and string.byte(values[i], 1) == 49 then s = s + 1 end
      end
    end
  end
  seedersOf(k4, n4)
  seedersOf(k6, n6)
  return n4, n6, s
end

local function counter(v)
  return tonumber(v or 0) or 0
end

