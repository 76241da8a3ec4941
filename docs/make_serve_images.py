"""Regenerate the README's images of `nzn serve` and of a trend PDF (docs/images/serve-page.png, trend-pdf.png).

A maintainer script: it records three years of the Riverside sample (the third under a method copy with version
1.1.0, so the trend shows the version note) in a temporary store, draws the trend with `nzn history -o trend.pdf`
and turns its first page into a PNG with pdftoppm, then starts `nzn serve --store` on a free port, uploads the
sample in headless chromium (Debian's, through Playwright) and takes a screenshot of the result page.

    python docs/make_serve_images.py     # needs poppler-utils and chromium (apt-get install poppler-utils chromium)
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
IMAGES = ROOT / "docs" / "images"
sys.path.insert(0, str(ROOT))


def main() -> None:
    from playwright.sync_api import sync_playwright

    from assessment.paths import modules_dir
    from assessment.store import Store
    from tests.test_store import results_of, year_input

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        method = folder / "method"
        shutil.copytree(modules_dir(), method)
        toml = method / "method.toml"
        toml.write_text(toml.read_text(encoding="utf-8").replace('version = "1.0.0"', 'version = "1.1.0"', 1), encoding="utf-8")
        texts = [results_of(year_input(folder, 2022, 9800.0)), results_of(year_input(folder, 2023, 9000.0))]
        texts.append(results_of(year_input(folder, 2024, 8200.0), method))
        store = folder / "h.sqlite"
        with Store(f"sqlite:///{store}") as st:
            st.record(texts)
        nzn = [sys.executable, "-m", "assessment"]
        subprocess.run([*nzn, "history", "cn-cd-riverside", "--store", str(store), "-o", str(folder / "trend.pdf")], check=True)
        subprocess.run(["pdftoppm", "-r", "75", "-png", "-f", "1", "-l", "1", str(folder / "trend.pdf"), str(folder / "trend")], check=True)
        shutil.copy(next(folder.glob("trend-*1.png")), IMAGES / "trend-pdf.png")
        log = folder / "serve.log"
        with log.open("w") as out:
            server = subprocess.Popen([*nzn, "serve", "--port", "0", "--store", str(store)], stderr=out, stdout=out)
        try:
            while "http://" not in log.read_text():
                time.sleep(0.2)
            base = log.read_text().split("http://", 1)[1].split("/", 1)[0]
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
                page = browser.new_page(viewport={"width": 1000, "height": 900})
                page.goto(f"http://{base}/")
                page.set_input_files("#workbook", str(ROOT / "sample_inputs" / "riverside-retrofit.xlsx"))
                page.click("button[type=submit]")
                page.wait_for_selector("text=The scorecard is ready.", timeout=120_000)
                page.screenshot(path=str(IMAGES / "serve-page.png"), full_page=True)
                browser.close()
        finally:
            server.terminate()
            server.wait(10)
    print("wrote", IMAGES / "serve-page.png", "and", IMAGES / "trend-pdf.png")


if __name__ == "__main__":
    main()
