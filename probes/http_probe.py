"""BEP 3 / 7 / 23 / 48 probes of the HTTP tracker, mostly over raw TCP."""
import gzip
import os
import socket
import sys
import time
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lib import *  # noqa


def expect_bencoded_ok(name, st, h, body, need=(b"interval", b"peers")):
    ok = check(name + ": status 200", st == 200, (st, body[:200]))
    cl = h.get("content-length", ["?"])[0]
    check(name + ": content-length matches", cl == str(len(body)), (cl, len(body)))
    ct = h.get("content-type", [""])[0]
    check(name + ": content-type text/plain", ct.startswith("text/plain"), ct)
    try:
        d = bdecode(body)
    except BError as e:
        check(name + ": strict bdecode", False, "%s %r" % (e, body[:200]))
        return None
    check(name + ": is dict", isinstance(d, dict), d)
    if b"failure reason" in d:
        check(name + ": no failure reason", False, d)
        return d
    for k in need:
        check(name + ": has %r" % k, k in d, list(d))
    return d


def expect_failure(name, st, h, body, contains=None):
    check(name + ": status 200 (BEP 3 failures are bencoded)", st == 200, (st, body[:200]))
    try:
        d = bdecode(body)
    except BError as e:
        check(name + ": strict bdecode", False, "%s %r" % (e, body[:200]))
        return None
    ok = isinstance(d, dict) and b"failure reason" in d and isinstance(d[b"failure reason"], bytes)
    check(name + ": failure reason present", ok, d)
    if ok and contains:
        check(name + ": failure mentions %r" % contains, contains in d[b"failure reason"], d)
    if ok:
        check(name + ": failure dict has no peers/interval", b"peers" not in d, d)
    return d


def A(srv, target, **kw):
    st, h, body, _ = get(srv.host, srv.port, target, **kw)
    return st, h, body


