#!/usr/bin/env python3
"""Draws the cost of one request against the bare handler, for ours and each peer, in process
(instructions, from benches/results/callgrind.tsv, written by benches/callgrind.sh) and over
loopback (from benches/results/loopback.tsv, written by benches/loopback.sh), as one SVG:
benches/results/chart.svg. Standard library only.

    python3 benches/chart.py
"""

import csv
import statistics
import sys
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"

IN_PROCESS = [
    ("layer_noop", "any route layer (no-op)"),
    ("layer_extension", "a layer passing one Arc"),
    ("ours_read", "ours, read"),
    ("ours_read_service", "ours, read, layer around the Router"),
    ("tower_sessions_read", "tower-sessions, read"),
    ("private_jar_read", "PrivateCookieJar, read"),
    ("ours_change", "ours, change"),
    ("ours_change_service", "ours, change, layer around the Router"),
    ("tower_sessions_change", "tower-sessions, change"),
    ("private_jar_change", "PrivateCookieJar, change"),
    ("ours_new", "ours, new session"),
    ("ours_new_service", "ours, new, layer around the Router"),
]
LOOPBACK = [
    (("ours", "views"), "ours, read only"),
    (("floor", "views"), "floor, read only"),
    (("ours", "user"), "ours, one-key read"),
    (("floor", "user"), "floor, one-key read"),
    (("ours", "foo"), "ours, write"),
    (("floor", "foo"), "floor, write"),
]


def in_process():
    rows = {r["variant"]: int(r["instructions"]) for r in csv.DictReader(
        open(RESULTS / "callgrind.tsv"), delimiter="\t")}
    bare = rows["bare_handler"]
    return [(label, rows[key] / bare) for key, label in IN_PROCESS if key in rows]


def loopback():
    path = RESULTS / "loopback.tsv"
    if not path.exists():
        return []
    rows = list(csv.DictReader(open(path), delimiter="\t"))
    median = lambda s, r: statistics.median(
        float(x["req_per_s"]) for x in rows if x["server"] == s and x["route"] == r)
    out = []
    for (server, route), label in LOOPBACK:
        # Cost per request relative to bare: bare's requests per second over this one's.
        out.append((label, median("bare", route) / median(server, route)))
    return out


def bars(title, items, y, width=720):
    """One panel: a bar per item, its cost as a multiple of the bare handler (1 = bare)."""
    scale = (width - 300) / max(max(v for _, v in items), 1.0) if items else 1
    parts = [f'<text x="10" y="{y}" font-weight="bold">{title}</text>']
    y += 14
    one = 230 + scale
    for label, value in items:
        colour = "#2a7" if label.startswith("ours") else "#999"
        parts.append(f'<text x="10" y="{y + 12}">{label}</text>')
        parts.append(
            f'<rect x="230" y="{y + 2}" width="{value * scale:.1f}" height="13" fill="{colour}"/>')
        parts.append(f'<text x="{236 + value * scale:.1f}" y="{y + 13}">{value:.2f}x</text>')
        y += 18
    parts.append(f'<line x1="{one:.1f}" y1="{y - 18 * len(items) + 2}" x2="{one:.1f}" y2="{y}" '
                 'stroke="#c33" stroke-dasharray="3,2"/>')
    parts.append(f'<text x="{one + 3:.1f}" y="{y + 12}" fill="#c33">bare handler = 1</text>')
    return parts, y + 30


def main():
    width = 720
    parts, y = bars("In process: instructions per request / bare handler (callgrind)",
                    in_process(), 20, width)
    lb = loopback()
    if lb:
        more, y = bars("Over loopback: cost per request / bare server (wrk, medians)", lb, y,
                       width)
        parts += more
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{y}" '
           f'font-family="sans-serif" font-size="12">'
           f'<rect width="100%" height="100%" fill="white"/>' + "".join(parts) + "</svg>\n")
    out = RESULTS / "chart.svg"
    out.write_text(svg)
    print(f"wrote {out}")


if __name__ == "__main__":
    sys.exit(main())
