package io.shoal.tracker.peers.memory;

import io.shoal.tracker.peers.PeerStore;
import io.shoal.tracker.peers.PeerStoreConfig;
import io.shoal.tracker.peers.PeerStoreContractTest;

class MemoryPeerStoreTest extends PeerStoreContractTest {

    @Override
    protected PeerStore newStore(PeerStoreConfig config) {
        return new MemoryPeerStore(config);
    }
}
