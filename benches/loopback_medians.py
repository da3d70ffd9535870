#!/usr/bin/env python3
"""Prints what benches/loopback.sh measured (benches/results/loopback.tsv, or the file given):
each server's median requests per second per route, the ratios of those medians, and the
median of the per-round ratios of ours to the floor. Each round runs the servers one after the
other, so a ratio within a round compares them under the same load; its median is the steadier
figure when the machine's load moves between rounds. Standard library only.

    python3 benches/loopback_medians.py [benches/results/loopback.tsv]
"""

import csv
import statistics
import sys
from pathlib import Path

SERVERS = ("ours", "floor", "bare")
ROUTES = {
    "foo": "write per request (/foo)",
    "views": "read only (/views)",
    "user": "one-key read (/user)",
}


def main():
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else (
        Path(__file__).resolve().parent / "results" / "loopback.tsv")
    rows = list(csv.DictReader(open(path), delimiter="\t"))
    rps = {(r["server"], r["route"], r["round"]): float(r["req_per_s"]) for r in rows}
    rounds = sorted({r["round"] for r in rows}, key=int)
    print(f"\n{len(rounds)} rounds; medians in requests per second")
    print(f"{'route':28} {'ours':>9} {'floor':>9} {'bare':>9} {'ours/floor':>11} "
          f"{'ours/bare':>10} {'floor/bare':>11} {'per round ours/floor':>21}")
    for route, name in ROUTES.items():
        med = {s: statistics.median(rps[s, route, n] for n in rounds) for s in SERVERS}
        paired = statistics.median(rps["ours", route, n] / rps["floor", route, n] for n in rounds)
        o, f, b = med["ours"], med["floor"], med["bare"]
        print(f"{name:28} {o:9.0f} {f:9.0f} {b:9.0f} {o / f:11.2f} {o / b:10.2f} {f / b:11.2f} "
              f"{paired:21.2f}")


if __name__ == "__main__":
    sys.exit(main())
