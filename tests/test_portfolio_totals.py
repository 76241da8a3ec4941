"""Portfolio totals (issue #18 item 7) in portfolio.xlsx and portfolio.pdf, checked by hand against the two samples.

The figures of each sample are its results JSON (tests/golden, the same values `nzn assess --json` writes):
  Riverside   cn-cd-riverside 2024: 10,200 residents, gross 38,981.251, removals 39.425, net 38,941.826 tCO2e/yr
  Harbourside gb-harbourside 2025:   5,100 residents, gross 30,532.316, removals 23.717, net 30,508.599 tCO2e/yr
Sums: 15,300 residents; gross 69,513.567; removals 63.142; net 69,450.425 tCO2e/yr.
Per resident, population-weighted (the ratio of the sums): 69,513.567 / 15,300 = 4.5434; net 69,450.425 / 15,300 = 4.5392.
(The mean of the two per-resident figures, (3.8217 + 5.9867) / 2 = 4.9042, would weight Harbourside's 5,100 residents
as much as Riverside's 10,200: that is not the portfolio's figure.)
"""

from __future__ import annotations

import shutil

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from typer.testing import CliRunner

from assessment.cli import app
from assessment.portfolio.outputs import portfolio_totals
from tests.conftest import SAMPLES

runner = CliRunner()


@pytest.fixture(scope="module")
def portfolio(tmp_path_factory):
    src = tmp_path_factory.mktemp("in")
    for name in ("riverside-retrofit.json", "harbourside-newbuild.json"):
        shutil.copy(SAMPLES / name, src / name)
    out = tmp_path_factory.mktemp("out")
    res = runner.invoke(app, ["batch", str(src), "-o", str(out), "--no-pdf", "--jobs", "1", "--date", "2026-01-01", "-q"])
    assert res.exit_code == 0, res.output
    return out


def test_totals_sheet_holds_the_sums_and_the_population_weighted_figures(portfolio):
    ws = load_workbook(portfolio / "portfolio.xlsx")["Totals"]
    got = {row[0]: row[1] for row in ws.iter_rows(min_row=2, values_only=True)}
    assert got["Neighbourhoods assessed"] == 2
    assert got["Residents"] == 10_200 + 5_100
    assert got["Gross emissions"] == pytest.approx(38_981.251 + 30_532.316, abs=0.01)
    assert got["Removals in the boundary"] == pytest.approx(39.425 + 23.717, abs=0.01)
    assert got["Net emissions"] == pytest.approx(38_941.826 + 30_508.599, abs=0.01)
    assert got["Gross per resident (population-weighted)"] == pytest.approx(4.5434, abs=0.005)
    assert got["Net per resident (population-weighted)"] == pytest.approx(4.5392, abs=0.005)
    by_category = got["Operational"] + got["Embodied"] + got["Consumption-based"]
    assert by_category == pytest.approx(got["Gross emissions"], abs=0.05), "the categories add up to the gross total"


def test_totals_are_printed_in_the_portfolio_pdf(portfolio):
    text = " ".join(p.extract_text() for p in PdfReader(portfolio / "portfolio.pdf").pages)
    assert "Portfolio totals" in text
    assert "15,300" in text and "69,514" in text and "69,450" in text and "4.54" in text


def test_no_resident_counted_gives_no_per_resident_figure():
    """An empty portfolio has sums of zero and no per-resident ratio (not a division by zero)."""
    totals = portfolio_totals([])
    assert totals["population"] == 0 and totals["gross_tco2e"] == 0.0 and totals["gross_per_resident"] is None
