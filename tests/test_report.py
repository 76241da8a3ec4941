"""The scorecard: PDF and HTML contents agree with the results JSON; security; atomic writes."""

from __future__ import annotations

import json
import math
import re

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from assessment.cli import app
from assessment.report.render import AssetOnlyFetcher
from tests.conftest import SAMPLE_NAMES, SAMPLES

runner = CliRunner()


def report_number(value: float) -> str:
    """The report's rounding rule for tCO2e: nearest whole number, comma thousands (en_GB)."""
    return f"{value:,.0f}"


def report_score(value: float) -> str:
    """The report's rule for scores (assessment/numbers.py score_text): whole points rounded down, so a printed score
    never reaches a level its score does not."""
    return f"{math.floor(value):,d}"


@pytest.fixture(scope="module", params=SAMPLE_NAMES)
def rendered(request, tmp_path_factory):
    out = tmp_path_factory.mktemp(request.param)
    pdf, html, js = out / "r.pdf", out / "r.html", out / "r.json"
    result = runner.invoke(
        app,
        [
            "assess",
            str(SAMPLES / f"{request.param}.xlsx"),
            "-o",
            str(pdf),
            "-o",
            str(html),
            "--json",
            str(js),
            "--date",
            "2026-01-01",
            "-q",
        ],
    )
    assert result.exit_code == 0, result.output
    text = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
    return {"pdf": pdf, "html": html.read_text(encoding="utf-8"), "text": text, "json": json.loads(js.read_text())}


def _normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _expected_strings(data: dict) -> list[str]:
    e = data["emissions"]
    out = [data["profile"]["name"], report_number(e["gross_tco2e_per_year"]), report_number(e["net_tco2e_per_year"])]
    for m in data["modules"]:
        out.append(m["name"])
    return out


def test_pdf_text_agrees_with_results_json(rendered):
    text = _normalise(rendered["text"])
    for s in _expected_strings(rendered["json"]):
        assert s in text, f"{s!r} missing from the PDF text"
    for m in rendered["json"]["modules"]:
        # each module page opens with "Mnn Name" then its score, rounded down as in report_score
        assert re.search(re.escape(f"{m['id'].upper()} {m['name']}") + r"\s+" + re.escape(report_score(m["score"])), text), m["id"]


def test_html_agrees_with_results_json(rendered):
    html = rendered["html"]
    plain = _normalise(re.sub(r"<[^>]+>", " ", html)).replace("&amp;", "&")
    for s in _expected_strings(rendered["json"]):
        assert s in plain, f"{s!r} missing from the HTML"
    assert "<script" not in html
    assert re.search(r"""(src|href)=["'](https?:|file:)""", html) is None, "the HTML is self-contained"
    assert "<svg" in html, "charts are inline SVG"


def test_pdf_metadata_from_the_input(rendered):
    meta = PdfReader(rendered["pdf"]).metadata
    data = rendered["json"]
    assert data["profile"]["name"] in meta.title
    assert meta.author == data["profile"]["prepared_by"]
    assert meta.creation_date.year == data["profile"]["reporting_year"]


def test_pdf_is_deterministic(tmp_path):
    a, b = tmp_path / "a.pdf", tmp_path / "b.pdf"
    for target in (a, b):
        result = runner.invoke(app, ["assess", str(SAMPLES / "harbourside-newbuild.json"), "-o", str(target), "--date", "2026-01-01", "-q"])
        assert result.exit_code == 0, result.output
    assert a.read_bytes() == b.read_bytes()


def test_preforked_renderer_gives_the_same_bytes(tmp_path, monkeypatch):
    forked, inproc = tmp_path / "forked.pdf", tmp_path / "inproc.pdf"
    args = [str(SAMPLES / "harbourside-newbuild.json"), "--date", "2026-01-01", "-q"]
    assert runner.invoke(app, ["assess", *args, "-o", str(forked)]).exit_code == 0
    monkeypatch.setenv("NZN_PDF_WORKER", "0")
    assert runner.invoke(app, ["assess", *args, "-o", str(inproc)]).exit_code == 0
    assert forked.read_bytes() == inproc.read_bytes()


