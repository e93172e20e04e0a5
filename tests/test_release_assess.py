"""`release --assess SET ...` (and `make student-edition ASSESS="..."`): chosen sets in assessment
mode in the edition, without editing the bank files."""
from __future__ import annotations

import subprocess

import pytest
import yaml

from helpers import ROOT
from helpers.exercises import bank
from helpers.publishing.release import build, main

from test_release import leaks, make_course

SETS = ["02-new-diplomacy", "03-international-integration"]


@pytest.fixture(scope="module")
def assessed(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("assess")
    root = make_course(tmp)
    before = {p.name: p.read_text(encoding="utf-8") for p in (root / "course" / "exercises").glob("*.yml")}
    out = tmp / "edition"
    assert main(["--out", str(out), "--root", str(root), "--assess", *SETS]) == 0
    return root, out, before


def test_chosen_sets_are_in_assessment_mode_with_no_key(assessed):
    root, out, _ = assessed
    for path in sorted((out / "course" / "exercises").glob("*.yml")):
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        source = bank.load_bank(root / "course" / "exercises" / path.name)
        want = "assessment" if path.stem in SETS else source.mode
        assert raw["mode"] == want, path.name
        edition = bank.load_bank(path, check_citations=False)
        for ex in edition:
            if path.stem in SETS:
                assert not ex.has_key and ex.answer is None and ex.explanation is None
                assert "selfcheck" not in next(e for e in raw["exercises"] if e["id"] == ex.id)
    assert leaks(root, out) == []


def test_the_bank_files_are_not_changed(assessed):
    root, _, before = assessed
    assert {p.name: p.read_text(encoding="utf-8") for p in (root / "course" / "exercises").glob("*.yml")} == before
    for s in SETS:
        assert bank.load_bank(ROOT / "course" / "exercises" / f"{s}.yml").mode == "practice"


def test_an_unknown_set_is_refused(tmp_path, capsys):
    root = make_course(tmp_path)
    assert main(["--out", str(tmp_path / "e"), "--root", str(root), "--assess", "02-new-diplomcy"]) == 1
    assert "no set '02-new-diplomcy'" in capsys.readouterr().err
    with pytest.raises(ValueError):
        build(tmp_path / "e2", root, assess=["nope"])


def test_make_passes_assess_to_release():
    dry = subprocess.run(["make", "-n", "student-edition", 'ASSESS=02-new-diplomacy 03-international-integration'],
                         cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert "-m helpers release --out student-edition --assess 02-new-diplomacy 03-international-integration" in dry
    plain = subprocess.run(["make", "-n", "student-edition"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert "--assess" not in plain


def test_grading_with_assess_writes_no_feedback_for_those_sets(tmp_path, capsys):
    from helpers.grading import synthetic
    from helpers.grading.cli import main as grade

    s1 = "01-soft-power"
    synthetic.write_bank(tmp_path / "bank", s1, "practice")
    synthetic.answer_notebook(tmp_path / "subs" / f"an_101_1_{s1}.ipynb", s1, {"x01-single": "a"})
    args = [str(tmp_path / "subs"), "--bank", str(tmp_path / "bank"), "--quiet", "--no-chart"]
    assert grade([*args, "--out", str(tmp_path / "practice")]) == 0
    assert list((tmp_path / "practice" / "feedback").glob("*.html"))
    assert grade([*args, "--out", str(tmp_path / "assessed"), "--assess", s1]) == 0
    assert not (tmp_path / "assessed" / "feedback").exists()
    assert grade([*args, "--out", str(tmp_path / "x"), "--assess", "99-none"]) == 2
    assert "no such set" in capsys.readouterr().err
