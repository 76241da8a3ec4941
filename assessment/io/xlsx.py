"""Extract raw input values, with their cell addresses, from an .xlsx workbook.

Cell values are read with python-calamine (fast, read-only). What calamine does
not expose -- defined names, formula error cells and formulas saved without a
result -- is read from the workbook's XML parts with defusedxml, which refuses
entity-expansion attacks. The result is a raw nested dict in the shape of
:class:`~assessment.model.inputs.NeighbourhoodInput` plus a map from each model
location to its ``Sheet!Cell`` address.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
import zlib
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path, PurePosixPath
from typing import Any
from xml.parsers import expat

import python_calamine as pc
from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException

from assessment.errors import InputInvalid, InputIssue, issue
from assessment.i18n import N_
from assessment.io.fields import field_unit, header_index, make_normaliser, norm_header, normalise_cell
from assessment.io.limits import Limits
from assessment.io.sheetxml import (
    STRICT_NS,
    BadReference,
    Beyond,
    Bounds,
    percent_styles,
    range_bounds,
    range_end,
    scan_sheet,
    shared_string_lengths,
)
from assessment.model.inputs import (
    ADDED_IN_VERSION,
    SCALAR_SECTIONS,
    SUPPORTED_TEMPLATE_VERSIONS,
    ModuleActionStatus,
    ModuleIndicatorValue,
    table_fields,
)
from assessment.model.method import Method

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: A part unpacking to more than this many times its stored size, and to more than MIN_BOMB_BYTES, is refused.
#: Real sheet XML compresses about 10-30x; repetitive generated sheets may reach ~100x.
MAX_COMPRESSION_RATIO = 250
MIN_BOMB_BYTES = 20 * 1024 * 1024


def col_letter(col0: int) -> str:
    """0-based column index -> Excel letters (0 -> A, 26 -> AA)."""
    s, n = "", col0 + 1
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


def addr(sheet: str, row0: int, col0: int) -> str:
    """``Sheet!A1`` address of a 0-based (row, column)."""
    return f"{sheet}!{col_letter(col0)}{row0 + 1}"


def parse_ref(ref: str) -> tuple[int, int]:
    """``$B$7`` or ``B7`` -> 0-based (row, column)."""
    m = re.fullmatch(r"\$?([A-Z]{1,3})\$?(\d+)", ref.strip())
    if not m:
        raise ValueError(ref)
    col = 0
    for ch in m.group(1):
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)) - 1, col - 1


class CellMap:
    """Where each model location came from, computed on demand (no string per cell is built up front)."""

    def __init__(self) -> None:
        self.file_name = ""
        self.cells: dict[tuple, str] = {}
        self.rows: dict[tuple, tuple[str, int, int, dict[str, int]]] = {}

    def address(self, loc: tuple) -> str:
        if loc in self.cells:
            return self.cells[loc]
        if len(loc) >= 2 and loc[:2] in self.rows:
            sheet, row0, c_start, cols = self.rows[loc[:2]]
            col = cols.get(loc[2], c_start) if len(loc) >= 3 else c_start
            return addr(sheet, row0, col)
        for n in range(len(loc) - 1, 0, -1):
            if loc[:n] in self.cells:
                return self.cells[loc[:n]]
        return ""

    def __contains__(self, loc: tuple) -> bool:
        return loc in self.cells or (len(loc) >= 2 and loc[:2] in self.rows)


@dataclass
class Extracted:
    raw: dict[str, Any]
    locations: CellMap
    template_language: str | None = None
    issues: list[InputIssue] = field(default_factory=list)


@dataclass
class _Parts:
    sheet_files: dict[str, str]  # sheet name -> part path in the zip
    defined_names: dict[str, tuple[str, str]]  # name -> (sheet, cell ref)
    bad_cells: dict[str, dict[tuple[int, int], str]] = field(default_factory=dict)  # sheet -> (r, c) -> problem
    percent_cells: dict[str, set[tuple[int, int]]] = field(default_factory=dict)  # sheet -> cells with a percent format
    shared_strings: str | None = None  # part holding the shared-string table


def _not_xlsx(path: Path, head: bytes) -> InputIssue:
    name = path.name
    if not head:
        return issue(name, "empty-file", N_("the file is empty (0 bytes)"))
    if head.startswith(OLE_MAGIC):
        return issue(
            name,
            "ole-file",
            N_("this is an old-format .xls workbook or a password-protected workbook; save it unprotected as .xlsx (Excel 2007 or later)"),
        )
    return issue(name, "not-xlsx", N_("this file is not an .xlsx workbook (it is not a zip package); use the template from `nzn template`"))


def _read_xml_parts(path: Path, limits: Limits) -> dict[str, bytes]:
    """Check the archive (zip, sizes, zip bombs, XML entity declarations) and return its XML parts, each read once."""
    with path.open("rb") as fh:
        head = fh.read(8)
    if not zipfile.is_zipfile(path):
        if head.startswith(b"PK\x03\x04"):
            raise InputInvalid(
                [issue(path.name, "bad-zip", N_("the workbook is damaged (truncated or corrupt zip); save it again from Excel"))]
            )
        raise InputInvalid([_not_xlsx(path, head)])
    try:
        zf = zipfile.ZipFile(path)
        infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise InputInvalid(
            [issue(path.name, "bad-zip", N_("the workbook is damaged (truncated or corrupt zip); save it again from Excel"))]
        ) from None
    with zf:
        return _checked_parts(zf, infos, path, limits)


def _checked_parts(zf: zipfile.ZipFile, infos: list, path: Path, limits: Limits) -> dict[str, bytes]:
    total = sum(i.file_size for i in infos)
    if total > limits.max_uncompressed_bytes:
        raise InputInvalid(
            [
                issue(
                    path.name,
                    "too-large-uncompressed",
                    N_(
                        "the workbook unpacks to {size} MB, more than the limit of {limit} MB (use --max-uncompressed-mb for big real "
                        "workbooks)"
                    ),
                    size=round(total / 1e6),
                    limit=round(limits.max_uncompressed_bytes / 1e6),
                )
            ]
        )
    names = {i.filename for i in infos}
    if "xl/workbook.xml" not in names:
        raise InputInvalid([issue(path.name, "not-xlsx", N_("this zip file is not an .xlsx workbook (no xl/workbook.xml)"))])
    xml: dict[str, bytes] = {}
    for info in infos:
        # a part that unpacks to far more than it stores is a zip bomb, whatever sizes the archive declares
        if info.file_size > MIN_BOMB_BYTES and info.file_size > MAX_COMPRESSION_RATIO * max(info.compress_size, 1):
            raise InputInvalid(
                [
                    issue(
                        path.name,
                        "zip-bomb",
                        N_("the workbook part {part} would unpack to {size} MB from {packed} KB (a zip bomb?); refused"),
                        part=info.filename,
                        size=round(info.file_size / 1e6),
                        packed=round(info.compress_size / 1e3),
                    )
                ]
            )
        if info.filename.endswith((".xml", ".rels", ".vml")):
            data = _member(zf, info, path)
            if b"<!DOCTYPE" in data or b"<!ENTITY" in data:  # markup, never text: '<' in content is escaped
                raise _xml_attack(path, info.filename)
            xml[info.filename] = data
    return xml


#: What reading a damaged, encrypted or exotic zip member can raise.
ZIP_MEMBER_ERRORS = (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, RuntimeError, NotImplementedError, KeyError)


def _member(zf: zipfile.ZipFile, info, path: Path) -> bytes:
    """The bytes of one member, or a clear refusal when it is damaged, encrypted or uses an unsupported compression."""
    if info.flag_bits & 0x1:
        raise InputInvalid(
            [issue(path.name, "encrypted", N_("the workbook is password-protected (encrypted); save it without a password"))]
        )
    try:
        return zf.read(info)
    except NotImplementedError:
        raise InputInvalid(
            [issue(path.name, "unsupported-zip", N_("the workbook uses a zip compression Excel does not write; save it again from Excel"))]
        ) from None
    except ZIP_MEMBER_ERRORS:
        raise InputInvalid(
            [issue(path.name, "bad-zip", N_("the workbook is damaged (truncated or corrupt zip); save it again from Excel"))]
        ) from None


def _xml(xml: dict[str, bytes], part: str, path: Path):
    with _reading_part(path, part):
        return SafeET.fromstring(xml[part])


def _xml_attack(path: Path, part: str) -> InputInvalid:
    return InputInvalid(
        [
            issue(
                path.name,
                "xml-attack",
                N_("the workbook part {part} uses forbidden XML entities (possible entity-expansion attack); refused"),
                part=part,
            )
        ]
    )


@contextmanager
def _reading_part(path: Path, part: str):
    """Parse errors of one workbook part as refusals naming it: an entity attack, or a damaged part."""
    try:
        yield
    except DefusedXmlException:
        raise _xml_attack(path, part) from None
    except (SafeET.ParseError, expat.ExpatError, *ZIP_MEMBER_ERRORS):
        raise InputInvalid(
            [issue(path.name, "bad-xml", N_("the workbook part {part} is damaged; save the workbook again from Excel"), part=part)]
        ) from None


def _parts(xml: dict[str, bytes], path: Path) -> _Parts:
    wb = _xml(xml, "xl/workbook.xml", path)
    if wb.tag.startswith("{%s}" % STRICT_NS):
        raise InputInvalid(
            [
                issue(
                    path.name,
                    "strict-ooxml",
                    N_(
                        "this workbook is saved as Strict Open XML, which nzn cannot read; "
                        "save it again as an ordinary Excel Workbook (.xlsx), not 'Strict Open XML Spreadsheet'"
                    ),
                )
            ]
        )
    rels = _xml(xml, "xl/_rels/workbook.xml.rels", path)
    targets = {}
    shared = None
    for rel in rels:
        target = rel.get("Target", "")
        full = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
        targets[rel.get("Id")] = full
        if rel.get("Type", "").endswith("/sharedStrings"):
            shared = posixpath.normpath(full)
    sheet_files: dict[str, str] = {}
    for s in wb.iterfind("m:sheets/m:sheet", NS):
        sheet_files[s.get("name")] = targets.get(s.get(REL_NS), "")
    defined: dict[str, tuple[str, str]] = {}
    for dn in wb.iterfind("m:definedNames/m:definedName", NS):
        if dn.get("localSheetId") is not None or not dn.text:
            continue
        m = re.fullmatch(r"'?((?:[^']|'')+?)'?!(\$?[A-Z]{1,3}\$?\d+)", dn.text.strip())
        if m:
            defined[dn.get("name")] = (m.group(1).replace("''", "'"), m.group(2))
    return _Parts(sheet_files=sheet_files, defined_names=defined, shared_strings=shared)


def _rels_targets(xml: dict[str, bytes], part: str, kind: str, path: Path) -> list[str]:
    """Parts that ``part`` refers to with a relationship of type ``.../kind``."""
    folder, name = posixpath.split(part)
    rels_part = posixpath.join(folder, "_rels", name + ".rels")
    if rels_part not in xml:
        return []
    out = []
    for rel in _xml(xml, rels_part, path):
        if rel.get("Type", "").endswith("/" + kind) and rel.get("TargetMode") != "External":
            target = rel.get("Target", "")
            out.append(posixpath.normpath(target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)))
    return out


def _table_problems(xml: dict[str, bytes], sheet: str, part: str, path: Path, limits: Limits) -> list[InputIssue]:
    """Tables of a sheet whose declared range is larger than the limits (the reader allocates it whole)."""
    problems = []
    for table_part in _rels_targets(xml, part, "table", path):
        if table_part not in xml:
            continue
        t = _xml(xml, table_part, path)
        name, ref = t.get("displayName") or t.get("name") or table_part, t.get("ref") or ""
        bounds = range_bounds(ref)
        if bounds is None:
            problems.append(
                issue(
                    path.name,
                    "bad-table",
                    N_(
                        "the table {table} on sheet '{sheet}' has no valid range ({ref}); the workbook is damaged, save it again from Excel"
                    ),
                    table=name,
                    sheet=sheet,
                    ref=ref[:40],
                )
            )
            continue
        (r1, c1), (r2, c2) = bounds
        rows = r2 - r1  # the first row of the range is the header
        if rows > limits.max_table_rows:
            problems.append(
                issue(
                    addr(sheet, r1, c1),
                    "too-many-rows",
                    N_("table {table} has {rows} rows, more than the limit of {limit} (use --max-rows for big real cases)"),
                    table=name,
                    rows=rows,
                    limit=limits.max_table_rows,
                )
            )
        elif c2 >= limits.max_sheet_columns:
            problems.append(
                issue(
                    addr(sheet, r1, c1),
                    "too-many-columns",
                    N_("table {table} reaches column {column}, beyond the {limit} columns (A to {last}) nzn reads in a sheet"),
                    table=name,
                    column=col_letter(c2),
                    limit=limits.max_sheet_columns,
                    last=col_letter(limits.max_sheet_columns - 1),
                )
            )
    return problems


def _area(limits: Limits) -> dict[str, Any]:
    return {"rows": limits.max_sheet_rows, "cols": limits.max_sheet_columns, "last": col_letter(limits.max_sheet_columns - 1)}


def _beyond_issue(sheet: str, exc: Beyond, limits: Limits) -> InputIssue:
    where = addr(sheet, exc.row, exc.col)
    if exc.kind == "cell":
        return issue(
            where,
            "sheet-too-large",
            N_(
                "this cell lies outside the area nzn reads in a sheet ({rows} rows, columns A to {last}); "
                "delete it and anything else out there (for a big real table, raise --max-rows)"
            ),
            **_area(limits),
        )
    if exc.kind == "area":
        return issue(
            where,
            "sheet-too-large",
            N_(
                "the used range of this sheet reaches this cell, more than the {cells} cells nzn reads in a sheet; "
                "delete the cells outside the template's tables"
            ),
            cells=limits.max_sheet_cells,
        )
    return issue(
        where,
        "sheet-too-large",
        N_(
            "the sheet holds more rows or cells than the area nzn reads ({rows} rows, columns A to {last}), "
            "repeated or out of order; save the workbook again from Excel"
        ),
        **_area(limits),
    )


def _scan_sheets(xml: dict[str, bytes], parts: _Parts, path: Path, limits: Limits) -> None:
    """Every sheet's error cells, uncached formulas and percent cells (into ``parts``), and the bounds
    checked before the cell reader sees the workbook: each sheet's declared and used range, its tables'
    ranges and the expanded size of the shared strings its cells use. Raises :class:`InputInvalid`."""
    bounds = Bounds(rows=limits.max_sheet_rows, cols=limits.max_sheet_columns, cells=limits.max_sheet_cells)
    styles = "xl/styles.xml"
    with _reading_part(path, styles):
        pct = percent_styles(xml.get(styles))
    problems: list[InputIssue] = []
    uses: dict[str, dict[str, list]] = {}
    for sheet, part in parts.sheet_files.items():
        data = xml.get(part)
        if data is None:
            continue
        tables = _table_problems(xml, sheet, part, path, limits)
        if tables:
            problems += tables
            continue
        try:
            with _reading_part(path, part):
                scan = scan_sheet(data, bounds, pct)
        except Beyond as exc:
            problems.append(_beyond_issue(sheet, exc, limits))
            continue
        except BadReference as exc:
            problems.append(
                issue(
                    addr(sheet, exc.row, max(exc.col, 0)),
                    "bad-reference",
                    N_("the cell reference '{ref}' here is not an Excel address; the workbook is damaged, save it again from Excel"),
                    ref=exc.ref[:20],
                )
            )
            continue
        end = range_end(scan.dimension) if scan.dimension else None
        if end is not None and (end[0] >= bounds.rows or end[1] >= bounds.cols or (end[0] + 1) * (end[1] + 1) > bounds.cells):
            problems.append(
                issue(
                    addr(sheet, *end),
                    "sheet-too-large",
                    N_(
                        "the sheet declares its used range as {ref}, beyond the area nzn reads in a sheet ({rows} rows, columns A to "
                        "{last}); "
                        "delete what lies outside the template's tables and save the workbook again"
                    ),
                    ref=scan.dimension.strip()[:40],
                    **_area(limits),
                )
            )
            continue
        parts.bad_cells[sheet], parts.percent_cells[sheet] = scan.bad, scan.percent
        if scan.shared:
            uses[sheet] = scan.shared
    if uses and not problems:
        problems += _shared_text_problems(xml, parts, uses, path, limits)
    if problems:
        raise InputInvalid(problems)


def _shared_text_problems(
    xml: dict[str, bytes], parts: _Parts, uses: dict[str, dict[str, list]], path: Path, limits: Limits
) -> list[InputIssue]:
    """The text the sheets' shared-string references expand to, against ``limits.max_shared_text_chars``."""
    part = parts.shared_strings
    if part is None or part not in xml:
        return []
    with _reading_part(path, part):
        lengths = shared_string_lengths(xml[part])
    n = len(lengths)
    total, heaviest = 0, None  # (characters, sheet, index, count, first cell)
    for sheet, shared in uses.items():
        for key, (count, first) in shared.items():
            i = int(key) if key.isascii() and key.isdigit() else -1
            length = lengths[i] if 0 <= i < n else 0
            total += count * length
            if heaviest is None or count * length > heaviest[0]:
                heaviest = (count * length, sheet, length, count, first)
    limit = limits.max_shared_text_chars
    if total <= limit or heaviest is None:
        return []
    _, sheet, length, count, first = heaviest
    return [
        issue(
            addr(sheet, *first),
            "shared-text-bomb",
            N_(
                "the workbook's cells repeat shared text that expands to {size} million characters, more than the limit of {limit} million "
                "(this cell's text of {length} characters is used by {count} cells; a shared-string bomb?); refused"
            ),
            size=round(total / 1e6),
            limit=round(limit / 1e6),
            length=length,
            count=count,
        )
    ]


