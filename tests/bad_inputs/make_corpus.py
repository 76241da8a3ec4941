"""Generate a corpus of hostile, broken and odd inputs for `nzn validate` / `nzn assess`.

Nothing here is committed as a binary: every file is generated from the filled
example workbook (``write_template(..., load_example("riverside-retrofit"))``) or
from the example as JSON, then damaged with openpyxl or by rewriting members of
the saved zip.

Use as a script::

    python tests/bad_inputs/make_corpus.py OUT_FOLDER      # writes the files and lists the cases

or import it: ``build(folder) -> list[Case]`` writes every file; ``plan(folder)``
returns the same cases without writing anything (for test ids). Each
:class:`Case` says what a correct toolkit does with its file:

* ``exit_code`` 2 (invalid input): the run stops with a message located at
  ``where`` (a ``Sheet!Cell``, the file name or a JSON path such as
  ``$.profile.name``; a prefix of the printed location) that contains
  ``phrase`` (or one of ``alt_phrases``), and nothing is written;
* ``exit_code`` 0 (valid but odd): the input validates and assesses;
  ``report_texts`` must print as plain text (escaped) in the HTML report and
  ``xlsx_texts`` must come back as text cells (never formulas) in the results
  workbook. ``where``/``phrase`` say where the odd value sits and what it is.

The cases deliberately differ from tests/test_malformed_workbooks.py (other
cells, other tables, raw-XML variants, whole-file attacks); its cell-finding
helpers are reused here.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re
import struct
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import openpyxl  # noqa: E402
from openpyxl.utils import get_column_letter  # noqa: E402
from openpyxl.workbook.workbook import Workbook  # noqa: E402

from assessment.emissions.factors import load_factors  # noqa: E402
from assessment.i18n import language  # noqa: E402
from assessment.io.examples import load_example  # noqa: E402
from assessment.io.template import TemplateWriter, write_template  # noqa: E402
from assessment.model.method import load_method  # noqa: E402
from tests.test_malformed_workbooks import _sheet_part, find_table, named_cell, table_bounds, table_cell, table_col, table_header_addr  # noqa: E402

INVALID, ODD = 2, 0
EXAMPLE = "riverside-retrofit"
#: Rows written into one table by the million-row case (the default --max-rows is 200,000).
MILLION = 1_000_000
#: Unpacked size of the zip-bomb member: 30 MB from about 30 KB stored.
BOMB_BYTES = 30 * 1024 * 1024
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# Hostile text that is nevertheless valid input: it must print as text, never act.
SCRIPT_NAME = "<script>alert(1)</script> Riverside"
JS_URL = "javascript:alert(document.cookie)"
CSS_URL = "background:url(http://attacker.example/track.png)"
PROJECT_CSS_JS = 'Retrofit <a href="javascript:alert(1)">x</a> <style>body{background:url(http://attacker.example/p.png)}</style>'
FORMULA_TEXTS = ('=HYPERLINK("http://x","y")', "@SUM(A1)", "+cmd|' /C calc'!A0")
UNICODE_NAME = "河畔社区 🌳 Ωmega — naïve café"


@dataclass(frozen=True)
class Case:
    name: str
    path: Path
    exit_code: int
    where: str  # expected location prefix: "Profile!B12", "input.xlsx", "$.profile.name", "$"
    phrase: str  # key phrase of the expected message (exit 2), or the odd value (exit 0)
    alt_phrases: tuple[str, ...] = ()  # other acceptable wordings of the same refusal
    report_texts: tuple[str, ...] = ()  # exit 0: must appear, as text, in the HTML report
    xlsx_texts: tuple[str, ...] = ()  # exit 0: must come back as text cells in the results workbook
    pdf: bool = False  # exit 0: also render (and check) the PDF for this case
    extra_args: tuple[str, ...] = ()  # options for both commands (e.g. a lower --max-rows)
    make: Callable[[Path], None] | None = field(default=None, repr=False, compare=False)

    @property
    def invalid(self) -> bool:
        return self.exit_code == INVALID

    @property
    def phrases(self) -> tuple[str, ...]:
        return (self.phrase, *self.alt_phrases)


# --------------------------------------------------------------------------- zip helpers


def _zip_items(path: Path) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(path) as zf:
        return [(info.filename, zf.read(info.filename)) for info in zf.infolist()]


def _rewrite(
    src: Path,
    target: Path,
    edits: dict[str, Callable[[bytes], bytes]] | None = None,
    add: dict[str, bytes] | None = None,
    level: int | None = None,
) -> None:
    """Copy the workbook zip, editing some members and adding others."""
    edits = edits or {}
    items = [(name, edits[name](data) if name in edits else data) for name, data in _zip_items(src)]
    items += list((add or {}).items())
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as zf:
        for name, data in items:
            zf.writestr(name, data)


def part_of_sheet(src: Path, sheet: str) -> str:
    with zipfile.ZipFile(src) as zf:
        return _sheet_part(sheet)(zf)


def part_of_table(src: Path, table: str) -> str:
    with zipfile.ZipFile(src) as zf:
        for name in zf.namelist():
            if name.startswith("xl/tables/") and re.search(rb'displayName="%s"' % table.encode(), zf.read(name)):
                return name
    raise KeyError(table)


def replace_cell(xml: bytes, ref: str, new_cell: str) -> bytes:
    """Replace the ``<c r="REF">`` element of a sheet XML (every input cell of the template exists, styled)."""
    pattern = re.compile(rb'<c r="%s"(?:\s[^>]*?)?(?:/>|>.*?</c>)' % ref.encode(), re.S)
    data = new_cell.encode("utf-8")
    out, n = pattern.subn(lambda _m: data, xml, count=1)
    if n != 1:
        raise KeyError(f"no cell {ref} in the sheet XML")
    return out


def style_of(xml: bytes, ref: str) -> str:
    m = re.search(rb'<c r="%s"[^>]*?\ss="(\d+)"' % ref.encode(), xml)
    return f' s="{m.group(1).decode()}"' if m else ""


# --------------------------------------------------------------------------- the builder


class _Builder:
    """Declares the cases; each case's ``make(path)`` writes its file from the base workbook."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.base = self.folder / "_work" / "riverside.xlsx"
        with language("en"):  # addresses and English headers, from the same writer, without touching the disk
            self.base_wb = TemplateWriter(load_method(), load_factors(), load_example(EXAMPLE)).build()
        self.example_json = load_example(EXAMPLE).model_dump(mode="json")
        self.cases: list[Case] = []

    # ---- addresses in the base workbook
    def named(self, name: str) -> str:
        ws, coord = named_cell(self.base_wb, name)
        return f"{ws.title}!{coord}"

    def cell(self, table: str, fld: str, row: int = 0) -> str:
        ws, coord = table_cell(self.base_wb, table, fld, row)
        return f"{ws.title}!{coord}"

    # ---- declaring cases
    def add(self, name: str, exit_code: int, where: str, phrase: str, make: Callable[[Path], None], **kw) -> None:
        self.cases.append(Case(name=name, path=self.folder / name, exit_code=exit_code, where=where, phrase=phrase, make=make, **kw))

    def data(self, name: str, exit_code: int, where: str, phrase: str, content: Callable[[], bytes], **kw) -> None:
        self.add(name, exit_code, where, phrase, lambda path: path.write_bytes(content()), **kw)

    def workbook(self, name: str, mutate: Callable[[Workbook], None], exit_code: int, where: str, phrase: str, **kw) -> None:
        def make(path: Path) -> None:
            wb = openpyxl.load_workbook(self.base)
            mutate(wb)
            wb.save(path)

        self.add(name, exit_code, where, phrase, make, **kw)

    def raw_cell(self, name: str, address: str, new_cell: Callable[[str, str], str], exit_code: int, phrase: str, **kw) -> None:
        """Rewrite one cell of the saved workbook as raw XML: ``new_cell(ref, style_attr) -> '<c ...>'``."""
        sheet, ref = address.split("!")

        def make(path: Path) -> None:
            _rewrite(
                self.base,
                path,
                edits={part_of_sheet(self.base, sheet): lambda xml: replace_cell(xml, ref, new_cell(ref, style_of(xml, ref)))},
            )

        self.add(name, exit_code, address, phrase, make, **kw)

    def json_case(
        self, name: str, edit: Callable[[dict], object], where: str, phrase: str, raw: Callable[[], str] | None = None, **kw
    ) -> None:
        def content() -> bytes:
            if raw is not None:
                return raw().encode("utf-8")
            data = json.loads(json.dumps(self.example_json))
            data = edit(data) or data
            return json.dumps(data, ensure_ascii=True).encode("utf-8")

        self.data(name, INVALID, where, phrase, content, **kw)

    def write_all(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        self.base.parent.mkdir(exist_ok=True)
        write_template(self.base, load_method(), load_factors(), load_example(EXAMPLE))
        for case in self.cases:
            case.make(case.path)


def _set(table_or_name: str, value, fld: str | None = None, row: int = 0, as_text: bool = False) -> Callable[[Workbook], None]:
    def mutate(wb: Workbook) -> None:
        ws, coord = named_cell(wb, table_or_name) if fld is None else table_cell(wb, table_or_name, fld, row)
        ws[coord].value = value
        if as_text:
            ws[coord].data_type = "s"  # keep '=...' as text, as Excel does in a cell formatted as text

    return mutate


def _all(*mutations: Callable[[Workbook], None]) -> Callable[[Workbook], None]:
    def mutate(wb: Workbook) -> None:
        for m in mutations:
            m(wb)

    return mutate


# --------------------------------------------------------------------------- cases


def _not_workbooks(b: _Builder) -> None:
    b.data("zero-byte.xlsx", INVALID, "zero-byte.xlsx", "the file is empty (0 bytes)", lambda: b"")
    b.data(
        "random-bytes-with-zip-magic.xlsx",
        INVALID,
        "random-bytes-with-zip-magic.xlsx",
        "truncated or corrupt zip",
        lambda: b"PK\x03\x04" + random.Random(7).randbytes(64 * 1024),
    )
    b.data(
        "csv-renamed.xlsx",
        INVALID,
        "csv-renamed.xlsx",
        "not an .xlsx workbook",
        lambda: "\ufeffneighbourhood_id,name,population\ncn-cd-riverside,河畔社区,10200\n".encode("utf-8"),
    )
    ole = OLE_MAGIC + bytes(16) + b"\x3e\x00\x03\x00\xfe\xff\x09\x00" + bytes(512 - 32)
    b.data(
        "legacy.xls",
        INVALID,
        "legacy.xls",
        "old-format .xls workbooks are not accepted",
        lambda: ole + "Workbook".encode("utf-16-le") + bytes(4096),
    )
    directory = b"".join(
        n.encode("utf-16-le").ljust(64, b"\0") + bytes(64) for n in ("Root Entry", "EncryptionInfo", "EncryptedPackage", "\x06DataSpaces")
    )
    b.data(
        "password-protected.xlsx",
        INVALID,
        "password-protected.xlsx",
        "password-protected",
        lambda: ole + directory + random.Random(8).randbytes(8192),
    )
    b.data("truncated-zip.xlsx", INVALID, "truncated-zip.xlsx", "truncated or corrupt zip", lambda: b.base.read_bytes()[:-300])

    def corrupt_member() -> bytes:
        """Central directory intact, but 200 bytes of the Profile sheet's deflate stream are garbage."""
        base = bytearray(b.base.read_bytes())
        with zipfile.ZipFile(b.base) as zf:
            info = zf.getinfo(_sheet_part("Profile")(zf))
        start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
        base[start + 20 : start + 220] = random.Random(9).randbytes(200)
        return bytes(base)

    b.data("corrupt-member.xlsx", INVALID, "corrupt-member.xlsx", "again from Excel", corrupt_member)

    def patch_member(local: Callable[[bytearray, int], None], central: Callable[[bytearray, int], None]) -> Callable[[], bytes]:
        """The base workbook with the Profile sheet's local header and central-directory entry patched."""

        def content() -> bytes:
            data = bytearray(b.base.read_bytes())
            with zipfile.ZipFile(b.base) as zf:
                info = zf.getinfo(_sheet_part("Profile")(zf))
            local(data, info.header_offset)
            name = info.filename.encode()
            i = data.find(b"PK\x01\x02")
            while i != -1:
                if data[i + 46 : i + 46 + struct.unpack_from("<H", data, i + 28)[0]] == name:
                    central(data, i)
                i = data.find(b"PK\x01\x02", i + 4)
            return bytes(data)

        return content

    def set_u16(offset: int, value: Callable[[int], int]) -> Callable[[bytearray, int], None]:
        return lambda data, at: struct.pack_into("<H", data, at + offset, value(struct.unpack_from("<H", data, at + offset)[0]))

    # a member flagged as encrypted (what a zip tool's "protect with password" does), and one with an
    # unsupported compression method (99 = WinZip AES)
    b.data(
        "encrypted-zip-member.xlsx",
        INVALID,
        "encrypted-zip-member.xlsx",
        "again from Excel",
        patch_member(set_u16(6, lambda v: v | 1), set_u16(8, lambda v: v | 1)),
        alt_phrases=("encrypted", "password"),
    )
    b.data(
        "unsupported-compression.xlsx",
        INVALID,
        "unsupported-compression.xlsx",
        "again from Excel",
        patch_member(set_u16(8, lambda v: 99), set_u16(10, lambda v: 99)),
        alt_phrases=("not supported", "compression"),
    )

    def plain_workbook(path: Path) -> None:
        wb = openpyxl.Workbook()
        wb.active["A1"], wb.active["B1"] = "population", 10200
        wb.save(path)

    b.add("not-from-template.xlsx", INVALID, "not-from-template.xlsx", "not made from the nzn template", plain_workbook)


def _hostile_packages(b: _Builder) -> None:
    def zip_bomb(path: Path) -> None:
        """A sheet of spaces that inflates ~1000x (30 MB from ~30 KB), written with DEFLATE level 9."""
        head = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        bomb = head + b" " * BOMB_BYTES + b"</sheetData></worksheet>"
        _rewrite(b.base, path, edits={part_of_sheet(b.base, "Lists"): lambda _x: bomb}, level=9)

    b.add("zip-bomb.xlsx", INVALID, "zip-bomb.xlsx", "zip bomb", zip_bomb)

    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10)
    )
    doctype = f"<!DOCTYPE worksheet [{entities}]>"
    name_ref = b.named("name").split("!")[1]

    def laughs(pad: int) -> Callable[[Path], None]:
        def make(path: Path) -> None:
            def edit(xml: bytes) -> bytes:
                body = replace_cell(xml, name_ref, f'<c r="{name_ref}" t="inlineStr"><is><t>&lol9;</t></is></c>').decode("utf-8")
                prolog = '<?xml version="1.0" encoding="UTF-8"?>' + (f"<!--{'x' * pad}-->" if pad else "") + doctype
                return (prolog + body).encode("utf-8")

            _rewrite(b.base, path, edits={part_of_sheet(b.base, "Profile"): edit})

        return make

    b.add("billion-laughs.xlsx", INVALID, "billion-laughs.xlsx", "forbidden XML entities", laughs(0))
    # the same, with the DOCTYPE pushed beyond the first 4 KB of the part by a (legal) comment
    b.add(
        "billion-laughs-after-4kb.xlsx",
        INVALID,
        "billion-laughs-after-4kb.xlsx",
        "forbidden XML entities",
        laughs(6000),
        alt_phrases=("could not be read",),
    )

    def unused_entities(path: Path) -> None:
        """Entities declared (not used) after a 6 KB comment: still a DOCTYPE with entities, to be refused."""
        prolog = f'<?xml version="1.0" encoding="UTF-8"?><!--{"x" * 6000}-->{doctype}'.encode()
        _rewrite(b.base, path, edits={part_of_sheet(b.base, "Profile"): lambda xml: prolog + xml})

    b.add("doctype-after-4kb-unused.xlsx", INVALID, "doctype-after-4kb-unused.xlsx", "forbidden XML entities", unused_entities)

    households = b.named("households").split("!")[1]

    def prefixed(path: Path) -> None:
        """The Profile sheet written with a namespace prefix (<x:c>, as some generators do) and an error cell."""

        def edit(xml: bytes) -> bytes:
            text = replace_cell(xml, households, f'<c r="{households}" t="e"><f>B18/0</f><v>#REF!</v></c>').decode("utf-8")
            text = re.sub(r"<(/?)([A-Za-z]+)([\s>/])", r"<\1x:\2\3", text).replace('xmlns="http', 'xmlns:x="http', 1)
            return text.encode("utf-8")

        _rewrite(b.base, path, edits={part_of_sheet(b.base, "Profile"): edit})

    b.add("prefixed-xml-error-cell.xlsx", INVALID, b.named("households"), "holds the Excel error #REF!", prefixed)

    def macro(path: Path) -> None:
        """A VBA project part with an auto-run macro, the macro content type and an .xlsm name."""

        def types(xml: bytes) -> bytes:
            return xml.replace(b"spreadsheetml.sheet.main+xml", b"sheet.macroEnabled.main+xml").replace(
                b"</Types>", b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>'
            )

        vba = OLE_MAGIC + bytes(504) + b'Attribute VB_Name = "Module1"\nSub Auto_Open()\nShell "calc.exe"\nEnd Sub\n'
        _rewrite(b.base, path, edits={"[Content_Types].xml": types}, add={"xl/vbaProject.bin": vba})

    b.add("macro.xlsm", INVALID, "macro.xlsm", "macro-enabled workbooks (.xlsm) are not accepted", macro)
    _million_rows(b)


