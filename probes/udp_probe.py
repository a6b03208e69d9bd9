"""BEP 15 / BEP 41 probes over UDP (IPv4 127.0.0.1 and IPv6 ::1)."""
import os
import random
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lib import *  # noqa


def run_v4(srv):
    u = Udp(srv)
    # ---- connect
    tx = 0xDEADBEEF
    r = u.xchg(struct.pack(">QII", PROTOCOL_ID, 0, tx))
    check("udp connect reply is 16 bytes", r is not None and len(r) == 16, r)
    if r:
        a, t, cid = struct.unpack(">IIQ", r)
        check("udp connect action 0, tx echoed", a == 0 and t == tx, (a, t))
        u.cid = cid
    # connect with trailing bytes (clients may pad) -> still a reply of 16
    r = u.xchg(struct.pack(">QII", PROTOCOL_ID, 0, 7) + b"\0" * 10)
    check("udp connect with trailing bytes answered (16 bytes)", r is not None and len(r) == 16, r)
    # connect with wrong protocol id -> silent
    r = u.xchg(struct.pack(">QII", 0x1234, 0, 7))
    check("udp connect with wrong protocol id: silence", r is None, r)
    # truncated connect
    r = u.xchg(struct.pack(">QII", PROTOCOL_ID, 0, 7)[:15])
    check("udp 15-byte datagram: silence", r is None, r)
    r = u.xchg(b"")
    check("udp empty datagram: silence", r is None, r)
    # second connect gives a working id too
    u.connect()

    ih = rand_hash()
    # ---- announce, first peer leecher
    pidA = peer_id(1)
    r, tx = u.announce(ih, pidA, 40001, left=100, event=2)
    check("udp announce reply present", r is not None, r)
    if r:
        p = parse_udp_announce(r)
        check("udp announce size == 20 (no other peers)", len(r) == 20, len(r))
        check("udp announce action 1 + tx echo", p["action"] == 1 and p["tx"] == tx, p)
        check("udp announce interval > 0", 0 < p["interval"] < 10 ** 7, p["interval"])
        check("udp announce counts 1 leecher 0 seeders (self counted)", p["leechers"] == 1 and p["seeders"] == 0, p)
    # second peer (same ip, other port) seeder
    r, tx = u.announce(ih, peer_id(2), 40002, left=0, event=2)
    p = parse_udp_announce(r)
    check("udp announce 2nd peer gets 20+6 bytes", len(r) == 26, len(r))
    check("udp 2nd peer sees first peer only (never self)", p["peers"] == [("127.0.0.1", 40001)], p["peers"])
    check("udp counts 1 seeder 1 leecher", p["seeders"] == 1 and p["leechers"] == 1, p)
    # many peers + numwant variants
    for i in range(3, 31):
        u.announce(ih, peer_id(i), 40000 + i, left=10)
    r, _ = u.announce(ih, pidA, 40001, numwant=0)
    check("udp numwant=0 -> no peers (20 bytes)", r is not None and len(r) == 20, None if r is None else len(r))
    r, _ = u.announce(ih, pidA, 40001, numwant=-1)
    p = parse_udp_announce(r)
    check("udp numwant=-1 -> default (29 peers available, default 50)", len(p["peers"]) == 29 and p["rem"] == 0,
          len(p["peers"]))
    check("udp self never returned", ("127.0.0.1", 40001) not in p["peers"], p["peers"])
    check("udp no duplicate peers", len(set(p["peers"])) == len(p["peers"]), p["peers"])
    r, _ = u.announce(ih, pidA, 40001, numwant=5)
    p = parse_udp_announce(r)
    check("udp numwant=5 -> 5 peers (20+30 bytes)", len(r) == 50, len(r))
    r, _ = u.announce(ih, pidA, 40001, numwant=0x7FFFFFFF)
    p = parse_udp_announce(r)
    check("udp numwant huge -> capped, all 29", len(p["peers"]) == 29, len(p["peers"]))
    r, _ = u.announce(ih, pidA, 40001, numwant=-5)
    check("udp numwant=-5 -> treated as default", r is not None and len(parse_udp_announce(r)["peers"]) == 29, r)
    # ---- port 0
    r, tx = u.announce(ih, peer_id(99), 0, left=10)
    check("udp port 0 answered", r is not None and struct.unpack(">I", r[:4])[0] == 1, r)
    p = parse_udp_announce(r) if r else {}
    check("udp port 0 not registered (leechers stays 29, seeders 1)",
          r is not None and p["leechers"] == 29 and p["seeders"] == 1, p)
    # ---- stopped
    r, tx = u.announce(ih, peer_id(30), 40030, left=10, event=3)
    p = parse_udp_announce(r)
    check("udp stopped -> 20 bytes, no peers", len(r) == 20, len(r))
    check("udp stopped -> counts exclude stopped peer", p["leechers"] == 28 and p["seeders"] == 1, p)
    r, _ = u.announce(ih, pidA, 40001, numwant=200)
    p = parse_udp_announce(r)
    check("udp stopped peer no longer returned", ("127.0.0.1", 40030) not in p["peers"] and len(p["peers"]) == 28,
          len(p["peers"]))
    # stopped of unknown peer / unknown torrent
    r, _ = u.announce(rand_hash(), pidA, 40001, event=3)
    p = parse_udp_announce(r)
    check("udp stopped on unknown torrent -> 0/0, 20 bytes", len(r) == 20 and p["seeders"] == 0 and p["leechers"] == 0, p)

    # ---- completed counts once
    ih2 = rand_hash()
    u.announce(ih2, peer_id(1), 41001, left=50, event=2)
    u.announce(ih2, peer_id(1), 41001, left=0, event=1)
    u.announce(ih2, peer_id(1), 41001, left=0, event=1)
    u.announce(ih2, peer_id(1), 41001, left=0, event=0)
    r, tx = u.scrape([ih2])
    s, d, l = struct.unpack(">III", r[8:20])
    check("udp completed counted once (downloaded=1)", d == 1, (s, d, l))
    check("udp scrape after complete: 1 seeder 0 leecher", s == 1 and l == 0, (s, d, l))
    # seeder-from-start sending completed: BEP says completed means finished downloading; opentracker counts it
    u.announce(ih2, peer_id(2), 41002, left=0, event=1)
    r, tx = u.scrape([ih2])
    info("completed from a fresh peer that starts as seeder -> downloaded=%d" % struct.unpack(">III", r[8:20])[1])

    # ---- scrape
    r, tx = u.scrape([ih])
    check("udp scrape 1 hash reply 20 bytes", r is not None and len(r) == 20, r)
    a, t = struct.unpack(">II", r[:8])
    check("udp scrape action 2, tx echo", a == 2 and t == tx, (a, t))
    s, d, l = struct.unpack(">III", r[8:20])
    check("udp scrape ih counts s=1 d=0 l=28", (s, d, l) == (1, 0, 28), (s, d, l))
    hs = [rand_hash() for _ in range(74)]
    hs[10] = ih
    hs[50] = ih2
    hs[60] = ih  # duplicate
    r, tx = u.scrape(hs)
    check("udp scrape 74 hashes -> 8+12*74 bytes", r is not None and len(r) == 8 + 12 * 74, None if r is None else len(r))
    if r and len(r) == 8 + 12 * 74:
        trip = [struct.unpack(">III", r[8 + 12 * i:20 + 12 * i]) for i in range(74)]
        check("udp scrape order preserved (idx10 = ih, idx50 = ih2, idx60 dup = ih)",
              trip[10] == (1, 0, 28) and trip[50][1] >= 1 and trip[60] == (1, 0, 28)
              and all(trip[i] == (0, 0, 0) for i in range(74) if i not in (10, 50, 60)), (trip[10], trip[50], trip[60]))
    for n in (2, 37, 73):
        r, tx = u.scrape([rand_hash() for _ in range(n)])
        check("udp scrape %d hashes -> %d bytes" % (n, 8 + 12 * n), r is not None and len(r) == 8 + 12 * n,
              None if r is None else len(r))
    r, tx = u.scrape([rand_hash() for _ in range(75)])
    info("udp scrape 75 hashes (1516-byte datagram) -> %r" % (None if r is None else (len(r), r[:8].hex(), r[8:])))
    check("udp scrape 75 hashes: no oversize reply (silence or error)", r is None or
          (struct.unpack(">I", r[:4])[0] == 3 and struct.unpack(">I", r[4:8])[0] == tx), r)
    r, tx = u.scrape([])
    info("udp scrape 0 hashes -> %r" % (r,))
    check("udp scrape 0 hashes -> silence or error action 3 with tx",
          r is None or (struct.unpack(">II", r[:8]) == (3, tx)), r)
    r, tx = u.xchg(struct.pack(">QII", u.cid, 2, 5) + b"\x01" * 19), 5
    check("udp scrape with 19 hash bytes -> silence or error(3, tx)",
          r is None or struct.unpack(">II", r[:8]) == (3, 5), r)
    r = u.xchg(struct.pack(">QII", u.cid, 2, 6) + b"\x01" * 21)
    check("udp scrape with 21 hash bytes -> silence or error(3, tx)",
          r is None or struct.unpack(">II", r[:8]) == (3, 6), r)

    # ---- bad connection ids
    bad = u.cid ^ 1
    r, tx = u.announce(ih, pidA, 40001, cid=bad)
    check("udp announce with bad connection id -> silence", r is None, r)
    r, tx = u.scrape([ih], cid=bad)
    check("udp scrape with bad connection id -> silence", r is None, r)
    r, tx = u.announce(ih, pidA, 40001, cid=PROTOCOL_ID)
    check("udp announce with protocol id as connection id -> silence", r is None, r)
    now = int(time.time())
    forged_old = ((now - 3600) << 32) | (u.cid & 0xFFFFFFFF)
    r, tx = u.announce(ih, pidA, 40001, cid=forged_old)
    check("udp announce with old/forged id (time replaced) -> silence", r is None, r)
    forged_future = (((u.cid >> 32) + 3600) << 32) | (u.cid & 0xFFFFFFFF)
    r, tx = u.announce(ih, pidA, 40001, cid=forged_future & 0xFFFFFFFFFFFFFFFF)
    check("udp announce with future id -> silence", r is None, r)
    # id bound to address: reuse from another source address (127.0.0.2)
    try:
        u2 = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        u2.bind(("127.0.0.2", 0))
        u2.settimeout(1)
        pkt, tx = u.announce_packet(ih, pidA, 40001)
        u2.sendto(pkt, (srv.host, srv.port))
        try:
            rr = u2.recvfrom(2000)[0]
        except socket.timeout:
            rr = None
        check("udp connection id from 127.0.0.1 rejected when used from 127.0.0.2", rr is None, rr)
        u2.close()
    except OSError as e:
        info("127.0.0.2 not usable: %s" % e)

    # ---- malformed with valid id
    r = u.xchg(struct.pack(">QII", u.cid, 1, 77) + b"\0" * 50)
    check("udp short announce (66 bytes) -> silence or error(3,tx)", r is None or struct.unpack(">II", r[:8]) == (3, 77), r)
    info("short announce reply: %r" % (r,))
    r = u.xchg(struct.pack(">QII", u.cid, 1, 78) + b"\0" * 81)  # 97 bytes
    check("udp 97-byte announce -> silence or error(3,tx)", r is None or struct.unpack(">II", r[:8]) == (3, 78), r)
    r = u.xchg(struct.pack(">QII", u.cid, 9, 79))
    check("udp unknown action 9 -> silence or error(3,tx)", r is None or struct.unpack(">II", r[:8]) == (3, 79), r)
    info("unknown action reply: %r" % (r,))
    r = u.xchg(struct.pack(">QII", u.cid, 3, 80) + b"hello")
    check("udp client-sent action 3 -> silence or error(3,tx)", r is None or struct.unpack(">II", r[:8]) == (3, 80), r)
    r = u.xchg(struct.pack(">QIi", u.cid, 0xFFFFFFFF, 81))
    check("udp action 0xFFFFFFFF -> silence or error", r is None or struct.unpack(">II", r[:8]) == (3, 81), r)
    # bad event value
    pkt, tx = u.announce_packet(ih, pidA, 40001, event=7)
    r = u.xchg(pkt)
    info("udp announce event=7 -> %r" % (r,))
    check("udp announce event=7: error(3,tx) or treated as none", r is None or struct.unpack(">II", r[:8])[1] == tx, r)
    # oversized datagram (1600) with valid id
    pkt, tx = u.announce_packet(ih, pidA, 40001)
    r = u.xchg(pkt + b"\x00" * 1500)
    check("udp 1598-byte announce (valid id) -> no crash; silence or small reply", r is None or len(r) <= 100, r)
    info("oversize announce reply: %r" % (None if r is None else r[:40]))
    big = os.urandom(9000)
    r = u.xchg(big)
    check("udp 9000 bytes garbage -> silence", r is None, r)
    for i in range(50):
        u.send(os.urandom(random.randint(0, 200)))
    time.sleep(0.2)
    u.drain()
    # ---- BEP 41 options appended
    tail = bytes([2, 12]) + b"/ann?pk=abcd" + bytes([1]) + bytes([2, 3]) + b"xyz" + bytes([0])
    r, tx = u.announce(ih, pidA, 40001, tail=tail)
    check("udp announce with BEP 41 URL data option answered", r is not None and struct.unpack(">II", r[:8]) == (1, tx), r)
    r, tx = u.announce(ih, pidA, 40001, tail=bytes([2, 255]) + b"x")  # truncated option
    check("udp announce with truncated BEP 41 option: answer or error, never crash",
          r is not None and struct.unpack(">I", r[4:8])[0] == tx, r)
    # ip field set to someone else must be ignored: reply still counts by source
    r, tx = u.announce(ih, peer_id(500), 40500, ip=0x01020304)
    p = parse_udp_announce(r)
    r2, _ = u.announce(ih, pidA, 40001, numwant=500)
    p2 = parse_udp_announce(r2)
    check("udp ip field ignored (no 1.2.3.4 peer)", all(ip != "1.2.3.4" for ip, _ in p2["peers"]), p2["peers"][:5])
    u.announce(ih, peer_id(500), 40500, event=3)
    # transaction ids are echoed verbatim incl. 0 and 0xFFFFFFFF
    for t in (0, 0xFFFFFFFF, 0x80000000):
        r, _ = u.announce(ih, pidA, 40001, tx=t, numwant=0)
        check("udp tx echo 0x%08x" % t, r is not None and struct.unpack(">I", r[4:8])[0] == t, r)
    # connect reply ids differ per connect? (not required) -- check valid after re-connect
    cid_old = u.cid
    u.connect()
    r, _ = u.announce(ih, pidA, 40001, cid=cid_old, numwant=0)
    check("udp previous connection id still valid within 2 min", r is not None, r)
    check("server alive after UDP v4 probes", srv.alive())
    u.close()
    return ih