def _from_percent(value: float) -> float:
    """A percent-formatted cell's stored fraction (0.4) as the percentage it shows (40), without binary noise."""
    return float(Decimal(repr(float(value))) * 100)


#: Never swallowed when calamine is called: everything else it raises, including a Rust panic (pyo3's
#: PanicException derives from BaseException), means the workbook could not be read.
PASS_THROUGH = (KeyboardInterrupt, SystemExit, GeneratorExit, MemoryError)


def _damaged(path: Path, exc: BaseException) -> InputInvalid:
    return InputInvalid(
        [
            issue(
                path.name,
                "unreadable",
                N_("the workbook could not be read ({reason}); save it again from Excel as .xlsx"),
                reason=type(exc).__name__,
            )
        ]
    )


class _Sheet:
    """A calamine sheet as a 0-based grid with helpers."""

    def __init__(self, wb: pc.CalamineWorkbook, name: str):
        sh = wb.get_sheet_by_name(name)
        self.name = name
        self.r0, self.c0 = sh.start or (0, 0)
        self.rows = sh.to_python(skip_empty_area=True) if sh.start is not None else []
        self.merged = list(sh.merged_cell_ranges or [])

    @property
    def height(self) -> int:
        return self.r0 + len(self.rows)

    def get(self, row: int, col: int) -> Any:
        r, c = row - self.r0, col - self.c0
        if r < 0 or c < 0 or r >= len(self.rows):
            return ""
        line = self.rows[r]
        return line[c] if c < len(line) else ""

    def merged_at(self, rows: range, cols: range) -> tuple[int, int] | None:
        for (ra, ca), (rb, cb) in self.merged:
            if ra <= rows.stop - 1 and rb >= rows.start and ca <= cols.stop - 1 and cb >= cols.start:
                return ra, ca
        return None