def _million_rows(b: _Builder) -> None:
    """One million rows in the waste table, streamed into the zip (refused by the --max-rows limit)."""
    ws, c1, r1, c2, _r2 = table_bounds(b.base_wb, "waste")
    tcol = get_column_letter(table_col(b.base_wb, "waste", "tonnes_per_year"))
    first, last = r1 + 1, r1 + MILLION
    ref = f"{get_column_letter(c1)}{r1}:{get_column_letter(c2)}{last}"

    def make(path: Path) -> None:
        sheet_part, table_part = part_of_sheet(b.base, ws.title), part_of_table(b.base, "waste")
        with zipfile.ZipFile(b.base) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zout:
            for info in zin.infolist():
                data = zin.read(info.filename)
                if info.filename == table_part:
                    zout.writestr(info.filename, re.sub(rb'ref="[A-Z]+\d+:[A-Z]+\d+"', f'ref="{ref}"'.encode(), data))
                elif info.filename == sheet_part:
                    text = re.sub(
                        r'<dimension ref="[^"]*"\s*/>', f'<dimension ref="A1:{get_column_letter(c2)}{last}" />', data.decode("utf-8")
                    )
                    before, rest = text.split("<sheetData>", 1)
                    rows, after = rest.split("</sheetData>", 1)
                    kept = "".join(m.group(0) for m in re.finditer(r'<row r="(\d+)".*?</row>', rows, re.S) if int(m.group(1)) <= r1)
                    with zout.open(info.filename, "w") as fh:
                        fh.write((before + "<sheetData>" + kept).encode("utf-8"))
                        for lo in range(first, last + 1, 50_000):
                            fh.write(
                                "".join(
                                    f'<row r="{r}"><c r="{tcol}{r}"><v>{r % 97}</v></c></row>'
                                    for r in range(lo, min(lo + 50_000, last + 1))
                                ).encode()
                            )
                        fh.write(("</sheetData>" + after).encode("utf-8"))
                else:
                    zout.writestr(info.filename, data)

    b.add("one-million-rows.xlsx", INVALID, f"{ws.title}!{get_column_letter(c1)}{r1}", f"table waste has {MILLION} rows", make)


