"""Download counting and long/odd parameters."""
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lib import *  # noqa

if __name__ == "__main__":
    with Server(name="count") as srv:
        u = Udp(srv)
        u.connect()
        ih = rand_hash()
        u.announce(ih, peer_id(1), 1001, left=10, event=2)
        for i in range(3):
            u.announce(ih, peer_id(1), 1001, left=10, event=1)
        r, _ = u.scrape([ih])
        s, d, l = struct.unpack(">III", r[8:20])
        check("completed x3 with left>0 from one peer counts once", d <= 1, (s, d, l))
        ih2 = rand_hash()
        for i in range(3):
            http_announce(srv, ih2, peer_id(1), 1001, left=0, event="completed")
        r, _ = u.scrape([ih2])
        s, d, l = struct.unpack(">III", r[8:20])
        check("http completed x3 with left=0 counts once", d == 1, (s, d, l))
        # seeder goes stopped then comes back with completed -> counted again (acceptable either way)
        http_announce(srv, ih2, peer_id(1), 1001, left=0, event="stopped")
        http_announce(srv, ih2, peer_id(1), 1001, left=0, event="completed")
        r, _ = u.scrape([ih2])
        info("stopped then completed again: downloaded=%d" % struct.unpack(">III", r[8:20])[1])
        # the completed count must survive the swarm emptying (opentracker keeps torrents with down_count > 0)
        ih3 = rand_hash()
        u.announce(ih3, peer_id(1), 1001, left=10, event=2)
        u.announce(ih3, peer_id(1), 1001, left=0, event=1)
        r, _ = u.scrape([ih3])
        before = struct.unpack(">III", r[8:20])
        u.announce(ih3, peer_id(1), 1001, left=0, event=3)
        r, _ = u.scrape([ih3])
        after = struct.unpack(">III", r[8:20])
        check("downloaded count survives the last peer stopping", before == (1, 1, 0) and after == (0, 1, 0), (before, after))
        # odd params
        st, h, body = http_announce(srv, rand_hash(), peer_id(2), 1002, extra="&".join("u%d=1" % i for i in range(300)))
        info("300 unknown params -> %r" % body[:80])
        check("300 unknown short params: announce still served (or clear failure)", b"peers" in body or b"failure reason" in body, body[:80])
        st, h, body = http_announce(srv, rand_hash(), peer_id(2), 1002, extra="x" * 70 + "=1")
        info("unknown param with a 70-byte name -> %r" % body[:80])
        check("unknown param with a 70-byte name ignored (announce served)", b"peers" in body, body[:80])
        st, h, body = http_announce(srv, rand_hash(), peer_id(2), 1002, extra="trackerid=" + "t" * 1100)
        check("unknown param with a 1100-byte value ignored (announce served)", b"peers" in body, body[:80])
        st, h, body = http_announce(srv, rand_hash(), peer_id(2), 1002, extra="key=%ZZ")
        info("bad escape in an unknown/ignored param -> %r" % body[:80])
    sys.exit(summary())
