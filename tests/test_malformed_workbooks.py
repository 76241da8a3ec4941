"""`nzn validate` on malformed workbooks: every problem is named by sheet and cell.

Each case is generated here from the filled example workbook (written once per
session), changed with openpyxl (or by editing the saved zip), and validated
through the CLI. Cells are found by defined name or by table and header, never
by hard-coded address, so the expected ``Sheet!Cell`` follows the template.

Every case expects: exit code 2, an issue line ``<Sheet!Cell>: <message>`` on
stderr for the right cell, and the key phrase of the message on that line.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import random
import re
import shutil
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import openpyxl
import pytest
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import range_boundaries
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet
from typer.testing import CliRunner

from assessment.cli import app
from assessment.emissions.factors import load_factors
from assessment.io.examples import load_example
from assessment.io.template import write_template
from assessment.model.inputs import row_model
from assessment.model.method import load_method

EXIT_INVALID = 2
INPUT_NAME = "input.xlsx"


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def base_xlsx(tmp_path_factory) -> Path:
    """The filled, valid example workbook, written once for the whole module."""
    path = tmp_path_factory.mktemp("base") / "riverside.xlsx"
    write_template(path, load_method(), load_factors(), load_example("riverside-retrofit"))
    return path


# --------------------------------------------------------------------------- locating cells


def named_cell(wb: Workbook, name: str) -> tuple[Worksheet, str]:
    """Worksheet and plain coordinate (``B18``) of a single-cell defined name."""
    text = wb.defined_names[name].attr_text
    sheet, ref = text.rsplit("!", 1)
    if sheet.startswith("'") and sheet.endswith("'"):
        sheet = sheet[1:-1].replace("''", "'")
    return wb[sheet], ref.replace("$", "")


def named_addr(wb: Workbook, name: str) -> str:
    ws, coord = named_cell(wb, name)
    return f"{ws.title}!{coord}"


def find_table(wb: Workbook, name: str):
    for ws in wb.worksheets:
        if name in ws.tables:
            return ws, ws.tables[name]
    raise KeyError(f"no table {name!r} in the workbook")


def table_bounds(wb: Workbook, table: str) -> tuple[Worksheet, int, int, int, int]:
    """(worksheet, first col, header row, last col, last row), 1-based."""
    ws, t = find_table(wb, table)
    c1, r1, c2, r2 = range_boundaries(t.ref)
    return ws, c1, r1, c2, r2


def table_col(wb: Workbook, table: str, field: str) -> int:
    """1-based column of ``field`` in ``table``, found by the header's English title."""
    ws, c1, r1, c2, _r2 = table_bounds(wb, table)
    title = row_model(table).model_fields[field].title
    for c in range(c1, c2 + 1):
        head = str(ws.cell(r1, c).value or "")
        if head == title or (head.startswith(title) and head[len(title)] in " [("):
            return c
    raise KeyError(f"no column for {field!r} in table {table!r}")


def table_cell(wb: Workbook, table: str, field: str, row: int = 0) -> tuple[Worksheet, str]:
    """Worksheet and coordinate of data row ``row`` (0-based) of ``field`` in ``table``."""
    ws, _c1, r1, _c2, _r2 = table_bounds(wb, table)
    return ws, f"{get_column_letter(table_col(wb, table, field))}{r1 + 1 + row}"


def table_addr(wb: Workbook, table: str, field: str, row: int = 0) -> str:
    ws, coord = table_cell(wb, table, field, row)
    return f"{ws.title}!{coord}"


def table_header_addr(wb: Workbook, table: str) -> str:
    ws, c1, r1, _c2, _r2 = table_bounds(wb, table)
    return f"{ws.title}!{get_column_letter(c1)}{r1}"


# --------------------------------------------------------------------------- running the CLI


def run_validate(path: Path):
    result = CliRunner().invoke(app, ["validate", str(path)])
    return result


def _stderr(result) -> str:
    try:
        return result.stderr
    except ValueError:  # older click without separate stderr capture
        return result.output


def issue_lines(result) -> list[str]:
    return [line.strip() for line in _stderr(result).splitlines() if line.strip()]


