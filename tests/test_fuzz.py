"""Fuzz the workbook reader: random values of random types in random input cells (hypothesis).

Each example takes the filled, valid example workbook, writes random values into
random input cells -- the scalar cells behind the defined names (Profile,
Nature) and cells inside the tables (filled rows and blank rows, module tables
included) -- saves it to a temporary file and reads it with
:func:`assessment.checks.validate_input`, exactly as ``nzn validate`` does. Then:

* either reading fails with :class:`InputInvalid` and every issue is located by
  ``Sheet!Cell`` (``^[^!]+![A-Z]+\\d+$``) or names the file,
* or it succeeds, and :func:`assessment.pipeline.assess` and
  :func:`assessment.report.report_html` run without error.

Values: none, integers and floats (huge, tiny, negative), text (any Unicode,
formula-looking, error-code-looking, numbers with % or spaces, over-long),
booleans, dates, datetimes and times, and valid choice labels and codes (so
that many examples stay valid and reach the assessment).

Profiles
--------
``NZN_FUZZ_EXAMPLES`` sets ``max_examples`` (default 25, the CI profile, about
20 s). The long profile is run by hand::

    NZN_FUZZ_EXAMPLES=2000 python3 -m pytest tests/test_fuzz.py -q -p no:warnings --hypothesis-show-statistics

With ``NZN_FUZZ_LOG=/tmp/nzn-fuzz.json`` the running totals (examples run,
valid, invalid, failures) are rewritten to that file after every example, so a
run stopped by ``timeout`` still tells how far it got. Hypothesis stops at the
first failure; with ``NZN_FUZZ_KEEP_GOING=1`` each failure is instead recorded
in the log (once per distinct exception and code location, with its first
example) and fuzzing goes on, and ``test_no_failures_recorded`` fails at the
end if anything was recorded. A ten-minute hunt::

    NZN_FUZZ_EXAMPLES=100000 NZN_FUZZ_KEEP_GOING=1 NZN_FUZZ_LOG=/tmp/nzn-fuzz.json \
        timeout 660 python3 -m pytest tests/test_fuzz.py -q -p no:warnings --hypothesis-show-statistics
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import tempfile
import time
import traceback
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import range_boundaries

from assessment.checks import validate_input
from assessment.emissions.factors import load_factors
from assessment.errors import InputInvalid
from assessment.i18n import LANGUAGES, _, language
from assessment.io.examples import load_example
from assessment.io.fields import base_type, header_index, norm_header
from assessment.io.template import write_template
from assessment.model.enums import CodeEnum
from assessment.model.inputs import SCALAR_SECTIONS, row_model
from assessment.model.method import load_method
from assessment.pipeline import assess
from assessment.report import report_html

MAX_EXAMPLES = int(os.environ.get("NZN_FUZZ_EXAMPLES", "25"))
LOG = os.environ.get("NZN_FUZZ_LOG")
#: Long runs: record each failure (once per distinct signature) in the log and keep fuzzing, instead of
#: stopping at the first one; test_no_failures_recorded then fails if any was recorded.
KEEP_GOING = os.environ.get("NZN_FUZZ_KEEP_GOING") == "1"
CELL = re.compile(r"^[^!]+![A-Z]+\d+$")
INPUT_NAME = "fuzz.xlsx"
METHOD = load_method()
FACTORS = load_factors()


Target = tuple[str, str, object]  # (sheet, coordinate, the field's type) of one input cell


@dataclass(frozen=True)
class Base:
    path: Path
    scalars: list[Target] = field(repr=False)  # every scalar input cell
    filled: list[Target] = field(repr=False)  # table input cells of the rows the example fills
    blank: list[Target] = field(repr=False)  # table input cells of the blank rows


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Base:
    path = tmp_path_factory.mktemp("fuzz") / "riverside.xlsx"
    write_template(path, METHOD, FACTORS, load_example("riverside-retrofit"))
    wb = openpyxl.load_workbook(path)
    scalars = []
    for _attr, model, _sheet in SCALAR_SECTIONS:
        for fname, finfo in model.model_fields.items():
            sheet, ref = wb.defined_names[fname].attr_text.rsplit("!", 1)
            scalars.append((sheet.strip("'"), ref.replace("$", ""), base_type(finfo.annotation)))
    filled, blank = [], []
    for ws in wb.worksheets:
        for tname, ref in ws.tables.items():
            model = row_model(tname)
            index = header_index(model)
            c1, r1, c2, r2 = range_boundaries(ref if isinstance(ref, str) else ref.ref)
            cols = {c: index.get(norm_header(str(ws.cell(r1, c).value))) for c in range(c1, c2 + 1)}
            cols = {c: base_type(model.model_fields[f].annotation) for c, f in cols.items() if f}
            for r in range(r1 + 1, r2 + 1):
                used = any(ws.cell(r, c).value not in (None, "") for c in range(c1, c2 + 1))
                (filled if used else blank).extend((ws.title, f"{get_column_letter(c)}{r}", kind) for c, kind in cols.items())
    return Base(path=path, scalars=scalars, filled=filled, blank=blank)


# --------------------------------------------------------------------------- values


def _labels() -> list[str]:
    out: set[str] = set()
    for enum in CodeEnum.__subclasses__():
        for member in enum:
            out.add(member.value)
            for lang in LANGUAGES:
                with language(lang):
                    out.add(_(member.label))
    return sorted(out)


CHOICES = _labels()
#: Text openpyxl can store (it refuses C0 control characters other than tab, LF and CR).
TEXT_CHARS = st.characters(blacklist_categories=("Cs",), blacklist_characters=[chr(c) for c in range(32) if chr(c) not in "\t\n\r"])

VALUES = st.one_of(
    st.none(),
    st.integers(min_value=-(10**15), max_value=10**15),
    st.integers(min_value=1990, max_value=2100),
    st.floats(allow_nan=False, allow_infinity=False),
    st.floats(min_value=0, max_value=1e6, allow_nan=False),
    st.sampled_from([0, -0.0, 1e308, -1e308, 5e-324, 1e12, 1e12 + 1, 100.0000001, 2024.5, 10**20]),
    st.text(TEXT_CHARS, max_size=40),
    st.sampled_from(
        [
            "35%",
            " 12 ",
            "1,000",
            "1e3",
            "TRUE",
            "yes",
            "否",
            "N/A",
            "-",
            "=1+1",
            '=HYPERLINK("http://x","y")',
            "@SUM(A1)",
            "#REF!",
            "#DIV/0!",
            "<script>alert(1)</script>",
            "Cheng\u202edu",
            "  ",
            "0x1F",
            "∞",
            "NaN",
            "inf",
        ]
    ),
    st.builds(lambda ch, n: ch * n, st.sampled_from(["a", "河", "\u00e9"]), st.integers(9_990, 10_050)),
    st.booleans(),
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2200, 12, 31)),
    st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2200, 12, 31)),
    st.times(),
    st.sampled_from(CHOICES),
)


def _plausible(kind) -> st.SearchStrategy:
    """A value of the field's own type (it may still break a bound or a cross-field rule)."""
    if isinstance(kind, type) and issubclass(kind, CodeEnum):
        return st.sampled_from([m.value for m in kind])
    if kind is int:
        return st.integers(min_value=1990, max_value=2100) | st.integers(min_value=0, max_value=100_000)
    if kind is float:
        return st.floats(min_value=0, max_value=1e5, allow_nan=False) | st.integers(min_value=0, max_value=10**6)
    if kind is bool:
        return st.booleans()
    return st.text(st.characters(categories=("L", "N", "Zs", "P")), min_size=1, max_size=30)


