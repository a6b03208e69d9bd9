-- Announces, applied atomically in one round trip: one or several (concurrent announces are batched by the
-- caller; each is handled exactly as if it came alone, in order).
-- KEYS, 6 per announce: zset of the announcer's family, zset of the other family, peer hash, slot index,
--       download hash, slot kept set
-- ARGV: 1 key TTL (ms), 2 TTL refresh interval (ms), 3 now (ms), 4 expiry of peers announcing now (ms),
--       5 downloads retention (ms), 6 TTL of a download hash while its torrent has peers (ms),
--       then 5 per announce: member (compact address), hash value ('1'/'0' .. peer id),
--       flags (1 stopped, 2 completed, 4 keep the announcer, 8 peer ids, 16 may add a peer, 32 may add a torrent,
--       64 announcer is IPv6, 128 wants own family, 256 wants other family), numwant, infohash (index member)
-- Peers are picked here only when numwant > 0, which the caller asks for when it needs peer ids; otherwise it
-- pipelines ZRANDMEMBER after this script, which costs Redis far less than handing members through Lua.
-- Reply, 12 per announce: status, seeders, leechers, downloaded, peersDelta, torrentsDelta, ownPeers, otherPeers,
--   ownIds, otherIds, peers of the announcer's family, kept (1: the torrent is left peerless, kept for its count).
--   status 0 ok; 1 peer limit, 2 torrent limit (then nothing but expired peers changed for that announce).
--   torrentsDelta counts torrents held: with peers, or kept.
local keyTtl = ARGV[1]
local refreshEvery = tonumber(ARGV[2])
local nowText, expiry = ARGV[3], ARGV[4]
local now = tonumber(nowText)
local retention = tonumber(ARGV[5])
local downloadsTtl = ARGV[6]

-- The lowest score (as text) in sorted sets a and b, or nil when both are empty.
local function earliestExpiry(a, b)
  local low = redis.call('ZRANGE', a, '0', '0', 'WITHSCORES')[2]
  local other = redis.call('ZRANGE', b, '0', '0', 'WITHSCORES')[2]
  if other and (not low or tonumber(other) < tonumber(low)) then low = other end
  return low
end

