"""The batch manifest: one small JSON per finished neighbourhood, so an interrupted batch resumes where it stopped.

``<output folder>/manifest/<name>.json`` is written (atomically) by the task that assessed the input, after its
report and results JSON are in place, so an entry exists only for complete outputs. It records what the outputs
depend on: the input's SHA-256, the toolkit, method and factor versions, the batch options, and each output's name
and SHA-256; and the key figures the portfolio summary needs (so the portfolio is built from the manifests alone,
whether the batch ran once or was resumed). ``--resume`` keeps an input whose entry still matches all of these and
whose outputs are on disk with the recorded digests; anything else is assessed again.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from assessment import __version__
from assessment.io.atomic import write_bytes_atomic

MANIFEST_DIR = "manifest"
MANIFEST_SCHEMA = 1
#: The run record beside the entries (a dot name: no input's output name starts with a dot).
RUN_RECORD = ".run.json"
#: Options that change an output's bytes; the method folder is represented by the method's digest instead.
OUTPUT_OPTIONS = ("lang", "assessment_date", "pdf", "gwp", "shared_annex")


def manifest_path(outdir: str | Path, name: str) -> Path:
    return Path(outdir) / MANIFEST_DIR / f"{name}.json"


def digest_file(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def versions(method, factors) -> dict:
    """What every output of the batch depends on besides its input and the options."""
    return {
        "toolkit": __version__,
        "method": {"id": method.settings.method_id, "version": method.settings.version, "digest": method.digest},
        "factors": {"version": factors.version, "digest": factors.digest},
    }


def output_options(options: dict) -> dict:
    return {k: options.get(k) for k in OUTPUT_OPTIONS}


def write_entry(
    outdir: str | Path,
    name: str,
    input_path: str,
    input_sha256: str,
    identity: tuple[str, int],
    depends: dict,
    options: dict,
    outputs: list[Path],
    key_figures: dict,
    factors: list[dict] = (),
) -> None:
    """Record one finished neighbourhood (its outputs must already be in place)."""
    entry = {
        "schema": MANIFEST_SCHEMA,
        "name": name,
        "input": Path(input_path).name,
        "input_sha256": input_sha256,
        "identity": list(identity),
        **depends,
        "options": output_options(options),
        "outputs": {Path(o).name: digest_file(o) for o in outputs},
        "key_figures": key_figures,
        "library_factors": list(factors),  # for the shared annex
    }
    target = manifest_path(outdir, name)
    target.parent.mkdir(exist_ok=True)
    write_bytes_atomic(target, json.dumps(entry, ensure_ascii=False, sort_keys=True, indent=1).encode("utf-8"))


def read_entry(outdir: str | Path, name: str) -> dict | None:
    """The manifest entry of ``name``, or None when there is none or it cannot be read (then the input is redone)."""
    try:
        entry = json.loads(manifest_path(outdir, name).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return entry if isinstance(entry, dict) and entry.get("schema") == MANIFEST_SCHEMA else None


def still_valid(entry: dict | None, input_path: str, planned: list[Path], depends: dict, options: dict) -> bool:
    """True when the entry describes this input as it is now, assessed as this batch would assess it, and every
    planned output is on disk with the recorded digest."""
    if entry is None:
        return False
    if any(entry.get(k) != v for k, v in depends.items()) or entry.get("options") != output_options(options):
        return False
    if set(entry.get("outputs") or {}) != {p.name for p in planned}:
        return False
    try:
        if entry.get("input_sha256") != digest_file(input_path):
            return False
        return all(p.is_file() and digest_file(p) == entry["outputs"][p.name] for p in planned)
    except OSError:
        return False


def write_run_record(outdir: str | Path, record: dict) -> None:
    folder = Path(outdir) / MANIFEST_DIR
    folder.mkdir(exist_ok=True)
    write_bytes_atomic(folder / RUN_RECORD, json.dumps(record, sort_keys=True).encode("utf-8"))


def read_run_record(outdir: str | Path) -> dict:
    try:
        record = json.loads((Path(outdir) / MANIFEST_DIR / RUN_RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return record if isinstance(record, dict) else {}
