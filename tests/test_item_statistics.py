"""Item statistics checked against a class of five worked out by hand (course/grading.md,
"Item analysis: a worked example"), with Moodle's definitions."""
from __future__ import annotations

import csv
from pathlib import Path
from types import SimpleNamespace as NS

import pytest

from helpers.grading.core import Run
from helpers.grading.items import analyse_run, set_statistics, write_items_csv, write_sets_csv
from helpers.grading.keys import Bank, Scored

# Exercise a (1 point), b (1 point), c (2 points); five students.
MARKS = {"s1": (1, 1, 2), "s2": (1, 1, 1), "s3": (1, 0, 2), "s4": (0, 1, 0), "s5": (0, 0, 0)}
POINTS = {"a": 1.0, "b": 1.0, "c": 2.0}


def hand_class() -> Run:
    exercises = {k: NS(id=k, type="single", prompt=f"Exercise {k}", points=p, answer="x") for k, p in POINTS.items()}
    bank = Bank("s-hand", "Worked example", "practice", exercises)
    subs = []
    for student, marks in MARKS.items():
        results = {k: Scored(k, answered=True, answer="x" if m == POINTS[k] else "y", points=float(m),
                             max_points=POINTS[k], correct=m == POINTS[k])
                   for k, m in zip(POINTS, marks)}
        subs.append(NS(set="s-hand", results=results, counted=True, student_key=student))
    return Run(root=Path("."), banks={"s-hand": bank}, submissions=subs)


@pytest.fixture(scope="module")
def analysed():
    items, sets = analyse_run(hand_class())
    return {it.exercise: it for it in items}, [it.exercise for it in items], sets[0]


def test_facility_and_sd_per_exercise(analysed):
    items, _, _ = analysed
    # a: marks 1,1,1,0,0: mean 0.6, variance 1.2/4 = 0.3; c: mean 1 of 2, variance 4/4 = 1.
    assert items["a"].facility == pytest.approx(60.0)
    assert items["a"].sd == pytest.approx(54.772, abs=1e-3)  # 100 * sqrt(0.3) / 1
    assert items["c"].facility == pytest.approx(50.0)
    assert items["c"].sd == pytest.approx(50.0)  # 100 * sqrt(1) / 2


def test_discrimination_index_and_efficiency(analysed):
    items, _, _ = analysed
    # a: cov(a, rest) = 2.2/4 = 0.55, var(rest) = 5.2/4 = 1.3: 55 / sqrt(0.39) = 88.07 %;
    #    sorted pairs give the same 2.2, so the efficiency is 100 %.
    assert items["a"].discrimination_index == pytest.approx(88.070, abs=1e-3)
    assert items["a"].discriminative_efficiency == pytest.approx(100.0)
    # b: cov = 0.2/4 = 0.05, var(rest) = 9.2/4 = 2.3: 5 / sqrt(0.69) = 6.019 %; cov_max = 3.2/4: 6.25 %.
    assert items["b"].discrimination_index == pytest.approx(6.019, abs=1e-3)
    assert items["b"].discriminative_efficiency == pytest.approx(6.25)
    # c: cov = 2/4 = 0.5, var(rest) = 2.8/4 = 0.7: 50 / sqrt(0.7) = 59.761 %; cov_max = 3/4: 66.667 %.
    assert items["c"].discrimination_index == pytest.approx(59.761, abs=1e-3)
    assert items["c"].discriminative_efficiency == pytest.approx(66.667, abs=1e-3)
    assert items["a"].discrimination == pytest.approx(0.8807, abs=1e-4)


def test_intended_and_effective_weight(analysed):
    items, _, _ = analysed
    assert [items[k].intended_weight for k in "abc"] == pytest.approx([25.0, 25.0, 50.0])
    # cov with the total: 0.85, 0.35, 1.5; square roots 0.92195, 0.59161, 1.22474 (sum 2.73830).
    assert [items[k].effective_weight for k in "abc"] == pytest.approx([33.669, 21.605, 44.727], abs=1e-3)


