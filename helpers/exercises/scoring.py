"""Pure scoring: `score(exercise, answer) -> Result`, and `check_answer_shape(exercise, answer)`.

`answer` is a plain JSON value (what the widget records and what a grader reads from a handed-in
notebook). It is untrusted: both functions check its JSON type and shape strictly (exact `str`,
`int`, `float`, `list`, `dict` types; no subclass, so no foreign `__eq__`), bound its size, and
never raise on a bad answer: a malformed answer scores `correct=False`, 0 points, with a message.
The one documented exception is `NoKeyError`, raised by `score` when the exercise carries no key
(an assessment set in the student edition). `exercise` is a `bank.Exercise`, or a mapping as
written in a bank (then validated first: a bad definition raises `CourseFileError`).

Answer shapes, by type:

| type | answer (JSON) |
|---|---|
| single | option id (string) |
| multiple | list of option ids, at least one, no repeats |
| classify | object: every item id -> a category |
| order | list of every item id once, first to last |
| numeric | number |
| text | string (not blank, at most 20 000 characters) |
| grid | object: every item id -> [column value, row value] |
| evidence | paragraph number (integer) |

Partial credit (unless the exercise says `partial: false`; then anything short of fully right scores 0):

* multiple: (right options ticked - wrong options ticked) / number of right options, at least 0;
* classify, grid: the share of items placed right;
* order: the share of pairs of items in the right relative order (one item out of place costs
  little, a reversed list scores 0);
* single, numeric, evidence: all or nothing; text: scored by the teacher (`correct=None`).

Several right answers (`also_accept` in the bank; see course/exercises/README.md): single, other
right options; multiple, options that count neither way; classify and grid, other right places
per item; order, other right orders (the best counts); numeric, other keys.

Numbers are exact: a numeric answer is right when |answer - key| <= tolerance on the decimals as
written (no hidden slack). Points are `max_points * fraction` with the fraction exact, rounded
half up to 2 decimals (0.625 -> 0.63); `correct` is True only when fully right.
"""
from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from dataclasses import dataclass
from typing import Any

MAX_TEXT_CHARS = 20_000
MAX_ID_CHARS = 500
MAX_NUMBER = 1e15


class NoKeyError(ValueError):
    """The exercise has no answer key here (an assessment set in the student edition)."""


@dataclass(frozen=True)
class Result:
    correct: bool | None
    points: float
    max_points: float
    message: str
    fraction: float | None = None

    def as_dict(self) -> dict:
        return {"correct": self.correct, "points": self.points, "max_points": self.max_points,
                "message": self.message, "fraction": self.fraction}


def _ex(exercise):
    if isinstance(exercise, dict):
        from .bank import parse_exercise

        return parse_exercise(exercise, "<exercise>", None, exercise.get("set", ""), None)
    return exercise


def _short(x: Any, n: int = 40) -> str:
    s = repr(x) if type(x) is not str else x
    return s if len(s) <= n else s[: n - 1] + "…"


def _is_id(x) -> bool:
    return type(x) is str and 0 < len(x) <= MAX_ID_CHARS


def _is_number(x) -> bool:
    return type(x) in (int, float) and math.isfinite(x) and abs(x) <= MAX_NUMBER


def word_count(text: str) -> int:
    return len(text.split()) if type(text) is str else 0


def _placement_error(exercise, answer, places: list, what: str, empty_msg: str) -> str | None:
    """Shared shape check for classify and grid: an object item id -> place, covering every item."""
    if answer is None or (type(answer) is dict and not answer):
        return empty_msg
    if type(answer) is not dict:
        return f"The answer must map each item to {what}."
    item_ids = [i for i, _ in exercise.items]
    texts = dict(exercise.items)
    for k, v in answer.items():
        if not _is_id(k) or k not in texts:
            return f"{_short(k)!s} is not one of the items."
        if v not in places if type(v) in (str, list) else True:
            return f"{_short(v)!s} is not {what}."
    missing = [texts[i] for i in item_ids if i not in answer]
    if missing:
        return f"Still to place: {', '.join(_short(m, 30) for m in missing)}."
    return None