local function announce(k, a)
  local own, other, ids, index = KEYS[k + 1], KEYS[k + 2], KEYS[k + 3], KEYS[k + 4]
  local dk, kept = KEYS[k + 5], KEYS[k + 6]
  local member, value = ARGV[a + 1], ARGV[a + 2]
  local flags = tonumber(ARGV[a + 3])
  local ih = ARGV[a + 5]
  local ownIsV6 = bit.band(flags, 64) ~= 0
  local ownField, otherField = 'n4', 'n6'
  if ownIsV6 then ownField, otherField = 'n6', 'n4' end

  local h = redis.call('HMGET', ids, member, ownField, otherField, 's', 'd', 't', 'e')
  local old = h[1]
  local nOwn, nOther, seeders = counter(h[2]), counter(h[3]), counter(h[4])
  local downloaded, refreshedAt = counter(h[5]), counter(h[6])
  -- no member can have expired before the floor: then there is nothing to purge (the common case)
  local floor = tonumber(h[7] or '')
  local fresh = floor ~= nil and floor > now

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
  local dirty = expired > 0
  -- a hash without 't' is new, or was lost while sorted sets lived on: count from the members then
  if refreshedAt == 0 or nOwn < 0 or nOther < 0 or seeders < 0 or seeders > nOwn + nOther then
    local n4, n6, s = recount(ownIsV6 and other or own, ownIsV6 and own or other, ids)
    if ownIsV6 then nOwn, nOther = n6, n4 else nOwn, nOther = n4, n6 end
    dirty = dirty or s ~= seeders or n4 + n6 > 0
    seeders = s
  end
  local hadPeers = nOwn + nOther + expired > 0
  local wasHeld = hadPeers
  -- without a peer hash, the download count (of a kept torrent, or one whose hash was lost) is in the download hash
  local wasKept, keptMark = false, false
  if refreshedAt == 0 then
    local dh = redis.call('HMGET', dk, 'd', 'u')
    if dh[1] then
      local untilMs = dh[2] and tonumber(dh[2])
      if untilMs then wasHeld = true end
      if untilMs and now >= untilMs and nOwn + nOther == 0 then
        -- the retention is over: the torrent is gone (no walk got to it yet)
        redis.call('DEL', dk)
        redis.call('SREM', kept, ih)
        redis.call('SREM', index, ih)
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
  local fields, nf = nil, 0
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
      dirty = true
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
        if nOwn + nOther == 0 then redis.call('SADD', index, ih) end
        if nOwn == 0 then newOwnKey = true end
        nOwn = nOwn + 1
        peersDelta = peersDelta + 1
        if isSeeder then seeders = seeders + 1 end
        dirty = true
      elseif not old then
        -- a member whose id was lost with its hash: counted by the recount above, as a leecher
        if isSeeder then
          seeders = seeders + 1
          dirty = true
        end
      elseif wasSeeder ~= isSeeder then
        seeders = seeders + (isSeeder and 1 or -1)
        dirty = true
      end
      wrote = true
      fields = {}
      if old ~= value then
        fields[1] = member
        fields[2] = value
        nf = 2
      end
      -- one download per leecher-to-seeder transition
      if bit.band(flags, 2) ~= 0 and isSeeder and not wasSeeder then
        downloaded = downloaded + 1
        counted = true
      end
      if counted or (refreshedAt == 0 and downloaded > 0) then
        fields[nf + 1] = 'd'
        fields[nf + 2] = downloaded
        nf = nf + 2
      end
    end
  end

  local keptNow = false
  if nOwn + nOther == 0 then
    -- no peer left (or none came): kept for the download count, or gone
    if wasKept then
      keptNow = true
    elseif hadPeers or refreshedAt > 0 then
      local c = peerless(ids, dk, kept, index, ih, downloaded, now, retention)
      keptNow = c > 0
    end
  else
    -- write the hash, and keep the keys' TTLs ahead of every peer's expiry: they are pushed forward every ARGV[2]
    -- ms of store time, which the TTL's margin over the peer TTL covers
    local refresh = wrote and now - refreshedAt >= refreshEvery
    if refresh or dirty then
      fields = fields or {}
      if refresh then
        fields[nf + 1] = 't'
        fields[nf + 2] = nowText
        nf = nf + 2
      end
      if dirty then
        fields[nf + 1] = ownField
        fields[nf + 2] = nOwn
        fields[nf + 3] = otherField
        fields[nf + 4] = nOther
        fields[nf + 5] = 's'
        fields[nf + 6] = seeders
        nf = nf + 6
      end
    end
    -- the floor: after a purge the earliest expiry left; otherwise lowered by the announcer if it expires sooner
    local newFloor = h[7]
    if not fresh then
      newFloor = earliestExpiry(own, other)
    elseif nOwn > 0 and bit.band(flags, 4) ~= 0 and not stopped and refused == 0 and tonumber(expiry) < floor then
      newFloor = expiry
    end
    if newFloor and newFloor ~= h[7] then
      fields = fields or {}
      fields[nf + 1] = 'e'
      fields[nf + 2] = newFloor
      nf = nf + 2
    end
    if nf > 0 then redis.call('HSET', ids, unpack(fields)) end
    if refresh then
      redis.call('PEXPIRE', own, keyTtl)
      redis.call('PEXPIRE', ids, keyTtl)
      if nOther > 0 then redis.call('PEXPIRE', other, keyTtl) end
    elseif newOwnKey then
      redis.call('PEXPIRE', own, keyTtl)
    end
    -- the download hash outlives the peer keys by the retention, so an idle torrent's count survives them
    if keptMark then
      redis.call('HDEL', dk, 'u')
      redis.call('SREM', kept, ih)
    end
    if retention > 0 and downloaded > 0 then
      if counted then redis.call('HSET', dk, 'd', downloaded) end
      if counted or keptMark or refresh then redis.call('PEXPIRE', dk, downloadsTtl) end
    end
  end
  local torrentsDelta = ((nOwn + nOther > 0 or keptNow) and 1 or 0) - (wasHeld and 1 or 0)
  if refused > 0 then
    return refused, 0, 0, 0, peersDelta, torrentsDelta, '', '', '', '', 0, keptNow and 1 or 0
  end

  local ownPeers, otherPeers, ownIds, otherIds = '', '', '', ''
  local numwant = tonumber(ARGV[a + 4])
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

  return 0, seeders, nOwn + nOther - seeders, downloaded, peersDelta, torrentsDelta,
         ownPeers, otherPeers, ownIds, otherIds, nOwn, keptNow and 1 or 0
end

local out, n = {}, 0
for i = 0, #KEYS / 6 - 1 do
  local s, sd, lc, dl, pd, td, op, tp, oi, ti, no, kn = announce(6 * i, 6 + 5 * i)
  out[n + 1], out[n + 2], out[n + 3], out[n + 4], out[n + 5], out[n + 6] = s, sd, lc, dl, pd, td
  out[n + 7], out[n + 8], out[n + 9], out[n + 10], out[n + 11], out[n + 12] = op, tp, oi, ti, no, kn
  n = n + 12
end
return out
