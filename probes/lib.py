"""Shared helpers for black-box probes of the shard tracker (stdlib only).

Everything talks to loopback only; every loop is bounded.
"""
import json
import os
import random
import re
import socket
import struct
import subprocess
import sys
import time
import urllib.parse

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
JAR = os.path.join(ROOT, "tracker-shard", "target", "shoal-tracker.jar")
PROTOCOL_ID = 0x41727101980

RESULTS = []


def check(name, ok, detail=""):
    RESULTS.append((name, bool(ok), detail))
    print(("PASS " if ok else "FAIL ") + name + ("" if ok else "  :: " + str(detail)[:600]), flush=True)
    return ok


def info(msg):
    print("INFO " + msg, flush=True)


def summary():
    fails = [r for r in RESULTS if not r[1]]
    print("\n==== %d checks, %d failed" % (len(RESULTS), len(fails)))
    for name, _, detail in fails:
        print("  FAIL %s :: %s" % (name, str(detail)[:300]))
    return 1 if fails else 0


# ---------------------------------------------------------------- bencode (strict)

class BError(ValueError):
    pass


def bdecode(data):
    """Strict: canonical ints, sorted unique dict keys, no trailing bytes. Dict keys are bytes."""
    def val(i, depth):
        if depth > 64:
            raise BError("too deep")
        if i >= len(data):
            raise BError("truncated at %d" % i)
        c = data[i:i + 1]
        if c == b"i":
            j = data.index(b"e", i)
            s = data[i + 1:j]
            if not re.fullmatch(rb"-?[0-9]+", s) or s.startswith(b"-0") or (len(s) > 1 and s.startswith(b"0")):
                raise BError("non-canonical int %r" % s)
            return int(s), j + 1
        if c.isdigit():
            j = data.index(b":", i)
            s = data[i:j]
            if len(s) > 1 and s.startswith(b"0"):
                raise BError("non-canonical length")
            n = int(s)
            if j + 1 + n > len(data):
                raise BError("string overruns")
            return data[j + 1:j + 1 + n], j + 1 + n
        if c == b"l":
            out = []
            i += 1
            while True:
                if i >= len(data):
                    raise BError("truncated list")
                if data[i:i + 1] == b"e":
                    return out, i + 1
                v, i = val(i, depth + 1)
                out.append(v)
        if c == b"d":
            out = {}
            i += 1
            prev = None
            while True:
                if i >= len(data):
                    raise BError("truncated dict")
                if data[i:i + 1] == b"e":
                    return out, i + 1
                if not data[i:i + 1].isdigit():
                    raise BError("dict key not a string")
                k, i = val(i, depth + 1)
                if prev is not None and not (prev < k):
                    raise BError("dict keys unsorted/repeated: %r then %r" % (prev, k))
                prev = k
                v, i = val(i, depth + 1)
                out[k] = v
        raise BError("unexpected byte %r at %d" % (c, i))
    try:
        v, end = val(0, 0)
    except (IndexError, ValueError) as e:
        raise BError(str(e))
    if end != len(data):
        raise BError("trailing bytes (%d of %d used)" % (end, len(data)))
    return v


# ---------------------------------------------------------------- server process

def free_port():
    for _ in range(200):
        p = random.randint(20000, 30000)
        ok = True
        for fam, typ in ((socket.AF_INET, socket.SOCK_STREAM), (socket.AF_INET, socket.SOCK_DGRAM),
                         (socket.AF_INET6, socket.SOCK_STREAM), (socket.AF_INET6, socket.SOCK_DGRAM)):
            s = socket.socket(fam, typ)
            try:
                s.bind(("::1" if fam == socket.AF_INET6 else "127.0.0.1", p))
            except OSError:
                ok = False
            finally:
                s.close()
        if ok:
            return p
    raise RuntimeError("no free port")


class Server:
    def __init__(self, *extra, bind="127.0.0.1", env=None, name="srv"):
        self.port = free_port()
        self.admin = free_port()
        while self.admin == self.port:
            self.admin = free_port()
        self.bind = bind
        args = ["java", "-Xmx256m", "-jar", JAR, "shard", "--port", str(self.port), "--admin-port", str(self.admin)]
        if bind is not None:
            args += ["--bind", bind]
        args += list(extra)
        self.args = args
        self.log_path = "/tmp/shoal-probe-%s-%d.log" % (name, self.port)
        self.log = open(self.log_path, "wb")
        e = dict(os.environ)
        if env:
            e.update(env)
        self.proc = subprocess.Popen(args, stdout=self.log, stderr=subprocess.STDOUT, env=e)
        self.host = "::1" if bind == "::1" else "127.0.0.1"
        self.wait_ready()

    def wait_ready(self, timeout=30):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("server exited %s: %s" % (self.proc.returncode, open(self.log_path).read()[-2000:]))
            try:
                st, _, _ = admin_get(self, "/readyz")
                if st == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError("server not ready")

    def alive(self):
        return self.proc.poll() is None

    def rss_kb(self):
        try:
            for line in open("/proc/%d/status" % self.proc.pid):
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        except OSError:
            return -1
        return -1

    def logtext(self):
        self.log.flush()
        return open(self.log_path, errors="replace").read()

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self.log.close()

    def __enter__(self):
        return self

    def __exit__(self, *a):
        self.stop()


