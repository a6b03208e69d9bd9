-- Counts of several torrents in one call. Expired peers are dropped first, so they are never counted; a torrent
-- left without peers is kept for its download count or forgotten (see peerless).
-- KEYS: per torrent its key prefix 'sh:{ssss}:<infohash hex>:'
-- ARGV: 1 now (ms), 2 downloads retention (ms), then per torrent its raw infohash
-- Reply: flat {seeders, leechers, downloaded} per torrent, in KEYS order.
local now = tonumber(ARGV[1])
local retention = tonumber(ARGV[2])

-- seeders, leechers, downloaded of the i-th torrent
local function count(i)
  local base = KEYS[i]
  local ids = base .. 'p'
  local has, n4, n6, s, d, t, e = unpackCounters(redis.call('HGET', ids, 'c'))
  -- no member expires before the floor e (see prelude): counters of a swarm without expired peers are the answer
  if has and e > now and n4 >= 0 and n6 >= 0 and s >= 0 and s <= n4 + n6 and n4 + n6 > 0 then
    return s, n4 + n6 - s, d
  end
  local k4, k6 = base .. '4', base .. '6'
  if not has then
    -- no counters: a torrent this shard does not know (scrapes name many) has no keys at all; any stale index
    -- entry of it is the walk's to drop
    if redis.call('EXISTS', k4, k6, base .. 'd') == 0 then return 0, 0, 0 end
    -- a kept torrent, or a hash lost while its peers live on: count the members
    n4, n6, s = recount(k4, k6, ids)
  end
  local dirty = false
  -- no member expires before the floor e (see prelude): nothing to purge before it
  local fresh = has and e > now
  if n4 > 0 and not fresh then
    local gone, goneSeeders = purge(k4, ids, ARGV[1], nil)
    if gone > 0 then n4, s, dirty = n4 - gone, s - goneSeeders, true end
  end
  if n6 > 0 and not fresh then
    local gone, goneSeeders = purge(k6, ids, ARGV[1], nil)
    if gone > 0 then n6, s, dirty = n6 - gone, s - goneSeeders, true end
  end
  if n4 < 0 or n6 < 0 or s < 0 or s > n4 + n6 then
    n4, n6, s = recount(k4, k6, ids)
  end
  if n4 + n6 == 0 then
    return 0, 0, peerless(ids, base .. 'd', keptOf(base), indexOf(base), ARGV[2 + i], has and d, now, retention)
  end
  if dirty and has then
    redis.call('HSET', ids, 'c', packCounters(n4, n6, s, d, t, e))
  end
  return s, n4 + n6 - s, d
end

local out, n = {}, 0
for i = 1, #KEYS do
  out[n + 1], out[n + 2], out[n + 3] = count(i)
  n = n + 3
end
return out
