#!/usr/bin/python3
"""Two real BitTorrent clients (libtorrent) that can only meet through a tracker.

Creates a random file, makes a v1 .torrent announcing to --tracker, starts a seeder session and a
downloader session on loopback with DHT, LSD, PEX (no default plugins, pex disabled per torrent),
UPnP and NAT-PMP off, waits (bounded) until the downloader is seeding and compares the SHA-256 of
the downloaded file with the original.

Exit status 0 when the download completed and matched; 1 when it did not (reason on stderr);
2 for bad arguments or a missing libtorrent. The last stdout line is a JSON summary.

Run with Debian's python (the one that has python3-libtorrent):
    /usr/bin/python3 swarm.py --tracker udp://127.0.0.1:6969/announce --workdir /tmp/swarm
With --prepare-only it just creates the file and the torrent and prints the infohash (hex), for
trackers that need the torrent listed first (opentracker's whitelist); a later run in the same
--workdir reuses them.
"""

import argparse
import hashlib
import json
import os
import sys
import time

try:
    import libtorrent as lt
except ImportError:  # pragma: no cover - depends on the machine
    sys.stderr.write("python3-libtorrent is not importable by %s\n" % sys.executable)
    sys.exit(2)

PIECE_SIZE = 64 * 1024
FILE_NAME = "payload.bin"
TORRENT_NAME = "payload.torrent"


def log(message):
    sys.stderr.write("swarm: %s\n" % message)
    sys.stderr.flush()


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def prepare(workdir, tracker, size_bytes):
    """Creates seed/payload.bin and payload.torrent unless they exist; returns the torrent's path."""
    seed_dir = os.path.join(workdir, "seed")
    os.makedirs(seed_dir, exist_ok=True)
    payload = os.path.join(seed_dir, FILE_NAME)
    torrent_path = os.path.join(workdir, TORRENT_NAME)
    if os.path.exists(payload) and os.path.exists(torrent_path):
        return torrent_path
    with open(payload, "wb") as f:
        f.write(os.urandom(size_bytes))
    fs = lt.file_storage()
    lt.add_files(fs, payload)
    # v1 only: a hybrid torrent would announce a second (truncated v2) infohash as well
    creator = lt.create_torrent(fs, PIECE_SIZE, lt.create_torrent.v1_only)
    creator.add_tracker(tracker)
    creator.set_creator("shoal e2e")
    lt.set_piece_hashes(creator, seed_dir)
    with open(torrent_path, "wb") as f:
        f.write(lt.bencode(creator.generate()))
    return torrent_path


def session():
    settings = {
        "listen_interfaces": "127.0.0.1:0",
        "enable_dht": False,
        "enable_lsd": False,
        "enable_upnp": False,
        "enable_natpmp": False,
        "enable_incoming_utp": False,
        "enable_outgoing_utp": False,
        "allow_multiple_connections_per_ip": True,
        "announce_to_all_trackers": True,
        "alert_mask": lt.alert.category_t.error_notification | lt.alert.category_t.tracker_notification
        | lt.alert.category_t.status_notification,
        "user_agent": "shoal-e2e/1.0",
    }
    # flags 0: no default plugins, so neither ut_pex nor ut_metadata can introduce peers
    return lt.session(settings, 0)


def add(ses, torrent_info, save_path, seeding):
    params = lt.add_torrent_params()
    params.ti = torrent_info
    params.save_path = save_path
    flags = lt.torrent_flags.disable_dht | lt.torrent_flags.disable_lsd | lt.torrent_flags.disable_pex
    if seeding:
        flags |= lt.torrent_flags.seed_mode
    params.flags = flags
    return ses.add_torrent(params)


