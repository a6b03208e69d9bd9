-- Counts of several torrents in one call; read only. Expired peers are not counted (score <= now).
-- KEYS: per torrent three keys: IPv4 zset, IPv6 zset, hash (field 'd' = downloaded)
-- ARGV: 1 now, 2 seeder base + now
-- Reply: flat {seeders, leechers, downloaded} per torrent, in KEYS order.
local LEECHER_MAX = '(4398046511104'
local leechLo = '(' .. ARGV[1]
local seedLo = '(' .. ARGV[2]
local out = {}
local n = 0
for i = 1, #KEYS, 3 do
  local s = redis.call('ZCOUNT', KEYS[i], seedLo, '+inf') + redis.call('ZCOUNT', KEYS[i + 1], seedLo, '+inf')
  local l = redis.call('ZCOUNT', KEYS[i], leechLo, LEECHER_MAX) + redis.call('ZCOUNT', KEYS[i + 1], leechLo, LEECHER_MAX)
  out[n + 1] = s
  out[n + 2] = l
  out[n + 3] = tonumber(redis.call('HGET', KEYS[i + 2], 'd') or 0)
  n = n + 3
end
return out