def run_v6(srv6):
    u = Udp(srv6)
    u.connect()
    ih = rand_hash()
    r, tx = u.announce(ih, peer_id(1), 50001, left=10)
    check("udp6 announce reply 20 bytes (alone)", r is not None and len(r) == 20, r)
    r, tx = u.announce(ih, peer_id(2), 50002, left=0)
    check("udp6 announce 2nd peer 20+18 bytes", r is not None and len(r) == 38, None if r is None else len(r))
    p = parse_udp_announce(r, v6=True)
    check("udp6 peer is ::1:50001", p["peers"] == [("::1", 50001)], p["peers"])
    check("udp6 counts", p["seeders"] == 1 and p["leechers"] == 1, p)
    r, tx = u.scrape([ih])
    check("udp6 scrape 20 bytes", r is not None and len(r) == 20 and struct.unpack(">III", r[8:20]) == (1, 0, 1), r)
    u.close()
    return ih


def run_dual(srv):
    """Default bind (::, dual stack): v4 and v6 announces into one swarm; UDP replies carry own family only."""
    u4 = Udp(("127.0.0.1", srv.port))
    u6 = Udp(("::1", srv.port))
    u4.connect()
    u6.connect()
    ih = rand_hash()
    u4.announce(ih, peer_id(1), 51001, left=10)
    r6, _ = u6.announce(ih, peer_id(2), 51002, left=10)
    p6 = parse_udp_announce(r6, v6=True)
    check("dual: udp6 reply has counts of both families", p6["leechers"] == 2, p6)
    check("dual: udp6 reply carries no v4 peers (20 bytes)", len(r6) == 20, len(r6))
    r4, _ = u4.announce(ih, peer_id(1), 51001, left=10)
    p4 = parse_udp_announce(r4)
    check("dual: udp4 reply 20 bytes (v6 peer not in v4 format)", len(r4) == 20, len(r4))
    # HTTP over ::1 into same swarm -> peers (v4) and peers6
    st, h, body = http_announce(srv, ih, peer_id(3), 51003, host="::1")
    d = bdecode(body)
    check("dual: http over ::1 sees v4 peer in peers and v6 peer in peers6",
          compact_peers(d.get(b"peers", b"")) == [("127.0.0.1", 51001)]
          and compact_peers(d.get(b"peers6", b""), v6=True) == [("::1", 51002)], d)
    st, h, body = http_announce(srv, ih, peer_id(4), 51004, host="127.0.0.1")
    d = bdecode(body)
    check("dual: http over v4 sees v4 peer + both v6 peers",
          len(compact_peers(d.get(b"peers", b""))) == 1 and len(compact_peers(d.get(b"peers6", b""), True)) == 2, d)
    # v4-mapped: announce from 127.0.0.1 to a dual-stack socket normalised to v4
    u4.close()
    u6.close()


if __name__ == "__main__":
    with Server(bind="127.0.0.1", name="udp4") as srv:
        run_v4(srv)
        check("server alive", srv.alive())
    with Server(bind="::1", name="udp6") as srv6:
        run_v6(srv6)
    with Server(bind=None, name="dual") as srvd:
        run_dual(srvd)
    sys.exit(summary())