def _external_link(b: _Builder) -> None:
    """Population as ``=[1]Data!$A$1`` with its cached value, plus the external link part: valid (cached values are read)."""
    address = b.named("population")
    ref = address.split("!")[1]
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    link = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><externalLink {ns}><externalBook r:id="rId1"><sheetNames><sheetName '
        f'val="Data"/></sheetNames>'
        '<sheetDataSet><sheetData sheetId="0"><row r="1"><cell '
        'r="A1"><v>10200</v></cell></row></sheetData></sheetDataSet></externalBook></externalLink>'
    ).encode()
    link_rels = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/externalLinkPath" '
        b'Target="file:///C:/Users/someone/secret/population.xlsx" TargetMode="External"/></Relationships>'
    )
    edits = {
        "xl/workbook.xml": lambda xml: xml.replace(
            b"</sheets>", b'</sheets><externalReferences><externalReference r:id="rIdExt1"/></externalReferences>', 1
        ),
        "xl/_rels/workbook.xml.rels": lambda xml: xml.replace(
            b"</Relationships>",
            b'<Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/externalLink" '
            b'Target="/xl/externalLinks/externalLink1.xml" Id="rIdExt1" /></Relationships>',
        ),
        "[Content_Types].xml": lambda xml: xml.replace(
            b"</Types>",
            b'<Override PartName="/xl/externalLinks/externalLink1.xml" '
            b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.externalLink+xml"/></Types>',
        ),
    }

    def make(path: Path) -> None:
        cell = {
            part_of_sheet(b.base, "Profile"): lambda xml: replace_cell(
                xml, ref, f'<c r="{ref}"{style_of(xml, ref)}><f>[1]Data!$A$1</f><v>10200</v></c>'
            )
        }
        _rewrite(
            b.base,
            path,
            edits={**edits, **cell},
            add={"xl/externalLinks/externalLink1.xml": link, "xl/externalLinks/_rels/externalLink1.xml.rels": link_rels},
        )

    b.add("external-link.xlsx", ODD, address, "[1]Data!$A$1", make)


