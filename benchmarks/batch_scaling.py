"""Benchmark: a portfolio of generated neighbourhood workbooks through `nzn batch`.

Generates N workbooks (default 40) by varying the two samples' figures (population, floor
area, energy, travel and waste scaled by a factor per workbook), then times the whole process of
`nzn batch DIR -o OUT --jobs 1` and `--jobs 2`, and one `nzn assess WORKBOOK -o x.pdf --json x.json`.
Goals (issue 6): speed-up of at least 1.8x on 2 cores; batch time per input at least 40% below
a single `nzn assess` run (imports and set-up are paid once per worker).

    python benchmarks/batch_scaling.py [--count 40]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from assessment.emissions.factors import load_factors
from assessment.io.examples import load_example
from assessment.io.template import write_template
from assessment.model.method import load_method


def varied(name: str, k: int):
    """A sample with its size and activity scaled by 0.6-1.4 (deterministic per k)."""
    m = load_example(name)
    f = 0.6 + 0.8 * ((k * 37) % 41) / 40
    p = m.profile.model_copy(
        update={
            "neighbourhood_id": f"{m.profile.neighbourhood_id}-{k:02d}",
            "name": f"{m.profile.name} #{k:02d}",
            "population": max(1, int(m.profile.population * f)),
            "households": max(1, int((m.profile.households or 1) * f)),
            "gfa_residential_m2": (m.profile.gfa_residential_m2 or 0) * f,
        }
    )
    energy = [r.model_copy(update={"amount": r.amount * f}) for r in m.energy_use]
    waste = [r.model_copy(update={"tonnes_per_year": r.tonnes_per_year * f}) for r in m.waste]
    return m.model_copy(update={"profile": p, "energy_use": energy, "waste": waste})


def timed(cmd: list[str]) -> float:
    t = time.perf_counter()
    code = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
    assert code == 0, f"{cmd} exited {code}"
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=40)
    args = ap.parse_args()
    nzn = shutil.which("nzn") or "nzn"
    method, factors = load_method(), load_factors()
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "inputs"
        src.mkdir()
        for k in range(args.count):
            name = ("riverside-retrofit", "harbourside-newbuild")[k % 2]
            write_template(src / f"nbh-{k:02d}.xlsx", method, factors, varied(name, k))
        first = src / "nbh-00.xlsx"
        single = min(timed([nzn, "assess", str(first), "-o", f"{tmp}/one.pdf", "--json", f"{tmp}/one.json", "-q"]) for _ in range(2))
        t1 = timed([nzn, "batch", str(src), "-o", f"{tmp}/out1", "--jobs", "1", "-q"])
        t2 = timed([nzn, "batch", str(src), "-o", f"{tmp}/out2", "--jobs", "2", "-q"])
    n = args.count
    print(f"inputs: {n} generated workbooks")
    print(f"nzn batch --jobs 1: {t1:.1f} s ({t1 / n:.2f} s per input)")
    print(f"nzn batch --jobs 2: {t2:.1f} s ({t2 / n:.2f} s per input)")
    print(f"speed-up jobs 2 vs 1: {t1 / t2:.2f}x (goal >= 1.8x)")
    print(f"single nzn assess (whole process, PDF + JSON): {single:.2f} s")
    print(
        f"batch per-input time vs single assess: --jobs 1 {100 * (1 - (t1 / n) / single):.0f}% lower, --jobs 2 "
        f"{100 * (1 - (t2 / n) / single):.0f}% lower (goal >= 40%)"
    )


if __name__ == "__main__":
    main()