class XlsxExtractor:
    """Reads one workbook into a raw dict plus a location map, collecting every issue."""

    def __init__(self, path: Path, method: Method, limits: Limits):
        self.path, self.method, self.limits = path, method, limits
        self.issues: list[InputIssue] = []
        self.locations = CellMap()
        self.locations.file_name = path.name
        self._sheets: dict[str, _Sheet] = {}
        self._tables: dict[str, Any] = {}

    # ---- helpers
    def _sheet(self, name: str) -> _Sheet:
        if name not in self._sheets:
            try:
                self._sheets[name] = _Sheet(self.wb, name)
            except PASS_THROUGH:
                raise
            except BaseException as exc:  # calamine's own error types, or a panic on an out-of-range cell value
                raise _damaged(self.path, exc) from None
        return self._sheets[name]

    def _cell(self, sheet: _Sheet, row: int, col: int, normalise, percent: bool = False) -> Any:
        bad = self.parts.bad_cells.get(sheet.name)
        if bad and (row, col) in bad:
            kind = bad[(row, col)]
            where = addr(sheet.name, row, col)
            if kind == "nocache":
                self.issues.append(
                    issue(
                        where,
                        "formula-no-value",
                        N_("the cell holds a formula with no saved result; open and save the workbook in Excel, or type the value"),
                    )
                )
            else:
                self.issues.append(
                    issue(
                        where,
                        "formula-error",
                        N_("the cell holds the Excel error {error}; fix the formula or type the value"),
                        error=kind.split(":", 1)[1],
                    )
                )
            return None
        raw = sheet.get(row, col)
        if percent and type(raw) in (float, int) and (row, col) in self.parts.percent_cells.get(sheet.name, ()):
            raw = _from_percent(raw)  # a cell formatted as a percentage holds the fraction: 0.4 shows as 40 %
        value, problem = normalise(raw)
        if problem:
            self.issues.append(issue(addr(sheet.name, row, col), problem[0], problem[1], **problem[2]))
            return None
        return value

    def _table_meta(self, name: str):
        if name not in self._tables:
            try:
                self._tables[name] = self.wb.get_table_by_name(name)
            except PASS_THROUGH:
                raise
            except BaseException as exc:  # damaged table or sheet XML, or a panic on a cell value
                raise _damaged(self.path, exc) from None
        return self._tables[name]

    # ---- main
    def run(self) -> Extracted:
        path = self.path
        xml = _read_xml_parts(path, self.limits)
        self.parts = _parts(xml, path)
        _scan_sheets(xml, self.parts, path, self.limits)  # before calamine allocates any sheet
        try:
            self.wb = pc.CalamineWorkbook.from_path(str(path), load_tables=True)
        except PASS_THROUGH:
            raise
        except BaseException as exc:  # calamine raises its own error types (and may panic) for damaged parts
            raise _damaged(path, exc) from None
        self.version = self._check_version()
        #: names and tables a later template version added: absent from this older workbook means not reported
        self.not_in_version = {
            n
            for v, names in ADDED_IN_VERSION.items()
            if SUPPORTED_TEMPLATE_VERSIONS.index(v) > SUPPORTED_TEMPLATE_VERSIONS.index(self.version)
            for n in names
        }
        raw: dict[str, Any] = {"template_version": self.version}
        for attr, model, _sheet in SCALAR_SECTIONS:
            raw[attr] = self._scalars(attr, model)
        tables = set(self.wb.table_names)
        for name, (row_model, sheet) in table_fields().items():
            raw[name] = self._table(name, name, row_model, sheet, tables, required=True)
        raw["module_indicators"], raw["module_actions"] = [], []
        for module in self.method.modules:
            for kind, row_model in (("indicators", ModuleIndicatorValue), ("actions", ModuleActionStatus)):
                tname = f"{module.id}_{kind}"
                rows = self._table(
                    tname, f"module_{kind}", row_model, module.sheet_name, tables, required=False, offset=len(raw[f"module_{kind}"])
                )
                raw[f"module_{kind}"].extend(rows)
        lang = self._defined_text("template_language")
        return Extracted(raw=raw, locations=self.locations, template_language=lang if lang in ("en", "zh") else None, issues=self.issues)

    def _defined_text(self, name: str) -> Any:
        if name not in self.parts.defined_names:
            return None
        sheet, ref = self.parts.defined_names[name]
        if sheet not in self.wb.sheet_names:
            return None
        r, c = parse_ref(ref)
        return self._sheet(sheet).get(r, c)

    def _check_version(self) -> str:
        if "template_version" not in self.parts.defined_names:
            raise InputInvalid(
                [
                    issue(
                        self.path.name,
                        "no-template",
                        N_(
                            "this workbook was not made from the nzn template (no defined name 'template_version'); start from `nzn "
                            "template OUT.xlsx`"
                        ),
                    )
                ]
            )
        found = self._defined_text("template_version")
        found_s = str(found).strip()
        if isinstance(found, float) and found.is_integer():
            found_s = f"{found:.1f}"
        if found_s not in SUPPORTED_TEMPLATE_VERSIONS:
            sheet, ref = self.parts.defined_names["template_version"]
            raise InputInvalid(
                [
                    issue(
                        f"{sheet}!{ref.replace('$', '')}",
                        "template-version",
                        N_(
                            "template version {found} is not supported; this toolkit reads version {expected}. Copy your figures into a "
                            "new template from `nzn template`"
                        ),
                        found=found_s or "(blank)",
                        expected=" or ".join(SUPPORTED_TEMPLATE_VERSIONS),
                    )
                ]
            )
        return found_s

    def _scalars(self, attr: str, model: type) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for fname, finfo in model.model_fields.items():
            if fname not in self.parts.defined_names and fname in self.not_in_version:
                continue
            if fname not in self.parts.defined_names:
                self.issues.append(
                    issue(
                        self.path.name,
                        "missing-name",
                        N_("the defined name '{name}' is missing; the workbook's layout was changed. Start again from `nzn template`"),
                        name=fname,
                    )
                )
                continue
            sheet_name, ref = self.parts.defined_names[fname]
            if sheet_name not in self.wb.sheet_names:
                self.issues.append(
                    issue(
                        self.path.name,
                        "missing-sheet",
                        N_("sheet '{sheet}' (holding '{name}') is missing or was renamed"),
                        sheet=sheet_name,
                        name=fname,
                    )
                )
                continue
            sheet = self._sheet(sheet_name)
            r, c = parse_ref(ref)
            loc = (attr, fname)
            self.locations.cells[loc] = addr(sheet_name, r, c)
            if sheet.merged_at(range(r, r + 1), range(c, c + 1)):
                self.issues.append(issue(addr(sheet_name, r, c), "merged-cell", N_("input cells must not be merged; unmerge this cell")))
                continue
            value = self._cell(sheet, r, c, lambda v, a=finfo.annotation: normalise_cell(v, a, self.limits), _is_percent(model, fname))
            if value is not None:
                out[fname] = value
        return out

    def _table(
        self, tname: str, field: str, row_model: type, sheet_name: str, tables: set[str], *, required: bool, offset: int = 0
    ) -> list[dict]:
        if tname not in tables:
            if required and tname not in self.not_in_version:
                self.issues.append(
                    issue(
                        f"{sheet_name}" if sheet_name in self.wb.sheet_names else self.path.name,
                        "missing-table",
                        N_("the table '{table}' is missing (sheet '{sheet}' deleted, renamed or rebuilt); start again from `nzn template`"),
                        table=tname,
                        sheet=sheet_name,
                    )
                )
            return []
        t = self._table_meta(tname)
        sheet = self._sheet(t.sheet)
        (r_start, c_start), (r_end, c_end) = t.start, t.end
        header_row = r_start - 1
        self.locations.cells[(field,)] = addr(t.sheet, header_row, c_start)
        index = header_index(row_model)
        col_for: dict[str, int] = {}
        for j, head in enumerate(t.columns):
            key = index.get(norm_header(str(head)))
            if key is None:
                self.issues.append(
                    issue(
                        addr(t.sheet, header_row, c_start + j),
                        "unknown-header",
                        N_("column header '{header}' is not a column of table {table}; restore the template's header"),
                        header=str(head),
                        table=tname,
                    )
                )
            elif key != "":
                col_for[key] = c_start + j
        for fname, finfo in row_model.model_fields.items():
            if fname not in col_for and finfo.is_required():
                self.issues.append(
                    issue(
                        addr(t.sheet, header_row, c_start),
                        "missing-column",
                        N_("table {table} has no column '{column}'"),
                        table=tname,
                        column=fname,
                    )
                )
        n_rows = r_end - r_start + 1
        if n_rows > self.limits.max_table_rows:
            self.issues.append(
                issue(
                    addr(t.sheet, header_row, c_start),
                    "too-many-rows",
                    N_("table {table} has {rows} rows, more than the limit of {limit} (use --max-rows for big real cases)"),
                    table=tname,
                    rows=n_rows,
                    limit=self.limits.max_table_rows,
                )
            )
            return []
        merged = sheet.merged_at(range(r_start, r_end + 1), range(c_start, c_end + 1))
        if merged:
            self.issues.append(
                issue(addr(t.sheet, *merged), "merged-cell", N_("cells inside table {table} must not be merged; unmerge them"), table=tname)
            )
            return []
        self._check_below(sheet, tname, r_end, c_start, c_end, self._next_table_row(t))
        rows: list[dict] = []
        cols = sorted(col_for.items(), key=lambda kv: kv[1])
        normalisers = [
            (fname, c, make_normaliser(row_model.model_fields[fname].annotation, self.limits), _is_percent(row_model, fname))
            for fname, c in cols
        ]
        bad = self.parts.bad_cells.get(t.sheet, {})
        for r in range(r_start, r_end + 1):
            if all(_blank(sheet.get(r, c)) and (r, c) not in bad for _, c in cols):
                continue
            i = offset + len(rows)
            self.locations.rows[(field, i)] = (t.sheet, r, c_start, col_for)
            row: dict[str, Any] = {}
            for fname, c, normalise, percent in normalisers:
                value = self._cell(sheet, r, c, normalise, percent)
                if value is not None:
                    row[fname] = value
            rows.append(row)
        return rows

    def _next_table_row(self, t) -> int | None:
        """First row of the title above the next table below ``t`` whose columns overlap it."""
        below = []
        for name in self.wb.table_names:
            o = self._table_meta(name)
            if o.sheet == t.sheet and o.start[0] > t.end[0] and o.start[1] <= t.end[1] and o.end[1] >= t.start[1]:
                below.append(o.start[0] - 2)  # header row - 1 = title row
        return min(below) if below else None

    def _check_below(self, sheet: _Sheet, tname: str, r_end: int, c_start: int, c_end: int, stop: int | None) -> None:
        lo, hi = c_start - sheet.c0, c_end - sheet.c0 + 1
        for r in range(max(r_end + 1, sheet.r0), stop if stop is not None else sheet.height):
            line = sheet.rows[r - sheet.r0]
            if all(v == "" for v in line[max(lo, 0) : hi]):
                continue
            for c in range(c_start, c_end + 1):
                if not _blank(sheet.get(r, c)):
                    self.issues.append(
                        issue(
                            addr(sheet.name, r, c),
                            "outside-table",
                            N_(
                                "this value lies below table {table} and outside it, so it would be ignored; resize the table to include "
                                "it (Table Design > Resize Table) or delete it"
                            ),
                            table=tname,
                        )
                    )
                    return


def _is_percent(model: type, fname: str) -> bool:
    """A field in percent (unit ``%`` or ``%/yr``): a percent-formatted cell's fraction is scaled to it."""
    return (field_unit(model, fname) or "").startswith("%")


def _blank(v: Any) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def extract_xlsx(path: Path, method: Method, limits: Limits) -> Extracted:
    return XlsxExtractor(path, method, limits).run()