def main(srv):
    H = srv.host
    P = srv.port
    ih = bytes([0x00, 0x80, 0xff, 0x25, 0x26, 0x3d, 0x2b, 0x20]) + os.urandom(12)  # %00, high bytes, '%&=+ '
    pid1 = b"\x00\xff-PR-" + os.urandom(14)

    # ---- basic compact announce with binary hash
    st, h, body = A(srv, "/announce?" + announce_qs(ih, pid1, 6881, left=10, event="started"))
    d = expect_bencoded_ok("http announce binary hash", st, h, body)
    if d:
        check("http announce interval > 0", isinstance(d.get(b"interval"), int) and d[b"interval"] > 0, d)
        check("http announce complete/incomplete = 0/1", d.get(b"complete") == 0 and d.get(b"incomplete") == 1, d)
        check("http announce peers compact empty string", d.get(b"peers") == b"", d)
        if b"min interval" in d:
            check("http min interval <= interval", d[b"min interval"] <= d[b"interval"], d)
    # second peer, lowercase hex escapes
    lower = "&".join(["info_hash=" + "".join("%%%02x" % x for x in ih),
                      "peer_id=" + "".join("%%%02x" % x for x in peer_id(2)), "port=6882", "left=0"])
    st, h, body = A(srv, "/announce?" + lower)
    d = expect_bencoded_ok("http announce lowercase escapes", st, h, body)
    if d:
        check("http lowercase-escaped hash is same torrent (complete=1, incomplete=1)",
              d.get(b"complete") == 1 and d.get(b"incomplete") == 1, d)
        check("http peers == first peer only", compact_peers(d[b"peers"]) == [("127.0.0.1", 6881)], d)
    # hash with unreserved chars sent raw (not escaped)
    ih_ascii = b"abcdefghij0123456789"
    st, h, body = A(srv, "/announce?info_hash=abcdefghij0123456789&peer_id=" + q(peer_id(3)) + "&port=7000&left=1")
    d = expect_bencoded_ok("http announce raw ascii hash", st, h, body)
    st, h, body = A(srv, "/scrape?info_hash=" + q(ih_ascii))
    d = bdecode(body)
    check("http raw ascii hash == escaped hash (scrape finds 1 leecher)",
          d.get(b"files", {}).get(ih_ascii, {}).get(b"incomplete") == 1, d)
    # '+' in query -> space (0x20)
    ih_sp = b"A" * 19 + b" "
    st, h, body = A(srv, "/announce?info_hash=" + "A" * 19 + "+&peer_id=" + q(peer_id(4)) + "&port=7001&left=1")
    expect_bencoded_ok("http '+' decodes to space", st, h, body)
    st, h, body = A(srv, "/scrape?info_hash=" + q(ih_sp))
    d = bdecode(body)
    check("http '+' hash == %20 hash", d.get(b"files", {}).get(ih_sp, {}).get(b"incomplete") == 1, d)

    # ---- compact=0: dictionary model with peer ids
    st, h, body = A(srv, "/announce?" + announce_qs(ih, peer_id(5), 6885, compact=0))
    d = expect_bencoded_ok("http compact=0", st, h, body)
    if d:
        ps = d.get(b"peers")
        check("http compact=0 peers is list", isinstance(ps, list), ps)
        if isinstance(ps, list):
            check("http compact=0 has 2 peers (6881, 6882)", sorted(p.get(b"port") for p in ps) == [6881, 6882], ps)
            check("http compact=0 dicts have ip/peer id/port", all(set(p) == {b"ip", b"peer id", b"port"} for p in ps), ps)
            check("http compact=0 peer id of 6881 is exact binary", any(p.get(b"peer id") == pid1 for p in ps), ps)
            check("http compact=0 ip is text", all(p.get(b"ip") == b"127.0.0.1" for p in ps), ps)
    st, h, body = A(srv, "/announce?" + announce_qs(ih, peer_id(5), 6885, compact=0, extra="no_peer_id=1"))
    d = expect_bencoded_ok("http compact=0&no_peer_id=1", st, h, body)
    if d and isinstance(d.get(b"peers"), list):
        check("http no_peer_id=1 drops peer id", all(b"peer id" not in p for p in d[b"peers"]), d[b"peers"])
    st, h, body = A(srv, "/announce?" + announce_qs(ih, peer_id(5), 6885, extra="no_peer_id=1"))
    d = expect_bencoded_ok("http no_peer_id=1 without compact", st, h, body)
    if d:
        info("no_peer_id=1 alone -> peers type %s" % type(d.get(b"peers")).__name__)
    st, h, body = A(srv, "/announce?" + announce_qs(ih, peer_id(5), 6885, compact=1))
    d = expect_bencoded_ok("http compact=1", st, h, body)
    if d:
        check("http compact=1 peers is 6n bytes string", isinstance(d[b"peers"], bytes) and len(d[b"peers"]) % 6 == 0, d)
        check("http compact never returns self", ("127.0.0.1", 6885) not in compact_peers(d[b"peers"]), d)

    # ---- numwant
    st, h, body = A(srv, "/announce?" + announce_qs(ih, peer_id(5), 6885, numwant=0))
    d = expect_bencoded_ok("http numwant=0", st, h, body)
    if d:
        check("http numwant=0 -> no peers", d[b"peers"] == b"", d)
    st, h, body = A(srv, "/announce?" + announce_qs(ih, peer_id(5), 6885, numwant=1))
    d = bdecode(body)
    check("http numwant=1 -> 1 peer", len(d[b"peers"]) == 6, d)
    st, h, body = A(srv, "/announce?" + announce_qs(ih, peer_id(5), 6885, extra="numwant=99999999999999999999"))
    d = bdecode(body)
    check("http numwant huge -> OK, capped", b"peers" in d, d)

    # ---- errors
    ih2 = rand_hash()
    cases = [
        ("missing info_hash", "peer_id=%s&port=1&left=0" % q(peer_id(1)), b"info_hash"),
        ("19-byte info_hash", "info_hash=%s&peer_id=%s&port=1" % (q(ih2[:19]), q(peer_id(1))), b"info_hash"),
        ("21-byte info_hash", "info_hash=%s&peer_id=%s&port=1" % (q(ih2 + b"x"), q(peer_id(1))), b"info_hash"),
        ("missing peer_id", "info_hash=%s&port=1" % q(ih2), b"peer_id"),
        ("short peer_id", "info_hash=%s&peer_id=abc&port=1" % q(ih2), b"peer_id"),
        ("missing port", "info_hash=%s&peer_id=%s" % (q(ih2), q(peer_id(1))), b"port"),
        ("port=abc", "info_hash=%s&peer_id=%s&port=abc" % (q(ih2), q(peer_id(1))), b"port"),
        ("port=70000", "info_hash=%s&peer_id=%s&port=70000" % (q(ih2), q(peer_id(1))), b"port"),
        ("port=-1", "info_hash=%s&peer_id=%s&port=-1" % (q(ih2), q(peer_id(1))), b"port"),
        ("left=abc", "info_hash=%s&peer_id=%s&port=1&left=abc" % (q(ih2), q(peer_id(1))), b"left"),
        ("left empty", "info_hash=%s&peer_id=%s&port=1&left=" % (q(ih2), q(peer_id(1))), b"left"),
        ("uploaded=1e3", "info_hash=%s&peer_id=%s&port=1&uploaded=1e3" % (q(ih2), q(peer_id(1))), b"uploaded"),
        ("numwant=x", "info_hash=%s&peer_id=%s&port=1&numwant=x" % (q(ih2), q(peer_id(1))), b"numwant"),
        ("event=bogus", "info_hash=%s&peer_id=%s&port=1&event=bogus" % (q(ih2), q(peer_id(1))), b"event"),
        ("repeated info_hash", "info_hash=%s&info_hash=%s&peer_id=%s&port=1" % (q(ih2), q(rand_hash()), q(peer_id(1))), b"info_hash"),
        ("invalid escape %G1", "info_hash=%%G1%s&peer_id=%s&port=1" % (q(ih2[1:]), q(peer_id(1))), None),
        ("trailing %", "info_hash=%s&peer_id=%s&port=1%%" % (q(ih2), q(peer_id(1))), None),
        # Bad escapes only matter in parameters the tracker reads: unknown ones are never decoded (see ok-cases).
        ("trailing %4 in peer_id", "info_hash=%s&peer_id=%s%%4&port=1" % (q(ih2), q(peer_id(1)[:19])), None),
        ("bad escape %ZZ in port", "info_hash=%s&peer_id=%s&port=1%%ZZ" % (q(ih2), q(peer_id(1))), None),
        ("no query at all", None, b"info_hash"),
    ]
    for name, qs, word in cases:
        target = "/announce" if qs is None else "/announce?" + qs
        st, h, body = A(srv, target)
        expect_failure("http " + name, st, h, body, word)
    st, h, body = A(srv, "/scrape?info_hash=" + q(ih2))
    d = bdecode(body)
    check("http failed announces created no torrent", d[b"files"].get(ih2) == {b"complete": 0, b"downloaded": 0,
                                                                              b"incomplete": 0}, d)

    # ---- lenient cases that must work
    ok_cases = [
        ("event=paused", announce_qs(rand_hash(), peer_id(1), 6000, event="paused")),
        ("event=empty", announce_qs(rand_hash(), peer_id(1), 6000, event="empty")),
        ("event= (blank)", announce_qs(rand_hash(), peer_id(1), 6000) + "&event="),
        ("unknown params", announce_qs(rand_hash(), peer_id(1), 6000) + "&supportcrypto=1&requirecrypto=0&corrupt=0&redundant=0&trackerid=xyz&key=abc%20def"),
        ("ip= param", announce_qs(rand_hash(), peer_id(1), 6000) + "&ip=10.1.2.3&ipv6=2001%3Adb8%3A%3A1&ipv4=10.0.0.1"),
        ("long unknown value (1000 B)", announce_qs(rand_hash(), peer_id(1), 6000) + "&zzz=" + "a" * 1000),
        ("no left/uploaded/downloaded", "info_hash=%s&peer_id=%s&port=6000" % (q(rand_hash()), q(peer_id(1)))),
        ("uploaded 2^64-1", announce_qs(rand_hash(), peer_id(1), 6000).replace("uploaded=0", "uploaded=18446744073709551615")),
        ("empty params &&", "&&" + announce_qs(rand_hash(), peer_id(1), 6000) + "&&"),
        ("param without =", announce_qs(rand_hash(), peer_id(1), 6000) + "&flag"),
        ("bad escape in unknown param (not decoded)", announce_qs(rand_hash(), peer_id(1), 6000) + "&x=%4"),
    ]
    for name, qs in ok_cases:
        st, h, body = A(srv, "/announce?" + qs)
        expect_bencoded_ok("http ok-case " + name, st, h, body)
    # ip= param must not be trusted
    ihp = rand_hash()
    A(srv, "/announce?" + announce_qs(ihp, peer_id(1), 6001) + "&ip=10.9.9.9")
    st, h, body = A(srv, "/announce?" + announce_qs(ihp, peer_id(2), 6002, compact=0))
    d = bdecode(body)
    check("http ip= param ignored (peer listed as 127.0.0.1)", [p[b"ip"] for p in d[b"peers"]] == [b"127.0.0.1"], d)
    # X-Forwarded-For must not be trusted by default
    ihx = rand_hash()
    get(H, P, "/announce?" + announce_qs(ihx, peer_id(1), 6001), headers={"X-Forwarded-For": "10.7.7.7"})
    st, h, body = A(srv, "/announce?" + announce_qs(ihx, peer_id(2), 6002, compact=0))
    d = bdecode(body)
    check("http X-Forwarded-For ignored by default", [p[b"ip"] for p in d[b"peers"]] == [b"127.0.0.1"], d)
    # very long value beyond limit -> failure, not crash
    st, h, body = A(srv, "/announce?" + announce_qs(rand_hash(), peer_id(1), 6000) + "&zzz=" + "a" * 2000)
    info("2000-byte param value -> %s %r" % (st, body[:100]))
    check("http 2000-byte unknown param value: answered sensibly (200 ok/failure or 414)", st in (200, 414), st)
    info("NOTE: an unknown param's length makes the announce fail: %r" % body[:80] if b"failure" in body else "ok")

    # ---- stopped and completed
    ihs = rand_hash()
    A(srv, "/announce?" + announce_qs(ihs, peer_id(1), 6101, left=5, event="started"))
    A(srv, "/announce?" + announce_qs(ihs, peer_id(2), 6102, left=5, event="started"))
    st, h, body = A(srv, "/announce?" + announce_qs(ihs, peer_id(1), 6101, left=5, event="stopped"))
    d = expect_bencoded_ok("http stopped", st, h, body, need=(b"interval",))
    if d:
        check("http stopped returns no peers", d.get(b"peers", b"") in (b"", []), d)
        check("http stopped counts exclude self (incomplete=1)", d.get(b"incomplete") == 1, d)
    A(srv, "/announce?" + announce_qs(ihs, peer_id(2), 6102, left=0, event="completed"))
    A(srv, "/announce?" + announce_qs(ihs, peer_id(2), 6102, left=0, event="completed"))
    st, h, body = A(srv, "/scrape?info_hash=" + q(ihs))
    d = bdecode(body)
    check("http completed counted once", d[b"files"][ihs] == {b"complete": 1, b"downloaded": 1, b"incomplete": 0}, d)

    # ---- scrape
    hs = [rand_hash() for _ in range(5)] + [ih, ihs]
    st, h, body = A(srv, "/scrape?" + "&".join("info_hash=" + q(x) for x in hs))
    check("http scrape status 200", st == 200, st)
    try:
        d = bdecode(body)
        files = d[b"files"]
        check("http multi-scrape has every hash", set(files) == set(hs), len(files))
        check("http multi-scrape entry keys", all(set(v) == {b"complete", b"downloaded", b"incomplete"} for v in files.values()), files)
        check("http multi-scrape counts of ih (complete 1, incomplete>=2)", files[ih][b"complete"] == 1, files[ih])
    except (BError, KeyError) as e:
        check("http multi-scrape strict bdecode", False, e)
    st, h, body = A(srv, "/scrape?info_hash=" + q(ih) + "&info_hash=" + q(ih))
    d = bdecode(body)
    check("http scrape duplicate hash -> one entry", len(d[b"files"]) == 1, d)
    st, h, body = A(srv, "/scrape?info_hash=" + q(ih[:19]))
    expect_failure("http scrape 19-byte hash", st, h, body)
    many = [rand_hash() for _ in range(60)]
    st, h, body = A(srv, "/scrape?" + "&".join("info_hash=" + q(x) for x in many))
    info("http scrape of 60 hashes (request line %d bytes) -> %s" % (len("&".join("info_hash=" + q(x) for x in many)), st))
    check("http scrape of 60 hashes (well under the 128-hash cap) answered 200", st == 200, (st, body[:80]))
    st, h, body = A(srv, "/scrape?" + "&".join("info_hash=" + x.hex()[:10] for x in many))  # 10-byte values -> error
    expect_failure("http scrape wrong-length hashes", st, h, body)

    # ---- full scrape (rate limit 1/10s default; use fresh server options: limit via 127.0.0.1 only once)
    st, h, body = A(srv, "/scrape", headers={"Accept-Encoding": "gzip"})
    check("http full scrape gzip status 200", st == 200, (st, body[:100]))
    if st == 200:
        check("http full scrape gzip Content-Encoding", h.get("content-encoding", [""])[0] == "gzip", h)
        check("http full scrape Content-Length", h.get("content-length", ["?"])[0] == str(len(body)), h)
        try:
            raw = gzip.decompress(body)
            d = bdecode(raw)
            check("http full scrape (gzip) bdecodes, has ih/ihs", ih in d[b"files"] and ihs in d[b"files"], list(d))
        except Exception as e:
            check("http full scrape gzip decode", False, e)
    st, h, body = A(srv, "/scrape")
    check("http 2nd full scrape within 10s -> 429", st == 429, st)
    if st == 429:
        check("http 429 has Retry-After", "retry-after" in h, h)
        try:
            d = bdecode(body)
            check("http 429 body has failure reason", b"failure reason" in d, d)
        except BError as e:
            check("http 429 body bdecode", False, e)
    # full scrape from ::1? on 127.0.0.1-bound server not possible; IPv6 is in ipv6 section

    # ---- path handling
    for path, expect in [("/abc/announce", 200), ("/passkey123/announce", 200), ("//announce", 200),
                         ("/announce/", 404), ("/ANNOUNCE", 404), ("/announcex", 404), ("/", 404),
                         ("/favicon.ico", 404), ("/scrape/", 404)]:
        st, h, body = A(srv, path + "?" + announce_qs(rand_hash(), peer_id(1), 6200))
        check("http path %s -> %d" % (path, expect), st == expect, (st, body[:80]))
        if st == 200:
            try:
                d = bdecode(body)
                check("http path %s bencoded ok" % path, b"peers" in d, d)
            except BError as e:
                check("http path %s bdecode" % path, False, e)
    st, h, body = A(srv, "/announce?")
    expect_failure("http /announce? (empty query)", st, h, body)
    st, h, body = A(srv, "/a/b/c/scrape?info_hash=" + q(ih))
    check("http prefixed /a/b/c/scrape works", st == 200 and ih in bdecode(body)[b"files"], (st, body[:60]))
    st, h, body = A(srv, "/announce?" + announce_qs(rand_hash(), peer_id(1), 6201) + "#frag")
    info("announce with #fragment -> %s %r" % (st, body[:80]))
    # absolute-URI
    st, h, body, _ = raw_http(H, P, ("GET http://%s:%d/announce?%s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                                     % (H, P, announce_qs(rand_hash(), peer_id(1), 6202))).encode())
    check("http absolute-URI request line works", st == 200 and b"peers" in body, (st, body[:80]))

    # ---- methods
    st, h, body = A(srv, "/announce?" + announce_qs(rand_hash(), peer_id(1), 6203), method="HEAD")
    info("HEAD /announce -> %s %s" % (st, h))
    check("http HEAD answered without body (405 or 200)", st in (200, 405), st)
    req = ("POST /announce?%s HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello"
           % announce_qs(rand_hash(), peer_id(1), 6204)).encode()
    st, h, body, _ = raw_http(H, P, req)
    info("POST with body -> %s %r" % (st, body[:60]))
    check("http POST with body refused (405/413)", st in (405, 413), st)
    req = ("POST /announce?%s HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
           % announce_qs(rand_hash(), peer_id(1), 6204)).encode()
    st, h, body, _ = raw_http(H, P, req)
    check("http POST without body -> 405", st == 405, st)
    req = ("GET /announce?%s HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\nhello\r\n0\r\n\r\n"
           % announce_qs(rand_hash(), peer_id(1), 6204)).encode()
    st, h, body, _ = raw_http(H, P, req)
    info("GET with chunked body -> %s" % st)
    check("http GET with chunked body: 413 or 400", st in (400, 413), st)

    # ---- huge request line / headers
    st, h, body, _ = raw_http(H, P, b"GET /announce?" + b"a=" + b"x" * 100000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", timeout=10)
    check("http 100 KB request line -> 414", st == 414, st)
    check("http 414 response has Connection: close", "close" in ",".join(h.get("connection", [])).lower(), h)
    st, h, body, _ = raw_http(H, P, ("GET /announce?%s HTTP/1.1\r\nHost: x\r\nX-Big: %s\r\n\r\n"
                                     % (announce_qs(rand_hash(), peer_id(1), 6205), "y" * 20000)).encode(), timeout=10)
    check("http 20 KB header -> 431", st == 431, st)
    hdrs = "".join("X-H%d: v\r\n" % i for i in range(2000))
    st, h, body, _ = raw_http(H, P, ("GET /announce?%s HTTP/1.1\r\nHost: x\r\n%s\r\n"
                                     % (announce_qs(rand_hash(), peer_id(1), 6205), hdrs)).encode(), timeout=10)
    check("http 2000 headers -> 431", st == 431, st)
    # raw bytes > 0x7f in the request line (some old clients do not escape)
    raw_ih = bytes(range(0x80, 0x94))
    req = b"GET /announce?info_hash=" + raw_ih + b"&peer_id=" + q(peer_id(1)).encode() + b"&port=6300 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    st, h, body, _ = raw_http(H, P, req)
    info("raw 8-bit info_hash -> %s %r" % (st, body[:80]))
    check("http raw 8-bit hash: answered (200 ok/failure or 400)", st in (200, 400), st)
    if st == 200:
        st2, h2, body2 = A(srv, "/scrape?info_hash=" + q(raw_ih))
        d = bdecode(body2)
        okay = b"failure reason" in bdecode(body) or d[b"files"][raw_ih][b"incomplete"] == 1
        check("http raw 8-bit hash: either refused or same torrent as escaped", okay, (bdecode(body), d))
    # control char / space in URI
    st, h, body, _ = raw_http(H, P, b"GET /announce?a=b c HTTP/1.1\r\nHost: x\r\n\r\n")
    check("http space in request target -> 400", st == 400, st)
    st, h, body, _ = raw_http(H, P, b"GARBAGE\r\n\r\n")
    check("http garbage request line -> 400", st == 400, st)
    st, h, body, _ = raw_http(H, P, b"GET /announce HTTP/9.9\r\nHost: x\r\n\r\n")
    info("HTTP/9.9 -> %s" % st)
    check("http bogus version -> 400/505", st in (400, 505), st)

    # ---- keep-alive and pipelining
    s = Sock(H, P)
    n_ok = 0
    for i in range(5):
        s.sendall(("GET /announce?%s HTTP/1.1\r\nHost: x\r\n\r\n" % announce_qs(rand_hash(), peer_id(i), 6400 + i)).encode())
        st, h, body, _ = recv_response(s)
        n_ok += st == 200 and b"peers" in body
    check("http/1.1 keep-alive: 5 requests on one connection", n_ok == 5, n_ok)
    check("http/1.1 keep-alive: connection still open", not s.is_closed(0.5))
    s.close()
    s = Sock(H, P)
    s.sendall(("GET /announce?%s HTTP/1.0\r\nHost: x\r\n\r\n" % announce_qs(rand_hash(), peer_id(1), 6410)).encode())
    st, h, body, _ = recv_response(s)
    check("http/1.0 without keep-alive: answered", st == 200, st)
    check("http/1.0 without keep-alive: response is HTTP/1.0 or closes", s.is_closed(2.0), h)
    s.close()
    s = Sock(H, P)
    for i in range(3):
        s.sendall(("GET /announce?%s HTTP/1.0\r\nHost: x\r\nConnection: keep-alive\r\n\r\n"
                   % announce_qs(rand_hash(), peer_id(i), 6420 + i)).encode())
        st, h, body, raw = recv_response(s)
        check("http/1.0 keep-alive req %d ok" % i, st == 200 and "keep-alive" in ",".join(h.get("connection", [])).lower(),
              raw)
    s.close()
    s = Sock(H, P)
    s.sendall(("GET /announce?%s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n" % announce_qs(rand_hash(), peer_id(1), 6430)).encode())
    st, h, body, _ = recv_response(s)
    check("http/1.1 Connection: close honoured", st == 200 and s.is_closed(2.0), h)
    s.close()
    # pipelined: 20 requests in one write, mixing announce, scrape, 404 and error
    s = Sock(H, P, timeout=10)
    reqs = []
    kinds = []
    for i in range(20):
        if i % 4 == 0:
            t = "/announce?" + announce_qs(rand_hash(), peer_id(i), 6500 + i)
            kinds.append("ann")
        elif i % 4 == 1:
            t = "/scrape?info_hash=" + q(ih)
            kinds.append("scr")
        elif i % 4 == 2:
            t = "/nope"
            kinds.append("404")
        else:
            t = "/announce?port=1"
            kinds.append("fail")
        reqs.append("GET %s HTTP/1.1\r\nHost: x\r\nX-Seq: %d\r\n\r\n" % (t, i))
    s.sendall("".join(reqs).encode())
    got = []
    try:
        for i in range(20):
            st, h, body, _ = recv_response(s, timeout=10)
            got.append((st, body[:30]))
    except Exception as e:
        info("pipelining stopped after %d responses: %s" % (len(got), e))
    ok = len(got) == 20
    for k, (st, body) in zip(kinds, got):
        if k == "ann":
            ok &= st == 200 and body.startswith(b"d8:complete")
        elif k == "scr":
            ok &= st == 200 and body.startswith(b"d5:files")
        elif k == "404":
            ok &= st == 404
        else:
            ok &= st == 200 and b"failure reason" in body
    check("http pipelining: 20 mixed requests answered in order", ok, got)
    s.close()
    # pipelining with a full scrape first (async) then announces
    # (rate limit used above; go via a fresh server in run_fullscrape)

    # ---- slowloris partial request then close: server must survive
    for i in range(20):
        s = Sock(H, P)
        s.sendall(b"GET /announce?info_hash=")
        s.close()
    s = Sock(H, P)
    s.sendall(b"GET /annou")
    time.sleep(0.3)
    s.sendall(b"nce?" + announce_qs(rand_hash(), peer_id(1), 6600).encode() + b" HTTP/1.1\r\nHo")
    time.sleep(0.3)
    s.sendall(b"st: x\r\nConnection: close\r\n\r\n")
    st, h, body, _ = recv_response(s)
    check("http request split over 3 slow writes works", st == 200, st)
    s.close()
    check("server alive after HTTP probes", srv.alive())


def run_fullscrape():
    with Server("--full-scrape-rate", "100/1s", "--full-scrape-refresh", "1s", name="fs") as srv:
        hs = [rand_hash() for _ in range(30)]
        for i, x in enumerate(hs):
            http_announce(srv, x, peer_id(i), 7000 + i, left=(0 if i % 2 else 5))
        time.sleep(1.2)
        st, h, body = A(srv, "/scrape")
        check("full scrape plain status 200", st == 200, st)
        check("full scrape plain has no Content-Encoding", "content-encoding" not in h, h)
        try:
            d = bdecode(body)
            files = d[b"files"]
            check("full scrape plain has all 30 torrents", set(files) == set(hs), len(files))
            check("full scrape counts right", all(files[x] == ({b"complete": 1, b"downloaded": 0, b"incomplete": 0} if i % 2
                                                            else {b"complete": 0, b"downloaded": 0, b"incomplete": 1})
                                                 for i, x in enumerate(hs)), list(files.values())[:3])
        except BError as e:
            check("full scrape plain strict bdecode", False, e)
        st, h, body = A(srv, "/scrape", headers={"Accept-Encoding": "deflate, gzip;q=1.0, *;q=0.5"})
        check("full scrape gzip via list header", st == 200 and h.get("content-encoding") == ["gzip"], h)
        st, h, body = A(srv, "/scrape", headers={"Accept-Encoding": "identity"})
        check("full scrape identity -> no gzip", st == 200 and "content-encoding" not in h, h)
        st, h, body = A(srv, "/scrape", headers={"Accept-Encoding": "gzip;q=0"})
        check("full scrape 'gzip;q=0' (gzip refused) -> not gzip", "content-encoding" not in h, h.get("content-encoding"))
        check("full scrape has Vary: Accept-Encoding", any("accept-encoding" in v.lower() for v in h.get("vary", [])), h)
        # pipelined full scrape (async) followed by announce + 404: order must hold
        s = Sock(srv.host, srv.port, timeout=10)
        s.sendall(b"GET /scrape HTTP/1.1\r\nHost: x\r\n\r\n" +
                  ("GET /announce?%s HTTP/1.1\r\nHost: x\r\n\r\n" % announce_qs(hs[0], peer_id(99), 7999)).encode() +
                  b"GET /zzz HTTP/1.1\r\nHost: x\r\n\r\n")
        r = [recv_response(s, 10)[0:3] for _ in range(3)]
        check("pipelined full-scrape, announce, 404 in order",
              r[0][0] == 200 and r[0][2].startswith(b"d5:files") and r[1][2].startswith(b"d8:complete") and r[2][0] == 404,
              [(x[0], x[2][:20]) for x in r])
        s.close()
        # ::1 not bound on this server; check the 429 per-client, and that announces are not limited
        st, h, body = A(srv, "/scrape?foo=bar")
        check("/scrape?foo=bar -> full scrape", st == 200 and body.startswith(b"d5:files"), (st, body[:40]))
    with Server("--full-scrape", "off", name="fsoff") as srv:
        st, h, body = A(srv, "/scrape")
        expect_failure("full scrape off", st, h, body, b"disabled")


def run_v6():
    with Server(bind="::1", name="http6") as srv:
        ih = rand_hash()
        http_announce(srv, ih, peer_id(1), 8001)
        st, h, body = http_announce(srv, ih, peer_id(2), 8002)
        d = expect_bencoded_ok("http over ::1", st, h, body)
        if d:
            check("http over ::1: peers6 has ::1:8001", compact_peers(d.get(b"peers6", b""), True) == [("::1", 8001)], d)
            check("http over ::1: peers empty string", d.get(b"peers") == b"", d)
        st, h, body = http_announce(srv, ih, peer_id(3), 8003, compact=0)
        d = bdecode(body)
        check("http over ::1 compact=0: ip text ::1", sorted((p[b"ip"], p[b"port"]) for p in d[b"peers"]) ==
              [(b"::1", 8001), (b"::1", 8002)], d)


if __name__ == "__main__":
    with Server(name="http") as srv:
        main(srv)
    run_fullscrape()
    run_v6()
    sys.exit(summary())
