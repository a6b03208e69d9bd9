-- One page of a slot walk: drops expired peers of the given torrents, counts them, and takes torrents whose
-- peers are gone and whose download count is unknown out of the slot index.
-- KEYS: 1 slot index, then per torrent: IPv4 zset, IPv6 zset, hash
-- ARGV: 1 now, 2 seeder base + now, then per torrent its index member (raw infohash)
-- Reply: flat {seeders, leechers, downloaded} per torrent.
local SEEDER_MIN = '4398046511104'
local LEECHER_MAX = '(4398046511104'
local BATCH = 256

local function purgeRange(key, ids, lo, hi)
  while true do
    local gone = redis.call('ZRANGE', key, lo, hi, 'BYSCORE', 'LIMIT', 0, BATCH)
    local n = #gone
    if n == 0 then return end
    redis.call('ZREM', key, unpack(gone))
    redis.call('HDEL', ids, unpack(gone))
    if n < BATCH then return end
  end
end

local out = {}
local n = 0
local t = 0
for i = 2, #KEYS, 3 do
  t = t + 1
  local ids = KEYS[i + 2]
  local peers, leechers = 0, 0
  for f = i, i + 1 do
    local key = KEYS[f]
    if redis.call('ZCARD', key) > 0 then
      purgeRange(key, ids, '-inf', ARGV[1])
      purgeRange(key, ids, SEEDER_MIN, ARGV[2])
      local c = redis.call('ZCARD', key)
      if c > 0 then
        peers = peers + c
        leechers = leechers + redis.call('ZCOUNT', key, '-inf', LEECHER_MAX)
      end
    end
  end
  local d = redis.call('HGET', ids, 'd')
  if peers == 0 and not d then
    -- nothing worth keeping: at most ids of peers whose sorted set expired as a whole
    redis.call('DEL', ids)
    redis.call('SREM', KEYS[1], ARGV[2 + t])
  end
  out[n + 1] = peers - leechers
  out[n + 2] = leechers
  out[n + 3] = tonumber(d or 0)
  n = n + 3
end
return out
