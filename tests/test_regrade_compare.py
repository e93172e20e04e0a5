"""Regrading after a key correction: --compare lists, per student, every score that changed."""
from __future__ import annotations

import csv

import yaml

from helpers.grading import synthetic
from helpers.grading.cli import main
from helpers.grading.compare import compare

S1 = "01-soft-power"
RIGHT = {f"x01-{t}": v for t, v in synthetic.RIGHT.items()}


def rows(path):
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_a_key_correction_lists_each_changed_score(tmp_path, capsys):
    bank = tmp_path / "bank"
    synthetic.write_bank(bank, S1)
    subs = tmp_path / "subs"
    synthetic.answer_notebook(subs / f"an_101_1_{S1}.ipynb", S1, RIGHT)  # x01-single: a
    synthetic.answer_notebook(subs / f"binh_102_2_{S1}.ipynb", S1, {**RIGHT, "x01-single": "b"})
    synthetic.answer_notebook(subs / f"chi_103_3_{S1}.ipynb", S1, {**RIGHT, "x01-single": "c", "x01-numeric": 12})
    old = tmp_path / "grades-v1"
    assert main([str(subs), "--out", str(old), "--bank", str(bank), "--quiet", "--no-chart"]) == 0

    # The erratum: the key of x01-single is b, not a.
    path = bank / f"{S1}.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for ex in data["exercises"]:
        if ex["id"] == "x01-single":
            ex["answer"] = "b"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    capsys.readouterr()
    new = tmp_path / "grades-v2"
    assert main([str(subs), "--out", str(new), "--bank", str(bank), "--quiet", "--no-chart", "--compare", str(old)]) == 0
    changes = rows(new / "changes.csv")
    assert [(c["student_id"], c["exercise"], c["old points"], c["new points"], c["change"]) for c in changes] == [
        ("canvas:101", f"{S1}/x01-single", "1", "0", "-1"),
        ("canvas:102", f"{S1}/x01-single", "0", "1", "1"),
    ]  # chi chose c: wrong before and after, so not listed
    screen = capsys.readouterr().out
    assert "2 score(s) changed for 2 student(s)" in screen and f"{S1}/x01-single -1" in screen


def test_no_change_and_same_folder(tmp_path, capsys):
    bank = tmp_path / "bank"
    synthetic.write_bank(bank, S1)
    subs = tmp_path / "subs"
    synthetic.answer_notebook(subs / f"an_101_1_{S1}.ipynb", S1, RIGHT)
    out = tmp_path / "grades"
    assert main([str(subs), "--out", str(out), "--bank", str(bank), "--quiet", "--no-chart"]) == 0
    # --compare the folder being rewritten: the earlier gradebook is read before it is replaced
    assert main([str(subs), "--out", str(out), "--bank", str(bank), "--quiet", "--no-chart", "--compare", str(out)]) == 0
    assert rows(out / "changes.csv") == []
    assert "no score changed" in capsys.readouterr().out


def test_a_student_or_exercise_in_one_run_only(tmp_path):
    header = "student_id,name,s/a,s/b,s total\n"
    (tmp_path / "old.csv").write_text(header + "u1,An,1,0,1\nu2,Binh,1,1,2\n", encoding="utf-8")
    (tmp_path / "new.csv").write_text("student_id,name,s/a,s total\nu1,An,0.5,0.5\nu3,Chi,1,1\n", encoding="utf-8")
    got = [(c.student, c.exercise, c.old, c.new, c.delta) for c in compare(tmp_path / "old.csv", tmp_path / "new.csv")]
    assert got == [("u1", "s/a", 1.0, 0.5, -0.5), ("u1", "s/b", 0.0, None, None), ("u3", "s/a", None, 1.0, None),
                   ("u2", "s/a", 1.0, None, None), ("u2", "s/b", 1.0, None, None)]


def test_missing_earlier_results_are_refused(tmp_path, capsys):
    bank = tmp_path / "bank"
    synthetic.write_bank(bank, S1)
    synthetic.answer_notebook(tmp_path / "subs" / f"an_101_1_{S1}.ipynb", S1, RIGHT)
    assert main([str(tmp_path / "subs"), "--out", str(tmp_path / "o"), "--bank", str(bank), "--quiet",
                 "--compare", str(tmp_path / "nowhere")]) == 2
    assert "give the --out folder of the earlier run" in capsys.readouterr().err
