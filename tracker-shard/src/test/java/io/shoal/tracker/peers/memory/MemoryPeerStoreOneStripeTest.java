package io.shoal.tracker.peers.memory;

import io.shoal.tracker.peers.PeerStore;
import io.shoal.tracker.peers.PeerStoreConfig;
import io.shoal.tracker.peers.PeerStoreContractTest;

/** The contract again with every torrent behind one lock and in one map: the most contention and collisions. */
class MemoryPeerStoreOneStripeTest extends PeerStoreContractTest {

    @Override
    protected PeerStore newStore(PeerStoreConfig config) {
        return new MemoryPeerStore(config, 1);
    }
}
