"""`nzn batch`: many neighbourhoods at once, each assessed the same way, and a portfolio summary."""

from __future__ import annotations

import datetime as dt
from contextlib import nullcontext
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from assessment.cli.app import app
from assessment.cli.common import (
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_TERMINATED,
    DateOption,
    GwpOption,
    LangOption,
    MethodOption,
    QuietOption,
    check_date,
    check_gwp,
    console,
    fail,
    guard,
    use_language,
)
from assessment.errors import Terminated
from assessment.i18n import _


@app.command("batch")
@guard
def batch(
    inputs: Annotated[list[str], typer.Argument(help="Input files, folders (their .xlsx/.json/.yaml files) or glob patterns.")],
    outdir: Annotated[
        Path, typer.Option("--output", "-o", help="Folder for the reports, results JSON and the portfolio summary.", file_okay=False)
    ],
    jobs: Annotated[Optional[int], typer.Option("--jobs", "-j", help="Worker processes (default: the machine's cores).", min=1)] = None,
    dask_scheduler: Annotated[
        Optional[str],
        typer.Option("--dask-scheduler", help='Address of a Dask distributed scheduler to run the tasks on (pip install "nzn[dask]").'),
    ] = None,
    date: DateOption = None,
    quiet: QuietOption = False,
    no_pdf: Annotated[
        bool, typer.Option("--no-pdf", help="Write only the results JSON of each neighbourhood (and the portfolio files).")
    ] = False,
    lang: LangOption = None,
    method: MethodOption = None,
    gwp: GwpOption = None,
) -> None:
    """Assess many inputs: a PDF and results JSON each, plus portfolio.xlsx and portfolio.pdf. Exit 1 if any input failed."""
    # start-up: the library loads when a command runs, not for `nzn --help`
    from assessment.io.atomic import check_targets
    from assessment.model.method import load_method
    from assessment.portfolio.batch import (
        collect_inputs,
        default_jobs,
        duplicate_identities,
        identify_all,
        output_names,
        planned_outputs,
        run_dask,
        run_local,
    )
    from assessment.portfolio.outputs import write_portfolio_pdf, write_portfolio_xlsx

    use_language(lang)
    check_date(date)
    gwp = check_gwp(gwp)
    paths, unmatched = collect_inputs(inputs)
    for spec in unmatched:
        console.print("[yellow]![/] " + escape(_("no input matches '{spec}'").format(spec=spec)))
    if not paths:
        fail(_("no input files found"))
    if outdir.exists() and not outdir.is_dir():
        fail(_("{path} is not a folder").format(path=outdir))
    the_method = load_method(method)
    workers = jobs or default_jobs()
    # one neighbourhood once: two inputs with the same id and year would be counted twice in the portfolio
    duplicates = duplicate_identities(paths, identify_all([str(p) for p in paths], workers, str(method) if method else None))
    if duplicates:
        fail(
            "\n".join(
                _(
                    "{files} are the same neighbourhood (id '{id}', reporting year {year}); "
                    "give each its own neighbourhood_id, or assess them in separate batches"
                ).format(files=", ".join(str(p) for p in group), id=ident[0], year=ident[1])
                for ident, group in duplicates
            )
            + "\n"
            + _("nothing was written")
        )
    outdir.mkdir(parents=True, exist_ok=True)
    tasks = [(str(p), str(outdir), name) for p, name in zip(paths, output_names(paths))]
    # no report, JSON or portfolio file may replace an input, whatever its name
    check_targets(planned_outputs(tasks, pdf=not no_pdf), paths)
    options = {
        "lang": lang or "",
        "method_dir": str(method) if method else None,
        "assessment_date": date or dt.date.today().isoformat(),
        "pdf": not no_pdf,
        "gwp": gwp,
    }

    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[state]}"),
        TimeElapsedColumn(),
        TextColumn("{task.fields[rate]}"),
        console=console,
        disable=quiet,
        transient=False,
    )
    counts = {"done": 0, "failed": 0}
    with progress:
        task_id = progress.add_task(_("assessing"), total=len(tasks), state="", rate="")

        def on_done(item) -> None:
            counts["done" if item.ok else "failed"] += 1
            finished = counts["done"] + counts["failed"]
            elapsed = progress.tasks[0].elapsed or 1e-9
            progress.update(
                task_id,
                advance=1,
                rate=_("{rate:.2f} inputs/s").format(rate=finished / elapsed),
                state=_("done {done} · failed {failed} · remaining {left}").format(
                    done=counts["done"], failed=counts["failed"], left=len(tasks) - finished
                ),
            )

        try:
            if dask_scheduler:
                items = run_dask(tasks, dask_scheduler, options, on_done)
            else:
                items = run_local(tasks, min(workers, len(tasks)), options, on_done)
        except KeyboardInterrupt as exc:
            progress.stop()
            finished = counts["done"] + counts["failed"]
            fail(
                _(
                    "interrupted after {n} of {total} inputs: the reports of the {done} assessed are kept in {dir}; the portfolio summary "
                    "was not written"
                ).format(n=finished, total=len(tasks), done=counts["done"], dir=outdir),
                EXIT_TERMINATED if isinstance(exc, Terminated) else EXIT_INTERRUPTED,
            )
    with console.status(_("writing the portfolio summary")) if not quiet else nullcontext():
        write_portfolio_xlsx(items, the_method, outdir / "portfolio.xlsx")
        write_portfolio_pdf(items, the_method, outdir / "portfolio.pdf")
    failed = [i for i in items if not i.ok]
    if not quiet:
        console.print(
            "[green]✓[/] "
            + escape(
                _("{ok} of {total} assessed; portfolio.xlsx and portfolio.pdf written to {dir}").format(
                    ok=len(items) - len(failed), total=len(items), dir=outdir
                )
            )
        )
    if failed:
        table = Table(title=_("Inputs that could not be assessed"), show_lines=True)
        table.add_column(_("Input file"))
        table.add_column(_("Problems"))
        for item in failed:
            shown = list(item.messages[:10]) + (
                [_("... and {n} more").format(n=len(item.messages) - 10)] if len(item.messages) > 10 else []
            )
            table.add_row(escape(Path(item.input).name), escape("\n".join(shown)))
        console.print(table)
        raise typer.Exit(EXIT_FAILED)
