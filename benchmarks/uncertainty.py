"""Benchmark: the time the uncertainty ranges add to an assessment (issue #17 item 7).

Times :func:`assessment.emissions.uncertainty.account_ranges` (line arrays, 10,000 Monte Carlo draws of every
line and factor, percentiles, contributions) on a bundled sample, after the account is built. Goal: at most
0.3 s for the Riverside sample with 10,000 draws. Also shows how the time grows with the number of draws.

    python benchmarks/uncertainty.py [--sample riverside-retrofit.xlsx] [--runs 7]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from assessment.emissions.uncertainty import account_ranges
from assessment.model.method import load_method
from assessment.pipeline import assess_file

ROOT = Path(__file__).resolve().parent.parent
GOAL_S = 0.3


def time_ranges(account, profile, table, draws: int, runs: int) -> float:
    """Median wall time [s] of ``runs`` calls of account_ranges."""
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        account_ranges(account, profile.grid_region.value, profile.reporting_year, profile.population, table, draws)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sample", default="riverside-retrofit.xlsx")
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    loaded, result = assess_file(ROOT / "sample_inputs" / args.sample)
    table = load_method().uncertainty
    acc, p = result.emissions, loaded.model.profile
    n_lines = len(acc.line_items) + len(acc.removal_items)
    print(f"{args.sample}: {n_lines} lines, median of {args.runs} runs")
    for draws in (1_000, 10_000, 100_000):
        t = time_ranges(acc, p, table, draws, args.runs)
        mark = f"  (goal <= {GOAL_S} s: {'met' if t <= GOAL_S else 'NOT met'})" if draws == 10_000 else ""
        print(f"  {draws:>7,} draws: {t * 1000:7.1f} ms{mark}")
    r = result.emissions
    print(f"  net {r.net_tco2e_per_year:,.0f} tCO2e/yr, 5-95%: {r.range.p05:,.0f}-{r.range.p95:,.0f}")


if __name__ == "__main__":
    main()