def _formula_cells(b: _Builder) -> None:
    b.raw_cell(
        "formula-ref-error-in-profile.xlsx",
        b.named("population"),
        lambda ref, s: f'<c r="{ref}"{s} t="e"><f>#REF!*2</f><v>#REF!</v></c>',
        INVALID,
        "holds the Excel error #REF!",
    )
    b.raw_cell(
        "formula-div0-in-waste-table.xlsx",
        b.cell("waste", "tonnes_per_year", 1),
        lambda ref, s: f'<c r="{ref}"{s} t="e"><f>C6/0</f><v>#DIV/0!</v></c>',
        INVALID,
        "holds the Excel error #DIV/0!",
    )
    b.raw_cell(
        "formula-without-cached-text.xlsx",
        b.named("city"),
        lambda ref, s: f'<c r="{ref}"{s} t="str"><f>"Cheng"&amp;"du"</f></c>',
        INVALID,
        "formula with no saved result",
    )


#: Every required sheet -> the key phrase when it is missing (scalar sheets name the sheet, table sheets the table).
SHEETS = {
    "Profile": "sheet 'Profile'",
    "Energy": "the table 'energy_use' is missing",
    "Transport": "the table 'transport_activity' is missing",
    "Waste": "the table 'waste' is missing",
    "Construction": "the table 'construction_projects' is missing",
    "Materials": "the table 'construction_materials' is missing",
    "Consumption": "the table 'diet_profile' is missing",
    "Nature": "sheet 'Nature'",
    "Factors": "the table 'factor_overrides' is missing",
}


