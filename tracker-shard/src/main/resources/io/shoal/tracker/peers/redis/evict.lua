-- Makes room for a new torrent by removing one kept (peerless) torrent of one slot.
-- KEYS: 1 the slot's kept set, 2 the slot's index
-- Reply: {1 when one was removed else 0, kept torrents left in the slot}

local function hex(raw)
  return (string.gsub(raw, '.', function(c) return string.format('%02x', string.byte(c)) end))
end

-- Removes one kept torrent of a slot to make room for a new torrent (any one: SPOP). Members that are no longer
-- kept (their download key expired, or peers came back) are dropped from the set on the way, a few at most.
-- Returns 1 when one was removed, else 0.
local function evictKept(kept, index)
  local prefix = string.sub(kept, 1, 10) -- 'sh:{ssss}:'
  for _ = 1, 8 do
    local ih = redis.call('SPOP', kept)
    if not ih then return 0 end
    local base = prefix .. hex(ih) .. ':'
    if redis.call('EXISTS', base .. '4', base .. '6') == 0 then
      redis.call('SREM', index, ih)
      redis.call('DEL', base .. 'p')
      if redis.call('DEL', base .. 'd') == 1 then return 1 end
    end
  end
  return 0
end

local evicted = evictKept(KEYS[1], KEYS[2])
return {evicted, redis.call('SCARD', KEYS[1])}
