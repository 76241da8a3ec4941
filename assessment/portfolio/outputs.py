"""The portfolio summary: many neighbourhoods side by side (portfolio.xlsx and portfolio.pdf)."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.formatting.rule import ColorScaleRule
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.table import Table, TableStyleInfo

from assessment.i18n import N_, _, get_language
from assessment.io.atomic import atomic_path
from assessment.model.method import Method
from assessment.numbers import number, score_text
from assessment.portfolio.batch import BatchItem
from assessment.report import chart_alt, charts
from assessment.report.cases import case_annex
from assessment.report.glossary import glossary
from assessment.report.labels import breakable_id, factor_label, region_label
from assessment.report.render import render_html
from assessment.report.worker import ReportBuilder
from assessment.report.xlsx_out import safe_cell, sheet_title

RADARS_PER_PAGE = 20  # 4 rows of 5 small radars fit an A4 landscape page
#: Radars drawn: the first five pages of the ranking. Each radar page holds ~1.7 MB while the PDF is laid out
#: (measured: the submitting process peaks at 181 MB for 12 neighbourhoods, 203 MB for 24, 331 MB for 100, all
#: drawn), so a national portfolio drawing all of them would need gigabytes; every module score is in portfolio.xlsx.
RADARS_DRAWN = 5 * RADARS_PER_PAGE
#: Rows of the PDF's ranking table (its layout, too, grows with the rows); portfolio.xlsx ranks every neighbourhood.
ROWS_LISTED = 100


def _elide(name: str, keep: int = 26) -> str:
    """Shorten a long name in the middle, so names that differ at the end stay distinct."""
    return name if len(name) <= keep else name[: keep // 2 - 1] + "…" + name[-(keep // 2) :]


def ranked(items: list[BatchItem]) -> list[BatchItem]:
    """Assessed neighbourhoods, best overall score first (ties by name)."""
    ok = [i for i in items if i.ok]
    return sorted(ok, key=lambda i: (-(i.summary["overall"] if i.summary["overall"] is not None else -1), i.summary["name"]))


#: The portfolio's totals: (key, label, unit). Sums over the neighbourhoods assessed; the per-resident figures are
#: ratios of those sums (total tCO2e / total residents), i.e. each neighbourhood weighted by its population, not a
#: mean of the neighbourhoods' own per-resident figures.
TOTALS = (
    ("neighbourhoods", N_("Neighbourhoods assessed"), ""),
    ("population", N_("Residents"), N_("people")),
    ("gross_tco2e", N_("Gross emissions"), N_("tCO2e/yr")),
    ("removals_tco2e", N_("Removals in the boundary"), N_("tCO2e/yr")),
    ("net_tco2e", N_("Net emissions"), N_("tCO2e/yr")),
    ("operational_tco2e", N_("Operational"), N_("tCO2e/yr")),
    ("embodied_tco2e", N_("Embodied"), N_("tCO2e/yr")),
    ("consumption_tco2e", N_("Consumption-based"), N_("tCO2e/yr")),
    ("gross_per_resident", N_("Gross per resident (population-weighted)"), N_("tCO2e/person/yr")),
    ("net_per_resident", N_("Net per resident (population-weighted)"), N_("tCO2e/person/yr")),
)


def portfolio_totals(summaries: list[dict]) -> dict:
    """Totals of the assessed neighbourhoods' key figures: sums of residents and of gross, removals, net and category
    tCO2e per year, and per resident as the ratio of the sums (None when no resident is counted)."""
    total = {k: float(sum(s[k] or 0.0 for s in summaries)) for k in TOTAL_SUMS}
    total["population"] = int(sum(s["population"] or 0 for s in summaries))
    total["neighbourhoods"] = len(summaries)
    people = total["population"]
    total["gross_per_resident"] = total["gross_tco2e"] / people if people else None
    total["net_per_resident"] = total["net_tco2e"] / people if people else None
    return total


TOTAL_SUMS = ("gross_tco2e", "removals_tco2e", "net_tco2e", "operational_tco2e", "embodied_tco2e", "consumption_tco2e")


def _day(assessment_date: str | None) -> dt.datetime:
    """The batch's assessment date as the time stamp of the portfolio files (same batch, same bytes)."""
    day = dt.date.fromisoformat(assessment_date) if assessment_date else dt.date.today()
    return dt.datetime(day.year, day.month, day.day)


