"""Characters of a rendered report that its fonts cannot print (they would come out as empty boxes).

The report sets Latin text in DejaVu Sans and Chinese in the bundled Noto Sans CJK SC subsets
(templates/fonts/NotoSansSC-nzn.otf and -Bold.otf; what they cover is listed in
templates/fonts/NotoSansSC-nzn-coverage.txt). The bundled faces cover GB 18030's two-byte set, the CJK
Unified Ideographs block and Extension A, so a name with 堃 or 喆 prints; a character beyond them (an
Extension B ideograph such as 𠮷 U+20BB7, an emoji) is not in any font the report names. :func:`missing`
finds such characters in the report's text, so the command can warn and the method page can list them,
rather than print an empty box without a word.

The check reads the fonts' character maps, never the system's font list: DejaVu Sans is read from the copy
matplotlib ships (the family the report's CSS names first), the Chinese faces from templates/fonts/.
"""

from __future__ import annotations

import html as html_lib
import importlib.util
import re
import struct
import unicodedata
from functools import cache
from pathlib import Path

from assessment.paths import templates_dir

#: The bundled Chinese faces (every face must have the glyph: a bold heading uses the bold face).
BUNDLED_FACES = ("NotoSansSC-nzn.otf", "NotoSansSC-nzn-Bold.otf")
#: Elements whose text is not printed on the page: the stylesheet, and titles (the document's goes to the PDF metadata, a
#: chart's to its alt text).
_HIDDEN = re.compile(r"<(style|script|title)\b[^>]*>.*?</\1\s*>", re.S | re.I)
_TAG = re.compile(r"<[^>]*>")
_COMMENT = re.compile(r"<!--.*?-->", re.S)


def _cmap(path: Path) -> frozenset[int]:
    """The code points of a font's Unicode character map (OpenType 'cmap', format 12 or 4 of platform 3 or 0), read
    with ``struct``: parsing the bundled 8 MB faces with fontTools took a second or more of every report."""
    data = path.read_bytes()
    (num_tables,) = struct.unpack_from(">H", data, 4)
    tables = {data[12 + 16 * i : 16 + 16 * i]: struct.unpack_from(">I", data, 20 + 16 * i)[0] for i in range(num_tables)}
    base = tables[b"cmap"]
    (n,) = struct.unpack_from(">H", data, base + 2)
    subtables = {}
    for i in range(n):
        platform, encoding, offset = struct.unpack_from(">HHI", data, base + 4 + 8 * i)
        fmt = struct.unpack_from(">H", data, base + offset)[0]
        if platform in (0, 3) and fmt in (4, 12):
            subtables.setdefault(fmt, base + offset)
    points: set[int] = set()
    if 12 in subtables:
        at = subtables[12]
        (groups,) = struct.unpack_from(">I", data, at + 12)
        for g in range(groups):
            start, end, _glyph = struct.unpack_from(">III", data, at + 16 + 12 * g)
            points.update(range(start, end + 1))
        return frozenset(points)
    at = subtables[4]
    seg = struct.unpack_from(">H", data, at + 6)[0] // 2
    ends = struct.unpack_from(f">{seg}H", data, at + 14)
    starts = struct.unpack_from(f">{seg}H", data, at + 16 + 2 * seg)
    deltas = struct.unpack_from(f">{seg}h", data, at + 16 + 4 * seg)
    range_offsets_at = at + 16 + 6 * seg
    range_offsets = struct.unpack_from(f">{seg}H", data, range_offsets_at)
    for i, (start, end) in enumerate(zip(starts, ends)):
        for c in range(start, end + 1):
            if c == 0xFFFF:
                continue
            if range_offsets[i] == 0:
                glyph = (c + deltas[i]) & 0xFFFF
            else:
                index_at = range_offsets_at + 2 * i + range_offsets[i] + 2 * (c - start)
                glyph = struct.unpack_from(">H", data, index_at)[0]
                glyph = (glyph + deltas[i]) & 0xFFFF if glyph else 0
            if glyph:
                points.add(c)
    return frozenset(points)


@cache
def _dejavu() -> Path | None:
    """matplotlib's DejaVu Sans (found without importing matplotlib)."""
    spec = importlib.util.find_spec("matplotlib")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = Path(folder) / "mpl-data" / "fonts" / "ttf" / "DejaVuSans.ttf"
        if path.is_file():
            return path
    return None


@cache
def covered() -> frozenset[int]:
    """Code points the report's fonts can print: in every bundled Chinese face, or in DejaVu Sans."""
    faces = [_cmap(templates_dir() / "fonts" / name) for name in BUNDLED_FACES]
    return frozenset.intersection(*faces) | _dejavu_cmap()


@cache
def _dejavu_cmap() -> frozenset[int]:
    dejavu = _dejavu()
    return _cmap(dejavu) if dejavu else frozenset()


#: The bundled Chinese faces' @font-face rules in templates/report.css.
_CHINESE_FACES = re.compile(r'@font-face \{ font-family: "Noto Sans SC nzn";[^}]*\}\n?')


def needs_chinese_faces(html: str) -> bool:
    """Whether the report prints a character DejaVu Sans lacks (only then are the Chinese faces worth loading)."""
    have = _dejavu_cmap()
    return any(ord(ch) not in have and _needs_glyph(ch) for ch in set(printed_text(html)))


def without_chinese_faces(html: str) -> str:
    """``html`` without the @font-face rules of the bundled Chinese faces: WeasyPrint loads every declared face, 16 MB
    for the two, so a report whose text DejaVu Sans sets alone (most English reports) does not declare them."""
    return _CHINESE_FACES.sub("", html)


def chinese_faces(css: str) -> str:
    """The @font-face rules of the bundled Chinese faces in ``css`` (templates/report.css), alone."""
    return "".join(_CHINESE_FACES.findall(css))


def printed_text(html: str) -> str:
    """The text a reader sees in ``html``: element text (charts' SVG labels included), without tags, comments, the
    stylesheet or titles; entities decoded."""
    text = _HIDDEN.sub(" ", _COMMENT.sub(" ", html))
    return html_lib.unescape(_TAG.sub(" ", text))


def _needs_glyph(ch: str) -> bool:
    """Spaces, controls and format characters (zero-width space, joiners) print nothing and need no glyph."""
    return not ch.isspace() and unicodedata.category(ch) not in ("Cc", "Cf", "Zs", "Zl", "Zp")


def missing(html: str) -> list[str]:
    """The characters of the report's text that no font of the report has, in code-point order."""
    have = covered()
    return sorted({ch for ch in printed_text(html) if ord(ch) not in have and _needs_glyph(ch)}, key=ord)


def describe(chars: list[str]) -> str:
    """'𠮷 (U+20BB7), 😀 (U+1F600)': each character with its code point, for the warning and the method page."""
    return ", ".join(f"{ch} (U+{ord(ch):04X})" for ch in chars)
