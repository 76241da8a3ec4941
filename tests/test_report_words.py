"""Words a reader can read (issue #18 item 4, the review of session 10): a factor's region and a cost's currency in the
reader's language, one year printed once, an input cell never broken after its '!', and page 1's net figure per
resident beside the gross one."""

from __future__ import annotations

import re

import pytest

from assessment import assess, validate_input
from assessment.i18n import language
from assessment.io.limits import DEFAULT_LIMITS
from assessment.numbers import year_span
from assessment.report.context import ReportInput, build_context
from assessment.report.labels import currency_label, region_label
from assessment.report.render import cell_ref
from tests.conftest import SAMPLES


def test_region_in_the_readers_language():
    """Country names are the Unicode CLDR territory names Babel ships (GB: "United Kingdom", 英国; US: 美国; CA: 加拿大)."""
    with language("en"):
        assert region_label("GB") == "United Kingdom"
        assert region_label("US+CA") == "United States + Canada"
        assert region_label("CA-ON") == "Canada ON"
        assert region_label("GLOBAL") == "world average"
    with language("zh"):
        assert region_label("GB") == "英国"
        assert region_label("US+CA") == "美国 + 加拿大"
        assert region_label("CN-North") == "中国华北电网"  # the grid region's own label (GridRegion)
    with language("en+zh"):
        assert region_label("GB") == "United Kingdom / 英国"


def test_currency_in_the_readers_language():
    """CLDR currency names in Chinese (CNY 人民币, GBP 英镑); the ISO 4217 code in English and, once, in the bilingual edition."""
    with language("zh"):
        assert (currency_label("CNY"), currency_label("GBP")) == ("人民币", "英镑")
    for lang in ("en", "en+zh"):
        with language(lang):
            assert currency_label("CNY") == "CNY"


def test_one_year_is_printed_once():
    assert year_span(2025, 2025) == "2025"
    assert year_span(2026, 2030) == "2026–2030"


def test_a_cell_reference_breaks_only_between_the_parts_of_a_path():
    """'Nature!B6' is one unbreakable run (UAX #14 allows a break after '!'); a JSON path may break after its dots."""
    assert str(cell_ref("Nature!B6")) == '<span class="nobr">Nature!B6</span>'
    assert str(cell_ref("energy_use[3].amount")) == '<span class="nobr">energy_use[3].</span><wbr><span class="nobr">amount</span>'
    assert "&lt;b&gt;" in str(cell_ref("<b>!A1")), "escaped: a cell path from a JSON input is untrusted text"


@pytest.mark.parametrize("name", ["riverside-retrofit", "harbourside-newbuild"])
def test_page_1_shows_the_net_figure_per_resident_the_green_pillar_scores(method, name):
    """Net per resident = net emissions / population, the figure of the Green pillar's net_per_capita component
    (modules/method.toml), printed beside the gross one to two decimals."""
    r = assess(validate_input(SAMPLES / f"{name}.json"), method)
    with language("en"):
        ctx = build_context(ReportInput(r, method, "x", "2026-01-01", None))
    figures = {label: value for label, value, _unit in ctx["key_figures"]}
    by_hand = r.emissions.net_tco2e_per_year / r.profile.population
    assert float(figures["Per resident (net)"].replace(",", "").replace("−", "-")) == pytest.approx(by_hand, abs=0.005)
    assert re.fullmatch(r"−?\d+\.\d\d", figures["Per resident (net)"])


@pytest.mark.parametrize("lang", ["en", "zh", "en+zh"])
def test_a_percent_sign_follows_its_number_everywhere(method, lang):
    """numbers.percent prints "17%" (CLDR's percent pattern for en_GB and zh_CN: no space); the module tables, the
    advice and the scenario measures' sizes printed "46.6 %" beside it. Now no number of the report's text is
    followed by a space and a percent sign, in any edition (Riverside, whose indicators, advice and measures have %)."""
    from assessment.report import report_html

    r = assess(validate_input(SAMPLES / "riverside-retrofit.json"), method)
    with language(lang):
        html = report_html(r, method, "x.json", "2026-01-01")
    text = re.sub(r"<[^>]+>", "", re.sub(r"<(svg|style)\b.*?</\1>", "", html, flags=re.S))
    assert "46.6%" in text  # M01's fossil share, in the advice and the module table
    assert not re.findall(r".{20}\d\s+%", text)
    assert "%" + "%" not in text
    bases = [x.abatement_basis for x in r.overall.recommendations if x.abatement_basis]
    assert bases and not [b for b in bases if re.search(r"\d\s+%", b)], "the results JSON's abatement_basis too"


def test_file_limits_are_the_decimal_megabytes_the_flags_and_docs_say():
    """docs/security.md: 50 MB per input file, 500 MB unpacked; --max-file-mb counts 10^6 bytes, so its default prints 50."""
    assert DEFAULT_LIMITS.max_file_bytes == 50 * 10**6 and DEFAULT_LIMITS.max_uncompressed_bytes == 500 * 10**6
