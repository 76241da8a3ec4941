"""The Typer application; each command lives in its own module."""

from __future__ import annotations

import signal
import sys

import typer

from assessment import __version__
from assessment.cli.common import keep_lost_interrupt
from assessment.errors import Terminated

app = typer.Typer(
    name="nzn",
    help="Net-zero neighbourhood assessment: fill one workbook, get a Green and Thriving Neighbourhoods scorecard.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"nzn {__version__}")
        raise typer.Exit()


@app.callback()
def _root(version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version and exit.")) -> None:
    """Net-zero neighbourhood assessment toolkit."""


from assessment.cli import cmd_assess, cmd_batch, cmd_compare, cmd_factors, cmd_measure, cmd_plan, cmd_schema, cmd_template, cmd_validate  # noqa: E402,F401  (each module registers its command)


def _interrupted(signum, frame) -> None:
    """Ctrl-C or SIGTERM: stop the report helpers first, then unwind (staged outputs are removed on the way out)."""
    worker = sys.modules.get("assessment.report.worker")  # never import inside a signal handler: no module, no helpers
    if worker is not None:
        worker.stop_helpers()
    raise Terminated() if signum == signal.SIGTERM else KeyboardInterrupt()


#: What may follow ``--store`` as its value: a URL or a SQLite file; anything else leaves ``--store`` bare (the default store).
STORE_SUFFIXES = (".sqlite", ".sqlite3", ".db")


def bare_store_flag(argv: list[str]) -> list[str]:
    """``--store`` with no value (at the end, before another option, or before a word that is neither a URL nor a .sqlite
    file) stands for the default store: the value ``default`` is put in (docs/store.md)."""
    out: list[str] = []
    for i, arg in enumerate(argv):
        out.append(arg)
        if arg == "--store" and "--" not in argv[:i]:
            nxt = argv[i + 1] if i + 1 < len(argv) else None
            if nxt is None or not ("://" in nxt or nxt == "default" or nxt.lower().endswith(STORE_SUFFIXES)):
                out.append("default")
    return out


def main() -> None:
    sys.unraisablehook = keep_lost_interrupt
    signal.signal(signal.SIGINT, _interrupted)
    signal.signal(signal.SIGTERM, _interrupted)
    app(args=bare_store_flag(sys.argv[1:]))


# registered after the others, so `nzn --help` lists them last
import assessment.cli.cmd_history  # noqa: E402,F401  (nzn history: the history store, docs/store.md)
import assessment.cli.cmd_serve  # noqa: E402,F401  (nzn serve: the local web page, docs/serve.md)