def _missing_sheets(b: _Builder) -> None:
    for sheet, phrase in SHEETS.items():
        name = f"missing-sheet-{sheet.lower()}.xlsx"

        def drop(wb: Workbook, sheet=sheet) -> None:
            del wb[sheet]

        b.workbook(name, drop, INVALID, name, phrase)


def _layout(b: _Builder) -> None:
    def rename_header(wb: Workbook) -> None:
        ws, t = find_table(wb, "waste")
        _ws, c1, r1, _c2, _r2 = table_bounds(wb, "waste")
        col = table_col(wb, "waste", "tonnes_per_year")
        ws.cell(r1, col).value = "Weight"
        t.tableColumns[col - c1].name = "Weight"  # what Excel does when a header is retyped

    ws, c1, r1, c2, r2 = table_bounds(b.base_wb, "waste")
    col = table_col(b.base_wb, "waste", "tonnes_per_year")
    b.workbook(
        "renamed-header-waste.xlsx",
        rename_header,
        INVALID,
        f"{ws.title}!{get_column_letter(col)}{r1}",
        "column header 'Weight' is not a column of table waste",
    )

    ws, c1, r1, c2, r2 = table_bounds(b.base_wb, "green_space")
    area = table_col(b.base_wb, "green_space", "area_m2")

    def below(wb: Workbook) -> None:
        wb[ws.title].cell(r2 + 1, area).value = 2500

    b.workbook(
        "value-below-green-space-table.xlsx",
        below,
        INVALID,
        f"{ws.title}!{get_column_letter(area)}{r2 + 1}",
        "lies below table green_space and outside it",
    )

    def merge(wb: Workbook) -> None:
        ws2, coord = table_cell(wb, "construction_projects", "name", 0)
        _ws, lower = table_cell(wb, "construction_projects", "name", 1)
        ws2.merge_cells(f"{coord}:{lower}")

    b.workbook(
        "merged-cells-construction.xlsx",
        merge,
        INVALID,
        b.cell("construction_projects", "name", 0),
        "cells inside table construction_projects must not be merged",
    )