def assert_invalid(result, where: str, phrase: str) -> None:
    """Exit 2, no traceback, and one issue line ``where: ...phrase...``."""
    err = _stderr(result)
    assert not (result.exception and not isinstance(result.exception, SystemExit)), (
        f"validate crashed with {type(result.exception).__name__}: {result.exception}\n{err}"
    )
    assert "Traceback" not in err, err
    assert result.exit_code == EXIT_INVALID, f"exit code {result.exit_code}, expected {EXIT_INVALID}\n{err}"
    at_where = [line for line in issue_lines(result) if line.startswith(f"{where}: ")]
    assert at_where, f"no issue reported at {where}; got:\n{err}"
    assert any(phrase in line for line in at_where), f"no issue at {where} says {phrase!r}; got:\n{err}"


# --------------------------------------------------------------------------- workbook mutations


Mutation = Callable[[Workbook], str]  # changes the workbook, returns the expected address


def set_named(name: str, value) -> Mutation:
    def mutate(wb: Workbook) -> str:
        ws, coord = named_cell(wb, name)
        ws[coord].value = value
        return f"{ws.title}!{coord}"

    return mutate


def set_table(table: str, field: str, value, row: int = 0) -> Mutation:
    def mutate(wb: Workbook) -> str:
        ws, coord = table_cell(wb, table, field, row)
        ws[coord].value = value
        return f"{ws.title}!{coord}"

    return mutate


def shares_not_100(wb: Workbook) -> str:
    ws, coord = table_cell(wb, "mode_shares", "share_pct", 0)
    ws[coord].value = float(ws[coord].value) + 20
    return table_header_addr(wb, "mode_shares")


def grid_electricity_in_m3(wb: Workbook) -> str:
    ws, coord = table_cell(wb, "energy_use", "carrier", 0)
    assert ws[coord].value == "grid electricity"
    return set_table("energy_use", "unit", "m3", 0)(wb)


def baseline_after_reporting(wb: Workbook) -> str:
    ws, coord = named_cell(wb, "reporting_year")
    return set_named("baseline_year", ws[coord].value + 1)(wb)


def target_before_reporting(wb: Workbook) -> str:
    ws, coord = named_cell(wb, "reporting_year")
    return set_named("target_net_zero_year", ws[coord].value - 4)(wb)


def interim_without_reduction(wb: Workbook) -> str:
    ws, coord = named_cell(wb, "interim_target_year")
    assert ws[coord].value is not None
    return set_named("interim_target_reduction_pct", None)(wb)


def households_over_population(wb: Workbook) -> str:
    ws, coord = named_cell(wb, "population")
    return set_named("households", ws[coord].value + 1)(wb)


def duplicate_project_id(wb: Workbook) -> str:
    ws, first = table_cell(wb, "construction_projects", "project_id", 0)
    return set_table("construction_projects", "project_id", ws[first].value, 1)(wb)


def distance_and_trips(wb: Workbook) -> str:
    ws, coord = table_cell(wb, "transport_activity", "annual_amount", 0)
    assert ws[coord].value is not None
    set_table("transport_activity", "trips_per_day", 2.5, 0)(wb)
    return table_addr(wb, "transport_activity", "trips_per_day", 0)


def split_over_generated(wb: Workbook) -> str:
    ws, gen = table_cell(wb, "renewable_generation", "generated_kwh", 0)
    _ws, own = table_cell(wb, "renewable_generation", "self_consumed_kwh", 0)
    _ws, exp = table_cell(wb, "renewable_generation", "exported_kwh", 0)
    ws[own].value = ws[gen].value
    ws[exp].value = 1000
    return f"{ws.title}!{own}"


def renamed_header(wb: Workbook) -> str:
    ws, t = find_table(wb, "energy_use")
    col = table_col(wb, "energy_use", "amount")
    c1, r1, _c2, _r2 = range_boundaries(t.ref)
    ws.cell(r1, col).value = "Yearly amount"
    t.tableColumns[col - c1].name = "Yearly amount"  # what Excel does when a header is retyped
    return f"{ws.title}!{get_column_letter(col)}{r1}"


def value_below_table(wb: Workbook) -> str:
    ws, c1, _r1, _c2, r2 = table_bounds(wb, "energy_use")
    col = table_col(wb, "energy_use", "amount")
    ws.cell(r2 + 1, col).value = 1234
    return f"{ws.title}!{get_column_letter(col)}{r2 + 1}"