def _reproducible_xlsx(path: Path, when: dt.datetime) -> None:
    """Rewrite an .xlsx with every member dated ``when`` and its modified time set to ``when``: openpyxl stamps both
    with the current time at save, so the same batch would not give the same bytes."""
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(path) as src:
        members = [(info, src.read(info)) for info in src.infolist()]
    with zipfile.ZipFile(path, "w") as dst:
        for info, data in members:
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)", rb"\g<1>" + stamp + rb"\g<2>", data)
            fixed = zipfile.ZipInfo(info.filename, date_time=when.timetuple()[:6])
            fixed.compress_type, fixed.external_attr = info.compress_type, info.external_attr
            dst.writestr(fixed, data)


def write_portfolio_xlsx(items: list[BatchItem], method: Method, target: Path, assessment_date: str | None = None) -> None:
    """One row per neighbourhood as an Excel table, scores shaded by a colour scale; the totals on their own sheet.
    Dated by the assessment date, so the same batch gives the same bytes."""
    wb = Workbook()
    wb.properties.created = wb.properties.modified = _day(assessment_date)
    ws = wb.active
    ws.title = sheet_title(_("Portfolio"))
    modules = [m.id for m in method.modules]
    headers = [
        _("Rank"),
        _("Neighbourhood"),
        _("City"),
        _("Reporting year"),
        _("Population"),
        _("Gross tCO2e/yr"),
        _("Net tCO2e/yr"),
        _("Per resident tCO2e/yr"),
        _("Operational tCO2e/yr"),
        _("Embodied tCO2e/yr"),
        _("Consumption tCO2e/yr"),
        _("Overall score"),
        _("Rating"),
        _("Green pillar"),
        _("Thriving pillar"),
        *[m.upper() for m in modules],
        _("Indicator coverage %"),
        _("Input file"),
    ]
    for j, h in enumerate(headers, start=1):
        safe_cell(ws, 1, j, h)
    rows = ranked(items)
    for r, item in enumerate(rows, start=2):
        s = item.summary
        values = [
            r - 1,
            s["name"],
            s["city"],
            s["reporting_year"],
            s["population"],
            s["gross_tco2e"],
            s["net_tco2e"],
            s["per_capita_tco2e"],
            s["operational_tco2e"],
            s["embodied_tco2e"],
            s["consumption_tco2e"],
            s["overall"],
            s["rating_name"],
            s["green"],
            s["thriving"],
            *[s["modules"].get(m) for m in modules],
            s["coverage"],
            Path(item.input).name,
        ]
        for j, v in enumerate(values, start=1):
            safe_cell(ws, r, j, round(v, 2) if isinstance(v, float) else v)
    last_row = max(2, len(rows) + 1)
    ref = f"A1:{get_column_letter(len(headers))}{last_row}"
    table = Table(displayName="portfolio", ref=ref)
    table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
    ws.add_table(table)
    first_score = headers.index(_("Overall score")) + 1
    last_score = headers.index(_("Indicator coverage %"))
    for col in list(range(first_score, first_score + 1)) + list(range(first_score + 2, last_score + 1)):
        letter = get_column_letter(col)
        ws.conditional_formatting.add(
            f"{letter}2:{letter}{last_row}",
            ColorScaleRule(
                start_type="num",
                start_value=0,
                start_color="F8696B",
                mid_type="num",
                mid_value=50,
                mid_color="FFEB84",
                end_type="num",
                end_value=100,
                end_color="63BE7B",
            ),
        )
    per_capita = get_column_letter(headers.index(_("Per resident tCO2e/yr")) + 1)
    ws.conditional_formatting.add(
        f"{per_capita}2:{per_capita}{last_row}", ColorScaleRule(start_type="min", start_color="63BE7B", end_type="max", end_color="F8696B")
    )
    for j, h in enumerate(headers, start=1):
        ws.column_dimensions[get_column_letter(j)].width = max(9, min(34, len(str(h)) + 3))
    ws.freeze_panes = "C2"
    wt = wb.create_sheet(sheet_title(_("Totals")))
    for j, h in enumerate((_("Figure"), _("Total"), _("Unit")), start=1):
        safe_cell(wt, 1, j, h)
        wt.cell(row=1, column=j).font = Font(bold=True)
    totals = portfolio_totals([i.summary for i in rows])
    for r, (key, title, unit) in enumerate(TOTALS, start=2):
        value = totals[key]
        safe_cell(wt, r, 1, _(title))
        safe_cell(wt, r, 2, round(value, 2) if isinstance(value, float) else value)
        safe_cell(wt, r, 3, _(unit) if unit else "")
    wt.column_dimensions["A"].width, wt.column_dimensions["B"].width, wt.column_dimensions["C"].width = 44, 16, 18
    failed = [i for i in items if not i.ok]
    if failed:
        wf = wb.create_sheet(sheet_title(_("Failed")))
        for j, h in enumerate((_("Input file"), _("Problems")), start=1):
            safe_cell(wf, 1, j, h)
            wf.cell(row=1, column=j).font = Font(bold=True, color="FFFFFF")
            wf.cell(row=1, column=j).fill = PatternFill("solid", fgColor="B2182B")
        for r, item in enumerate(failed, start=2):
            safe_cell(wf, r, 1, Path(item.input).name)
            safe_cell(wf, r, 2, "\n".join(item.messages[:50]))
        wf.column_dimensions["A"].width, wf.column_dimensions["B"].width = 32, 120
    with atomic_path(target) as tmp:
        wb.save(tmp)
        _reproducible_xlsx(tmp, _day(assessment_date))


