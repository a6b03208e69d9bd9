"""Odds and ends: numwant split across families, a second instance on the same port, XFF/ip on ::1."""
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lib import *  # noqa


def numwant_split():
    with Server(bind=None, name="split") as srv:
        ih = rand_hash()
        u4 = Udp(("127.0.0.1", srv.port))
        u6 = Udp(("::1", srv.port))
        u4.connect()
        u6.connect()
        for i in range(10):
            u4.announce(ih, peer_id(i), 1000 + i)
            u6.announce(ih, peer_id(100 + i), 2000 + i)
        st, h, body = http_announce(srv, ih, peer_id(999), 3000, host="::1", numwant=5)
        d = bdecode(body)
        n4 = len(d.get(b"peers", b"")) // 6
        n6 = len(d.get(b"peers6", b"")) // 18
        check("http numwant=5 shared over both families: total 5", n4 + n6 == 5, (n4, n6))
        st, h, body = http_announce(srv, ih, peer_id(999), 3000, host="::1")
        d = bdecode(body)
        n4 = len(d.get(b"peers", b"")) // 6
        n6 = len(d.get(b"peers6", b"")) // 18
        check("http default numwant over ::1: 10 v4 + 10 v6 (self excluded)", (n4, n6) == (10, 10), (n4, n6))
        r, _ = u6.announce(ih, peer_id(100), 2000, numwant=50)
        p = parse_udp_announce(r, v6=True)
        check("udp6 gets 10 v6 peers (9 udp6 + 1 http6), leechers counts both families (21)", len(p["peers"]) == 10 and p["leechers"] == 21, p)
        u4.close()
        u6.close()


def second_instance():
    with Server(name="first") as srv:
        a2 = free_port()
        p = subprocess.run(["java", "-Xmx128m", "-jar", JAR, "shard", "--bind", "127.0.0.1", "--port", str(srv.port),
                            "--admin-port", str(a2)], capture_output=True, text=True, timeout=30)
        check("second instance on the same port fails to start", p.returncode != 0, p.returncode)
        info("second instance: rc=%s %s" % (p.returncode, (p.stdout + p.stderr).strip().splitlines()[-1:]))
        # first still answers UDP reliably (no REUSEPORT sharing with a dead process)
        u = Udp(srv)
        ok = 0
        for i in range(50):
            try:
                u.connect()
                ok += 1
            except RuntimeError:
                pass
        check("first instance still answers all UDP connects", ok == 50, ok)
        u.close()


def reuseport_hijack():
    """Informational only: the shard binds its UDP port with SO_REUSEPORT (one socket per receive thread), so a
    process of the same user can join the port and take a share of the datagrams. The kernel allows that by design;
    other users cannot join. Reported, never failed."""
    with Server(name="hijack") as srv:
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        try:
            s.bind(("127.0.0.1", srv.port))
            bound = True
        except OSError as e:
            bound = False
            info("reuseport bind refused: %s" % e)
        info("a foreign SO_REUSEPORT socket could bind the tracker's UDP port: %s" % bound)
        if bound:
            u = Udp(srv)
            ok = 0
            for i in range(40):
                try:
                    u.connect()
                    ok += 1
                except RuntimeError:
                    pass
            info("connects answered with a same-user SO_REUSEPORT socket bound to the port: %d/40 "
                 "(by design: same-user processes may share the port)" % ok)
            u.close()
        s.close()


if __name__ == "__main__":
    numwant_split()
    second_instance()
    reuseport_hijack()
    sys.exit(summary())
