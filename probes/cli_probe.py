"""CLI: --help completeness, env vars, bad values -> clear error + non-zero exit."""
import os
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lib import *  # noqa

FLAGS = ["--bind", "--port", "--admin-port", "--interval", "--min-interval", "--peer-ttl", "--numwant-default",
         "--numwant-max", "--access-list", "--access-mode", "--connection-id-key-file", "--connection-id-grace",
         "--max-torrents", "--max-peers", "--full-scrape", "--full-scrape-refresh", "--full-scrape-rate", "--threads",
         "--http-idle-timeout", "--transport"]


def run(args, env=None, timeout=20):
    e = dict(os.environ)
    if env:
        e.update(env)
    p = subprocess.run(["java", "-Xmx128m", "-jar", JAR] + args, capture_output=True, text=True, env=e, timeout=timeout)
    return p.returncode, p.stdout, p.stderr


def starts(args, env=None, wait=8):
    """Starts, returns (rc or None if still running after `wait`, output)."""
    e = dict(os.environ)
    if env:
        e.update(env)
    p = subprocess.Popen(["java", "-Xmx128m", "-jar", JAR] + args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         text=True, env=e)
    try:
        out, _ = p.communicate(timeout=wait)
        return p.returncode, out
    except subprocess.TimeoutExpired:
        p.terminate()
        out, _ = p.communicate(timeout=10)
        return None, out


