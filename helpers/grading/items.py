"""Item analysis: how hard each exercise was, how well it told strong from weak students, and which
wrong options drew answers.

* **difficulty**: the share of the marks earned on the item (for right/wrong items, the share of
  students right), over every counted submission of its set; an unanswered item counts as 0.
* **discrimination**: the corrected point-biserial correlation, i.e. the Pearson correlation between
  the item score (0–1) and the student's score on the *rest* of the set (the item itself left out,
  so it cannot correlate with itself). Above 0.3 is good, below 0.2 weak, below 0 the item favours
  weaker students: check its key.
* **distractors**: how often each wrong option (single and multiple choice) or wrong answer (other
  types, the three most common) was given.

Flags, listed first: ``negative discrimination``, ``too hard`` (difficulty < 0.2), ``too easy``
(difficulty > 0.9). Short-text items enter once the teacher's scores are merged.
"""
from __future__ import annotations

import json
import math
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .core import Run

TOO_HARD = 0.2
TOO_EASY = 0.9


@dataclass
class Item:
    set: str
    exercise: str
    type: str
    prompt: str
    n: int
    answered: int
    difficulty: float | None
    discrimination: float | None
    distractors: list[tuple[str, int]] = field(default_factory=list)

    @property
    def flags(self) -> list[str]:
        flags = []
        if self.discrimination is not None and self.discrimination < 0:
            flags.append("negative discrimination")
        if self.difficulty is not None and self.difficulty < TOO_HARD:
            flags.append("too hard")
        if self.difficulty is not None and self.difficulty > TOO_EASY:
            flags.append("too easy")
        return flags


def _pearson(xs: list[float], ys: list[float]) -> float | None:
    n = len(xs)
    if n < 3:
        return None
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx <= 1e-12 or syy <= 1e-12:
        return None
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys))
    return sxy / math.sqrt(sxx * syy)


def _key_values(exercise) -> set[str]:
    key = exercise.answer
    if isinstance(key, list):
        return {str(k) for k in key}
    return {str(key)} if key is not None else set()


def _label(value) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text if len(text) <= 60 else text[:59] + "…"


def analyse(run: Run) -> list[Item]:
    items: list[Item] = []
    for set_id, bank in run.banks.items():
        subs = [s for s in run.counted if s.set == set_id]
        if not subs:
            continue
        for ex_id, exercise in bank.exercises.items():
            kind = exercise.type
            scores, rests = [], []
            wrong: Counter[str] = Counter()
            answered = 0
            for sub in subs:
                r = sub.results[ex_id]
                answered += r.answered
                if r.points is None:  # short text not yet scored
                    continue
                frac = r.points / r.max_points if r.max_points else 0.0
                scores.append(frac)
                rests.append(sum(x.points or 0.0 for k, x in sub.results.items() if k != ex_id))
                if r.answered and frac < 1:
                    key = _key_values(exercise)
                    if kind == "single" and isinstance(r.answer, (str, int)):
                        wrong[_label(r.answer)] += 1
                    elif kind == "multiple" and isinstance(r.answer, list):
                        for choice in r.answer:
                            if isinstance(choice, (str, int)) and str(choice) not in key:
                                wrong[_label(choice)] += 1
                    elif kind != "text":
                        wrong[_label(r.answer)] += 1
            difficulty = sum(scores) / len(scores) if scores else None
            distractors = wrong.most_common() if kind in ("single", "multiple") else wrong.most_common(3)
            items.append(Item(set_id, ex_id, kind, exercise.prompt.strip(), len(scores), answered,
                              difficulty, _pearson(scores, rests), distractors))
    order = {"negative discrimination": 0, "too hard": 1, "too easy": 2}
    items.sort(key=lambda it: (min((order[f] for f in it.flags), default=9), it.set, list(run.banks[it.set].exercises).index(it.exercise)))
    return items


def write_items_csv(items: list[Item], out: Path) -> Path:
    from .gradebook import _write

    rows = [[it.set, it.exercise, it.type, it.n, it.answered,
             "" if it.difficulty is None else round(it.difficulty, 3),
             "" if it.discrimination is None else round(it.discrimination, 3),
             "; ".join(it.flags), "; ".join(f"{k}: {v}" for k, v in it.distractors), it.prompt[:200]]
            for it in items]
    return _write(out / "items.csv", ["set", "exercise", "type", "n", "answered", "difficulty", "discrimination",
                                      "flags", "wrong answers (count)", "prompt"], rows)


def write_items_chart(items: list[Item], out: Path) -> Path | None:
    """Difficulty against discrimination, one point per item, as a page that works offline
    (Vega, Vega-Lite and vega-embed are written into the page itself)."""
    points = [it for it in items if it.difficulty is not None]
    if not points:
        return None
    import helpers  # noqa: F401  (keeps altair's import fast; see helpers/__init__.py)
    import altair as alt

    data = alt.Data(values=[
        {"item": f"{it.set}/{it.exercise}", "type": it.type, "difficulty": round(it.difficulty, 3),
         "discrimination": round(it.discrimination, 3) if it.discrimination is not None else 0.0,
         "flag": ", ".join(it.flags) or "ok", "n": it.n}
        for it in points
    ])
    base = alt.Chart(data).properties(
        width=520, height=360,
        title=alt.TitleParams("Item analysis: difficulty and discrimination",
                              subtitle="Right: easier. Up: separates strong from weak students better. "
                                       "Items below zero or at the edges need a look."),
        description="Scatter plot of each exercise's difficulty (share of marks earned) against its "
                    "discrimination (corrected point-biserial correlation).",
    )
    dots = base.mark_circle(size=90, opacity=0.8).encode(
        x=alt.X("difficulty:Q", scale=alt.Scale(domain=[0, 1]), title="difficulty (share of marks earned)"),
        y=alt.Y("discrimination:Q", scale=alt.Scale(domain=[-1, 1]), title="discrimination (point-biserial)"),
        color=alt.Color("flag:N", title="flag"),
        tooltip=["item:N", "type:N", "difficulty:Q", "discrimination:Q", "flag:N", "n:Q"],
    )
    zero = alt.Chart(alt.Data(values=[{"y": 0}])).mark_rule(strokeDash=[4, 4], color="#888").encode(y="y:Q")
    chart = alt.layer(dots, zero)
    path = out / "items.html"
    chart.save(str(path), format="html", inline=True)
    return path
