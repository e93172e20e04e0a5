"""The instructor's key: exercise banks and the one scorer the course has.

Everything that knows where the banks live or how an answer is scored sits behind the two functions
here, ``load_banks`` and ``score``, so the grader follows ``helpers.exercises`` wherever it goes.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import ROOT


@dataclass
class Bank:
    set: str
    title: str
    mode: str  # "practice" or "assessment"
    exercises: dict[str, dict]  # id -> exercise definition, in bank order
    path: str = ""

    @property
    def max_points(self) -> float:
        return sum(points_of(ex) for ex in self.exercises.values())


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
    problems: list[str] = field(default_factory=list)


def points_of(exercise: dict) -> float:
    value = exercise.get("points", 1)
    try:
        value = float(value)
    except (TypeError, ValueError):
        return 1.0
    return value if math.isfinite(value) and value >= 0 else 1.0


def default_bank_dir() -> Path:
    return ROOT / "course" / "exercises"


def load_banks(bank_dir: Path | str | None = None) -> dict[str, Bank]:
    """Every exercise set, keyed by set id (``01-soft-power``)."""
    bank_dir = Path(bank_dir) if bank_dir else default_bank_dir()
    banks: dict[str, Bank] = {}
    for path in sorted(bank_dir.glob("*.yml")) + sorted(bank_dir.glob("*.yaml")):
        raw = _read_bank(path)
        set_id = str(raw.get("set") or path.stem)
        exercises = {}
        for ex in raw.get("exercises") or []:
            if isinstance(ex, dict) and ex.get("id"):
                exercises[str(ex["id"])] = ex
        banks[set_id] = Bank(
            set=set_id,
            title=str(raw.get("title") or set_id),
            mode=str(raw.get("mode") or "practice"),
            exercises=exercises,
            path=str(path),
        )
    return banks


def _read_bank(path: Path) -> dict:
    """One bank file as a plain dict (the YAML as written, never Python objects)."""
    try:
        from ..exercises import bank as bank_module  # the exercises package's loader, when present
    except ImportError:
        bank_module = None
    loader = getattr(bank_module, "load_raw", None) if bank_module else None
    if loader is not None:
        return loader(path)
    import yaml

    with open(path, encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    return data if isinstance(data, dict) else {}


_scorer = None


def score(exercise: dict, answer: Any):
    """``helpers.exercises.scoring.score``: the course's one scorer."""
    global _scorer
    if _scorer is None:
        from ..exercises.scoring import score as _score

        _scorer = _score
    return _scorer(exercise, answer)