def _values(b: _Builder) -> None:
    b.workbook(
        "date-in-reporting-year.xlsx",
        _set("reporting_year", dt.datetime(2024, 1, 1)),
        INVALID,
        b.named("reporting_year"),
        "got a date or time",
    )
    b.workbook(
        "boolean-in-energy-amount.xlsx",
        _set("energy_use", True, "amount", 1),
        INVALID,
        b.cell("energy_use", "amount", 1),
        "expected a number, got TRUE",
    )
    b.workbook("negative-population.xlsx", _set("population", -10200), INVALID, b.named("population"), "expected a value greater than 0")
    b.workbook("site-area-1e308.xlsx", _set("site_area_ha", 1e308), INVALID, b.named("site_area_ha"), "expected a value of at most")
    b.workbook(
        "recycled-content-150pct.xlsx",
        _set("construction_materials", 150, "recycled_content_pct", 0),
        INVALID,
        b.cell("construction_materials", "recycled_content_pct", 0),
        "expected a value of at most 100",
    )

    def diet_shares(wb: Workbook) -> None:
        ws, coord = table_cell(wb, "diet_profile", "share_pct", 0)
        ws[coord].value = float(ws[coord].value) + 25

    b.workbook("diet-shares-not-100.xlsx", diet_shares, INVALID, table_header_addr(b.base_wb, "diet_profile"), "add up to")
    b.workbook(
        "unknown-grid-region.xlsx",
        _set("grid_region", "Mars orbital grid"),
        INVALID,
        b.named("grid_region"),
        "'Mars orbital grid' is not one of the allowed choices",
    )
    b.workbook(
        "unknown-waste-treatment.xlsx",
        _set("waste", "launched into space", "treatment", 0),
        INVALID,
        b.cell("waste", "treatment", 0),
        "'launched into space' is not one of the allowed choices",
    )
    # a valid stream and a valid treatment whose combination the factor library cannot price (found by tests/test_fuzz.py):
    # `nzn validate` must say so, as `nzn assess` does
    ws, c1, r1, c2, r2 = table_bounds(b.base_wb, "waste")
    stream, treatment = table_col(b.base_wb, "waste", "stream"), table_col(b.base_wb, "waste", "treatment")
    row = next(r for r in range(r1 + 1, r2 + 1) if str(ws.cell(r, stream).value).startswith("construction"))

    def compost(wb: Workbook) -> None:
        wb[ws.title].cell(row, treatment).value = "composting"

    b.workbook("construction-waste-composted.xlsx", compost, INVALID, f"{ws.title}!", "no emission factor 'waste.construction.composting'")
    b.workbook(
        "rtl-override-in-energy-group.xlsx",
        _set("energy_use", "Blocks \u202eFEDCBA", "group", 0),
        INVALID,
        b.cell("energy_use", "group", 0),
        "right-to-left override",
    )
    b.add(
        "empty-template.xlsx",
        INVALID,
        b.named("neighbourhood_id"),
        "a value is required here (neighbourhood_id)",
        lambda path: write_template(path, load_method(), load_factors(), None),
    )