def _edit(target: Target) -> st.SearchStrategy:
    sheet, coord, kind = target
    # half random values of any type, half values of the field's own type (so that many examples stay valid)
    value = st.booleans().flatmap(lambda anything: VALUES if anything else _plausible(kind))
    return st.tuples(st.just((sheet, coord)), value)


def _edits(b: Base):
    pools = (b.scalars, b.scalars, b.filled, b.filled, b.filled, b.blank)  # blank rows less often: a partial row is always invalid
    cell = st.sampled_from(pools).flatmap(st.sampled_from)
    return st.lists(cell.flatmap(_edit), min_size=1, max_size=5)


# --------------------------------------------------------------------------- bookkeeping


TOTALS: dict = {
    "examples": 0,
    "valid": 0,
    "invalid": 0,
    "failures": 0,
    "started": time.strftime("%Y-%m-%dT%H:%M:%S"),
    "distinct_failures": {},
}


def _record_failure(exc: BaseException, edits) -> None:
    """Keep one entry per distinct failure: exception type, the innermost frame in the toolkit, the message."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if "/assessment/" in f.filename] or traceback.extract_tb(
        exc.__traceback__
    )[-1:]
    where = f"{Path(frames[-1].filename).name}:{frames[-1].lineno} {frames[-1].name}" if frames else "?"
    key = f"{type(exc).__name__} at {where}"
    entry = TOTALS["distinct_failures"].setdefault(key, {"count": 0, "message": str(exc)[:300], "first_edits": repr(edits)[:500]})
    entry["count"] += 1


def _write_log() -> None:
    if LOG:
        TOTALS["max_examples"] = MAX_EXAMPLES
        TOTALS["updated"] = time.strftime("%Y-%m-%dT%H:%M:%S")
        Path(LOG).write_text(json.dumps(TOTALS, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def _count(outcome: str) -> None:
    TOTALS["examples"] += 1
    TOTALS[outcome] += 1
    event(outcome)
    if LOG:
        _write_log()


# --------------------------------------------------------------------------- the property


@settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_mutated_workbook_is_read_cleanly(base: Base, data) -> None:
    edits = data.draw(_edits(base), label="edits")
    wb = openpyxl.load_workbook(base.path)
    for (sheet, coord), value in edits:
        wb[sheet][coord].value = value
    spelling = data.draw(st.sampled_from(SPELLINGS), label="spelling")
    with tempfile.TemporaryDirectory(prefix="nzn-fuzz-") as folder:
        path = Path(folder) / INPUT_NAME
        wb.save(path)
        outcome = "failures"
        try:
            if spelling != "as saved":  # the same cells spelled another legal way must read the same (issue #15, class 2)
                respelled = _respell(path, Path(folder) / f"respelled-{INPUT_NAME}", spelling)
                assert _issues_of(respelled) == _issues_of(path), f"reading changed when the sheet XML was spelled with {spelling}"
                path = respelled
            outcome = _check(path)
        except Exception as exc:
            if not KEEP_GOING:
                raise
            _record_failure(exc, edits)
        finally:
            _count(outcome)


#: Legal respellings of sheet XML (ECMA-376 leaves attribute quoting and the space around '=' free).
SPELLINGS = ("as saved", "single quotes", "spaced attributes")
_ATTR = re.compile(rb'(\s[\w:]+)="([^"\'<>]*)"')


def _respell(src: Path, dst: Path, spelling: str) -> Path:
    """A copy of the workbook whose sheet XML spells every attribute the other legal way."""
    repl = rb"\1='\2'" if spelling == "single quotes" else rb'\1 =  "\2"'
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                head, sep, body = data.partition(b"?>")  # the XML declaration keeps its spelling
                data = head + sep + _ATTR.sub(repl, body) if sep else _ATTR.sub(repl, data)
            zout.writestr(info, data)
    return dst


def _issues_of(path: Path) -> tuple:
    """What validation finds, as (where, code) pairs; () when valid."""
    try:
        validate_input(path, METHOD, factors=FACTORS)
    except InputInvalid as exc:
        return tuple((i.where, i.code) for i in exc.issues)
    return ()


def _check(path: Path) -> str:
    try:
        loaded = validate_input(path, METHOD, factors=FACTORS)
    except InputInvalid as exc:
        assert exc.issues, "InputInvalid without any issue"
        unlocated = [str(i) or repr(i) for i in exc.issues if not (CELL.match(i.where) or i.where == path.name)]
        assert not unlocated, f"issues not located by Sheet!Cell or the file name: {unlocated[:5]}"
        return "invalid"
    result = assess(loaded, METHOD, FACTORS)
    page = report_html(result, METHOD, path.name, "2026-01-01")
    assert result.profile.name and "</html>" in page
    return "valid"


def test_no_failures_recorded() -> None:
    """With NZN_FUZZ_KEEP_GOING=1 failures are collected rather than raised; any collected one fails here."""
    assert not TOTALS["distinct_failures"], json.dumps(TOTALS["distinct_failures"], indent=1, ensure_ascii=False)
