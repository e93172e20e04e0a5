"""The grader against the course's own exercise banks and the widgets' own record writer."""
from __future__ import annotations

import csv
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_notebook, new_output

from helpers import ROOT
from helpers.exercises.record import build_record, bundle
from helpers.grading.cli import main
from helpers.grading.keys import load_banks

BANKS = load_banks()


def right_answer(ex):
    if ex.type == "evidence":
        return ex.answer[0] if isinstance(ex.answer, list) else ex.answer
    if ex.type == "text":
        return "Soft power is the power to attract [quy2024 ¶2]."
    return ex.answer


def handed_in(path: Path, set_id: str, answer_of) -> Path:
    """A notebook whose exercise cells carry the display bundles the widgets write."""
    cells = []
    for ex in BANKS[set_id].exercises.values():
        rec = build_record(set_id, ex.id, ex.type, answer_of(ex))
        cells.append(new_code_cell(f"ex.show({ex.id!r})", outputs=[new_output("display_data", data=bundle(rec))]))
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(new_notebook(cells=cells), str(path))
    return path


def test_the_grader_loads_every_bank_of_the_course():
    assert set(BANKS) == {p.stem for p in (ROOT / "course" / "exercises").glob("*.yml")}
    assert "00-start-here" in BANKS


def test_every_set_of_the_course_is_graded_with_full_marks_for_the_key(tmp_path):
    assert BANKS
    for set_id in BANKS:
        handed_in(tmp_path / "subs" / f"keymaster_1_1_{set_id}.ipynb", set_id, right_answer)
        handed_in(tmp_path / "subs" / f"blank_2_1_{set_id}.ipynb", set_id, lambda ex: None)
    assert main([str(tmp_path / "subs"), "--out", str(tmp_path / "out"), "--quiet", "--no-chart"]) == 0
    with open(tmp_path / "out" / "submissions.csv", newline="", encoding="utf-8") as fh:
        rows = {(r["student_id"], r["set"]): r for r in csv.DictReader(fh)}
    for set_id, bank in BANKS.items():
        text_points = sum(ex.points for ex in bank.exercises.values() if ex.type == "text")
        assert float(rows[("canvas:1", set_id)]["points"]) == bank.max_points - text_points, set_id
        assert float(rows[("canvas:2", set_id)]["points"]) == 0.0, set_id
