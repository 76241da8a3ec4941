"""Page 1, the dashboard (issue #18 item 1): the rating ladder and the data-confidence badge.

Both are selections from the result and the method, prepared here so that the template only formats: the
ladder lists every level of the method with its prerequisites met or not, and the badge states how complete
the inventory is and how much of the gross emissions rests on measured or calculated data.
"""

from __future__ import annotations

from typing import Any

from assessment.i18n import N_, _
from assessment.model.method import Method
from assessment.model.results import AssessmentResult
from assessment.numbers import number, share_percent, share_percents
from assessment.report.charts import QUALITY_COLOURS
from assessment.report.labels import label

#: Page 1's three recommendations: the two largest the neighbourhood controls and the largest it can influence.
DASHBOARD_SHOWN = {"controls": 2, "influences": 1}

#: The badge's word for each confidence band (method.toml [confidence]).
CONFIDENCE_WORDS = {"high": N_("high"), "medium": N_("medium"), "low": N_("low")}


def ladder(r: AssessmentResult, method: Method, lang: str) -> list[dict[str, Any]]:
    """Every level, lowest first: its name and lowest score, whether it is the rating (or what the score alone would
    reach when a prerequisite holds the rating back), and the prerequisites from that level with met or not."""
    ids = [lv.id for lv in method.settings.levels]
    rating = ids.index(r.overall.rating) if r.overall.rating in ids else -1
    texts = {p.id: (p.short or p.text).get(lang) for p in method.settings.prerequisites}
    return [
        {
            "name": lv.name.get(lang),
            "min": number(lv.min_score),
            "current": i == rating,
            "reached": i <= rating,
            "by_score": lv.id == r.overall.level_by_score and i != rating,
            "prerequisites": [{"text": texts[p.id], "met": p.met} for p in r.overall.prerequisites if p.level == lv.id],
        }
        for i, lv in enumerate(method.settings.levels)
    ]


def measured_share_pct(shares: dict[str, float]) -> float:
    """Share of gross emissions [%] resting on measured or calculated activity data."""
    return shares.get("measured", 0.0) + shares.get("calculated", 0.0)


def confidence_band(complete: bool, measured_pct: float, method: Method) -> str:
    """'high', 'medium' or 'low' by the method's [confidence] rule: an incomplete inventory is always 'low'."""
    rule = method.settings.confidence
    if complete and measured_pct >= rule.high_min_measured_pct:
        return "high"
    if complete and measured_pct >= rule.medium_min_measured_pct:
        return "medium"
    return "low"


def confidence(r: AssessmentResult, method: Method) -> dict[str, Any]:
    """The data-confidence badge: its band, sections reported of those required, and the data-quality shares."""
    required = len(method.settings.green.required_sections)
    missing = len(r.pillars["green"].missing_sections)
    shares = r.emissions.data_quality_shares_pct
    measured = measured_share_pct(shares)
    band = confidence_band(missing == 0, measured, method)
    printed = share_percents(shares)
    return {
        "band": band,
        "word": _(CONFIDENCE_WORDS[band]),
        "sections": _("{reported}/{required} inventory sections").format(reported=required - missing, required=required),
        # factors of another region stand in for local ones (issue #18 item 6): said on page 1, not only on the quality page
        "proxy": _("{share} on proxy factors").format(share=share_percent(r.emissions.proxy_share_pct))
        if r.emissions.proxy_share_pct > 0
        else None,
        "shares": [
            {"label": label(k, "quality"), "share": printed[k], "width": f"{v:.2f}", "colour": QUALITY_COLOURS[k]}
            for k, v in shares.items()
            if v > 0
        ],
    }
