#!/bin/sh
# Runs every probe (about 6 minutes; cid_expiry_probe.py alone takes ~2.5 minutes and is run last).
cd "$(dirname "$0")"
PY=/usr/bin/python3
for p in udp_probe http_probe admin_probe limits_probe flood_probe cli_probe conn_probe misc_probe counting_probe cid_expiry_probe; do
  echo "######## $p"
  timeout 600 $PY $p.py 2>&1 | grep -E '^(FAIL|INFO|====|  FAIL)'
done
