"""Options and output helpers shared by the commands."""

from __future__ import annotations

import datetime as dt
import functools
import math
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.markup import escape

from assessment.errors import InputInvalid, MethodError, NznError, Terminated
from assessment.i18n import LANGUAGES, _, set_language
from assessment.io.limits import DEFAULT_LIMITS, Limits

console = Console(stderr=True, highlight=False, soft_wrap=True)
out = Console(highlight=False, soft_wrap=True)

EXIT_OK, EXIT_FAILED, EXIT_INVALID = 0, 1, 2
EXIT_INTERRUPTED, EXIT_TERMINATED = 130, 143  # 128 + SIGINT, 128 + SIGTERM, as shells report them

LangOption = Annotated[
    Optional[str], typer.Option("--lang", help="Language of messages and outputs: en or zh (default: the workbook's language, else en).")
]
MethodOption = Annotated[
    Optional[Path],
    typer.Option("--method", help="Folder of a custom method (method.toml and module files); default: the toolkit's own.", file_okay=False),
]
MaxFileMb = Annotated[float, typer.Option("--max-file-mb", help="Largest input file accepted, in MB.")]
MaxUncompressedMb = Annotated[
    float, typer.Option("--max-uncompressed-mb", help="Largest unpacked size of a workbook, in MB (zip-bomb guard).")
]
MaxRows = Annotated[int, typer.Option("--max-rows", help="Largest number of rows in one table.")]
MaxText = Annotated[int, typer.Option("--max-text", help="Longest text accepted in one cell, in characters.")]
ReportOption = Annotated[Optional[list[Path]], typer.Option("--output", "-o", help="Write the report: .pdf or .html (repeat for both).")]
JsonOption = Annotated[Optional[str], typer.Option("--json", help="Write the results JSON to this file ('-' for standard output).")]
XlsxOption = Annotated[Optional[Path], typer.Option("--xlsx", help="Write the results workbook (.xlsx).")]
DateOption = Annotated[Optional[str], typer.Option("--date", help="Assessment date printed on the report (YYYY-MM-DD; default: today).")]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="Print no progress.")]
GwpOption = Annotated[
    Optional[str],
    typer.Option(
        "--gwp", help="GWP-100 set the gases of each factor are combined with: AR5 or AR6 (default: the profile's gwp_set, else AR5)."
    ),
]
GWP_CHOICES = ("AR5", "AR6")
StoreOption = Annotated[
    Optional[str],
    typer.Option(
        "--store",
        help="Record the result in the history store: a URL (sqlite:///FILE, postgresql+psycopg://USER@HOST/DB) or a .sqlite file; "
        "--store alone: the default store ($NZN_STORE, else history.sqlite in the user data folder). Default: not recorded.",
    ),
]
ReplaceOption = Annotated[bool, typer.Option("--replace", help="With --store: replace a neighbourhood's year already recorded.")]


def check_gwp(gwp: str | None) -> str | None:
    """``--gwp`` is AR5 or AR6 (any case), or a clear message and exit 2."""
    if gwp is None:
        return None
    if gwp.upper() not in GWP_CHOICES:
        fail(_("--gwp must be one of {choices}, got '{value}'").format(choices=", ".join(GWP_CHOICES), value=gwp))
    return gwp.upper()


def limits_from(max_file_mb: float, max_uncompressed_mb: float, max_rows: int, max_text: int) -> Limits:
    """The limits of the flags, each finite and positive (else a message naming the flag, exit 2)."""
    for flag, value in (
        ("--max-file-mb", max_file_mb),
        ("--max-uncompressed-mb", max_uncompressed_mb),
        ("--max-rows", max_rows),
        ("--max-text", max_text),
    ):
        if not (math.isfinite(value) and value > 0):
            fail(_("{flag} must be a finite number greater than 0, got {value}").format(flag=flag, value=value))
    return Limits(
        max_file_bytes=int(max_file_mb * 1e6),
        max_uncompressed_bytes=int(max_uncompressed_mb * 1e6),
        max_table_rows=max_rows,
        max_text_chars=max_text,
        max_json_depth=DEFAULT_LIMITS.max_json_depth,
    )


