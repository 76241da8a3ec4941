"""Page 1's verdict in words, composed from the facts of the result (issue #16, item 6).

Every sentence states a fact the result holds: the position against the target path (gap in tCO2e and %,
in words: above or below the path, never a bare signed number; "on track" only when no scenario given falls short of
net zero, and what the scenarios say about the net-zero year), how many modules reach each level (and how
many of them are provisional), whether the emissions inventory is complete, and how much of the gross
emissions rests on measured data. Nothing is compared with another rating system: the method defines no
such mapping.

While the Green pillar is not rated (a required inventory section is missing) no sentence speaks of net
zero: a partial inventory cannot tell how far the neighbourhood is from it.

The bilingual edition composes the sentences once per language and joins each pair, so a sentence is never
stitched together from fragments of two languages.
"""

from __future__ import annotations

from babel.lists import format_list

from assessment.i18n import _, both, get_language, language, ngettext
from assessment.model.method import Method
from assessment.model.results import AssessmentResult, Trajectory
from assessment.numbers import BABEL_LOCALES, number, percent
from assessment.report.quality import shown_quality_shares

#: A gap smaller than half a tonne is shown as 0 tCO2e: the neighbourhood is on the path.
ON_PATH_TCO2E = 0.5


def green_rated(r: AssessmentResult) -> bool:
    """Whether the Green pillar has a score (a complete inventory); while it has none, no text may speak of net zero."""
    green = r.pillars["green"]
    return green.score is not None and not green.not_rated_reason


def missing_section_names(r: AssessmentResult, method: Method, lang: str) -> list[str]:
    """The required inventory sections the result lacks, by their names in the method, in the method's order."""
    missing = {g.section for g in r.pillars["green"].missing_sections}
    return [sec.name.get(lang) for sec in method.settings.green.required_sections if sec.id in missing]


def joined(items: list[str]) -> str:
    """A list in the reader's language: 'a, b and c' / 'a、b和c'."""
    if not items:
        return ""
    return format_list(items, locale=BABEL_LOCALES.get(get_language(), "en_GB"))


def position_words(t: Trajectory) -> str:
    """'{gap} tCO2e ({pct}) below the path' / 'above the path' / 'on the path': the gap in words, its size unsigned."""
    pct = percent(abs(t.gap_pct)) if t.gap_pct is not None else "–"
    if t.gap_tco2e <= -ON_PATH_TCO2E:
        return _("{gap} tCO2e ({pct}) below the path").format(gap=number(-t.gap_tco2e), pct=pct)
    if t.gap_tco2e >= ON_PATH_TCO2E:
        return _("{gap} tCO2e ({pct}) above the path").format(gap=number(t.gap_tco2e), pct=pct)
    return _("on the path")


def trajectory_sentence(r: AssessmentResult) -> str:
    """On or off track for the interim and net-zero years, from the gap at the reporting year."""
    t = r.emissions.trajectory
    if not green_rated(r):
        return _("Progress along the target path is not judged until the inventory is complete.")
    if t.interim_target_year and t.interim_target_tco2e is not None:
        targets = _("the interim target ({interim} tCO2e in {interim_year}) and net zero in {year}").format(
            interim=number(t.interim_target_tco2e), interim_year=t.interim_target_year, year=t.target_net_zero_year
        )
    else:
        targets = _("net zero in {year}").format(year=t.target_net_zero_year)
    outlook = outlook_sentence(r)
    if t.baseline_is_reporting_year:
        position = _(
            "This assessment sets the baseline ({net} tCO2e net in {year}), so progress towards {targets} can first be judged at the "
            "next assessment."
        ).format(net=number(t.net_tco2e), year=t.reporting_year, targets=targets)
        return position if outlook is None else position + sentence_sep() + outlook
    where = position_words(t)
    facts = {"targets": targets, "year": t.reporting_year, "net": number(t.net_tco2e), "where": where}
    if t.gap_tco2e >= ON_PATH_TCO2E:
        position = _("Off track for {targets}: net emissions in {year} are {net} tCO2e, {where}.").format(**facts)
    elif r.scenarios and not any(s.net_zero_year for s in r.scenarios):
        # below the path today, but no plan reaches the target: "on track" would reassure where no projection does
        position = _(
            "Below the target path today, but not on course for {targets}: net emissions in {year} are {net} tCO2e, {where}."
        ).format(**facts)
    else:
        position = _("On track for {targets}: net emissions in {year} are {net} tCO2e, {where}.").format(**facts)
    return position if outlook is None else position + sentence_sep() + outlook


def sentence_sep() -> str:
    """Between two sentences: a space, none in Chinese."""
    return "" if get_language() == "zh" else " "


