"""Errors that name the file, the line and the field, so a maintainer can fix the source at once."""
from __future__ import annotations

from pathlib import Path


class CourseFileError(ValueError):
    """A course file (reading, data table, exercise bank) is malformed."""

    def __init__(self, path: Path | str, line: int | None, field: str | None, message: str):
        self.path = str(path)
        self.line = line
        self.field = field
        self.message = message
        where = self.path if line is None else f"{self.path}:{line}"
        what = f" [{field}]" if field else ""
        super().__init__(f"{where}{what}: {message}")