def test_injection_prints_as_text_and_fetches_nothing(tmp_path, monkeypatch):
    data = json.loads((SAMPLES / "harbourside-newbuild.json").read_text())
    evil = '<img src="file:///etc/passwd">'
    data["profile"]["name"] = evil
    data["energy_use"][0]["group"] = "<style>@import url(http://example.org/x.css)</style>"
    src = tmp_path / "evil.json"
    src.write_text(json.dumps(data))
    fetched: list[str] = []
    original = AssetOnlyFetcher.fetch

    def spy(self, url, headers=None):
        fetched.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(AssetOnlyFetcher, "fetch", spy)
    monkeypatch.setenv("NZN_PDF_WORKER", "0")  # render in this process, so the spy sees every fetch
    pdf, html = tmp_path / "e.pdf", tmp_path / "e.html"
    result = runner.invoke(app, ["assess", str(src), "-o", str(pdf), "-o", str(html), "-q"])
    assert result.exit_code == 0, result.output
    text = _normalise("\n".join(p.extract_text() for p in PdfReader(pdf).pages))
    assert evil in text, "the name prints as text"
    assert not [u for u in fetched if "passwd" in u or "example.org" in u], fetched
    page = html.read_text()
    assert "<img src=" not in page and "&lt;img src=" in page


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "http://example.org/a.png", "https://example.org/a.css", "nzn-asset:/../../etc/passwd", "/etc/passwd"]
)
def test_fetcher_refuses_everything_but_package_assets(url):
    fetcher = AssetOnlyFetcher()
    with pytest.raises(ValueError):
        fetcher.fetch(url)
    assert fetcher.refused == [url]


def test_fetcher_serves_package_assets():
    fetcher = AssetOnlyFetcher()
    response = fetcher.fetch("nzn-asset:/report.css")
    assert b"@page" in response.read()
    assert response.content_type == "text/css"
    assert fetcher.refused == []


def test_failed_render_leaves_no_file(tmp_path, monkeypatch):
    import assessment.report.render as render

    def boom(*args, **kwargs):
        raise RuntimeError("renderer crashed")

    monkeypatch.setattr(render, "render_pdf", boom)
    target = tmp_path / "out.pdf"
    with pytest.raises(RuntimeError):
        runner.invoke(app, ["assess", str(SAMPLES / "harbourside-newbuild.json"), "-o", str(target), "-q"], catch_exceptions=False)
    assert not target.exists()
    assert list(tmp_path.iterdir()) == [], "no temporary file is left behind"


def test_output_over_input_is_refused(tmp_path):
    src = tmp_path / "in.json"
    src.write_bytes((SAMPLES / "harbourside-newbuild.json").read_bytes())
    before = src.read_bytes()
    result = runner.invoke(app, ["assess", str(src), "--json", str(src)])
    assert result.exit_code == 2
    assert src.read_bytes() == before


def test_invalid_input_writes_nothing(tmp_path):
    data = json.loads((SAMPLES / "harbourside-newbuild.json").read_text())
    data["profile"]["population"] = -5
    src = tmp_path / "bad.json"
    src.write_text(json.dumps(data))
    out = tmp_path / "out"
    out.mkdir()
    result = runner.invoke(
        app, ["assess", str(src), "-o", str(out / "r.pdf"), "--json", str(out / "r.json"), "--xlsx", str(out / "r.xlsx")]
    )
    assert result.exit_code == 2
    assert "$.profile.population" in result.output
    assert list(out.iterdir()) == []


def test_results_workbook_keeps_formula_text_as_text(tmp_path):
    from openpyxl import load_workbook

    data = json.loads((SAMPLES / "harbourside-newbuild.json").read_text())
    data["profile"]["name"] = '=HYPERLINK("http://example.org","x")'
    src = tmp_path / "f.json"
    src.write_text(json.dumps(data))
    out = tmp_path / "r.xlsx"
    result = runner.invoke(app, ["assess", str(src), "--xlsx", str(out), "-q"])
    assert result.exit_code == 0, result.output
    ws = load_workbook(out)["Summary"]
    cell = ws["B2"]
    assert cell.value == data["profile"]["name"] and cell.data_type == "s"


@pytest.mark.parametrize("variant", ["pdf/a-3b", "pdf/ua"])
def test_pdf_variants(tmp_path, variant):
    target = tmp_path / "v.pdf"
    result = runner.invoke(app, ["assess", str(SAMPLES / "harbourside-newbuild.json"), "-o", str(target), "--pdf-variant", variant, "-q"])
    assert result.exit_code == 0, result.output
    reader = PdfReader(target)
    if variant == "pdf/a-3b":
        names = set(reader.attachments)
        assert {"harbourside-newbuild.json", "results.json"} <= names, names
        results = json.loads(reader.attachments["results.json"][0])
        assert results["profile"]["name"] == "Harbourside Eco-district (illustrative)"
    else:
        assert "/StructTreeRoot" in reader.trailer["/Root"], "PDF/UA output is tagged"


def test_bilingual_results_workbook_has_valid_sheet_names(tmp_path):
    """Excel forbids / in sheet names; the bilingual edition joins two names, so the workbook must still be written."""
    from typer.testing import CliRunner

    from assessment.cli import app

    out = tmp_path / "r.xlsx"
    res = CliRunner().invoke(app, ["assess", str(SAMPLES / "riverside-retrofit.json"), "--lang", "en+zh", "--xlsx", str(out), "-q"])
    assert res.exit_code == 0, res.output
    import openpyxl

    names = openpyxl.load_workbook(out).sheetnames
    assert names and all("/" not in n and len(n) <= 31 for n in names)
