"""Writing a file whole or not at all: the content goes to a temporary file beside the target,
then `os.replace` puts it in place, so a crash or a full disk never leaves half a file. Used by the
answer store (which keeps the old file when a write fails: a student's answers are never lost)
and by the grader (which removes an old output when the new one fails: it would no longer match
the run)."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Callable


def write_atomic(path: Path | str, write: Callable[[object], None], *, newline: str | None = "",
                 fsync: bool = False, remove_old_on_failure: bool = False) -> Path:
    """Write a text file through ``write(fh)`` into a temporary file beside ``path``, then rename it
    into place. With ``fsync`` the data reaches the disk before the rename; with
    ``remove_old_on_failure`` a failed write also removes an existing file at ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", newline=newline, encoding="utf-8") as fh:
            write(fh)
            if fsync:
                fh.flush()
                os.fsync(fh.fileno())
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        _unlink(tmp)
        if remove_old_on_failure:
            _unlink(path)
        raise
    return path


def _unlink(path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
