"""English and Simplified Chinese: catalogues, workbook, messages and the report in both languages."""

from __future__ import annotations

import json
import logging
import re

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po
from openpyxl import load_workbook
from pypdf import PdfReader
from typer.testing import CliRunner

from assessment.cli import app
from assessment.i18n import _, language
from assessment.model import enums
from assessment.model.enums import CodeEnum
from tests.conftest import ROOT, SAMPLES

runner = CliRunner()
PO = ROOT / "assessment" / "locales" / "zh_CN" / "LC_MESSAGES" / "nzn.po"
CJK = re.compile(r"[\u4e00-\u9fff]")
MODULE_NAMES_ZH = [
    "绿色建筑与能源",
    "清洁建造",
    "完整社区",
    "以人为本的交通",
    "互联互通",
    "循环资源",
    "绿色和基于自然的解决方案",
    "绿色经济",
    "包容共享",
    "可持续的生活方式",
]


#: babel.cfg's keywords as docs/translation.md's pybabel command gives them (-k _ -k N_ -k symbol -k ngettext:1,2)
KEYWORDS = {**DEFAULT_KEYWORDS, "symbol": None}


def extracted_messages() -> set[str]:
    """Every message marked in the code and the templates (the same extraction as babel.cfg)."""
    found: set[str] = set()
    for subdir, method_map, options in (
        ("assessment", [("**.py", "python")], {}),
        ("templates", [("**.j2", "jinja2")], {"**.j2": {"extensions": "jinja2.ext.i18n"}}),
    ):
        for _file, _line, message, _comments, _ctx in extract_from_dir(str(ROOT / subdir), method_map, options, keywords=KEYWORDS):
            found.update([message] if isinstance(message, str) else [m for m in message if m])
    return found


def forms(m) -> tuple[list[str], list[str]]:
    """A message's ids and translations as lists: one of each, or every form of a plural message (ngettext)."""
    ids = list(m.id) if isinstance(m.id, (tuple, list)) else [m.id]
    strings = list(m.string) if isinstance(m.string, (tuple, list)) else [m.string]
    return ids, strings


@pytest.fixture(scope="module")
def catalogue():
    with PO.open("rb") as fh:
        return read_po(fh)


def test_every_message_has_a_chinese_translation(catalogue):
    translated = {i: all(forms(m)[1]) for m in catalogue if m.id for i in forms(m)[0]}
    missing = sorted(m for m in extracted_messages() if not translated.get(m))
    assert not missing, f"{len(missing)} messages lack a Chinese translation, e.g. {missing[:5]} (see docs/translation.md)"


def test_catalogue_holds_no_unused_message(catalogue):
    used = extracted_messages()
    stale = sorted(i for m in catalogue if m.id for i in forms(m)[0] if i not in used)
    assert not stale, f"messages no longer used: {stale[:5]} (run pybabel update, see docs/translation.md)"


def test_placeholders_survive_translation(catalogue):
    for m in catalogue:
        ids, strings = forms(m)
        for msgid in ids if m.id else []:
            for text in (t for t in strings if t):
                assert set(re.findall(r"{(\w*)}", msgid)) == set(re.findall(r"{(\w*)}", text)), msgid


def test_drop_down_labels_are_unique_in_chinese():
    """The reader maps a label back to its code, so two members of one list must not share a Chinese label."""
    for enum in (e for e in vars(enums).values() if isinstance(e, type) and issubclass(e, CodeEnum) and e is not CodeEnum):
        with language("zh"):
            labels = [_(m.label) for m in enum]
        assert len(set(labels)) == len(labels), enum.__name__


@pytest.fixture(scope="module")
def zh_workbook(tmp_path_factory):
    path = tmp_path_factory.mktemp("zh") / "riverside-zh.xlsx"
    result = runner.invoke(app, ["template", str(path), "--lang", "zh", "--example", "riverside-retrofit"])
    assert result.exit_code == 0, result.output
    return path


