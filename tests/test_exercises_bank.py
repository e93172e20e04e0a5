"""Exercise banks: the course's banks validate, and each kind of bad definition fails naming the exercise."""
from __future__ import annotations

import textwrap

import pytest
import yaml

from helpers import ROOT
from helpers.core.errors import CourseFileError
from helpers.exercises import bank
from helpers.core.readings import load_readings

READINGS = load_readings()


def test_every_bank_in_the_course_validates_and_ids_are_unique():
    sets = bank.load_all()
    assert "00-start-here" in sets
    for s in sets.values():
        assert s.path.stem == s.set
        assert len(s) > 0


def test_the_start_here_set_uses_every_type():
    s = bank.load_set_bank("00-start-here")
    assert sorted({e.type for e in s}) == sorted(bank.TYPES)


def test_numeric_key_of_the_start_here_set_matches_the_course_data():
    from helpers.core import data

    p = data.partnerships()
    share = round((p["level"] == "comprehensive strategic partnership").mean() * 100, 1)
    ex = bank.load_set_bank("00-start-here")["start-share-comprehensive"]
    assert abs(share - ex.answer) <= ex.spec["tolerance"], "the data changed: update the key and explanation"


GOOD = {
    "id": "t-good", "type": "single", "prompt": "Q?", "options": ["a", "b"], "answer": "a",
    "explanation": "See [quy2024 ¶3].", "cites": ["quy2024 ¶3"], "outcome": "SP-1",
}