def check_answer_shape(exercise, answer) -> str | None:
    """None if `answer` has the right JSON shape for this exercise, else a message for the student."""
    ex = _ex(exercise)
    t = ex.type
    if t == "single":
        if answer is None:
            return "Choose an option first."
        if not _is_id(answer) or answer not in dict(ex.options):
            return f"{_short(answer)} is not one of the options."
        return None
    if t == "multiple":
        if answer is None or (type(answer) is list and not answer):
            return "Tick at least one option first."
        if type(answer) is not list or len(answer) > len(ex.options):
            return "The answer must be a list of options."
        ids = dict(ex.options)
        for a in answer:
            if not _is_id(a) or a not in ids:
                return f"{_short(a)} is not one of the options."
        if len(set(answer)) != len(answer):
            return "An option is listed twice."
        return None
    if t == "classify":
        return _placement_error(ex, answer, ex.categories, "one of the categories",
                                "Choose a category for every item first.")
    if t == "grid":
        quads = [list(q) for q in ex.quadrants]
        if type(answer) is dict:
            for v in answer.values():
                if type(v) is list and not all(type(x) is str for x in v):
                    return "A place on the grid is [column, row]."
        return _placement_error(ex, answer, quads, "a cell of the grid",
                                "Place every item on the grid first.")
    if t == "order":
        if answer is None or (type(answer) is list and not answer):
            return "Give every item a position first."
        item_ids = [i for i, _ in ex.items]
        if type(answer) is not list or len(answer) > len(item_ids):
            return "The answer must list the items in order."
        for a in answer:
            if not _is_id(a) or a not in item_ids:
                return f"{_short(a)} is not one of the items."
        if len(set(answer)) != len(answer):
            return "Each item can have only one position, and each position only one item."
        if len(answer) != len(item_ids):
            return "Give every item a position first."
        return None
    if t == "numeric":
        if answer is None:
            return f"Type a number, e.g. {ex.spec.get('example', '12.5')}."
        if not _is_number(answer):
            return f"Type a number, e.g. {ex.spec.get('example', '12.5')}."
        return None
    if t == "text":
        if answer is None or (type(answer) is str and not answer.strip()):
            return "Write your answer first."
        if type(answer) is not str:
            return "The answer must be text."
        if len(answer) > MAX_TEXT_CHARS:
            return f"The answer is too long: at most {MAX_TEXT_CHARS:,} characters."
        return None
    if t == "evidence":
        if answer is None:
            return "Choose a paragraph first."
        if type(answer) is not int or (ex.choices and answer not in ex.choices):
            return f"{_short(answer)} is not one of the paragraphs to choose from."
        return None
    return f"Unknown exercise type {t!r}."


def _decimal(x) -> Decimal:
    """A JSON number as the decimal it was written as (repr gives the shortest round-trip form)."""
    return Decimal(repr(x)) if type(x) is float else Decimal(x)


def within(answer, key, tolerance) -> bool:
    """|answer - key| <= tolerance, computed exactly on the decimals as written: 4.65 is within
    0.05 of 4.7, and -1.999999999 is not within 0 of -2."""
    return abs(_decimal(answer) - _decimal(key)) <= _decimal(tolerance)


def round_points(x) -> float:
    """Points to 2 decimals, half up (0.625 -> 0.63), the one rounding rule of the course."""
    d = x if isinstance(x, Decimal) else (
        Decimal(x.numerator) / Decimal(x.denominator) if isinstance(x, Fraction) else _decimal(x))
    return float(d.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def _placed_right(exercise, answer) -> Fraction:
    key, also = exercise.answer, exercise.also_accept or {}
    right = sum(1 for item, place in key.items()
                if answer.get(item) == place or answer.get(item) in also.get(item, ()))
    return Fraction(right, len(key))


def _order_share(key: list, answer: list) -> Fraction:
    pos = {item: i for i, item in enumerate(answer)}
    pairs = [(a, b) for i, a in enumerate(key) for b in key[i + 1:]]
    return Fraction(sum(1 for a, b in pairs if pos[a] < pos[b]), len(pairs))


def _fraction(exercise, answer) -> Fraction:
    """The share of the exercise answered right, as an exact fraction."""
    t = exercise.type
    key = exercise.answer
    also = exercise.also_accept
    if t == "single":
        return Fraction(1 if answer == key or answer in (also or ()) else 0)
    if t == "multiple":
        neutral = set(also or ())
        ticked = [a for a in answer if a not in neutral]
        right = sum(1 for a in ticked if a in key)
        wrong = len(ticked) - right
        return max(Fraction(0), Fraction(right - wrong, len(key)))
    if t in ("classify", "grid"):
        return _placed_right(exercise, answer)
    if t == "order":
        return max(_order_share(k, answer) for k in [key, *(also or [])])
    if t == "numeric":
        tol = exercise.spec.get("tolerance", 0.0)
        return Fraction(1 if any(within(answer, k, tol) for k in [key, *(also or [])]) else 0)
    if t == "evidence":
        keys = key if isinstance(key, list) else [key]
        return Fraction(1 if answer in keys else 0)
    raise ValueError(t)


def score(exercise, answer) -> Result:
    """Score an untrusted JSON answer. Raises only NoKeyError (no key available)."""
    ex = _ex(exercise)
    max_points = float(ex.points)
    problem = check_answer_shape(ex, answer)
    if problem:
        return Result(False, 0.0, max_points, problem, 0.0)
    if ex.type == "text":
        n = word_count(answer)
        return Result(None, 0.0, max_points,
                      f"Answer recorded ({n} words): your teacher scores it against the rubric.", None)
    if not ex.has_key or ex.answer is None:
        raise NoKeyError(f"exercise {ex.id!r} has no answer key here")
    fraction = _fraction(ex, answer)
    if fraction < 1 and not ex.partial:
        fraction = Fraction(0)
    if fraction >= 1:
        return Result(True, max_points, max_points, "Right.", 1.0)
    points = round_points(_decimal(ex.points) * Decimal(fraction.numerator) / Decimal(fraction.denominator))
    if fraction > 0:
        return Result(False, points, max_points, f"Partly right: {points:g} of {max_points:g} points.",
                      float(fraction))
    return Result(False, 0.0, max_points, "Not right yet.", 0.0)
