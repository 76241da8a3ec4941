"""Atomic output: write to a temporary file beside the target, then rename.

An interrupted or failed run leaves no partial file, and an output path that is
one of the inputs is refused before anything is written.
"""

from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from assessment.errors import NznError


class OutputRefused(NznError):
    """An output path would overwrite an input or is otherwise not writable."""


def refuse_overwriting_inputs(outputs: list[Path], inputs: list[Path]) -> None:
    for out in outputs:
        for inp in inputs:
            if out.resolve() == inp.resolve():
                raise OutputRefused(f"refusing to write {out}: it is the input file")


@contextmanager
def atomic_path(target: str | Path) -> Iterator[Path]:
    """Yield a temporary path in the target's folder; rename it onto ``target`` on success."""
    target = Path(target)
    if not target.parent.exists():
        raise OutputRefused(f"the folder {target.parent} does not exist")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.replace(tmp_path, target)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


def write_bytes_atomic(target: str | Path, data: bytes) -> None:
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)
