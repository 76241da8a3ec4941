"""Assess many neighbourhoods the same way: locally in worker processes, or on a Dask cluster.

One task per input (:func:`assess_one`), the same function everywhere: it reads,
validates and assesses the input and writes ``<name>.pdf`` and ``<name>.json``
into the output folder (atomically), returning a small :class:`BatchItem` with
the key figures for the portfolio summary, or the validation messages. Local
workers import the heavy libraries once, in their initializer, not once per file.
"""

from __future__ import annotations

import datetime as dt
import glob
import multiprocessing
import os
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from multiprocessing.connection import wait as mp_wait
from pathlib import Path
from typing import Callable, Iterable, Iterator

from assessment.checks import validate_input
from assessment.emissions.factors import load_factors
from assessment.errors import InputInvalid, NznError
from assessment.i18n import language
from assessment.io.atomic import output_batch, remove_stale_parts, write_bytes_atomic
from assessment.io.load import read_input
from assessment.model.method import load_method
from assessment.pipeline import assess, results_json
from assessment.portfolio.manifest import read_entry, still_valid, versions, write_entry
from assessment.report import charts, write_reports
from assessment.report.render import precompile_templates, preload_fonts, release_fonts
from assessment.report.worker import become_helper, give_back_memory, settle

INPUT_SUFFIXES = (".xlsx", ".json", ".yaml", ".yml")


@dataclass(frozen=True)
class BatchItem:
    """What one task returns: the key figures of an assessed input, or why it failed."""

    input: str
    name: str
    ok: bool
    outputs: tuple[str, ...] = ()
    messages: tuple[str, ...] = ()
    summary: dict = field(default_factory=dict)


def collect_inputs(specs: Iterable[str]) -> tuple[list[Path], list[str]]:
    """Files, folders (their input files, not recursive) and glob patterns -> sorted unique paths; and specs that matched nothing."""
    found: dict[str, Path] = {}
    unmatched: list[str] = []
    for spec in specs:
        p = Path(spec)
        if p.is_dir():
            paths = [
                q for q in sorted(p.iterdir()) if q.is_file() and q.suffix.lower() in INPUT_SUFFIXES and not q.name.startswith(("~$", "."))
            ]
        elif p.exists():
            paths = [p]
        else:
            paths = [Path(g) for g in sorted(glob.glob(spec)) if Path(g).is_file()]
        if not paths:
            unmatched.append(spec)
        for q in paths:
            found.setdefault(str(q.resolve()), q)
    return sorted(found.values(), key=lambda q: str(q)), unmatched


#: Stems of the files a batch writes beside the neighbourhoods' reports; no neighbourhood's report takes one.
RESERVED_STEMS = ("portfolio", "annex")


def output_names(paths: list[Path]) -> list[str]:
    """A distinct output stem per input: the file stem, with the folder name added when two stems clash, and a
    number added when a stem is still taken (by another input or by the portfolio files)."""
    stems = [p.stem for p in paths]
    counts: dict[str, int] = {}
    for stem in stems:
        counts[stem] = counts.get(stem, 0) + 1
    names = [stem if counts[stem] == 1 else f"{p.parent.name}-{stem}" for p, stem in zip(paths, stems)]
    seen: dict[str, int] = dict.fromkeys(RESERVED_STEMS, 1)
    unique = []
    for n in names:
        seen[n] = seen.get(n, 0) + 1
        unique.append(n if seen[n] == 1 else f"{n}-{seen[n]}")
    return unique


def planned_outputs(tasks: list[Task], pdf: bool = True, with_portfolio: bool = True) -> list[Path]:
    """Every file the batch will write: each neighbourhood's report and JSON, then the portfolio files."""
    out = [Path(outdir) / f"{name}{suffix}" for _path, outdir, name in tasks for suffix in ((".pdf", ".json") if pdf else (".json",))]
    if with_portfolio and tasks:
        out += [Path(tasks[0][1]) / f"portfolio{suffix}" for suffix in (".xlsx", ".pdf")]
    return out


Identity = tuple[str, int]  # (neighbourhood id, reporting year)


