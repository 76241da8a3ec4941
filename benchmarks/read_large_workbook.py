"""Benchmark: read and validate a workbook with 20,000 rows of energy data.

Goal (issue 2): reading (load_input: cells read, field and cross-field
validation) under 1 second on the project's 2-core machine. Also prints the full
`nzn validate` check (validate_input: reading plus the factor-availability run of
the emissions engine). Medians of several runs (imports and workbook generation
excluded), and the peak memory of the process.

    python benchmarks/read_large_workbook.py [--rows 20000] [--runs 5]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import tempfile
import time
from pathlib import Path

from openpyxl import load_workbook

from assessment.checks import validate_input
from assessment.emissions.factors import load_factors
from assessment.io.examples import load_example
from assessment.io.load import load_input
from assessment.io.template import write_template
from assessment.model.method import load_method

CARRIERS = ("grid_electricity", "natural_gas", "district_heat")
UNITS = {"grid_electricity": "kWh", "natural_gas": "m3", "district_heat": "MWh"}


def make_workbook(path: Path, rows: int) -> None:
    """The riverside example with its energy table grown to ``rows`` rows."""
    write_template(path, load_method(), load_factors(), load_example("riverside-retrofit"))
    wb = load_workbook(path)
    ws = wb["Energy"]
    table = ws.tables["energy_use"]
    first_col, header_row = 1, int(table.ref.split(":")[0][1:])
    heads = [c.value for c in ws[header_row][first_col - 1 : first_col - 1 + 7]]
    for i in range(rows):
        carrier = CARRIERS[i % 3]
        values = [f"Building {i:05d}", "residential", carrier, 1000.0 + i % 977, UNITS[carrier], "measured", None]
        for j, v in enumerate(values):
            ws.cell(row=header_row + 1 + i, column=first_col + j, value=v)
    last_col = table.ref.split(":")[1].rstrip("0123456789")
    table.ref = f"A{header_row}:{last_col}{header_row + rows}"
    assert heads[0] is not None
    wb.save(path)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=20_000)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "large.xlsx"
        make_workbook(path, args.rows)
        method, factors = load_method(), load_factors()
        load_input(path, method)  # warm-up: caches of labels and units
        times = []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            loaded = load_input(path, method)
            times.append(time.perf_counter() - t0)
        assert len(loaded.model.energy_use) == args.rows
        full = []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            validate_input(path, method, factors=factors)
            full.append(time.perf_counter() - t0)
        size_mb = path.stat().st_size / 1e6
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"rows={args.rows} file={size_mb:.1f} MB runs={args.runs}")
    print(f"read+validate seconds: median={statistics.median(times):.3f} min={min(times):.3f} max={max(times):.3f} (goal < 1.0)")
    print(f"nzn validate check incl. factor availability: median={statistics.median(full):.3f} min={min(full):.3f} max={max(full):.3f}")
    print(f"peak memory of the process: {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