def portfolio_context(items: list[BatchItem], method: Method, draw, assessment_date: str | None = None) -> dict:
    """Context of the portfolio report (texts formatted by the template)."""

    lang = get_language()
    rows = ranked(items)
    codes = [m.id.upper() for m in method.modules]
    radars = []
    for i in range(0, min(len(rows), RADARS_DRAWN), RADARS_PER_PAGE):
        titles = [f"{k + 1}. {_elide(r.summary['name'])}" for k, r in enumerate(rows[i : i + RADARS_PER_PAGE], start=i)]
        radars.append(
            draw(
                "radar_grid",
                titles,
                [[r.summary["modules"].get(m.id) for m in method.modules] for r in rows[i : i + RADARS_PER_PAGE]],
                axis_labels=codes,
                alt=chart_alt.radar_grid_alt(titles),
            )
        )
    points = [
        (str(k + 1), _elide(r.summary["name"], 22), r.summary["per_capita_tco2e"], r.summary["thriving"] or 0.0) for k, r in enumerate(rows)
    ]
    scatter = (
        draw(
            "scatter",
            points,
            {"x": _("gross tCO2e per resident per year"), "y": _("Thriving pillar score"), "aim": _("aim: lower emissions, higher score")},
            alt=chart_alt.scatter_alt([(p[2], p[3]) for p in points]),
        )
        if rows
        else None
    )
    spread = [[r.summary["modules"].get(m.id) for r in rows if r.summary["modules"].get(m.id) is not None] for m in method.modules]
    dist = draw("distributions", codes, spread, _("module score"), alt=chart_alt.distributions_alt(codes, spread)) if rows else None
    totals = portfolio_totals([r.summary for r in rows])
    return {
        "lang": lang,
        "date": _day(assessment_date).date().isoformat(),
        "totals": [
            {
                "label": _(title),
                "value": number(totals[key], 2 if key.endswith("per_resident") else 0) if totals[key] is not None else "–",
                "unit": _(unit) if unit else "",
            }
            for key, title, unit in TOTALS
        ],
        "count": len(items),
        "ok": len(rows),
        "failed": [i for i in items if not i.ok],
        "rows": [
            {
                "rank": k + 1,
                "name": r.summary["name"],
                "city": r.summary["city"],
                "year": r.summary["reporting_year"],
                "population": number(r.summary["population"]),
                "per_capita": number(r.summary["per_capita_tco2e"], 2),
                "net": number(r.summary["net_tco2e"]),
                "green": score_text(r.summary["green"]) if r.summary["green"] is not None else _("not rated"),
                "thriving": score_text(r.summary["thriving"]),
                "overall": score_text(r.summary["overall"]),
                "rating": r.summary["rating_name"] or "–",
                "modules": [
                    score_text(r.summary["modules"].get(m.id)) + ("*" if m.id in r.summary.get("provisional", ()) else "")
                    for m in method.modules
                ],
            }
            for k, r in enumerate(rows[:ROWS_LISTED])
        ],
        "rows_left_out": max(0, len(rows) - ROWS_LISTED),
        "codes": codes,
        "module_names": [(m.id.upper(), m.name.get(lang)) for m in method.modules],
        "radar_pages": [r.get() for r in radars],
        "radars_left_out": max(0, len(rows) - RADARS_DRAWN),
        "scatter_labelled": charts.SCATTER_LABELLED if len(rows) > charts.SCATTER_LABELLED else None,
        "scatter": scatter.get() if scatter else None,
        "distributions": dist.get() if dist else None,
        "file_name": lambda p: Path(p).name,
    }


