"""Store limits (--max-torrents / --max-peers), numwant caps vs UDP datagram size, access list, expiry."""
import os
import struct
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lib import *  # noqa


def limits():
    with Server("--max-torrents", "3", "--max-peers", "5", name="limits") as srv:
        u = Udp(srv)
        u.connect()
        t = [rand_hash() for _ in range(5)]
        r1, _ = u.announce(t[0], peer_id(1), 1001)
        r2, _ = u.announce(t[0], peer_id(2), 1002)
        r3, _ = u.announce(t[1], peer_id(3), 1003)
        r4, _ = u.announce(t[2], peer_id(4), 1004)
        check("limits: 3 torrents/4 peers accepted", all(r and struct.unpack(">I", r[:4])[0] == 1 for r in (r1, r2, r3, r4)))
        r, tx = u.announce(t[3], peer_id(5), 1005)
        check("limits: 4th torrent over UDP -> error action 3 + tx", r is not None and struct.unpack(">II", r[:8]) == (3, tx), r)
        info("udp refusal text: %r" % (r[8:] if r else None))
        st, h, body = http_announce(srv, t[3], peer_id(5), 1005)
        d = bdecode(body)
        check("limits: 4th torrent over HTTP -> failure reason", st == 200 and b"failure reason" in d, d)
        r, tx = u.announce(t[2], peer_id(5), 1005)
        check("limits: 5th peer on existing torrent accepted", r is not None and struct.unpack(">I", r[:4])[0] == 1, r)
        r, tx = u.announce(t[2], peer_id(6), 1006)
        check("limits: 6th peer over UDP -> error 3", r is not None and struct.unpack(">II", r[:8]) == (3, tx), r)
        st, h, body = http_announce(srv, t[0], peer_id(6), 1006)
        d = bdecode(body)
        check("limits: 6th peer over HTTP -> failure reason", b"failure reason" in d, d)
        # existing peers still work (re-announce, complete, scrape)
        r, tx = u.announce(t[0], peer_id(1), 1001, left=0, event=1)
        p = parse_udp_announce(r)
        check("limits: existing peer re-announce ok and sees other peer", p["action"] == 1 and p["peers"] == [("127.0.0.1", 1002)], p)
        st, h, body = http_announce(srv, t[0], peer_id(2), 1002)
        d = bdecode(body)
        check("limits: existing peer over HTTP ok", b"peers" in d, d)
        r, tx = u.scrape(t)
        check("limits: scrape works at capacity", r is not None and len(r) == 8 + 12 * 5, r)
        # port 0 announce (not stored) on a new torrent at capacity: should be answered, not refused
        r, tx = u.announce(t[4], peer_id(7), 0)
        info("limits: port 0 on new torrent at capacity -> %r" % (r[:8] + r[8:40] if r else None,))
        # stopped frees a place
        u.announce(t[1], peer_id(3), 1003, event=3)
        r, tx = u.announce(t[3], peer_id(5), 1005)
        check("limits: after a stop, a new torrent is accepted", r is not None and struct.unpack(">I", r[:4])[0] == 1, r)
        s = stats(srv)
        check("limits: stats 3 torrents 5 peers", (s["torrents"], s["peers"]) == (3, 5), s)
        c = metrics(srv)
        info("refused counters: udp announce refused=%s error=%s; http announce refused=%s error=%s" % (
            req_count(c, "udp", "announce", "refused"), req_count(c, "udp", "announce", "error"),
            req_count(c, "http", "announce", "refused"), req_count(c, "http", "announce", "error")))
        check("limits: log mentions the store is full", "full" in srv.logtext(), srv.logtext()[-500:])
        u.close()


