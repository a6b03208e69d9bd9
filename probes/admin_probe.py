"""Admin port: /healthz, /readyz, /metrics (Prometheus text, counters consistent), /stats JSON."""
import json
import os
import re
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lib import *  # noqa

LINE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)( -?\d+)?$')
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"(,|$)')


def parse_prom(text):
    """Strict-ish text format 0.0.4 parser; returns (samples{(name,labels)->value}, types{name->type}, errors)."""
    errors = []
    types = {}
    samples = {}
    seen_family = []
    for n, line in enumerate(text.split("\n")):
        if line == "":
            continue
        if line.startswith("# HELP "):
            continue
        if line.startswith("# TYPE "):
            parts = line.split()
            if len(parts) != 4 or parts[3] not in ("counter", "gauge", "histogram", "summary", "untyped"):
                errors.append("bad TYPE line %d: %r" % (n, line))
                continue
            if parts[2] in types:
                errors.append("TYPE repeated for %s" % parts[2])
            types[parts[2]] = parts[3]
            seen_family.append(parts[2])
            continue
        if line.startswith("#"):
            continue
        m = LINE.match(line)
        if not m:
            errors.append("bad sample line %d: %r" % (n, line))
            continue
        name, _, lab, val, _ = m.groups()
        labels = ()
        if lab:
            pos = 0
            got = []
            while pos < len(lab):
                lm = LABEL.match(lab, pos)
                if not lm:
                    errors.append("bad labels %r" % lab)
                    break
                got.append((lm.group(1), lm.group(2)))
                pos = lm.end()
            labels = tuple(sorted(got))
        try:
            v = float(val)
        except ValueError:
            errors.append("bad value %r" % line)
            continue
        key = (name, labels)
        if key in samples:
            errors.append("duplicate sample %r" % (key,))
        samples[key] = v
    # histogram sanity
    for fam, t in types.items():
        if t != "histogram":
            continue
        groups = {}
        for (name, labels), v in samples.items():
            if name == fam + "_bucket":
                rest = tuple(l for l in labels if l[0] != "le")
                le = dict(labels)["le"]
                groups.setdefault(rest, []).append((float("inf") if le == "+Inf" else float(le), v))
        for rest, buckets in groups.items():
            buckets.sort()
            vals = [v for _, v in buckets]
            if vals != sorted(vals):
                errors.append("non-monotonic buckets %s %r" % (fam, rest))
            if buckets[-1][0] != float("inf"):
                errors.append("no +Inf bucket %s" % fam)
            cnt = samples.get((fam + "_count", rest))
            if cnt is None or cnt != buckets[-1][1]:
                errors.append("+Inf != _count for %s %r (%s vs %s)" % (fam, rest, buckets[-1][1], cnt))
    return samples, types, errors


def counters(srv):
    st, h, body = admin_get(srv, "/metrics")
    samples, types, errors = parse_prom(body.decode())
    c = {}
    for (name, labels), v in samples.items():
        if name == "shoal_requests_total":
            d = dict(labels)
            c[(d["protocol"], d["kind"], d["result"])] = v
    return c, samples, types, errors


def delta(a, b):
    return {k: b.get(k, 0) - a.get(k, 0) for k in set(a) | set(b) if b.get(k, 0) != a.get(k, 0)}


