"""The council-ready layout (issue #18 items 1 and 2), measured on the rendered PDFs.

- Page 1 is the whole dashboard in English, Chinese and the bilingual edition: page 2 begins the emissions section.
- The body (page 1 up to the annex bookmark) is at most 15 pages for either sample; the annex follows.
- No body page is filled below 25% unless it ends a section (the next page starts a section that begins on a new
  page, or it is the last body page). A page's filled share is how far down its text box its lowest text or drawing
  reaches (pdfplumber's characters, rectangles, lines, curves and images), between the page margins of report.css
  (A4, 20 mm top, 18 mm bottom).
"""

from __future__ import annotations

import re

import pdfplumber
import pytest
from pypdf import PdfReader

from assessment import assess, validate_input
from assessment.i18n import language
from assessment.report import write_reports
from tests.conftest import SAMPLE_NAMES, SAMPLES

MM = 72 / 25.4
TOP, BOTTOM = 20 * MM, 18 * MM  # templates/report.css @page margin
MAX_BODY_PAGES = 15  # issue #18 item 2
MIN_FILL = 0.25  # issue #18 item 2


def filled_share(page) -> float:
    """How far down the text box the page's lowest text or drawing reaches (0 = empty, 1 = to the bottom margin)."""
    box = page.height - TOP - BOTTOM
    objs = page.chars + page.rects + page.lines + page.curves + page.images
    bottoms = [o["bottom"] for o in objs if o["top"] >= TOP - 2 and o["bottom"] <= page.height - BOTTOM + 2]
    return max(0.0, (max(bottoms) - TOP) / box) if bottoms else 0.0


def structure(path) -> tuple[int, set[int]]:
    """(first annex page, pages that start a section at their top), 1-based, from the PDF's bookmarks."""
    reader = PdfReader(path)
    annex, starts = None, set()

    def walk(items):
        nonlocal annex
        for item in items:
            if isinstance(item, list):
                walk(item)
                continue
            page = reader.get_destination_page_number(item) + 1
            top = float(item.top) if item.top is not None else 0.0
            if top >= float(reader.pages[page - 1].mediabox.height) - TOP - 30:  # the heading is the first thing on its page
                starts.add(page)
            if annex is None and item.title.startswith(("Annex", "附录")):
                annex = page

    walk(reader.outline)
    assert annex is not None, "the report has an annex bookmark"
    return annex, starts


@pytest.fixture(scope="module")
def rendered(method, tmp_path_factory):
    out = tmp_path_factory.mktemp("layout")
    paths = {}
    for name in SAMPLE_NAMES:
        result = assess(validate_input(SAMPLES / f"{name}.json"), method)
        for lang in ("en", "zh", "en+zh"):
            path = out / f"{name}-{lang}.pdf"
            with language(lang):
                write_reports(result, method, [path], f"{name}.json", "2026-01-01")
            paths[name, lang] = path
    return paths


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_body_is_at_most_15_pages_and_the_annex_follows(rendered, name):
    annex, _starts = structure(rendered[name, "en"])
    body = annex - 1
    assert body <= MAX_BODY_PAGES, f"{name}: body of {body} pages"
    assert len(PdfReader(rendered[name, "en"]).pages) > annex, "the annex has pages after its first"


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_no_body_page_is_nearly_empty_unless_it_ends_a_section(rendered, name):
    path = rendered[name, "en"]
    annex, starts = structure(path)
    with pdfplumber.open(path) as pdf:
        fills = {n: filled_share(pdf.pages[n - 1]) for n in range(1, annex)}
    thin = [n for n, share in fills.items() if share < MIN_FILL and (n + 1) not in starts and n + 1 != annex]
    assert not thin, {n: round(fills[n], 2) for n in thin}


@pytest.mark.parametrize("name", SAMPLE_NAMES)
@pytest.mark.parametrize("lang", ["en", "zh", "en+zh"])
def test_page_1_is_the_whole_dashboard(rendered, name, lang):
    """Page 1 holds the dashboard to its last element (the recommendations' note); page 2 starts the emissions section."""
    path = rendered[name, lang]
    _annex, starts = structure(path)
    assert 2 in starts, f"{name} {lang}: page 2 does not start a section, so page 1 spilled over"
    first = PdfReader(path).pages[0].extract_text()
    assert "tCO2e" in first and ("M10" in first), "the recommendations and the module tiles are on page 1"


def test_filled_share_measures_what_it_says(tmp_path):
    """The measure itself: a page with one line at the top reads under 25%, a page filled to the bottom reads over 90%."""
    from weasyprint import HTML

    css = "@page { size: A4; margin: 20mm 16mm 18mm 16mm } body { margin: 0; font-size: 10pt }"
    one_line = tmp_path / "one.pdf"
    HTML(string=f"<style>{css}</style><p>one line</p>").write_pdf(one_line)
    full = tmp_path / "full.pdf"
    HTML(string=f"<style>{css}</style>" + "<p>line</p>" * 60).write_pdf(full)
    with pdfplumber.open(one_line) as pdf:
        assert filled_share(pdf.pages[0]) < 0.05
    with pdfplumber.open(full) as pdf:
        assert filled_share(pdf.pages[0]) > 0.9


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_no_page_carries_a_single_scenario_measure_over(rendered, name):
    """The annex's measures tables (templates/_scenario_measures.html.j2, issue #18 item 2: never one row alone on a
    page): a page that continues a scenario's table (no "<scenario>: measures" heading on it) holds at least two of its
    measures. A measure row's text starts with its order and its id ("9 A8 ...")."""
    reader = PdfReader(rendered[name, "en"])
    for n, page in enumerate(reader.pages, 1):
        text = page.extract_text()
        rows = re.findall(r"^\d+ [A-Z]{1,3}\d+ ", text, re.M)
        if rows and ": measures" not in text:
            assert len(rows) >= 2, f"{name} page {n}: {rows} alone"


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_every_page_of_the_scenario_measures_holds_a_measure(rendered, name):
    """Issue #18 item 2 (never a page for a paragraph): each page whose running head names the annex's "Scenario
    measures" holds at least one measure row. Before, the notes under the last scenario's table could run onto a page of
    their own (Riverside en, page 23 of 32: three lines of note)."""
    with pdfplumber.open(rendered[name, "en"]) as pdf:
        for n, page in enumerate(pdf.pages, 1):
            head = page.crop((0, 0, page.width, TOP - 2)).extract_text() or ""
            if "Scenario measures" in head:
                body = page.crop((0, TOP - 2, page.width, page.height - BOTTOM)).extract_text() or ""
                assert re.search(r"^\d+ [A-Z]{1,3}\d+ ", body, re.M), f"{name} page {n} holds no measure:\n{body[:300]}"
