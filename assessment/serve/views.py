"""What the result page shows of an assessment: formatted figures read from the result (no calculation here)."""

from __future__ import annotations

from assessment.numbers import number
from assessment.serve.jobs import Job


def summary(job: Job) -> dict:
    """The headline figures, the module scores and the "since last year" line of an assessed upload."""
    from assessment.i18n import _
    from assessment.report.trend import since_last_year

    r = job.result
    e = r.emissions
    return {
        "name": r.profile.name,
        "place": f"{r.profile.city}, {r.profile.country}",
        "year": r.profile.reporting_year,
        "figures": [
            (_("Gross emissions"), number(e.gross_tco2e_per_year), _("tCO2e a year")),
            (_("Net emissions"), number(e.net_tco2e_per_year), _("tCO2e a year")),
            (_("Net per resident"), number(e.net_per_capita_tco2e_per_year, 2), _("tCO2e per resident a year")),
            (_("Overall score"), number(r.overall.score, 1), "/ 100"),
            (_("Rating"), r.overall.rating_name or _("not rated"), ""),
            (_("Green pillar (emissions)"), number(r.pillars["green"].score, 1), "/ 100"),
            (_("Thriving pillar"), number(r.pillars["thriving"].score, 1), "/ 100"),
        ],
        "modules": [(m.id.upper(), m.name, number(m.score, 0)) for m in r.modules],
        "since": since_last_year(r, job.previous),
    }