def outlook_sentence(r: AssessmentResult) -> str | None:
    """What the scenarios say about the net-zero year (results scenarios[].net_zero_year and residual_tco2e_at_target):
    the earliest that reaches net zero, or the lowest residual when none does. None when the workbook gives no
    scenario (the trajectory chart then shows business as usual alone)."""
    if not r.scenarios:
        return None
    year = r.emissions.trajectory.target_net_zero_year
    reached = sorted((s for s in r.scenarios if s.net_zero_year is not None), key=lambda s: s.net_zero_year)
    if reached:
        return _("The {name} scenario reaches net zero in {nz_year}.").format(name=reached[0].name, nz_year=reached[0].net_zero_year)
    lowest = min(r.scenarios, key=lambda s: s.residual_tco2e_at_target)
    return ngettext(
        "The {name} scenario does not reach net zero by {year}: {residual} tCO2e a year remain.",
        "No scenario reaches net zero by {year}: the lowest, {name}, leaves {residual} tCO2e a year.",
        len(r.scenarios),
    ).format(name=lowest.name, year=year, residual=number(lowest.residual_tco2e_at_target))


def modules_sentence(r: AssessmentResult, method: Method, lang: str) -> str:
    """How many modules reach each level, highest first; provisional ones counted within their level."""
    parts = []
    for lv in reversed(method.settings.levels):
        at = [m for m in r.modules if m.level == lv.id]
        if not at:
            continue
        part = ngettext("{n} is at level {level}", "{n} are at level {level}", len(at)).format(n=len(at), level=lv.name.get(lang))
        provisional = sum(m.provisional for m in at)
        if provisional:
            part = _("{part} ({n} provisional)").format(part=part, n=provisional)
        parts.append(part)
    unscored = [m for m in r.modules if m.level is None]
    if unscored:
        parts.append(ngettext("{n} is not scored", "{n} are not scored", len(unscored)).format(n=len(unscored)))
    sentence = _("Of the {count} modules, {levels}.").format(count=len(r.modules), levels=joined(parts))
    if any(m.provisional and m.level is not None for m in r.modules):
        sentence += " " + _("A provisional score rests on less than {pct} of the module's indicators.").format(
            pct=percent(method.settings.module_score.min_coverage_pct)
        )
    return sentence


def inventory_sentence(r: AssessmentResult, method: Method, lang: str) -> str:
    """Whether every section the Green pillar needs is reported; if not, which are missing and what follows."""
    missing = missing_section_names(r, method, lang)
    if missing:
        sentence = _(
            "The emissions inventory lacks {sections}, so the Green pillar is not rated and counts as 0 in the overall score."
        ).format(sections=joined(missing))
    else:
        sentence = _("The emissions inventory reports every section the Green pillar requires.")
    levels = {lv.id: lv.name.get(lang) for lv in method.settings.levels}
    o = r.overall
    if o.capped_reason and o.rating and o.level_by_score and o.rating != o.level_by_score:
        sentence += " " + _("The rating is capped at {rating}; the score alone would reach {level}.").format(
            rating=levels[o.rating], level=levels[o.level_by_score]
        )
    return sentence


def quality_sentence(r: AssessmentResult) -> str:
    """The share of gross emissions resting on measured, calculated and estimated or default data."""
    e = r.emissions
    if not e.line_items or e.gross_tco2e_per_year <= 0:
        return _("No emissions are reported, so no share rests on measured data.")
    shown = shown_quality_shares(e, {"estimated": ("estimated", "default")})
    sentence = _(
        "{measured} of gross emissions rest on measured data, {calculated} on calculated data and {estimated} on estimated or "
        "default values."
    ).format(measured=shown["measured"], calculated=shown["calculated"], estimated=shown["estimated"])
    if e.data_quality_shares_pct.get("not_stated", 0.0) > 0:
        sentence += " " + _("{share} come from rows with no data-quality flag.").format(share=shown["not_stated"])
    return sentence


def _sentences(r: AssessmentResult, method: Method, lang: str) -> list[str]:
    return [trajectory_sentence(r), modules_sentence(r, method, lang), inventory_sentence(r, method, lang), quality_sentence(r)]


def verdict(r: AssessmentResult, method: Method) -> list[str]:
    """Page 1's verdict, one sentence a fact, in the reader's language (the bilingual edition: each sentence in both)."""
    lang = get_language()
    if lang == "en+zh":
        with language("en"):
            en = _sentences(r, method, "en")
        with language("zh"):
            zh = _sentences(r, method, "zh")
        return [both(a, b) for a, b in zip(en, zh)]
    return _sentences(r, method, lang)
