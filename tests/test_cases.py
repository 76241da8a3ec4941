"""Case studies nearest the neighbourhood first (#18 item 6).

References:
* ISO 3166-1 alpha-2 country codes (the United Kingdom is GB), as listed in CLDR (babel ``Locale.territories``).
* United Nations Statistics Division, M49 "Standard country or area codes for statistical use": the United Kingdom,
  France, Norway and Denmark are in Europe; China and Japan in Eastern Asia; the United States and Canada in Northern
  America (method.toml ``[case_studies.regions]``).
"""

from __future__ import annotations

import shutil

import pytest

from assessment.errors import MethodError
from assessment.i18n import set_language
from assessment.model.method import CaseStudy, CaseStudyRules, load_method
from assessment.paths import modules_dir
from assessment.pipeline import assess_file
from assessment.report.cases import ELSEWHERE, SAME_COUNTRY, SAME_REGION, case_annex, country_name, nearest_cases, nearness
from assessment.report.context import ReportInput, build_context
from assessment.report.render import environment, render_html
from tests.conftest import SAMPLES

RULES = CaseStudyRules(
    shown=2,
    regions={
        "europe": {"name": {"en": "Europe", "zh": "欧洲"}, "countries": ["GB", "FR", "NO", "DK"]},
        "eastern_asia": {"name": {"en": "Eastern Asia", "zh": "东亚"}, "countries": ["CN", "JP"]},
        "northern_america": {"name": {"en": "Northern America", "zh": "北美"}, "countries": ["US", "CA"]},
    },
)


def case(city: str, country: str) -> CaseStudy:
    t = {"en": city, "zh": city}
    return CaseStudy(city=t, country=country, project=t, summary=t, source="A test source")


# listed in this order in a module file: China, France, UK, US, Japan, UK, Brazil (in no region)
CASES = (
    case("Qingdao", "CN"),
    case("Paris", "FR"),
    case("London", "GB"),
    case("Boston", "US"),
    case("Tokyo", "JP"),
    case("Bristol", "GB"),
    case("Curitiba", "BR"),
)


def cities(cases) -> list[str]:
    return [c.city.en for c in cases]


def test_a_uk_neighbourhood_sees_uk_then_european_cases_first():
    # GB first (London, Bristol: file order kept), then Europe (Paris), then the rest in file order
    assert cities(nearest_cases(CASES, "GB", RULES)) == ["London", "Bristol", "Paris", "Qingdao", "Boston", "Tokyo", "Curitiba"]


def test_a_chinese_neighbourhood_sees_chinese_then_east_asian_cases_first():
    assert cities(nearest_cases(CASES, "CN", RULES)) == ["Qingdao", "Tokyo", "Paris", "London", "Boston", "Bristol", "Curitiba"]


def test_a_country_in_no_region_matches_only_itself_and_no_country_keeps_the_file_order():
    assert cities(nearest_cases(CASES, "BR", RULES)) == ["Curitiba", "Qingdao", "Paris", "London", "Boston", "Tokyo", "Bristol"]
    assert cities(nearest_cases(CASES, None, RULES)) == cities(CASES)


def test_nearness_classes():
    assert nearness("GB", "GB", RULES) == SAME_COUNTRY
    assert nearness("NO", "GB", RULES) == SAME_REGION
    assert nearness("CN", "GB", RULES) == ELSEWHERE
    assert nearness("BR", "AR", RULES) == ELSEWHERE  # neither is in a region of RULES: only the same country is near


def test_a_case_names_an_iso_country():
    with pytest.raises(ValueError, match="not an ISO 3166-1 alpha-2"):
        case("London", "UK")  # ISO 3166-1 gives the United Kingdom GB; UK is not assigned
    with pytest.raises(ValueError, match="not an ISO 3166-1 alpha-2"):
        case("Brussels", "EU")  # a union, not a country


def test_a_country_in_two_regions_is_refused():
    with pytest.raises(ValueError, match="country GB is in two regions"):
        CaseStudyRules(
            regions={
                "a": {"name": {"en": "A", "zh": "甲"}, "countries": ["GB"]},
                "b": {"name": {"en": "B", "zh": "乙"}, "countries": ["FR", "GB"]},
            }
        )


def test_a_method_file_with_a_bad_country_fails_on_load(tmp_path):
    folder = tmp_path / "method"
    shutil.copytree(modules_dir(), folder)
    f = next(folder.glob("01-*.toml"))
    f.write_text(f.read_text(encoding="utf-8").replace('country = "GB"', 'country = "UK"', 1), encoding="utf-8")
    with pytest.raises(MethodError, match=r"01-green-buildings-energy.toml: case_studies\.\d+\.country"):
        load_method(folder)


def test_every_module_has_cited_cases_beyond_china_and_one_from_europe(method):
    europe = set(method.settings.case_studies.regions["europe"].countries)
    for m in method.modules:
        abroad = [c for c in m.case_studies if c.country != "CN"]
        assert len(abroad) >= 2, m.id
        assert any(c.country in europe for c in abroad), m.id
        # every case names its source; the international ones also give the address they were checked at
        assert all(c.source for c in m.case_studies)
        assert all(c.url and c.url.startswith(("https://", "http://")) for c in abroad), m.id


