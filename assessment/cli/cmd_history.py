"""`nzn history`: a neighbourhood's recorded years from the history store, as a table, JSON or a trend PDF; and the
programme view across neighbourhoods (``--portfolio``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.markup import escape
from rich.table import Table

from assessment.cli.app import app
from assessment.cli.common import LangOption, fail, guard, out, say, stdout_write, use_language
from assessment.i18n import _

HistoryStoreOption = Annotated[
    Optional[str],
    typer.Option(
        "--store",
        help="The history store to read: a URL (sqlite:///FILE, postgresql+psycopg://USER@HOST/DB) or a .sqlite file "
        "(default: $NZN_STORE, else history.sqlite in the user data folder).",
    ),
]


@app.command("history")
@guard
def history(
    neighbourhood_id: Annotated[Optional[str], typer.Argument(help="The neighbourhood id (the Profile's neighbourhood_id).")] = None,
    store: HistoryStoreOption = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print the recorded years (or the programme view) as JSON.")] = False,
    output: Annotated[
        Optional[Path], typer.Option("--output", "-o", help="Draw the trend of every recorded year: trend.pdf or trend.html.")
    ] = None,
    portfolio: Annotated[
        bool,
        typer.Option("--portfolio", help="Every neighbourhood's latest year, its change since the previous one, and who is off track."),
    ] = False,
    lang: LangOption = None,
) -> None:
    """Show a neighbourhood's recorded years (net emissions, score, rating, method and factor versions), or draw its trend."""
    # start-up: the library loads when a command runs, not for `nzn --help`
    from assessment.store import open_store
    from assessment.store.history import history_entry, portfolio_rows

    use_language(lang)
    if portfolio == (neighbourhood_id is not None):
        fail(_("give a neighbourhood id, or --portfolio for every neighbourhood"))
    if output is not None and (portfolio or output.suffix.lower() not in (".pdf", ".html", ".htm")):
        fail(_("the trend must be .pdf or .html (for one neighbourhood), got '{name}'").format(name=output.name))
    with open_store(store, create=False) as st:
        if portfolio:
            per_place = {
                n["neighbourhood_id"]: [history_entry(r.results) for r in st.years(n["neighbourhood_id"])] for n in st.neighbourhoods()
            }
            if not per_place:
                fail(_("the store {url} holds no assessment yet").format(url=st.url))
            rows = portfolio_rows(per_place)
            if json_output:
                stdout_write(json.dumps([_portfolio_json(r) for r in rows], indent=2, ensure_ascii=False) + "\n")
            else:
                _print_portfolio(rows)
            return
        recorded = st.years(neighbourhood_id)
        if not recorded:
            fail(_("the store {url} holds no assessment of '{id}'").format(url=st.url, id=neighbourhood_id))
        entries = [history_entry(r.results) for r in recorded]
        latest_doc = recorded[-1].results
    if output is not None:
        from assessment.io.atomic import check_targets, write_bytes_atomic
        from assessment.model.method import load_method
        from assessment.report.trend import trend_html, write_trend_pdf

        check_targets([output], [])
        lang_now = _lang()
        names = {m.id: m.name.get(lang_now) for m in load_method().modules}
        if output.suffix.lower() == ".pdf":
            write_trend_pdf(entries, latest_doc, names, output)
        else:
            write_bytes_atomic(output, trend_html(entries, latest_doc, names).encode("utf-8"))
        say(True, _("wrote {path}").format(path=output))
        return
    if json_output:
        stdout_write(json.dumps([_entry_json(e) for e in entries], indent=2, ensure_ascii=False) + "\n")
        return
    _print_years(entries)


def _lang() -> str:
    from assessment.i18n import get_language

    return get_language()


def _entry_json(e: dict) -> dict:
    """One recorded year in ``nzn history --json`` (docs/store.md)."""
    keys = ("reporting_year", "gross_tco2e_per_year", "net_tco2e_per_year", "net_per_capita_tco2e_per_year", "gap_tco2e", "overall")
    return {k: e[k] for k in keys} | {
        "method_version": e["method_version"],
        "factors_version": e["factors_version"],
        "input_sha256": e["input_sha256"],
    }


def _portfolio_json(row: dict) -> dict:
    return {
        "neighbourhood_id": row["neighbourhood_id"],
        "name": row["name"],
        "years": row["years"],
        "latest": _entry_json(row["latest"]),
        "change": row["change"],
        "off_track": row["off_track"],
    }


def _print_years(entries: list[dict]) -> None:
    from assessment.numbers import number
    from assessment.store.history import version_changes

    t = Table(title=f"{entries[-1]['name']} ({entries[-1]['neighbourhood_id']})", show_edge=False)
    for col in (_("Year"), _("Net tCO2e/yr"), _("Overall"), _("Rating"), _("Method"), _("Factors")):
        t.add_column(col, justify="right" if col != _("Rating") else "left")
    for e in entries:
        t.add_row(
            str(e["reporting_year"]),
            number(e["net_tco2e_per_year"]),
            number(e["overall"]["score"], 1),
            escape(e["overall"]["rating_name"] or _("not rated")),
            escape(e["method_version"]),
            escape(e["factors_version"]),
        )
    out.print(t)
    for c in version_changes(entries):
        out.print(
            "[yellow]![/] "
            + escape(_("{before} → {year}: {note} (not like for like)").format(before=c["previous_year"], year=c["year"], note=c["note"]))
        )


def _print_portfolio(rows: list[dict]) -> None:
    from assessment.report.trend import portfolio_context

    t = Table(title=_("Programme: each neighbourhood's latest recorded year"), show_edge=False)
    for col in (_("Neighbourhood"), _("Year"), _("Net tCO2e/yr"), _("Change"), _("Overall"), _("Change"), _("Rating"), _("On track")):
        t.add_column(col)
    for p in portfolio_context(rows)["places"]:
        t.add_row(
            escape(p["id"]),
            str(p["year"]),
            p["net"],
            (p["net_change"] + (f" ({_('since')} {p['previous_year']})" if p["previous_year"] else ""))
            + (" ⚠" if p["versions_changed"] else ""),
            p["score"],
            p["score_change"],
            escape(p["rating"]),
            "[red]" + _("off track") + "[/]" if p["off_track"] else "[green]" + _("on track") + "[/]",
        )
    out.print(t)
    if any(p["versions_changed"] for p in portfolio_context(rows)["places"]):
        out.print("[yellow]⚠[/] " + escape(_("the method or factors changed since the previous year: that change is not like for like")))
