"""Everything the report template shows, gathered from the result and the method.

The template formats; it never computes. Selections (the top three
recommendations, the largest materials), look-ups of method texts in the
reader's language, and the charts are prepared here from the AssessmentResult.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from babel.dates import format_date

from assessment.emissions.account import no_target_message
from assessment.i18n import N_, _, both, each_language, get_language, language, ngettext, symbol, translate_format
from assessment.model.enums import GwpSet, OffsetStandard
from assessment.model.method import Method
from assessment.model.results import AssessmentResult, Trajectory
from assessment.numbers import (
    BABEL_LOCALES,
    amount,
    amount_text,
    negative,
    number,
    percent,
    quantity,
    score_text,
    share_percents,
    significant,
    smart,
    unit_label,
    year_span,
)
from assessment.report import chart_alt, charts, dashboard, map_page
from assessment.report.cases import case_annex, module_cases
from assessment.report.glossary import glossary
from assessment.report.labels import (
    NOT_REPORTED,
    breakable_id,
    clause_sep,
    code_label,
    currency_label,
    factor_label,
    label,
    labelled,
    line_label,
    list_sep,
    material_label,
    parenthesised,
    region_label,
)
from assessment.report.quality import quality_context
from assessment.report.trend import since_last_year
from assessment.report.verdict import ON_PATH_TCO2E, green_rated, joined, missing_section_names, position_words, sentence_sep, verdict
from assessment.report.worker import Pending
from assessment.scenarios.advice import NO_LEVER, no_abatement_text
from assessment.scenarios.plan import SCORES_AFTER_BASIS
from assessment.scoring.score import advice_text


def range_text(rg, digits: int = 0, labelled: bool = False) -> str | None:
    """'a–b' (or '5–95%: a–b' when ``labelled``) of a Range; None when the result has no range."""
    if rg is None:
        return None
    low, high = number(rg.p05, digits), number(rg.p95, digits)
    return symbol("5–95%: {low}–{high}").format(low=low, high=high) if labelled else f"{low}–{high}"


def subtracted_range_text(rg) -> str | None:
    """The range of an amount printed as subtracted (removals: '−39'), with the same sign: '−63 to −25', never '25–63'
    beside '−39'."""
    if rg is None:
        return None
    return _("{low} to {high}").format(low=negative(rg.p95), high=negative(rg.p05))


#: How a factor's region relates to the neighbourhood (UncertaintyContribution.factor_region).
REGION_TEXT = {
    "match": N_("local factor"),
    "larger_area": N_("larger-area factor"),
    "proxy": N_("proxy factor"),
    "none": N_("no factor uncertainty"),
}


def uncertainty_view(e, shown: int) -> dict[str, Any] | None:
    """The ranges and the ``shown`` inputs that contribute most to them, for the emissions and data-quality pages."""
    u = e.uncertainty
    if u is None or e.range is None:
        return None
    rows = []
    for c in u.contributions[:shown]:
        factor = c.kind == "factor"
        rows.append(
            {
                "where": _("emission factor") if factor else _("activity data"),
                "what": factor_label(c.factor_id) if factor else line_label(c.description),
                "quality": _(REGION_TEXT[c.factor_region]) if factor else label(c.data_quality, "quality"),
                "value": number(c.tco2e_per_year),
                "gsd2": f"×/÷{c.gsd2:.2f}",
                "share": percent(c.variance_share_pct),
            }
        )
    return {
        "net": range_text(e.range),
        "gross": range_text(e.gross_range),
        "removals": subtracted_range_text(e.removals_range),
        "net_per_capita": range_text(e.net_per_capita_range, 2),
        "draws": number(u.draws),
        "header": _("5–95% range"),
        "contributors": rows,
        "note": _(
            "Net {net} tCO2e a year ({range}). Each range is the 5th to 95th percentile of {draws} Monte Carlo draws, each line "
            "item varying with the quality of its data and of its emission factor (ecoinvent pedigree approach; see the "
            "glossary). The data-quality page names the inputs that widen it most."
        ).format(net=number(e.net_tco2e_per_year), range=range_text(e.range, labelled=True), draws=number(u.draws)),
        "contributors_note": _(
            "Net emissions {net} tCO2e a year ({range}). Uncertainty: about 95% of an input's plausible values lie within its "
            "value divided or multiplied by this factor (GSD²). Better data for the inputs at the top narrows the range most."
        ).format(net=number(e.net_tco2e_per_year), range=range_text(e.range, labelled=True)),
    }


def band_text(zero_at: float, full_at: float, unit: str, bands=()) -> str:
    """An indicator's scale in words: 'zero → 0 · full → 100', then any intermediate bands (value → points)."""
    extra = clause_sep().join(f"{quantity(v, unit)} → {number(p)}" for v, p in bands)
    return f"{quantity(zero_at, unit)} → 0 · {quantity(full_at, unit)} → 100" + (f" {parenthesised(extra)}" if extra else "")


def long_date(iso: str) -> str:
    """An ISO date in the reader's locale (24 November 2026 / 2026年11月24日)."""
    try:
        day = dt.date.fromisoformat(iso)
    except ValueError:
        return iso
    if get_language() == "en+zh":
        return f"{format_date(day, 'long', locale='en_GB')} / {format_date(day, 'long', locale='zh_CN')}"
    return format_date(day, "long", locale=BABEL_LOCALES.get(get_language(), "en_GB"))


def bars(rows: list[tuple[str, str, float]]) -> list[dict]:
    """Horizontal bar rows (HTML/CSS): label, value, width as % of the largest, category colour."""
    top = (max((v for _c, _l, v in rows), default=0) or 1.0) * 1.15  # room for the value label after the longest bar
    return [
        {"label": label, "value": number(v), "width": f"{v / top * 100:.2f}", "colour": charts.CATEGORY_COLOURS.get(cat, "#888888")}
        for cat, label, v in rows
    ]