def test_chinese_workbook_keeps_the_contract(zh_workbook, tmp_path):
    en = tmp_path / "en.xlsx"
    assert runner.invoke(app, ["template", str(en), "--example", "riverside-retrofit"]).exit_code == 0
    wz, we = load_workbook(zh_workbook), load_workbook(en)
    assert wz.sheetnames == we.sheetnames, "sheet names are part of the contract"
    assert set(wz.defined_names) == set(we.defined_names)
    assert {t for ws in wz.worksheets for t in ws.tables} == {t for ws in we.worksheets for t in ws.tables}
    header = [c.value for c in wz["Energy"][5] if c.value]
    assert all(CJK.search(h) for h in header), header
    assert CJK.search(wz["Energy"]["A1"].value), "sheet title in Chinese"
    lang_ref = list(wz.defined_names["template_language"].destinations)[0]
    assert wz[lang_ref[0]][lang_ref[1].replace("$", "")].value == "zh"


def test_chinese_and_english_twins_give_the_same_results(zh_workbook, tmp_path):
    out_zh, out_en = tmp_path / "zh.json", tmp_path / "en.json"
    assert runner.invoke(app, ["assess", str(zh_workbook), "--json", str(out_zh), "-q"]).exit_code == 0
    assert runner.invoke(app, ["assess", str(SAMPLES / "riverside-retrofit.xlsx"), "--json", str(out_en), "-q"]).exit_code == 0
    a, b = json.loads(out_zh.read_text()), json.loads(out_en.read_text())
    for d in (a, b):
        d["input"].pop("file_name")
        d["input"].pop("sha256")
    assert a == b


def test_validate_explains_in_chinese_and_names_the_cell(zh_workbook, tmp_path):
    wb = load_workbook(zh_workbook)
    sheet, ref = list(wb.defined_names["population"].destinations)[0]
    wb[sheet][ref.replace("$", "")] = "一万"
    bad = tmp_path / "bad.xlsx"
    wb.save(bad)
    result = runner.invoke(app, ["validate", str(bad)])  # no --lang: the workbook's own language
    assert result.exit_code == 2
    line = next(x for x in result.output.splitlines() if f"{sheet}!{ref.replace('$', '')}" in x)
    assert CJK.search(line.split(":", 1)[1]), line
    english = runner.invoke(app, ["validate", str(bad), "--lang", "en"])
    assert "expected a whole number" in english.output


@pytest.fixture(scope="module", params=["zh", "en+zh"])
def localised_pdf(request, tmp_path_factory):
    out = tmp_path_factory.mktemp("pdf")
    pdf, js = out / "r.pdf", out / "r.json"
    records: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = records.append
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    try:
        result = runner.invoke(
            app,
            ["assess", str(SAMPLES / "riverside-retrofit.json"), "-o", str(pdf), "--json", str(js), "--lang", request.param, "-q"],
            env={"NZN_PDF_WORKER": "0"},
        )  # in-process, so the WeasyPrint log is seen here
    finally:
        logger.removeHandler(handler)
    assert result.exit_code == 0, result.output
    text = re.sub(r"\s+", " ", "\n".join(p.extract_text() for p in PdfReader(pdf).pages))
    return {"lang": request.param, "pdf": pdf, "text": text, "json": json.loads(js.read_text()), "log": [r.getMessage() for r in records]}


def test_localised_pdf_has_the_chinese_module_names_and_key_figures(localised_pdf):
    text = localised_pdf["text"]
    for name in MODULE_NAMES_ZH:
        assert name in text, name
    e = localised_pdf["json"]["emissions"]
    for value in (e["gross_tco2e_per_year"], e["net_tco2e_per_year"]):
        assert f"{value:,.0f}" in text
    if localised_pdf["lang"] == "en+zh":
        assert "Green Buildings & Energy" in text and "绿色建筑与能源" in text


def test_localised_pdf_embeds_the_bundled_cjk_font_and_misses_no_glyph(localised_pdf):
    fonts = set()
    for page in PdfReader(localised_pdf["pdf"]).pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert any("Noto-Sans-SC-nzn" in f for f in fonts), fonts
    assert not [m for m in localised_pdf["log"] if ".notdef" in m], "a glyph fell back to the missing-glyph box"
