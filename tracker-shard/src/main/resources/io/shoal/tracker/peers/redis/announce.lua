-- One announce, applied atomically in one round trip.
-- KEYS: 1 zset of the announcer's family, 2 zset of the other family, 3 hash (peer ids + 'd' downloaded), 4 slot index
-- ARGV: 1 member (compact address), 2 peer id, 3 now, 4 seeder base + now, 5 new score,
--       6 flags, 7 own-family cap, 8 other-family cap, 9 total cap, 10 key ttl (ms), 11 infohash (index member)
-- Scores: leecher = expiry (ms), seeder = 2^42 + expiry, so expiry is two ranges and leechers one ZCOUNT.
-- Reply: {status, seeders, leechers, downloaded, peersDelta, torrentsDelta, ownPeers, otherPeers, ownIds, otherIds}
--   status 0 ok, 1 peer limit, 2 torrent limit (then nothing but the purge of expired peers was changed).
local own, other, ids = KEYS[1], KEYS[2], KEYS[3]
local member = ARGV[1]
local flags = tonumber(ARGV[6])
local SEEDER = 4398046511104
local SEEDER_MIN = '4398046511104'
local LEECHER_MAX = '(4398046511104'
local BATCH = 256

local function purgeRange(key, lo, hi)
  local removed = 0
  while true do
    local gone = redis.call('ZRANGE', key, lo, hi, 'BYSCORE', 'LIMIT', 0, BATCH)
    local n = #gone
    if n == 0 then return removed end
    redis.call('ZREM', key, unpack(gone))
    redis.call('HDEL', ids, unpack(gone))
    removed = removed + n
    if n < BATCH then return removed end
  end
end

local function purge(key)
  return purgeRange(key, '-inf', ARGV[3]) + purgeRange(key, SEEDER_MIN, ARGV[4])
end

local expired = purge(own)
local ownCount = redis.call('ZCARD', own)
local otherCount = redis.call('ZCARD', other)
if otherCount > 0 then
  local gone = purge(other)
  expired = expired + gone
  otherCount = otherCount - gone
end
local hadPeers = (ownCount + otherCount + expired) > 0
local peersDelta = -expired
local stored = bit.band(flags, 4) ~= 0
local stopped = bit.band(flags, 1) ~= 0
local old = false
if stored then
  old = redis.call('ZSCORE', own, member)
end
local downloaded = nil

if stopped then
  if old then
    redis.call('ZREM', own, member)
    redis.call('HDEL', ids, member)
    ownCount = ownCount - 1
    peersDelta = peersDelta - 1
  end
elseif stored then
  if not old then
    local torrentsDelta = (ownCount + otherCount > 0 and 1 or 0) - (hadPeers and 1 or 0)
    if bit.band(flags, 16) == 0 then
      return {1, 0, 0, 0, peersDelta, torrentsDelta}
    end
    if ownCount + otherCount == 0 and bit.band(flags, 32) == 0 then
      return {2, 0, 0, 0, peersDelta, torrentsDelta}
    end
    ownCount = ownCount + 1
    peersDelta = peersDelta + 1
    redis.call('SADD', KEYS[4], ARGV[11])
  end
  redis.call('ZADD', own, ARGV[5], member)
  redis.call('HSET', ids, member, ARGV[2])
  if bit.band(flags, 2) ~= 0 and (not old or tonumber(old) < SEEDER) then
    downloaded = redis.call('HINCRBY', ids, 'd', 1)
  end
  redis.call('PEXPIRE', own, ARGV[10])
  redis.call('PEXPIRE', ids, ARGV[10])
  if otherCount > 0 then
    -- the other family's zset must not outlive the hash holding its peers' ids, nor die before it
    redis.call('PEXPIRE', other, ARGV[10])
  end
end

local leechers = 0
if ownCount > 0 then
  leechers = redis.call('ZCOUNT', own, '-inf', LEECHER_MAX)
end
if otherCount > 0 then
  leechers = leechers + redis.call('ZCOUNT', other, '-inf', LEECHER_MAX)
end
if downloaded == nil then
  downloaded = tonumber(redis.call('HGET', ids, 'd') or 0)
end
local torrentsDelta = (ownCount + otherCount > 0 and 1 or 0) - (hadPeers and 1 or 0)

local function pick(key, count, cap)
  if cap <= 0 or count == 0 then return {} end
  -- one more than wanted, in case the announcer itself is drawn
  local got = redis.call('ZRANDMEMBER', key, cap + 1)
  local out, n = {}, 0
  for i = 1, #got do
    local m = got[i]
    if m ~= member then
      n = n + 1
      out[n] = m
      if n == cap then break end
    end
  end
  return out
end

local ownPeers, otherPeers = {}, {}
if not stopped then
  local total = tonumber(ARGV[9])
  local capOwn = math.min(tonumber(ARGV[7]), total)
  ownPeers = pick(own, ownCount, capOwn)
  local capOther = math.min(tonumber(ARGV[8]), total - #ownPeers)
  otherPeers = pick(other, otherCount, capOther)
end

local ownIds, otherIds = '', ''
if bit.band(flags, 8) ~= 0 then
  local NO_ID = string.rep('\0', 20)
  local function idsOf(list)
    if #list == 0 then return '' end
    local got = redis.call('HMGET', ids, unpack(list))
    for i = 1, #got do
      if not got[i] then got[i] = NO_ID end
    end
    return table.concat(got)
  end
  ownIds = idsOf(ownPeers)
  otherIds = idsOf(otherPeers)
end

return {0, ownCount + otherCount - leechers, leechers, downloaded, peersDelta, torrentsDelta,
        table.concat(ownPeers), table.concat(otherPeers), ownIds, otherIds}
