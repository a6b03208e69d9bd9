-- Counts of several torrents in one call. Expired peers are dropped first, so they are never counted; a torrent
-- left without peers is kept for its download count or forgotten (see peerless).
-- KEYS: per torrent its key prefix 'sh:{ssss}:<infohash hex>:'
-- ARGV: 1 now (ms), 2 downloads retention (ms), then per torrent its raw infohash
-- Reply: flat {seeders, leechers, downloaded} per torrent, in KEYS order.
local now = tonumber(ARGV[1])
local retention = tonumber(ARGV[2])
local out, n = {}, 0
for i = 1, #KEYS do
  local base = KEYS[i]
  local k4, k6, ids = base .. '4', base .. '6', base .. 'p'
  local c = redis.call('HGET', ids, 'c')
  local has, n4, n6, s, d, t, e = unpackCounters(c)
  local dirty = false
  if not has then
    -- no counters (an unknown or kept torrent, or a hash lost while its peers live on): count the members
    n4, n6, s = recount(k4, k6, ids)
  end
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
  local downloaded = d
  if n4 + n6 == 0 then
    downloaded = peerless(ids, base .. 'd', keptOf(base), indexOf(base), ARGV[2 + i], has and d, now, retention)
  elseif dirty and has then
    redis.call('HSET', ids, 'c', packCounters(n4, n6, s, d, t, e))
  end
  out[n + 1] = s
  out[n + 2] = n4 + n6 - s
  out[n + 3] = downloaded
  n = n + 3
end
return out
