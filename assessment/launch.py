"""The ``nzn`` entry point (pyproject.toml's [project.scripts]), kept apart from the command line's own package.

For a PDF report, the report helpers (assessment/report/worker.py) are forked here, before the command line and
the toolkit load, so WeasyPrint and matplotlib load in the helpers beside the parent's own start-up.
"""

from __future__ import annotations

import sys

#: Commands whose PDF report the report helpers render (assessment/cli/scorecard.py).
REPORT_COMMANDS = ("assess", "plan")


def wants_pdf(argv: list[str]) -> bool:
    """Whether the command line asks ``assess`` or ``plan`` for a PDF: a guess made before the options are parsed (a
    wrong guess only forks two helpers that are then ended)."""
    if not argv or argv[0] not in REPORT_COMMANDS or {"--help", "-h"} & set(argv):
        return False
    return any(a.lower().endswith(".pdf") for a in argv[1:])


def main() -> None:
    if wants_pdf(sys.argv[1:]):
        from assessment.report import worker  # start-up: light (WeasyPrint and matplotlib load in the helpers)

        worker.prestart()
    try:
        from assessment.cli import main as cli_main  # start-up: the commands and the toolkit load here

        cli_main()
    finally:
        worker = sys.modules.get("assessment.report.worker")
        if worker is not None:
            worker.discard_early()