def intensity_bars(rows: list[tuple[str, float, list[tuple[str, float]], str | None]]) -> dict | None:
    """Upfront intensity bars on one scale (HTML/CSS), each marked only with its own project's targets.

    A row is (project name, kgCO2e/m2, [(target label, kgCO2e/m2)], note when no target applies): a project is
    never drawn against another building type's or project type's target.
    """
    if not rows:
        return None
    top = max([v for _n, v, _t, _note in rows] + [tv for _n, _v, ts, _note in rows for _tl, tv in ts]) * 1.15 or 1.0
    return {
        "rows": [
            {
                "label": n,
                "value": number(v),
                "width": f"{v / top * 100:.2f}",
                "targets": [
                    {"label": tl, "value": number(tv), "left": f"{tv / top * 100:.2f}"} for tl, tv in sorted(ts, key=lambda t: t[1])
                ],
                "note": note,
            }
            for n, v, ts, note in rows
        ]
    }


def target_label(b) -> str:
    """'LETI 2030 target' in the reader's language."""
    return _("{scheme} {year} target").format(scheme=b.scheme, year=b.target_year)


def benchmark_note(p) -> str | None:
    """The result's note on a project with no published target, in the reader's language."""
    if p.benchmark_note is None:
        return None
    return _(no_target_message(p.building_type, p.project_type)).format(
        building_type=label(p.building_type), project_type=label(p.project_type)
    )


#: The inventory sections (result gaps) behind each emission category: a category none of whose sections is reported is "not reported".
CATEGORY_SECTIONS = {
    "operational": ("stationary_energy", "transportation", "waste"),
    "embodied": ("embodied",),
    "consumption": ("food", "consumption_goods"),
}


def thriving_note(r: AssessmentResult) -> str:
    """What the Thriving score rests on: how many modules are scored and how many of those are provisional."""
    scored = [m for m in r.modules if m.score is not None]
    provisional = sum(m.provisional for m in scored)
    if len(scored) == len(r.modules) and not provisional:
        return _("the ten modules")
    if provisional:
        return _("the ten modules: {scored} scored, {provisional} of them provisional").format(scored=len(scored), provisional=provisional)
    return _("the ten modules: {scored} scored").format(scored=len(scored))


def gap_figure(t: Trajectory, rated: bool) -> tuple[str, str]:
    """The key figure 'gap to the target path': its size and, in words, whether it is above or below the path (never a bare sign)."""
    if not rated:
        return _("not judged"), _("the inventory is incomplete")
    if t.baseline_is_reporting_year:
        return _("baseline year"), _("measured from the next assessment")
    if t.gap_tco2e >= ON_PATH_TCO2E:
        return number(t.gap_tco2e), _("tCO2e/yr above the path")
    if t.gap_tco2e <= -ON_PATH_TCO2E:
        return number(-t.gap_tco2e), _("tCO2e/yr below the path")
    return "0", _("tCO2e/yr: on the path")


def component_value(c, t: Trajectory) -> str:
    """A Green component's value as the intensities table prints it. The gap component counts 0 on or below the path, so
    it says where the neighbourhood is ("0.0 %" beside 100 points read as no progress); in the baseline year there is no
    path behind it yet and the Green score leaves it out, which the table says (component_unit) instead of a bare dash."""
    if c.id == "gap_to_path" and c.value is not None:
        return position_words(t)
    if c.id == "gap_to_path" and t.baseline_is_reporting_year:
        return _("baseline year")
    return quantity(c.value, c.unit)


def component_unit(c, t: Trajectory) -> str:
    """The unit beside component_value: none beside the gap in words, 'not scored' beside the baseline year (the
    weighted mean of the Green score leaves the component out), else the component's unit."""
    if c.id == "gap_to_path" and c.value is not None:
        return ""
    if c.id == "gap_to_path" and t.baseline_is_reporting_year:
        return _("not scored")
    return label(c.unit, "unit")


def standard_step(method: Method, rec) -> str | None:
    """The dose a recommendation's tCO2e figure is for ("10% step"): the lever's standard size (modules/levers.toml),
    printed beside the figure so it is not read as the effect of the whole change the advice names. None without a
    figure."""
    lever = method.levers.get(rec.lever) if rec.lever and rec.abatement_tco2e_per_year is not None else None
    if lever is None or lever.standard is None:
        return None
    unit = lever.size.unit
    size = percent(lever.standard.size) if unit == "%" else amount_text(smart(lever.standard.size), unit, unit_label(unit))
    return _("{size} step").format(size=size)


def recommendations_note(r: AssessmentResult, shown: dict[str, int], method: Method) -> str:
    """Under page 1's recommendations: what the tCO2e column is, how many more the module pages list and the largest
    abatement among them, so that a large one of a sphere with more than its share of rows is not hidden (each
    language's sentences name the module in that language; the bilingual edition prints English, then Chinese)."""
    rest = [x for sphere, n in shown.items() for x in [y for y in r.overall.recommendations if y.sphere == sphere][n:]]
    abating = [x for x in rest if x.abatement_tco2e_per_year is not None and x.abatement_tco2e_per_year > 0]
    largest = max(abating, key=lambda x: x.abatement_tco2e_per_year, default=None)

    def note() -> str:
        text = _(
            "tCO2e a year: what one standard step of the lever (under the figure) abates; the scenario pages size the"
            " neighbourhood's own measures."
        )
        if largest is not None:
            text += sentence_sep() + ngettext(
                "{n} more recommendation on the module pages: {module}, {tco2e} tCO2e a year.",
                "{n} more recommendations on the module pages; the largest: {module}, {tco2e} tCO2e a year.",
                len(rest),
            ).format(
                n=len(rest),
                module=f"{largest.module_id.upper()} {method.module(largest.module_id).name.get(get_language())}",
                tco2e=number(largest.abatement_tco2e_per_year),
            )
        elif rest:
            text += sentence_sep() + ngettext(
                "{n} more recommendation on the module pages.", "{n} more recommendations on the module pages.", len(rest)
            ).format(n=len(rest))
        return text

    return each_language(note)


