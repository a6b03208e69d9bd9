-- Announces, applied atomically in one round trip: one or several (concurrent announces are batched by the
-- caller; each is handled exactly as if it came alone, in order).
-- KEYS, 1 per announce: the torrent's key prefix 'sh:{ssss}:<infohash hex>:'; its keys, its slot's index and kept
--       set are named from it (the index and kept set only on the rare paths that touch them)
-- ARGV: 1 key TTL (ms), 2 TTL refresh interval (ms), 3 now (ms), 4 expiry of peers announcing now (ms),
--       5 downloads retention (ms), 6 TTL of a download hash while its torrent has peers (ms),
--       then 3 per announce: member (compact address), hash value ('1'/'0' .. peer id),
--       flags + 512 * numwant (flags: 1 stopped, 2 completed, 4 keep the announcer, 8 peer ids, 16 may add a peer,
--       32 may add a torrent, 64 announcer is IPv6, 128 wants own family, 256 wants other family)
-- Peers are picked here only when numwant > 0, which the caller asks for when it needs peer ids; otherwise it
-- pipelines ZRANDMEMBER after this script, which costs Redis far less than handing members through Lua.
-- Reply, per announce: one packed header (HEADER: status, seeders, leechers, downloaded, peersDelta, torrentsDelta,
--   peers of the announcer's family, kept = 1 when the torrent is left peerless, kept for its count), then, only
--   when this script picked the peers (numwant > 0, not stopped), ownPeers, otherPeers, ownIds, otherIds.
--   One string instead of a dozen elements: cheaper for Redis to hand out of Lua and for the client to decode.
--   status 0 ok; 1 peer limit, 2 torrent limit (then nothing but expired peers changed for that announce).
--   torrentsDelta counts torrents held: with peers, or kept.
local keyTtl = ARGV[1]
local refreshEvery = tonumber(ARGV[2])
local nowText, expiry = ARGV[3], ARGV[4]
local now = tonumber(nowText)
local expiryAt = tonumber(expiry)
local retention = tonumber(ARGV[5])
local downloadsTtl = ARGV[6]
-- one announce's reply header: status, seeders, leechers, downloaded, peersDelta, torrentsDelta, peers of the
-- announcer's family, kept (see AnnounceReply)
local HEADER = '<bi4i4di4i4i4b'

-- The lowest score (as text) in sorted sets a and b, or nil when both are empty.
local function earliestExpiry(a, b)
  local low = redis.call('ZRANGE', a, '0', '0', 'WITHSCORES')[2]
  local other = redis.call('ZRANGE', b, '0', '0', 'WITHSCORES')[2]
  if other and (not low or tonumber(other) < tonumber(low)) then low = other end
  return low
end

local function announce(i)
  local base = KEYS[i]
  local a = 6 + 3 * (i - 1)
  local member, value = ARGV[a + 1], ARGV[a + 2]
  local packed = tonumber(ARGV[a + 3])
  local flags = packed % 512
  local numwant = (packed - flags) / 512
  local ownIsV6 = bit.band(flags, 64) ~= 0
  local own, other = base .. '4', base .. '6'
  if ownIsV6 then own, other = other, own end
  local ids = base .. 'p'
  local ih -- the raw infohash, made only when an index or kept set changes

  local h = redis.call('HMGET', ids, member, 'c')
  local old = h[1]
  local _, n4, n6, seeders, downloaded, refreshedAt, floor = unpackCounters(h[2])
  local nOwn, nOther = n4, n6
  if ownIsV6 then nOwn, nOther = n6, n4 end
  -- no member can have expired before the floor: then there is nothing to purge (the common case)
  local fresh = floor > now

  local expired = 0
  if not fresh then
    local gone, goneSeeders, selfGone = purge(own, ids, nowText, member)
    if selfGone then old = false end
    expired = gone
    nOwn = nOwn - gone
    seeders = seeders - goneSeeders
    if nOther > 0 then
      gone, goneSeeders = purge(other, ids, nowText, nil)
      expired = expired + gone
      nOther = nOther - gone
      seeders = seeders - goneSeeders
    end
  end
  -- counters without 't' are new, or were lost while sorted sets lived on: count from the members then
  if refreshedAt == 0 or nOwn < 0 or nOther < 0 or seeders < 0 or seeders > nOwn + nOther then
    local r4, r6, s = recount(ownIsV6 and other or own, ownIsV6 and own or other, ids)
    if ownIsV6 then nOwn, nOther = r6, r4 else nOwn, nOther = r4, r6 end
    seeders = s
  end
  local hadPeers = nOwn + nOther + expired > 0
  local wasHeld = hadPeers
  -- without counters, the download count (of a kept torrent, or one whose hash was lost) is in the download hash
  local wasKept, keptMark = false, false
  if refreshedAt == 0 then
    local dh = redis.call('HMGET', base .. 'd', 'd', 'u')
    if dh[1] then
      local untilMs = dh[2] and tonumber(dh[2])
      if untilMs then wasHeld = true end
      if untilMs and now >= untilMs and nOwn + nOther == 0 then
        -- the retention is over: the torrent is gone (no walk got to it yet)
        ih = rawHash(base)
        redis.call('DEL', base .. 'd')
        redis.call('SREM', keptOf(base), ih)
        redis.call('SREM', indexOf(base), ih)
      else
        downloaded = math.max(downloaded, counter(dh[1]))
        keptMark = untilMs ~= nil
        wasKept = keptMark and nOwn + nOther == 0
      end
    end
  end
  local peersDelta = -expired
  local wrote = expired > 0
  local newOwnKey = false
  local counted = false
  local writeValue = false
  local refused = 0
  local stopped = bit.band(flags, 1) ~= 0
  local wasSeeder = old and string.byte(old, 1) == 49

  if stopped then
    if old then
      redis.call('ZREM', own, member)
      redis.call('HDEL', ids, member)
      nOwn = nOwn - 1
      if wasSeeder then seeders = seeders - 1 end
      peersDelta = peersDelta - 1
      wrote = true
    end
  elseif bit.band(flags, 4) ~= 0 then
    local isSeeder = string.byte(value, 1) == 49
    if not old then
      if bit.band(flags, 16) == 0 then
        refused = 1
      elseif nOwn + nOther == 0 and not wasKept and bit.band(flags, 32) == 0 then
        refused = 2
      end
    end
    if refused == 0 then
      if redis.call('ZADD', own, expiry, member) == 1 then
        if nOwn + nOther == 0 then
          ih = ih or rawHash(base)
          redis.call('SADD', indexOf(base), ih)
        end
        if nOwn == 0 then newOwnKey = true end
        nOwn = nOwn + 1
        peersDelta = peersDelta + 1
        if isSeeder then seeders = seeders + 1 end
      elseif not old then
        -- a member whose id was lost with its hash: counted by the recount above, as a leecher
        if isSeeder then seeders = seeders + 1 end
      elseif wasSeeder ~= isSeeder then
        seeders = seeders + (isSeeder and 1 or -1)
      end
      wrote = true
      writeValue = old ~= value
      -- one download per leecher-to-seeder transition
      if bit.band(flags, 2) ~= 0 and isSeeder and not wasSeeder then
        downloaded = downloaded + 1
        counted = true
      end
    end
  end

  local keptNow = false
  if nOwn + nOther == 0 then
    -- no peer left (or none came): kept for the download count, or gone
    if wasKept then
      keptNow = true
    elseif hadPeers or refreshedAt > 0 then
      ih = ih or rawHash(base)
      local c = peerless(ids, base .. 'd', keptOf(base), indexOf(base), ih, downloaded, now, retention)
      keptNow = c > 0
    end
  else
    -- write the hash, and keep the keys' TTLs ahead of every peer's expiry: they are pushed forward every ARGV[2]
    -- ms of store time, which the TTL's margin over the peer TTL covers
    local refresh = wrote and now - refreshedAt >= refreshEvery
    -- the floor: after a purge the earliest expiry left; otherwise lowered by the announcer if it expires sooner
    local newFloor = floor
    if not fresh then
      newFloor = tonumber(earliestExpiry(own, other) or '') or 0
    elseif nOwn > 0 and bit.band(flags, 4) ~= 0 and not stopped and refused == 0 and expiryAt < floor then
      newFloor = expiryAt
    end
    if ownIsV6 then n4, n6 = nOther, nOwn else n4, n6 = nOwn, nOther end
    -- the counters are written whenever one of them changed (dirty counts, a download, a refresh, a new floor)
    local c = packCounters(n4, n6, seeders, downloaded, refresh and now or refreshedAt, newFloor)
    if c == h[2] then c = nil end
    if writeValue and c then
      redis.call('HSET', ids, member, value, 'c', c)
    elseif writeValue then
      redis.call('HSET', ids, member, value)
    elseif c then
      redis.call('HSET', ids, 'c', c)
    end
    if refresh then
      redis.call('PEXPIRE', own, keyTtl)
      redis.call('PEXPIRE', ids, keyTtl)
      if nOther > 0 then redis.call('PEXPIRE', other, keyTtl) end
    elseif newOwnKey then
      redis.call('PEXPIRE', own, keyTtl)
    end
    -- the download hash outlives the peer keys by the retention, so an idle torrent's count survives them
    if keptMark then
      redis.call('HDEL', base .. 'd', 'u')
      redis.call('SREM', keptOf(base), ih or rawHash(base))
    end
    if retention > 0 and downloaded > 0 and (counted or keptMark or refresh) then
      if counted then redis.call('HSET', base .. 'd', 'd', downloaded) end
      redis.call('PEXPIRE', base .. 'd', downloadsTtl)
    end
  end
  local torrentsDelta = ((nOwn + nOther > 0 or keptNow) and 1 or 0) - (wasHeld and 1 or 0)
  if refused > 0 then
    return struct.pack(HEADER, refused, 0, 0, 0, peersDelta, torrentsDelta, 0, keptNow and 1 or 0), numwant > 0,
           '', '', '', ''
  end

  local ownPeers, otherPeers, ownIds, otherIds = '', '', '', ''
  if not stopped and numwant > 0 then
    -- one numwant shared by the families in proportion to what each can offer (as the memory store does)
    local selfIn = bit.band(flags, 4) ~= 0
    local availOwn, availOther = 0, 0
    if bit.band(flags, 128) ~= 0 then availOwn = nOwn - (selfIn and 1 or 0) end
    if bit.band(flags, 256) ~= 0 then availOther = nOther end
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

    -- up to cap distinct peers other than the announcer (who is in the set when skipSelf)
    local function pick(key, cap, skipSelf)
      if cap <= 0 then return {} end
      if not skipSelf then return redis.call('ZRANDMEMBER', key, cap) end
      local got = redis.call('ZRANDMEMBER', key, cap + 1)
      local out, n = {}, 0
      for i = 1, #got do
        if got[i] ~= member then
          n = n + 1
          out[n] = got[i]
          if n == cap then break end
        end
      end
      return out
    end
    local NO_ID = string.rep('\0', 20)
    local function idsOf(list)
      if #list == 0 or bit.band(flags, 8) == 0 then return '' end
      local got = redis.call('HMGET', ids, unpack(list))
      for i = 1, #got do
        got[i] = got[i] and string.sub(got[i], 2) or NO_ID
      end
      return table.concat(got)
    end
    local mine = pick(own, wantOwn, selfIn)
    local theirs = pick(other, wantOther, false)
    ownPeers, otherPeers = table.concat(mine), table.concat(theirs)
    ownIds, otherIds = idsOf(mine), idsOf(theirs)
  end

  return struct.pack(HEADER, 0, seeders, nOwn + nOther - seeders, downloaded, peersDelta, torrentsDelta, nOwn,
                     keptNow and 1 or 0), numwant > 0 and not stopped, ownPeers, otherPeers, ownIds, otherIds
end

local out, n = {}, 0
for i = 1, #KEYS do
  local header, picked, op, tp, oi, ti = announce(i)
  out[n + 1] = header
  n = n + 1
  if picked then
    out[n + 1], out[n + 2], out[n + 3], out[n + 4] = op, tp, oi, ti
    n = n + 4
  end
end
return out
