"""The gradebook CSV and the Canvas and Moodle import files.

Formats (see course/grading.md for where they are documented):

* ``gradebook.csv``: a row per student; ``student_id, name, email, lms_id``; then for each set a column
  per exercise (``01-soft-power/sp-01``: points, blank when a short-text answer awaits the teacher),
  ``<set> total``, ``<set> late``; then ``total``, ``possible``, ``percent``, ``pending``, ``files``.
* ``canvas.csv``: Canvas's gradebook import: ``Student, ID, SIS User ID, SIS Login ID, Section``, then
  one column per assignment (its points), with a ``Points Possible`` row under the header.
* ``moodle.csv``: Moodle's "Import grades: CSV file": an identifier column per student (``Email
  address`` and ``ID number``; the teacher maps one of them to the user field) and one grade
  column per set.
"""
from __future__ import annotations

import csv
from pathlib import Path

from .core import Run, Submission
from .keys import Bank

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value) -> str:
    """Text for a CSV cell a spreadsheet will not run as a formula (student text is data)."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    text = str(value)
    if text.startswith(FORMULA_START):
        try:
            float(text)
            return text  # a negative number is a number
        except ValueError:
            return "'" + text
    return text


class Row:
    """A gradebook row: one student and their counted submissions, one per set."""

    def __init__(self, key: str):
        self.key = key
        self.name = ""
        self.email = ""
        self.login = ""
        self.section = ""
        self.lms_id = ""
        self.lms = ""
        self.by_set: dict[str, Submission] = {}
        self.files: list[str] = []


def students(run: Run) -> list[Row]:
    """Gradebook rows: roster students first (in roster order, with or without a submission), then others."""
    rows: dict[str, Row] = {}
    for r in run.roster or []:
        row = rows.setdefault(r.id, Row(r.id))
        row.name, row.email, row.login, row.section = r.name, r.email, r.login, r.section
        row.lms_id = r.canvas_id or r.moodle_id
        row.lms = "canvas" if r.canvas_id else ("moodle" if r.moodle_id else "")
    for sub in run.submissions:
        row = rows.setdefault(sub.student_key, Row(sub.student_key))
        row.files.append(sub.rel)
        if not row.name:
            row.name = sub.display_name
        if sub.ident.lms and not row.lms_id:
            row.lms, row.lms_id = sub.ident.lms, sub.ident.lms_id
        if sub.counted:
            row.by_set[sub.set] = sub
    return list(rows.values())


def graded_sets(run: Run) -> list[Bank]:
    present = {s.set for s in run.submissions}
    return [bank for set_id, bank in run.banks.items() if set_id in present]


def _write(path: Path, header: list[str], rows: list[list]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow([cell(h) for h in header])
        for row in rows:
            w.writerow([cell(v) for v in row])
    return path


def write_gradebook(run: Run, out: Path, rows: list[Row] | None = None) -> Path:
    rows = rows if rows is not None else students(run)
    sets = graded_sets(run)
    header = ["student_id", "name", "email", "lms_id"]
    for bank in sets:
        header += [f"{bank.set}/{ex_id}" for ex_id in bank.exercises]
        header += [f"{bank.set} total", f"{bank.set} late"]
    header += ["total", "possible", "percent", "pending", "files"]
    possible = sum(bank.max_points for bank in sets)
    body = []
    for st in rows:
        line = [st.key, st.name, st.email, st.lms_id]
        total, pending = 0.0, 0
        for bank in sets:
            sub = st.by_set.get(bank.set)
            if sub is None:
                line += [""] * len(bank.exercises) + ["", ""]
                continue
            for ex_id in bank.exercises:
                r = sub.results[ex_id]
                line.append("" if r.points is None else r.points)
            line += [sub.points, "late" if sub.late else ""]
            total += sub.points
            pending += sub.pending
        percent = round(100 * total / possible, 1) if possible else ""
        line += [total if st.by_set else "", possible, percent if st.by_set else "", pending or "",
                 "; ".join(st.files)]
        body.append(line)
    return _write(out / "gradebook.csv", header, body)


def write_canvas(run: Run, out: Path, rows: list[Row] | None = None) -> Path:
    """Canvas: Student, ID, SIS User ID, SIS Login ID, Section, then one column per set."""
    rows = rows if rows is not None else students(run)
    sets = graded_sets(run)
    header = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"] + [b.title for b in sets]
    body = [["Points Possible", "", "", "", ""] + [b.max_points for b in sets]]
    for st in rows:
        canvas_id = st.lms_id if st.lms == "canvas" else ""
        sis_id = st.key if run.roster and not st.key.startswith(("canvas:", "moodle:", "file:")) else ""
        line = [st.name, canvas_id, sis_id, st.login or st.email, st.section]
        for bank in sets:
            sub = st.by_set.get(bank.set)
            line.append("" if sub is None else sub.points)
        body.append(line)
    return _write(out / "canvas.csv", header, body)


def write_moodle(run: Run, out: Path, rows: list[Row] | None = None) -> Path:
    """Moodle: Email address and ID number to identify the user, then one grade column per set."""
    rows = rows if rows is not None else students(run)
    sets = graded_sets(run)
    header = ["ID number", "Email address", "Full name"] + [b.title for b in sets]
    body = []
    for st in rows:
        idnumber = st.key if run.roster and not st.key.startswith(("canvas:", "moodle:", "file:")) else ""
        line = [idnumber, st.email, st.name]
        for bank in sets:
            sub = st.by_set.get(bank.set)
            line.append("" if sub is None else sub.points)
        body.append(line)
    return _write(out / "moodle.csv", header, body)


def write_submissions(run: Run, out: Path) -> Path:
    """Every file seen that was graded: counted or superseded, late or not."""
    header = ["file", "student_id", "name", "set", "points", "possible", "status", "late", "late_reason", "saved"]
    body = []
    for sub in sorted(run.submissions, key=lambda s: (s.student_key, s.set, s.rel)):
        status = "counted" if sub.counted else f"superseded by {sub.superseded_by}"
        body.append([sub.rel, sub.student_key, sub.display_name, sub.set, sub.points,
                     run.banks[sub.set].max_points, status, "late" if sub.late else "", sub.late_reason,
                     sub.saved.isoformat() if sub.saved else ""])
    return _write(out / "submissions.csv", header, body)


def write_errors(run: Run, out: Path) -> Path:
    """errors.csv: file, reason, action (skipped / graded / not matched / superseded)."""
    return _write(out / "errors.csv", ["file", "reason", "action"],
                  [[p.file, p.reason, p.action] for p in run.problems])