def merged_table_inputs(wb: Workbook) -> str:
    ws, coord = table_cell(wb, "energy_use", "amount", 0)
    _ws, right = table_cell(wb, "energy_use", "unit", 0)
    ws.merge_cells(f"{coord}:{right}")
    return f"{ws.title}!{coord}"


def merged_scalar_cell(wb: Workbook) -> str:
    ws, coord = named_cell(wb, "city")
    cell = ws[coord]
    ws.merge_cells(start_row=cell.row, start_column=cell.column, end_row=cell.row, end_column=cell.column + 1)
    return f"{ws.title}!{coord}"


def project_not_on_construction(wb: Workbook) -> str:
    ws, c1, r1, c2, r2 = table_bounds(wb, "construction_projects")
    col = table_col(wb, "construction_projects", "project_id")
    ids = {ws.cell(r, col).value for r in range(r1 + 1, r2 + 1)}
    assert "P99" not in ids
    return set_table("construction_materials", "project_id", "P99", 0)(wb)


def template_version_changed(wb: Workbook) -> str:
    return set_named("template_version", "0.9")(wb)


def delete_waste_sheet(wb: Workbook) -> str:
    del wb["Waste"]
    return INPUT_NAME


def delete_population_name(wb: Workbook) -> str:
    del wb.defined_names["population"]
    return INPUT_NAME


@dataclass(frozen=True)
class Case:
    id: str
    mutate: Mutation
    phrase: str
    post: Callable[[Path], None] | None = None  # edits the saved zip


def rewrite_part(path: Path, part_of: Callable[[zipfile.ZipFile], str], edit: Callable[[bytes], bytes]) -> None:
    """Rewrite one part of the saved .xlsx zip."""
    with zipfile.ZipFile(path) as zin:
        items = [(info, zin.read(info.filename)) for info in zin.infolist()]
        target = part_of(zin)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zout:
        for info, data in items:
            zout.writestr(info, edit(data) if info.filename == target else data)
    path.write_bytes(buf.getvalue())


def _sheet_part(name: str) -> Callable[[zipfile.ZipFile], str]:
    """Zip part of the worksheet called ``name`` (via workbook.xml and its rels)."""

    def find(zf: zipfile.ZipFile) -> str:
        wbxml = zf.read("xl/workbook.xml").decode()
        rid = re.search(rf'<sheet[^>]*name="{re.escape(name)}"[^>]*r:id="([^"]+)"', wbxml).group(1)
        rels = zf.read("xl/_rels/workbook.xml.rels").decode()
        target = re.search(rf'<Relationship[^>]*Id="{rid}"[^>]*Target="([^"]+)"', rels) or re.search(
            rf'<Relationship[^>]*Target="([^"]+)"[^>]*Id="{rid}"', rels
        )
        t = target.group(1)
        return t.lstrip("/") if t.startswith("/") else f"xl/{t}"

    return find


