"""The bad-input corpus: every valid submission is graded, every bad file is reported with a reason."""
from __future__ import annotations

from pathlib import Path

import pytest

from helpers.grading import synthetic
from helpers.grading.cli import main

from grading_support import corpus_generator, read_csv


def _corpus_module():
    return corpus_generator("make_corpus")


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("corpus")
    marker = tmp / "MARKER-student-code-ran"
    manifest = _corpus_module().build(tmp / "submissions", marker)
    synthetic.write_bank(tmp / "bank", "01-soft-power")
    code = main([str(tmp / "submissions"), "--out", str(tmp / "out"), "--bank", str(tmp / "bank"), "--quiet"])
    return dict(tmp=tmp, manifest=manifest, code=code, marker=marker,
                errors=read_csv(tmp / "out" / "errors.csv"), subs=read_csv(tmp / "out" / "submissions.csv"),
                book=read_csv(tmp / "out" / "gradebook.csv"))


def test_the_corpus_has_at_least_40_bad_inputs(graded):
    bad = [name for name, (action, _) in graded["manifest"].items() if action != "ok"]
    assert len(bad) >= 40, bad


def test_the_run_finishes(graded):
    assert graded["code"] == 0


def test_every_bad_file_is_reported_once_with_its_reason(graded):
    reasons: dict[str, list[dict]] = {}
    for row in graded["errors"]:
        reasons.setdefault(row["file"], []).append(row)
    for name, (action, phrase) in graded["manifest"].items():
        if action == "ok":
            continue
        rows = reasons.get(name)
        assert rows, f"{name} is not in errors.csv"
        assert any(phrase.lower() in r["reason"].lower() for r in rows), (name, phrase, rows)
        assert all(r["action"] == action for r in rows), (name, action, rows)
        if action == "skipped":
            assert len(rows) == 1, rows


def test_every_valid_submission_is_graded_with_full_marks(graded):
    counted = {r["file"]: r for r in graded["subs"] if r["status"] == "counted"}
    for name, (action, _) in graded["manifest"].items():
        if action != "ok":
            continue
        assert name in counted, f"{name} was not graded"
    # All "ok" files answer everything right except the one-record file; short text awaits the teacher.
    for name, (action, _) in graded["manifest"].items():
        if action == "ok" and name != "execute_result_output.ipynb":
            assert float(counted[name]["points"]) == 11.0, (name, counted[name])
    assert float(counted["execute_result_output.ipynb"]["points"]) == 1.0


def test_skipped_files_are_not_graded(graded):
    graded_files = {r["file"] for r in graded["subs"]}
    for name, (action, _) in graded["manifest"].items():
        if action == "skipped":
            assert name not in graded_files, name


def test_wrong_types_get_no_credit(graded):
    row = next(r for r in graded["subs"] if r["file"] == "wrong_types.ipynb")
    assert float(row["points"]) == 0.0


def test_the_code_cell_in_a_submission_never_ran(graded):
    assert not graded["marker"].exists()
    assert not Path("/tmp/stolen-key").exists()


def test_the_later_of_two_submissions_counts(graded):
    rows = [r for r in graded["subs"] if r["student_id"] == "canvas:4242"]
    assert {r["file"]: r["status"].split()[0] for r in rows} == {
        "tranthib_4242_1_01-soft-power.ipynb": "superseded",
        "tranthib_4242_2_01-soft-power-1.ipynb": "counted",
    }


def test_an_empty_folder_is_one_clear_line(tmp_path, capsys):
    synthetic.write_bank(tmp_path / "bank", "01-soft-power")
    (tmp_path / "subs").mkdir()
    assert main([str(tmp_path / "subs"), "--out", str(tmp_path / "out"), "--bank", str(tmp_path / "bank")]) == 0
    errors = read_csv(tmp_path / "out" / "errors.csv")
    assert [e["reason"] for e in errors] == ["no files to grade in this folder"]
    assert "Graded 0 submission(s)" in capsys.readouterr().out
