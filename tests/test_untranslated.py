"""Every string of the Chinese report is Chinese (issue #18 item 5), and Chinese sentences use Chinese punctuation.

Three checks:
- the catalogue: no entry of assessment/locales/zh_CN/.../nzn.po whose msgstr is empty or the English msgid, except the
  short list below of codes and symbols that read the same in both languages (each with its reason);
- the rendered zh HTML of both samples: no English label of a code the toolkit itself words (units, categories, building
  and project types, materials, data-quality flags, action status, indicator and level names of the method) is left in
  the printed text, once the text that is English by nature is set aside: what the workbook says (names, notes, typed by
  the user, printed as typed), the factor sources and ids, and the case-study citations;
- punctuation: no ASCII ':' ';' ',' directly between two Chinese characters, or between a Chinese character and the
  value that follows it (the catalogue gives '：', '；', '，' in the patterns labels.LABELLED and CLAUSE_SEP).
"""

from __future__ import annotations

import json
import re

import pytest
from babel.messages.pofile import read_po

from assessment.emissions.factors import load_factors
from assessment.i18n import catalogue
from assessment.numbers import UNIT_LABELS
from assessment.report import glyphs
from assessment.report.labels import LABELS, MATERIAL_NAMES
from tests.conftest import ROOT, SAMPLE_NAMES, SAMPLES

PO = ROOT / "assessment" / "locales" / "zh_CN" / "LC_MESSAGES" / "nzn.po"

#: Messages whose Chinese is the English, on purpose.
SAME_IN_BOTH: dict[str, str] = {
    "TRUE": "Excel's boolean value as the workbook shows it (a cell value, not a word of the report)",
    "FALSE": "Excel's boolean value as the workbook shows it (a cell value, not a word of the report)",
    "Verra VCS": "the registry's proper name (Verified Carbon Standard); Chinese registries cite it in Latin letters",
    "kgCO2e/m²": "a unit symbol (SI and the GHG Protocol's CO2e), written the same in Chinese technical text",
    "kWh": "SI unit symbol",
    "GPC": "the GHG Protocol for Cities' own abbreviation",
    "LETI": "the London Energy Transformation Initiative's own abbreviation",
    "tCO2e": "unit symbol (tonnes of CO2 equivalent)",
}

CJK = "\u3400-\u4dbf\u4e00-\u9fff"
#: ASCII ':' ';' ',' after a Chinese character (not a clock time or a number's separator: a digit follows those), or
#: before one.
ASCII_IN_CHINESE = re.compile(rf"[{CJK}] ?[:;,](?!\d)|[:;,] ?[{CJK}]")


def untranslated(cat) -> list[str]:
    out = []
    for m in cat:
        if not m.id:
            continue
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strs = m.string if isinstance(m.string, tuple) else (m.string,)
        if any(not s for s in strs) or any(s == ids[min(i, len(ids) - 1)] for i, s in enumerate(strs)):
            if ids[0] not in SAME_IN_BOTH:
                out.append(ids[0])
    return out


def test_catalogue_leaves_nothing_in_english():
    with PO.open("rb") as fh:
        cat = read_po(fh, locale="zh_CN")
    assert untranslated(cat) == []


def test_the_untranslated_check_finds_an_english_entry():
    """The check itself: an entry left English, or left empty, is reported; an allowed symbol is not."""
    from babel.messages.catalog import Catalog

    cat = Catalog(locale="zh_CN")
    cat.add("tonne", "tonne")
    cat.add("litre", "")
    cat.add("LETI", "LETI")
    cat.add("trees", "棵树")
    assert untranslated(cat) == ["tonne", "litre"]


