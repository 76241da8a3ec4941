"""The ``nzn`` command line: a thin shell over the library (one file per command)."""

from assessment.cli.app import app, main

__all__ = ["app", "main"]