def big_numwant():
    """numwant caps: --numwant-max is 1..2000 (more is a usage error); HTTP honours it, while UDP replies carry at most
    200 IPv4 or 66 IPv6 peers so that one reply fits one datagram (IPv6: the 1280-byte minimum MTU)."""
    p = subprocess.run(["java", "-Xmx128m", "-jar", JAR, "shard", "--bind", "127.0.0.1", "--port", str(free_port()),
                        "--numwant-max", "2001"], capture_output=True, text=True, timeout=30)
    check("--numwant-max 2001 is a usage error (exit 2, says 1..2000)",
          p.returncode == 2 and "2000" in p.stdout + p.stderr, (p.returncode, p.stdout[-300:], p.stderr[-300:]))
    with Server("--numwant-max", "2000", "--numwant-default", "50", "--max-peers", "100000", name="numwant") as srv:
        u = Udp(srv)
        u.connect()
        ih = rand_hash()
        # 2600 peers from 127.0.0.1 with distinct ports, pipelined in bursts
        u.s.setblocking(True)
        t0 = time.time()
        for port in range(1, 2601):
            pkt, _ = u.announce_packet(ih, peer_id(port), port, numwant=0)
            u.send(pkt)
            if port % 200 == 0:
                # collect the replies so the socket buffer does not overflow
                got = 0
                while got < 200:
                    if u.recv(2.0) is None:
                        break
                    got += 1
        u.drain()
        s = stats(srv)
        info("big numwant: %d peers stored in %.1fs" % (s["peers"], time.time() - t0))
        check("big numwant: 2600 peers stored", s["peers"] == 2600, s)
        for want, expect in ((20000, 200), (2000, 200), (200, 200), (-1, 50)):
            r, tx = u.announce(ih, peer_id(1), 1, numwant=want)
            n = None if r is None else parse_udp_announce(r)["peers"]
            check("udp4 numwant=%d in a 2600-peer swarm -> %d peers (%d bytes)" % (want, expect, 20 + 6 * expect),
                  n is not None and len(n) == expect and len(r) == 20 + 6 * expect, None if r is None else len(r))
        for want, expect in ((20000, 2000), (2000, 2000), (1999, 1999)):
            st, h, body = http_announce(srv, ih, peer_id(2), 2, numwant=want)
            d = bdecode(body)
            check("http numwant=%d -> %d peers (--numwant-max 2000)" % (want, expect),
                  len(d.get(b"peers", b"")) == 6 * expect, (st, len(d.get(b"peers", b"")) // 6))
        check("server alive after big replies", srv.alive())
        u.close()
    with Server("--max-peers", "100000", bind="::1", name="numwant6") as srv:
        u = Udp(srv)
        u.connect()
        ih = rand_hash()
        for port in range(1, 301):
            u.announce(ih, peer_id(port), port, numwant=0)
        for want, expect in ((200, 66), (67, 66), (66, 66), (-1, 50)):
            r, tx = u.announce(ih, peer_id(1), 1, numwant=want)
            n = None if r is None else parse_udp_announce(r, v6=True)
            check("udp6 numwant=%d -> %d peers (%d bytes <= 1280)" % (want, expect, 20 + 18 * expect),
                  n is not None and n["rem"] == 0 and len(n["peers"]) == expect and len(r) <= 1280,
                  None if r is None else len(r))
        st, h, body = http_announce(srv, ih, peer_id(2), 2, numwant=200)
        d = bdecode(body)
        check("http6 numwant=200 -> 200 peers (HTTP is not capped by the datagram size)",
              len(d.get(b"peers6", b"")) == 18 * 200, len(d.get(b"peers6", b"")) // 18)
        u.close()


def await_action(u, info_hash, action, within=10.0):
    """Announces every 0.5 s until the reply's action is `action` (1 served, 3 refused) or `within` seconds pass."""
    deadline = time.time() + within
    while time.time() < deadline:
        r, tx = u.announce(info_hash, peer_id(1), 2001)
        if r and struct.unpack(">I", r[:4])[0] == action:
            return True
        time.sleep(0.5)
    return False


def access_list():
    d = tempfile.mkdtemp(prefix="shoal-acl-")
    path = os.path.join(d, "list.txt")
    a, b, c = rand_hash(), rand_hash(), rand_hash()
    with open(path, "w") as f:
        f.write("# allowed\n%s\n  %s  # with comment\nnot-a-hash\n\n" % (a.hex(), b.hex().upper()))
    with Server("--access-list", path, "--access-mode", "allow", name="acl-allow") as srv:
        u = Udp(srv)
        u.connect()
        r, tx = u.announce(a, peer_id(1), 2001)
        check("acl allow: listed hash ok (udp)", r and struct.unpack(">I", r[:4])[0] == 1, r)
        r, tx = u.announce(b, peer_id(1), 2001)
        check("acl allow: uppercase-listed hash ok", r and struct.unpack(">I", r[:4])[0] == 1, r)
        r, tx = u.announce(c, peer_id(1), 2001)
        check("acl allow: unlisted -> udp error 3", r and struct.unpack(">II", r[:8]) == (3, tx), r)
        info("acl udp error text %r" % (r[8:] if r else None))
        st, h, body = http_announce(srv, c, peer_id(1), 2001)
        dd = bdecode(body)
        check("acl allow: unlisted -> http failure reason", b"failure reason" in dd, dd)
        r, tx = u.scrape([a, c])
        info("acl scrape [a,c] -> %r" % (r,))
        check("acl allow: scrape answers 2 entries", r and len(r) == 32, r)
        st, h, body = get(srv.host, srv.port, "/scrape?info_hash=" + q(c))[:3]
        info("acl http scrape of unlisted -> %r" % body)
        # edit: add c, remove a
        time.sleep(1.1)
        with open(path, "w") as f:
            f.write("%s\n%s\n" % (b.hex(), c.hex()))
        t0 = time.time()
        ok = await_action(u, c, 1)
        check("acl allow: newly listed hash accepted within 10 s (%.1fs)" % (time.time() - t0), ok)
        r, tx = u.announce(a, peer_id(1), 2001)
        check("acl allow: removed hash now refused", r and struct.unpack(">I", r[:4])[0] == 3, r)
        # same-size rewrite within the same second (mtime granularity)
        with open(path, "w") as f:
            f.write("%s\n%s\n" % (a.hex(), c.hex()))  # same size as before
        ok = await_action(u, a, 1)
        check("acl allow: same-size quick rewrite picked up", ok)
        # file removed -> keep previous list
        os.rename(path, path + ".bak")
        time.sleep(4)
        r, tx = u.announce(a, peer_id(1), 2001)
        check("acl: file deleted -> previous list kept", r and struct.unpack(">I", r[:4])[0] == 1, r)
        os.rename(path + ".bak", path)
        # atomic replace via rename (ConfigMap-style)
        tmp = path + ".new"
        with open(tmp, "w") as f:
            f.write("%s\n" % b.hex())
        os.rename(tmp, path)
        ok = await_action(u, a, 3)
        check("acl: atomic rename replace picked up", ok)
        info("peers of a now-refused torrent still in store: stats=%s" % stats(srv))
        u.close()
    with open(path, "w") as f:
        f.write("%s\n" % a.hex())
    with Server("--access-list", path, "--access-mode", "deny", name="acl-deny") as srv:
        u = Udp(srv)
        u.connect()
        r, tx = u.announce(a, peer_id(1), 2001)
        check("acl deny: listed -> error 3", r and struct.unpack(">I", r[:4])[0] == 3, r)
        r, tx = u.announce(b, peer_id(1), 2001)
        check("acl deny: unlisted ok", r and struct.unpack(">I", r[:4])[0] == 1, r)
        time.sleep(1.1)
        with open(path, "w") as f:
            f.write("")
        ok = await_action(u, a, 1)
        check("acl deny: emptied list -> allowed", ok)
        u.close()


def expiry():
    with Server("--peer-ttl", "5s", "--interval", "2s", "--min-interval", "1s", "--full-scrape-refresh", "1s",
                "--full-scrape-rate", "100/1s", name="expiry") as srv:
        u = Udp(srv)
        u.connect()
        ih = rand_hash()
        ih2 = rand_hash()
        u.announce(ih, peer_id(1), 3001, left=0)
        u.announce(ih, peer_id(2), 3002, left=5)
        u.announce(ih2, peer_id(3), 3003, left=5)
        st, h, body = http_announce(srv, ih2, peer_id(4), 3004)
        d = bdecode(body)
        check("expiry: interval told = 2s (+<=5%)", d[b"interval"] in (2, 3) and d[b"min interval"] == 1, d)
        s = stats(srv)
        check("expiry: before TTL 2 torrents 4 peers", (s["torrents"], s["peers"]) == (2, 4), s)
        time.sleep(3)
        u.announce(ih, peer_id(1), 3001, left=0)  # refresh one peer
        time.sleep(3.5)  # others are past 5 s now
        r, tx = u.scrape([ih, ih2])
        trip = [struct.unpack(">III", r[8 + 12 * i:20 + 12 * i]) for i in range(2)]
        check("expiry: scrape after TTL: ih only refreshed seeder, ih2 gone", trip == [(1, 0, 0), (0, 0, 0)], trip)
        r, tx = u.announce(ih, peer_id(9), 3009, numwant=50)
        p = parse_udp_announce(r)
        check("expiry: expired peer not returned", p["peers"] == [("127.0.0.1", 3001)], p)
        u.announce(ih, peer_id(9), 3009, event=3)
        # wait for the sweeper: TTL 5 s, sweep period 1 s
        time.sleep(7)
        s = stats(srv)
        check("expiry: stats after TTL + sweep: 0 torrents 0 peers", (s["torrents"], s["peers"], s["seeders"], s["leechers"]) == (0, 0, 0, 0), s)
        m = metrics(srv)
        check("expiry: gauges 0", m.get("shoal_torrents") == 0 and m.get("shoal_peers") == 0, (m.get("shoal_torrents"), m.get("shoal_peers")))
        st, h, body = get(srv.host, srv.port, "/scrape")[:3]
        d = bdecode(body)
        check("expiry: full scrape empty", d == {b"files": {}}, d)
        u.close()


if __name__ == "__main__":
    which = sys.argv[1:] or ["limits", "big_numwant", "access_list", "expiry"]
    for w in which:
        globals()[w]()
    sys.exit(summary())