def main():
    rc, out, err = run(["shard", "--help"])
    check("cli shard --help exit 0", rc == 0, rc)
    for f in FLAGS:
        m = re.search(r"(?m)^\s{2,8}" + re.escape(f) + r"=\S+\s+(.*?)(?=\n\s{2,8}-|\n\n|\Z)", out, re.S)
        text = m.group(1) if m else ""
        check("cli --help mentions %s" % f, f in out)
        check("cli --help %s has a default" % f, "Default" in text, text[:200])
        env = "SHOAL_" + f[2:].upper().replace("-", "_")
        check("cli --help %s names env %s" % (f, env), env in re.sub(r"\s+", "", text), text[:200])
    rc, out, err = run(["--version"])
    check("cli --version exit 0 and prints something", rc == 0 and out.strip(), (rc, out, err))
    rc, out, err = run([])
    check("cli no subcommand -> non-zero", rc != 0, rc)

    bad = [
        (["--port", "abc"], "port"),
        (["--port", "70000"], "port"),
        (["--port", "-1"], "port"),
        (["--admin-port", "99999"], "port"),
        (["--interval", "0"], "interval"),
        (["--interval", "5x"], "unit"),
        (["--interval", "-5s"], "duration"),
        (["--interval", "1.5s"], ""),
        (["--peer-ttl", "10m"], "TTL"),  # shorter than interval 30m
        (["--min-interval", "1h"], "interval"),
        (["--numwant-default", "300"], "numwant"),
        (["--numwant-max", "-1"], "numwant"),
        (["--access-mode", "allow"], "access list"),
        (["--access-mode", "maybe"], "access-mode"),
        (["--full-scrape", "perhaps"], "on or off"),
        (["--full-scrape-rate", "abc"], "rate"),
        (["--full-scrape-rate", "0/10s"], ""),
        (["--full-scrape-rate", "-1/10s"], ""),
        (["--threads", "0"], "threads"),
        (["--max-torrents", "0"], "max"),
        (["--transport", "smoke"], "transport"),
        (["--bind", "not-a-host.invalid"], ""),
        (["--bogus-flag"], "bogus"),
        (["--connection-id-grace", "2h"], "grace"),
        (["--access-list", "/nonexistent/file"], "nonexistent"),
        (["--connection-id-key-file", "/nonexistent/key"], "key"),
        (["--http-idle-timeout", "0"], "idle"),
        (["--peer-ttl", "99999999999d"], ""),
        (["--full-scrape-refresh", "999999d"], ""),
    ]
    for args, word in bad:
        port = free_port()
        base = ["shard"]
        if "--bind" not in args:
            base += ["--bind", "127.0.0.1"]
        if "--port" not in args:
            base += ["--port", str(port)]
        if "--admin-port" not in args:
            base += ["--admin-port", str(free_port())]
        rc, out = starts(base + args)
        line = " | ".join(l for l in out.splitlines() if l.strip())[:300]
        check("cli bad %s -> non-zero exit" % " ".join(args), rc not in (None, 0), (rc, line))
        if rc not in (None, 0):
            check("cli bad %s -> message mentions %r, no stack trace" % (" ".join(args), word),
                  word.lower() in out.lower() and "\tat " not in out, line)
            info("  %s -> rc=%s: %s" % (" ".join(args), rc, line[:220]))
    rc, out = starts(["shard", "--bind", "127.0.0.1", "--port", str(free_port()), "--admin-port", str(free_port())],
                     env={"SHOAL_CONNECTION_ID_KEY": "nothex"})
    check("cli bad SHOAL_CONNECTION_ID_KEY -> non-zero, key not echoed", rc not in (None, 0) and "nothex" not in out, (rc, out[-300:]))
    rc, out = starts(["shard", "--bind", "127.0.0.1", "--admin-port", str(free_port())],
                     env={"SHOAL_PORT": "notanumber"})
    check("cli bad SHOAL_PORT -> non-zero with message", rc not in (None, 0) and "notanumber" in out, (rc, out[-300:]))
    info("  SHOAL_PORT=notanumber -> %s" % out.strip().splitlines()[:2])

    # env honoured
    p, a = free_port(), free_port()
    env = {"SHOAL_PORT": str(p), "SHOAL_ADMIN_PORT": str(a), "SHOAL_BIND": "127.0.0.1", "SHOAL_INTERVAL": "100s",
           "SHOAL_MIN_INTERVAL": "50s", "SHOAL_NUMWANT_DEFAULT": "3", "SHOAL_FULL_SCRAPE": "off",
           "SHOAL_CONNECTION_ID_KEY": "00112233445566778899aabbccddeeff"}
    e = dict(os.environ)
    e.update(env)
    proc = subprocess.Popen(["java", "-Xmx128m", "-jar", JAR, "shard"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=e)
    try:
        class S:
            host = "127.0.0.1"
            port = p
            admin = a
        ok = False
        for _ in range(100):
            try:
                if admin_get(S, "/readyz")[0] == 200:
                    ok = True
                    break
            except OSError:
                time.sleep(0.2)
        check("cli env SHOAL_PORT/SHOAL_ADMIN_PORT/SHOAL_BIND honoured", ok)
        if ok:
            ih = rand_hash()
            for i in range(6):
                get(S.host, S.port, "/announce?" + announce_qs(ih, peer_id(i), 100 + i))
            st, h, body = get(S.host, S.port, "/announce?" + announce_qs(ih, peer_id(9), 109))[:3]
            d = bdecode(body)
            check("cli env SHOAL_INTERVAL=100s honoured", d[b"interval"] in range(100, 106) and d[b"min interval"] == 50, d)
            check("cli env SHOAL_NUMWANT_DEFAULT=3 honoured", len(d[b"peers"]) == 18, len(d[b"peers"]))
            st, h, body = get(S.host, S.port, "/scrape")[:3]
            check("cli env SHOAL_FULL_SCRAPE=off honoured", b"disabled" in body, body)
            # connection id from the shared key: compute nothing, just see that connect works
            u = Udp((S.host, S.port))
            u.connect()
            check("cli env key: connect works", u.cid is not None)
            u.close()
        # flag beats env
    finally:
        proc.terminate()
        proc.wait(10)
    p2, a2 = free_port(), free_port()
    e = dict(os.environ)
    e.update({"SHOAL_PORT": "1", "SHOAL_ADMIN_PORT": str(a2)})
    proc = subprocess.Popen(["java", "-Xmx128m", "-jar", JAR, "shard", "--bind", "127.0.0.1", "--port", str(p2)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=e)
    try:
        class S2:
            host = "127.0.0.1"
            port = p2
            admin = a2
        ok = False
        for _ in range(100):
            try:
                if admin_get(S2, "/readyz")[0] == 200:
                    ok = True
                    break
            except OSError:
                time.sleep(0.2)
        check("cli flag --port overrides SHOAL_PORT", ok)
    finally:
        proc.terminate()
        proc.wait(10)
    # same port for tracker and admin
    pp = free_port()
    rc, out = starts(["shard", "--bind", "127.0.0.1", "--port", str(pp), "--admin-port", str(pp)])
    check("cli --port == --admin-port -> non-zero with message", rc not in (None, 0), (rc, out[-300:]))
    info("  same port -> rc=%s %s" % (rc, " | ".join(out.strip().splitlines()[-2:])[:300]))
    # SIGTERM exits promptly with 0/143
    pp, aa = free_port(), free_port()
    proc = subprocess.Popen(["java", "-Xmx128m", "-jar", JAR, "shard", "--bind", "127.0.0.1", "--port", str(pp),
                             "--admin-port", str(aa)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(4)
    t0 = time.time()
    proc.terminate()
    rc = proc.wait(15)
    check("cli SIGTERM stops within 10 s", time.time() - t0 < 10, time.time() - t0)
    info("  SIGTERM exit code %s" % rc)


if __name__ == "__main__":
    main()
    sys.exit(summary())
