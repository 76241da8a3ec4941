"""The history pages: a neighbourhood's trend (``nzn history ID -o trend.pdf``), the programme view
(``nzn history --portfolio``) and the scorecard's "since last year" line.

Everything shown is read from the recorded results JSON through :mod:`assessment.store.history`; this module only
formats it and draws the charts (matplotlib SVG, as the scorecard's), and the template (templates/trend.html.j2)
lays it out. A change of method or factor version between two years is marked on every chart and listed, so that a
change of method is never read as progress.
"""

from __future__ import annotations

from typing import Any

from assessment.i18n import _
from assessment.numbers import number, percent
from assessment.report import charts

#: Data-quality classes, best first, as the results JSON names them (emissions.data_quality_shares_pct).
QUALITY_ORDER = ("measured", "calculated", "estimated", "default", "not_stated")


def signed(value: float | None, digits: int = 0) -> str:
    """'+12', '−3.5' or '0' (a true minus sign; '–' when missing)."""
    if value is None:
        return "–"
    if round(value, digits) == 0:
        return number(0.0, digits)
    return ("+" if value > 0 else "−") + number(abs(value), digits)


def since_last_year(r, previous: dict | None) -> dict | None:
    """The scorecard's "since last year" line: the change from the neighbourhood's previous recorded year (None when
    the store holds none). ``previous`` is that year's history entry; ``r`` the result being reported."""
    if previous is None:
        return None
    net_now, net_then = r.emissions.net_tco2e_per_year, previous["net_tco2e_per_year"]
    score_now, score_then = r.overall.score, previous["overall"]["score"]
    changed = []
    if (previous["method_id"], previous["method_version"]) != (r.method.method_id, r.method.version):
        changed.append(_("method {old} → {new}").format(old=previous["method_version"], new=r.method.version))
    if previous["factors_version"] != r.factors_version:
        changed.append(_("factors {old} → {new}").format(old=previous["factors_version"], new=r.factors_version))
    return {
        "year": previous["reporting_year"],
        "sentence": _("Since {year}: net emissions {net} tCO2e a year ({pct}), overall score {score}; rating then {rating}.").format(
            year=previous["reporting_year"],
            net=signed(net_now - net_then),
            pct=signed((net_now - net_then) / abs(net_then) * 100, 1) + "%" if net_then else "–",
            score=signed(score_now - score_then, 1) if score_now is not None and score_then is not None else "–",
            rating=previous["overall"]["rating_name"] or _("not rated"),
        ),
        "versions_note": _("Not like for like: {changes} since then, so part of the change is the method's.").format(
            changes="; ".join(changed)
        )
        if changed
        else None,
    }


def _marks(changes: list[dict]) -> list[tuple[float, str]]:
    """Where to mark a change of method or factors on a chart: halfway between the two years."""
    return [((c["previous_year"] + c["year"]) / 2, c["note"]) for c in changes]


def trend_chart(
    years: list[int],
    series: list[tuple[str, list[float | None], str, Any]],
    unit: str,
    changes: list[dict],
    path: list[tuple[int, float]] | None = None,
    path_label: str = "",
    alt: str = "",
    zero_based: bool = True,
) -> str:
    """A line per series over the recorded years (markers at each year), the target path where given (dashed), and a
    dotted vertical line labelled where the method or factors changed. ``series``: (label, values, colour, dash)."""
    fr = charts._Frame(charts.WIDE_MM, 62.0, 14.0, 7.0, 30.0, 6.0)
    ax = fr.ax
    right: list[tuple[float, str, str]] = []
    values = [v for _l, vs, _c, _d in series for v in vs if v is not None]
    if path:
        shown = [(y, v) for y, v in path if min(years) - 1 <= y <= max(years) + 1]
        if shown:
            ax.plot([y for y, _v in shown], [v for _y, v in shown], color=charts.PATH_COLOUR, linewidth=1.2, linestyle=(0, (4, 1.5)))
            right.append((shown[-1][1], path_label, charts.PATH_COLOUR))
            values += [v for _y, v in shown]
    for label, vs, colour, dash in series:
        pts = [(y, v) for y, v in zip(years, vs) if v is not None]
        if not pts:
            continue
        ax.plot([y for y, _v in pts], [v for _y, v in pts], color=colour, linewidth=1.6, linestyle=dash, marker="o", markersize=3.5)
        right.append((pts[-1][1], f"{label} {charts.chart_number(pts[-1][1], 1 if abs(pts[-1][1]) < 10 else 0)}", colour))
    lo = min(values + [0.0]) if zero_based else min(values or [0.0])
    hi = max(values or [1.0])
    pad = (hi - lo) * 0.12 or 1.0
    ax.set_ylim(lo - (0 if zero_based and lo == 0 else pad), hi + pad)
    ax.set_xlim(min(years) - 0.5, max(years) + 0.5)
    ax.set_xticks(years)
    ax.set_xticklabels([str(y) for y in years], fontsize=charts.LABEL_PT)
    charts._number_axis(ax.yaxis)
    ax.set_title(unit, fontsize=charts.LABEL_PT, loc="left", color=charts.MUTED, pad=2)
    top = ax.get_ylim()[1]
    for x, note in _marks(changes):
        ax.axvline(x, color="#D55E00", linewidth=0.9, linestyle=(0, (1, 1.5)))
        ax.text(x, top, "⚠ " + charts._wrap(note, 28), fontsize=charts.LABEL_PT - 0.5, color="#D55E00", ha="center", va="top")
    charts._clean(ax)
    charts._side_labels(fr, right, low_mm=1.0)
    return charts._svg(fr.fig, alt)


