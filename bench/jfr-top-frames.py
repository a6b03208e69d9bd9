#!/usr/bin/env python3
"""Summarises a JFR recording's CPU samples: top frames, inclusive Shoal frames, and where the event-loop threads'
native time went.

    jfr print --stack-depth 40 --events jdk.ExecutionSample    rec.jfr > samples.txt
    jfr print --stack-depth 40 --events jdk.NativeMethodSample rec.jfr > native.txt
    bench/jfr-top-frames.py samples.txt [native.txt]
"""
import re, sys, collections
txt = open(sys.argv[1]).read()
events = txt.split('jdk.ExecutionSample {')[1:]
top = collections.Counter(); incl = collections.Counter(); pkg = collections.Counter()
for e in events:
    frames = re.findall(r'^\s+([\w.$<>]+)\(.*?\)\s+line:', e, re.M)
    if not frames: continue
    top[frames[0]] += 1
    for f in set(frames): incl[f] += 1
    # attribute the sample to the first frame of shoal code, else netty/jdk
    owner = next((f for f in frames if f.startswith('io.shoal')), None)
    pkg['.'.join(owner.split('.')[:4]) if owner else ('io.netty' if frames[0].startswith('io.netty') else frames[0].split('.')[0] + '.' + frames[0].split('.')[1])] += 1
n = len(events)
print(f"samples: {n}")
print("top frames (self):")
for f, c in top.most_common(15): print(f"  {c*100/n:5.1f} %  {f}")
print("inclusive (shoal frames):")
for f, c in [x for x in incl.most_common(400) if x[0].startswith("io.shoal")][:15]: print(f"  {c*100/n:5.1f} %  {f}")
print("by package of the innermost shoal frame:")
for f, c in pkg.most_common(10): print(f"  {c*100/n:5.1f} %  {f}")
if len(sys.argv) > 2:
    ntxt = open(sys.argv[2]).read()
    nev = ntxt.split('jdk.NativeMethodSample {')[1:]
    ntop = collections.Counter()
    for e in nev:
        if 'shoal-io' not in e: continue
        frames = re.findall(r'^\s+([\w.$<>]+)\(.*?\)\s+line:', e, re.M)
        if frames: ntop[frames[0]] += 1
    m = sum(ntop.values())
    print(f"native samples of the event-loop threads: {m}")
    for f, c in ntop.most_common(8): print(f"  {c*100/m:5.1f} %  {f}")
