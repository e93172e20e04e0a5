"""The gradebook CSV and the Canvas and Moodle import files.

Formats (see course/grading.md for where they are documented):

* ``gradebook.csv``: a row per student; ``student_id, name, email, lms_id``; then for each set a column
  per exercise (``01-soft-power/sp-01``: points, blank when a short-text answer awaits the teacher),
  ``<set> total``, ``<set> late``; then ``total``, ``possible``, ``percent``, ``pending``, ``files``.
* ``canvas.csv``: Canvas's gradebook import: ``Student, ID, SIS User ID, SIS Login ID, Section``, then
  one column per assignment (its points), with a ``Points Possible`` row under the header.
* ``moodle.csv``: Moodle's "Import grades: CSV file": one identifier column (``Email address``,
  ``ID number`` or ``Username``, as ``--moodle-user-field`` says), ``Full name``, then one grade
  column per set; rows Moodle could not match are left out and listed in errors.csv.
"""
from __future__ import annotations

import csv
import math
import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from .core import Problem, Run, Submission, points_decimal
from .keys import Bank
from .untrusted import visible, write_atomic

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"-?[0-9]{1,15}(?:\.[0-9]{1,15})?")
"""The only text starting with "-" left as it is: a plain decimal number. "-inf", "+nan", "-1e9",
"+5" all start a formula in a spreadsheet, so they get the "'" prefix like any other."""


def cell(value, *, keep_newlines: bool = True) -> str:
    """Text for a CSV cell a spreadsheet will not run as a formula (student text is data), with
    control characters made visible (newlines and tabs kept when ``keep_newlines``)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return f"{value:g}" if math.isfinite(value) else ""
    if isinstance(value, Decimal):
        return format(value, "f")
    text = visible(str(value), keep_newlines=keep_newlines)
    if text.startswith(FORMULA_START) and not PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def pts(value) -> str:
    """Points as written in every output: half-up to 2 decimals, no trailing zeros (0.625 -> 0.63,
    11.0 -> 11); blank for None."""
    if value is None or value == "":
        return ""
    d = points_decimal(value)
    return format(d.normalize() if d != d.to_integral() else d.to_integral(), "f")


def percent(total: float, possible: float) -> str:
    """100 × total / possible, half-up to 1 decimal."""
    if not possible:
        return ""
    d = (Decimal(repr(float(total))) * 100 / Decimal(repr(float(possible)))).quantize(Decimal("0.1"),
                                                                                      rounding=ROUND_HALF_UP)
    return format(d.normalize() if d != d.to_integral() else d.to_integral(), "f")


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
        row.files.append(sub.rel + (" (conflict: counted for nobody)" if sub.conflict else ""))
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


def _write(path: Path, header: list[str], rows: list[list], *, keep_newlines: bool = True) -> Path:
    """A CSV written whole or not at all (temporary file, then renamed into place)."""

    def body(fh) -> None:
        w = csv.writer(fh)
        w.writerow([cell(h, keep_newlines=keep_newlines) for h in header])
        for row in rows:
            w.writerow([cell(v, keep_newlines=keep_newlines) for v in row])

    return write_atomic(path, body)


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
        total, pending = Decimal(0), 0
        for bank in sets:
            sub = st.by_set.get(bank.set)
            if sub is None:
                line += [""] * len(bank.exercises) + ["", ""]
                continue
            for ex_id in bank.exercises:
                r = sub.results[ex_id]
                line.append(pts(r.points))
            line += [pts(sub.points), "late" if sub.late else ""]
            total += points_decimal(sub.points)
            pending += sub.pending
        line += [pts(total) if st.by_set else "", pts(possible), percent(total, possible) if st.by_set else "",
                 pending or "", "; ".join(st.files)]
        body.append(line)
    return _write(out / "gradebook.csv", header, body)


# --- Canvas -------------------------------------------------------------------------------------
# The rules below are those of Canvas's importer (instructure/canvas-lms, lib/gradebook_importer.rb,
# and Assignment.title_and_id in app/models/assignment.rb); tests/test_grading_lms.py re-states them.

CANVAS_DROPPED = ("Current Score", "Current Points", "Current Grade", "Final Score", "Final Points",
                  "Final Grade", "Override Score", "Override Grade", "Override Status")
"""Canvas drops every column whose title merely *contains* one of these (case-sensitive)."""
CANVAS_TITLE_AND_ID = re.compile(r"\A(.*)\s\(([0-9]+)\)\Z", re.DOTALL)
"""A column titled ``Name (123)`` is assignment 123 to Canvas, whatever the name."""
CANVAS_ROW_MARKERS = ("Points Possible",)
"""A row whose first cell contains this is read as the points-possible row, not as a student."""


def canvas_title(title: str) -> tuple[str, str]:
    """A column title Canvas will neither drop nor read as an assignment id, and what was changed
    (empty when nothing was): a dropped phrase loses its capital (``Final Grade`` -> ``Final grade``:
    Canvas matches case-sensitively), a trailing ``(123)`` becomes ``[123]``."""
    new = " ".join(visible(title).split()) or "Assignment"
    changes = []
    for phrase in CANVAS_DROPPED:
        if phrase in new:
            first, second = phrase.split(" ", 1)
            new = new.replace(phrase, f"{first} {second.lower()}")
            changes.append(f"Canvas drops a column whose title contains {phrase!r}")
    m = CANVAS_TITLE_AND_ID.match(new)
    if m:
        new = f"{m.group(1)} [{m.group(2)}]"
        changes.append("Canvas reads a title ending in '(number)' as an assignment id")
    return new, "; ".join(changes)


def canvas_columns(sets: list[Bank], ids: dict[str, str] | None = None) -> list[tuple[str, str]]:
    """(header, note) per set: ``Title (ID)`` when the teacher gave the Canvas assignment id (Canvas
    then matches by id), else a safe title (Canvas matches an existing assignment by exact title,
    else creates a new one). Titles are made unique; the note says what was changed, if anything."""
    ids = ids or {}
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    for bank in sets:
        title, note = canvas_title(bank.title)
        header = title
        if bank.set in ids:
            header = f"{title} ({ids[bank.set]})"
        elif title in seen:
            header, _ = canvas_title(f"{title} [{bank.set}]")
            note = (note + "; " if note else "") + "two sets have this title"
        seen.add(header)
        out.append((header, note))
    return out


def canvas_name(name: str) -> str:
    """A student's name as Canvas may read it: one line, never taken for the points-possible row."""
    name = " ".join(visible(name).split())
    for marker in CANVAS_ROW_MARKERS:
        first, second = marker.split(" ", 1)
        name = name.replace(marker, f"{first} {second.lower()}")
    return name