DEFAULT_FILE_MB = DEFAULT_LIMITS.max_file_bytes / 1e6
DEFAULT_UNCOMPRESSED_MB = DEFAULT_LIMITS.max_uncompressed_bytes / 1e6


def check_date(date: str | None) -> None:
    """``--date`` is YYYY-MM-DD, or a clear message and exit 2."""
    if date is not None:
        try:
            dt.date.fromisoformat(date)
        except ValueError:
            fail(_("--date must be YYYY-MM-DD, got '{date}'").format(date=date))


def use_language(lang: str | None) -> None:
    if lang is None:
        return
    if lang not in LANGUAGES:
        console.print(_("unknown language '{lang}'; choose one of: {choices}").format(lang=lang, choices=", ".join(LANGUAGES)))
        raise typer.Exit(EXIT_INVALID)
    set_language(lang)


MAX_SHOWN_ISSUES = 100


def print_issues(exc: InputInvalid, source: str, limit: int = MAX_SHOWN_ISSUES) -> None:
    console.print("[bold red]✗[/] " + escape(_("{source}: {count} problem(s) found").format(source=source, count=len(exc.issues))))
    for item in exc.issues[:limit]:
        console.print("  " + escape(str(item)))
    if len(exc.issues) > limit:
        console.print("  " + escape(_("... and {n} more (use --json to list them all)").format(n=len(exc.issues) - limit)))


def fail(message: str, code: int = EXIT_INVALID) -> None:
    console.print("[bold red]✗[/] " + escape(message))
    raise typer.Exit(code)


#: Interrupts the signal handler raised where Python cannot raise them (a weakref or import-lock callback: "Exception
#: ignored in ..."), kept by :func:`keep_lost_interrupt`. The handler had already stopped the report helpers, so what
#: fails next fails because of the signal, and :func:`guard` reports the signal rather than that failure.
LOST_INTERRUPTS: list[KeyboardInterrupt] = []


def keep_lost_interrupt(unraisable) -> None:
    """``sys.unraisablehook``: keep an interrupt that could not be raised (no traceback for the signal the user sent);
    hand anything else to Python's own hook."""
    if isinstance(unraisable.exc_value, KeyboardInterrupt):
        LOST_INTERRUPTS.append(unraisable.exc_value)
    else:
        sys.__unraisablehook__(unraisable)


def _interrupted(exc: KeyboardInterrupt) -> None:
    """Ctrl-C (130) or SIGTERM (143, assessment.errors.Terminated): 128 + the signal number."""
    fail(_("interrupted; nothing was written"), EXIT_TERMINATED if isinstance(exc, Terminated) else EXIT_INTERRUPTED)


def raise_lost_interrupt() -> None:
    """Where a command can stop cleanly (a batch, after each input): an interrupt that was lost
    (:data:`LOST_INTERRUPTS`) is raised here, so the run stops as the signal asked instead of running to its end."""
    if LOST_INTERRUPTS:
        raise LOST_INTERRUPTS[0]


def _unless_interrupted() -> None:
    """A failure after an interrupt that was lost (:data:`LOST_INTERRUPTS`) is that interrupt."""
    if LOST_INTERRUPTS:
        _interrupted(LOST_INTERRUPTS[0])


def guard(fn):
    """Turn known errors into messages and exit codes; never show a traceback for them."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except typer.Exit:
            raise
        except InputInvalid as exc:
            if kwargs.get("lang") is None and exc.language:
                use_language(exc.language)
            print_issues(exc, kwargs.get("input_file", "input"))
            raise typer.Exit(EXIT_INVALID) from None
        except MethodError as exc:
            _unless_interrupted()
            fail(_("the method folder is not valid:") + "\n" + str(exc))
        except NznError as exc:
            _unless_interrupted()
            fail(str(exc))
        except KeyboardInterrupt as exc:
            _interrupted(exc)
        except MemoryError:
            _unless_interrupted()
            fail(_("out of memory while reading the input; nothing was written"), EXIT_FAILED)

    return wrapper


def say(show: bool, message: str) -> None:
    """A progress line on standard error (unless quiet)."""
    if show:
        console.print("[green]✓[/] " + escape(message))


def warn(message: str) -> None:
    """A warning on standard error (shown even with --quiet: it is about the output, not progress)."""
    console.print("[yellow]![/] " + escape(message))


def stdout_write(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()
