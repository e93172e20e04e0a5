"""Several right answers (`also_accept`), exact numbers and half-up rounding, for every
auto-scored type."""
from __future__ import annotations

import pytest

from helpers.core.errors import CourseFileError
from helpers.exercises.bank import decode_selfcheck, parse_exercise
from helpers.exercises.scoring import round_points, score, within


def make(raw: dict):
    base = {"prompt": "Q?", "explanation": "Because.", "cites": ["quy2024 ¶3"]}
    return parse_exercise({**base, **raw}, "bank.yml", 1, "s", None)


GRID_AXES = {"columns": {"label": "confidence", "values": ["high", "low"]},
             "rows": {"label": "cooperation", "values": ["more", "less"]}}


def test_single_accepts_every_listed_option_and_nothing_else():
    ex = make({"id": "s1", "type": "single", "options": ["a", "b", "c"], "answer": "b", "also_accept": ["c"]})
    assert score(ex, "b").correct and score(ex, "c").correct
    assert score(ex, "c").points == 1.0
    assert score(ex, "a").points == 0.0


def test_multiple_neutral_options_count_neither_way():
    ex = make({"id": "m1", "type": "multiple", "options": ["a", "b", "c", "d"], "answer": ["a", "b"],
               "also_accept": ["c"]})
    assert score(ex, ["a", "b"]).correct
    assert score(ex, ["a", "b", "c"]).correct          # the neutral option costs nothing
    assert score(ex, ["a", "c"]).points == 0.5          # ... and earns nothing
    assert score(ex, ["a", "b", "d"]).points == 0.5     # a wrong option still costs
    assert score(ex, ["c"]).points == 0.0


def test_classify_item_with_two_right_places():
    ex = make({"id": "c1", "type": "classify", "categories": ["x", "y", "z"], "items": ["i1", "i2"],
               "answer": {"i1": "x", "i2": "y"}, "also_accept": {"i2": ["z"]}})
    assert score(ex, {"i1": "x", "i2": "z"}).correct
    assert score(ex, {"i1": "z", "i2": "z"}).points == 0.5  # i1 has only one right place


def test_grid_item_with_two_right_cells():
    ex = make({"id": "g1", "type": "grid", **GRID_AXES, "items": ["p", "q"],
               "answer": {"p": ["high", "more"], "q": ["low", "less"]},
               "also_accept": {"q": [["low", "more"]]}})
    assert score(ex, {"p": ["high", "more"], "q": ["low", "more"]}).correct
    assert score(ex, {"p": ["low", "more"], "q": ["high", "less"]}).points == 0.0


def test_order_best_of_the_right_orders_counts():
    ex = make({"id": "o1", "type": "order", "items": ["a", "b", "c"], "answer": ["a", "b", "c"],
               "also_accept": [["b", "a", "c"]]})
    assert score(ex, ["b", "a", "c"]).correct
    assert score(ex, ["a", "b", "c"]).correct
    # c, b, a: 0 of 3 pairs against the key, 1 of 3 (b before a) against the other order
    assert score(ex, ["c", "b", "a"]).points == 0.33


def test_numeric_other_keys_and_exact_tolerance():
    ex = make({"id": "n1", "type": "numeric", "answer": 66.7, "tolerance": 0.05, "also_accept": [63.6]})
    for right in (66.7, 66.65, 66.75, 63.6, 63.55, 63.65):
        assert score(ex, right).correct, right
    for wrong in (66.76, 66.64, 63.66, 65.0):
        assert not score(ex, wrong).correct, wrong


def test_a_tolerance_of_zero_is_exact():
    ex = make({"id": "n2", "type": "numeric", "answer": -3})
    assert score(ex, -3).correct and score(ex, -3.0).correct
    assert not score(ex, -2.999999999).correct
    assert not score(ex, -3.0000000001).correct
    assert within(0.3, 0.1 + 0.2, 0) is False  # 0.30000000000000004 as written is not 0.3
    assert within(66.65, 66.7, 0.05) is True


def test_points_round_half_up_to_two_decimals():
    assert round_points(0.625) == 0.63
    assert round_points(0.125) == 0.13
    assert round_points(2.675) == 2.68      # the binary float 2.675 is below 2.675; as written it is not
    assert round_points(1 / 3) == 0.33
    # 5 of 8 items placed right on a 1-point exercise: 0.625 -> 0.63, not Python's 0.62
    items = [f"i{n}" for n in range(8)]
    ex = make({"id": "c8", "type": "classify", "categories": ["x", "y"], "items": items,
               "answer": {i: "x" for i in items}})
    answer = {i: ("x" if n < 5 else "y") for n, i in enumerate(items)}
    assert score(ex, answer).points == 0.63


@pytest.mark.parametrize("raw, message", [
    ({"type": "single", "options": ["a", "b"], "answer": "a", "also_accept": ["q"]}, "not among the options"),
    ({"type": "single", "options": ["a", "b"], "answer": "a", "also_accept": ["a"]}, "already the key"),
    ({"type": "single", "options": ["a", "b"], "answer": "a", "also_accept": "b"}, "non-empty list"),
    ({"type": "classify", "categories": ["x", "y"], "items": ["i", "k"], "answer": {"i": "x", "k": "y"},
      "also_accept": {"j": ["y"]}}, "not one of the items"),
    ({"type": "classify", "categories": ["x", "y"], "items": ["i", "k"], "answer": {"i": "x", "k": "y"},
      "also_accept": {"i": ["w"]}}, "not among the categories"),
    ({"type": "grid", **GRID_AXES, "items": ["p", "q"], "answer": {"p": ["high", "more"], "q": ["low", "less"]},
      "also_accept": {"p": [["high", "sideways"]]}}, "[column value, row value]"),
    ({"type": "order", "items": ["a", "b"], "answer": ["a", "b"], "also_accept": [["a"]]}, "every item id once"),
    ({"type": "numeric", "answer": 1, "also_accept": ["two"]}, "list of numbers"),
    ({"type": "evidence", "reading": "r2000", "claim": "C", "choices": [1, 2], "answer": 1,
      "also_accept": [2]}, "list of paragraphs"),
])
def test_bad_also_accept_names_the_field(raw, message):
    with pytest.raises(CourseFileError) as err:
        make({"id": "bad", **raw})
    assert "also_accept" in str(err.value) and message in str(err.value)


def test_also_accept_is_key_material_in_the_student_edition(tmp_path):
    from helpers.publishing.release import student_bank

    bank = tmp_path / "course" / "exercises" / "zz-set.yml"
    bank.parent.mkdir(parents=True)
    bank.write_text(
        "set: zz-set\ntitle: T\nmode: practice\nexercises:\n"
        "  - id: zz-one\n    type: single\n    prompt: Q?\n    options: [a, b, c]\n    answer: a\n"
        "    also_accept: [c]\n    explanation: Because.\n    cites: ['quy2024 ¶3']\n", encoding="utf-8")
    from helpers.core.readings import load_readings

    out = student_bank(bank, readings=load_readings())
    item = out["exercises"][0]
    assert "also_accept" not in item and "answer" not in item
    assert decode_selfcheck(item["selfcheck"])["also_accept"] == ["c"]
    student = parse_exercise(item, "student.yml", 1, "zz-set", None, student_edition=True)
    assert score(student, "c").correct and not score(student, "b").correct
