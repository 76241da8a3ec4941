"""Load an input file (.xlsx, .json, .yaml) into a validated NeighbourhoodInput.

Every problem is collected in one pass and raised together as
:class:`~assessment.errors.InputInvalid`, each located by ``Sheet!Cell`` (workbooks)
or a JSON path (``$.energy_use[3].amount``). Input files are opened read-only and
never modified.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from assessment.errors import InputInvalid, InputIssue, issue
from assessment.i18n import N_
from assessment.io.fields import base_type, clean_text, normalise_cell, normalise_enum
from assessment.io.limits import DEFAULT_LIMITS, Limits
from assessment.io.rules import Problem, cross_checks
from assessment.io.structured import read_structured
from assessment.io.xlsx import extract_xlsx
from assessment.model.enums import CodeEnum
from assessment.model.inputs import NeighbourhoodInput
from assessment.model.method import Method, load_method

XLSX_SUFFIXES = {".xlsx"}
JSON_SUFFIXES = {".json"}
YAML_SUFFIXES = {".yaml", ".yml"}


@dataclass(frozen=True)
class LoadedInput:
    """An input as read, and where each of its values came from.

    From :func:`load_input` it is valid (``issues`` empty). From :func:`read_input`
    it may hold ``issues``; then ``model`` is the part that validated (rows with an
    error left out, ``index_maps`` mapping kept rows to their original index), so
    the checks of later stages can run in the same pass.
    """

    model: NeighbourhoodInput
    path: str
    sha256: str
    format: str
    locations: Any = field(default=None, repr=False)
    template_language: str | None = None
    issues: tuple[InputIssue, ...] = ()
    index_maps: dict[str, list[int]] = field(default_factory=dict, repr=False)

    def where(self, loc: tuple) -> str:
        """``Sheet!Cell`` or JSON path of a model location (of the partial model when there are issues)."""
        if len(loc) >= 2 and loc[0] in self.index_maps and isinstance(loc[1], int):
            loc = (loc[0], self.index_maps[loc[0]][loc[1]], *loc[2:])
        return locate(loc, self.locations, self.format)

    def issue(self, problem: Problem) -> InputIssue:
        """A check's problem as an issue located in this input."""
        return issue(self.where(problem.loc), problem.code, problem.template, **problem.params)

    def invalid(self, issues: list[InputIssue]) -> InputInvalid:
        return InputInvalid(issues, language=self.template_language)


def json_path(loc: tuple) -> str:
    out = "$"
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def locate(loc: tuple, locations: Any, fmt: str) -> str:
    """Address of a model location: the cell it came from (or the nearest enclosing one), or a JSON path."""
    if fmt != "xlsx" or locations is None:
        return json_path(loc)
    return locations.address(loc) or getattr(locations, "file_name", "")


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def load_input(path: str | Path, method: Method | None = None, limits: Limits = DEFAULT_LIMITS) -> LoadedInput:
    """Read ``path`` and check its structure, field rules and cross-field rules; raise :class:`InputInvalid` listing
    every problem. The checks that need the factor library or the engine are the next stage
    (:func:`assessment.checks.validate_input`)."""
    read = read_input(path, method, limits)
    if read.issues:
        raise read.invalid(list(read.issues))
    return read


