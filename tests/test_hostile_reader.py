"""Hostile input, round two (issue 15), the reader's classes: each case generated here, none committed.

1. reader resources: a sheet's declared and used range, its tables' ranges and the expanded size of
   the shared strings are bounded before python-calamine sees the workbook (it allocates a sheet's
   whole grid and one string per shared-string reference);
2. Excel error values and formulas without a saved result are found whatever the XML spelling
   (quotes, spaces, attribute order, namespace prefixes, character references, cells and rows
   without ``r``); a Strict OOXML workbook is refused as such;
3. JSON and YAML syntax errors at ``file:line:column``, booleans refused where numbers are expected,
   keys given twice refused at their JSON path;
4. a percent-formatted cell holding 0.4 is 40 in a percent field;
5. ``nzn template FILE`` does not replace an existing file without ``--force``.

Every refusal is checked through the CLI (``nzn assess FILE -o out/report.pdf --json out/results.json``):
exit 2, the problem printed at the expected location with the key phrase, no traceback, nothing
written, the input's bytes unchanged.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import resource
import subprocess
import sys
import traceback
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest
import yaml
from openpyxl.utils import get_column_letter
from typer.testing import CliRunner

from assessment.cli import app
from assessment.emissions.factors import load_factors
from assessment.i18n import language
from assessment.io.examples import load_example
from assessment.io.limits import DEFAULT_LIMITS
from assessment.io.load import load_input
from assessment.io.sheetxml import Bounds, is_percent_format, scan_sheet
from assessment.io.template import TemplateWriter, write_template
from assessment.model.method import load_method
from tests.bad_inputs.make_corpus import _rewrite, part_of_sheet, part_of_table, replace_cell, style_of
from tests.conftest import ROOT
from tests.test_malformed_workbooks import named_addr, table_addr, table_header_addr

runner = CliRunner()
INVALID = 2
EXAMPLE = "riverside-retrofit"
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
#: Characters of the one shared string of the shared-string bomb, and the cells that use it (5 billion characters).
BOMB_STRING, BOMB_CELLS = 1_000_000, 5_000


# --------------------------------------------------------------------------- the base workbook and its addresses


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("hostile_base") / "riverside.xlsx"
    write_template(path, load_method(), load_factors(), load_example(EXAMPLE))
    return path


@pytest.fixture(scope="module")
def book():
    """The same workbook in memory (openpyxl), for addresses of names and table cells."""
    with language("en"):
        return TemplateWriter(load_method(), load_factors(), load_example(EXAMPLE)).build()


def ref_of(address: str) -> tuple[str, str]:
    sheet, ref = address.split("!")
    return sheet, ref


def edit_sheet(
    base: Path,
    target: Path,
    sheet: str,
    edit: Callable[[str], str],
    add: dict[str, bytes] | None = None,
    others: dict[str, Callable[[bytes], bytes]] | None = None,
) -> None:
    """Copy the workbook, rewriting the XML of ``sheet`` (as text) and optionally other parts."""
    edits = {part_of_sheet(base, sheet): lambda xml: edit(xml.decode("utf-8")).encode("utf-8"), **(others or {})}
    _rewrite(base, target, edits=edits, add=add)


def set_cell(base: Path, target: Path, address: str, cell: Callable[[str, str], str]) -> None:
    """Replace one cell's XML: ``cell(ref, style_attr) -> '<c ...>'``."""
    sheet, ref = ref_of(address)
    _rewrite(base, target, edits={part_of_sheet(base, sheet): lambda xml: replace_cell(xml, ref, cell(ref, style_of(xml, ref)))})


def row_of(xml: str, row: int) -> tuple[int, int]:
    """Start and end offsets of ``<row r="ROW" ...>...</row>`` in a sheet's XML."""
    m = re.search(r'<row r="%d"[^>]*>.*?</row>' % row, xml, re.S)
    assert m, f"no row {row}"
    return m.span()


# --------------------------------------------------------------------------- running the CLI and checking a refusal


def _snapshot(path: Path) -> tuple[str, int]:
    return hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns


def refused(tmp_path: Path, path: Path, where: str, phrase: str, *extra: str) -> str:
    """``nzn assess`` refuses ``path``: exit 2, a problem at ``where`` saying ``phrase``, no traceback,
    nothing written, the input unchanged. Returns the output."""
    out = tmp_path / "out"
    out.mkdir(exist_ok=True)
    before = _snapshot(path)
    result = runner.invoke(app, ["assess", str(path), "-o", str(out / "report.pdf"), "--json", str(out / "results.json"), *extra])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        tb = "".join(traceback.format_exception(result.exception))
        pytest.fail(f"assess crashed with {type(result.exception).__name__} (exit {result.exit_code}):\n{tb}\n{result.output}")
    text = result.output
    assert "Traceback" not in text, text
    assert result.exit_code == INVALID, f"exit {result.exit_code}, expected {INVALID}\n{text}"
    lines = [line.strip() for line in text.splitlines()]
    assert any(line.startswith(where + ": ") and phrase in line for line in lines), f"no problem at {where!r} saying {phrase!r}:\n{text}"
    assert not list(out.iterdir()), f"files written: {list(out.iterdir())}"
    assert not (out / "report.pdf").exists() and not (out / "results.json").exists()
    assert _snapshot(path) == before, "the input was modified"
    return text


# =========================================================================== 1. reader resources


def far_cell(xml: str, ref: str, row: int) -> str:
    return xml.replace("</sheetData>", f'<row r="{row}"><c r="{ref}" t="n"><v>1</v></c></row></sheetData>')


def test_cell_at_the_last_address_is_refused_before_the_reader_allocates(tmp_path, base):
    """Rule: a used cell beyond the sheet bounds (max_table_rows + margin rows, max_sheet_columns columns) is refused at that cell."""
    path = tmp_path / "xfd.xlsx"
    edit_sheet(base, path, "Profile", lambda xml: far_cell(xml, "XFD1048576", 1_048_576))
    refused(tmp_path, path, "Profile!XFD1048576", "outside the area nzn reads")


def test_declared_dimension_beyond_the_bounds_is_refused(tmp_path, base):
    """Rule: a sheet's declared <dimension ref> beyond the bounds is refused, naming the sheet and the range's last cell."""
    path = tmp_path / "dimension.xlsx"
    edit_sheet(base, path, "Profile", lambda xml: re.sub(r'<dimension ref="[^"]*"', '<dimension ref="A1:XFD1048576"', xml))
    refused(tmp_path, path, "Profile!XFD1048576", "declares its used range as A1:XFD1048576")


def test_table_range_beyond_the_bounds_is_refused(tmp_path, base, book):
    """Rule: a table whose declared range has more rows than --max-rows is refused at its header (the reader allocates it whole)."""
    path = tmp_path / "table-ref.xlsx"
    header = table_header_addr(book, "energy_use")
    table_part = part_of_table(base, "energy_use")
    _rewrite(
        base,
        path,
        edits={
            table_part: lambda xml: re.sub(rb'ref="[A-Z]+\d+:[A-Z]+\d+"', b'ref="%s:XFD1048576"' % ref_of(header)[1].encode(), xml, count=1)
        },
    )
    refused(tmp_path, path, header, "table energy_use has")


def test_column_beyond_the_column_bound_is_refused(tmp_path, base):
    """Rule: columns are bounded by Limits.max_sheet_columns (200: A to GR); a cell in column GS is refused."""
    assert DEFAULT_LIMITS.max_sheet_columns == 200
    path = tmp_path / "column-gs.xlsx"
    edit_sheet(base, path, "Profile", lambda xml: far_cell(xml, "GS40", 40))
    refused(tmp_path, path, "Profile!GS40", "outside the area nzn reads")


def test_row_bound_follows_max_rows(tmp_path, base):
    """Rule: rows are bounded by --max-rows plus a margin of 1,000 rows; with --max-rows 100 a cell in row 1,101 is refused."""
    path = tmp_path / "row-1101.xlsx"
    edit_sheet(base, path, "Profile", lambda xml: far_cell(xml, "A1101", 1101))
    refused(tmp_path, path, "Profile!A1101", "outside the area nzn reads", "--max-rows", "100")


