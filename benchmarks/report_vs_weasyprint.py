"""Benchmark: whole-process `nzn assess SAMPLE -o x.pdf` against WeasyPrint alone.

WeasyPrint alone renders the report's own HTML (written once by `nzn assess -o x.html`)
in a fresh Python process, with the package's assets (the bundled fonts) reachable through
WeasyPrint's own file fetcher, so both commands lay out the same document with the same fonts.
(Until session 7 the baseline could not fetch the `nzn-asset:` fonts: it set every Chinese
character of an English report, such as a Chinese source title, as an empty box, and skipped
loading the 8 MB Chinese face.) Goal (issue 5): nzn's whole process under 1.3x WeasyPrint's.
Prints median times over several runs, the ratio, and each command's peak memory.

    python benchmarks/report_vs_weasyprint.py [SAMPLE] [--runs 5]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WRAPPER = (
    "import resource, subprocess, sys, time\n"
    "t = time.perf_counter()\n"
    "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)\n"
    "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)\n"
)


def run(cmd: list[str]) -> tuple[float, float]:
    """(seconds, peak MB) of one fresh process running ``cmd``."""
    out = subprocess.run([sys.executable, "-c", WRAPPER, *cmd], check=True, capture_output=True, text=True).stdout.split()
    return float(out[0]), float(out[1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("sample", nargs="?", default=str(ROOT / "sample_inputs" / "riverside-retrofit.xlsx"))
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    nzn = shutil.which("nzn") or sys.exit("nzn is not installed: pip install .")
    with tempfile.TemporaryDirectory() as tmp:
        html, pdf, pdf2 = Path(tmp) / "x.html", Path(tmp) / "x.pdf", Path(tmp) / "y.pdf"
        subprocess.run([nzn, "assess", args.sample, "-o", str(html), "-q", "--date", "2026-01-01"], check=True)
        # the same assets for WeasyPrint alone: nzn-asset:/x is templates/x (assessment/report/render.py)
        html.write_text(html.read_text(encoding="utf-8").replace("nzn-asset:/", (ROOT / "templates").as_uri() + "/"), encoding="utf-8")
        weasy = [
            sys.executable,
            "-c",
            "import sys; from weasyprint import HTML; HTML(filename=sys.argv[1]).write_pdf(sys.argv[2])",
            str(html),
            str(pdf2),
        ]
        ours = [nzn, "assess", args.sample, "-o", str(pdf), "-q", "--date", "2026-01-01"]
        run(ours), run(weasy)  # warm the file cache
        a, b = [], []
        for _ in range(args.runs):  # alternating, so a slow spell of a shared machine weighs on both alike
            a.append(run(ours))
            b.append(run(weasy))
    ta, tb = statistics.median(t for t, _ in a), statistics.median(t for t, _ in b)
    print(f"sample: {Path(args.sample).name}, runs: {args.runs}")
    print(
        f"nzn assess -o x.pdf (whole process): median {ta:.2f} s (min {min(t for t, _ in a):.2f}, max {max(t for t, _ in a):.2f}), peak "
        f"{max(m for _, m in a):.0f} MB"
    )
    print(
        f"WeasyPrint alone, same HTML:          median {tb:.2f} s (min {min(t for t, _ in b):.2f}, max {max(t for t, _ in b):.2f}), peak "
        f"{max(m for _, m in b):.0f} MB"
    )
    print(f"ratio: {ta / tb:.2f}x (goal < 1.3x)")


if __name__ == "__main__":
    main()