def main():
    with Server(name="admin") as srv:
        for path, st_want, body_want in (("/healthz", 200, None), ("/readyz", 200, None)):
            st, h, body = admin_get(srv, path)
            check("admin %s -> %d" % (path, st_want), st == st_want, (st, body))
        for path in ("/", "/nope", "/metrics/", "/healthz/x", "/stats.json", "/../etc/passwd"):
            st, h, body = admin_get(srv, path)
            check("admin unknown %s -> 404" % path, st == 404, st)
        st, h, body = admin_get(srv, "/healthz", method="HEAD")
        check("admin HEAD /healthz -> 200 no body", st == 200, st)
        st, h, body, _ = get(srv.host, srv.admin, "/healthz", method="POST")
        check("admin POST -> 405", st == 405, st)
        st, h, body = admin_get(srv, "/healthz?x=1")
        check("admin /healthz?x=1 -> 200", st == 200, st)

        st, h, body = admin_get(srv, "/metrics")
        check("admin /metrics 200", st == 200, st)
        ct = h.get("content-type", [""])[0]
        check("admin /metrics content-type text/plain version=0.0.4", "text/plain" in ct and "0.0.4" in ct, ct)
        samples, types, errors = parse_prom(body.decode())
        check("admin /metrics parses strictly", not errors, errors[:5])
        check("admin /metrics shoal_requests_total is counter", types.get("shoal_requests_total") == "counter", types.get("shoal_requests_total"))
        for g in ("shoal_torrents", "shoal_peers", "shoal_seeders", "shoal_leechers"):
            check("admin /metrics has gauge %s" % g, types.get(g) == "gauge", types.get(g))
        check("admin /metrics has duration histogram",
              any(t == "histogram" and n.startswith("shoal_request_duration") for n, t in types.items()),
              [n for n in types if "duration" in n])

        st, h, body = admin_get(srv, "/stats")
        check("admin /stats 200 application/json", st == 200 and "application/json" in h.get("content-type", [""])[0], h)
        s0 = json.loads(body)
        for k in ("torrents", "peers", "seeders", "leechers", "requests"):
            check("admin /stats has %s" % k, k in s0, list(s0))
        c0, _, _, _ = counters(srv)

        # ---- traffic with known composition
        u = Udp(srv)
        for _ in range(3):
            u.connect()
        ihs = [rand_hash() for _ in range(4)]
        n_ann = 0
        for i, ih in enumerate(ihs):
            for j in range(3):
                u.announce(ih, peer_id(j), 30000 + j, left=0 if j == 0 else 7)
                n_ann += 1
        u.scrape(ihs)
        u.scrape(ihs[:1])
        u.announce(ihs[0], peer_id(1), 1, cid=u.cid ^ 5)  # dropped
        u.send(b"x" * 10)  # dropped invalid (too short)
        u.xchg(struct.pack(">QII", u.cid, 9, 1))  # error invalid
        time.sleep(0.3)
        for i in range(2):
            http_announce(srv, ihs[0], peer_id(10 + i), 31000 + i, left=3)
        get(srv.host, srv.port, "/announce?port=1")  # error
        get(srv.host, srv.port, "/scrape?info_hash=" + q(ihs[1]))
        get(srv.host, srv.port, "/scrape")  # full scrape
        get(srv.host, srv.port, "/scrape")  # refused (rate limit)
        get(srv.host, srv.port, "/nothing")  # invalid
        time.sleep(0.5)
        c1, samples, types, errors = counters(srv)
        d = delta(c0, c1)
        want = {("udp", "connect", "ok"): 3, ("udp", "announce", "ok"): n_ann, ("udp", "scrape", "ok"): 2,
                ("udp", "announce", "dropped"): 1, ("udp", "invalid", "dropped"): 1, ("udp", "invalid", "error"): 1,
                ("http", "announce", "ok"): 2, ("http", "announce", "error"): 1, ("http", "scrape", "ok"): 1,
                ("http", "full_scrape", "ok"): 1, ("http", "full_scrape", "refused"): 1, ("http", "invalid", "error"): 1}
        check("metrics request counters match traffic exactly", d == want,
              {"extra/missing": {k: (d.get(k), want.get(k)) for k in set(d) | set(want) if d.get(k) != want.get(k)}})
        s1 = stats(srv)
        check("/stats torrents == 4", s1["torrents"] == 4, s1)
        check("/stats peers == 14 (12 udp + 2 http)", s1["peers"] == 14, s1)
        check("/stats seeders == 4, leechers == 10", s1["seeders"] == 4 and s1["leechers"] == 10, s1)
        g = lambda n: samples.get((n, ()))
        check("/metrics gauges == /stats", (g("shoal_torrents"), g("shoal_peers"), g("shoal_seeders"), g("shoal_leechers"))
              == (s1["torrents"], s1["peers"], s1["seeders"], s1["leechers"]),
              (g("shoal_torrents"), g("shoal_peers"), s1))
        flat = {}
        for p, kinds in s1["requests"].items():
            for k, res in kinds.items():
                for r, v in res.items():
                    flat[(p, k, r)] = v
        c2, _, _, _ = counters(srv)
        check("/stats request counts == /metrics counters", all(flat.get(k, 0) == v for k, v in c2.items())
              and all(c2.get(k, 0) == v for k, v in flat.items()),
              {k: (flat.get(k), c2.get(k)) for k in set(flat) | set(c2) if flat.get(k) != c2.get(k)})
        # timer counts consistent with counters for ok results
        dur_cnt = {}
        for (name, labels), v in samples.items():
            if name == "shoal_request_duration_seconds_count":
                d_ = dict(labels)
                dur_cnt[(d_["protocol"], d_["kind"])] = v
        info("duration counts: %s" % dur_cnt)
        # stop everyone -> torrents 0
        for ih in ihs:
            for j in range(3):
                u.announce(ih, peer_id(j), 30000 + j, event=3)
        for i in range(2):
            http_announce(srv, ihs[0], peer_id(10 + i), 31000 + i, event="stopped")
        s2 = stats(srv)
        check("/stats after all stopped: 0 torrents, 0 peers", (s2["torrents"], s2["peers"], s2["seeders"], s2["leechers"])
              == (0, 0, 0, 0), s2)
        # keep-alive on admin
        s = Sock(srv.host, srv.admin)
        okc = 0
        for i in range(3):
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            st, h, body, _ = recv_response(s)
            okc += st == 200
        check("admin keep-alive 3 requests", okc == 3, okc)
        s.close()
        st, h, body, _ = raw_http(srv.host, srv.admin, b"GET /" + b"a" * 10000 + b" HTTP/1.1\r\nHost: x\r\n\r\n")
        check("admin long line -> 414/400", st in (400, 414), st)
        st, h, body, _ = raw_http(srv.host, srv.admin, b"GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc")
        info("admin GET with body -> %s" % st)
        check("server alive", srv.alive())
        u.close()


if __name__ == "__main__":
    main()
    sys.exit(summary())
