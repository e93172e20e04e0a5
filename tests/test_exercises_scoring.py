"""Pure scoring of every exercise type: right, wrong, partial, malformed (untrusted JSON)."""
from __future__ import annotations

import json

import pytest

from helpers.exercises.bank import parse_exercise
from helpers.exercises.scoring import MAX_TEXT_CHARS, NoKeyError, check_answer_shape, score


def make(raw: dict):
    base = {"prompt": "Q?", "explanation": "Because.", "cites": ["quy2024 ¶3"]}
    return parse_exercise({**base, **raw}, "bank.yml", 1, "s", None)


SINGLE = make({"id": "s1", "type": "single", "options": ["a", "b", "c"], "answer": "b"})
MULTIPLE = make({"id": "m1", "type": "multiple", "options": ["a", "b", "c", "d"], "answer": ["a", "b"]})
CLASSIFY = make({"id": "c1", "type": "classify", "categories": ["x", "y"],
                 "items": ["i1", "i2", "i3", "i4"], "answer": {"i1": "x", "i2": "x", "i3": "y", "i4": "y"}})
ORDER = make({"id": "o1", "type": "order", "items": ["a", "b", "c", "d"], "answer": ["a", "b", "c", "d"]})
NUMERIC = make({"id": "n1", "type": "numeric", "answer": 66.7, "tolerance": 0.1})
TEXT = make({"id": "t1", "type": "text", "rubric": ["names the speaker"], "model_answer": "M."})
GRID = make({"id": "g1", "type": "grid", "columns": {"label": "confidence", "values": ["high", "low"]},
             "rows": {"label": "cooperation", "values": ["more", "less"]}, "items": ["p", "q"],
             "answer": {"p": ["high", "more"], "q": ["low", "less"]}})
EVIDENCE = make({"id": "e1", "type": "evidence", "reading": "quytung2009", "claim": "C",
                 "choices": [20, 21, 22, 23], "answer": 23})


@pytest.mark.parametrize("exercise, answer", [
    (SINGLE, "b"), (MULTIPLE, ["b", "a"]), (CLASSIFY, {"i1": "x", "i2": "x", "i3": "y", "i4": "y"}),
    (ORDER, ["a", "b", "c", "d"]), (NUMERIC, 66.7), (NUMERIC, 66.65), (NUMERIC, 66.8),
    (GRID, {"p": ["high", "more"], "q": ["low", "less"]}), (EVIDENCE, 23),
])
def test_right_answers_score_full_points(exercise, answer):
    r = score(exercise, answer)
    assert r.correct is True and r.points == r.max_points == 1.0


@pytest.mark.parametrize("exercise, answer", [
    (SINGLE, "a"), (MULTIPLE, ["c", "d"]), (CLASSIFY, {"i1": "y", "i2": "y", "i3": "x", "i4": "x"}),
    (ORDER, ["d", "c", "b", "a"]), (NUMERIC, 66.5), (NUMERIC, 667), (NUMERIC, -66.7),
    (GRID, {"p": ["low", "less"], "q": ["high", "more"]}), (EVIDENCE, 22),
])
def test_wrong_answers_score_zero(exercise, answer):
    r = score(exercise, answer)
    assert r.correct is False and r.points == 0.0 and r.message


def test_partial_credit_rules():
    assert score(MULTIPLE, ["a"]).points == 0.5          # one of two right options
    assert score(MULTIPLE, ["a", "b", "c"]).points == 0.5  # two right minus one wrong, over two
    assert score(MULTIPLE, ["a", "c", "d"]).points == 0.0  # floored at zero
    assert score(CLASSIFY, {"i1": "x", "i2": "x", "i3": "x", "i4": "x"}).points == 0.5
    assert score(GRID, {"p": ["high", "more"], "q": ["low", "more"]}).points == 0.5
    # order: share of pairs in the right relative order; one swap of neighbours loses 1 of 6 pairs
    r = score(ORDER, ["a", "b", "d", "c"])
    assert r.correct is False and r.points == round(5 / 6, 2) and "Partly" in r.message
    assert score(ORDER, ["d", "c", "b", "a"]).points == 0.0


def test_partial_false_gives_all_or_nothing():
    ex = make({"id": "m2", "type": "multiple", "options": ["a", "b", "c"], "answer": ["a", "b"], "partial": False})
    assert score(ex, ["a"]).points == 0.0
    assert score(ex, ["a", "b"]).points == 1.0


def test_points_scale_partial_credit():
    ex = make({"id": "c2", "type": "classify", "categories": ["x", "y"], "items": ["i1", "i2"],
               "answer": {"i1": "x", "i2": "y"}, "points": 3})
    r = score(ex, {"i1": "x", "i2": "x"})
    assert (r.points, r.max_points) == (1.5, 3.0)


