-- One page of a slot walk: drops expired peers of the given torrents, checks their counters against their
-- sorted sets (and counts again when they disagree, or always when asked to), counts them, keeps torrents left
-- without peers for their download count (see peerless) and removes the others (keys and index entry).
-- KEYS: 1 slot index, 2 slot kept set, then per torrent: IPv4 zset, IPv6 zset, peer hash, download hash
-- ARGV: 1 now (ms), 2 key TTL (ms), 3 recount every torrent (1/0), 4 downloads retention (ms),
--       then per torrent its index member (raw infohash)
-- Reply: flat {seeders, leechers, downloaded} per torrent.
local now = tonumber(ARGV[1])
local retention = tonumber(ARGV[4])
local out, n, t = {}, 0, 0
for i = 3, #KEYS, 4 do
  t = t + 1
  local k4, k6, ids = KEYS[i], KEYS[i + 1], KEYS[i + 2]
  local has, n4, n6, s, d, refreshedAt, floor = unpackCounters(redis.call('HGET', ids, 'c'))
  local gone4, goneSeeders4 = purge(k4, ids, ARGV[1], nil)
  local gone6, goneSeeders6 = purge(k6, ids, ARGV[1], nil)
  n4, n6, s = n4 - gone4, n6 - gone6, s - goneSeeders4 - goneSeeders6
  local dirty = gone4 + gone6 > 0
  if ARGV[3] == '1' or redis.call('ZCARD', k4) ~= n4 or redis.call('ZCARD', k6) ~= n6 or s < 0 or s > n4 + n6 then
    n4, n6, s = recount(k4, k6, ids)
    dirty = true
  end
  local downloaded = d
  if n4 + n6 == 0 then
    downloaded = peerless(ids, KEYS[i + 3], KEYS[2], KEYS[1], ARGV[4 + t], has and d, now, retention)
  elseif dirty then
    if redis.call('HSET', ids, 'c', packCounters(n4, n6, s, d, refreshedAt, floor)) == 1 then
      redis.call('PEXPIRE', ids, ARGV[2]) -- the counters were gone, perhaps the hash: it must not outlive its peers
    end
  end
  out[n + 1] = s
  out[n + 2] = n4 + n6 - s
  out[n + 3] = downloaded
  n = n + 3
end
return out