def trajectory_text(r: AssessmentResult, method: Method, rated: bool) -> str:
    """The sentences under the trajectory heading (the bilingual edition: English, then Chinese); no 'net zero' while
    the Green pillar is not rated."""
    return each_language(lambda: _trajectory_sentences(r, method, rated))


def _trajectory_sentences(r: AssessmentResult, method: Method, rated: bool) -> str:
    t = r.emissions.trajectory
    if not rated:
        missing = joined(missing_section_names(r, method, get_language()))
        return _(
            "The target path runs from {base} tCO2e in {byear} to zero in {target}; progress along it is not judged while the "
            "inventory lacks {sections}."
        ).format(base=number(t.baseline_net_tco2e), byear=t.baseline_year, target=t.target_net_zero_year, sections=missing)
    if t.baseline_is_reporting_year:
        text = _("This assessment is the baseline: the path runs from {net} tCO2e in {year} to zero in {target}.").format(
            net=number(t.net_tco2e), year=t.reporting_year, target=t.target_net_zero_year
        )
    else:
        text = _("Baseline {byear}: {base} tCO2e. In {year} the path allows {path} tCO2e; net emissions are {net} tCO2e, {where}.").format(
            byear=t.baseline_year,
            base=number(t.baseline_net_tco2e),
            year=t.reporting_year,
            path=number(t.path_tco2e_at_reporting_year),
            net=number(t.net_tco2e),
            where=position_words(t),
        )
    if t.interim_target_year and t.interim_target_tco2e is not None:
        text += sentence_sep() + _("Interim target: {value} tCO2e in {year}.").format(
            value=number(t.interim_target_tco2e), year=t.interim_target_year
        )
    return text


def electricity_note(e, reported: bool) -> str:
    """Under the sector table: grid electricity location- and market-based, and on-site generation (the bilingual
    edition: English, then Chinese)."""

    def sentences() -> str:
        parts = [
            _("Electricity: location-based {loc} tCO2e from {kwh} kWh drawn from the grid.").format(
                loc=number(e.location_based_tco2e), kwh=number(e.grid_kwh)
            )
            if reported
            else _("Electricity drawn from the grid: not reported.")
        ]
        if e.market_based_tco2e is not None:
            parts.append(
                _("Market-based, with {green} kWh of contracted renewable electricity: {mkt} tCO2e.").format(
                    green=number(e.green_kwh), mkt=number(e.market_based_tco2e)
                )
            )
        parts.append(
            _("On-site generation {gen} kWh, of which {used} kWh used on site; {exp} kWh exported (reported, never subtracted).").format(
                gen=number(e.onsite_generated_kwh), used=number(e.onsite_self_consumed_kwh), exp=number(e.exported_kwh)
            )
        )
        return sentence_sep().join(parts)

    return each_language(sentences)


@dataclass(frozen=True)
class ReportInput:
    result: AssessmentResult
    method: Method
    input_name: str
    assessment_date: str
    #: the neighbourhood's previous recorded year (assessment.store.history.history_entry), when a store holds one
    previous: dict | None = None


#: How many of the largest proxy factors the data-quality page names.
PROXY_LINES_SHOWN = 8


def line_list(lines: list, shown: int = 3) -> str:
    """The distinct activities of some line items in words, the first ``shown`` named and the rest counted
    ('natural gas (space heating) and natural gas (hot water)'; '..., and 2 more')."""
    names = list(dict.fromkeys(line_label(li.description) for li in lines))
    extra = [_("{n} more").format(n=len(names) - shown)] if len(names) > shown else []
    return joined(names[:shown] + extra)


def proxy_views(r: AssessmentResult) -> list[dict[str, Any]]:
    """The factors behind the proxy lines, largest first: id, region, tCO2e a year and share of gross (formatted)."""
    e = r.emissions
    by_factor: dict[tuple[str, str], list] = {}
    for li in e.line_items:
        if li.proxy and li.tco2e_per_year > 0:
            by_factor.setdefault((li.factor_id, li.factor_region), []).append(li)
    rows = sorted(by_factor.items(), key=lambda kv: (-sum(li.tco2e_per_year for li in kv[1]), kv[0]))
    gross = e.gross_tco2e_per_year
    return [
        {
            "factor": factor_label(fid),
            "region": region_label(region),
            "lines": len(lines),
            "activity": line_list(lines),
            "tco2e": number(sum(li.tco2e_per_year for li in lines)),
            "share": percent(sum(li.tco2e_per_year for li in lines) / gross * 100.0) if gross else "-",
        }
        for (fid, region), lines in rows[:PROXY_LINES_SHOWN]
    ]


def _draw_here(name: str, *args, **kwargs):
    return Pending(value=getattr(charts, name)(*args, **kwargs))


def specific_reason(reason: str) -> str | None:
    """Why a recommendation has no tCO2e figure, or None for the catalogue's general reason (no lever models it), which
    the report says once, under the first module's recommendations, instead of on every line."""
    return None if reason == translate_format(NO_LEVER) else reason


def offset_standard_label(code: str) -> str:
    """An offset's standard by its name ("Gold Standard"), in the reader's language; a code the list lacks as given."""
    return label(OffsetStandard(code)) if code in OffsetStandard._value2member_map_ else code


