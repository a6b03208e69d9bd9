"""Real connection-id expiry (BEP 15: 2 minutes) with --connection-id-grace 0s; takes ~2.5 minutes."""
import os
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lib import *  # noqa

if __name__ == "__main__":
    key = "00112233445566778899aabbccddeeff"
    with Server("--connection-id-grace", "0s", env={"SHOAL_CONNECTION_ID_KEY": key}, name="cid") as srv:
        u = Udp(srv)
        cid = u.connect()
        ih = rand_hash()
        r, tx = u.announce(ih, peer_id(1), 1)
        check("fresh id accepted", r is not None)
        time.sleep(110)
        r, tx = u.announce(ih, peer_id(1), 1)
        check("id accepted at ~110 s", r is not None)
        time.sleep(15)
        r, tx = u.announce(ih, peer_id(1), 1)
        check("id refused (silence) after 125 s with grace 0", r is None, r)
        # a second server with the same key accepts ids of the first
        with Server(env={"SHOAL_CONNECTION_ID_KEY": key}, name="cid2") as srv2:
            cid2 = u.connect()
            u2 = Udp(srv2)
            r, tx = u2.announce(ih, peer_id(1), 1, cid=cid2)
            check("shared key: id issued by one shard accepted by another", r is not None, r)
            u2.close()
        with Server(name="cid3") as srv3:
            u3 = Udp(srv3)
            r, tx = u3.announce(ih, peer_id(1), 1, cid=cid2)
            check("different (random) key: foreign id refused", r is None, r)
            u3.close()
        u.close()
    sys.exit(summary())
