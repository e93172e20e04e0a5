"""Regrading after a key correction: ``grade ... --compare OLD_GRADES_DIR``.

Reads the ``gradebook.csv`` of an earlier run and the one just written, and lists, per student,
every exercise whose score changed and by how much (``changes.csv``), so an erratum can be applied
to a class already graded. Students are matched by ``student_id``; an exercise column present in
only one of the two files (an exercise added or removed) is compared against "no score".
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path


class CompareError(ValueError):
    """The earlier results cannot be read."""


@dataclass
class Change:
    student: str
    name: str
    exercise: str  # "<set>/<exercise id>"
    old: float | None  # None: no score (not graded then, or a short text not yet marked)
    new: float | None

    @property
    def delta(self) -> float | None:
        if self.old is None or self.new is None:
            return None
        return round(self.new - self.old, 2)


def _number(text: str) -> float | None:
    text = (text or "").strip().lstrip("'")
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        return None


def read_gradebook(path: Path) -> tuple[list[str], dict[str, dict[str, str]]]:
    """(exercise columns, {student_id: row}) of a gradebook.csv."""
    try:
        with open(path, newline="", encoding="utf-8") as fh:
            reader = csv.DictReader(fh)
            columns = [c for c in (reader.fieldnames or []) if "/" in c]
            rows = {row["student_id"].lstrip("'"): row for row in reader if row.get("student_id")}
    except FileNotFoundError:
        raise CompareError(f"{path} not found: give the --out folder of the earlier run") from None
    except (OSError, UnicodeDecodeError, csv.Error, KeyError) as err:
        raise CompareError(f"{path} is not a gradebook.csv of this grader ({err})") from None
    return columns, rows


def compare(old, new) -> list[Change]:
    """Changes from ``old`` to ``new``: each a gradebook.csv path or what ``read_gradebook`` returned."""
    old_cols, old_rows = read_gradebook(Path(old)) if isinstance(old, (str, Path)) else old
    new_cols, new_rows = read_gradebook(Path(new)) if isinstance(new, (str, Path)) else new
    columns = list(dict.fromkeys(new_cols + old_cols))
    changes = []
    for student in list(dict.fromkeys(list(new_rows) + list(old_rows))):
        old, new = old_rows.get(student, {}), new_rows.get(student, {})
        name = (new.get("name") or old.get("name") or "").lstrip("'")
        for col in columns:
            a, b = _number(old.get(col, "")), _number(new.get(col, ""))
            if a != b:
                changes.append(Change(student, name, col, a, b))
    return changes


def write_changes(changes: list[Change], out: Path) -> Path:
    from .gradebook import _write

    def show(x):
        return "" if x is None else x

    rows = [[c.student, c.name, c.exercise, show(c.old), show(c.new), show(c.delta)] for c in changes]
    return _write(out / "changes.csv", ["student_id", "name", "exercise", "old points", "new points", "change"], rows)


def summary(changes: list[Change], limit: int = 40) -> list[str]:
    """Lines for the screen: one per student, each changed exercise with its change."""
    if not changes:
        return ["Compared with the earlier run: no score changed."]
    by_student: dict[str, list[Change]] = {}
    for c in changes:
        by_student.setdefault(c.student, []).append(c)
    lines = [f"Compared with the earlier run: {len(changes)} score(s) changed for {len(by_student)} student(s) "
             "(listed in changes.csv):"]
    for student, items in list(by_student.items())[:limit]:
        parts = []
        for c in items:
            if c.delta is not None:
                parts.append(f"{c.exercise} {c.delta:+g}")
            else:
                parts.append(f"{c.exercise} {'–' if c.old is None else f'{c.old:g}'} → {'–' if c.new is None else f'{c.new:g}'}")
        total = sum(c.delta for c in items if c.delta is not None)
        lines.append(f"  {items[0].name or student} ({student}): " + ", ".join(parts) + f" (total {total:+g})")
    if len(by_student) > limit:
        lines.append(f"  … and {len(by_student) - limit} more student(s)")
    return lines