# ---------------------------------------------------------------- raw HTTP

def recv_response(sock, timeout=5.0, head=False):
    """Reads one HTTP/1.x response (Content-Length bodies or until close). Returns (status, headers, body, raw_head)."""
    sock.settimeout(timeout)
    buf = getattr(sock, "_pending", b"")
    sock._pending = b""
    while b"\r\n\r\n" not in buf:
        chunk = sock.recv(65536)
        if not chunk:
            if not buf:
                raise ConnectionError("closed before response")
            raise ConnectionError("closed mid-headers: %r" % buf[:200])
        buf += chunk
    hend = buf.index(b"\r\n\r\n")
    raw_head = buf[:hend].decode("latin-1")
    rest = buf[hend + 4:]
    lines = raw_head.split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for l in lines[1:]:
        k, _, v = l.partition(":")
        headers.setdefault(k.strip().lower(), []).append(v.strip())
    if head:
        sock._pending = rest
        return status, headers, b"", raw_head
    if "content-length" in headers:
        n = int(headers["content-length"][0])
        while len(rest) < n:
            chunk = sock.recv(65536)
            if not chunk:
                raise ConnectionError("closed mid-body (%d/%d)" % (len(rest), n))
            rest += chunk
        body, rest = rest[:n], rest[n:]
    elif "chunked" in ",".join(headers.get("transfer-encoding", [])):
        raise ConnectionError("chunked not expected")
    else:
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            rest += chunk
        body, rest = rest, b""
    sock._pending = rest
    return status, headers, body, raw_head


class Sock:
    """socket wrapper that can carry pending bytes between responses."""
    def __init__(self, host, port, timeout=5.0, source=None):
        fam = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.s = socket.socket(fam, socket.SOCK_STREAM)
        self.s.settimeout(timeout)
        if source:
            self.s.bind((source, 0))
        self.s.connect((host, port))
        self._pending = b""

    def settimeout(self, t):
        self.s.settimeout(t)

    def recv(self, n):
        if self._pending:
            p, self._pending = self._pending, b""
            return p
        return self.s.recv(n)

    def sendall(self, b):
        self.s.sendall(b)

    def close(self):
        self.s.close()

    def is_closed(self, wait=1.0):
        """True when the peer closed (EOF/RST) within `wait` seconds."""
        if self._pending:
            return False
        self.s.settimeout(wait)
        try:
            d = self.s.recv(1)
            if d:
                self._pending = d
                return False
            return True
        except socket.timeout:
            return False
        except OSError:
            return True


def raw_http(host, port, data, timeout=5.0, head=False):
    s = Sock(host, port, timeout)
    try:
        s.sendall(data)
        return recv_response(s, timeout, head=head)
    finally:
        s.close()


def get(host, port, target, headers=None, version="HTTP/1.1", method="GET", timeout=5.0):
    h = {"Host": "%s:%d" % (host if ":" not in host else "[%s]" % host, port), "Connection": "close"}
    if headers:
        h.update(headers)
    req = "%s %s %s\r\n" % (method, target, version) + "".join("%s: %s\r\n" % kv for kv in h.items()) + "\r\n"
    return raw_http(host, port, req.encode("latin-1"), timeout, head=(method == "HEAD"))


def admin_get(srv, path, method="GET"):
    st, h, body, _ = get(srv.host, srv.admin, path, method=method, timeout=5)
    return st, h, body


def stats(srv):
    st, h, body = admin_get(srv, "/stats")
    return json.loads(body)


def metrics(srv):
    st, h, body = admin_get(srv, "/metrics")
    out = {}
    for line in body.decode().splitlines():
        if not line or line.startswith("#"):
            continue
        m = re.fullmatch(r'([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)(\s+\d+)?', line)
        if not m:
            raise ValueError("bad metrics line: %r" % line)
        out[m.group(1) + (m.group(2) or "")] = float(m.group(3))
    return out


def req_count(m, proto, kind, result):
    key = 'shoal_requests_total{kind="%s",protocol="%s",result="%s"}' % (kind, proto, result)
    return m.get(key, 0.0)