def build_context(ri: ReportInput, draw=None) -> dict[str, Any]:
    """The template's context. ``draw(name, *args)`` returns a pending chart (default: drawn here; or by a helper process)."""
    draw = draw or _draw_here
    r, method = ri.result, ri.method
    lang = get_language()
    e = r.emissions
    mods = {m.id: m for m in method.modules}
    module_names = {m.id: m.name.get(lang) for m in method.modules}
    levels = {lv.id: lv for lv in method.settings.levels}
    # case studies nearest the neighbourhood first (assessment/report/cases.py); the body shows the first few
    cases_by_module = module_cases(method, r.profile.country_code, lang)
    cases_shown = method.settings.case_studies.shown

    def rec_view(rec, listed_actions: frozenset = frozenset()):
        mod = mods[rec.module_id]
        value = next((i.value for m in r.modules if m.id == rec.module_id for i in m.indicators if i.id == rec.target_id), None)
        ind = next((i for i in mod.indicators if i.id == rec.target_id), None) if rec.kind == "indicator" else None
        # the linked action is named only while it is not implemented (the result keeps its text only then)
        # and not when the same list gives that action its own line (it would be printed twice)
        linked = next((a for a in mod.actions if a.id == ind.action), None) if ind is not None and rec.action_text else None
        linked = None if linked is not None and linked.id in listed_actions else linked
        case = cases_by_module[rec.module_id][0] if cases_by_module[rec.module_id] else None
        return {
            "module": module_names[rec.module_id],
            "module_id": rec.module_id,
            "title": advice_text(method, rec.module_id, rec.kind, rec.target_id, value),
            "action": linked.text.get(lang) if linked else None,
            "case": labelled(case["city"], case["project"]) if case else None,
            "gain": number(rec.overall_gain, 1),
            "tco2e": number(rec.abatement_tco2e_per_year) if rec.abatement_tco2e_per_year is not None else None,
            "adds": rec.abatement_tco2e_per_year is not None and rec.abatement_tco2e_per_year < 0,
            "step": standard_step(method, rec),
            # the catalogue's general reason is said once, under the first module's recommendations
            "no_tco2e": None if rec.abatement_tco2e_per_year is not None else specific_reason(no_abatement_text(method, rec)),
            "cost": number(rec.cost_per_tco2e) if rec.cost_per_tco2e is not None else None,
            "currency": currency_label(r.projection.currency) if r.projection else "",
        }

    shown = method.settings.recommendations.shown
    module_views = []
    for i, mr in enumerate(r.modules):
        mod = mods[mr.id]
        inds = []
        for ir in mr.indicators:
            ind = next(x for x in mod.indicators if x.id == ir.id)
            q = ind.unit
            inds.append(
                {
                    "name": ind.name.get(lang),
                    # a percent sign follows its number as everywhere else in the report ("96.1%", numbers.amount_text)
                    "unit": "" if q == "%" else label(ind.unit, "unit"),
                    "value": amount_text(quantity(ir.value, q), q, "%") if q == "%" else quantity(ir.value, q),
                    "points": number(ir.points),
                    "band": band_text(ind.zero_points_at, ind.full_points_at, q, ind.bands),
                    "gap": ir.value is None,
                    "reported": ind.reported,
                    "source": ind.source,
                }
            )
        acts = [
            {
                "strategy": next(a for a in mod.actions if a.id == ar.id).strategy.get(lang),
                "text": next(a for a in mod.actions if a.id == ar.id).text.get(lang),
                "status": ar.status,
                "status_label": label(ar.status),
            }
            for ar in mr.actions
        ]
        module_views.append(
            {
                "id": mr.id,
                "anchor": f"module-{mr.id}",
                "name": module_names[mr.id],
                "colour": charts.MODULE_COLOURS[i % 10],
                "score": score_text(mr.score),
                "score_value": mr.score,
                "level": levels[mr.level].name.get(lang) if mr.level else _("not scored"),
                "coverage": percent(mr.coverage),
                "provisional": mr.provisional,
                "concept": mod.key_concept.get(lang),
                "indicators": inds,
                "actions": acts,
                "recommendations": [
                    rec_view(x, frozenset(y.target_id for y in mr.recommendations[:shown] if y.kind == "action"))
                    for x in mr.recommendations[:shown]
                ],
                "cases": cases_by_module[mr.id][:cases_shown],
                "cases_in_annex": len(cases_by_module[mr.id]) - len(cases_by_module[mr.id][:cases_shown]),
                "gauge_pct": f"{(mr.score or 0):.1f}",
            }
        )

    cat_rows = [
        (cat, labelled(label(cat, "category"), label(sub, "subcategory")), value)
        for cat in ("operational", "embodied", "consumption")
        for sub, value in e.by_category[cat].by_subcategory.items()
        if value > 0
    ]
    t = e.trajectory
    rated = green_rated(r)
    missing = joined(missing_section_names(r, method, lang))
    traj_svg = dash_svg = dash_alt = None
    if rated:  # a partial inventory's net emissions, drawn against the path, would look ahead of it
        traj_svg, dash_svg, dash_alt = trajectory_charts(r, draw)
    projects = []
    for p in e.embodied_projects:
        projects.append(
            {
                "name": p.name,
                "type": label(p.project_type),
                "building_type": label(p.building_type),
                "gfa": number(p.gfa_m2),
                "upfront": number(p.upfront_tco2e),
                "intensity": number(p.kgco2e_per_m2),
                "annual": number(p.annual_tco2e, 1),
                "rsp": p.reference_study_period_years,
                "benchmarks": [{"label": target_label(b), "value": number(b.kgco2e_per_m2), "meets": b.meets} for b in p.benchmarks],
                "benchmark_note": benchmark_note(p),
                "materials": [
                    {"name": material_label(m.material), "t": number(m.upfront_tco2e), "share": percent(m.share_pct)}
                    for m in p.largest_materials[:3]
                ],
            }
        )
    # the targets drawn, by the building type and project type they apply to (caption of the bars)
    target_groups: dict[str, list[str]] = {}
    for p in e.embodied_projects:
        if p.kgco2e_per_m2 is not None and p.benchmarks:
            target_groups.setdefault(
                f"{label(p.building_type)} · {label(p.project_type)}",
                [f"{target_label(b)} {number(b.kgco2e_per_m2)}" for b in sorted(p.benchmarks, key=lambda b: -b.kgco2e_per_m2)],
            )
    green = r.pillars["green"]
    overall_level = levels[r.overall.rating] if r.overall.rating else None
    used_ids = {li.factor_id for li in e.line_items}
    gap_sections = {g.section for g in e.gaps}
    # no inventory section reported at all: every total is "not reported", not 0 tCO2e
    reported = not {sec for secs in CATEGORY_SECTIONS.values() for sec in secs} <= gap_sections

    def figure(label_text: str, value: str, unit: str) -> tuple[str, str, str]:
        return (label_text, value, "" if value == _(NOT_REPORTED) else unit)

    def total(value: float, digits: int = 0, sections: tuple[str, ...] = ()) -> str:
        """A total as a number, or 'not reported' when nothing behind it was reported (blank is not zero)."""
        if not reported or (sections and value == 0 and set(sections) <= gap_sections):
            return _(NOT_REPORTED)
        return number(value, digits)

    removals = total(e.removals_tco2e_per_year, sections=("removals",))
    component_names = {c.id: c.name.get(lang) for c in method.settings.green.components}  # the result keeps the English
    sentences = verdict(r, method)
    quality_shares = share_percents(e.data_quality_shares_pct)
    category_shares = (
        share_percents(
            {c: e.by_category[c].tco2e_per_year / e.gross_tco2e_per_year * 100 for c in ("operational", "embodied", "consumption")}
        )
        if e.gross_tco2e_per_year
        else {}
    )
    return {
        "since_last_year": since_last_year(r, ri.previous),
        "lang": lang,
        "r": r,
        "name": r.profile.name,
        "place": f"{r.profile.city}{list_sep()}{r.profile.country}",
        "assessment_date": long_date(ri.assessment_date),
        "rating": overall_level.name.get(lang) if overall_level else _("not rated"),
        "rating_description": _("The level {level} (overall score {score} or more) stands for: {description}").format(
            level=overall_level.name.get(lang), score=number(overall_level.min_score), description=overall_level.description.get(lang)
        )
        if overall_level
        else _("A prerequisite of the lowest level is not met."),
        # page 1: the trajectory sentence stands beside the chart, the others above the ladder
        "verdict": sentences[1:],
        "track_sentence": sentences[0],
        "verdict_sep": sentence_sep(),  # Chinese sentences follow each other without a space
        "level_by_score": levels[r.overall.level_by_score].name.get(lang) if r.overall.level_by_score else None,
        "overall": score_text(r.overall.score),
        "green": score_text(green.score) if rated else _("not rated"),
        "green_missing": missing,
        "green_rated": rated,
        "thriving": score_text(r.pillars["thriving"].score),
        "thriving_note": thriving_note(r),
        "thriving_note_needed": any(m.score is None for m in r.modules),
        "thriving_provisional": any(m.provisional for m in r.modules if m.score is not None),
        "title": _("Net-zero neighbourhood scorecard") if rated else _("Neighbourhood scorecard"),
        "prerequisites": [
            {
                "text": next(p.text.get(lang) for p in method.settings.prerequisites if p.id == pr.id),
                "met": pr.met,
                "level": levels[pr.level].name.get(lang),
            }
            for pr in r.overall.prerequisites
        ],
        "key_figures": [
            figure(_("Gross emissions"), total(e.gross_tco2e_per_year), symbol("tCO2e/yr")),
            figure(_("Removals in the boundary"), removals, symbol("tCO2e/yr")),
            figure(
                _("Net emissions"),
                total(e.net_tco2e_per_year),
                symbol("tCO2e/yr") + (" " + parenthesised(range_text(e.range, labelled=True)) if e.range is not None and reported else ""),
            ),
            figure(_("Per resident (gross)"), total(e.per_capita_tco2e_per_year, 2), symbol("tCO2e/person/yr")),
            # the Green pillar scores the net figure per resident (modules/method.toml): page 1 shows it beside the gross
            figure(_("Per resident (net)"), total(e.net_per_capita_tco2e_per_year, 2), symbol("tCO2e/person/yr")),
            (_("Gap to the target path"), *gap_figure(t, rated)),
        ],
        "per_m2": figure(
            _("Per m² of floor area (gross)"),
            total(e.per_m2_kgco2e_per_year) if e.per_m2_kgco2e_per_year is not None else number(None),
            symbol("kgCO2e/m²/yr"),
        ),
        "totals_note": _("Totals cover the reported sections only: the inventory lacks {sections}.").format(sections=missing)
        if missing and reported
        else None,
        "ladder": dashboard.ladder(r, method, lang),
        "dashboard_shown": dashboard.DASHBOARD_SHOWN,
        "confidence": dashboard.confidence(r, method),
        "top_recommendations": {
            sphere: [rec_view(x) for x in r.overall.recommendations if x.sphere == sphere][:shown] for sphere in ("controls", "influences")
        },
        "recommendations_note": recommendations_note(r, dashboard.DASHBOARD_SHOWN, method),
        "modules": module_views,
        "case_annex": case_annex(method, r.profile.country_code, lang),
        "category_bars": bars(cat_rows),
        "categories": [
            {
                "label": label(c, "category"),
                "value": total(e.by_category[c].tco2e_per_year, sections=CATEGORY_SECTIONS[c]),
                "colour": charts.CATEGORY_COLOURS[c],
                "share": category_shares.get(c, percent(None)),
                "range": range_text(e.by_category[c].range),
            }
            for c in ("operational", "embodied", "consumption")
        ],
        "sector_scope": [
            {"sector": label(s.sector, "sector"), "scope": s.scope if s.scope is not None else "–", "value": number(s.tco2e_per_year)}
            for s in e.by_sector_scope
            if s.tco2e_per_year > 0
        ],
        "gross": total(e.gross_tco2e_per_year),
        "net": total(e.net_tco2e_per_year),
        "removals": removals,
        "removals_signed": removals if removals == _(NOT_REPORTED) else negative(e.removals_tco2e_per_year),
        "offsets": number(e.offsets_tco2e_per_year),
        "offsets_signed": negative(e.offsets_tco2e_per_year),
        "net_with_offsets": total(e.net_with_offsets_tco2e_per_year),
        "uncertainty": uncertainty_view(e, method.uncertainty.contributors_shown),
        "electricity": e.electricity,
        "electricity_note": electricity_note(e.electricity, "stationary_energy" not in gap_sections),
        "num": number,
        "pct": percent,
        "smart": smart,
        "trajectory": t,
        "trajectory_heading": _("Trajectory to net zero") if rated else _("Target path"),
        "trajectory_text": trajectory_text(r, method, rated),
        "trajectory_chart": traj_svg.get() if traj_svg is not None else None,
        "dashboard_chart": dash_svg.get() if dash_svg is not None else None,
        "dashboard_chart_alt": dash_alt,
        "scenarios_heading": _("Scenarios: the pathway to net zero") if rated else _("Scenarios: the pathway for the reported emissions"),
        "intensities": [
            {
                "label": component_names.get(c.id, c.name),
                # the gap component counts 0 on or below the path: say where the neighbourhood is instead ("0.0 %"
                # beside 100 points read as no progress)
                "value": component_value(c, t),
                "unit": component_unit(c, t),
                "points": number(c.points),
                "band": band_text(c.thresholds["zero_points_at"], c.thresholds["full_points_at"], c.unit),
                "source": c.source,
            }
            for c in green.components
        ],
        "projects": projects,
        "intensity_bars": intensity_bars(
            [
                (p.name, p.kgco2e_per_m2, [(target_label(b), b.kgco2e_per_m2) for b in p.benchmarks], benchmark_note(p))
                for p in e.embodied_projects
                if p.kgco2e_per_m2 is not None
            ]
        ),
        "target_groups": [{"types": k, "targets": " · ".join(v)} for k, v in target_groups.items()],
        "removal_items": [
            {
                "description": line_label(rm.description),
                "tco2e_per_year": rm.tco2e_per_year,
                "basis": f"{factor_label(rm.factor_id)} · {rm.factor_source} ({rm.factor_year})",
            }
            for rm in e.removal_items
        ],
        "offset_items": [o.model_copy(update={"standard": offset_standard_label(o.standard)}) for o in e.offset_items],
        "quality_segments": [
            {"key": k, "label": label(k, "quality"), "share": quality_shares[k], "width": f"{v:.2f}", "colour": charts.QUALITY_COLOURS[k]}
            for k, v in e.data_quality_shares_pct.items()
            if v > 0
        ],
        "quality": [{"label": label(k, "quality"), "share": quality_shares[k]} for k in e.data_quality_shares_pct],
        "gaps": [{"section": g.section, "notation": g.notation, "message": _(g.message)} for g in e.gaps],
        "indicator_gaps": [{"module": m["name"], "indicator": i["name"]} for m in module_views for i in m["indicators"] if i["gap"]],
        "factors": [
            {
                "f": f,
                "label": factor_label(f.id, f.activity),
                "id": breakable_id(f.id),
                "region": region_label(f.region),
                "unit": unit_label(f.unit),
                "value": significant(f.kgco2e_per_unit),
            }
            for f in e.factors_used
            if f.id in used_ids or f.id.startswith("removal.")
        ],
        "trace_lines": [
            {
                "n": i,
                "line": line_label(li.description),
                "category": f"{label(li.category, 'category')} · {label(li.subcategory, 'subcategory')}",
                "amount": f"{smart(li.activity_amount)} {unit_label(li.activity_unit)}",
                "factor": breakable_id(li.factor_id),
                "tco2e": number(li.tco2e_per_year, 1),
                "cell": li.source_ref or li.source_path,
                "quality": label(li.data_quality, "quality"),
            }
            for i, li in enumerate(e.line_items, start=1)
        ],
        "trace_removals": [
            {
                "line": line_label(rm.description),
                "factor": breakable_id(rm.factor_id),
                "tco2e": number(rm.tco2e_per_year, 1),
                "cell": rm.source_ref,
            }
            for rm in e.removal_items
        ]
        + [
            {
                "line": labelled(_("Offset"), o.project),
                "factor": offset_standard_label(o.standard),
                "tco2e": number(o.tco2e, 1),
                "cell": o.source_ref,
            }
            for o in e.offset_items
        ],
        "glossary": glossary(lang),
        "gwp_set_label": _(GwpSet(e.gwp_set).label) if e.gwp_set in GwpSet._value2member_map_ else e.gwp_set,
        "no_gas_split": [f.id for f in e.factors_used if (f.id in used_ids or f.id.startswith("removal.")) and not f.gas_split],
        "proxy_share": percent(e.proxy_share_pct),
        "proxy_share_pct": e.proxy_share_pct,
        "proxy_lines": proxy_views(r),
        # the data-quality page: quality_summary, measure_rows, measure_note, proxy_rest (assessment/report/quality.py)
        **quality_context(r, PROXY_LINES_SHOWN),
        "overrides": [
            {
                "id": o.id,
                "kind": _("factor") if o.kind == "factor" else _("parameter"),
                "given": f"{smart(o.value)} {o.unit}",
                "used": f"{smart(o.value_in_library_unit)} {o.library_unit}",
                "library": f"{smart(o.library_value)} {o.library_unit}" if o.library_value is not None else _("not in the library"),
                "source": o.source,
                "cell": o.source_ref,
            }
            for o in e.overrides
        ],
        "method": method,
        "method_name": method.settings.name.get(lang),
        "input_name": ri.input_name,
        "scenarios": scenario_views(r, method, draw),
        "projection": projection_view(r),
        "access": map_page.map_view(r, method) if r.access is not None else None,
    }