def quality_chart(years: list[int], shares: list[dict], labels: dict[str, str], changes: list[dict], alt: str = "") -> str:
    """Stacked bars: the share of gross emissions resting on each data-quality class, one bar per recorded year."""
    fr = charts._Frame(charts.WIDE_MM, 50.0, 14.0, 7.0, 30.0, 4.0)
    ax = fr.ax
    bottoms = [0.0] * len(years)
    for q in QUALITY_ORDER:
        vals = [s.get(q, 0.0) for s in shares]
        ax.bar(years, vals, bottom=bottoms, color=charts.QUALITY_COLOURS[q], width=0.6, label=labels[q])
        bottoms = [b + v for b, v in zip(bottoms, vals)]
    ax.set_ylim(0, 100)
    ax.set_xlim(min(years) - 0.5, max(years) + 0.5)
    ax.set_xticks(years)
    ax.set_xticklabels([str(y) for y in years], fontsize=charts.LABEL_PT)
    ax.set_title("%", fontsize=charts.LABEL_PT, loc="left", color=charts.MUTED, pad=2)
    for x, _note in _marks(changes):
        ax.axvline(x, color="#D55E00", linewidth=0.9, linestyle=(0, (1, 1.5)))
    ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize=charts.LABEL_PT, frameon=False)
    charts._clean(ax, "y")
    return charts._svg(fr.fig, alt)