def _odd_but_valid(b: _Builder) -> None:
    b.workbook("html-in-name.xlsx", _set("name", SCRIPT_NAME), ODD, b.named("name"), SCRIPT_NAME, report_texts=(SCRIPT_NAME,), pdf=True)
    b.workbook(
        "js-and-css-urls-in-notes.xlsx",
        _all(
            _set("energy_use", JS_URL, "notes", 0),
            _set("waste", CSS_URL, "notes", 0),
            _set("construction_projects", PROJECT_CSS_JS, "name", 0),
        ),
        ODD,
        b.cell("energy_use", "notes", 0),
        JS_URL,
        report_texts=(PROJECT_CSS_JS,),
        pdf=True,
    )
    hyperlink, at_sum, dde = FORMULA_TEXTS
    b.workbook(
        "formula-injection-text.xlsx",
        _all(
            _set("name", hyperlink, as_text=True),
            _set("city", at_sum, as_text=True),
            _set("construction_projects", dde, "name", 0, as_text=True),
        ),
        ODD,
        b.named("name"),
        hyperlink,
        report_texts=FORMULA_TEXTS,
        xlsx_texts=FORMULA_TEXTS,
    )
    b.workbook(
        "unicode-name.xlsx",
        _set("name", UNICODE_NAME),
        ODD,
        b.named("name"),
        UNICODE_NAME,
        report_texts=(UNICODE_NAME,),
        xlsx_texts=(UNICODE_NAME,),
    )

    def extra_sheet(wb: Workbook) -> None:
        ws = wb.create_sheet("My working notes", 1)
        ws["A1"] = "scratch figures"
        ws["B2"] = "=SUM(1,2)"  # a formula without a saved result, outside every input cell

    b.workbook("extra-user-sheet.xlsx", extra_sheet, ODD, "My working notes!A1", "scratch figures")
    # within the bounds (site area > 0), but the derived per-hectare indicators become astronomically large
    b.workbook("tiny-site-area.xlsx", _set("site_area_ha", 1e-30), ODD, b.named("site_area_ha"), "1e-30")
    _external_link(b)