def trajectory_charts(r: AssessmentResult, draw) -> tuple:
    """Page 1's trajectory chart (pending) and its alt text; the emissions page no longer repeats it (issue #18: a
    shorter body), so its slot is None."""
    t = r.emissions.trajectory
    path = [(p.year, p.net_tco2e) for p in t.path]
    baseline, current = (t.baseline_year, t.baseline_net_tco2e), (t.reporting_year, t.net_tco2e)
    interim = (t.interim_target_year, t.interim_target_tco2e) if t.interim_target_year and t.interim_target_tco2e is not None else None
    pj = r.projection
    bau = [(b.year, b.net_tco2e) for b in pj.bau] if pj is not None else []
    scenarios = [(s.name, [(y.year, y.net_tco2e) for y in s.years]) for s in r.scenarios] if pj is not None else []
    alt = chart_alt.dashboard_alt(
        baseline, current, t.target_net_zero_year, interim, bau[-1] if bau else None, [(n, ys[-1][1]) for n, ys in scenarios if ys]
    )
    dash = draw(
        "dashboard_trajectory",
        path,
        baseline,
        current,
        interim,
        t.target_net_zero_year,
        bau,
        scenarios,
        {
            "path": _("target path"),
            "bau": _("business as usual"),
            "baseline": _("baseline"),
            "now": _("now"),
            "interim": _("interim"),
            "unit": _("net tCO2e per year"),
        },
        alt=alt,
    )
    return None, dash, alt