def read_input(path: str | Path, method: Method | None = None, limits: Limits = DEFAULT_LIMITS) -> LoadedInput:
    """Read ``path``: the model as far as it validates and every problem of structure, field and cross-field rules.

    Raises :class:`InputInvalid` only when the file itself cannot be read as an input.
    """
    path = Path(path)
    method = method or load_method()
    if not path.exists():
        raise InputInvalid([issue(str(path), "not-found", N_("file not found"))])
    if not path.is_file():
        raise InputInvalid([issue(str(path), "not-a-file", N_("not a file"))])
    size = path.stat().st_size
    if size > limits.max_file_bytes:
        raise InputInvalid(
            [
                issue(
                    path.name,
                    "too-large",
                    N_("the file is {size} MB, more than the limit of {limit} MB (use --max-file-mb for big real cases)"),
                    size=round(size / 1e6, 1),
                    limit=round(limits.max_file_bytes / 1e6),
                )
            ]
        )
    suffix = path.suffix.lower()
    lang = None
    if suffix in XLSX_SUFFIXES:
        extracted = extract_xlsx(path, method, limits)
        raw, locations, fmt, lang = extracted.raw, extracted.locations, "xlsx", extracted.template_language
        early = extracted.issues
    elif suffix in JSON_SUFFIXES | YAML_SUFFIXES:
        raw, fmt = read_structured(path, suffix, limits), ("json" if suffix in JSON_SUFFIXES else "yaml")
        locations = None
        early = [
            issue(
                json_path((key,)),
                "too-many-rows",
                N_("table {table} has {rows} rows, more than the limit of {limit} (use --max-rows for big real cases)"),
                table=key,
                rows=len(value),
                limit=limits.max_table_rows,
            )
            for key, value in raw.items()
            if isinstance(value, list) and len(value) > limits.max_table_rows
        ]
        if early:
            raise InputInvalid(early)
        raw = _normalise_tree(raw, NeighbourhoodInput, (), early, limits)
    elif suffix == ".xlsm":
        raise InputInvalid(
            [
                issue(
                    path.name,
                    "macro-workbook",
                    N_("macro-enabled workbooks (.xlsm) are not accepted; save the workbook as .xlsx (macros are never run)"),
                )
            ]
        )
    elif suffix == ".xls":
        raise InputInvalid([issue(path.name, "xls", N_("old-format .xls workbooks are not accepted; save the workbook as .xlsx"))])
    else:
        raise InputInvalid(
            [
                issue(
                    path.name, "unknown-format", N_("unknown input format '{suffix}'; use .xlsx, .json or .yaml"), suffix=suffix or "(none)"
                )
            ]
        )

    # Cells that failed to read are left out of ``raw``; their own message stands, so a
    # follow-on "value required" at the same place is dropped. Every stage runs, so all
    # problems are reported in one pass.
    seen = {i.where for i in early}
    index_maps: dict[str, list[int]] = {}
    try:
        model = NeighbourhoodInput.model_validate(raw)
        later: list[InputIssue] = []
    except ValidationError as exc:
        later = [i for i in (_pydantic_issue(e, locations, fmt) for e in exc.errors()) if i.where not in seen]
        model, index_maps = _partial_model(raw, exc.errors())
    read = LoadedInput(
        model=model,
        path=str(path),
        sha256=sha256_file(path),
        format=fmt,
        locations=locations,
        template_language=lang,
        index_maps=index_maps,
    )
    return replace(read, issues=tuple(merge_issues(early + later, [read.issue(p) for p in cross_checks(model, method)])))


def merge_issues(found: list[InputIssue], more: list[InputIssue]) -> list[InputIssue]:
    """``found`` and the issues of a later check, without a second message at a place that already has one."""
    taken = {i.where for i in found}
    return found + [i for i in more if i.where not in taken]


def _partial_model(raw: dict, errors: list[dict]) -> tuple[NeighbourhoodInput, dict[str, list[int]]]:
    """The parts of ``raw`` that validate, for cross-field checks while field errors are reported.

    Rows with an error are left out (with a map from kept to original row
    indices); an optional scalar with an error is blanked; if a required profile
    value is broken, the profile is left out and the checks that need it are
    skipped (``NeighbourhoodInput.model_construct`` with ``profile=None``).
    """
    bad_rows: dict[str, set[int]] = {}
    bad_scalars: dict[str, set[str]] = {}
    for e in errors:
        loc = tuple(e["loc"])
        if len(loc) >= 2 and isinstance(loc[1], int):
            bad_rows.setdefault(loc[0], set()).add(loc[1])
        elif len(loc) >= 2:
            bad_scalars.setdefault(loc[0], set()).add(loc[1])
    parts: dict[str, Any] = {}
    maps: dict[str, list[int]] = {}
    for name, f in NeighbourhoodInput.model_fields.items():
        value = raw.get(name) if isinstance(raw, dict) else None
        if isinstance(value, list):
            keep = [i for i in range(len(value)) if i not in bad_rows.get(name, set())]
            maps[name] = keep
            try:
                parts[name] = TypeAdapter(f.annotation).validate_python([value[i] for i in keep])
            except ValidationError:
                parts[name], maps[name] = [], []
        elif isinstance(value, dict):
            cleaned = {k: v for k, v in value.items() if k not in bad_scalars.get(name, set())}
            try:
                parts[name] = TypeAdapter(f.annotation).validate_python(cleaned)
            except ValidationError:
                parts[name] = None
        elif f.is_required():
            parts[name] = None
        else:
            parts[name] = f.get_default(call_default_factory=True)
    return NeighbourhoodInput.model_construct(**parts), maps