def write_canvas(run: Run, out: Path, rows: list[Row] | None = None, ids: dict[str, str] | None = None) -> Path:
    """Canvas: Student, ID, SIS User ID, SIS Login ID, Section, then one column per set, with a
    Points Possible row. ``ids`` maps a set id to its Canvas assignment id (``--canvas-assignment``)."""
    rows = rows if rows is not None else students(run)
    sets = graded_sets(run)
    columns = canvas_columns(sets, ids)
    for bank, (header, note) in zip(sets, columns):
        if note:
            run.problems.append(Problem("canvas.csv", f"the column for {bank.set} is titled '{header}': {note}",
                                        "canvas column"))
    header = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"] + [h for h, _ in columns]
    body = [["Points Possible", "", "", "", ""] + [pts(b.max_points) for b in sets]]
    for st in rows:
        if not st.by_set and not (run.roster and st.key in {r.id for r in run.roster}):
            continue  # no counted work and not on the roster: nothing to import
        canvas_id = st.lms_id if st.lms == "canvas" else ""
        sis_id = st.key if run.roster and not st.key.startswith(("canvas:", "moodle:", "file:")) else ""
        line = [canvas_name(st.name), canvas_id, sis_id, st.login or st.email, st.section]
        for bank in sets:
            sub = st.by_set.get(bank.set)
            line.append("" if sub is None else pts(sub.points))
        body.append(line)
    return _write(out / "canvas.csv", header, body, keep_newlines=False)


# --- Moodle -------------------------------------------------------------------------------------
# Moodle's "Import grades: CSV file" (grade/import/csv/classes/load_data.php) identifies each row
# by ONE field the teacher maps (user id, username, ID number or email address) and aborts the
# WHOLE import at the first row whose user it cannot find, or whose field is empty; a grade must
# be a number (or empty / "-" for none) and at most 100 unless the site raised that limit.

MOODLE_FIELDS = {"email": "Email address", "idnumber": "ID number", "username": "Username"}
MOODLE_MAX_GRADE = 100.0
MOODLE_TIME_EXPORTED = "Last downloaded from this course"
"""A column with this title is read as the export time and checked against the grades' dates."""


