"""Short-text answers out to one CSV for the teacher to score; the scores merged back in.

``freetext.csv`` columns: ``student_id, name, set, exercise, prompt, rubric, max_points, answer,
score, comment``. The teacher fills ``score`` (a number from 0 to ``max_points``; blank = not yet)
and optionally ``comment``, then runs the grade command again with ``--scores freetext.csv``.
"""
from __future__ import annotations

import csv
import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from .core import Run
from .gradebook import _write, pts
from .untrusted import visible

SCORE = re.compile(r"[0-9]{1,6}(?:[.,][0-9]{1,6})?")
"""A score as the teacher types it: a plain decimal number (comma or point), nothing else."""

HEADER = ["student_id", "name", "set", "exercise", "prompt", "rubric", "max_points", "answer", "score", "comment"]


def _rubric(exercise) -> str:
    rubric = exercise.spec.get("rubric") or []
    return "\n".join(f"• {r}" for r in rubric)


def write_freetext(run: Run, out: Path) -> Path:
    rows = []
    for sub in run.counted:
        bank = run.banks[sub.set]
        for ex_id, r in sub.results.items():
            exercise = bank.exercises[ex_id]
            if exercise.type != "text" or not r.answered or not isinstance(r.answer, str):
                continue
            rows.append([sub.student_key, sub.display_name, sub.set, ex_id, exercise.prompt.strip(),
                         _rubric(exercise), pts(r.max_points), r.answer, pts(r.points), r.comment])
    rows.sort(key=lambda row: (row[2], row[3], row[0]))  # one exercise at a time: fairer marking
    return _write(out / "freetext.csv", HEADER, rows)


def merge_scores(run: Run, scores_csv: Path | str) -> list[str]:
    """Put the teacher's scores into the run. Returns one line per row that could not be used."""
    problems: list[str] = []
    index = {(s.student_key, s.set): s for s in run.counted}
    scores_csv = Path(scores_csv)
    try:
        with open(scores_csv, newline="", encoding="utf-8-sig") as fh:
            reader = csv.DictReader(fh)
            missing = {"student_id", "set", "exercise", "score"} - set(reader.fieldnames or [])
            if missing:
                return [f"{scores_csv.name}: missing column(s) {', '.join(sorted(missing))}; no scores merged"]
            rows = list(reader)
    except (OSError, UnicodeDecodeError, csv.Error) as err:
        return [f"{scores_csv.name}: cannot read ({err}); no scores merged"]
    for line, row in enumerate(rows, start=2):
        where = f"{scores_csv.name} line {line}"
        raw = (row.get("score") or "").strip()
        if not raw:
            continue
        student = (row.get("student_id") or "").strip()
        if student.startswith("'"):
            student = student[1:]
        sub = index.get((student, (row.get("set") or "").strip()))
        ex_id = (row.get("exercise") or "").strip()
        if sub is None:
            problems.append(f"{where}: no counted submission of {visible(row.get('set'), limit=60)} by "
                            f"'{visible(student, limit=60)}'; score not used")
            continue
        result = sub.results.get(ex_id)
        if result is None or run.banks[sub.set].exercises[ex_id].type != "text":
            problems.append(f"{where}: '{visible(ex_id, limit=60)}' is not a short-text exercise of {sub.set}; "
                            "score not used")
            continue
        if not SCORE.fullmatch(raw):
            problems.append(f"{where}: score '{visible(raw, limit=40)}' is not a plain number; not used")
            continue
        value = Decimal(raw.replace(",", ".")).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        if value > Decimal(repr(float(result.max_points))):
            problems.append(f"{where}: score {raw} is outside 0–{pts(result.max_points)}; not used")
            continue
        result.points = float(value)
        result.correct = result.points >= result.max_points
        result.message = "scored by the teacher"
        result.comment = visible((row.get("comment") or "").strip(), keep_newlines=True)[:2000]
    return problems
