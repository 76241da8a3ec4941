"""The glossary page: terms and codes of the scorecard with their definitions and sources (assessment/data/glossary.toml)."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

from assessment.i18n import both

GLOSSARY = Path(__file__).resolve().parents[1] / "data" / "glossary.toml"


@cache
def _terms() -> tuple[dict, ...]:
    with GLOSSARY.open("rb") as f:
        return tuple(tomllib.load(f)["terms"])


def glossary(lang: str) -> list[dict[str, str]]:
    """Each term and definition in ``lang`` (both, joined, in the bilingual edition) and its source."""

    def text(t: dict) -> str:
        return both(t["en"], t["zh"]) if lang == "en+zh" else t.get(lang, t["en"])

    def source(t: dict) -> str:  # a citation (one text in every edition) or the toolkit's own words in each language
        return t["source"] if isinstance(t["source"], str) else text(t["source"])

    return [{"term": text(t["term"]), "definition": text(t["definition"]), "source": source(t)} for t in _terms()]
