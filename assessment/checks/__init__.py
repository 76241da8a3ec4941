"""The validation stage above the engine: the checks that need the factor library, the levers or the engine.

``nzn validate``, ``nzn assess`` and ``nzn plan`` all accept exactly what
:func:`validate_input` accepts. It runs in two steps, so that every problem a
user can fix at once is reported in one pass:

1. on the input as read (:func:`assessment.io.load.read_input`, which may be
   partial when field rules failed): its issues, plus the factor checks and the
   row checks of scenario measures;
2. only on an input that passed step 1: each measure changes something and finds
   its factors, and the engine finds a factor for every activity.

Every problem is an :class:`~assessment.errors.InputIssue` at its cell or JSON path.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel

from assessment.checks.factors import factor_checks, missing_factors, unused_overrides
from assessment.checks.measures import effect_checks, measure_checks
from assessment.emissions.factors import FactorSet, load_factors
from assessment.errors import InputInvalid, InputIssue
from assessment.io.input_summary import InputSummary
from assessment.io.limits import DEFAULT_LIMITS, Limits
from assessment.io.load import LoadedInput, merge_issues, read_input
from assessment.io.rules import Problem
from assessment.model.method import Method, load_method
from assessment.scenarios.levers import check_lever_functions


def input_issues(read: LoadedInput, method: Method, factors: FactorSet) -> list[InputIssue]:
    """Every problem of an input as read, in the order a user fixes them (see the module docstring)."""
    m = read.model
    found = list(read.issues)
    staged = [*factor_checks(m, factors)]
    if m.profile is not None and m.scenario_measures:
        staged += measure_checks(m, method, factors)
    found = merge_issues(found, [read.issue(Problem(*p)) for p in staged])
    if found:
        return found
    found = [read.issue(Problem(*p)) for p in (*effect_checks(m, method, factors), *missing_factors(m, factors))]
    return found or [read.issue(Problem(*p)) for p in unused_overrides(m, method, factors)]


def validate_input(
    path: str | Path, method: Method | None = None, limits: Limits = DEFAULT_LIMITS, factors: FactorSet | None = None
) -> LoadedInput:
    """Read and check ``path``: a valid :class:`LoadedInput`, or :class:`~assessment.errors.InputInvalid` listing every problem."""
    method = method or load_method()
    check_lever_functions(method.levers)
    factors = factors if factors is not None else load_factors()
    read = read_input(path, method, limits)
    issues = input_issues(read, method, factors)
    if issues:
        raise read.invalid(issues)
    return read


class IssueOut(BaseModel):
    """One problem as ``nzn validate --json`` lists it."""

    where: str
    code: str
    message: str

    @classmethod
    def of(cls, i: InputIssue) -> IssueOut:
        return cls(where=i.where, code=i.code, message=i.message())


class ValidationReport(BaseModel):
    """What ``nzn validate --json`` prints: the valid flag, every issue and, for a valid input, what it holds."""

    valid: bool
    issues: list[IssueOut]
    tables: dict[str, int] | None = None
    blank_fields: list[str] | None = None
    indicators_reported: int | None = None
    indicators_expected: int | None = None
    actions_reported: int | None = None
    actions_expected: int | None = None

    @classmethod
    def invalid(cls, exc: InputInvalid) -> ValidationReport:
        return cls(valid=False, issues=[IssueOut.of(i) for i in exc.issues])

    @classmethod
    def of_valid(cls, s: InputSummary) -> ValidationReport:
        return cls(
            valid=True,
            issues=[],
            tables=s.tables,
            blank_fields=s.blank_scalars,
            indicators_reported=s.indicators_reported,
            indicators_expected=s.indicators_expected,
            actions_reported=s.actions_reported,
            actions_expected=s.actions_expected,
        )

    def to_json(self) -> str:
        return self.model_dump_json(indent=2, exclude_none=True) + "\n"
