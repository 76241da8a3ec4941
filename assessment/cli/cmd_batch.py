"""`nzn batch`: many neighbourhoods at once, each assessed the same way, and a portfolio summary."""

from __future__ import annotations

import datetime as dt
import json
import time
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
    ReplaceOption,
    StoreOption,
    check_date,
    check_gwp,
    console,
    fail,
    guard,
    raise_lost_interrupt,
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
    store: StoreOption = None,
    replace: ReplaceOption = False,
    resume: Annotated[
        bool,
        typer.Option(
            "--resume",
            help="Keep the neighbourhoods an earlier run of this batch finished (manifest/<name>.json: same input digest, "
            "method, factors and options, outputs intact) and assess the rest.",
        ),
    ] = False,
    json_progress: Annotated[
        bool,
        typer.Option(
            "--json-progress",
            help="Print one JSON line per event on standard output (start, done, failed, finish) for a scheduler, instead of the "
            "progress bar.",
        ),
    ] = False,
    shared_annex: Annotated[
        bool,
        typer.Option(
            "--shared-annex",
            help="Leave the annex out of each neighbourhood's PDF and write what is the same for all of them (method, factors, "
            "glossary, case studies) once, as annex.pdf beside the portfolio.",
        ),
    ] = False,
) -> None:
    """Assess many inputs: a PDF, results JSON and manifest entry each, plus portfolio.xlsx and portfolio.pdf. Exit 1 if any
    input failed, 2 if two inputs are the same neighbourhood (id and reporting year) or an output would replace an input."""
    # start-up: the library loads when a command runs, not for `nzn --help`
    from assessment.emissions.factors import load_factors
    from assessment.io.atomic import check_targets
    from assessment.model.method import load_method
    from assessment.portfolio.batch import (
        collect_inputs,
        default_jobs,
        duplicate_identities,
        finished_before,
        identify_all,
        output_names,
        planned_outputs,
        progress_figures,
        run_dask,
        run_local,
        with_key_figures,
    )
    from assessment.portfolio.manifest import read_entry, read_run_record, versions, write_run_record
    from assessment.portfolio.outputs import write_portfolio_pdf, write_portfolio_xlsx, write_shared_annex

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
    if store is not None:
        from assessment.store import open_store

        open_store(store).close()  # a store that cannot be opened is reported before the batch runs, not after
    elif replace:
        fail(_("--replace goes with --store (the history store to record in)"))
    workers = jobs or default_jobs()
    tasks = [(str(p), str(outdir), name) for p, name in zip(paths, output_names(paths))]
    if resume and date is None:  # the date the interrupted run printed on its reports, so they stay as they are
        date = read_run_record(outdir).get("assessment_date")
    options = {
        "lang": lang or "",
        "method_dir": str(method) if method else None,
        "assessment_date": date or dt.date.today().isoformat(),
        "pdf": not no_pdf,
        "gwp": gwp,
        "shared_annex": shared_annex,
        "store": store,  # each scorecard's "since last year" line reads the neighbourhood's previous year from it
    }
    depends = versions(the_method, load_factors())
    earlier = [finished_before(t, options, depends) if resume else None for t in tasks]
    # one neighbourhood once: two inputs with the same id and year would be counted twice in the portfolio
    unknown = [i for i, e in enumerate(earlier) if e is None]
    found = iter(identify_all([tasks[i][0] for i in unknown], workers, options["method_dir"]))
    identities = [tuple(read_entry(outdir, t[2])["identity"]) if e is not None else next(found) for t, e in zip(tasks, earlier)]
    duplicates = duplicate_identities(paths, identities)
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
    # no report, JSON or portfolio file may replace an input, whatever its name
    check_targets(planned_outputs(tasks, pdf=not no_pdf) + ([outdir / "annex.pdf"] if shared_annex else []), paths)
    write_run_record(outdir, {"assessment_date": options["assessment_date"]})
    todo = [i for i, e in enumerate(earlier) if e is None]
    skipped = len(tasks) - len(todo)

    def emit(event: str, **fields) -> None:
        if json_progress:
            print(json.dumps({"event": event, **fields}, ensure_ascii=False), flush=True)

    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[state]}"),
        TimeElapsedColumn(),
        TextColumn("{task.fields[rate]}"),
        console=console,
        disable=quiet or json_progress,
        transient=False,
    )
    counts = {"done": 0, "failed": 0}
    started = time.monotonic()
    emit("start", total=len(tasks), skipped=skipped, todo=len(todo), jobs=None if dask_scheduler else min(workers, max(1, len(todo))))
    with progress:
        task_id = progress.add_task(_("assessing"), total=len(todo), state="", rate="")

        def on_done(item) -> None:
            counts["done" if item.ok else "failed"] += 1
            fig = progress_figures(counts["done"], counts["failed"], len(todo), time.monotonic() - started, dt.datetime.now().astimezone())
            emit(
                "done" if item.ok else "failed",
                input=item.input,
                name=item.name,
                **fig,
                **({} if item.ok else {"messages": list(item.messages[:10])}),
            )
            progress.update(
                task_id,
                advance=1,
                rate=_("{rate:.1f} inputs/min · finish about {eta}").format(rate=fig["per_minute"] or 0.0, eta=(fig["eta"] or "–")[11:16]),
                state=_("done {done} · failed {failed} · remaining {left}").format(
                    done=fig["done"], failed=fig["failed"], left=fig["remaining"]
                ),
            )
            raise_lost_interrupt()  # a SIGTERM / Ctrl-C Python could not raise where it landed stops the batch here

        try:
            run = [tasks[i] for i in todo]
            if not run:
                ran = []
            elif dask_scheduler:
                ran = run_dask(run, dask_scheduler, options, on_done)
            else:
                ran = run_local(run, min(workers, len(run)), options, on_done)
        except KeyboardInterrupt as exc:
            progress.stop()
            finished = counts["done"] + counts["failed"]
            emit("interrupted", done=counts["done"], failed=counts["failed"], remaining=len(todo) - finished)
            fail(
                _(
                    "interrupted after {n} of {total} inputs: the reports of the {done} assessed are kept in {dir}; the portfolio summary "
                    "was not written (run the same command with --resume to finish it)"
                ).format(n=finished + skipped, total=len(tasks), done=counts["done"] + skipped, dir=outdir),
                EXIT_TERMINATED if isinstance(exc, Terminated) else EXIT_INTERRUPTED,
            )
    by_index = dict(zip(todo, ran))
    items = with_key_figures([earlier[i] if earlier[i] is not None else by_index[i] for i in range(len(tasks))], outdir)
    with console.status(_("writing the portfolio summary")) if not (quiet or json_progress) else nullcontext():
        write_portfolio_xlsx(items, the_method, outdir / "portfolio.xlsx", options["assessment_date"])
        write_portfolio_pdf(items, the_method, outdir / "portfolio.pdf", assessment_date=options["assessment_date"])
        if shared_annex:
            entries = (read_entry(outdir, i.name) or {} for i in items if i.ok)  # one at a time, not all in memory
            count = sum(1 for i in items if i.ok)
            write_shared_annex(entries, the_method, outdir / "annex.pdf", depends, count, options["assessment_date"])
    if store is not None:
        _record(items, store, replace, quiet or json_progress)
    failed = [i for i in items if not i.ok]
    written = ["portfolio.xlsx", "portfolio.pdf"] + (["annex.pdf"] if shared_annex else [])
    emit(
        "finish",
        done=len(items) - len(failed),
        failed=len(failed),
        skipped=skipped,
        total=len(items),
        elapsed_s=round(time.monotonic() - started, 1),
        outputs=written,
    )
    if not quiet and not json_progress:
        console.print(
            "[green]✓[/] "
            + escape(
                _("{ok} of {total} assessed ({skipped} kept from the earlier run); {files} written to {dir}").format(
                    ok=len(items) - len(failed), total=len(items), skipped=skipped, files=", ".join(written), dir=outdir
                )
                if skipped
                else _("{ok} of {total} assessed; {files} written to {dir}").format(
                    ok=len(items) - len(failed), total=len(items), files=", ".join(written), dir=outdir
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


def _record(items, store: str, replace: bool, quiet: bool) -> None:
    """``--store``: record every assessed neighbourhood's results JSON (as written to the output folder) in one
    transaction, all or none; a year already recorded refuses the lot (exit 2) unless ``--replace``."""
    from assessment.store import open_store

    paths = [Path(o) for i in items if i.ok for o in i.outputs if o.endswith(".json")]
    with open_store(store) as st:
        st.record(_Texts(paths), replace=replace)
    if not quiet:
        console.print("[green]✓[/] " + escape(_("recorded {n} assessments in the store {url}").format(n=len(paths), url=st.url)))


class _Texts:
    """The results JSON files of a batch, each read when the store comes to it (and read again if its write is
    retried): the batch never holds every document at once."""

    def __init__(self, paths: list[Path]):
        self.paths = paths

    def __iter__(self):
        return (p.read_text(encoding="utf-8") for p in self.paths)
