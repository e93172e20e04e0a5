"""The instructor's key: exercise banks and the one scorer the course has.

Everything that knows where the banks live or how an answer is scored sits behind the functions
here (``load_banks``, ``check_shape``, ``score``), which hand over to ``helpers.exercises``: the
grader has no scoring rules of its own.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class Bank:
    """One exercise set as the grader uses it (a view of ``helpers.exercises.bank.ExerciseSet``)."""

    set: str
    title: str
    mode: str  # "practice" or "assessment"
    exercises: dict  # id -> helpers.exercises.bank.Exercise, in bank order
    path: str = ""

    @property
    def max_points(self) -> float:
        return sum(ex.points for ex in self.exercises.values())


class BankError(ValueError):
    """The exercise banks cannot be used for grading."""


@dataclass
class Scored:
    """One exercise of one submission, as the grader keeps it."""

    exercise: str
    answered: bool
    answer: Any = None
    correct: bool | None = None  # None: not scored automatically (short text) or not answered
    points: float | None = 0.0  # None: waiting for the teacher's score
    max_points: float = 0.0
    message: str = ""
    comment: str = ""  # the teacher's comment on a short-text answer
    problems: list[str] = field(default_factory=list)


def points_of(exercise) -> float:
    return float(exercise.points)


def default_bank_dir() -> Path:
    from ..exercises.bank import exercises_folder

    return exercises_folder()


def load_banks(bank_dir: Path | str | None = None) -> dict[str, Bank]:
    """Every exercise set, keyed by set id (``01-soft-power``), loaded by ``helpers.exercises.bank``.

    Citations are not re-checked here (the course tests do that); keys must be present, so the
    student edition's banks are refused.
    """
    from helpers.core.errors import CourseFileError
    from ..exercises.bank import load_bank

    bank_dir = Path(bank_dir) if bank_dir else default_bank_dir()
    banks: dict[str, Bank] = {}
    for path in sorted(bank_dir.glob("*.yml")):
        try:
            exercise_set = load_bank(path, check_citations=False)
        except CourseFileError as err:
            raise BankError(f"exercise bank {err}") from None
        if exercise_set.student_edition:
            raise BankError(f"{path} is a student-edition bank (no answer key): grade with the instructor's course/")
        banks[exercise_set.set] = Bank(exercise_set.set, exercise_set.title, exercise_set.mode,
                                       dict(exercise_set.exercises), str(path))
    return banks


def check_shape(exercise, answer) -> str | None:
    """Why this answer is not one the exercise accepts (wrong JSON type, unknown option...), or None."""
    from ..exercises.scoring import check_answer_shape

    return check_answer_shape(exercise, answer)


def score(exercise, answer):
    """``helpers.exercises.scoring.score``: the course's one scorer."""
    from ..exercises.scoring import score as _score

    return _score(exercise, answer)