def test_cells_without_r_past_the_column_bound_are_placed_by_the_ooxml_rule(tmp_path, base):
    """Rule: a <c> without r is the column after the previous cell; 201 such cells in one row reach column GS, refused there."""
    path = tmp_path / "no-r-wide.xlsx"
    cells = "".join('<c t="n"><v>1</v></c>' for _ in range(201))
    edit_sheet(base, path, "Profile", lambda xml: xml.replace("</sheetData>", f'<row r="41">{cells}</row></sheetData>'))
    refused(tmp_path, path, "Profile!GS41", "outside the area nzn reads")


def test_bad_cell_reference_is_refused(tmp_path, base, book):
    """Rule: a cell reference that is not an Excel address (row 0) is refused as damaged, not passed to the reader."""
    path = tmp_path / "bad-ref.xlsx"
    address = named_addr(book, "population")
    sheet, ref = ref_of(address)
    col = ref.rstrip("0123456789")
    set_cell(base, path, address, lambda r, s: f'<c r="{col}0"{s} t="n"><v>5</v></c>')
    refused(tmp_path, path, address, "is not an Excel address")


def shared_string_bomb(base: Path, target: Path) -> None:
    """One 1,000,000-character shared string used by 5,000 cells of the Lists sheet (5 billion characters when read)."""
    sst = (f'<sst xmlns="{MAIN_NS}" count="{BOMB_CELLS}" uniqueCount="1"><si><t>' + "A" * BOMB_STRING + "</t></si></sst>").encode()
    rows = "".join(f'<row r="{r}"><c r="AB{r}" t="s"><v>0</v></c></row>' for r in range(100, 100 + BOMB_CELLS))

    def rels(xml: bytes) -> bytes:
        return xml.replace(
            b"</Relationships>",
            b'<Relationship Id="rIdSst" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
            b'Target="sharedStrings.xml"/></Relationships>',
        )

    def types(xml: bytes) -> bytes:
        return xml.replace(
            b"</Types>",
            b'<Override PartName="/xl/sharedStrings.xml" '
            b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
        )

    edit_sheet(
        base,
        target,
        "Lists",
        lambda xml: xml.replace("</sheetData>", rows + "</sheetData>"),
        add={"xl/sharedStrings.xml": sst},
        others={"xl/_rels/workbook.xml.rels": rels, "[Content_Types].xml": types},
    )


def test_shared_string_bomb_is_refused(tmp_path, base):
    """Rule: the text the shared-string references expand to is bounded (max_uncompressed_bytes / 5 characters); refused at the first
    cell using the heaviest string."""
    path = tmp_path / "sst-bomb.xlsx"
    shared_string_bomb(base, path)
    assert path.stat().st_size < 200_000
    text = refused(tmp_path, path, "Lists!AB100", "shared-string bomb")
    assert "5000 million characters" in text


def test_resource_cases_end_cleanly_under_an_address_space_limit(tmp_path, base):
    """Rule: the resource cases are refused (exit 2, message) and do not abort the process, read with a 2 GB address-space limit."""
    xfd, bomb = tmp_path / "xfd.xlsx", tmp_path / "sst-bomb.xlsx"
    edit_sheet(base, xfd, "Profile", lambda xml: far_cell(xml, "XFD1048576", 1_048_576))
    shared_string_bomb(base, bomb)

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))

    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1", "COLUMNS": "300"}
    for path, where, phrase in ((xfd, "Profile!XFD1048576", "outside the area nzn reads"), (bomb, "Lists!AB100", "shared-string bomb")):
        proc = subprocess.run(
            [sys.executable, "-m", "assessment", "validate", str(path)],
            capture_output=True,
            text=True,
            env=env,
            preexec_fn=limit,
            timeout=300,
            cwd=tmp_path,
        )
        out = proc.stdout + proc.stderr
        assert proc.returncode == INVALID, f"{path.name}: exit {proc.returncode}\n{out[-3000:]}"
        assert "Traceback" not in out and "panicked" not in out, out[-3000:]
        assert any(line.strip().startswith(where + ": ") and phrase in line for line in out.splitlines()), out[-3000:]


# =========================================================================== 2. error values and formulas, any spelling


@dataclass(frozen=True)
class Spelling:
    name: str
    field: str  # defined name of a Profile input
    cell: str  # '<c ...>' with {ref} and {s} placeholders
    phrase: str


