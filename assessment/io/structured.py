"""Read a JSON or YAML input document into plain Python data, refusing what is not plainly data.

Every refusal is an :class:`~assessment.errors.InputInvalid` located for a person:

* a syntax error as ``file:line:column`` (JSON and YAML alike; also a byte-order mark, a NUL or
  other character YAML does not allow);
* a key given twice in one object as the JSON path of the key (``$.profile.name``), for JSON
  (``object_pairs_hook``) and YAML (a mapping constructor that notes duplicates);
* YAML anchors and aliases (the YAML "billion laughs"), nesting deeper than the limit, numbers
  too long to convert.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from assessment.errors import InputInvalid, InputIssue, issue
from assessment.i18n import N_
from assessment.io.limits import Limits

JSON_SUFFIXES = {".json"}
BOM = "\ufeff"


class _NoAliasLoader(yaml.SafeLoader):
    """YAML loader that refuses anchors/aliases (the YAML 'billion laughs') and notes keys given twice."""

    def __init__(self, stream):
        super().__init__(stream)
        #: (mapping, keys given more than once in it), in document order
        self.duplicates: list[tuple[dict, list]] = []

    def compose_node(self, parent, index):  # type: ignore[override]
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.constructor.ConstructorError(None, None, "aliases are not allowed", event.start_mark)
        return super().compose_node(parent, index)

    def construct_noting_duplicates(self, node):
        data: dict = {}
        yield data
        seen: set = set()
        twice = []
        for key_node, _value in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = self.construct_object(key_node)
            if key in seen and key not in twice:
                twice.append(key)
            seen.add(key)
        data.update(self.construct_mapping(node))
        if twice:
            self.duplicates.append((data, twice))


_NoAliasLoader.add_constructor("tag:yaml.org,2002:map", _NoAliasLoader.construct_noting_duplicates)


def _depth(obj: Any, limit: int) -> int:
    stack, deepest = [(obj, 1)], 1
    while stack:
        node, d = stack.pop()
        deepest = max(deepest, d)
        if deepest > limit:
            return deepest
        if isinstance(node, dict):
            stack.extend((v, d + 1) for v in node.values())
        elif isinstance(node, list):
            stack.extend((v, d + 1) for v in node)
    return deepest


def _duplicate_issues(data: Any, duplicates: list[tuple[dict, list]]) -> list[InputIssue]:
    """One problem per key given twice, at the JSON path of that key."""
    from assessment.io.load import json_path

    flagged = {id(obj): keys for obj, keys in duplicates}  # the objects stay alive in ``duplicates``
    found: list[InputIssue] = []
    stack: list[tuple[Any, tuple]] = [(data, ())]
    while stack:
        node, loc = stack.pop()
        if isinstance(node, dict):
            for key in flagged.get(id(node), ()):
                found.append(
                    issue(
                        json_path(loc + (key,)),
                        "duplicate-key",
                        N_("the key '{key}' is given more than once in this object; keep one"),
                        key=str(key)[:60],
                    )
                )
            stack.extend((v, loc + (k,)) for k, v in node.items() if isinstance(v, (dict, list)))
        elif isinstance(node, list):
            stack.extend((v, loc + (i,)) for i, v in enumerate(node) if isinstance(v, (dict, list)))
    if not found:  # a duplicated object that was itself replaced by a later value of its key: the document still says it twice
        found = [
            issue("$", "duplicate-key", N_("the key '{key}' is given more than once in this object; keep one"), key=str(keys[0])[:60])
            for _obj, keys in duplicates[:1]
        ]
    return found


def _line_col(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def _load_json(text: str, name: str) -> tuple[Any, list]:
    if text.startswith(BOM):
        raise InputInvalid(
            [
                issue(
                    f"{name}:1:1",
                    "bad-json",
                    N_("not valid JSON: the file starts with a byte-order mark (BOM); save it as UTF-8 without BOM"),
                )
            ]
        )
    duplicates: list[tuple[dict, list]] = []

    def pairs(items: list[tuple[str, Any]]) -> dict:
        obj = dict(items)
        if len(obj) != len(items):
            seen: set = set()
            twice = []
            for key, _v in items:
                if key in seen and key not in twice:
                    twice.append(key)
                seen.add(key)
            duplicates.append((obj, twice))
        return obj

    try:
        return json.loads(text, object_pairs_hook=pairs), duplicates
    except json.JSONDecodeError as exc:  # a ValueError: caught first
        raise InputInvalid(
            [issue(f"{name}:{exc.lineno}:{exc.colno}", "bad-json", N_("not valid JSON: {reason}"), reason=exc.msg)]
        ) from None


def _load_yaml(text: str, name: str) -> tuple[Any, list]:
    try:
        loader = _NoAliasLoader(text)  # the reader checks every character here
        try:
            return loader.get_single_data(), loader.duplicates
        finally:
            loader.dispose()
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow (a NUL, a control character)
        line, col = _line_col(text, exc.position)
        raise InputInvalid(
            [
                issue(
                    f"{name}:{line}:{col}",
                    "bad-yaml",
                    N_("not valid YAML: the character {char} is not allowed in a YAML document"),
                    char=f"U+{exc.character:04X}" if isinstance(exc.character, int) else repr(exc.character),
                )
            ]
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{name}:{mark.line + 1}:{mark.column + 1}" if mark else name
        raise InputInvalid(
            [issue(where, "bad-yaml", N_("not valid YAML: {reason}"), reason=str(getattr(exc, "problem", None) or exc).strip())]
        ) from None


def read_structured(path: Path, suffix: str, limits: Limits) -> Any:
    """The document in ``path`` (``suffix`` ``.json``, or YAML) as plain data; raises :class:`InputInvalid`."""
    name = path.name
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InputInvalid([issue(name, "not-utf8", N_("the file is not UTF-8 text"))]) from None
    if not text.strip():
        raise InputInvalid([issue(name, "empty-file", N_("the file is empty"))])
    try:
        data, duplicates = _load_json(text, name) if suffix in JSON_SUFFIXES else _load_yaml(text, name)
    except RecursionError:
        raise InputInvalid([issue(name, "too-deep", N_("the document is nested too deeply"))]) from None
    except ValueError as exc:  # for example an integer with thousands of digits (Python's int conversion limit)
        raise InputInvalid(
            [issue(name, "bad-number", N_("a number in the document cannot be read ({reason})"), reason=str(exc)[:120])]
        ) from None
    if not isinstance(data, dict):
        raise InputInvalid([issue("$", "not-object", N_("the document must be an object with the input sections (see `nzn schema`)"))])
    if _depth(data, limits.max_json_depth) > limits.max_json_depth:
        raise InputInvalid([issue("$", "too-deep", N_("the document is nested deeper than {limit} levels"), limit=limits.max_json_depth)])
    if duplicates:
        raise InputInvalid(_duplicate_issues(data, duplicates))
    return data
