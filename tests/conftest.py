from __future__ import annotations

from pathlib import Path

import pytest

from assessment.emissions.factors import load_factors
from assessment.i18n import set_language
from assessment.model.method import load_method

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_inputs"
SAMPLE_NAMES = ("riverside-retrofit", "harbourside-newbuild")


def sample_copy(sample: str, target: Path, suffix: str) -> Path:
    """A JSON sample copied to ``target`` as another neighbourhood (its id and name end in ``suffix``): a batch
    refuses two inputs with the same neighbourhood id and reporting year."""
    import json

    data = json.loads((SAMPLES / f"{sample}.json").read_text(encoding="utf-8"))
    data["profile"]["neighbourhood_id"] += f"-{suffix}"
    data["profile"]["name"] += f" {suffix}"
    target.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return target


def varied_inputs(folder: Path, count: int, seed: int = 7) -> list[Path]:
    """``count`` different neighbourhoods (JSON) from the two samples: each its own id, its population, energy and
    waste amounts scaled by 0.7-1.3 (a seeded random.Random, so the same files every run)."""
    import json
    import random

    rng = random.Random(seed)
    paths = []
    for k in range(count):
        sample = SAMPLE_NAMES[k % 2]
        data = json.loads((SAMPLES / f"{sample}.json").read_text(encoding="utf-8"))
        data["profile"]["neighbourhood_id"] += f"-{k:03d}"
        data["profile"]["name"] += f" #{k:03d}"
        data["profile"]["population"] = max(1, round(data["profile"]["population"] * rng.uniform(0.7, 1.3)))
        for row in data["energy_use"]:
            row["amount"] = round(row["amount"] * rng.uniform(0.7, 1.3), 1)
        for row in data["waste"]:
            row["tonnes_per_year"] = round(row["tonnes_per_year"] * rng.uniform(0.7, 1.3), 1)
        path = folder / f"n{k:03d}-{sample}.json"
        path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
        paths.append(path)
    return paths


@pytest.fixture(scope="session")
def method():
    return load_method()


@pytest.fixture(scope="session")
def factors():
    return load_factors()


@pytest.fixture(autouse=True)
def _english_unless_asked():
    """A command run in-process (CliRunner) sets the process language: every test starts in English, whatever ran before
    it on the same worker (module fixtures included), and leaves English behind."""
    set_language("en")
    yield
    set_language("en")