def identify(path: str, method_dir: str | None = None) -> Identity | None:
    """The neighbourhood id and reporting year an input declares; None when the input cannot be read that far (its
    assessment then reports why)."""
    try:
        profile = read_input(path, load_method(method_dir)).model.profile
        return (profile.neighbourhood_id, profile.reporting_year) if profile is not None and profile.neighbourhood_id else None
    except Exception:  # an unreadable input is not a duplicate; the batch reports its problems
        return None


def identify_all(paths: list[str], jobs: int, method_dir: str | None = None) -> list[Identity | None]:
    """:func:`identify` for each path, in order, spread over ``jobs`` processes when there are many (about 50 ms a
    workbook: 10,000 inputs would keep one process busy for eight minutes)."""
    if jobs <= 1 or len(paths) < 4 * jobs or "fork" not in multiprocessing.get_all_start_methods():
        return [identify(p, method_dir) for p in paths]
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork"), initializer=become_helper)
    try:
        found = list(pool.map(identify, paths, [method_dir] * len(paths), chunksize=max(1, len(paths) // (8 * jobs))))
    except BaseException:  # Ctrl-C or SIGTERM: stop now, not after every file is read
        _kill(pool)
        raise
    pool.shutdown(wait=True)
    return found


def duplicate_identities(paths: list[Path], identities: list[Identity | None]) -> list[tuple[Identity, list[Path]]]:
    """Groups of two or more inputs that declare the same neighbourhood id and reporting year (a portfolio would
    count that neighbourhood twice), in input order."""
    groups: dict[Identity, list[Path]] = {}
    for path, ident in zip(paths, identities):
        if ident is not None:
            groups.setdefault(ident, []).append(path)
    return [(ident, group) for ident, group in groups.items() if len(group) > 1]


def warm_up() -> None:
    """Worker initializer: a helper of the batch (ends with it, leaves Ctrl-C to it), with everything heavy loaded once."""
    become_helper()
    prepare_worker()


_prepared = False


def prepare_worker() -> None:
    """Load everything heavy once in a worker (local or Dask) and freeze it out of the garbage collector's scans
    (report.worker.settle), before its first task. Once per process: local workers forked from a prepared parent
    (:func:`run_local`) inherit it all."""
    global _prepared
    if _prepared:
        return
    import weasyprint  # noqa: F401  (start-up: loaded in each worker before its first task, not by `nzn batch --help`)

    load_method()
    load_factors()
    charts.warm_up()
    precompile_templates()
    preload_fonts()
    settle()
    _prepared = True


def _summary(result) -> dict:
    e = result.emissions
    return {
        "neighbourhood_id": result.profile.neighbourhood_id,
        "name": result.profile.name,
        "city": result.profile.city,
        "country": result.profile.country,
        "reporting_year": result.profile.reporting_year,
        "population": result.profile.population,
        "gross_tco2e": e.gross_tco2e_per_year,
        "net_tco2e": e.net_tco2e_per_year,
        "removals_tco2e": e.removals_tco2e_per_year,
        "per_capita_tco2e": e.per_capita_tco2e_per_year,
        "net_per_capita_tco2e": e.net_per_capita_tco2e_per_year,
        "operational_tco2e": e.by_category["operational"].tco2e_per_year,
        "embodied_tco2e": e.by_category["embodied"].tco2e_per_year,
        "consumption_tco2e": e.by_category["consumption"].tco2e_per_year,
        "green": result.pillars["green"].score,
        "thriving": result.pillars["thriving"].score,
        "overall": result.overall.score,
        "rating": result.overall.rating,
        "rating_name": result.overall.rating_name,
        "modules": {m.id: m.score for m in result.modules},
        "provisional": sorted(m.id for m in result.modules if m.provisional and m.score is not None),
        "coverage": sum(m.coverage for m in result.modules) / len(result.modules) if result.modules else 0.0,
        "gap_tco2e": None if e.trajectory.baseline_is_reporting_year else e.trajectory.gap_tco2e,
    }


def _library_factors(result) -> list[dict]:
    """The library factors behind the result's lines and removals (not the workbook's overrides), for the shared annex."""
    e = result.emissions
    used = {li.factor_id for li in e.line_items} | {rm.factor_id for rm in e.removal_items}
    return [f.model_dump(mode="json") for f in e.factors_used if f.id in used and not f.overridden]


def assess_one(
    path: str,
    outdir: str,
    name: str,
    lang: str = "en",
    method_dir: str | None = None,
    assessment_date: str | None = None,
    pdf: bool = True,
    gwp: str | None = None,
    shared_annex: bool = False,
    store: str | None = None,
) -> BatchItem:
    """Assess one input, write its report and results JSON, then its manifest entry; never raises for a bad input.
    With ``store`` (``nzn batch --store``), the scorecard's "since last year" line compares with the neighbourhood's
    latest year recorded there before this one, as ``nzn assess --store`` does."""
    try:
        method, factors = load_method(method_dir), load_factors()
        loaded = validate_input(path, method, factors=factors)
        with language(lang if lang else (loaded.template_language or "en")):
            result = assess(loaded, method, factors, gwp=gwp)
            text = results_json(result)
            out = Path(outdir)
            json_path, pdf_path = out / f"{name}.json", out / f"{name}.pdf"
            outputs = [pdf_path, json_path] if pdf else [json_path]
            date = assessment_date or dt.date.today().isoformat()
            with output_batch(outputs, [Path(path)]):  # the report and the JSON of one neighbourhood: both or neither
                if pdf:
                    previous = previous_year(store, result) if store is not None else None
                    write_reports(result, method, [pdf_path], Path(path).name, date, annex=not shared_annex, previous=previous)
                write_bytes_atomic(json_path, text.encode("utf-8"))
            summary = _summary(result)
            options = {"lang": lang, "assessment_date": date, "pdf": pdf, "gwp": gwp, "shared_annex": shared_annex}
            identity = (result.profile.neighbourhood_id, result.profile.reporting_year)
            write_entry(
                outdir, name, path, loaded.sha256, identity, versions(method, factors), options, outputs, summary, _library_factors(result)
            )
        return BatchItem(input=path, name=name, ok=True, outputs=tuple(map(str, outputs)), summary=summary)
    except InputInvalid as exc:
        return BatchItem(input=path, name=name, ok=False, messages=tuple(str(i) for i in exc.issues))
    except NznError as exc:
        return BatchItem(input=path, name=name, ok=False, messages=(str(exc),))
    except Exception as exc:  # a bug must not stop the other inputs; it is reported like a failure
        return BatchItem(input=path, name=name, ok=False, messages=(f"internal error: {type(exc).__name__}: {exc}",))
    finally:
        give_back_memory()


def previous_year(store: str, result) -> dict | None:
    """The history entry of the neighbourhood's latest year recorded in ``store`` before the result's (None: none)."""
    from assessment.store import open_store
    from assessment.store.history import previous_entry

    with open_store(store) as history:
        return previous_entry(history, result.profile.neighbourhood_id, result.profile.reporting_year)


def finished_before(task: Task, options: dict, depends: dict) -> BatchItem | None:
    """With ``--resume``: the item of an input a previous run finished, when its manifest entry still matches the
    input, the versions and the options and its outputs are intact; None when it must be assessed (again)."""
    path, outdir, name = task
    planned = planned_outputs([task], pdf=options.get("pdf", True), with_portfolio=False)
    entry = read_entry(outdir, name)
    if not still_valid(entry, path, planned, depends, options):
        return None
    return BatchItem(input=path, name=name, ok=True, outputs=tuple(map(str, planned)), summary=entry["key_figures"])


def with_key_figures(items: list[BatchItem], outdir: str | Path) -> list[BatchItem]:
    """The batch's items with the key figures of each assessed one read back from its manifest entry: the portfolio
    is built from the manifests, so it is the same whether the batch ran once or was resumed. An entry that cannot be
    read any more counts as failed."""
    out = []
    for item in items:
        if not item.ok:
            out.append(item)
            continue
        entry = read_entry(outdir, item.name)
        if entry is None:
            out.append(BatchItem(input=item.input, name=item.name, ok=False, messages=(MANIFEST_LOST,)))
        else:
            out.append(BatchItem(input=item.input, name=item.name, ok=True, outputs=item.outputs, summary=entry["key_figures"]))
    return out


MANIFEST_LOST = "assessed, but its manifest entry (manifest/<name>.json) could not be read back for the portfolio"


def slim(item: BatchItem) -> BatchItem:
    """What the submitting process keeps of a finished item while the batch runs: no key figures (they are in the
    manifest entry), so its memory does not grow with them."""
    return item if not item.ok else BatchItem(input=item.input, name=item.name, ok=True, outputs=item.outputs)


def progress_figures(done: int, failed: int, total: int, elapsed_s: float, now: dt.datetime) -> dict:
    """Done / failed / remaining, inputs per minute over this run so far, and the finish time that rate gives
    (None before the first input has finished)."""
    finished = done + failed
    remaining = max(0, total - finished)
    per_minute = finished / elapsed_s * 60.0 if finished and elapsed_s > 0 else None
    eta = now + dt.timedelta(minutes=remaining / per_minute) if per_minute else None
    return {
        "done": done,
        "failed": failed,
        "remaining": remaining,
        "total": total,
        "per_minute": round(per_minute, 2) if per_minute is not None else None,
        "eta": eta.replace(microsecond=0).isoformat() if eta is not None else None,
    }


Task = tuple[str, str, str]  # (input path, output folder, output name)

#: Workers are forked where the platform can (they then share what the parent loaded); elsewhere the default start.
_FORK = multiprocessing.get_context("fork") if "fork" in multiprocessing.get_all_start_methods() else None
_FORK_PER_TASK = _FORK is not None  # a process per input (run_local); a module attribute so a test can try the pool


CRASHED = "the worker process assessing this input ended abruptly (a native crash, or killed for memory); the other inputs were assessed"


def run_local(tasks: list[Task], jobs: int, options: dict, on_done: Callable[[BatchItem], None], isolate: bool = True) -> list[BatchItem]:
    """Run tasks in ``jobs`` processes at a time, in input order; with one job and ``isolate`` false, in this process.

    Where the platform forks, each input is assessed in its own process forked from this one once the heavy libraries
    are loaded here (:func:`_run_forked`); elsewhere in a pool of workers replaced every TASKS_PER_WORKER tasks
    (:func:`_run_pooled`). Either way an input whose process dies (a native abort, the OS killing it for memory) is
    recorded as failed and the others are assessed.
    """
    results: dict[int, BatchItem] = {}

    def record(i: int, item: BatchItem) -> None:
        results[i] = slim(item)
        on_done(item)

    if jobs <= 1 and not isolate:
        for i, task in enumerate(tasks):
            record(i, assess_one(*task, **options))
    elif _FORK_PER_TASK:
        _run_forked(tasks, jobs, options, record)
    else:
        _run_pooled(tasks, jobs, options, record, results)
    return [results[i] for i in range(len(tasks))]


def _run_forked(tasks: list[Task], jobs: int, options: dict, record: Callable[[int, BatchItem], None]) -> None:
    """Each input in a process of its own, forked from this one after :func:`prepare_worker`, at most ``jobs`` at once.

    The child shares every page this process loaded (copy-on-write; the frozen objects are not rescanned, so most stay
    shared) and ends with its input, so nothing a report leaves behind (layout caches, allocator fragmentation) is
    carried to the next one: a process's memory is one report's at most, whatever the number of inputs. Measured,
    30 generated inputs, 2 at once, PDF with the annex shared (benchmarks/batch_scale.py): peak PSS of the process tree
    392 MB with workers kept for 25 tasks, 338 MB with a process per input; wall time 87 s against 93 s (no worker
    waits for its pool's last task). A fork costs milliseconds against about 5 s of work. A process that ends without
    an answer is the input's own failure (CRASHED). Ctrl-C or SIGTERM kills the processes in flight and removes what
    they had begun to write."""
    prepare_worker()
    queue = iter(range(len(tasks)))
    running: dict[int, tuple] = {}  # task -> (process, the read end of its answer pipe)

    def start_next() -> None:
        i = next(queue, None)
        if i is None:
            return
        recv, send = _FORK.Pipe(duplex=False)
        proc = _FORK.Process(target=_assess_in_child, args=(send, tasks[i], options), daemon=True)
        proc.start()
        send.close()
        running[i] = (proc, recv)

    try:
        for _ in range(jobs):
            start_next()
        while running:
            ready = set(mp_wait([r for _p, r in running.values()] + [p.sentinel for p, _r in running.values()]))
            for i, (proc, recv) in list(running.items()):
                if recv not in ready and proc.sentinel not in ready:
                    continue
                try:
                    item = recv.recv()
                except (EOFError, OSError):  # it ended without an answer
                    item = None
                proc.join()
                recv.close()
                del running[i]
                if item is None:
                    _clear_parts(tasks, [i])
                    item = _crashed(tasks[i])
                record(i, item)
                start_next()
    except BaseException:  # Ctrl-C or SIGTERM: stop the children now, keep what finished, leave no partial file
        for proc, _recv in running.values():
            proc.kill()
        for proc, _recv in running.values():
            proc.join()
        _clear_parts(tasks, list(running))
        raise


def _crashed(task: Task) -> BatchItem:
    """The item of an input whose process ended without an answer."""
    path, _outdir, name = task
    return BatchItem(input=path, name=name, ok=False, messages=(CRASHED,))


def _assess_in_child(conn, task: Task, options: dict) -> None:
    """The body of :func:`_run_forked`'s child: a helper of the batch (ends with it, leaves Ctrl-C to it) that assesses
    one input, sends its item back and leaves at once (an interpreter shutdown would only add time)."""
    become_helper()
    path, _outdir, name = task
    try:
        item = assess_one(*task, **options)
    except BaseException as exc:  # assess_one never raises for an input; this is a bug, reported like a failure
        item = BatchItem(input=path, name=name, ok=False, messages=(f"internal error: {exc!r}",))
    conn.send(item)
    conn.close()
    release_fonts()  # only if this child made its own font configuration: the parent's copies stay for the next inputs
    os._exit(0)


def _run_pooled(
    tasks: list[Task], jobs: int, options: dict, record: Callable[[int, BatchItem], None], results: dict[int, BatchItem]
) -> None:
    """Where processes cannot be forked: a pool of ``jobs`` workers (each warmed up once), a fresh pool every
    TASKS_PER_WORKER tasks per worker. A worker that dies breaks its pool: the inputs it may have been assessing are
    run again one at a time, each in a fresh worker, so the one that crashes is recorded as failed and the others are
    assessed; the inputs not yet started go to a new pool."""
    todo = list(range(len(tasks)))
    while todo:
        window = todo[: jobs * TASKS_PER_WORKER]
        suspects = _run_pool(tasks, window, jobs, options, record)
        _clear_parts(tasks, suspects)  # the pool's other workers were killed with it, perhaps mid-write
        for i in suspects:  # alone in a fresh worker: the one that crashes again is the culprit
            if _run_pool(tasks, [i], 1, options, record):
                _clear_parts(tasks, [i])
                record(i, _crashed(tasks[i]))
        todo = [i for i in todo if i not in results]


#: Tasks a worker runs before it is replaced by a fresh one (Dask workers, and local workers where processes cannot be
#: forked; a forked local batch gives each input a process of its own). Measured (one worker, 30 sample reports with PDFs,
#: psutil RSS after each): 131 MB after warm-up, 252 MB after the first report, then +1.4 MB a report for ten
#: reports and +0.5 MB a report after (matplotlib, WeasyPrint and fontTools caches, and allocator fragmentation).
#: After 25 tasks a worker has grown by at most ~30 MB; its replacement costs one warm-up (about 2 core-seconds,
#: under 1% of 25 reports).
TASKS_PER_WORKER = 25


def _run_pool(tasks: list[Task], indices: list[int], jobs: int, options: dict, record: Callable[[int, BatchItem], None]) -> list[int]:
    """Run ``indices`` in one pool of worker processes, at most ``jobs`` in flight; the indices in flight when a worker
    died (empty when none did). Inputs never submitted are left for the caller."""
    pool = ProcessPoolExecutor(max_workers=min(jobs, len(indices)), mp_context=_FORK, initializer=warm_up)
    queue = iter(indices)
    inflight: dict = {}

    def submit_next() -> None:
        i = next(queue, None)
        if i is not None:
            inflight[pool.submit(assess_one, *tasks[i], **options)] = i

    try:
        for _ in range(jobs):
            submit_next()
        while inflight:
            done, _pending = wait(inflight, return_when=FIRST_COMPLETED)
            for fut in done:
                i = inflight.pop(fut)
                exc = fut.exception()
                if isinstance(exc, BrokenProcessPool):
                    suspects = [i, *inflight.values()]
                    pool.shutdown(wait=True, cancel_futures=True)
                    return suspects
                path, _outdir, name = tasks[i]
                record(
                    i, fut.result() if exc is None else BatchItem(input=path, name=name, ok=False, messages=(f"internal error: {exc!r}",))
                )
                submit_next()
    except BaseException:  # Ctrl-C or SIGTERM: stop the workers now, keep what finished, leave no partial file
        _kill(pool)
        _clear_parts(tasks, list(inflight.values()))
        raise
    pool.shutdown(wait=True)
    return []


def _clear_parts(tasks: list[Task], indices: list[int]) -> None:
    """Remove what killed workers may have left of these tasks' outputs (their .part files)."""
    for target in planned_outputs([tasks[i] for i in indices], with_portfolio=False):
        remove_stale_parts(target)


def _kill(pool: ProcessPoolExecutor) -> None:
    for proc in list((getattr(pool, "_processes", None) or {}).values()):
        proc.kill()
    pool.shutdown(wait=False, cancel_futures=True)


def run_dask(tasks: list[Task], scheduler: str, options: dict, on_done: Callable[[BatchItem], None]) -> list[BatchItem]:
    """Submit the same per-input task to an existing Dask distributed cluster and gather the results.

    At most two tasks per worker thread are in flight (a national run does not put 10,000 futures and their results
    in the scheduler's memory), each result is released once recorded, and after TASKS_PER_WORKER tasks per worker
    thread the workers are restarted (``Client.restart``: workers started by ``dask worker`` or a LocalCluster have
    a nanny that starts a fresh process), as local workers are recycled.
    """
    try:
        from dask.distributed import Client  # an optional extra, imported only when a scheduler is given
        from dask.distributed import as_completed as dask_completed
    except ImportError:
        raise NznError('--dask-scheduler needs dask.distributed: pip install "nzn[dask]"') from None
    results: dict[int, BatchItem] = {}
    with Client(scheduler) as client:
        threads = max(1, sum(client.nthreads().values()))
        client.run(prepare_worker)
        index: dict[str, int] = {}  # future key -> task, for the futures in flight
        todo = list(range(len(tasks)))
        while todo:
            window, todo = todo[: threads * TASKS_PER_WORKER], todo[threads * TASKS_PER_WORKER :]
            queue = iter(window)

            def submit(i: int):
                path, outdir, name = tasks[i]
                fut = client.submit(assess_one, path, outdir, name, pure=False, **options)
                index[fut.key] = i
                return fut

            running = dask_completed([submit(i) for i in (next(queue, None) for _ in range(2 * threads)) if i is not None])
            for fut in running:
                item = fut.result()
                i = index.pop(fut.key)
                fut.release()
                results[i] = slim(item)
                on_done(item)
                nxt = next(queue, None)
                if nxt is not None:
                    running.add(submit(nxt))
            if todo:
                try:
                    client.restart()
                    client.run(prepare_worker)
                except Exception:  # workers without a nanny cannot be restarted: they go on as they are
                    pass
    return [results[i] for i in range(len(tasks))]


def default_jobs() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))


def iter_ok(items: list[BatchItem]) -> Iterator[BatchItem]:
    return (i for i in items if i.ok)
