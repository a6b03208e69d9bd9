"""HTTP connection handling: slowloris, idle timeout, deep pipelining, HEAD framing, many connections, smuggling."""
import os
import select
import socket
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lib import *  # noqa


def main():
    with Server("--http-idle-timeout", "2s", name="conn") as srv:
        H, P = srv.host, srv.port
        # idle connection closed after ~2 s
        s = Sock(H, P)
        t0 = time.time()
        closed = s.is_closed(6)
        check("idle connection closed by idle timeout (~2 s)", closed and 1.5 < time.time() - t0 < 5, time.time() - t0)
        s.close()
        # keep-alive connection idle after a response -> closed
        s = Sock(H, P)
        s.sendall(("GET /announce?%s HTTP/1.1\r\nHost: x\r\n\r\n" % announce_qs(rand_hash(), peer_id(1), 1)).encode())
        recv_response(s)
        t0 = time.time()
        check("keep-alive connection closed after idle timeout", s.is_closed(6), time.time() - t0)
        s.close()
        # slowloris: one byte per second of an unfinished request for 10 s with a 2 s idle timeout
        s = Sock(H, P)
        req = b"GET /announce?" + b"a" * 3000
        t0 = time.time()
        sent = 0
        alive = True
        while time.time() - t0 < 10:
            try:
                s.sendall(req[sent:sent + 1])
                sent += 1
            except OSError:
                alive = False
                break
            time.sleep(1.0)
        still_open = alive and not s.is_closed(0.2)
        info("slowloris: after %.0fs and %d bytes, connection open=%s" % (time.time() - t0, sent, still_open))
        check("slowloris: a request trickled 1 byte/s is cut off (header/request deadline), not kept forever",
              not still_open, "connection still open after %.0fs with --http-idle-timeout 2s" % (time.time() - t0))
        s.close()

        # HEAD framing on keep-alive: a HEAD answer must carry no body, so the next response parses
        s = Sock(H, P)
        s.sendall(("HEAD /announce?%s HTTP/1.1\r\nHost: x\r\n\r\n" % announce_qs(rand_hash(), peer_id(1), 2)).encode())
        st, h, body, raw = recv_response(s, head=True)
        s.sendall(("GET /announce?%s HTTP/1.1\r\nHost: x\r\n\r\n" % announce_qs(rand_hash(), peer_id(2), 3)).encode())
        try:
            st2, h2, body2, raw2 = recv_response(s)
            check("HEAD then GET on one connection: second response framed correctly", st2 == 200 and body2.startswith(b"d8:complete"),
                  (st, raw, st2, raw2, body2[:40]))
        except Exception as e:
            check("HEAD then GET on one connection", s.is_closed(0.2), e)
        s.close()

        # deep pipelining without reading: 3000 requests, then read them all
        s = Sock(H, P, timeout=20)
        ih = rand_hash()
        N = 3000
        blob = "".join("GET /announce?%s HTTP/1.1\r\nHost: x\r\n\r\n" % announce_qs(ih, peer_id(i), 10000 + i, numwant=0)
                       for i in range(N)).encode()
        import threading
        err = []

        def writer():
            try:
                s.sendall(blob)
            except OSError as e:
                err.append(e)
        t = threading.Thread(target=writer)
        t.start()
        time.sleep(1.0)
        got = 0
        try:
            for i in range(N):
                st, h, body, _ = recv_response(s, timeout=10)
                if st != 200 or not body.startswith(b"d8:complete"):
                    break
                got += 1
        except Exception as e:
            info("deep pipelining stopped: %s" % e)
        t.join(20)
        check("deep pipelining: %d requests all answered in order" % N, got == N, (got, err))
        s.close()
        st_ = stats(srv)
        check("deep pipelining: all peers stored", st_["peers"] >= N, st_)

        # pipelining where the client never reads: server must not buffer without bound; stays responsive
        socks = []
        for k in range(3):
            s = Sock(H, P, timeout=5)
            s.s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            socks.append(s)
            blob = "".join("GET /announce?%s HTTP/1.1\r\nHost: x\r\n\r\n" % announce_qs(ih, peer_id(1), 20000, numwant=200)
                           for i in range(2000)).encode()
            s.s.setblocking(False)
            try:
                s.s.send(blob)
            except BlockingIOError:
                pass
        time.sleep(1.0)
        rss = srv.rss_kb()
        st, h, body = http_announce(srv, rand_hash(), peer_id(1), 1)
        check("non-reading pipeliners do not block others", st == 200, st)
        info("RSS with 3 non-reading pipeliners: %d KB" % rss)
        for s in socks:
            s.close()

        # many connections from one address: see per_address_cap() (its own server, no 2 s idle timeout)

        # request smuggling shapes: CL+TE, double CL
        st, h, body, raw = raw_http(H, P, b"GET /announce HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
        info("CL+TE -> %s" % st)
        check("CL+TE -> 400/413, never 200", st in (400, 413), st)
        st, h, body, raw = raw_http(H, P, b"GET /announce HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nContent-Length: 5\r\n\r\n")
        info("double CL -> %s" % st)
        check("double differing Content-Length -> 400", st in (400, 413), st)
        st, h, body, raw = raw_http(H, P, b"GET /announce HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 10\r\n\r\n")
        info("Expect 100-continue with CL 10 -> %s" % st)
        # bare LF line endings
        st, h, body, raw = raw_http(H, P, ("GET /announce?%s HTTP/1.1\nHost: x\nConnection: close\n\n" % announce_qs(rand_hash(), peer_id(1), 5)).encode())
        info("bare LF request -> %s %r" % (st, body[:30]))
        # lowercase method
        st, h, body, raw = raw_http(H, P, b"get /announce HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        info("lowercase method -> %s" % st)
        # header folding / obs-fold
        st, h, body, raw = raw_http(H, P, ("GET /announce?%s HTTP/1.1\r\nHost: x\r\nX-A: a\r\n b\r\nConnection: close\r\n\r\n" % announce_qs(rand_hash(), peer_id(1), 5)).encode())
        info("obs-fold header -> %s" % st)
        check("server alive after connection probes", srv.alive())


def closed_socks(socks, wait):
    """The sockets the server closed within `wait` seconds (an idle connection only turns readable on EOF/RST)."""
    poller = select.poll()
    by_fd = {c.s.fileno(): c for c in socks}
    for fd in by_fd:
        poller.register(fd, select.POLLIN | select.POLLHUP | select.POLLERR)
    closed = set()
    deadline = time.time() + wait
    while time.time() < deadline and len(closed) < len(socks):
        for fd, _ in poller.poll(100):
            closed.add(fd)
            poller.unregister(fd)
    return [by_fd[fd] for fd in closed]


def refused(srv, limit):
    return metrics(srv).get('shoal_http_connections_refused_total{limit="%s"}' % limit, 0.0)


def per_address_cap():
    """800 connections from one address against the default per-address cap (256): the excess is closed at once and
    counted; other addresses and, once the crowd leaves, the same address are served."""
    cap, n = 256, 800
    with Server(name="conncap") as srv:
        H, P = srv.host, srv.port
        before = refused(srv, "client")
        conns = []
        try:
            for i in range(n):
                conns.append(Sock(H, P, timeout=5))
        except OSError as e:
            info("opened %d connections before %s" % (len(conns), e))
        closed = closed_socks(conns, 3.0)
        check("%d connections from one address: all but %d closed by the server" % (n, cap),
              len(conns) == n and len(closed) == n - cap, (len(conns), len(closed)))
        check("refused connections counted in shoal_http_connections_refused_total{limit=client}",
              refused(srv, "client") - before == n - cap, refused(srv, "client") - before)
        # another address is not affected by the crowd (any 127/8 address reaches a 127.0.0.1 listener)
        other = Sock(H, P, source="127.0.0.2")
        other.sendall(("GET /announce?%s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                       % announce_qs(rand_hash(), peer_id(1), 1)).encode())
        try:
            st = recv_response(other)[0]
        except (OSError, ConnectionError) as e:
            st = e
        other.close()
        check("with one address at its cap, another address is served", st == 200, st)
        for c in conns:
            c.close()
        time.sleep(0.5)
        st, h, body = http_announce(srv, rand_hash(), peer_id(1), 1)
        check("after the crowd closes, the same address is served again", st == 200, st)
        check("server alive after the connection crowd", srv.alive())


if __name__ == "__main__":
    main()
    per_address_cap()
    sys.exit(summary())
