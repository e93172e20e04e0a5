"""The grader's number rules (course/grading.md, "Numbers"): exact tolerances, points half-up to
2 decimals, percent half-up to 1, teacher's scores read strictly, number-like text neutralised."""
from __future__ import annotations

import csv
from pathlib import Path

import yaml

from helpers.grading import synthetic
from helpers.grading.cli import main

from grading_support import H, read_csv

SET = "01-soft-power"


def number_bank(folder: Path) -> None:
    """A set with a tolerance-0 numeric key of -3, and an 8-item classify worth 1 point."""
    items = [{"id": f"i{n}", "text": f"Item {n}"} for n in range(8)]
    data = {"set": SET, "title": "Numbers", "mode": "practice", "exercises": [
        {"id": "n-exact", "type": "numeric", "prompt": "Give the change.", "answer": -3, "tolerance": 0,
         "explanation": "Minus three [quy2024 ¶3].", "cites": ["quy2024 ¶3"], "points": 1},
        {"id": "n-sort", "type": "classify", "prompt": "Sort each item.", "items": items,
         "categories": ["a", "b"], "answer": {f"i{n}": "a" for n in range(8)},
         "explanation": "All a [quy2024 ¶3].", "cites": ["quy2024 ¶3"], "points": 1},
        {"id": "n-text", "type": "text", "prompt": "Explain.", "rubric": ["Clear"], "model_answer": "x",
         "explanation": "See [quy2024 ¶2].", "cites": ["quy2024 ¶2"], "points": 2},
    ]}
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{SET}.yml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


def five_of_eight() -> dict:
    return {f"i{n}": ("a" if n < 5 else "b") for n in range(8)}


def grade(tmp: Path, *extra) -> Path:
    out = tmp / "out"
    assert main([str(tmp / "subs"), "--out", str(out), "--bank", str(tmp / "bank"), "--quiet", *extra]) == 0
    return out


def test_a_tolerance_of_zero_is_exact_and_five_eighths_of_a_point_is_063(tmp_path):
    number_bank(tmp_path / "bank")
    subs = tmp_path / "subs"
    synthetic.answer_notebook(subs / "near_1_1_x.ipynb", SET, {"n-exact": -2.999999999, "n-sort": five_of_eight()})
    synthetic.answer_notebook(subs / "exact_2_2_x.ipynb", SET, {"n-exact": -3, "n-sort": five_of_eight()})
    out = grade(tmp_path)
    book = {r["student_id"]: r for r in read_csv(out / "gradebook.csv")}
    assert book["canvas:1"][f"{SET}/n-exact"] == "0"
    assert book["canvas:2"][f"{SET}/n-exact"] == "1"
    assert book["canvas:1"][f"{SET}/n-sort"] == "0.63"  # 5/8 of 1 point, half up
    assert book["canvas:1"]["total"] == "0.63" and book["canvas:2"]["total"] == "1.63"
    assert book["canvas:2"]["percent"] == "40.8"  # 1.63 / 4 = 40.75 %, half up
    subs_rows = {r["file"]: r for r in read_csv(out / "submissions.csv")}
    assert subs_rows["exact_2_2_x.ipynb"]["points"] == "1.63"
    canvas = {r[1]: r[-1] for r in csv.reader(open(out / "canvas.csv", encoding="utf-8"))}
    assert canvas["1"] == "0.63" and canvas["2"] == "1.63"


def test_points_and_percent_round_half_up():
    from helpers.grading.gradebook import percent, pts

    assert [pts(v) for v in (0.625, 0.615, 2.675, 1.005, 11.0, 0, None, 1234567.5)] == [
        "0.63", "0.62", "2.68", "1.01", "11", "0", "", "1234567.5"]
    assert percent(1, 16) == "6.3" and percent(1, 8) == "12.5" and percent(0, 5) == "0" and percent(1, 0) == ""


def test_number_like_text_is_neutralised_in_freetext(tmp_path):
    synthetic.write_bank(tmp_path / "bank", SET)
    H.formula_texts(tmp_path / "subs")
    synthetic.answer_notebook(tmp_path / "subs" / "plain_400_1_x.ipynb", SET, {"x01-text": "-3"})
    out = grade(tmp_path)
    answers = {r["answer"] for r in read_csv(out / "freetext.csv")}
    assert answers == {"'" + t for t in H.FORMULA_TEXTS} | {"-3"}  # only a plain number is left as it is


def test_teacher_scores_are_plain_numbers_rounded_half_up(tmp_path):
    synthetic.write_bank(tmp_path / "bank", SET)
    for i in range(7):
        synthetic.answer_notebook(tmp_path / "subs" / f"s{i}_{500 + i}_1_x.ipynb", SET, {"x01-text": f"Answer {i}"})
    out = grade(tmp_path)
    rows = read_csv(out / "freetext.csv")
    typed = {"canvas:500": "0,625", "canvas:501": "inf", "canvas:502": "nan", "canvas:503": "1e400",
             "canvas:504": "\u0661", "canvas:505": "2" + "0" * 5000, "canvas:506": "-0"}
    for r in rows:
        r["score"] = typed[r["student_id"]]
    scores = tmp_path / "scores.csv"
    with open(scores, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    out = grade(tmp_path, "--scores", str(scores))
    book = {r["student_id"]: r for r in read_csv(out / "gradebook.csv")}
    assert book["canvas:500"][f"{SET}/x01-text"] == "0.63"
    for sid in ("canvas:501", "canvas:502", "canvas:503", "canvas:504", "canvas:505", "canvas:506"):
        assert book[sid][f"{SET}/x01-text"] == "", sid
    refused = [e for e in read_csv(out / "errors.csv") if e["action"] == "score not merged"]
    assert len(refused) == 6 and all(len(e["reason"]) < 200 for e in refused)