def test_set_statistics(analysed):
    _, _, s = analysed
    assert (s.n, s.items, s.max_points) == (5, 3, 4.0)
    assert s.mean == pytest.approx(2.2) and s.median == 3
    assert s.sd == pytest.approx(1.643168, abs=1e-6)  # sqrt(10.8 / 4)
    assert s.skewness == pytest.approx(-0.518421, abs=1e-6)  # -2.3 / 2.7^1.5
    assert s.kurtosis == pytest.approx(-1.687243, abs=1e-6)  # -12.3 / 2.7^2
    assert s.alpha == pytest.approx(61.111, abs=1e-3)  # 150 * (1 - 1.6 / 2.7)
    assert s.error_ratio == pytest.approx(62.361, abs=1e-3)  # 100 * sqrt(1 - 0.61111)
    assert s.standard_error == pytest.approx(1.024695, abs=1e-6)  # 0.62361 * 1.64317
    assert s.percent(s.mean) == pytest.approx(55.0)


def test_flagged_items_come_first(analysed):
    items, order, _ = analysed
    assert items["b"].flags == ["discriminative efficiency below 15%"]
    assert items["a"].flags == [] and items["c"].flags == []
    assert order[0] == "b"


def test_negative_discrimination_and_no_effective_weight():
    run = hand_class()
    for sub, mark in zip(run.submissions, (0, 0, 0, 1, 1)):  # only the two weakest get b right
        sub.results["b"].points = float(mark)
    items, _ = analyse_run(run)
    b = next(it for it in items if it.exercise == "b")
    assert items[0] is b and b.flags[0] == "negative discrimination"
    assert b.discrimination_index < 0 and b.negative_covariance and b.effective_weight is None


def test_small_and_constant_sets_give_no_figure_rather_than_nonsense():
    assert set_statistics([3.0], [0.0])["sd"] is None
    flat = set_statistics([2.0, 2.0, 2.0, 2.0], [0.0, 0.0])
    assert flat["sd"] == 0 and flat["skewness"] is None and flat["alpha"] is None


def test_csv_files_carry_the_figures(analysed, tmp_path):
    items, sets = analyse_run(hand_class())
    with open(write_items_csv(items, tmp_path), encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert rows[0]["exercise"] == "b" and rows[0]["discriminative efficiency %"] == "6.25"
    with open(write_sets_csv(sets, tmp_path), encoding="utf-8") as fh:
        row = next(csv.DictReader(fh))
    assert row["cronbach alpha %"] == "61.11" and row["median %"] == "75" and row["kurtosis"] == "-1.6872"


def test_the_grade_command_writes_both_files(tmp_path):
    from helpers.grading import synthetic
    from helpers.grading.cli import main

    s1 = "01-soft-power"
    synthetic.write_bank(tmp_path / "bank", s1)
    right = {f"x01-{t}": v for t, v in synthetic.RIGHT.items() if t != "text"}
    for i, wrong in enumerate(["single", "numeric", "order", None]):
        answers = dict(right)
        if wrong:
            answers[f"x01-{wrong}"] = synthetic.WRONG[wrong][0]
        synthetic.answer_notebook(tmp_path / "subs" / f"s{i}_{i + 1}_1_{s1}.ipynb", s1, answers)
    out = tmp_path / "out"
    assert main([str(tmp_path / "subs"), "--out", str(out), "--bank", str(tmp_path / "bank"), "--quiet", "--no-chart"]) == 0
    with open(out / "sets.csv", encoding="utf-8") as fh:
        row = next(csv.DictReader(fh))
    # x01-text is unanswered (0 of 2 points, scored), so every exercise enters: 8 exercises, 13
    # points; totals 10 (single wrong), 10 (numeric wrong), 10.67 (order: 2 of 3 pairs), 11
    assert (row["set"], row["n"], row["exercises"], row["max points"]) == (s1, "4", "8", "13")
    assert float(row["mean"]) == pytest.approx((10 + 10 + 10.67 + 11) / 4, abs=0.01)
    assert float(row["median"]) == pytest.approx((10 + 10.67) / 2, abs=0.01)
    with open(out / "items.csv", encoding="utf-8") as fh:
        items = {r["exercise"]: r for r in csv.DictReader(fh)}
    assert items["x01-single"]["facility %"] == "75" and items["x01-text"]["facility %"] == "0"
