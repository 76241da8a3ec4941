"""Regenerate the bundled Chinese fonts: Noto Sans CJK SC Regular and Bold subsets, made with fontTools.

Writes ``NotoSansSC-nzn.otf`` (Regular, weight 400), ``NotoSansSC-nzn-Bold.otf`` (Bold, weight 700) and
``NotoSansSC-nzn-coverage.txt`` (character count, Unicode ranges, source font version) beside this script.

What each face covers (issue #18 item 5), where the source font has a glyph for it:

- GB 18030's two-byte set (GBK: the 21,886 code points of lead bytes 0x81-0xFE, trail bytes 0x40-0x7E and
  0x80-0xFE, which include all of GB 2312);
- the whole CJK Unified Ideographs block U+4E00-U+9FFF and Extension A U+3400-U+4DBF;
- ASCII, Latin-1 and typographic punctuation;
- every character of the message catalogues, the method files (modules/*.toml) and the templates.

Glyph order: WeasyPrint embeds a subset of each font per document, but it keeps glyph ids (HarfBuzz
``RETAIN_GIDS``), so every slot up to the highest glyph a report uses stays in the PDF as an empty glyph.
The subset therefore puts the glyphs a report nearly always prints first (ASCII, Latin-1, punctuation and the
characters of the catalogues, code, data, method, templates and samples), then the rest of GB 2312, then the rest of GB 18030 and the
URO block, then Extension A: a report whose names use common characters embeds about as many glyph slots as
its text needs, and a rare character costs only itself plus the empty slots below it.

Source: Noto Sans CJK SC 2.004 (SIL Open Font License 1.1, templates/fonts/OFL.txt; Debian package
fonts-noto-cjk: ``apt-get install -y fonts-noto-cjk``). Run by a maintainer after catalogue or method changes
(not at install time); about 100 s on one core of the development machine for both faces:

    python templates/fonts/make_subset.py /usr/share/fonts/opentype/noto
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import time
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection
from fontTools.ttLib.reorderGlyphs import reorderGlyphs

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
FAMILY = "Noto Sans SC nzn"
SOURCE_FAMILY = "Noto Sans CJK SC"
#: (source .ttc, output file, style name, PostScript name)
FACES = (
    ("NotoSansCJK-Regular.ttc", "NotoSansSC-nzn.otf", "Regular", "NotoSansSC-nzn-Regular"),
    ("NotoSansCJK-Bold.ttc", "NotoSansSC-nzn-Bold.otf", "Bold", "NotoSansSC-nzn-Bold"),
)
COVERAGE = HERE / "NotoSansSC-nzn-coverage.txt"
URO = range(0x4E00, 0xA000)  # CJK Unified Ideographs
EXT_A = range(0x3400, 0x4DC0)  # CJK Unified Ideographs Extension A
PUNCTUATION = set(
    "‐‑‒–—―‖‘’‚“”„†‡•‥…‧‰′″‹›※‾⁄€℃℉№™Ω←↑→↓↔≈≠≤≥±×÷·∶∼□■▲△▶►▼◆◇○◎●★☆✓✗◀"
    "　、。〃〄々〆〇〈〉《》「」『』【】〒〓〔〕〖〗〜〝〞〟"
    "！＂＃＄％＆＇（）＊＋，－．／０１２３４５６７８９：；＜＝＞？＠［＼］＾＿｀｛｜｝～￠￡￥"
)


def gb_two_byte(codec: str, leads: range, trails: list[int]) -> set[str]:
    """Every character a two-byte sequence of ``codec`` decodes to (GB 2312: 0xA1-0xF7 x 0xA1-0xFE; GB 18030's
    two-byte set: 0x81-0xFE x 0x40-0x7E, 0x80-0xFE)."""
    chars = set()
    for hi in leads:
        for lo in trails:
            try:
                chars.add(bytes([hi, lo]).decode(codec))
            except UnicodeDecodeError:
                pass
    return chars


def gb2312() -> set[str]:
    return gb_two_byte("gb2312", range(0xA1, 0xF8), list(range(0xA1, 0xFF)))


def gb18030_two_byte() -> set[str]:
    return gb_two_byte("gb18030", range(0x81, 0xFF), [*range(0x40, 0x7F), *range(0x80, 0xFF)])


def used_texts() -> set[str]:
    """Every character of the catalogues, the code and its data (labels, case studies, factors, glossary), the method files,
    the templates and the samples: what the toolkit itself prints."""
    chars = set()
    paths = [
        *ROOT.glob("assessment/locales/**/*.po"),
        *ROOT.glob("assessment/**/*.py"),
        *ROOT.glob("assessment/data/**/*.csv"),
        *ROOT.glob("assessment/data/**/*.toml"),
        *ROOT.glob("assessment/data/**/*.json"),
        *ROOT.glob("modules/*.toml"),
        *ROOT.glob("templates/*.j2"),
        *ROOT.glob("sample_inputs/*.json"),
    ]
    for path in sorted(paths):
        chars |= set(path.read_text(encoding="utf-8"))
    # the Basic Multilingual Plane only: a character beyond it (𠮷 U+20BB7 in glyphs.py's docstring, the example of what the
    # fonts lack) is outside the coverage the fonts promise, and tests/test_zh_glyphs.py relies on that
    return {c for c in chars if ord(c) <= 0xFFFF}


def tiers() -> list[set[str]]:
    """The characters to keep, most used first (the glyph order of the subset, see the module docstring)."""
    first = {chr(c) for c in range(0x20, 0x100)} | PUNCTUATION | used_texts()
    second = gb2312()
    third = gb18030_two_byte() | {chr(c) for c in URO}
    fourth = {chr(c) for c in EXT_A}
    out, seen = [], set()
    for t in (first, second, third, fourth):
        t = {c for c in t if c.isprintable() and not (0xE000 <= ord(c) <= 0xF8FF)} - seen  # no private-use code points
        out.append(t)
        seen |= t
    return out


def source_face(path: Path):
    coll = TTCollection(str(path))
    return next(f for f in coll.fonts if str(f["name"].getDebugName(1)) == SOURCE_FAMILY)


def reorder(font, wanted: list[set[str]]) -> None:
    """Glyph order: .notdef, the first tier's glyphs by code point and the glyphs reached only through layout features,
    then each further tier's glyphs by code point.
    The CFF's FDSelect (which private dictionary each glyph uses) is rebuilt in the new order."""
    cmap = font.getBestCmap()
    old = font.getGlyphOrder()
    order, placed = [old[0]], {old[0]}
    mapped = set(cmap.values())
    for i, tier in enumerate(wanted):
        for c in sorted(tier, key=ord):
            g = cmap.get(ord(c))
            if g is not None and g not in placed:
                order.append(g)
                placed.add(g)
        if i == 0:  # the few glyphs only layout features reach (forms of punctuation) go with the first tier
            order += [g for g in old if g not in mapped and g not in placed]
            placed |= set(order)
    order += [g for g in old if g not in placed]  # anything else the subsetter kept
    top = font["CFF "].cff.topDictIndex[0]
    charstrings = top.CharStrings
    for name in old:
        cs, fd = charstrings.getItemAndSelector(name)
        cs.fdSelectIndex = fd
    reorderGlyphs(font, order)
    top.FDSelect.gidArray = [charstrings[name].fdSelectIndex for name in order]
    top.FDSelect.format = 3


