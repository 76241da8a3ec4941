from __future__ import annotations

from pathlib import Path

import pytest

from assessment.emissions.factors import load_factors
from assessment.i18n import get_language, set_language
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


@pytest.fixture(autouse=True)
def _language_restored():
    """A command run in-process (CliRunner) sets the process language; each test starts and ends in its own."""
    before = get_language()
    yield
    set_language(before)