def trend_context(entries: list[dict], latest_doc: dict, module_names: dict[str, str]) -> dict[str, Any]:
    """The trend page's context: the table of years, the version changes and the charts. ``entries``: the history
    entries oldest first; ``latest_doc``: the latest year's results JSON (its target path is the one drawn)."""
    from assessment.store.history import off_track, version_changes

    years = [e["reporting_year"] for e in entries]
    changes = version_changes(entries)
    path = [(p["year"], p["net_tco2e"]) for p in latest_doc["emissions"]["trajectory"]["path"]]
    quality_labels = {
        "measured": _("measured"),
        "calculated": _("calculated"),
        "estimated": _("estimated"),
        "default": _("default"),
        "not_stated": _("not stated"),
    }
    latest = entries[-1]
    rows = [
        {
            "year": e["reporting_year"],
            "gross": number(e["gross_tco2e_per_year"]),
            "net": number(e["net_tco2e_per_year"]),
            "path": number(e["path_tco2e_at_reporting_year"]),
            "per_capita": number(e["per_capita_tco2e_per_year"], 2),
            "net_per_capita": number(e["net_per_capita_tco2e_per_year"], 2),
            "overall": number(e["overall"]["score"], 1),
            "green": number(e["pillars"].get("green"), 1),
            "thriving": number(e["pillars"].get("thriving"), 1),
            "rating": e["overall"]["rating_name"] or _("not rated"),
            "method": f"{e['method_id']} {e['method_version']}",
            "factors": e["factors_version"],
            "measured": percent(e["data_quality_shares_pct"].get("measured", 0.0) + e["data_quality_shares_pct"].get("calculated", 0.0)),
            "off_track": off_track(e),
            "changed": any(c["year"] == e["reporting_year"] for c in changes),
        }
        for e in entries
    ]
    module_ids = list(latest["modules"])
    modules = [
        {"id": mid, "name": module_names.get(mid, mid), "scores": [number(e["modules"].get(mid), 0) for e in entries]} for mid in module_ids
    ]
    alt_years = _("recorded years {first} to {last}").format(first=years[0], last=years[-1])
    return {
        "name": latest["name"],
        "neighbourhood_id": latest["neighbourhood_id"],
        "years": years,
        "rows": rows,
        "modules": modules,
        "changes": changes,
        "emissions_chart": trend_chart(
            years,
            [
                (_("gross"), [e["gross_tco2e_per_year"] for e in entries], charts.BAU_COLOUR, "-"),
                (_("net"), [e["net_tco2e_per_year"] for e in entries], "#D55E00", "-"),
            ],
            _("tCO2e a year"),
            changes,
            path,
            _("target path"),
            alt=_("Gross and net emissions against the target path, {years}").format(years=alt_years),
        ),
        "per_capita_chart": trend_chart(
            years,
            [
                (_("gross"), [e["per_capita_tco2e_per_year"] for e in entries], charts.BAU_COLOUR, "-"),
                (_("net"), [e["net_per_capita_tco2e_per_year"] for e in entries], "#D55E00", "-"),
            ],
            _("tCO2e per resident a year"),
            changes,
            alt=_("Emissions per resident, {years}").format(years=alt_years),
        ),
        "scores_chart": trend_chart(
            years,
            [
                (_("overall"), [e["overall"]["score"] for e in entries], charts.INK, "-"),
                (_("Green"), [e["pillars"].get("green") for e in entries], "#009E73", (0, (6, 1.5))),
                (_("Thriving"), [e["pillars"].get("thriving") for e in entries], "#CC79A7", (0, (1.5, 1.2))),
            ],
            _("score (0-100)"),
            changes,
            alt=_("Overall and pillar scores, {years}").format(years=alt_years),
        ),
        "quality_chart": quality_chart(
            years,
            [e["data_quality_shares_pct"] for e in entries],
            quality_labels,
            changes,
            alt=_("Share of gross emissions by data quality, {years}").format(years=alt_years),
        ),
    }


def portfolio_context(rows: list[dict]) -> dict[str, Any]:
    """The programme view's table (``nzn history --portfolio``): each neighbourhood's latest year, its change and
    whether it is off track, formatted."""
    return {
        "places": [
            {
                "id": row["neighbourhood_id"],
                "name": row["name"],
                "year": row["latest"]["reporting_year"],
                "years": len(row["years"]),
                "net": number(row["latest"]["net_tco2e_per_year"]),
                "net_change": signed(row["change"]["net_tco2e_per_year"]),
                "score": number(row["latest"]["overall"]["score"], 1),
                "score_change": signed(row["change"]["overall_score"], 1),
                "previous_year": row["change"]["previous_year"],
                "rating": row["latest"]["overall"]["rating_name"] or _("not rated"),
                "off_track": row["off_track"],
                "versions_changed": row["change"]["versions_changed"],
            }
            for row in rows
        ]
    }


def trend_html(entries: list[dict], latest_doc: dict, module_names: dict[str, str]) -> str:
    """The trend page as one self-contained HTML document (templates/trend.html.j2)."""
    from assessment.i18n import get_language
    from assessment.report.render import render_html

    return render_html({"lang": get_language(), **trend_context(entries, latest_doc, module_names)}, "trend.html.j2")


def write_trend_pdf(entries: list[dict], latest_doc: dict, module_names: dict[str, str], target) -> None:
    """The trend page as a PDF at ``target`` (atomically), through the package's asset-only renderer."""
    from assessment.io.atomic import atomic_path
    from assessment.report.render import render_pdf

    html = trend_html(entries, latest_doc, module_names)
    metadata = {
        "title": _("Trend") + f": {entries[-1]['name']}",
        "subject": "Green and Thriving Neighbourhoods trend",
        "author": "nzn",
        "created": None,
        "generator": "nzn",
        "identifier": ("nzn-trend-" + entries[-1]["neighbourhood_id"]).encode()[:32],
    }
    with atomic_path(target) as tmp:
        render_pdf(html, tmp, metadata)
