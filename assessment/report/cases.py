"""Which case studies a report shows first: those nearest the neighbourhood.

A Bristol report should open each module with British and European cases, a Chengdu report with Chinese and
East Asian ones. The order is the same country, then the same region (method.toml ``[case_studies.regions]``, UN M49
regions), then the rest; within each group the module file's own order is kept, so the method author still
decides which case leads. Pure functions over the method's data: no input, no I/O.
"""

from __future__ import annotations

from typing import Any

from babel import Locale

from assessment.i18n import N_, _, translate_format
from assessment.model.method import CaseStudy, CaseStudyRules, Method, is_country_code
from assessment.model.text import Text

#: How near a case is to the neighbourhood (lower is nearer).
SAME_COUNTRY, SAME_REGION, ELSEWHERE = 0, 1, 2


def nearness(case_country: str, country: str | None, rules: CaseStudyRules) -> int:
    """SAME_COUNTRY, SAME_REGION or ELSEWHERE (:meth:`CaseStudyRules.nearness`, which the scoring stage uses too, so the
    results JSON's recommendations name the same case as the report)."""
    return rules.nearness(case_country, country)


def nearest_cases(cases: tuple[CaseStudy, ...], country: str | None, rules: CaseStudyRules) -> list[CaseStudy]:
    """The cases, nearest the neighbourhood's ``country`` (ISO 3166-1 alpha-2, or None) first; stable within a group."""
    return rules.nearest(cases, country)


#: Where a case is, and how its source is cited: patterns translated as whole phrases, so the Chinese edition
#: writes 中国杭州 and uses Chinese punctuation.
PLACE = N_("{city}, {country}")
CITED = N_("{source}, {year}")


def country_text(code: str) -> Text:
    """A country's name in both languages (CLDR names via babel): GB -> United Kingdom, 英国."""
    if not is_country_code(code):
        return Text(en=code, zh=code)
    return Text(en=Locale.parse("en_GB").territories[code], zh=Locale.parse("zh_CN").territories[code])


def country_name(code: str, lang: str) -> str:
    """A country's name in the reader's language: GB -> United Kingdom / 英国."""
    return country_text(code).get(lang)


def case_view(case: CaseStudy, lang: str) -> dict[str, Any]:
    """What the templates show of one case, in the reader's language (the source is cited as published)."""
    return {
        "city": case.city.get(lang),
        "country": country_name(case.country, lang),
        "place": translate_format(PLACE, city=case.city, country=country_text(case.country)),
        # the bilingual edition cites once, in the English form: the source's title is as published, not translated
        "cited": (CITED if lang == "en+zh" else _(CITED)).format(source=case.source, year=case.year) if case.year else case.source,
        "country_code": case.country,
        "project": case.project.get(lang),
        "summary": case.summary.get(lang),
        "source": case.source,
        "url": case.url,
        "year": case.year,
    }


def module_cases(method: Method, country: str | None, lang: str) -> dict[str, list[dict[str, Any]]]:
    """Each module's case views, nearest first (all of them: the body shows the first ``shown``, the annex the rest)."""
    rules = method.settings.case_studies
    return {m.id: [case_view(c, lang) for c in nearest_cases(m.case_studies, country, rules)] for m in method.modules}


def case_annex(method: Method, country: str | None, lang: str) -> list[dict[str, Any]]:
    """The annex: every module with cases, in method order, each with all its cases nearest first."""
    by_module = module_cases(method, country, lang)
    return [
        {"id": m.id, "name": m.name.get(lang), "anchor": f"cases-{m.id}", "cases": by_module[m.id]}
        for m in method.modules
        if by_module[m.id]
    ]
