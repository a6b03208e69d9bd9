-- Makes room for a new torrent by removing one kept (peerless) torrent of one slot.
-- KEYS: 1 the slot's kept set, 2 the slot's index
-- Reply: {1 when one was removed else 0, kept torrents left in the slot}
local evicted = evictKept(KEYS[1], KEYS[2])
return {evicted, redis.call('SCARD', KEYS[1])}