def write_portfolio_pdf(items: list[BatchItem], method: Method, target: Path, builder=None, assessment_date: str | None = None) -> None:
    """The portfolio report (ranking, scatter, module distributions, small-multiple radars) as a PDF."""

    own = builder is None
    builder = builder or ReportBuilder(prefork=False)
    try:
        html = render_html(portfolio_context(items, method, builder.chart, assessment_date), "portfolio.html.j2")
        metadata = {
            "title": _("Portfolio summary"),
            "subject": "Green and Thriving Neighbourhoods portfolio",
            "author": "nzn",
            "created": None,
            "epoch": int(_day(assessment_date).replace(tzinfo=dt.timezone.utc).timestamp()),  # fontTools' subset fonts
            "generator": "nzn",
            "identifier": b"nzn-portfolio",
        }
        with atomic_path(target) as tmp:
            builder.render_pdf(html, tmp, metadata, None, ())
    finally:
        if own:
            builder.close()


def shared_annex_context(entries, method: Method, depends: dict, count: int, assessment_date: str | None) -> dict:
    """Context of the batch's shared annex: the parts of the annex that are the same for every neighbourhood of the
    run (the glossary, the method and its versions, every library factor the run used, the case studies in method
    order). ``entries`` are the finished neighbourhoods' manifest entries, read one at a time."""
    lang = get_language()
    factors: dict[tuple, dict] = {}
    for entry in entries:
        for f in entry.get("library_factors", ()):
            factors.setdefault((f["id"], f["kgco2e_per_unit"], f.get("gwp_set", "")), f)
    return {
        "lang": lang,
        "count": count,
        "date": _day(assessment_date).date().isoformat(),
        "glossary": glossary(lang),
        "case_annex": case_annex(method, None, lang),
        "factors": [
            {"f": f, "label": factor_label(f["id"], f["activity"]), "id": breakable_id(f["id"]), "region": region_label(f["region"])}
            for _k, f in sorted(factors.items())
        ],
        "method_name": method.settings.name.get(lang),
        "depends": depends,
    }


def write_shared_annex(entries, method: Method, target: Path, depends: dict, count: int, assessment_date: str | None = None) -> None:
    """annex.pdf: the annex every neighbourhood's scorecard would repeat, laid out once for the batch."""
    html = render_html(shared_annex_context(entries, method, depends, count, assessment_date), "annex.html.j2")
    metadata = {
        "title": _("Shared annex"),
        "subject": "Green and Thriving Neighbourhoods batch annex",
        "author": "nzn",
        "created": None,
        "epoch": int(_day(assessment_date).replace(tzinfo=dt.timezone.utc).timestamp()),
        "generator": "nzn",
        "identifier": b"nzn-annex",
    }
    builder = ReportBuilder(prefork=False)
    try:
        with atomic_path(target) as tmp:
            builder.render_pdf(html, tmp, metadata, None, ())
    finally:
        builder.close()