def rename(font, style: str, ps_name: str) -> None:
    for rec in font["name"].names:
        if rec.nameID in (1, 16):
            rec.string = FAMILY
        elif rec.nameID in (2, 17):
            rec.string = style
        elif rec.nameID == 4:
            rec.string = f"{FAMILY} {style}"
        elif rec.nameID == 6:
            rec.string = ps_name
        elif rec.nameID == 3:
            rec.string = f"2.004;nzn;{ps_name}"


def make_face(source: Path, out: Path, style: str, ps_name: str, wanted: list[set[str]]) -> tuple[object, set[int]]:
    font = source_face(source)
    options = subset.Options()
    # No 'locl' (it pulls in the Japanese, Korean and Traditional forms) and no vertical forms: the report is set
    # horizontally in Simplified Chinese. WeasyPrint drops GSUB/GPOS from the embedded copy anyway.
    options.layout_features = ["ccmp", "kern", "liga", "mark", "mkmk", "palt"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.drop_tables += ["DSIG", "VORG", "vhea", "vmtx"]
    text = "".join(sorted(set().union(*wanted), key=ord))
    sub = subset.Subsetter(options)
    sub.populate(text=text)
    sub.subset(font)
    reorder(font, wanted)
    rename(font, style, ps_name)
    font.save(out)
    return font, set(font.getBestCmap())


def ranges(codepoints: set[int]) -> list[tuple[int, int]]:
    out: list[list[int]] = []
    for c in sorted(codepoints):
        if out and c == out[-1][1] + 1:
            out[-1][1] = c
        else:
            out.append([c, c])
    return [(a, b) for a, b in out]


def coverage_text(cmaps: dict[str, set[int]], sources: dict[str, Path], fonts: dict[str, object]) -> str:
    try:
        package = subprocess.run(["dpkg-query", "-W", "fonts-noto-cjk"], capture_output=True, text=True, check=False).stdout.strip()
    except OSError:
        package = ""
    regular = cmaps["Regular"]
    lines = ["# Coverage of the bundled Chinese fonts (written by templates/fonts/make_subset.py; do not edit)", f"family: {FAMILY}"]
    for style, font in fonts.items():
        digest = hashlib.sha256(sources[style].read_bytes()).hexdigest()
        lines.append(f"source {style}: {SOURCE_FAMILY} {font['name'].getDebugName(5)} ({sources[style].name}, sha256 {digest})")
    if package:
        lines.append(f"source package: {package.replace(chr(9), ' ')}")
    for style, cmap in cmaps.items():
        lines.append(f"characters {style}: {len(cmap)}")
    lines.append(f"same characters in every face: {'yes' if all(c == regular for c in cmaps.values()) else 'no'}")
    gb18030 = {ord(c) for c in gb18030_two_byte() if not 0xE000 <= ord(c) <= 0xF8FF}
    for label, block in (
        ("GB 2312", {ord(c) for c in gb2312()}),
        ("GB 18030 two-byte set (private use excluded)", gb18030),
        ("CJK Unified Ideographs U+4E00-U+9FFF", set(URO)),
        ("CJK Unified Ideographs Extension A U+3400-U+4DBF", set(EXT_A)),
    ):
        lines.append(f"{label}: {len(block & regular)} of {len(block)}")
    lines.append("ranges (Regular):")
    lines += [f"U+{a:04X}" if a == b else f"U+{a:04X}-U+{b:04X}" for a, b in ranges(regular)]
    return "\n".join(lines) + "\n"


def main(source_dir: str) -> None:
    start = time.perf_counter()
    wanted = tiers()
    cmaps, sources, fonts = {}, {}, {}
    for src, out, style, ps_name in FACES:
        source = Path(source_dir) / src
        font, cmap = make_face(source, HERE / out, style, ps_name, wanted)
        cmaps[style], sources[style], fonts[style] = cmap, source, font
        print(
            f"wrote {HERE / out} ({(HERE / out).stat().st_size / 1e6:.2f} MB, {len(font.getGlyphOrder())} glyphs, {len(cmap)} characters)"
        )
    COVERAGE.write_text(coverage_text(cmaps, sources, fonts), encoding="utf-8")
    print(f"wrote {COVERAGE} in {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/usr/share/fonts/opentype/noto")
