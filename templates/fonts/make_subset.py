"""Regenerate templates/fonts/NotoSansSC-nzn.otf: Noto Sans CJK SC Regular subset with fontTools.

The subset keeps GB 2312 (the 6,763 common Simplified Chinese characters and its symbols), ASCII,
Latin-1 and typographic punctuation, and every character used by the message catalogues and the
method files, so the bundled font covers everything the toolkit prints. Source: Noto Sans CJK SC
(SIL Open Font License 1.1; Debian package fonts-noto-cjk, NotoSansCJK-Regular.ttc). Run by a
maintainer after catalogue changes (not at install time):

    python templates/fonts/make_subset.py /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection

ROOT = Path(__file__).resolve().parents[2]
OUT = Path(__file__).resolve().parent / "NotoSansSC-nzn.otf"
FAMILY = "Noto Sans SC nzn"


def gb2312() -> set[str]:
    chars = set()
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                chars.add(bytes([hi, lo]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return chars


def used_texts() -> set[str]:
    chars = set()
    for path in [*ROOT.glob("assessment/locales/**/*.po"), *ROOT.glob("modules/*.toml"), *ROOT.glob("templates/*.j2")]:
        chars |= set(path.read_text(encoding="utf-8"))
    return chars


def main(source: str) -> None:
    coll = TTCollection(source)
    font = next(f for f in coll.fonts if "Noto Sans CJK SC" in str(f["name"].getDebugName(1)))
    text = (
        gb2312()
        | used_texts()
        | {chr(c) for c in range(0x20, 0x100)}
        | set("‐‑–—―‘’“”•…‰′″※€℃№™←↑→↓≤≥≠±×÷·〈〉《》「」『』【】〔〕、。，：；！？（）")
    )
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.drop_tables += ["DSIG"]
    sub = subset.Subsetter(options)
    sub.populate(text="".join(sorted(c for c in text if c.isprintable())))
    sub.subset(font)
    names = font["name"]
    for rec in names.names:
        if rec.nameID in (1, 16):
            rec.string = FAMILY
        elif rec.nameID in (4,):
            rec.string = f"{FAMILY} Regular"
        elif rec.nameID == 6:
            rec.string = "NotoSansSC-nzn-Regular"
    font.save(OUT)
    print(f"wrote {OUT} ({OUT.stat().st_size / 1e6:.2f} MB, {len(font.getGlyphOrder())} glyphs)")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