def _normalise_tree(value: Any, annotation: Any, loc: tuple, problems: list[InputIssue], limits: Limits) -> Any:
    """Map enum labels to codes and screen text in a JSON/YAML document, collecting problems."""
    target = base_type(annotation)
    if value is None:
        return None
    if isinstance(target, type) and issubclass(target, BaseModel) and isinstance(value, dict):
        out = {}
        for key, v in value.items():
            f = target.model_fields.get(key)
            out[key] = _normalise_tree(v, f.annotation, loc + (key,), problems, limits) if f else v
        return out
    if getattr(target, "__origin__", None) is list and isinstance(value, list):
        (inner,) = target.__args__
        return [_normalise_tree(v, inner, loc + (i,), problems, limits) for i, v in enumerate(value)]
    if isinstance(target, type) and issubclass(target, CodeEnum) and isinstance(value, str):
        code, problem = normalise_enum(value, target)
    elif target is str and isinstance(value, str):
        code, problem = clean_text(value, limits)
    elif target in (int, float) and isinstance(value, bool):  # JSON true is not the number 1
        code, problem = normalise_cell(value, target, limits)
    else:
        return value
    if problem:
        problems.append(issue(json_path(loc), problem[0], problem[1], **problem[2]))
    return code


_PYDANTIC_MESSAGES = {
    "missing": N_("a value is required here ({key})"),
    "greater_than_equal": N_("expected a value of at least {limit}, got {found}"),
    "greater_than": N_("expected a value greater than {limit}, got {found}"),
    "less_than_equal": N_("expected a value of at most {limit}, got {found}"),
    "less_than": N_("expected a value less than {limit}, got {found}"),
    "string_too_short": N_("must not be blank"),
    "string_too_long": N_("text is longer than {limit} characters"),
    "string_pattern_mismatch": N_("use only letters, digits, '-' and '_' (no spaces), got {found}"),
    "extra_forbidden": N_("unknown field '{key}' (see `nzn schema` for the allowed fields)"),
    "enum": N_("not one of the allowed choices: {limit}"),
    "float_parsing": N_("expected a number, got {found}"),
    "float_type": N_("expected a number, got {found}"),
    "int_parsing": N_("expected a whole number, got {found}"),
    "int_type": N_("expected a whole number, got {found}"),
    "int_from_float": N_("expected a whole number, got {found}"),
    "string_type": N_("expected text, got {found}"),
    "bool_parsing": N_("expected true or false, got {found}"),
    "bool_type": N_("expected true or false, got {found}"),
    "list_type": N_("expected a list of rows, got {found}"),
    "model_type": N_("expected an object, got {found}"),
    "dict_type": N_("expected an object, got {found}"),
    "finite_number": N_("expected a finite number, got {found}"),
}


def _pydantic_issue(err: dict, locations: Any, fmt: str) -> InputIssue:
    loc = tuple(err["loc"])
    etype = err["type"]
    ctx = err.get("ctx") or {}
    limit = next((ctx[k] for k in ("ge", "gt", "le", "lt", "max_length", "expected") if k in ctx), "")
    found = err.get("input")
    found_s = json.dumps(found, ensure_ascii=False, default=str)[:60] if not isinstance(found, (dict, list)) else type(found).__name__
    template = _PYDANTIC_MESSAGES.get(etype)
    if template is None:
        if etype == "value_error":
            return issue(locate(loc, locations, fmt), "invalid", N_("invalid value: {reason}"), reason=str(ctx.get("error", err["msg"])))
        return issue(locate(loc, locations, fmt), etype, N_("invalid value: {reason}"), reason=err["msg"])
    where = locate(loc, locations, fmt)
    return issue(where, etype, template, limit=limit, found=found_s, key=loc[-1] if loc else "")