def _json_and_yaml(b: _Builder) -> None:
    def energy_amount(value):
        def edit(d: dict) -> None:
            d["energy_use"][0]["amount"] = value

        return edit

    def profile(key, value):
        def edit(d: dict) -> None:
            d["profile"][key] = value

        return edit

    b.json_case("nan-amount.json", energy_amount(float("nan")), "$.energy_use[0].amount", "NaN")
    b.json_case("infinity-amount.json", energy_amount(float("inf")), "$.energy_use[0].amount", "Infinity")
    b.json_case("rtl-override-in-city.json", profile("city", "Cheng\u202eud"), "$.profile.city", "right-to-left override")
    b.json_case("null-character-in-name.json", profile("name", "River\u0000side"), "$.profile.name", "control characters")
    b.json_case("wrong-type-population.json", profile("population", "ten thousand"), "$.profile.population", "expected a whole number")

    def rows_as_object(d: dict) -> None:
        d["waste"] = {"stream": "paper", "treatment": "recycling", "tonnes_per_year": 3}

    b.json_case("wrong-type-table.json", rows_as_object, "$.waste", "expected a list of rows")

    def extra_keys(d: dict) -> None:
        d["profile"]["favourite_colour"] = "green"
        d["energy_use"][1]["meter_serial"] = "X-1"

    b.json_case("extra-keys.json", extra_keys, "$.profile.favourite_colour", "unknown field 'favourite_colour'")
    b.json_case(
        "deep-nesting.json",
        lambda d: None,
        "deep-nesting.json",
        "nested too deeply",
        raw=lambda: '{"profile": ' + "[" * 10_000 + "]" * 10_000 + "}",
    )

    def nested_50(d: dict) -> None:
        node: list = []
        d["energy_use"] = node
        for _ in range(50):
            node.append([])
            node = node[0]

    b.json_case("nesting-50-levels.json", nested_50, "$", "nested deeper than")
    b.json_case("huge-string.json", profile("name", "A" * 20_000_000), "$.profile.name", "longer than the limit")
    b.json_case("top-level-array.json", lambda d: [d], "$", "must be an object")
    b.json_case(
        "integer-5000-digits.json",
        lambda d: None,
        "integer-5000-digits.json",
        "not valid JSON",
        raw=lambda: json.dumps(b.example_json).replace('"population": 10200', '"population": ' + "9" * 5000),
        alt_phrases=("digits", "too large", "too long", "number"),
    )

    def many_rows(d: dict) -> None:
        d["energy_use"] = [dict(d["energy_use"][0], group=f"block {i}") for i in range(1500)]

    b.json_case("rows-over-max-rows.json", many_rows, "$.energy_use", "more than the limit of 1000", extra_args=("--max-rows", "1000"))
    b.data(
        "not-utf8.json",
        INVALID,
        "not-utf8.json",
        "not UTF-8",
        lambda: json.dumps(b.example_json, ensure_ascii=False).replace("Chengdu", "Cheng\xe9du").encode("latin-1"),
    )

    def alias_bomb() -> bytes:
        text = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
        for prev, cur in zip("abcdefgh", "bcdefghi"):
            text += f"{cur}: &{cur} [{', '.join([f'*{prev}'] * 9)}]\n"
        return (text + "profile: *i\n").encode("utf-8")

    b.data("alias-bomb.yaml", INVALID, "alias-bomb.yaml", "aliases are not allowed", alias_bomb)
    b.data(
        "integer-5000-digits.yaml",
        INVALID,
        "integer-5000-digits.yaml",
        "not valid YAML",
        lambda: json.dumps(b.example_json).replace('"population": 10200', '"population": ' + "9" * 5000).encode("utf-8"),
        alt_phrases=("digits", "too large", "too long", "number"),
    )
    b.data(
        "python-tag.yaml",
        INVALID,
        "python-tag.yaml",
        "not valid YAML",
        lambda: b"profile: !!python/object/apply:os.system ['echo pwned > /tmp/nzn-pwned']\n",
    )


def _declare(folder: str | Path) -> _Builder:
    b = _Builder(Path(folder))
    for group in (_not_workbooks, _hostile_packages, _formula_cells, _missing_sheets, _layout, _values, _odd_but_valid, _json_and_yaml):
        group(b)
    names = [c.name for c in b.cases]
    assert len(names) == len(set(names)), "case names must be unique"
    return b


def plan(folder: str | Path) -> list[Case]:
    """The cases, with their paths under ``folder``, without writing anything."""
    return _declare(folder).cases


def build(folder: str | Path) -> list[Case]:
    """Write every case into ``folder`` (a few seconds; the million-row workbook is most of it) and return them."""
    b = _declare(folder)
    b.write_all()
    return b.cases


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python tests/bad_inputs/make_corpus.py OUT_FOLDER", file=sys.stderr)
        return 2
    cases = build(argv[0])
    for c in cases:
        print(f"{c.name:40} {'invalid' if c.invalid else 'odd':8} {c.where:32} {c.phrase[:60]}")
    print(f"{len(cases)} cases written to {argv[0]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