class TrackerLog:
    """Collects tracker alerts of one session: replies (with peer counts) and errors."""

    def __init__(self, name):
        self.name = name
        self.replies = 0
        self.peers = 0
        self.errors = []

    def drain(self, ses):
        for alert in ses.pop_alerts():
            if isinstance(alert, lt.tracker_reply_alert):
                self.replies += 1
                self.peers += alert.num_peers
            elif isinstance(alert, lt.tracker_error_alert):
                self.errors.append(alert.message())
            elif isinstance(alert, lt.tracker_warning_alert):
                self.errors.append("warning: " + alert.message())


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tracker", required=True, help="announce URL (http://.../announce or udp://...)")
    parser.add_argument("--workdir", required=True, help="directory for the file, torrent and download")
    parser.add_argument("--size-mib", type=float, default=3.0, help="size of the random file (default 3)")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for the download (default 60)")
    parser.add_argument("--prepare-only", action="store_true", help="create file and torrent, print the infohash")
    args = parser.parse_args()
    if not 0 < args.size_mib <= 64:
        parser.error("--size-mib must be in (0, 64]")

    os.makedirs(args.workdir, exist_ok=True)
    torrent_path = prepare(args.workdir, args.tracker, int(args.size_mib * 1024 * 1024))
    info = lt.torrent_info(torrent_path)
    infohash = str(info.info_hashes().v1)
    if args.prepare_only:
        print(infohash)
        return 0

    original = os.path.join(args.workdir, "seed", FILE_NAME)
    download_dir = os.path.join(args.workdir, "download")
    os.makedirs(download_dir, exist_ok=True)
    downloaded = os.path.join(download_dir, FILE_NAME)
    if os.path.exists(downloaded):
        os.remove(downloaded)

    started = time.monotonic()
    deadline = started + args.timeout
    seeder_ses, leecher_ses = session(), session()
    seeder_log, leecher_log = TrackerLog("seeder"), TrackerLog("downloader")
    seeder = add(seeder_ses, info, os.path.join(args.workdir, "seed"), True)
    # the downloader starts once the tracker knows the seeder, so its first announce can already find it
    while seeder_log.replies == 0 and time.monotonic() < deadline:
        seeder_ses.wait_for_alert(200)
        seeder_log.drain(seeder_ses)
    leecher = add(leecher_ses, info, download_dir, False)

    done = False
    next_reannounce = time.monotonic() + 5
    while time.monotonic() < deadline:
        leecher_ses.wait_for_alert(200)
        seeder_log.drain(seeder_ses)
        leecher_log.drain(leecher_ses)
        status = leecher.status()
        if status.is_seeding:
            done = True
            break
        if time.monotonic() >= next_reannounce:
            # a tracker's interval is long; ask again so a missed first meeting does not wait half an hour
            leecher.force_reannounce(0, -1, lt.reannounce_flags_t.ignore_min_interval)
            seeder.force_reannounce(0, -1, lt.reannounce_flags_t.ignore_min_interval)
            next_reannounce = time.monotonic() + 5
    seconds = round(time.monotonic() - started, 2)
    status = leecher.status()
    seeder_log.drain(seeder_ses)
    leecher_log.drain(leecher_ses)
    # stopped announces, so the tracker sees both peers leave
    seeder_ses.remove_torrent(seeder)
    leecher_ses.remove_torrent(leecher)
    time.sleep(0.5)

    summary = {
        "infohash": infohash,
        "tracker": args.tracker,
        "seconds": seconds,
        "completed": done,
        "progress": round(status.progress, 4),
        "seederTrackerReplies": seeder_log.replies,
        "downloaderTrackerReplies": leecher_log.replies,
        "downloaderPeersFromTracker": leecher_log.peers,
        "trackerErrors": seeder_log.errors + leecher_log.errors,
    }
    ok = done and os.path.exists(downloaded) and sha256(downloaded) == sha256(original)
    summary["sha256Match"] = ok
    print(json.dumps(summary))
    if not done:
        log("download did not complete within %.0f s (progress %.1f%%, tracker errors %s)"
            % (args.timeout, status.progress * 100, summary["trackerErrors"]))
        return 1
    if not ok:
        log("downloaded file differs from the original")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