def corrupt_profile_xml(path: Path) -> None:
    rewrite_part(path, _sheet_part("Profile"), lambda data: data[: len(data) // 2])


# Not covered: NaN in a number cell (openpyxl cannot store it), and a raw \x07 or \x00
# (openpyxl refuses control characters; the bell is written as Excel's _x0007_ escape).
CASES = [
    Case("text-in-population", set_named("population", "twelve"), 'expected a whole number, got "twelve"'),
    Case("text-in-energy-amount", set_table("energy_use", "amount", "lots", 1), 'expected a number, got "lots"'),
    Case(
        "date-in-waste-tonnes", set_table("waste", "tonnes_per_year", dt.datetime(2024, 3, 1), 2), "expected a number, got a date or time"
    ),
    Case("boolean-in-site-area", set_named("site_area_ha", True), "expected a number, got TRUE"),
    Case("negative-energy-amount", set_table("energy_use", "amount", -5, 0), "expected a value of at least 0"),
    Case("amount-1e308", set_table("energy_use", "amount", 1e308, 0), "expected a value of at most"),
    Case("interim-reduction-150pct", set_named("interim_target_reduction_pct", 150), "expected a value of at most 100"),
    Case("percent-typed-as-text", set_named("interim_target_reduction_pct", "35%"), "without the percent sign"),
    Case("non-integer-year", set_named("reporting_year", 2024.5), "expected a whole number"),
    Case("mode-shares-not-100", shares_not_100, "add up to"),
    Case("carrier-typo-did-you-mean", set_table("energy_use", "carrier", "grid electricty", 0), "did you mean 'grid_electricity'?"),
    Case(
        "carrier-unknown-no-match",
        set_table("energy_use", "carrier", "unobtainium", 0),
        "'unobtainium' is not one of the allowed choices: grid_electricity",
    ),
    Case("grid-electricity-in-m3", grid_electricity_in_m3, "does not suit grid_electricity"),
    Case("baseline-after-reporting", baseline_after_reporting, "is after the reporting year"),
    Case("target-before-reporting", target_before_reporting, "must be after the reporting year"),
    Case("interim-year-without-reduction", interim_without_reduction, "give both the interim target year and its reduction"),
    Case("households-over-population", households_over_population, "households is more than the population"),
    Case("blank-profile-name", set_named("name", None), "a value is required here (name)"),
    Case("blank-energy-group", set_table("energy_use", "group", None, 0), "a value is required here (group)"),
    Case("material-project-unknown", project_not_on_construction, "no project 'P99' on the Construction sheet"),
    Case(
        "unknown-material-code",
        set_table("construction_materials", "material", "unobtanium_alloy", 0),
        "is not a material code of the factor library",
    ),
    Case("duplicate-project-id", duplicate_project_id, "appears more than once"),
    Case("transport-distance-and-trips", distance_and_trips, "not both"),
    Case("self-consumed-plus-exported-over-generated", split_over_generated, "is more than generated"),
    Case("renamed-column-header", renamed_header, "column header 'Yearly amount' is not a column of table energy_use"),
    Case("deleted-waste-sheet", delete_waste_sheet, "the table 'waste' is missing"),
    Case("deleted-defined-name-population", delete_population_name, "the defined name 'population' is missing"),
    Case("template-version-changed", template_version_changed, "template version 0.9 is not supported"),
    Case("value-below-table", value_below_table, "lies below table energy_use and outside it"),
    Case("merged-table-input-cells", merged_table_inputs, "cells inside table energy_use must not be merged"),
    Case("merged-scalar-cell", merged_scalar_cell, "input cells must not be merged"),
    Case("formula-without-cached-value", set_table("energy_use", "amount", "=1+1", 0), "formula with no saved result"),
    Case("excel-error-value", set_table("energy_use", "amount", "#DIV/0!", 0), "holds the Excel error #DIV/0!"),
    Case("rtl-override-in-text", set_named("name", "Riverside \u202egnp.exe"), "right-to-left override"),
    Case("bell-control-char-escaped", set_named("city", "Cheng_x0007_du"), "control characters"),
    Case(
        "unknown-indicator-id-m01",
        set_table("m01_indicators", "indicator_id", "m01_no_such_indicator", 0),
        "is not an id of the method in use",
    ),
    Case("action-status-finished", set_table("m01_actions", "status", "finished", 0), "'finished' is not one of the allowed choices"),
    Case(
        "boolean-column-not-boolean",
        set_table("green_space", "publicly_accessible", "sometimes", 0),
        'expected TRUE or FALSE, got "sometimes"',
    ),
    Case("corrupt-sheet-xml", lambda wb: INPUT_NAME, "again from Excel", post=corrupt_profile_xml),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_malformed_workbook(case: Case, base_xlsx: Path, tmp_path: Path) -> None:
    wb = openpyxl.load_workbook(base_xlsx)
    where = case.mutate(wb)
    path = tmp_path / INPUT_NAME
    wb.save(path)
    if case.post:
        case.post(path)
    assert_invalid(run_validate(path), where, case.phrase)


# --------------------------------------------------------------------------- files that are not workbooks


def _truncated(base: bytes) -> bytes:
    return base[: len(base) // 2]


def _zip_without_workbook(base: bytes) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("readme.txt", "not a workbook")
    return buf.getvalue()


FILE_CASES = [
    # id, file name, bytes from the base workbook's bytes, key phrase
    ("zero-byte", INPUT_NAME, lambda base: b"", "the file is empty (0 bytes)"),
    ("random-bytes", INPUT_NAME, lambda base: b"\x13\x37" + random.Random(20240).randbytes(4096), "this file is not an .xlsx workbook"),
    ("csv-renamed", INPUT_NAME, lambda base: b"name,city,population\nRiverside,Chengdu,10200\n", "this file is not an .xlsx workbook"),
    (
        "ole-header",
        INPUT_NAME,
        lambda base: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096),
        "old-format .xls workbook or a password-protected workbook",
    ),
    ("truncated-zip", INPUT_NAME, _truncated, "the workbook is damaged (truncated or corrupt zip)"),
    ("zip-without-workbook", INPUT_NAME, _zip_without_workbook, "no xl/workbook.xml"),
    ("xls-file-name", "input.xls", lambda base: base, "old-format .xls workbooks are not accepted"),
    ("xlsm-file-name", "input.xlsm", lambda base: base, "macro-enabled workbooks (.xlsm) are not accepted"),
]


@pytest.mark.parametrize(("name", "make", "phrase"), [c[1:] for c in FILE_CASES], ids=[c[0] for c in FILE_CASES])
def test_not_a_workbook(name: str, make, phrase: str, base_xlsx: Path, tmp_path: Path) -> None:
    path = tmp_path / name
    path.write_bytes(make(base_xlsx.read_bytes()))
    assert_invalid(run_validate(path), name, phrase)


# --------------------------------------------------------------------------- whole-run properties


def test_base_workbook_round_trip_is_valid(base_xlsx: Path, tmp_path: Path) -> None:
    """The openpyxl round trip itself introduces no problem (so each case's error is its own)."""
    wb = openpyxl.load_workbook(base_xlsx)
    path = tmp_path / INPUT_NAME
    wb.save(path)
    result = run_validate(path)
    assert result.exit_code == 0, _stderr(result)


def _snapshot(path: Path) -> tuple[str, int, list[str]]:
    return hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns, sorted(os.listdir(path.parent))


@pytest.mark.parametrize("valid", [True, False], ids=["valid", "invalid"])
def test_validate_leaves_input_untouched(valid: bool, base_xlsx: Path, tmp_path: Path) -> None:
    path = tmp_path / INPUT_NAME
    if valid:
        shutil.copy2(base_xlsx, path)
    else:
        wb = openpyxl.load_workbook(base_xlsx)
        set_named("population", "twelve")(wb)
        wb.save(path)
    old = time.time() - 3600
    os.utime(path, (old, old))  # an mtime clearly in the past, so a rewrite would show
    before = _snapshot(path)
    result = run_validate(path)
    assert result.exit_code == (0 if valid else EXIT_INVALID), _stderr(result)
    assert _snapshot(path) == before


def _three_errors(wb: Workbook, mutations: list[Mutation]) -> list[str]:
    return [m(wb) for m in mutations]


THREE_ERRORS = {
    # three independent cell errors of the same kind (each found while reading cells)
    "same-stage": (
        [
            set_named("population", "twelve"),
            set_table("energy_use", "carrier", "unobtainium", 2),
            set_table("waste", "tonnes_per_year", "heavy", 1),
        ],
        ["expected a whole number", "not one of the allowed choices", "expected a number"],
    ),
    # three independent errors found at different stages: a cell that is not a number,
    # a number out of range, and a unit that does not suit its carrier
    "mixed-stages": (
        [set_named("population", "twelve"), set_table("energy_use", "amount", -5, 1), grid_electricity_in_m3],
        ["expected a whole number", "expected a value of at least 0", "does not suit grid_electricity"],
    ),
}


@pytest.mark.parametrize("kind", list(THREE_ERRORS), ids=list(THREE_ERRORS))
def test_three_independent_errors_reported_in_one_run(kind: str, base_xlsx: Path, tmp_path: Path) -> None:
    mutations, phrases = THREE_ERRORS[kind]
    wb = openpyxl.load_workbook(base_xlsx)
    wheres = _three_errors(wb, mutations)
    assert len(set(wheres)) == 3
    path = tmp_path / INPUT_NAME
    wb.save(path)
    result = run_validate(path)
    missing = []
    for where, phrase in zip(wheres, phrases):
        try:
            assert_invalid(result, where, phrase)
        except AssertionError:
            missing.append(where)
    assert not missing, f"not reported in the same run: {missing}\n{_stderr(result)}"
