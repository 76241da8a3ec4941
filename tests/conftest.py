from __future__ import annotations

from pathlib import Path

import pytest

from assessment.emissions.factors import load_factors
from assessment.model.method import load_method

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_inputs"
SAMPLE_NAMES = ("riverside-retrofit", "harbourside-newbuild")


@pytest.fixture(scope="session")
def method():
    return load_method()


@pytest.fixture(scope="session")
def factors():
    return load_factors()
