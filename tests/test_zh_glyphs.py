"""Chinese beyond GB 2312 prints, a character beyond the fonts is named, and each edition says what it is (#18 item 5).

References: GB 2312-1980 (6,763 hanzi) lacks 堃 (U+5803) and 喆 (U+5586), both in GB 18030's two-byte set (GBK) and the
CJK Unified Ideographs block; 𠮷 (U+20BB7) is in Extension B (outside the Basic Multilingual Plane), which the bundled
faces do not cover (templates/fonts/NotoSansSC-nzn-coverage.txt). A glyph missing from a font shows as .notdef, glyph id 0.
"""

from __future__ import annotations

import dataclasses
import io
import json
import re

import pytest
from fontTools.pens.boundsPen import BoundsPen
from fontTools.ttLib import TTFont
from pypdf import PdfReader
from typer.testing import CliRunner

from assessment import assess, validate_input
from assessment.cli.app import app
from assessment.i18n import language
from assessment.paths import templates_dir
from assessment.report import glyphs, pdf_metadata
from tests.conftest import SAMPLES

runner = CliRunner()
BEYOND_GB2312 = "堃喆"
BEYOND_FONTS = "𠮷"  # U+20BB7
NAME = f"{BEYOND_GB2312}滨河社区"


def _input(tmp_path, name: str):
    data = json.loads((SAMPLES / "riverside-retrofit-zh.json").read_text(encoding="utf-8"))
    data["profile"]["name"] = name
    path = tmp_path / "named.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_the_characters_are_beyond_gb2312_and_inside_the_bundled_coverage():
    for ch in BEYOND_GB2312:
        with pytest.raises(UnicodeEncodeError):
            ch.encode("gb2312")
        assert len(ch.encode("gb18030")) == 2, "GB 18030 two-byte set"
        assert ord(ch) in glyphs.covered()
    assert len(BEYOND_FONTS.encode("gb18030")) == 4 and ord(BEYOND_FONTS) not in glyphs.covered()


def test_coverage_file_matches_the_fonts():
    """The coverage file's counts are the fonts' own (both faces hold the same characters)."""
    text = (templates_dir() / "fonts" / "NotoSansSC-nzn-coverage.txt").read_text(encoding="utf-8")
    for face, style in (("NotoSansSC-nzn.otf", "Regular"), ("NotoSansSC-nzn-Bold.otf", "Bold")):
        with TTFont(str(templates_dir() / "fonts" / face), lazy=True) as font:
            n = len(font.getBestCmap())
            assert f"characters {style}: {n}\n" in text
            assert font["OS/2"].usWeightClass == (700 if style == "Bold" else 400)
    m = re.search(r"CJK Unified Ideographs U\+4E00-U\+9FFF: (\d+) of 20992", text)
    assert m and int(m.group(1)) >= 20900, "the URO block, as far as Noto Sans CJK SC 2.004 has it"


@pytest.mark.parametrize("face", [*glyphs.BUNDLED_FACES, "DejaVu Sans"])
def test_the_character_map_reader_agrees_with_fonttools(face):
    """glyphs._cmap reads 'cmap' with struct (format 4 or 12); fontTools' getBestCmap is the reference."""
    path = glyphs._dejavu() if face == "DejaVu Sans" else templates_dir() / "fonts" / face
    with TTFont(str(path), lazy=True) as font:
        assert glyphs._cmap(path) == frozenset(font.getBestCmap())


def test_missing_finds_only_what_no_font_has():
    head = f"<head><style>p {{content: '{BEYOND_FONTS}'}}</style><title>{BEYOND_FONTS}</title></head>"
    html = f"<html>{head}<body><p>{NAME} A–Z 1,500 吨\u200b</p></body></html>"
    assert glyphs.missing(html) == [], "style and titles are not printed; a zero-width space needs no glyph"
    assert glyphs.missing(f"<p>{NAME}&#x20000;{BEYOND_FONTS}</p>") == ["\U00020000", BEYOND_FONTS], "code-point order, entities decoded"


def _bundled_fonts(pdf) -> list[tuple[TTFont, dict[int, str]]]:
    """Each embedded bundled Chinese font of the PDF with its ToUnicode map (glyph id -> text)."""
    out, seen = [], set()
    reader = PdfReader(pdf)

    def walk(resources):
        if not resources:
            return
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            name = str(font["/BaseFont"])
            if "Noto-Sans-SC-nzn" not in name or name in seen:
                continue
            seen.add(name)
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            ttf = TTFont(io.BytesIO(descriptor["/FontFile3"].get_object().get_data()))
            cmap = font["/ToUnicode"].get_object().get_data().decode("latin-1")
            mapping = {}
            for block in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S):
                for gid, uni in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]*)>", block):
                    mapping[int(gid, 16)] = bytes.fromhex(uni).decode("utf-16-be")
            out.append((ttf, mapping))
        for xobject in (resources.get("/XObject") or {}).values():
            walk(xobject.get_object().get("/Resources"))

    for page in reader.pages:
        walk(page.get("/Resources"))
    return out


