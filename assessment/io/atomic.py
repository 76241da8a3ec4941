"""Output files, written all or nothing.

Every target is checked before anything is written (:func:`check_targets`): its
folder exists and is writable, it is not a folder, it is not one of the inputs
(the same file, compared with ``os.path.samefile``, not by name) and no two
targets are the same. Each file is written to a temporary ``.part`` file beside
its target and renamed onto it when complete; inside :func:`output_batch` the
renames wait until every file of the command is complete, so a failure leaves
no new file and replaces no existing one. Files get the permissions the user's
umask gives (typically 0644), not the 0600 of a temporary file.
"""

from __future__ import annotations

import contextvars
import glob
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from assessment.errors import NznError


class OutputRefused(NznError):
    """An output cannot be written where it was asked for (nothing was written)."""


def current_umask() -> int:
    """The process's umask now (a process may change it after start-up, so it is read at each write): from
    /proc/self/status on Linux, which reads it without changing it; elsewhere by setting and restoring it."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def file_mode() -> int:
    """Mode of a new output file: what open() would give it under the user's umask now (0o666 & ~umask)."""
    return 0o666 & ~current_umask()


def check_targets(targets: list[Path], inputs: list[Path] = ()) -> None:
    """Refuse, naming the path, any target that cannot or must not be written; nothing is written here."""
    seen: dict[str, Path] = {}
    identities = {}  # (device, inode) of each input: one stat per input, however many targets
    for inp in map(Path, inputs):
        try:
            st = inp.stat()
        except OSError:
            continue
        identities[(st.st_dev, st.st_ino)] = inp
    for target in map(Path, targets):
        key = os.path.abspath(target)
        if key in seen:
            raise OutputRefused(f"{target}: given twice as an output")
        seen[key] = target
        folder = target.parent
        if target.is_dir():
            raise OutputRefused(f"{target}: is a folder; give a file name")
        if not folder.is_dir():
            raise OutputRefused(
                f"{target}: the folder {folder} does not exist" if not folder.exists() else f"{target}: {folder} is not a folder"
            )
        if not os.access(folder, os.W_OK | os.X_OK):
            raise OutputRefused(f"{target}: no permission to write in {folder}")
        if target.exists():  # the same file as an input, under any name (os.path.samefile's test: device and inode)
            st = target.stat()
            if (st.st_dev, st.st_ino) in identities:
                raise OutputRefused(f"refusing to write {target}: it is the input file {identities[(st.st_dev, st.st_ino)]}")


class _Batch:
    def __init__(self) -> None:
        self.staged: list[tuple[Path, Path]] = []  # (temporary file, target)


_batch: contextvars.ContextVar[_Batch | None] = contextvars.ContextVar("nzn_output_batch", default=None)


@contextmanager
def output_batch(targets: list[Path], inputs: list[Path] = ()) -> Iterator[None]:
    """Check every target, then let the writes inside stage their files; rename them all at the end, or none on failure."""
    check_targets(targets, inputs)
    batch = _Batch()
    token = _batch.set(batch)
    try:
        yield
    except BaseException:
        for tmp, _target in batch.staged:
            tmp.unlink(missing_ok=True)
        raise
    finally:
        _batch.reset(token)
    try:
        for tmp, target in batch.staged:
            os.replace(tmp, target)
    except OSError as exc:
        for tmp, _target in batch.staged:
            tmp.unlink(missing_ok=True)
        raise OutputRefused(f"could not write {target}: {exc.strerror or exc}") from None


@contextmanager
def atomic_path(target: str | Path) -> Iterator[Path]:
    """Yield a temporary path in the target's folder; rename it onto ``target`` on success (inside an
    :func:`output_batch`, when the batch completes)."""
    target = Path(target)
    if not target.parent.is_dir():
        raise OutputRefused(f"{target}: the folder {target.parent} does not exist")
    tmp_path: Path | None = None
    batch = _batch.get()
    try:
        # the temporary file is made inside the try whose finally removes it: an interrupt (Ctrl-C, SIGTERM) that
        # arrives just after it is made leaves nothing behind
        try:
            fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
            tmp_path = Path(tmp)
            os.fchmod(fd, file_mode())
            os.close(fd)
        except OSError as exc:
            raise OutputRefused(f"could not write {target}: {exc.strerror or exc}") from None
        try:
            yield tmp_path
        except OSError as exc:  # a full or read-only file system, a permission lost while writing
            raise OutputRefused(f"could not write {target}: {exc.strerror or exc}") from None
        if batch is not None:
            batch.staged.append((tmp_path, target))
            return
        try:
            os.replace(tmp_path, target)
        except OSError as exc:
            raise OutputRefused(f"could not write {target}: {exc.strerror or exc}") from None
    finally:
        if tmp_path is not None and (batch is None or (tmp_path, target) not in batch.staged) and tmp_path.exists():
            tmp_path.unlink()


def remove_stale_parts(target: str | Path) -> None:
    """Remove the temporary files a killed writer of ``target`` left behind (``.<name>.*.part`` beside it)."""
    target = Path(target)
    for part in target.parent.glob(f".{glob.escape(target.name)}.*.part"):
        part.unlink(missing_ok=True)


def write_bytes_atomic(target: str | Path, data: bytes) -> None:
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)
