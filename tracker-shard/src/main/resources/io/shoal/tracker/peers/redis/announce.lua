-- One announce, applied atomically in one round trip.
-- KEYS: 1 zset of the announcer's family, 2 zset of the other family, 3 hash (peer ids + 'd' downloaded), 4 slot index
-- ARGV: 1 member (compact address), 2 peer id, 3 now, 4 seeder base + now, 5 new score,
--       6 flags (1 stopped, 2 completed, 4 keep the announcer, 8 peer ids, 16 may add a peer,
--       32 may add a torrent, 64 announcer is IPv6), 7 wants own family ('1'/'0'), 8 wants other family,
--       9 numwant, 10 key ttl (ms), 11 infohash (index member)
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

-- draws up to cap distinct peers other than the announcer (who is in the set when selfIn)
local function pick(key, cap, selfIn)
  if cap <= 0 then return {} end
  if not selfIn then return redis.call('ZRANDMEMBER', key, cap) end
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
  -- one numwant shared by the families in proportion to what each can offer (as the memory store does)
  local selfIn = stored
  local numwant = tonumber(ARGV[9])
  local availOwn, availOther = 0, 0
  if ARGV[7] == '1' then availOwn = ownCount - (selfIn and 1 or 0) end
  if ARGV[8] == '1' then availOther = otherCount end
  local ownIsV6 = bit.band(flags, 64) ~= 0
  local a4, a6 = availOwn, availOther
  if ownIsV6 then a4, a6 = availOther, availOwn end
  local w4, w6 = a4, a6
  if a4 + a6 > numwant then
    w4 = math.floor(numwant * a4 / (a4 + a6))
    w6 = math.min(numwant - w4, a6)
    w4 = numwant - w6
  end
  local wantOwn, wantOther = w4, w6
  if ownIsV6 then wantOwn, wantOther = w6, w4 end
  ownPeers = pick(own, wantOwn, selfIn)
  otherPeers = pick(other, wantOther, false)
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