def write_bank(tmp_path, exercises, name="01-test", mode="practice"):
    path = tmp_path / f"{name}.yml"
    path.write_text(yaml.safe_dump({"set": name, "title": "T", "mode": mode, "exercises": exercises},
                                   allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def load(tmp_path, exercises, **kw):
    return bank.load_bank(write_bank(tmp_path, exercises, **kw), readings=READINGS)


def test_a_good_bank_loads(tmp_path):
    s = load(tmp_path, [GOOD])
    assert s["t-good"].answer == "a" and s.mode == "practice"


@pytest.mark.parametrize("change, field, words", [
    ({"type": "essay"}, "type", "unknown type 'essay'"),
    ({"answer": "c"}, "answer", "not among the options"),
    ({"cites": ["quy2024 ¶999"]}, "cites", "no paragraph ¶999"),
    ({"cites": ["nobody2020 ¶1"]}, "cites", "no reading 'nobody2020'"),
    ({"cites": []}, "cites", "at least one"),
    ({"explanation": "As [quy2024 ¶999] says."}, "explanation", "no paragraph ¶999"),
    ({"answer": None}, "answer", "'answer' (the key) is missing"),
    ({"points": -1}, "points", "positive"),
    ({"colour": "red"}, "colour", "unknown field"),
])
def test_bad_definitions_fail_naming_the_exercise(tmp_path, change, field, words):
    ex = {**GOOD, **change}
    if change.get("answer", 0) is None:
        ex.pop("answer")
    with pytest.raises(CourseFileError) as info:
        load(tmp_path, [{"id": "t-first", **{k: v for k, v in GOOD.items() if k != "id"}}, ex])
    err = info.value
    assert "t-good" in str(err) and err.field == f"t-good.{field}" and words in err.message
    # points at the faulty (second) exercise, not at the file or at the first exercise
    lines = (tmp_path / "01-test.yml").read_text(encoding="utf-8").splitlines()
    assert err.line == lines.index("- id: t-good") + 1


def test_duplicate_id_in_one_bank_fails(tmp_path):
    with pytest.raises(CourseFileError, match="exercise 't-good': duplicate id"):
        load(tmp_path, [GOOD, GOOD])


def test_duplicate_id_across_banks_fails(tmp_path):
    root = tmp_path / "course-root"
    folder = root / "course" / "exercises"
    folder.mkdir(parents=True)
    (root / "seeds").symlink_to(ROOT / "seeds")
    write_bank(folder, [GOOD], name="01-a")
    write_bank(folder, [GOOD], name="02-b")
    with pytest.raises(CourseFileError, match="exercise 't-good': duplicate id .also in 01-a.yml"):
        bank.load_all(root)


@pytest.mark.parametrize("exercise, words", [
    ({"type": "multiple", "options": ["a", "b"], "answer": ["a", "z"]}, "'z' is not among the options"),
    ({"type": "classify", "options": ["a", "b"], "categories": ["x", "y"], "items": ["i", "j"],
      "answer": {"i": "x", "j": "y"}}, "unknown field(s) for type classify: options"),
    ({"type": "classify", "categories": ["x", "y"], "items": ["i", "j"], "answer": {"i": "x", "j": "w"}},
     "'w' is not among the categories"),
    ({"type": "classify", "categories": ["x", "y"], "items": ["i", "j"], "answer": {"i": "x"}}, "every item"),
    ({"type": "order", "items": ["i", "j"], "answer": ["i", "k"]}, "every item id once"),
    ({"type": "numeric", "answer": "twelve"}, "must be a number"),
    ({"type": "grid", "items": ["i", "j"], "columns": {"label": "c", "values": ["h", "l"]},
      "rows": {"label": "r", "values": ["m", "n"]}, "answer": {"i": ["h", "m"], "j": ["x", "m"]}},
     "[column value, row value]"),
    ({"type": "evidence", "reading": "quytung2009", "claim": "C", "answer": 999}, "no paragraph ¶999"),
    ({"type": "evidence", "reading": "nobody2020", "claim": "C", "answer": 1}, "no reading"),
    ({"type": "evidence", "reading": "quytung2009", "claim": "C", "choices": [1, 2], "answer": 3},
     "not among the 'choices'"),
    ({"type": "text", "rubric": ["r"], "answer": "x"}, "has no 'answer'"),
    ({"type": "text"}, "'rubric'"),
])
def test_type_specific_errors(tmp_path, exercise, words):
    ex = {"id": "t-typed", "prompt": "Q", "explanation": "E", "cites": ["quy2024 ¶3"], **exercise}
    ex = {k: v for k, v in ex.items() if v is not None}
    if exercise["type"] != "text" and "answer" not in ex:
        ex["answer"] = "a"
    with pytest.raises(CourseFileError) as info:
        load(tmp_path, [ex])
    assert "exercise 't-typed'" in str(info.value) and words in str(info.value)


def test_set_name_must_match_file_and_mode_is_checked(tmp_path):
    path = write_bank(tmp_path, [GOOD])
    path.rename(tmp_path / "other.yml")
    with pytest.raises(CourseFileError, match="'set' must be 'other'"):
        bank.load_bank(tmp_path / "other.yml", readings=READINGS)
    with pytest.raises(CourseFileError, match="practice or assessment"):
        load(tmp_path, [GOOD], mode="exam")


def test_error_line_points_at_the_exercise(tmp_path):
    path = tmp_path / "01-lines.yml"
    path.write_text(textwrap.dedent("""\
        set: 01-lines
        title: T
        mode: practice
        exercises:
          - id: t-ok
            type: single
            prompt: Q
            options: [a, b]
            answer: a
            explanation: E
            cites: ["quy2024 ¶3"]
          - id: t-bad
            type: single
            prompt: Q
            options: [a, b]
            answer: c
            explanation: E
            cites: ["quy2024 ¶3"]
        """), encoding="utf-8")
    with pytest.raises(CourseFileError) as info:
        bank.load_bank(path, readings=READINGS)
    assert info.value.line == 12 and str(info.value).startswith(f"{path}:12 [t-bad.answer]")


def test_selfcheck_codec_round_trip_and_is_not_plain_text():
    payload = {"answer": ["culture", "values"], "explanation": "Because of [quy2024 ¶4]."}
    code = bank.encode_selfcheck(payload)
    assert "culture" not in code and "quy2024" not in code
    assert bank.decode_selfcheck(code) == payload


def test_student_edition_bank_may_not_carry_plain_keys(tmp_path):
    path = tmp_path / "01-se.yml"
    path.write_text(yaml.safe_dump({"set": "01-se", "title": "T", "mode": "practice", "student_edition": True,
                                    "exercises": [GOOD]}), encoding="utf-8")
    with pytest.raises(CourseFileError, match="must not carry the key"):
        bank.load_bank(path, readings=READINGS)


def notebook_calls(path):
    """(set loaded, [exercise ids shown]) from a notebook's code cells."""
    import json
    import re

    nb = json.loads(path.read_text(encoding="utf-8"))
    code = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    sets = re.findall(r"load_set\(\s*[\"']([^\"']+)[\"']", code)
    shown = re.findall(r"\.show\(\s*[\"']([^\"']+)[\"']", code)
    return sets, shown


NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def test_every_bank_has_its_notebook():
    assert NOTEBOOKS
    assert set(bank.load_all()) <= {p.stem for p in NOTEBOOKS}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebooks_show_only_exercises_of_their_own_set(path):
    sets, shown = notebook_calls(path)
    has_bank = (ROOT / "course" / "exercises" / f"{path.stem}.yml").is_file()
    # a notebook with a bank must load it (and nothing else); one without a bank loads none
    assert sets == ([path.stem] if has_bank else []), f"{path.name} should load only its own set {path.stem!r}"
    if not has_bank:
        assert shown == [], f"{path.name} shows exercises but has no bank"
        return
    s = bank.load_set_bank(path.stem)
    unknown = [i for i in shown if i not in s.exercises]
    assert not unknown, f"{path.name} shows exercises not in {s.path.name}: {unknown}"


def test_start_here_notebook_shows_every_type_and_progress():
    path = ROOT / "notebooks" / "00-start-here.ipynb"
    _, shown = notebook_calls(path)
    s = bank.load_set_bank("00-start-here")
    assert sorted({s[i].type for i in shown}) == sorted(bank.TYPES)
    assert "ex.progress()" in path.read_text(encoding="utf-8")
