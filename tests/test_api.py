"""The library's front door (DESIGN.md: ``from assessment import assess`` works without the CLI)."""

from __future__ import annotations

import json

from assessment.pipeline import results_json
from tests.conftest import SAMPLES


def test_from_assessment_import_assess_gives_the_function():
    """The name is the function, not the module, and assessing a sample through it equals the CLI's results JSON content."""
    from assessment import assess, validate_input

    assert callable(assess) and assess.__module__ == "assessment.pipeline" and assess.__name__ == "assess"
    result = assess(validate_input(SAMPLES / "harbourside-newbuild.json"))
    data = json.loads(results_json(result))
    assert data["profile"]["neighbourhood_id"] == result.profile.neighbourhood_id
    assert data["emissions"]["net_tco2e_per_year"] == result.emissions.net_tco2e_per_year


def test_import_assessment_stays_light():
    """``import assessment`` loads no part of the library until a public name is used (start-up of `nzn --help`)."""
    import subprocess
    import sys

    code = "import sys, assessment; print(sorted(m for m in sys.modules if m.startswith('assessment.')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