def moodle_identifier(st: Row, run: Run, field_name: str) -> str:
    if field_name == "email":
        return st.email.strip()
    if field_name == "username":
        return st.login.strip()
    on_roster = run.roster and not st.key.startswith(("canvas:", "moodle:", "file:"))
    return st.key.strip() if on_roster else ""


def write_moodle(run: Run, out: Path, rows: list[Row] | None = None, field_name: str = "email") -> Path:
    """Moodle: the identifying field (``--moodle-user-field``: email, idnumber or username), the
    full name (not imported) and one grade column per set. Rows Moodle could not match (no such
    field, or the same value twice) are left out and listed in errors.csv, so the import goes
    through for everyone else."""
    rows = rows if rows is not None else students(run)
    sets = graded_sets(run)
    label = MOODLE_FIELDS[field_name]
    titles, seen = [], {label.casefold(), "full name"}
    for bank in sets:
        title = " ".join(visible(bank.title).split()) or bank.set
        if title.casefold() in seen or title == MOODLE_TIME_EXPORTED:
            title = f"{title} [{bank.set}]"
        seen.add(title.casefold())
        titles.append(title)
    keep: list[tuple[str, Row]] = []
    counts: dict[str, int] = {}
    for st in rows:
        if not st.by_set:
            continue  # nothing graded: an empty cell would clear a grade already in Moodle
        value = moodle_identifier(st, run, field_name)
        if value:
            counts[value.casefold()] = counts.get(value.casefold(), 0) + 1
        keep.append((value, st))
    body = []
    if keep and not counts:
        hint = "grade with --roster" if not run.roster else f"add a {label.lower()} column to the roster"
        run.problems.append(Problem("moodle.csv", f"no student has a {label.lower()}, so moodle.csv has no rows "
                                    f"({hint}, or choose another --moodle-user-field)", "not in moodle.csv"))
        keep = []
    for value, st in keep:
        where = next((s.rel for s in st.by_set.values()), st.key)
        who = f"{st.name or st.key} ({st.key})" if st.name and st.name != st.key else st.key
        if not value:
            why = f"no {label.lower()} (Moodle would stop the whole import at this row)"
            run.problems.append(Problem(where, f"{who} left out of moodle.csv: {why}", "not in moodle.csv"))
            continue
        if counts[value.casefold()] > 1:
            run.problems.append(Problem(where, f"{who} left out of moodle.csv: {label.lower()} '{visible(value)}' "
                                               "belongs to more than one gradebook row", "not in moodle.csv"))
            continue
        line = [value, " ".join(visible(st.name).split())]
        for bank in sets:
            sub = st.by_set.get(bank.set)
            line.append("" if sub is None else pts(sub.points))
        body.append(line)
    for bank in sets:
        if bank.max_points > MOODLE_MAX_GRADE:
            run.problems.append(Problem("moodle.csv", f"{bank.set} is out of {pts(bank.max_points)} points; Moodle "
                                        f"refuses grades over {MOODLE_MAX_GRADE:g} unless the site allows more",
                                        "moodle column"))
    return _write(out / "moodle.csv", [label, "Full name"] + titles, body, keep_newlines=False)


def write_submissions(run: Run, out: Path) -> Path:
    """Every file seen that was graded: counted or superseded, late or not."""
    header = ["file", "student_id", "name", "set", "points", "possible", "status", "late", "late_reason", "saved"]
    body = []
    for sub in sorted(run.submissions, key=lambda s: (s.student_key, s.set, s.rel)):
        status = ("counted" if sub.counted else "conflict: counted for nobody" if sub.conflict
                  else f"superseded by {sub.superseded_by}")
        body.append([sub.rel, sub.student_key, sub.display_name, sub.set, pts(sub.points),
                     pts(run.banks[sub.set].max_points), status, "late" if sub.late else "", sub.late_reason,
                     sub.saved.isoformat() if sub.saved else ""])
    return _write(out / "submissions.csv", header, body)


def write_errors(run: Run, out: Path) -> Path:
    """errors.csv: file, reason, action (skipped / graded / not matched / superseded / conflict / …)."""
    return _write(out / "errors.csv", ["file", "reason", "action"],
                  [[p.file, p.reason, p.action] for p in run.problems])
