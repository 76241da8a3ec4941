"""`nzn schema`: print the JSON Schema of the input model."""

from __future__ import annotations

import json

from assessment.cli.app import app
from assessment.cli.common import stdout_write


@app.command("schema")
def schema() -> None:
    """Print the JSON Schema of the input (for JSON/YAML inputs and other programs)."""
    # start-up: the library loads when a command runs, not for `nzn --help`
    from assessment.model.inputs import NeighbourhoodInput

    stdout_write(json.dumps(NeighbourhoodInput.model_json_schema(), indent=2, ensure_ascii=False) + "\n")
