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
    from fontTools.ttLib import TTFont  # start-up: fontTools loads only when a report is checked

    with TTFont(str(path), lazy=True) as font:
        return frozenset(font.getBestCmap())


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
    chinese = frozenset.intersection(*faces)
    dejavu = _dejavu()
    return chinese | (_cmap(dejavu) if dejavu else frozenset())


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
