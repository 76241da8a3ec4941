"""The data-quality page: which inputs rest on estimates or defaults, and what measuring them would change.

The figures come from the result (``emissions.uncertainty.if_measured``, computed by the uncertainty engine in
:mod:`assessment.emissions.uncertainty`: each of the largest estimated, default or unstated inputs re-drawn as measured
data from the same random numbers); this module only selects and formats them for the template.
"""

from __future__ import annotations

from typing import Any

from assessment.i18n import _
from assessment.model.results import AssessmentResult, EmissionsAccount
from assessment.numbers import number, percent, share_percents
from assessment.report.labels import label, line_label

#: Data-quality classes that are estimates rather than measurements or calculations from measurements.
ROUGH = ("estimated", "default", "not_stated")


def range_pair(now, after) -> str:
    """'a–b → c–d' (tCO2e a year): a range today and the same range if one input were measured."""
    return f"{number(now.p05)}–{number(now.p95)} → {number(after.p05)}–{number(after.p95)}"


def measure_views(e: EmissionsAccount) -> list[dict[str, Any]] | None:
    """The rows of 'What better data would change', largest input first (as the result orders them); None for an
    account without ranges (built without ``assess``)."""
    u = e.uncertainty
    if u is None:
        return None
    return [
        {
            "where": g.source_ref or g.source_path,
            "what": line_label(g.description),
            "quality": label(g.data_quality, "quality"),
            "tco2e": number(g.tco2e_per_year),
            "share": percent(g.share_of_gross_pct),
            "ranges": range_pair(g.net_range_now, g.net_range_if_measured),
            "narrower": percent(g.range_narrowing_pct),
        }
        for g in u.if_measured
    ]


def shown_quality_shares(e: EmissionsAccount, groups: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """The data-quality shares of gross emissions as printed (numbers.share_percents: apportioned as the data-quality
    legend is, so a sentence and the legend agree), with the classes of each of ``groups`` as one share."""
    return share_percents({"measured": 0.0, "calculated": 0.0, "not_stated": 0.0, **e.data_quality_shares_pct}, groups=groups)


def quality_summary(e: EmissionsAccount) -> str:
    """One sentence: how much of gross emissions rests on measured data and how much on estimates or defaults."""
    shown = shown_quality_shares(e, {"rough": ROUGH})
    return _(
        "Measured data stand behind {measured} of gross emissions and calculations from measured data behind {calculated}; "
        "{rough} rest on estimates, defaults or data of unstated quality."
    ).format(measured=shown["measured"], calculated=shown["calculated"], rough=shown["rough"])


def measure_note(e: EmissionsAccount) -> str | None:
    """How the 'if measured' ranges were made, under the table."""
    u = e.uncertainty
    if u is None or not u.if_measured:
        return None
    return _(
        "Each row re-draws the 5–95% range of net emissions (tCO2e a year) with that one input measured, as a meter "
        "reading or a count would be, from the same {draws} random draws, every other input as it is. Measuring "
        "several of them narrows it further."
    ).format(draws=number(u.draws))


def proxy_rest(r: AssessmentResult, shown: int) -> dict[str, str] | None:
    """The proxy factors beyond the ``shown`` largest, as one row (how many, tCO2e a year, share of gross), so the
    table adds up to the proxy share; None when every proxy factor is shown."""
    e = r.emissions
    by_factor: dict[tuple[str, str], float] = {}
    for li in e.line_items:
        if li.proxy and li.tco2e_per_year > 0:
            by_factor[(li.factor_id, li.factor_region)] = by_factor.get((li.factor_id, li.factor_region), 0.0) + li.tco2e_per_year
    ranked = sorted(by_factor.items(), key=lambda kv: (-kv[1], kv[0]))
    rest = ranked[shown:]
    if not rest:
        return None
    tco2e = sum(v for _k, v in rest)
    gross = e.gross_tco2e_per_year
    return {
        "label": _("{n} more proxy factors (marked in the factor table)").format(n=len(rest)),
        "tco2e": number(tco2e),
        "share": percent(tco2e / gross * 100.0) if gross else "-",
    }


def quality_context(r: AssessmentResult, proxy_shown: int) -> dict[str, Any]:
    """The data-quality page's own context keys."""
    e = r.emissions
    return {
        "quality_summary": quality_summary(e),
        "measure_rows": measure_views(e),
        "measure_note": measure_note(e),
        "proxy_rest": proxy_rest(r, proxy_shown),
    }
