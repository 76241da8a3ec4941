"""Filled example neighbourhoods shipped with the package (``nzn template --example NAME``)."""

from __future__ import annotations

import json

from assessment.model.inputs import NeighbourhoodInput
from assessment.paths import examples_dir


def example_names() -> list[str]:
    return sorted(p.stem for p in examples_dir().glob("*.json"))


def load_example(name: str) -> NeighbourhoodInput:
    data = json.loads((examples_dir() / f"{name}.json").read_text(encoding="utf-8"))
    data.pop("$comment", None)
    return NeighbourhoodInput.model_validate(data)