def _strings(value) -> list[str]:
    """Every text of an input (JSON): what the workbook says, printed as typed."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def english_by_nature(html: str, inputs: list[str]) -> str:
    """The printed text without what is English by nature: factor sources (the library's) and ids, case-study citations,
    workbook text."""
    html = re.sub(r'<section class="page annex" id="case-studies">.*?</section>', " ", html, flags=re.S)
    html = re.sub(r'<(td|span) class="[^"]*factor-(?:source|id)[^"]*">.*?</\1>', " ", html, flags=re.S)
    html = re.sub(r'<span class="muted">[^<]*(?:doi|https?:)[^<]*</span>', " ", html)
    text = re.sub(r"\s+", " ", glyphs.printed_text(html))
    sources = {f.source for f in load_factors().factors.values()}
    for s in sorted({re.sub(r"\s+", " ", s) for s in [*inputs, *sources] if len(s) > 2}, key=len, reverse=True):
        text = text.replace(s, " ")
    return text


def english_labels(method) -> list[str]:
    """The English label of every code the toolkit words, whose Chinese differs from it: units, categories, building and
    project types, quality flags, action status, materials, and the method's indicator, Green component and level names."""
    zh = catalogue("zh")
    words = {w for w in [*(v for kind in LABELS.values() for v in kind.values()), *MATERIAL_NAMES.values(), *UNIT_LABELS.values()]}
    out = {w for w in words if zh.gettext(w) != w}
    texts = [ind.name for m in method.modules for ind in m.indicators] + [lv.name for lv in method.settings.levels]
    texts += [c.name for c in method.settings.green.components]
    out |= {t.get("en") for t in texts if t.get("en") != t.get("zh")}
    return sorted(w for w in out if len(w) > 3 and w not in SAME_IN_BOTH)


@pytest.fixture(scope="module")
def zh_reports(tmp_path_factory):
    from typer.testing import CliRunner

    from assessment.cli.app import app

    out = tmp_path_factory.mktemp("zh-html")
    reports = {}
    for name in (*SAMPLE_NAMES, "riverside-retrofit-zh"):
        html = out / f"{name}.html"
        result = CliRunner().invoke(
            app, ["assess", str(SAMPLES / f"{name}.json"), "--lang", "zh", "-o", str(html), "--date", "2026-01-01", "-q"]
        )
        assert result.exit_code == 0, result.output
        reports[name] = (html.read_text(encoding="utf-8"), json.loads((SAMPLES / f"{name}.json").read_text(encoding="utf-8")))
    return reports


@pytest.mark.parametrize("name", [*SAMPLE_NAMES, "riverside-retrofit-zh"])
def test_zh_report_prints_no_english_label(zh_reports, method, name):
    html, data = zh_reports[name]
    text = english_by_nature(html, _strings(data))
    left = sorted(w for w in english_labels(method) if re.search(rf"(?<![A-Za-z_.]){re.escape(w)}(?![A-Za-z_])", text))
    assert left == [], left


@pytest.mark.parametrize("name", [*SAMPLE_NAMES, "riverside-retrofit-zh"])
def test_zh_units_after_amounts_are_chinese(zh_reports, name):
    """The brief's words: an amount in the trace or a scenario ('420 tonne', '1,500 trees') carries the Chinese unit."""
    text = re.sub(r"\s+", " ", glyphs.printed_text(zh_reports[name][0]))
    assert re.findall(r"\d (?:tonne|litre|trees|pkm|tkm|vkm|person_year)\b", text) == []
    assert re.search(r"\d 吨", text), "the trace's material amounts are in 吨"


@pytest.mark.parametrize("name", [*SAMPLE_NAMES, "riverside-retrofit-zh"])
def test_zh_sentences_use_chinese_punctuation(zh_reports, name):
    text = re.sub(r"\s+", " ", glyphs.printed_text(zh_reports[name][0]))
    found = [text[max(0, m.start() - 15) : m.end() + 15] for m in ASCII_IN_CHINESE.finditer(text)]
    assert found == [], found


def test_the_punctuation_check_finds_ascii_between_chinese():
    assert ASCII_IN_CHINESE.search("等级: 进阶") and ASCII_IN_CHINESE.search("300; 办公") and ASCII_IN_CHINESE.search("Chengdu, 中国")
    assert (
        not ASCII_IN_CHINESE.search("等级：进阶")
        and not ASCII_IN_CHINESE.search("2025 年 12:30")
        and not ASCII_IN_CHINESE.search("1,500 吨")
    )


def test_glossary_cites_documents_not_files():
    """Issue #18 item 4: words, not keys. A glossary source is a citation a council can look up, or the toolkit's own
    words in the reader's language; never a path into the code (modules/..., docs/...md, .toml)."""
    from assessment.report.glossary import glossary

    path = re.compile(r"[\w-]+/[\w./-]+\.(toml|md|py|json)\b|\bmodules/|\bdocs/")
    for lang in ("en", "zh", "en+zh"):
        for t in glossary(lang):
            assert not path.search(t["source"]), (lang, t["term"], t["source"])
    zh = {t["term"]: t["source"] for t in glossary("zh")}
    assert zh["代用因子"].startswith("本工具"), zh["代用因子"]
