-- Counts of several torrents in one call. Expired peers are dropped first, so they are never counted.
-- KEYS: per torrent three keys: IPv4 zset, IPv6 zset, hash
-- ARGV: 1 now (ms)
-- Reply: flat {seeders, leechers, downloaded} per torrent, in KEYS order.
local out, n = {}, 0
for i = 1, #KEYS, 3 do
  local k4, k6, ids = KEYS[i], KEYS[i + 1], KEYS[i + 2]
  local h = redis.call('HMGET', ids, 'n4', 'n6', 's', 'd')
  local n4, n6, s, d = counter(h[1]), counter(h[2]), counter(h[3]), counter(h[4])
  local dirty = false
  if n4 > 0 then
    local gone, goneSeeders = purge(k4, ids, ARGV[1], nil)
    if gone > 0 then n4, s, dirty = n4 - gone, s - goneSeeders, true end
  end
  if n6 > 0 then
    local gone, goneSeeders = purge(k6, ids, ARGV[1], nil)
    if gone > 0 then n6, s, dirty = n6 - gone, s - goneSeeders, true end
  end
  if n4 < 0 or n6 < 0 or s < 0 or s > n4 + n6 then
    n4, n6, s = recount(k4, k6, ids)
  end
  if dirty then redis.call('HSET', ids, 'n4', n4, 'n6', n6, 's', s) end
  out[n + 1] = s
  out[n + 2] = n4 + n6 - s
  out[n + 3] = d
  n = n + 3
end
return out