SPELLINGS = [
    Spelling("single-quotes", "population", "<c r='{ref}'{s1} t='e'><f>1/0</f><v>#DIV/0!</v></c>", "the Excel error #DIV/0!"),
    Spelling("spaces-and-order", "population", '<c  t = "e"   {s}  r = "{ref}" ><v>#REF!</v></c>', "the Excel error #REF!"),
    Spelling(
        "namespace-prefix", "population", f'<x:c xmlns:x="{MAIN_NS}" r="{{ref}}"{{s}} t="e"><x:v>#N/A</x:v></x:c>', "the Excel error #N/A"
    ),
    Spelling("formula-newline-optional", "gfa_other_m2", '<c r="{ref}"{s}><f\n>B26*2</f\n></c>', "formula with no saved result"),
    Spelling("formula-empty-value-optional", "gfa_other_m2", "<c r='{ref}'{s1}><f>B26*2</f><v/></c>", "formula with no saved result"),
    Spelling(
        "prefixed-formula", "households", f'<c r="{{ref}}"{{s}}><m:f xmlns:m="{MAIN_NS}">B18/2.5</m:f></c>', "formula with no saved result"
    ),
]


@pytest.mark.parametrize("case", SPELLINGS, ids=[c.name for c in SPELLINGS])
def test_error_and_uncached_cells_whatever_the_spelling(tmp_path, base, book, case):
    """Rule: an Excel error value or a formula without a saved result is an error naming the cell, however the cell XML is spelled."""
    address = named_addr(book, case.field)
    path = tmp_path / f"{case.name}.xlsx"

    def cell(ref: str, s: str) -> str:
        return case.cell.format(ref=ref, s=s, s1=s.replace('"', "'"))

    set_cell(base, path, address, cell)
    refused(tmp_path, path, address, case.phrase)


def test_sheet_scan_reads_cells_as_xml_not_as_text():
    """Rule: the sheet scan is an XML parse: a character reference in an attribute, a foreign-namespace f (x14 extension),
    a CDATA value, and positions of cells and rows without r all follow XML and OOXML, not the bytes."""
    x14 = "http://schemas.microsoft.com/office/excel/2006/main"
    xml = (
        f'<worksheet xmlns="{MAIN_NS}" xmlns:xm="{x14}"><dimension ref="A1:C3"/><sheetData>'
        '<row r="2"><c r="A2" t="&#101;"><v>#VALUE!</v></c><c><f>1+1</f></c><c t="n"><v><![CDATA[3]]></v></c></row>'
        '<row><c r="B3" t="n"><v>4</v></c><c><f>A1</f><v>0</v></c></row>'
        "</sheetData><extLst><ext><xm:f>Lists!A1:A3</xm:f></ext></extLst></worksheet>"
    ).encode()
    scan = scan_sheet(xml, Bounds(rows=100, cols=10, cells=1000))
    assert scan.bad == {(1, 0): "error:#VALUE!", (1, 1): "nocache"}
    assert (scan.rows, scan.cols, scan.dimension) == (3, 3, "A1:C3")


def _strip_r(row_xml: str) -> str:
    return re.sub(r'(<c) r="[A-Z]+\d+"', r"\1", row_xml)


