"""`nzn validate` and `nzn assess` on a generated corpus of hostile, broken and odd inputs.

The corpus (tests/bad_inputs/make_corpus.py) is written once per module into a
temporary folder. For every case:

* invalid input (expected exit 2): both commands exit 2 without a traceback,
  print a problem located at the expected ``Sheet!Cell`` / file name / JSON path
  with the expected key phrase, every problem listed by ``validate --json`` has
  a location, and ``assess -o out.pdf --json out.json`` writes nothing at all
  into its (empty) output folder;
* valid but odd input (expected exit 0): validate and assess succeed; hostile
  text prints as escaped text in the HTML report (no live ``<script>``, no
  ``javascript:`` link, no ``url(...)`` fetch), formula-looking text comes back
  as text cells in the results workbook, and (for a few cases) the PDF renders
  without fetching anything;
* in every case the input file keeps its bytes and modification time, and no
  file appears beside it.

PDFs are rendered only for the cases marked ``pdf``; the rest use --json,
--xlsx and HTML only, so the module runs in about a minute.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import traceback
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assessment.cli import app
from tests.bad_inputs.make_corpus import INVALID, ODD, Case, build, plan

runner = CliRunner()
PLANNED = plan(Path("corpus"))  # expectations and ids only; the files are written by the fixture
CELL = re.compile(r"^[^!]+![A-Z]+\d+$")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> dict[str, Case]:
    folder = tmp_path_factory.mktemp("bad_inputs")
    return {c.name: c for c in build(folder)}


# --------------------------------------------------------------------------- helpers


def _own_url(url: str) -> bool:
    """A URL the PDF renderer may ask for: a package asset, or a chart the document carries inline whose decoded body
    is an SVG or a PNG (render.charts_as_images, charts.RASTER_ABOVE). Anything an SVG refers to is asked of the same
    fetcher, so a chart reaching out would show up here as a URL of its own."""
    from assessment.report.render import ASSET_SCHEME, INLINE_PNG, INLINE_SVG

    if url.startswith(ASSET_SCHEME):
        return True
    for prefix, magic in ((INLINE_SVG, b"<svg"), (INLINE_PNG, b"\x89PNG")):
        if url.startswith(prefix):
            return base64.b64decode(url[len(prefix) :]).startswith(magic)
    return False


def _snapshot(path: Path) -> tuple[str, int, list[str]]:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest(), path.stat().st_mtime_ns, sorted(os.listdir(path.parent))


def _no_crash(result, what: str) -> None:
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        tb = "".join(traceback.format_exception(result.exception, limit=-4))
        pytest.fail(f"{what} crashed with {type(result.exception).__name__} (exit {result.exit_code}):\n{tb}\n{result.output}")
    assert "Traceback" not in result.output, result.output


def _located(output: str, case: Case) -> bool:
    """One printed problem starts at ``case.where`` (a whole cell address, or a prefix) and says the key phrase."""
    for line in (raw.strip() for raw in output.splitlines()):
        at = line.startswith(case.where + ": ") if CELL.match(case.where) else line.startswith(case.where)
        if at and any(p in line for p in case.phrases):
            return True
    return False


def _assert_refused(result, case: Case, what: str) -> None:
    _no_crash(result, what)
    assert result.exit_code == INVALID, f"{what}: exit {result.exit_code}, expected {INVALID}\n{result.output}"
    assert _located(result.output, case), f"{what}: no problem at {case.where!r} saying {case.phrases!r}; got:\n{result.output}"


class _Html(HTMLParser):
    """Tags, attribute values, text nodes and raw <style>/<script> contents of a page."""

    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str, str]] = []
        self.text: list[str] = []
        self.raw: list[str] = []
        self._raw = False
        self.feed(page)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += [(tag, k, v or "") for k, v in attrs]
        self._raw = tag in ("style", "script")

    def handle_endtag(self, tag):
        self._raw = False

    def handle_data(self, data):
        (self.raw if self._raw else self.text).append(data)


URL_ATTRS = {"href", "src", "srcset", "action", "formaction", "xlink:href", "poster", "background", "data", "ping", "cite"}
FETCH = re.compile(r"url\(\s*['\"]?\s*(?!nzn-asset:)[a-z][a-z0-9+.-]*:", re.I)


def _assert_safe_html(page: str, texts: tuple[str, ...]) -> None:
    doc = _Html(page)
    assert "script" not in doc.tags, "no live <script> element"
    for tag, key, value in doc.attrs:
        # input text may sit, escaped, in harmless attributes (<meta content>, title); never in ones that act
        assert not key.startswith("on"), f"<{tag} {key}=...> is an event handler"
        if key in URL_ATTRS or key == "style":
            assert not re.match(r"\s*(javascript|vbscript|data):", value, re.I), f"<{tag} {key}={value!r}> is a live script URL"
            assert "attacker.example" not in value and "http://x" not in value, f"<{tag} {key}={value!r}> carries input text"
        if key == "style":
            assert not FETCH.search(value), f"<{tag} style={value!r}> fetches a URL"
    for block in doc.raw:
        assert not FETCH.search(block), "a <style> block fetches a URL other than the package's own assets"
        assert "attacker.example" not in block
    text = "\x00".join(doc.text)
    for t in texts:
        assert t in text, f"{t!r} does not print as text in the HTML report"
        if "<" in t:
            assert t not in page, f"{t!r} is in the page as markup, not escaped"


def _assert_text_cells(xlsx: Path, texts: tuple[str, ...]) -> None:
    from openpyxl import load_workbook

    cells = [c for ws in load_workbook(xlsx).worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    formulas = [f"{c.parent.title}!{c.coordinate}={c.value!r}" for c in cells if c.data_type == "f"]
    assert not formulas, f"the results workbook holds formulas: {formulas[:5]}"
    for t in texts:
        hits = [c for c in cells if isinstance(c.value, str) and t in c.value]
        assert hits, f"{t!r} is not in the results workbook"
        assert all(c.data_type == "s" for c in hits), [(c.coordinate, c.data_type) for c in hits]


# --------------------------------------------------------------------------- tests


def test_corpus_is_large_and_varied(corpus):
    assert len(corpus) >= 40
    assert set(corpus) == {c.name for c in PLANNED}
    kinds = {c.exit_code for c in corpus.values()}
    assert kinds == {INVALID, ODD}
    assert {Path(c.name).suffix for c in corpus.values()} >= {".xlsx", ".xls", ".xlsm", ".json", ".yaml"}
    assert all(c.path.exists() for c in corpus.values())


@pytest.mark.parametrize("name", [c.name for c in PLANNED])
def test_validate(name: str, corpus) -> None:
    case = corpus[name]
    before = _snapshot(case.path)
    result = runner.invoke(app, ["validate", *case.extra_args, str(case.path)])
    if case.invalid:
        _assert_refused(result, case, "validate")
        listed = runner.invoke(app, ["validate", "--json", *case.extra_args, str(case.path)])
        _no_crash(listed, "validate --json")
        assert listed.exit_code == INVALID, listed.output
        issues = json.loads(listed.stdout)["issues"]
        unlocated = [i["message"] for i in issues if not i["where"].strip()]
        assert not unlocated, f"problems printed without a sheet/cell or file name: {unlocated[:5]}"
        assert any(i["where"].startswith(case.where) and any(p in i["message"] for p in case.phrases) for i in issues), issues[:5]
    else:
        _no_crash(result, "validate")
        assert result.exit_code == ODD, f"validate: exit {result.exit_code}, expected {ODD}\n{result.output}"
        assert "is valid" in result.output
    assert _snapshot(case.path) == before, "the input (or its folder) changed"


@pytest.mark.parametrize("name", [c.name for c in PLANNED if c.invalid])
def test_assess_refuses_and_writes_nothing(name: str, corpus, tmp_path) -> None:
    case = corpus[name]
    out = tmp_path / "out"
    out.mkdir()
    before = _snapshot(case.path)
    result = runner.invoke(app, ["assess", str(case.path), "-o", str(out / "out.pdf"), "--json", str(out / "out.json"), *case.extra_args])
    written = sorted(p.name for p in out.iterdir())
    problems = []
    try:
        _assert_refused(result, case, "assess")
    except (AssertionError, pytest.fail.Exception) as exc:
        problems.append(str(exc))
    if written:
        problems.append(f"files written for an invalid input: {written}")
    if _snapshot(case.path) != before:
        problems.append("the input (or its folder) changed")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("name", [c.name for c in PLANNED if not c.invalid])
def test_assess_odd_but_valid(name: str, corpus, tmp_path, monkeypatch) -> None:
    case = corpus[name]
    out = tmp_path / "out"
    out.mkdir()
    html, js, xlsx, pdf = out / "out.html", out / "out.json", out / "out.xlsx", out / "out.pdf"
    args = [
        "assess",
        str(case.path),
        "-o",
        str(html),
        "--json",
        str(js),
        "--xlsx",
        str(xlsx),
        "--date",
        "2026-01-01",
        "-q",
        *case.extra_args,
    ]
    fetched: list[str] = []
    if case.pdf:
        from assessment.report.render import AssetOnlyFetcher

        original = AssetOnlyFetcher.fetch

        def spy(self, url, headers=None):
            fetched.append(url)
            return original(self, url, headers)

        monkeypatch.setattr(AssetOnlyFetcher, "fetch", spy)
        monkeypatch.setenv("NZN_PDF_WORKER", "0")  # render here, so the spy sees every fetch
        args += ["-o", str(pdf)]
    before = _snapshot(case.path)
    result = runner.invoke(app, args)
    _no_crash(result, "assess")
    assert result.exit_code == ODD, f"assess: exit {result.exit_code}, expected {ODD}\n{result.output}"
    assert _snapshot(case.path) == before, "the input (or its folder) changed"

    results = json.loads(js.read_text(encoding="utf-8"))
    assert results["input"]["sha256"] == before[0]
    _assert_safe_html(html.read_text(encoding="utf-8"), case.report_texts)
    _assert_text_cells(xlsx, case.xlsx_texts)
    if case.pdf:
        from pypdf import PdfReader

        # the package's assets, and the charts the document carries inline (render.charts_as_images): nothing else
        assert not [u for u in fetched if not _own_url(u)], f"the PDF renderer was asked to fetch {fetched}"
        text = re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(pdf).pages))
        for t in case.report_texts:
            assert re.sub(r"\s+", "", t) in text, f"{t!r} does not print as text in the PDF"
