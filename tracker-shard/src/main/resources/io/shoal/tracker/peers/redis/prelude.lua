-- Shared helpers, prepended to each of the store's scripts.
-- Per torrent, keys named from its prefix 'sh:{ssss}:<infohash hex>:' (see RedisKeys):
--   sorted sets 4 / 6 (member = compact address, score = expiry in ms) and hash p holding
--   <compact address> = '1' (seeder) or '0' (leecher) followed by the 20-byte peer id, and the torrent's counters,
--   packed into one field c (one field to read instead of six; see packCounters):
--   n4, n6 = peers per family and s = seeders (all as of the last purge), d = downloaded,
--   t = store time (ms) of the last refresh of the keys' TTLs (0: none, or the counters were lost),
--   e = a floor under every member's score in 4 and 6 (no member expires before it; 0: unknown). Scripts
--       skip the purge while now < e. Anything that adds members other than the announce script (which
--       keeps e right) must zero e, or the added members could outlive their expiry.
-- Per torrent with downloads: hash d with d = downloaded (a copy while there are peers) and, once the torrent is
--   peerless ("kept"), u = store time (ms) when its retention ends; the peer hash is gone by then.
-- Per slot: set index (torrents with peers, and kept ones) and set kept (the kept ones).
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

-- Field c of a peer hash: n4, n6, s as 32-bit integers, d, t, e as doubles (exact for integers below 2^53),
-- little endian, 36 bytes.
local COUNTERS = '<i4i4i4ddd'
local COUNTERS_SIZE = 36

-- Whether c holds counters, then n4, n6, s, d, t, e (all 0 when it does not).
local function unpackCounters(c)
  if c and #c == COUNTERS_SIZE then
    local n4, n6, s, d, t, e = struct.unpack(COUNTERS, c)
    return true, n4, n6, s, d, t, e
  end
  return false, 0, 0, 0, 0, 0, 0
end

local function packCounters(n4, n6, s, d, t, e)
  return struct.pack(COUNTERS, n4, n6, s, d, t, e)
end

-- The raw infohash of a torrent key prefix 'sh:{ssss}:<40 hex digits>:' (only on rare paths: index updates).
local function rawHash(base)
  return (string.gsub(string.sub(base, 11, 50), '..', function(h) return string.char(tonumber(h, 16)) end))
end

-- The slot's index and kept set of a torrent key prefix.
local function indexOf(base)
  return string.sub(base, 1, 10) .. 'torrents'
end

local function keptOf(base)
  return string.sub(base, 1, 10) .. 'kept'
end


-- A torrent seen without peers: its download count stays, and it with it, until the retention ends (counted from
-- when this first notices it peerless); otherwise, or after that, every key and index entry of it goes.
-- d is the peer hash's count (false when the hash is gone). Returns the count still kept (0: the torrent is gone)
-- and whether this made it kept.
local function peerless(ids, dk, kept, index, ih, d, now, retention)
  local dh = redis.call('HMGET', dk, 'd', 'u')
  local count = math.max(counter(d), counter(dh[1]))
  local untilMs = dh[2] and tonumber(dh[2])
  local made = false
  if count > 0 and retention > 0 then
    if not untilMs then
      untilMs = now + retention
      redis.call('HSET', dk, 'd', count, 'u', untilMs)
      redis.call('PEXPIRE', dk, retention)
      redis.call('SADD', kept, ih)
      redis.call('SADD', index, ih)
      redis.call('DEL', ids)
      made = true
    end
    if now < untilMs then return count, made end
  end
  if d or dh[1] then
    redis.call('DEL', ids, dk)
    redis.call('SREM', kept, ih)
  end
  redis.call('SREM', index, ih)
  return 0, false
end