def test_country_names_follow_the_reader(method):
    assert country_name("GB", "en") == "United Kingdom"
    assert country_name("GB", "zh") == "英国"
    assert country_name("CO", "en+zh") == "Colombia / 哥伦比亚"


@pytest.fixture(scope="module")
def bristol():
    return assess_file(SAMPLES / "harbourside-newbuild.xlsx")[1]


@pytest.fixture(scope="module")
def chengdu():
    return assess_file(SAMPLES / "riverside-retrofit.xlsx")[1]


def context(result, method, lang="en"):
    set_language(lang)
    return build_context(ReportInput(result=result, method=method, input_name="x.xlsx", assessment_date="2026-01-01"))


def test_the_samples_know_their_country(bristol, chengdu):
    # Bristol sample: grid region GB; Chengdu sample: CN-Southwest -> CN
    assert bristol.profile.country_code == "GB"
    assert chengdu.profile.country_code == "CN"


def test_the_bristol_report_opens_each_module_with_uk_or_european_cases(bristol, method):
    ctx = context(bristol, method)
    shown = method.settings.case_studies.shown
    europe = set(method.settings.case_studies.regions["europe"].countries)
    for m in ctx["modules"]:
        assert 0 < len(m["cases"]) <= shown
        # every module has a European case (test above), so the first one shown is British or European
        assert m["cases"][0]["country_code"] in europe, m["id"]
    # Clean Construction: London (GB) before Oslo (NO), both before the three China Paper cases
    m02 = next(m for m in ctx["modules"] if m["id"] == "m02")
    assert [c["city"] for c in m02["cases"]] == ["London", "Oslo"]
    assert m02["cases_in_annex"] == 3
    # a recommendation names the module's nearest case, in the report and in the results JSON alike
    for rec in (r for m in ctx["modules"] for r in m["recommendations"]):
        first = next(m for m in ctx["modules"] if m["id"] == rec["module_id"])["cases"][0]
        assert rec["case"] == f"{first['city']}: {first['project']}"
    m02_result = next(m for m in bristol.modules if m.id == "m02")
    assert m02_result.recommendations
    assert {r.case_study for r in m02_result.recommendations} == {"London: Whole life-cycle carbon assessments in the London Plan"}


def test_the_chengdu_report_opens_each_module_with_chinese_cases(chengdu, method):
    ctx = context(chengdu, method, "zh")
    for m in ctx["modules"]:
        assert m["cases"][0]["country_code"] == "CN", m["id"]
        assert m["cases"][0]["country"] == "中国"
    # Chinese order and punctuation: country then city, the year after a full-width comma
    m04 = next(m for m in ctx["modules"] if m["id"] == "m04")
    assert m04["cases"][0]["place"] == "中国杭州"
    assert m04["cases"][0]["cited"] == "C40 Cities and CSTID-MoHURD, Green and Thriving Neighbourhoods: China Paper，2022"


def test_the_bilingual_edition_names_the_place_in_both_languages_and_cites_once(bristol, method):
    ctx = context(bristol, method, "en+zh")
    first = ctx["modules"][0]["cases"][0]  # London, Bunhill heat network
    assert first["place"] == "London, United Kingdom / 英国伦敦"
    assert first["cited"] == "Islington Council, Bunhill Heat and Power"


def test_the_annex_lists_every_case_once_nearest_first(bristol, method):
    ctx = context(bristol, method)
    annex = ctx["case_annex"]
    assert [a["id"] for a in annex] == [m.id for m in method.modules]
    for a, m in zip(annex, method.modules):
        assert sorted(c["project"] for c in a["cases"]) == sorted(c.project.en for c in m.case_studies)
        assert [c["project"] for c in a["cases"]] == [
            c.project.en for c in nearest_cases(m.case_studies, "GB", method.settings.case_studies)
        ]
    assert case_annex(method, "GB", "en") == annex


def test_the_annex_partial_prints_sources_and_escapes(bristol, method):
    ctx = context(bristol, method)
    html = environment().get_template("_cases.html.j2").render(**ctx)
    assert 'id="case-studies"' in html
    assert "C40 Cities Awards 2015, Milan" in html and "https://www.c40.org/awards/2015-awards/profiles/60" in html
    # an apostrophe in a method text is escaped by Jinja2's autoescape, not printed raw into the markup
    assert "Olav V&#39;s gate" in html


def test_the_report_annex_lists_the_cases_nearest_first(bristol, method):
    html = render_html(context(bristol, method))
    assert html.count('id="case-studies"') == 1
    annex = html[html.index('id="case-studies"') :]
    m01 = annex[annex.index('id="cases-m01"') : annex.index('id="cases-m02"')]
    # Bristol: the London heat network (GB) before the Qingdao and Shenzhen cases (CN) and Vancouver (CA)
    assert m01.index("Bunhill Heat and Power Network") < m01.index("Qingdao") < m01.index("Vancouver")
