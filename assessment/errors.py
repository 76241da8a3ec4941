"""One base error, and input issues as data (code, where, message template, values).

An :class:`InputIssue` keeps its message as a template plus parameters, so the
text is produced in the reader's language only when it is shown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from assessment.i18n import _


class NznError(Exception):
    """Base class of every error the toolkit raises on purpose."""


@dataclass(frozen=True, order=True)
class InputIssue:
    """One problem in the input, located by ``Sheet!Cell`` or a JSON path.

    ``template`` is an untranslated message (marked with ``N_``) with ``{name}``
    placeholders filled from ``params``.
    """

    where: str
    code: str
    template: str
    params: tuple[tuple[str, Any], ...] = field(default=())

    def message(self) -> str:
        return _(self.template).format(**dict(self.params))

    def __str__(self) -> str:
        return f"{self.where}: {self.message()}" if self.where else self.message()


def issue(where: str, code: str, template: str, **params: Any) -> InputIssue:
    return InputIssue(where=where, code=code, template=template, params=tuple(sorted(params.items())))


class InputInvalid(NznError):
    """The input could not be read or validated; ``issues`` lists every problem found."""

    def __init__(self, issues: list[InputIssue], language: str | None = None):
        self.issues = sorted(set(issues), key=_issue_order)
        #: the workbook's own language (its ``template_language`` name), for messages when no --lang is given
        self.language = language
        super().__init__("\n".join(str(i) for i in self.issues))


def _issue_order(i: InputIssue) -> tuple:
    """Sheet, row, column, then code, message and values: a total order, so listings never depend on hash seeds."""
    return (i.where.split("!")[0], _cell_key(i.where), i.where, i.code, i.template, repr(i.params))


def _cell_key(where: str) -> tuple[int, int]:
    """Sort key (row, column) for a ``Sheet!A12`` address; other addresses sort first."""
    m = re.search(r"!\$?([A-Z]+)\$?(\d+)", where)
    if not m:
        return (0, 0)
    col = 0
    for ch in m.group(1):
        col = col * 26 + ord(ch) - 64
    return (int(m.group(2)), col)


class Terminated(KeyboardInterrupt):
    """SIGTERM arrived: handled like Ctrl-C (outputs staged so far are removed), with exit code 143 instead of 130."""


class MethodError(NznError):
    """A method folder (modules/*.toml) is malformed."""


class FactorError(NznError):
    """The factor library or an imported factor file is malformed."""
