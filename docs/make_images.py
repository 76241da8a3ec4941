"""Regenerate the README's page images (docs/images/*.png) from the bundled samples.

A maintainer script, run after a change to the report's layout: it renders each sample with `nzn assess` and
turns the named page into a PNG with poppler's pdftoppm (Debian: apt-get install poppler-utils).

    python docs/make_images.py
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
IMAGES = ROOT / "docs" / "images"
#: (image name, sample workbook, language, page number)
PAGES = [
    ("riverside-retrofit-summary", "riverside-retrofit.xlsx", "en", 1),
    ("riverside-retrofit-emissions", "riverside-retrofit.xlsx", "en", 2),
    ("harbourside-newbuild-summary", "harbourside-newbuild.xlsx", "en", 1),
    ("harbourside-newbuild-emissions", "harbourside-newbuild.xlsx", "en", 2),
    ("riverside-zh-summary", "riverside-retrofit-zh.xlsx", "zh", 1),
    ("riverside-bilingual-module", "riverside-retrofit.xlsx", "en+zh", 6),
]


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for name, sample, lang, page in PAGES:
            pdf = Path(tmp) / f"{name}.pdf"
            cmd = [sys.executable, "-m", "assessment", "assess", str(ROOT / "sample_inputs" / sample), "--lang", lang]
            subprocess.run([*cmd, "-o", str(pdf), "--date", "2026-12-01"], check=True, capture_output=True)
            out = IMAGES / name
            subprocess.run(
                ["pdftoppm", "-png", "-r", "80", "-f", str(page), "-l", str(page), "-singlefile", str(pdf), str(out)], check=True
            )
            print(f"wrote {out}.png")


if __name__ == "__main__":
    main()