def q(b):
    """Percent-encode every byte (binary-safe)."""
    return "".join("%%%02X" % x for x in b)


def announce_qs(info_hash, peer_id, port, left=100, event=None, numwant=None, compact=None, extra=""):
    parts = ["info_hash=" + q(info_hash), "peer_id=" + q(peer_id), "port=%d" % port,
             "uploaded=0", "downloaded=0", "left=%d" % left]
    if event:
        parts.append("event=" + event)
    if numwant is not None:
        parts.append("numwant=%d" % numwant)
    if compact is not None:
        parts.append("compact=%s" % compact)
    s = "&".join(parts)
    if extra:
        s += "&" + extra
    return s


def http_announce(srv, info_hash, peer_id, port, host=None, path="/announce", **kw):
    host = host or srv.host
    st, h, body, _ = get(host, srv.port, path + "?" + announce_qs(info_hash, peer_id, port, **kw))
    return st, h, body


def rand_hash():
    return os.urandom(20)


def peer_id(n=None):
    if n is None:
        return b"-PR0001-" + os.urandom(12)
    return b"-PR0001-" + ("%012d" % n).encode()


# ---------------------------------------------------------------- UDP

class Udp:
    def __init__(self, srv_or_addr, family=None, timeout=1.0):
        if isinstance(srv_or_addr, Server):
            self.addr = (srv_or_addr.host, srv_or_addr.port)
        else:
            self.addr = srv_or_addr
        fam = socket.AF_INET6 if ":" in self.addr[0] else socket.AF_INET
        self.s = socket.socket(fam, socket.SOCK_DGRAM)
        self.s.bind((self.addr[0], 0))
        self.s.settimeout(timeout)
        self.cid = None

    def send(self, data):
        self.s.sendto(data, self.addr)

    def recv(self, timeout=1.0):
        self.s.settimeout(timeout)
        try:
            d, _ = self.s.recvfrom(70000)
            return d
        except socket.timeout:
            return None

    def xchg(self, data, timeout=1.0):
        self.drain()
        self.send(data)
        return self.recv(timeout)

    def drain(self):
        self.s.settimeout(0.0)
        try:
            while True:
                self.s.recvfrom(70000)
        except (BlockingIOError, socket.timeout, OSError):
            pass

    def connect(self):
        tx = random.getrandbits(32)
        r = self.xchg(struct.pack(">QII", PROTOCOL_ID, 0, tx))
        if r is None or len(r) != 16:
            raise RuntimeError("bad connect reply %r" % r)
        a, t, cid = struct.unpack(">IIQ", r)
        assert a == 0 and t == tx
        self.cid = cid
        return cid

    def announce_packet(self, info_hash, peer_id, port, left=100, event=0, numwant=-1, key=0, tx=None, cid=None,
                        downloaded=0, uploaded=0, ip=0):
        tx = random.getrandbits(32) if tx is None else tx
        cid = self.cid if cid is None else cid
        return struct.pack(">QII20s20sQQQIIIiH", cid, 1, tx, info_hash, peer_id, downloaded, left, uploaded, event,
                           ip, key, numwant, port), tx

    def announce(self, info_hash, peer_id, port, tail=b"", **kw):
        pkt, tx = self.announce_packet(info_hash, peer_id, port, **kw)
        r = self.xchg(pkt + tail)
        return r, tx

    def scrape(self, hashes, tx=None, cid=None):
        tx = random.getrandbits(32) if tx is None else tx
        cid = self.cid if cid is None else cid
        r = self.xchg(struct.pack(">QII", cid, 2, tx) + b"".join(hashes))
        return r, tx

    def close(self):
        self.s.close()


def parse_udp_announce(r, v6=False):
    action, tx, interval, leechers, seeders = struct.unpack(">IIIII", r[:20])
    step = 18 if v6 else 6
    peers = []
    body = r[20:]
    for i in range(0, len(body) - len(body) % step, step):
        ip = socket.inet_ntop(socket.AF_INET6 if v6 else socket.AF_INET, body[i:i + step - 2])
        port = struct.unpack(">H", body[i + step - 2:i + step])[0]
        peers.append((ip, port))
    return dict(action=action, tx=tx, interval=interval, leechers=leechers, seeders=seeders, peers=peers,
                rem=len(body) % step)


def compact_peers(b, v6=False):
    step = 18 if v6 else 6
    out = []
    for i in range(0, len(b), step):
        ip = socket.inet_ntop(socket.AF_INET6 if v6 else socket.AF_INET, b[i:i + step - 2])
        out.append((ip, struct.unpack(">H", b[i + step - 2:i + step])[0]))
    return out
