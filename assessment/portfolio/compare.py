"""Two assessments side by side: the same place before and after a plan, or two places."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import ValidationError

from assessment.checks import validate_input
from assessment.emissions.factors import load_factors
from assessment.errors import InputInvalid, issue
from assessment.i18n import N_, _, get_language
from assessment.io.atomic import atomic_path, write_bytes_atomic
from assessment.io.load import json_path
from assessment.model.method import Method
from assessment.model.results import AssessmentResult
from assessment.numbers import number, percent
from assessment.pipeline import assess
from assessment.report.labels import label
from assessment.report.render import render_html, render_pdf

LOWER, HIGHER = "lower", "higher"

#: Which way is better, per figure: emissions (gross, net, per resident, per m², each category) are better lower;
#: removals are better higher (a fall in removals is a loss); every score is better higher. A change is coloured by it.
BETTER_WHEN = {
    "gross_tco2e_per_year": LOWER,
    "removals_tco2e_per_year": HIGHER,
    "net_tco2e_per_year": LOWER,
    "per_capita_tco2e_per_year": LOWER,
    "per_m2_kgco2e_per_year": LOWER,
    "operational": LOWER,
    "embodied": LOWER,
    "consumption": LOWER,
    "score": HIGHER,
}

KEY_FIGURES = (
    (N_("Gross emissions"), "gross_tco2e_per_year", N_("tCO2e/yr")),
    (N_("Removals in the boundary"), "removals_tco2e_per_year", N_("tCO2e/yr")),
    (N_("Net emissions"), "net_tco2e_per_year", N_("tCO2e/yr")),
    (N_("Per resident (gross)"), "per_capita_tco2e_per_year", N_("tCO2e/person/yr")),
    (N_("Per m² of floor area (gross)"), "per_m2_kgco2e_per_year", N_("kgCO2e/m²/yr")),
)
CATEGORIES = (("operational", N_("Operational")), ("embodied", N_("Embodied")), ("consumption", N_("Consumption-based")))


def change_is_better(difference: float | None, better_when: str) -> bool | None:
    """True when a change (B - A) goes the better way for its figure, False when the worse way, None when there is
    no change or no figure to compare."""
    if difference is None or difference == 0:
        return None
    return (difference < 0) == (better_when == LOWER)


def load_result(path: str | Path, method: Method) -> AssessmentResult:
    """A results JSON (from nzn assess --json) as it is, or an input file assessed now."""
    path = Path(path)
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(path.read_text(encoding="utf-8"), parse_constant=_refuse_constant)
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
            data = None  # not a results JSON: read below as an input, which names what is wrong with it
        except ValueError as exc:  # NaN or an infinity
            raise InputInvalid(
                [issue(path.name, "not-finite", N_("a results JSON holds only finite numbers, not {value}"), value=str(exc))]
            ) from None
        if isinstance(data, dict) and "schema_version" in data and "emissions" in data:
            try:
                return AssessmentResult.model_validate(data)
            except ValidationError as exc:
                raise InputInvalid(
                    [
                        issue(
                            f"{path.name}: {json_path(tuple(e['loc']))}",
                            "bad-results",
                            N_("not a valid results JSON here: {reason}"),
                            reason=e["msg"],
                        )
                        for e in exc.errors()
                    ]
                ) from None
    factors = load_factors()
    return assess(validate_input(path, method, factors=factors), method, factors)


def _refuse_constant(name: str):
    raise ValueError(name)


def _diff(a: float | None, b: float | None) -> tuple[float | None, float | None]:
    if a is None or b is None:
        return None, None
    return b - a, ((b - a) / a * 100.0) if a else None


def comparison_context(a: AssessmentResult, b: AssessmentResult, method: Method, names: tuple[str, str]) -> dict:
    lang = get_language()
    rows = []

    def row(title, va, vb, unit, better_when, digits=0):
        d, pct = _diff(va, vb)
        better = change_is_better(d, better_when)
        rows.append(
            {
                "label": title,
                "a": number(va, digits),
                "b": number(vb, digits),
                "diff": ("+" if d and d > 0 else "") + number(d, digits) if d is not None else "–",
                "pct": percent(pct) if pct is not None else "–",
                "unit": unit,
                "better": better,
                "better_when": _("lower") if better_when == LOWER else _("higher"),
            }
        )

    for title, key, unit in KEY_FIGURES:
        row(_(title), getattr(a.emissions, key), getattr(b.emissions, key), _(unit), BETTER_WHEN[key], 2 if "per_capita" in key else 0)
    for key, title in CATEGORIES:
        row(
            _(title),
            a.emissions.by_category[key].tco2e_per_year,
            b.emissions.by_category[key].tco2e_per_year,
            _("tCO2e/yr"),
            BETTER_WHEN[key],
        )
    scores = []

    def score_row(title, va, vb):
        d, _pct = _diff(va, vb)
        scores.append(
            {
                "label": title,
                "a": number(va),
                "b": number(vb),
                "diff": ("+" if d and d > 0 else "") + number(d) if d is not None else "–",
                "better": change_is_better(d, BETTER_WHEN["score"]),
            }
        )

    score_row(_("Overall score"), a.overall.score, b.overall.score)
    score_row(_("Green pillar"), a.pillars["green"].score, b.pillars["green"].score)
    for side, res in (("a", a), ("b", b)):  # not rated is not a dash: the inventory is incomplete
        if res.pillars["green"].score is None:
            scores[-1][side] = _("not rated")
    score_row(_("Thriving pillar"), a.pillars["thriving"].score, b.pillars["thriving"].score)
    mods = {m.id: m for m in method.modules}
    b_modules = {m.id: m for m in b.modules}
    for ma in a.modules:
        mb = b_modules.get(ma.id)
        name = f"{ma.id.upper()} {mods[ma.id].name.get(lang) if ma.id in mods else ma.name}"
        if ma.provisional or (mb is not None and mb.provisional):
            name += f" ({_('provisional')}: {'/'.join(x for x, m in (('A', ma), ('B', mb)) if m is not None and m.provisional)})"
        score_row(name, ma.score, mb.score if mb else None)
    levels = {lv.id: lv.name.get(lang) for lv in method.settings.levels}
    changes = []
    same_place = a.profile.neighbourhood_id == b.profile.neighbourhood_id
    for ma in a.modules if same_place else ():  # an action of one place is not the same action in another
        mb = b_modules.get(ma.id)
        if mb is None:
            continue
        b_actions = {x.id: x for x in mb.actions}
        texts = {x.id: x.text.get(lang) for x in mods[ma.id].actions} if ma.id in mods else {}
        for act in ma.actions:
            other = b_actions.get(act.id)
            if other is not None and other.status != act.status:
                changes.append(
                    {"module": ma.id.upper(), "text": texts.get(act.id, act.text), "a": label(act.status), "b": label(other.status)}
                )
    return {
        "lang": lang,
        "names": names,
        "a": a,
        "b": b,
        "rows": rows,
        "scores": scores,
        "changes": changes,
        "same_place": same_place,
        "rating_a": levels.get(a.overall.rating, "–"),
        "rating_b": levels.get(b.overall.rating, "–"),
    }


def write_comparison(a: AssessmentResult, b: AssessmentResult, method: Method, names: tuple[str, str], outputs: list[Path]) -> None:

    html = render_html(comparison_context(a, b, method, names), "compare.html.j2")
    for out in outputs:
        if out.suffix.lower() == ".pdf":
            with atomic_path(out) as tmp:
                render_pdf(
                    html,
                    tmp,
                    {
                        "title": f"{names[0]} / {names[1]}",
                        "subject": "nzn comparison",
                        "author": "nzn",
                        "created": None,
                        "generator": "nzn",
                        "identifier": b"nzn-compare",
                    },
                )
        else:
            write_bytes_atomic(out, html.encode("utf-8"))
