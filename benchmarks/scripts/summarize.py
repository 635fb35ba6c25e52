#!/usr/bin/env python3
"""Medians and ranges per server and scenario from compare.sh's JSON lines.

    benchmarks/scripts/summarize.py results.jsonl
"""
import json
import statistics
import sys
from collections import defaultdict

FIELDS = {
    "fan30": ["deliveredPerSec", "p50Ms", "p99Ms"],
    "fan60": ["deliveredPerSec", "p50Ms", "p99Ms"],
    "fan100": ["deliveredPerSec", "p50Ms", "p99Ms"],
    "fan150": ["deliveredPerSec", "p50Ms", "p99Ms"],
    "small": ["deliveredPerSec", "p50Ms", "p99Ms"],
    "idle": ["connected", "bytesPerConnection"],
    "storm": ["resumed", "resumeSeconds", "joinP50Ms", "joinP99Ms", "missed", "missedDelivered",
              "gaps", "duplicates", "steadyP99Ms", "stormSteadyP99Ms"],
    "history": ["socketColdPagesPerSec", "socketWarmPagesPerSec", "restColdPagesPerSec",
                "restWarmPagesPerSec", "socketColdP99Ms", "socketWarmP99Ms", "restColdP99Ms",
                "restWarmP99Ms", "rssSeededKb", "rssAfterRestKb"],
}

def fmt(v):
    return f"{v:,.0f}" if abs(v) >= 100 else f"{v:.3g}"


runs = defaultdict(list)
with open(sys.argv[1]) as f:
    for line in f:
        line = line.strip()
        if line:
            r = json.loads(line)
            runs[(r["scenario"], r["server"])].append(r)

for (scenario, server), rs in sorted(runs.items()):
    parts = []
    for field in FIELDS.get(scenario, []):
        values = [r[field] for r in rs if r.get(field) is not None]
        if not values:
            continue
        parts.append(f"{field} {fmt(statistics.median(values))} ({fmt(min(values))}-{fmt(max(values))})")
    print(f"{scenario:7} {server:8} n={len(rs)}  " + "  ".join(parts))
