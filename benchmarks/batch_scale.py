"""Benchmark (issue #21 item 5): N generated neighbourhoods through `nzn batch --jobs 2` and a two-worker Dask LocalCluster.

For each size N (default 100 300 1000) it writes N different workbooks: the two samples in turn, each with its own
neighbourhood id and name, and its population, floor area, energy, travel and waste amounts scaled by factors drawn
from a seeded random.Random (0.6-1.4), so no two inputs are the same. Then it runs

  local: `nzn batch DIR -o OUT --jobs 2 -q --date 2026-01-01`
  dask:  the same with `--dask-scheduler` of a LocalCluster(n_workers=2, threads_per_worker=1)

and prints, per run: wall time; core-seconds per input (user + sys CPU of the whole process tree: the batch, its
workers and their helpers, and for Dask the two worker processes and their nannies, from psutil, sampled every
0.2 s and summed per process at its last sample, with resource.getrusage(RUSAGE_CHILDREN) for processes that ended
between samples); peak memory of the whole process tree (the sum of the RSS of its processes, at its highest
sample); and the projection to 10,000 neighbourhoods on 16 workers (10,000 x core-seconds per input / 16, assuming
the per-input cost stays flat, which the sizes show or refute).

    python benchmarks/batch_scale.py [SIZES ...] [--only local|dask] [--no-pdf] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

from assessment.emissions.factors import load_factors
from assessment.io.examples import load_example
from assessment.io.template import write_template
from assessment.model.method import load_method

SAMPLES = ("riverside-retrofit", "harbourside-newbuild")
PROGRAMME, PROGRAMME_WORKERS = 10_000, 16


def varied(name: str, k: int, rng: random.Random):
    """Sample ``name`` as neighbourhood number ``k``: its own id, and each quantity scaled by its own draw."""
    m = load_example(name)
    f = lambda: rng.uniform(0.6, 1.4)  # noqa: E731
    p = m.profile.model_copy(
        update={
            "neighbourhood_id": f"{m.profile.neighbourhood_id}-{k:05d}",
            "name": f"{m.profile.name} #{k:05d}",
            "population": max(1, int(m.profile.population * f())),
            "households": max(1, int((m.profile.households or 1) * f())),
            "gfa_residential_m2": (m.profile.gfa_residential_m2 or 0) * f(),
        }
    )
    energy = [r.model_copy(update={"amount": r.amount * f()}) for r in m.energy_use]
    waste = [r.model_copy(update={"tonnes_per_year": r.tonnes_per_year * f()}) for r in m.waste]
    travel = [r.model_copy(update={"annual_amount": r.annual_amount * f()}) if r.annual_amount else r for r in m.transport_activity]
    return m.model_copy(update={"profile": p, "energy_use": energy, "waste": waste, "transport_activity": travel})


def generate(folder: Path, count: int, seed: int = 2026) -> None:
    method, factors, rng = load_method(), load_factors(), random.Random(seed)
    for k in range(count):
        write_template(folder / f"nbh-{k:05d}.xlsx", method, factors, varied(SAMPLES[k % 2], k, rng))


class TreeMonitor:
    """Samples process trees every 0.2 s: the peak of their summed RSS, and each process's last CPU times per tree."""

    def __init__(self, roots: list[psutil.Process]):
        self.roots, self.peak_rss = roots, 0
        self.cpu: list[dict] = [{} for _ in roots]  # per root: (pid, start time) -> user + sys seconds at last sample
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def sample(self) -> None:
        rss = 0
        for root, cpu in zip(self.roots, self.cpu):
            try:
                procs = [root, *root.children(recursive=True)]
            except psutil.Error:
                continue
            for p in procs:
                try:
                    rss += p.memory_info().rss
                    t = p.cpu_times()
                    cpu[(p.pid, p.create_time())] = t.user + t.system
                except psutil.Error:
                    pass
        self.peak_rss = max(self.peak_rss, rss)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(0.2)

    def __enter__(self) -> "TreeMonitor":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


def children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def run_batch(cmd: list[str], cluster_roots: list[psutil.Process] = ()) -> dict:
    """Run one batch: wall time, CPU seconds of its process tree and of the cluster's trees, peak summed RSS of all."""
    start = TreeMonitor(list(cluster_roots))
    start.sample()  # the cluster processes' CPU before the batch
    before = children_cpu()
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    with TreeMonitor([psutil.Process(proc.pid), *cluster_roots]) as mon:
        _, err = proc.communicate()
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        sys.exit(f"{' '.join(cmd)} exited {proc.returncode}:\n{err[-2000:]}")
    cpu = children_cpu() - before  # the batch and every descendant it waited for (workers, their helpers)
    for was, now in zip(start.cpu, mon.cpu[1:]):  # cluster processes: CPU since the batch started
        cpu += sum(v - was.get(k, 0.0) for k, v in now.items())
    return {"wall": wall, "cpu": cpu, "peak_mb": mon.peak_rss / 2**20}


def show(label: str, n: int, m: dict) -> None:
    per = m["cpu"] / n
    print(
        f"{label:6} {n:6d} {m['wall']:9.1f} {per:10.2f} {m['peak_mb']:9.0f} {PROGRAMME * per / PROGRAMME_WORKERS / 3600:13.2f} h",
        flush=True,
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("sizes", nargs="*", type=int, default=[100, 300, 1000])
    ap.add_argument("--only", choices=("local", "dask"))
    ap.add_argument("--no-pdf", action="store_true", help="results JSON only (the per-input cost without the PDF)")
    ap.add_argument("--keep", type=Path, help="keep the generated inputs and outputs under this folder")
    args = ap.parse_args()
    nzn = [sys.executable, "-m", "assessment"]
    root = args.keep or Path(tempfile.mkdtemp(prefix="nzn-scale-"))
    print(f"nzn batch at scale: {os.cpu_count()} cores; PDF {'off' if args.no_pdf else 'on'}; inputs under {root}")
    print(f"{'run':6} {'inputs':>6} {'wall s':>9} {'core-s/in':>10} {'peak MB':>9} {'10k on 16 w':>15}")
    try:
        for n in args.sizes:
            src = root / f"in-{n}"
            src.mkdir(parents=True, exist_ok=True)
            generate(src, n)
            common = ["--date", "2026-01-01", "-q"] + (["--no-pdf"] if args.no_pdf else [])
            if args.only in (None, "local"):
                show("local", n, run_batch([*nzn, "batch", str(src), "-o", str(root / f"local-{n}"), "--jobs", "2", *common]))
            if args.only in (None, "dask"):
                from dask.distributed import LocalCluster  # the dask extra

                with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
                    workers = [psutil.Process(pid) for pid in _cluster_pids(cluster)]
                    cmd = [*nzn, "batch", str(src), "-o", str(root / f"dask-{n}"), "--dask-scheduler", cluster.scheduler_address, *common]
                    show("dask", n, run_batch(cmd, workers))
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)


def _cluster_pids(cluster) -> list[int]:
    """The nanny processes of a LocalCluster (their workers are their children)."""
    me = psutil.Process()
    return [c.pid for c in me.children() if "python" in (c.name() or "")]


if __name__ == "__main__":
    main()
