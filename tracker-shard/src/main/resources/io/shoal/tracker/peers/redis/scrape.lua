-- Counts of several torrents in one call. Expired peers are dropped first, so they are never counted; a torrent
-- left without peers is kept for its download count or forgotten (see peerless).
-- KEYS: per torrent six keys: IPv4 zset, IPv6 zset, peer hash, download hash, its slot's kept set and index
-- ARGV: 1 now (ms), 2 downloads retention (ms), then per torrent its raw infohash
-- Reply: flat {seeders, leechers, downloaded} per torrent, in KEYS order.
local now = tonumber(ARGV[1])
local retention = tonumber(ARGV[2])
local out, n, t = {}, 0, 0
for i = 1, #KEYS, 6 do
  t = t + 1
  local k4, k6, ids = KEYS[i], KEYS[i + 1], KEYS[i + 2]
  local h = redis.call('HMGET', ids, 'n4', 'n6', 's', 'd', 't', 'e')
  local n4, n6, s, d = counter(h[1]), counter(h[2]), counter(h[3]), h[4]
  local dirty = false
  if not h[5] then
    -- no hash (an unknown or kept torrent, or a hash lost while its peers live on): count the members
    n4, n6, s = recount(k4, k6, ids)
  end
  -- no member expires before the floor e (see prelude): nothing to purge before it
  local fresh = h[5] and (tonumber(h[6] or '') or 0) > now
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
  local downloaded = counter(d)
  if n4 + n6 == 0 then
    downloaded = peerless(ids, KEYS[i + 3], KEYS[i + 4], KEYS[i + 5], ARGV[2 + t], d, now, retention)
  elseif dirty and h[5] then
    redis.call('HSET', ids, 'n4', n4, 'n6', n6, 's', s)
  end
  out[n + 1] = s
  out[n + 2] = n4 + n6 - s
  out[n + 3] = downloaded
  n = n + 3
end
return out