def test_error_in_a_row_of_cells_without_r(tmp_path, base, book):
    """Rule: cells without r follow the previous cell (OOXML); the error in the second of them is at column B of its row."""
    address = named_addr(book, "population")
    sheet, ref = ref_of(address)
    row = int(ref.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    path = tmp_path / "row-without-cell-refs.xlsx"

    def edit(xml: str) -> str:
        xml = replace_cell(xml.encode(), ref, f'<c r="{ref}" t="e"><v>#NUM!</v></c>').decode()
        a, b = row_of(xml, row)
        return xml[:a] + _strip_r(xml[a:b]) + xml[b:]

    edit_sheet(base, path, sheet, edit)
    refused(tmp_path, path, address, "the Excel error #NUM!")


def test_error_in_a_row_without_r(tmp_path, base, book):
    """Rule: a <row> without r is the row after the previous one (OOXML); its r-less cells are placed from column A."""
    address = named_addr(book, "households")
    sheet, ref = ref_of(address)
    row = int(ref.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    path = tmp_path / "row-without-r.xlsx"

    def edit(xml: str) -> str:
        xml = replace_cell(xml.encode(), ref, f'<c r="{ref}" t="e"><v>#NAME?</v></c>').decode()
        a, b = row_of(xml, row)
        stripped = re.sub(r'<row r="\d+"', "<row", _strip_r(xml[a:b]), count=1)
        return xml[:a] + stripped + xml[b:]

    edit_sheet(base, path, sheet, edit)
    refused(tmp_path, path, address, "the Excel error #NAME?")


def test_error_in_an_optional_table_cell_is_not_read_as_blank(tmp_path, base, book):
    """Rule: an error in an optional cell is reported, not read as blank (single-quoted attributes, in a table)."""
    address = table_addr(book, "energy_use", "group", 0)
    path = tmp_path / "table-error.xlsx"
    set_cell(base, path, address, lambda ref, s: f"<c t='e' r='{ref}'><v>#N/A</v></c>")
    refused(tmp_path, path, address, "the Excel error #N/A")


def test_strict_ooxml_is_refused_as_strict(tmp_path, base):
    """Rule: a Strict OOXML workbook is refused with a message saying so, not 'not made from the template'."""
    path = tmp_path / "strict.xlsx"

    def strict(xml: bytes) -> bytes:
        return xml.replace(MAIN_NS.encode(), b"http://purl.oclc.org/ooxml/spreadsheetml/main").replace(
            b"http://schemas.openxmlformats.org/officeDocument/2006/relationships",
            b"http://purl.oclc.org/ooxml/officeDocument/relationships",
        )

    with zipfile.ZipFile(base) as zf:
        names = [n for n in zf.namelist() if n.endswith((".xml", ".rels"))]
    _rewrite(base, path, edits={n: strict for n in names})
    text = refused(tmp_path, path, "strict.xlsx", "Strict Open XML")
    assert "not made from the nzn template" not in text


# =========================================================================== 3. JSON and YAML


def example_json() -> dict:
    return load_example(EXAMPLE).model_dump(mode="json")


def line_col(text: str, index: int) -> str:
    line = text.count("\n", 0, index) + 1
    return f"{line}:{index - (text.rfind(chr(10), 0, index) + 1) + 1}"


def _syntax_cases() -> list[tuple[str, Callable[[str], tuple[str, int]]]]:
    def truncated(text: str) -> tuple[str, int]:
        cut = text.index('"city": ') + len('"city": ')
        return text[:cut], cut

    def bom(text: str) -> tuple[str, int]:
        return "\ufeff" + text, 0

    def trailing_comma(text: str) -> tuple[str, int]:
        end = text.rindex("}")
        return text[:end].rstrip() + ",\n" + text[end:], len(text[:end].rstrip()) + 2

    def comment(text: str) -> tuple[str, int]:
        i = text.index("{") + 1
        return text[:i] + "\n  // filled by hand\n" + text[i:], i + 3

    def nul(text: str) -> tuple[str, int]:
        i = text.index("{") + 1
        return text[:i] + "\x00" + text[i:], i

    return [("truncated", truncated), ("bom", bom), ("trailing-comma", trailing_comma), ("comment", comment), ("nul-byte", nul)]


@pytest.mark.parametrize("name,damage", _syntax_cases(), ids=[n for n, _ in _syntax_cases()])
def test_json_syntax_error_is_located(tmp_path, name, damage):
    """Rule: any JSON syntax error is reported as file:line:column, exit 2, never a traceback."""
    text, index = damage(json.dumps(example_json(), indent=2, ensure_ascii=False))
    path = tmp_path / f"{name}.json"
    path.write_text(text, encoding="utf-8")
    refused(tmp_path, path, f"{path.name}:{line_col(text, index)}", "not valid JSON")


@pytest.mark.parametrize("section,key,row", [("profile", "population", None), ("energy_use", "amount", 0)], ids=["scalar", "table"])
def test_json_boolean_in_a_number_field_is_refused(tmp_path, section, key, row):
    """Rule: true is not a number (JSON true was read as 1); refused at the JSON path."""
    data = example_json()
    target = data[section] if row is None else data[section][row]
    target[key] = True
    path = tmp_path / "bool.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    where = f"$.{section}.{key}" if row is None else f"$.{section}[{row}].{key}"
    refused(tmp_path, path, where, "expected a")


def test_yaml_boolean_in_a_number_field_is_refused(tmp_path):
    """Rule: YAML 'yes' (a boolean in YAML 1.1) is not a number; refused at the JSON path."""
    data = example_json()
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False).replace(
        f"population: {data['profile']['population']}\n", "population: yes\n"
    )
    assert "population: yes" in text
    path = tmp_path / "bool.yaml"
    path.write_text(text, encoding="utf-8")
    refused(tmp_path, path, "$.profile.population", "expected a whole number")


def test_json_duplicate_key_is_refused_at_its_path(tmp_path):
    """Rule: a key given twice in a JSON object is refused at the JSON path of that key (object_pairs_hook)."""
    text = json.dumps(example_json(), indent=2).replace('"profile": {', '"profile": {\n    "name": "Given twice",', 1)
    path = tmp_path / "duplicate.json"
    path.write_text(text, encoding="utf-8")
    refused(tmp_path, path, "$.profile.name", "more than once")


def test_json_duplicate_key_in_a_table_row_is_refused_at_its_path(tmp_path):
    """Rule: a key given twice in a table row of JSON is refused at $.table[i].key."""
    data = example_json()
    text = json.dumps(data)
    first = json.dumps(data["energy_use"][1])
    twice = first[:-1] + ', "amount": 1}'
    assert text.count(first) == 1
    path = tmp_path / "duplicate-row.json"
    path.write_text(text.replace(first, twice), encoding="utf-8")
    refused(tmp_path, path, "$.energy_use[1].amount", "more than once")


def test_yaml_duplicate_key_is_refused_at_its_path(tmp_path):
    """Rule: a key given twice in a YAML mapping is refused at the JSON path of that key (mapping constructor)."""
    text = yaml.safe_dump(example_json(), allow_unicode=True, sort_keys=False).replace("profile:\n", "profile:\n  city: Twice\n", 1)
    path = tmp_path / "duplicate.yaml"
    path.write_text(text, encoding="utf-8")
    refused(tmp_path, path, "$.profile.city", "more than once")


def test_yaml_nul_byte_is_located(tmp_path):
    """Rule: a character YAML does not allow (NUL) is reported at file:line:column, not as a bare file name."""
    text = yaml.safe_dump(example_json(), allow_unicode=True, sort_keys=False)
    i = text.index("city: ") + len("city: ") + 2
    text = text[:i] + "\x00" + text[i:]
    path = tmp_path / "nul.yaml"
    path.write_text(text, encoding="utf-8")
    refused(tmp_path, path, f"nul.yaml:{line_col(text, i)}", "not valid YAML")


# =========================================================================== 4. percent-formatted cells


def with_percent_style(base: Path, target: Path, addresses: list[str], values: list[float], fmt: str | None = None) -> None:
    """Give cells a percent number format (built-in 9, or the custom ``fmt``) and store ``values`` in them."""
    with zipfile.ZipFile(base) as zf:
        styles = zf.read("xl/styles.xml").decode()
    count = int(re.search(r'<cellXfs count="(\d+)"', styles).group(1))
    fmt_id = 9 if fmt is None else 164

    def style(xml: bytes) -> bytes:
        text = xml.decode()
        if fmt is not None:
            text = re.sub(r"<numFmts[^>]*/>", f'<numFmts count="1"><numFmt numFmtId="164" formatCode="{fmt}"/></numFmts>', text)
        text = text.replace(f'<cellXfs count="{count}">', f'<cellXfs count="{count + 1}">')
        return text.replace(
            "</cellXfs>", f'<xf numFmtId="{fmt_id}" fontId="0" fillId="0" borderId="0" applyNumberFormat="1" xfId="0"/></cellXfs>'
        ).encode()

    by_sheet: dict[str, list[tuple[str, float]]] = {}
    for address, value in zip(addresses, values):
        sheet, ref = ref_of(address)
        by_sheet.setdefault(sheet, []).append((ref, value))

    def cells(items):
        def edit(xml: bytes) -> bytes:
            for ref, value in items:
                xml = replace_cell(xml, ref, f'<c r="{ref}" s="{count}"><v>{value!r}</v></c>')
            return xml

        return edit

    edits = {part_of_sheet(base, sheet): cells(items) for sheet, items in by_sheet.items()}
    _rewrite(base, target, edits={"xl/styles.xml": style, **edits})


def test_percent_cell_over_100_percent_is_refused_as_a_percentage(tmp_path, base, book):
    """Rule: a percent-formatted 1.5 is 150 % in a percent field, so above its bound of 100 (read as 1.5 it would pass)."""
    address = named_addr(book, "interim_target_reduction_pct")
    path = tmp_path / "pct-150.xlsx"
    with_percent_style(base, path, [address], [1.5])
    refused(tmp_path, path, address, "at most 100.0, got 150.0")


def test_percent_cells_are_read_as_percentages(tmp_path, base, book):
    """Rule: a percent-formatted cell holding 0.4 is 40 in a field whose unit is %, in a scalar and in table rows (shares sum to 100);
    with a custom format (0.0%) too; a number field that is not in percent keeps the stored number."""
    reduction = named_addr(book, "interim_target_reduction_pct")
    shares = [table_addr(book, "mode_shares", "share_pct", i) for i in range(3)]
    path = tmp_path / "pct.xlsx"
    loaded = load_input(base)
    old = [r.share_pct for r in loaded.model.mode_shares]
    fractions = [0.07, 0.29, round(1 - 0.07 - 0.29 - sum(old[3:]) / 100, 10)]
    with_percent_style(base, path, [reduction, *shares], [0.4, *fractions], fmt="0.0%")
    model = load_input(path).model
    assert model.profile.interim_target_reduction_pct == 40.0
    assert [r.share_pct for r in model.mode_shares[:3]] == [7.0, 29.0, pytest.approx(fractions[2] * 100)]
    population = named_addr(book, "population")
    path2 = tmp_path / "pct-not-a-pct-field.xlsx"
    with_percent_style(base, path2, [population], [12000.0])
    assert load_input(path2).model.profile.population == 12000


def test_percent_format_detection():
    """Rule: a number format is a percentage when it has a % outside quotes, escapes and [...] sections."""
    assert is_percent_format("0%") and is_percent_format("0.0%;[Red]-0.0%") and is_percent_format('0.00" pts"%')
    assert not is_percent_format('0" %"') and not is_percent_format("0\\%") and not is_percent_format("General")


# =========================================================================== 5. nzn template


def test_template_does_not_replace_an_existing_file(tmp_path):
    """Rule: `nzn template FILE` refuses to overwrite FILE without --force (exit 2, the path named, the file unchanged); --force
    replaces it."""
    path = tmp_path / "mine.xlsx"
    path.write_bytes(b"my own work")
    before = _snapshot(path)
    result = runner.invoke(app, ["template", str(path)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == INVALID, result.output
    assert "Traceback" not in result.output
    assert str(path) in result.output and "--force" in result.output
    assert _snapshot(path) == before
    assert sorted(os.listdir(tmp_path)) == ["mine.xlsx"]
    result = runner.invoke(app, ["template", str(path), "--force"])
    assert result.exit_code == 0, result.output
    assert zipfile.is_zipfile(path)


def test_template_writes_a_new_file(tmp_path):
    """Rule: without an existing file, `nzn template FILE` writes it (the refusal is only for existing files)."""
    path = tmp_path / "new.xlsx"
    result = runner.invoke(app, ["template", str(path)])
    assert result.exit_code == 0, result.output
    assert zipfile.is_zipfile(path)


# =========================================================================== the good workbook still reads


def test_large_clean_workbook_has_no_false_refusal(tmp_path, base, book):
    """Rule: the bounds refuse only what exceeds them: cells at the edge of the area (row 201,000, column GR) are read."""
    path = tmp_path / "edge.xlsx"
    last_col = get_column_letter(DEFAULT_LIMITS.max_sheet_columns)
    assert last_col == "GR"
    edit_sheet(
        base,
        path,
        "Lists",
        lambda xml: xml.replace("</sheetData>", f'<row r="60"><c r="{last_col}60" t="n"><v>1</v></c></row></sheetData>'),
    )
    load_input(path)
    path2 = tmp_path / "edge-row.xlsx"
    edit_sheet(base, path2, "Lists", lambda xml: far_cell(xml, f"A{DEFAULT_LIMITS.max_sheet_rows}", DEFAULT_LIMITS.max_sheet_rows))
    load_input(path2)