def test_text_is_left_for_the_teacher():
    r = score(TEXT, "The speaker is the General Secretary.")
    assert r.correct is None and r.points == 0.0 and r.max_points == 1.0 and "6 words" in r.message


class Sneaky(str):
    def __eq__(self, other):  # would make any answer "right" if scoring trusted objects' __eq__
        return True

    __hash__ = str.__hash__


MALFORMED = [
    (SINGLE, None), (SINGLE, "zzz"), (SINGLE, 1), (SINGLE, ["b"]), (SINGLE, {"b": 1}), (SINGLE, True),
    (SINGLE, Sneaky("zzz")), (SINGLE, "b" * 10_000),
    (MULTIPLE, None), (MULTIPLE, []), (MULTIPLE, "a"), (MULTIPLE, ["a", "a"]), (MULTIPLE, ["a", 1]),
    (MULTIPLE, ["a"] * 10_000), (MULTIPLE, [["a"]]),
    (CLASSIFY, None), (CLASSIFY, {}), (CLASSIFY, ["x"]), (CLASSIFY, {"i1": "x"}),
    (CLASSIFY, {"i1": "x", "i2": "x", "i3": "y", "i4": "z"}), (CLASSIFY, {"i1": "x", "i2": "x", "i3": "y", "i4": ["y"]}),
    (CLASSIFY, {"i1": "x", "i2": "x", "i3": "y", "i4": "y", "i5": "y"}),
    (ORDER, None), (ORDER, ["a", "b", "c"]), (ORDER, ["a", "a", "b", "c"]), (ORDER, ["a", "b", "c", "e"]),
    (ORDER, "abcd"), (ORDER, {"a": 1}), (ORDER, ["a", "b", "c", "d", "e"]),
    (NUMERIC, None), (NUMERIC, "66.7"), (NUMERIC, True), (NUMERIC, float("nan")), (NUMERIC, float("inf")),
    (NUMERIC, 1e300), (NUMERIC, [66.7]),
    (TEXT, None), (TEXT, ""), (TEXT, "   "), (TEXT, 5), (TEXT, ["a"]), (TEXT, "x" * (MAX_TEXT_CHARS + 1)),
    (GRID, None), (GRID, {"p": "high", "q": "low"}), (GRID, {"p": ["high", "more"]}),
    (GRID, {"p": ["high", "more"], "q": ["low", "sideways"]}), (GRID, {"p": ["high", "more"], "q": [1, 2]}),
    (GRID, {"p": ["high", "more", "x"], "q": ["low", "less"]}),
    (EVIDENCE, None), (EVIDENCE, "23"), (EVIDENCE, 23.0), (EVIDENCE, 99), (EVIDENCE, True), (EVIDENCE, [23]),
]


@pytest.mark.parametrize("exercise, answer", MALFORMED, ids=lambda x: getattr(x, "id", None) or repr(x)[:30])
def test_malformed_answers_never_raise_and_score_zero(exercise, answer):
    problem = check_answer_shape(exercise, answer)
    assert isinstance(problem, str) and problem
    r = score(exercise, answer)
    assert r.correct is False and r.points == 0.0 and r.message == problem


def test_answers_read_back_from_json_score_the_same():
    for ex, ans in [(MULTIPLE, ["a", "b"]), (GRID, {"p": ["high", "more"], "q": ["low", "less"]}), (NUMERIC, 66.7)]:
        assert score(ex, json.loads(json.dumps(ans))).correct is True


def test_student_messages_are_clear():
    assert check_answer_shape(SINGLE, None) == "Choose an option first."
    assert check_answer_shape(NUMERIC, "abc").startswith("Type a number, e.g. 12.5")
    assert check_answer_shape(TEXT, "") == "Write your answer first."
    assert check_answer_shape(EVIDENCE, None) == "Choose a paragraph first."


def test_score_accepts_a_plain_mapping_for_the_grader():
    raw = {"id": "s9", "type": "single", "prompt": "Q", "options": ["a", "b"], "answer": "a",
           "explanation": "E", "cites": ["quy2024 ¶1"]}
    assert score(raw, "a").correct is True


def test_an_exercise_without_key_raises_the_documented_error():
    ex = parse_exercise({"id": "s8", "type": "single", "prompt": "Q", "options": ["a", "b"], "cites": ["quy2024 ¶1"]},
                        "bank.yml", 1, "s", None, student_edition=True)
    assert check_answer_shape(ex, "a") is None
    with pytest.raises(NoKeyError):
        score(ex, "a")