def measure_labels(measures, lever: dict, lang: str) -> dict[str, str]:
    """Each measure's chart label: its id and lever name, and what it switches to (or acts on) where two measures of
    the scenario use the same lever ("A1 Mode shift (cycle)", "A2 Mode shift (rail)"), so no two read alike. The
    bilingual edition composes each language apart: "A1 Shift … (cycling) / 小汽车…（自行车）"."""

    def names(one: str) -> dict[str, str]:
        with language(one):
            name = {m.id: lever[m.id].name.get(one) if lever[m.id] else m.lever for m in measures}
            shared = {n for n in name.values() if list(name.values()).count(n) > 1}
            target = {m.id: m.switch_to or m.applies_to for m in measures}
            return {
                i: n + (("" if one == "zh" else " ") + parenthesised(code_label(target[i])) if n in shared and target[i] else "")
                for i, n in name.items()
            }

    if lang == "en+zh":
        en, zh = names("en"), names("zh")
        return {m.id: f"{m.id} {both(en[m.id], zh[m.id])}" for m in measures}
    return {i: f"{i} {n}" for i, n in names(lang).items()}


def scenario_views(r: AssessmentResult, method: Method, draw) -> list[dict[str, Any]]:
    """One view per scenario: headline, wedge, waterfall, cost curve, measure table and scores before and after."""
    if not r.scenarios or r.projection is None:
        return []
    lang = get_language()
    pj = r.projection
    levels = {lv.id: lv for lv in method.settings.levels}
    module_names = {m.id: m.name.get(lang) for m in method.modules}
    path = [(p.year, p.net_tco2e) for p in r.emissions.trajectory.path if pj.start_year <= p.year <= pj.target_year]
    unit = _("net tCO2e per year")
    today = pj.bau[0].net_tco2e
    rated = green_rated(r)
    project = {p.project_id: p.name for p in r.emissions.embodied_projects}  # a measure on a project names it, not its id
    views = []
    for s in r.scenarios:
        lever = {m.id: method.levers.get(m.lever) for m in s.measures}
        label = measure_labels(s.measures, lever, lang)
        years = [y.year for y in s.years]
        wedge_svg = draw(
            "wedge",
            years,
            [b.net_tco2e for b in pj.bau],
            [(label[m.id], [y.abatement_by_measure[m.id] for y in s.years]) for m in s.measures],
            [y.net_tco2e for y in s.years],
            path,
            {
                "unit": _("tCO2e abated per year"),
                "total": _("all measures"),
                "path": _("abatement the target path needs"),
                "needed": _("The target path needs {value} tCO2e a year abated by {year}: above this chart's scale."),
            },
            alt=chart_alt.wedge_alt(s.name, [(label[m.id], s.years[-1].abatement_by_measure[m.id]) for m in s.measures], years[-1]),
        )
        target = s.years[-1]
        growth = pj.bau[-1].net_tco2e - today
        steps = [(_("today ({year})").format(year=pj.start_year), today, "total")]
        if abs(growth) > 1e-9:
            steps.append((_("growth and grid"), growth, "change"))
        steps += [(label[m.id], -m.abatement_tco2e_at_target, "change") for m in s.measures]
        steps.append((_("net in {year}").format(year=target.year), target.net_tco2e, "total"))
        if s.removals_needed_tco2e > 0:
            steps.append((_("removals needed"), -s.removals_needed_tco2e, "removals"))
        waterfall_svg = draw(
            "waterfall",
            steps,
            {"unit": unit},
            alt=chart_alt.waterfall_alt(
                (pj.start_year, today), (target.year, target.net_tco2e), target.net_tco2e - today, s.removals_needed_tco2e
            ),
        )
        costed = [
            (label[m.id], m.mean_abatement_tco2e_per_year, m.cost_per_tco2e)
            for m in s.measures
            if m.cost_per_tco2e is not None and m.mean_abatement_tco2e_per_year
        ]
        mac_svg = (
            draw(
                "mac_curve",
                costed,
                {"x": _("tCO2e abated per year"), "y": _("cost per tCO2e ({currency})").format(currency=currency_label(pj.currency))},
                alt=chart_alt.mac_alt(costed, currency_label(pj.currency)),
            )
            if len(costed) >= charts.MAC_MIN_MEASURES
            else None
        )
        sa = s.scores_after
        if not rated:  # a partial inventory: what reaches zero is the reported emissions, not the neighbourhood's
            if s.net_zero_year is not None:
                headline = _("The reported emissions reach zero in {year}; the inventory is incomplete.").format(year=s.net_zero_year)
            else:
                headline = _("By {year}, {residual} tCO2e a year of the reported emissions remain, {pct} below today.").format(
                    year=pj.target_year, residual=number(s.residual_tco2e_at_target), pct=percent(s.reduction_pct_at_target)
                )
        elif s.net_zero_year is not None:
            headline = _("Net zero in {year}.").format(year=s.net_zero_year)
        else:
            headline = _(
                "Not net zero by {year}: {residual} tCO2e a year remain, {pct} below today; closing the gap would take that much in "
                "yearly removals."
            ).format(year=pj.target_year, residual=number(s.residual_tco2e_at_target), pct=percent(s.reduction_pct_at_target))
        total_capital = sum(m.capital_cost or 0 for m in s.measures)
        # the capital cost and the cost curve sum what the input prices: say so when some measures have no cost
        priced = sum(1 for m in s.measures if m.capital_cost is not None or m.annualised_cost is not None)
        views.append(
            {
                "name": s.name,
                "anchor": f"scenario-{len(views) + 1}",
                "headline": headline,
                "wedge": wedge_svg,
                "waterfall": waterfall_svg,
                "mac": mac_svg,
                "no_mac": chart_alt.no_cost_curve_text(len(costed), len(s.measures)) if mac_svg is None else None,
                "capital": number(total_capital) if total_capital else None,
                "capital_scope": _("{n} of {m} measures").format(n=priced, m=len(s.measures)) if 0 < priced < len(s.measures) else None,
                "cost_note": ngettext(
                    "Only {n} of {m} measures has a cost: the capital cost and the cost curve cover it alone.",
                    "Only {n} of {m} measures have a cost: the capital cost and the cost curve cover those alone.",
                    priced,
                ).format(n=priced, m=len(s.measures))
                if mac_svg is not None and priced < len(s.measures)
                else None,
                "currency": currency_label(pj.currency),
                "annual_cost": number(sum(m.annualised_cost for m in s.measures if m.annualised_cost is not None))
                if any(m.annualised_cost is not None for m in s.measures)
                else None,
                "measures": [
                    {
                        "order": m.order,
                        "id": m.id,
                        "lever": lever[m.id].name.get(lang) if lever[m.id] else m.lever,
                        "family": method.levers.family_names[m.family].get(lang) if m.family in method.levers.family_names else m.family,
                        "what": " → ".join(project.get(x) or code_label(x) for x in (m.applies_to, m.switch_to) if x) or "–",
                        "size": amount(m.size, m.size_unit)
                        + (list_sep() + amount(m.performance, m.performance_unit) if m.performance is not None else ""),
                        "years": year_span(m.start_year, m.full_effect_year),
                        "abatement": number(m.abatement_tco2e_at_target),
                        "cumulative": number(m.cumulative_abatement_tco2e),
                        "annualised": number(m.annualised_cost) if m.annualised_cost is not None else "–",
                        "cost": number(m.cost_per_tco2e) if m.cost_per_tco2e is not None else "–",
                        "notes": m.notes or "",
                        "negative": m.abatement_tco2e_at_target < 0,
                    }
                    for m in s.measures
                ],
                "scores": {
                    "year": sa.year,
                    "completion_year": sa.completion_year,
                    "basis": _(SCORES_AFTER_BASIS),
                    "rows": [
                        {
                            "name": f"{mr.id.upper()} {module_names[mr.id]}" + (f" ({_('provisional')})" if mr.provisional else ""),
                            "before": score_text(mr.score),
                            "after": score_text(sa.modules.get(mr.id)),
                        }
                        for mr in r.modules
                    ],
                    "green": (score_text(r.pillars["green"].score) if rated else _("not rated"), score_text(sa.pillars.get("green"))),
                    "thriving": (score_text(r.pillars["thriving"].score), score_text(sa.pillars.get("thriving"))),
                    "overall": (score_text(r.overall.score), score_text(sa.overall)),
                    "rating": (
                        levels[r.overall.rating].name.get(lang) if r.overall.rating else _("not rated"),
                        levels[sa.rating].name.get(lang) if sa.rating else _("not rated"),
                    ),
                    "per_capita": (number(r.emissions.net_per_capita_tco2e_per_year, 2), number(sa.net_per_capita_tco2e, 2)),
                },
                "net_target": number(target.net_tco2e),
                "gross_target": number(target.gross_tco2e),
            }
        )
    for v in views:  # every chart was requested first, so a helper process can draw while the next is asked for
        for key in ("wedge", "waterfall", "mac"):
            v[key] = v[key].get() if v[key] is not None else None
    return views


def projection_view(r: AssessmentResult) -> dict[str, Any] | None:
    """The business-as-usual assumptions shown above the scenarios."""
    pj = r.projection
    if pj is None:
        return None
    grid = {"stated": _("stated in the workbook"), "library": _("published trajectory"), "constant": _("held at today's value")}[
        pj.grid_trajectory
    ]
    return {
        "start": pj.start_year,
        "target": pj.target_year,
        "population": percent(pj.population_growth_pct_per_year),
        "floor_area": percent(pj.floor_area_growth_pct_per_year),
        "discount": percent(pj.discount_rate_pct),
        "grid": grid,
        "grid_source": _(pj.grid_trajectory_source),  # the constant path's words are in the catalogue
        "grid_first": number(pj.grid_kgco2e_per_kwh[pj.start_year], 3),
        "grid_last": number(pj.grid_kgco2e_per_kwh[pj.target_year], 3),
        "bau_first": number(pj.bau[0].net_tco2e),
        "bau_last": number(pj.bau[-1].net_tco2e),
    }
