"""Benchmark: recording in the history store, one writer and several at once (SQLite, or PostgreSQL with --url).

Each writer process records N assessments of distinct neighbourhoods (the Riverside sample's results JSON, its
id changed), one transaction each, all writers started together; prints the wall time, recordings per second and
that none were lost. Also times opening a new store (schema creation by the migrations) and re-opening it.

    python benchmarks/store_writes.py [--writers 4] [--count 50] [--url postgresql+psycopg://... (an empty database)]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WRITER = """
import json, os, sys, time
from assessment.store import Store
url, tag, n, go, src = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
doc = json.loads(open(src, encoding="utf-8").read())
st = Store(url)
while not os.path.exists(go):
    time.sleep(0.005)
for i in range(n):
    doc["profile"]["neighbourhood_id"] = f"{tag}-{i}"
    st.record([json.dumps(doc)])
"""


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--writers", type=int, default=4)
    ap.add_argument("--count", type=int, default=50)
    ap.add_argument("--url", default=None)
    args = ap.parse_args()
    from assessment.pipeline import assess_file, results_json
    from assessment.store import Store

    root = Path(__file__).resolve().parents[1]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        url = args.url or f"sqlite:///{folder / 'h.sqlite'}"
        src = folder / "doc.json"
        src.write_text(results_json(assess_file(root / "sample_inputs" / "riverside-retrofit.json")[1]), encoding="utf-8")
        t = time.perf_counter()
        Store(url).close()
        opened = time.perf_counter() - t
        t = time.perf_counter()
        Store(url).close()
        reopened = time.perf_counter() - t
        print(f"open a new store (migrations): {opened * 1000:.0f} ms; re-open: {reopened * 1000:.1f} ms")
        go = folder / "go"
        procs = [
            subprocess.Popen([sys.executable, "-c", WRITER, url, f"w{k}", str(args.count), str(go), str(src)]) for k in range(args.writers)
        ]
        time.sleep(3)  # let every writer import and connect
        t = time.perf_counter()
        go.touch()
        for p in procs:
            p.wait()
        wall = time.perf_counter() - t
        with Store(url) as st:
            stored = len(st.neighbourhoods())
        total = args.writers * args.count
        rate = total / wall
        print(f"{args.writers} writers x {args.count} recordings: {wall:.2f} s, {rate:.0f} recordings/s; stored {stored} of {total}")


if __name__ == "__main__":
    main()
