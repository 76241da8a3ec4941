"""Benchmark (issue #21 item 5): N generated neighbourhoods through `nzn batch --jobs 2` and a two-worker Dask LocalCluster.

For each size N (default 100 300 1000) it writes N different workbooks: the two samples in turn, each with its own
neighbourhood id and name, and its population, floor area, energy, travel and waste amounts scaled by factors drawn
from a seeded random.Random (0.6-1.4), so no two inputs are the same. Then it runs

  local: `nzn batch DIR -o OUT --jobs 2 -q --date 2026-01-01`
  dask:  the same with `--dask-scheduler` of a LocalCluster(n_workers=2, threads_per_worker=1)

and prints, per run: wall time; core-seconds per input (user + sys CPU of the whole process tree: the batch, its
workers and their helpers, from resource.getrusage(RUSAGE_CHILDREN), and for Dask the cluster's worker processes,
from psutil samples every 0.2 s); peak memory of the whole process tree (the sum of the RSS of its processes at its
highest sample, which counts the pages forked workers share with their parent once per process; the peak of the
summed PSS, which counts them once, sampled each second; and the submitting process's own peak RSS); and the
projection to 10,000 neighbourhoods on 16 workers (10,000 x core-seconds per input / 16 / 3600 hours, assuming the
per-input cost stays flat, which the sizes show or refute). The LocalCluster's scheduler runs in this process and
is not counted.

    python benchmarks/batch_scale.py [SIZES ...] [--only local|dask] [--no-pdf] [--shared-annex] [--keep DIR]
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
    people = f()  # population and households by one draw: the household size stays the sample's (an independent draw
    # could give more households than people, which validation rightly refuses)
    p = m.profile.model_copy(
        update={
            "neighbourhood_id": f"{m.profile.neighbourhood_id}-{k:05d}",
            "name": f"{m.profile.name} #{k:05d}",
            "population": max(1, int(m.profile.population * people)),
            "households": max(1, int((m.profile.households or 1) * people)),
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
    """Samples every descendant of this process each 0.2 s: the peak of their summed RSS (and, each second, PSS), the
    peak RSS of one chosen process, and each process's last CPU times."""

    def __init__(self, watch: int | None = None):
        self.me, self.watch = psutil.Process(), watch
        self.peak_rss = self.peak_pss = self.peak_watched = 0
        self.cpu: dict[tuple, float] = {}  # (pid, start time) -> user + sys seconds at the last sample
        self._n = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def sample(self) -> set[tuple]:
        """One sample; the descendants seen."""
        rss = pss = 0
        full = self._n % 5 == 0  # PSS reads smaps: once a second
        self._n += 1
        seen = set()
        for p in self.me.children(recursive=True):
            try:
                m = p.memory_info().rss
                key = (p.pid, p.create_time())
                t = p.cpu_times()
                pss += p.memory_full_info().pss if full else 0
            except psutil.Error:
                continue
            rss += m
            if p.pid == self.watch:
                self.peak_watched = max(self.peak_watched, m)
            self.cpu[key] = t.user + t.system
            seen.add(key)
        self.peak_rss, self.peak_pss = max(self.peak_rss, rss), max(self.peak_pss, pss)
        return seen

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


def run_batch(cmd: list[str]) -> dict:
    """Run one batch: wall time; CPU seconds of every process that worked for it (the batch's tree, and a cluster's
    workers started by this process); peak summed RSS and PSS of all of them; the batch process's own peak RSS.

    CPU: processes that ended during the run and were waited for count exactly (getrusage RUSAGE_CHILDREN: the
    batch with its workers; cluster workers replaced by a restart); processes still alive at the end (the cluster's
    workers) count their CPU since the batch started, from psutil.
    """
    start = TreeMonitor()
    start.sample()  # the cluster's workers, if any, before the batch
    base = dict(start.cpu)
    before = children_cpu()
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    with TreeMonitor(watch=proc.pid) as mon:
        _, err = proc.communicate()
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        sys.exit(f"{' '.join(cmd)} exited {proc.returncode}:\n{err[-2000:]}")
    alive = mon.sample()
    cpu = children_cpu() - before + sum(mon.cpu[k] - base.get(k, 0.0) for k in alive)
    return {
        "wall": wall,
        "cpu": cpu,
        "peak_mb": mon.peak_rss / 2**20,
        "pss_mb": mon.peak_pss / 2**20,
        "parent_mb": mon.peak_watched / 2**20,
    }


def show(label: str, n: int, m: dict) -> None:
    per = m["cpu"] / n
    print(
        f"{label:6} {n:6d} {m['wall']:9.1f} {per:10.2f} {m['peak_mb']:9.0f} {m['pss_mb']:8.0f} {m['parent_mb']:10.0f} "
        f"{PROGRAMME * per / PROGRAMME_WORKERS / 3600:13.2f} h",
        flush=True,
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("sizes", nargs="*", type=int, default=[100, 300, 1000])
    ap.add_argument("--only", choices=("local", "dask"))
    ap.add_argument("--no-pdf", action="store_true", help="results JSON only (the per-input cost without the PDF)")
    ap.add_argument("--shared-annex", action="store_true", help="lean scorecards: the annex once, as annex.pdf")
    ap.add_argument("--keep", type=Path, help="keep the generated inputs and outputs under this folder")
    args = ap.parse_args()
    nzn = [sys.executable, "-m", "assessment"]
    root = args.keep or Path(tempfile.mkdtemp(prefix="nzn-scale-"))
    pdf = "off" if args.no_pdf else "on, annex shared" if args.shared_annex else "on"
    print(f"nzn batch at scale: {os.cpu_count()} cores; PDF {pdf}; inputs under {root}")
    print(f"{'run':6} {'inputs':>6} {'wall s':>9} {'core-s/in':>10} {'peak RSS':>9} {'peak PSS':>8} {'parent MB':>10} {'10k on 16 w':>15}")
    try:
        for n in args.sizes:
            src = root / f"in-{n}"
            src.mkdir(parents=True, exist_ok=True)
            generate(src, n)
            common = (
                ["--date", "2026-01-01", "-q"] + (["--no-pdf"] if args.no_pdf else []) + (["--shared-annex"] if args.shared_annex else [])
            )
            if args.only in (None, "local"):
                show("local", n, run_batch([*nzn, "batch", str(src), "-o", str(root / f"local-{n}"), "--jobs", "2", *common]))
            if args.only in (None, "dask"):
                from dask.distributed import LocalCluster  # the dask extra

                with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
                    cmd = [*nzn, "batch", str(src), "-o", str(root / f"dask-{n}"), "--dask-scheduler", cluster.scheduler_address, *common]
                    show("dask", n, run_batch(cmd))
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