@pytest.fixture(scope="module")
def named_report(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("glyphs")
    pdf, html = tmp / "r.pdf", tmp / "r.html"
    result = runner.invoke(app, ["assess", str(_input(tmp, NAME)), "--lang", "zh", "-o", str(pdf), "-o", str(html), "--date", "2026-01-01"])
    assert result.exit_code == 0, result.output
    return {"pdf": pdf, "html": html.read_text(encoding="utf-8"), "output": result.output}


def test_every_glyph_of_a_name_beyond_gb2312_is_in_the_pdf(named_report):
    fonts = _bundled_fonts(named_report["pdf"])
    assert fonts, "the bundled Chinese fonts are embedded"
    weights = set()
    for ttf, mapping in fonts:
        order, glyph_set = ttf.getGlyphOrder(), ttf.getGlyphSet()
        for gid, text in mapping.items():
            assert gid != 0, f"{text!r} was printed with .notdef"
            assert gid < len(order), f"{text!r} has no glyph in {ttf['name'].getDebugName(6)}"
            if text.strip():
                pen = BoundsPen(glyph_set)
                glyph_set[order[gid]].draw(pen)
                assert pen.bounds is not None, f"{text!r} (glyph {gid}) is empty"
        if any(ch in mapping.values() for ch in BEYOND_GB2312):
            weights.add(ttf["OS/2"].usWeightClass)
    assert weights == {400, 700}, "the name prints in the regular text and in the bold heading, each from its own face"
    text = "".join(p.extract_text() for p in PdfReader(named_report["pdf"]).pages[:1])
    assert NAME in text, "the name extracts back from page 1"
    assert "U+" not in named_report["output"], "no glyph warning: every character prints"


def test_a_character_beyond_the_fonts_warns_and_is_listed_on_the_method_page(tmp_path):
    html = tmp_path / "r.html"
    name = f"{BEYOND_FONTS}野家社区"
    result = runner.invoke(app, ["assess", str(_input(tmp_path, name)), "--lang", "zh", "-o", str(html), "--date", "2026-01-01", "-q"])
    assert result.exit_code == 0, result.output
    assert "U+20BB7" in result.output and "!" in result.output, result.output
    page = html.read_text(encoding="utf-8")
    method = page[page.index('id="method"') :]
    assert re.search(r"缺少字形的字符</td><td><b>[^<]*𠮷 \(U\+20BB7\)", method), "the method page names the character"


# --- title and language per edition -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def results(method, factors):
    read = validate_input(SAMPLES / "riverside-retrofit.json")
    unrated = dataclasses.replace(read, model=read.model.model_copy(update={"consumption": [], "diet_profile": []}))
    return {"rated": assess(read, method, factors), "unrated": assess(unrated, method, factors)}


@pytest.mark.parametrize(
    "lang, expected",
    [
        ("en", "Riverside Community (illustrative): Net-zero neighbourhood scorecard"),
        ("zh", "Riverside Community (illustrative)：净零社区评分卡"),
        ("en+zh", "Riverside Community (illustrative): Net-zero neighbourhood scorecard / 净零社区评分卡"),
    ],
)
def test_pdf_title_is_in_the_editions_language(results, lang, expected):
    assert results["rated"].pillars["green"].score is not None
    with language(lang):
        assert pdf_metadata(results["rated"])["title"] == expected


@pytest.mark.parametrize("lang", ["en", "zh", "en+zh"])
def test_title_never_says_net_zero_when_green_is_not_rated(results, lang):
    assert results["unrated"].pillars["green"].score is None, "no consumption inventory: Green is not rated"
    with language(lang):
        title = pdf_metadata(results["unrated"])["title"]
    assert not re.search(r"net[\s-]*zero|净零", title, re.I), title
    assert ("评分卡" in title) == (lang != "en") and (("scorecard" in title) == (lang != "zh"))


@pytest.mark.parametrize("lang, html_lang", [("en", "en"), ("zh", "zh-CN"), ("en+zh", "en")])
def test_pdf_lang_and_title_metadata(tmp_path, lang, html_lang):
    """/Lang follows <html lang>; the bilingual edition is set in English with Chinese beside it, and its HTML says both
    (Content-Language: "en, zh-CN", RFC 9110 section 8.5) as its title does."""
    pdf, html = tmp_path / "r.pdf", tmp_path / "r.html"
    result = runner.invoke(app, ["assess", str(SAMPLES / "riverside-retrofit.json"), "--lang", lang, "-o", str(pdf), "-o", str(html), "-q"])
    assert result.exit_code == 0, result.output
    assert f'<html lang="{html_lang}"' in html.read_text(encoding="utf-8")
    assert ('content="en, zh-CN"' in html.read_text(encoding="utf-8")) == (lang == "en+zh")
    reader = PdfReader(pdf)
    assert reader.trailer["/Root"]["/Lang"] == html_lang
    assert ("净零社区评分卡" in reader.metadata.title) == (lang != "en")
    assert ("scorecard" in reader.metadata.title) == (lang != "zh")


def test_chinese_faces_are_declared_only_when_the_text_needs_them():
    """DejaVu Sans has no CJK ideograph, so '成都' needs the bundled faces and 'Bristol – 1,500 tCO2e' does not; without
    them, the two @font-face rules of report.css are gone and nothing else."""
    css = (templates_dir() / "report.css").read_text(encoding="utf-8")
    assert css.count('font-family: "Noto Sans SC nzn"; font-weight:') == 2
    assert glyphs.needs_chinese_faces("<p>成都</p>") and not glyphs.needs_chinese_faces("<p>Bristol – 1,500 tCO2e</p>")
    stripped = glyphs.without_chinese_faces(css)
    assert "@font-face" not in stripped and len(css) - len(stripped) == sum(
        len(line) + 1 for line in css.splitlines() if line.startswith("@font-face")
    )
