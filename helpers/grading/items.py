"""Item analysis at the level of Moodle's quiz statistics report, plus which wrong options drew answers.

The definitions follow Moodle's code (``question/classes/statistics/questions/calculator.php`` for
each question, ``mod/quiz/report/statistics/classes/calculator.php`` for the whole quiz); each is
written out with its formula in course/grading.md, "Item analysis". For an exercise with ``s``
submissions, marks ``x`` (points, an unanswered exercise counting 0), the same students' marks on
the *rest* of the set ``y`` (their total less ``x``) and their totals ``t``, with every variance and
covariance divided by ``s - 1``:

* **facility**: mean(x) / max points, in %;
* **sd**: sd(x) / max points, in %;
* **discrimination index**: 100 · cov(x, y) / √(var x · var y) (the item–rest correlation);
* **discriminative efficiency**: 100 · cov(x, y) / cov_max(x, y), where cov_max pairs the sorted
  x with the sorted y (the largest covariance those marks allow);
* **intended weight**: max points / the set's max points, in %;
* **effective weight**: 100 · √cov(x, t) / Σ √cov(x_j, t) over the set's exercises with cov ≥ 0
  (none when cov(x, t) < 0).

For each set (``SetStats``): n, mean, median, SD, skewness, kurtosis, Cronbach's alpha (Moodle's
"coefficient of internal consistency"), error ratio and standard error of the totals.

Flags, listed first: ``negative discrimination``, ``discriminative efficiency below 15%`` (the
test Moodle's report uses to mark a question dubious), then ``too hard`` (facility < 20%) and
``too easy`` (facility > 90%). Short-text exercises enter once the teacher's scores are merged for
every submission of their set.
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
DUBIOUS_EFFICIENCY = 15.0
"""Moodle's report marks a question whose discriminative efficiency is below 15 % as dubious."""

FLAG_ORDER = ("negative discrimination", "discriminative efficiency below 15%", "too hard", "too easy")


@dataclass
class Item:
    set: str
    exercise: str
    type: str
    prompt: str
    n: int
    answered: int
    difficulty: float | None  # facility as a share (0-1), kept for the chart and older readers
    discrimination: float | None  # the discrimination index as a correlation (-1..1)
    distractors: list[tuple[str, int]] = field(default_factory=list)
    max_points: float = 1.0
    facility: float | None = None  # %
    sd: float | None = None  # % of max points
    discrimination_index: float | None = None  # %
    discriminative_efficiency: float | None = None  # %
    intended_weight: float | None = None  # %
    effective_weight: float | None = None  # %
    negative_covariance: bool = False

    @property
    def flags(self) -> list[str]:
        flags = []
        if self.discrimination is not None and self.discrimination < 0:
            flags.append("negative discrimination")
        if self.discriminative_efficiency is not None and self.discriminative_efficiency < DUBIOUS_EFFICIENCY:
            flags.append("discriminative efficiency below 15%")
        if self.difficulty is not None and self.difficulty < TOO_HARD:
            flags.append("too hard")
        if self.difficulty is not None and self.difficulty > TOO_EASY:
            flags.append("too easy")
        return flags


@dataclass
class SetStats:
    set: str
    title: str
    n: int
    items: int  # exercises entering the statistics
    max_points: float
    mean: float | None
    median: float | None
    sd: float | None
    skewness: float | None
    kurtosis: float | None
    alpha: float | None  # Cronbach's alpha, % (Moodle: coefficient of internal consistency)
    error_ratio: float | None  # %
    standard_error: float | None  # points
    left_out: list[str] = field(default_factory=list)  # short-text exercises not yet scored

    def percent(self, value: float | None) -> float | None:
        return None if value is None or not self.max_points else 100 * value / self.max_points


def _mean(xs: list[float]) -> float:
    return sum(xs) / len(xs)


def _cov(xs: list[float], ys: list[float]) -> float | None:
    """Sample covariance (divided by s - 1), as Moodle computes it; None below two submissions."""
    s = len(xs)
    if s < 2:
        return None
    mx, my = _mean(xs), _mean(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / (s - 1)


def _tiny(x: float | None) -> bool:
    return x is None or abs(x) < 1e-12


def _pearson(xs: list[float], ys: list[float]) -> float | None:
    """Item–rest correlation; None below three submissions or when either side does not vary."""
    if len(xs) < 3:
        return None
    vx, vy = _cov(xs, xs), _cov(ys, ys)
    if _tiny(vx) or _tiny(vy):
        return None
    return _cov(xs, ys) / math.sqrt(vx * vy)


def median(xs: list[float]) -> float:
    ordered = sorted(xs)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def item_statistics(x: list[float], y: list[float], t: list[float], max_points: float) -> dict:
    """Moodle's per-question figures from marks ``x``, rest-of-set marks ``y`` and totals ``t``."""
    s = len(x)
    out = dict(facility=None, sd=None, discrimination_index=None, discriminative_efficiency=None,
               cov_total=None)
    if not s or not max_points:
        return out
    out["facility"] = 100 * _mean(x) / max_points
    if s < 2:
        return out
    vx, vy, cxy = _cov(x, x), _cov(y, y), _cov(x, y)
    out["sd"] = 100 * math.sqrt(vx) / max_points
    if not _tiny(vx * vy):
        out["discrimination_index"] = 100 * cxy / math.sqrt(vx * vy)
    cmax = _cov(sorted(x), sorted(y))
    if not _tiny(cmax):
        out["discriminative_efficiency"] = 100 * cxy / cmax
    out["cov_total"] = _cov(x, t)
    return out


def set_statistics(totals: list[float], item_variances: list[float]) -> dict:
    """Moodle's quiz figures from each submission's total and each item's mark variance."""
    s, p = len(totals), len(item_variances)
    out = dict(n=s, mean=None, median=None, sd=None, skewness=None, kurtosis=None, alpha=None,
               error_ratio=None, standard_error=None)
    if not s:
        return out
    mean = _mean(totals)
    out.update(mean=mean, median=median(totals))
    if s < 2:
        return out
    power2 = sum((t - mean) ** 2 for t in totals)
    power3 = sum((t - mean) ** 3 for t in totals)
    power4 = sum((t - mean) ** 4 for t in totals)
    out["sd"] = math.sqrt(power2 / (s - 1))
    if s < 3:
        return out
    m2, m3, m4 = power2 / s, power3 / s, power4 / s
    k2 = s * m2 / (s - 1)
    k3 = s * s * m3 / ((s - 1) * (s - 2))
    if _tiny(k2):
        return out
    out["skewness"] = k3 / k2 ** 1.5
    if s > 3:
        k4 = s * s * ((s + 1) * m4 - 3 * (s - 1) * m2 * m2) / ((s - 1) * (s - 2) * (s - 3))
        out["kurtosis"] = k4 / (k2 * k2)
    if p > 1:
        alpha = (100 * p / (p - 1)) * (1 - sum(item_variances) / k2)
        out["alpha"] = alpha
        if alpha <= 100:
            out["error_ratio"] = 100 * math.sqrt(1 - alpha / 100)
            out["standard_error"] = out["error_ratio"] * out["sd"] / 100
    return out


def _key_values(exercise) -> set[str]:
    key = exercise.answer
    if isinstance(key, list):
        return {str(k) for k in key}
    return {str(key)} if key is not None else set()


def _label(value) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text if len(text) <= 60 else text[:59] + "…"


def _distractors(exercise, results) -> list[tuple[str, int]]:
    kind = exercise.type
    wrong: Counter[str] = Counter()
    key = _key_values(exercise)
    for r in results:
        if not r.answered or r.points is None or (r.max_points and r.points >= r.max_points):
            continue
        if kind == "single" and isinstance(r.answer, (str, int)):
            wrong[_label(r.answer)] += 1
        elif kind == "multiple" and isinstance(r.answer, list):
            for choice in r.answer:
                if isinstance(choice, (str, int)) and str(choice) not in key:
                    wrong[_label(choice)] += 1
        elif kind != "text":
            wrong[_label(r.answer)] += 1
    return wrong.most_common() if kind in ("single", "multiple") else wrong.most_common(3)


def analyse_run(run: Run) -> tuple[list[Item], list[SetStats]]:
    """Every exercise's figures (flagged ones first) and every set's, over the counted submissions."""
    items: list[Item] = []
    sets: list[SetStats] = []
    for set_id, bank in run.banks.items():
        subs = [s for s in run.counted if s.set == set_id]
        if not subs:
            continue
        scored = [ex_id for ex_id in bank.exercises
                  if all(sub.results[ex_id].points is not None for sub in subs)]
        left_out = [ex_id for ex_id in bank.exercises if ex_id not in scored]
        marks = {ex_id: [float(sub.results[ex_id].points) for sub in subs] for ex_id in scored}
        totals = [sum(marks[ex_id][i] for ex_id in scored) for i in range(len(subs))]
        set_max = sum(float(bank.exercises[ex_id].points) for ex_id in scored)
        figures = {}
        for ex_id in scored:
            x = marks[ex_id]
            y = [t - xi for t, xi in zip(totals, x)]
            figures[ex_id] = item_statistics(x, y, totals, float(bank.exercises[ex_id].points))
        roots = {k: math.sqrt(f["cov_total"]) for k, f in figures.items()
                 if f["cov_total"] is not None and f["cov_total"] >= 0}
        root_sum = sum(roots.values())
        for ex_id, exercise in bank.exercises.items():
            results = [sub.results[ex_id] for sub in subs]
            answered = sum(1 for r in results if r.answered)
            pts = float(exercise.points)
            item = Item(set_id, ex_id, exercise.type, exercise.prompt.strip(), 0, answered, None, None,
                        _distractors(exercise, results), max_points=pts)
            if ex_id in figures:
                f = figures[ex_id]
                item.n = len(subs)
                item.facility, item.sd = f["facility"], f["sd"]
                item.difficulty = None if f["facility"] is None else f["facility"] / 100
                item.discrimination_index = f["discrimination_index"]
                item.discrimination = None if f["discrimination_index"] is None or len(subs) < 3 \
                    else f["discrimination_index"] / 100
                item.discriminative_efficiency = f["discriminative_efficiency"]
                item.intended_weight = 100 * pts / set_max if set_max else None
                item.negative_covariance = f["cov_total"] is not None and f["cov_total"] < 0
                if ex_id in roots and root_sum > 0:
                    item.effective_weight = 100 * roots[ex_id] / root_sum
            items.append(item)
        stats = set_statistics(totals, [_cov(marks[k], marks[k]) or 0.0 for k in scored] if len(subs) > 1 else [])
        sets.append(SetStats(set=set_id, title=bank.title, items=len(scored), max_points=set_max,
                             left_out=left_out, **stats))
    order = {flag: i for i, flag in enumerate(FLAG_ORDER)}
    items.sort(key=lambda it: (min((order[f] for f in it.flags), default=9), it.set,
                               list(run.banks[it.set].exercises).index(it.exercise)))
    return items, sets


def analyse(run: Run) -> list[Item]:
    """The items of ``analyse_run``, flagged ones first."""
    return analyse_run(run)[0]


def _r(x: float | None, digits: int = 2):
    return "" if x is None else round(x, digits)


ITEM_COLUMNS = ["set", "exercise", "type", "n", "answered", "max points", "facility %", "sd %",
                "discrimination index %", "discriminative efficiency %", "intended weight %",
                "effective weight %", "difficulty", "discrimination", "flags", "wrong answers (count)", "prompt"]


def write_items_csv(items: list[Item], out: Path) -> Path:
    from .gradebook import _write

    rows = [[it.set, it.exercise, it.type, it.n, it.answered, f"{it.max_points:g}", _r(it.facility), _r(it.sd),
             _r(it.discrimination_index), _r(it.discriminative_efficiency), _r(it.intended_weight),
             "negative covariance" if it.negative_covariance else _r(it.effective_weight),
             _r(it.difficulty, 3), _r(it.discrimination, 3),
             "; ".join(it.flags), "; ".join(f"{k}: {v}" for k, v in it.distractors), it.prompt[:200]]
            for it in items]
    return _write(out / "items.csv", ITEM_COLUMNS, rows)


SET_COLUMNS = ["set", "title", "n", "exercises", "max points", "mean", "mean %", "median", "median %", "sd", "sd %",
               "skewness", "kurtosis", "cronbach alpha %", "error ratio %", "standard error", "standard error %",
               "left out (not yet scored)"]


def write_sets_csv(sets: list[SetStats], out: Path) -> Path:
    from .gradebook import _write

    rows = [[s.set, s.title, s.n, s.items, f"{s.max_points:g}", _r(s.mean), _r(s.percent(s.mean)), _r(s.median),
             _r(s.percent(s.median)), _r(s.sd), _r(s.percent(s.sd)), _r(s.skewness, 4), _r(s.kurtosis, 4),
             _r(s.alpha), _r(s.error_ratio), _r(s.standard_error), _r(s.percent(s.standard_error)),
             " ".join(s.left_out)] for s in sets]
    return _write(out / "sets.csv", SET_COLUMNS, rows)


def items_spec(items: list[Item]) -> dict | None:
    """Facility against discrimination, one point per item, as a Vega-Lite spec."""
    points = [it for it in items if it.difficulty is not None]
    if not points:
        return None
    from .pages import SCHEMA

    values = [{"item": f"{it.set}/{it.exercise}", "type": it.type, "difficulty": round(it.difficulty, 3),
               "discrimination": round(it.discrimination, 3) if it.discrimination is not None else 0.0,
               "flag": ", ".join(it.flags) or "ok", "n": it.n} for it in points]
    return {
        "$schema": SCHEMA,
        "title": {"text": "Item analysis: facility and discrimination",
                  "subtitle": "Right: easier. Up: separates strong from weak students better. "
                              "Items below zero or at the edges need a look."},
        "description": "Scatter plot of each exercise's facility (share of marks earned) against its "
                       "discrimination index (item-rest correlation).",
        "width": 520, "height": 360,
        "layer": [
            {"data": {"values": values}, "mark": {"type": "circle", "size": 90, "opacity": 0.8},
             "encoding": {
                 "x": {"field": "difficulty", "type": "quantitative", "scale": {"domain": [0, 1]},
                       "title": "facility (share of marks earned)"},
                 "y": {"field": "discrimination", "type": "quantitative", "scale": {"domain": [-1, 1]},
                       "title": "discrimination (item-rest correlation)"},
                 "color": {"field": "flag", "type": "nominal", "title": "flag"},
                 "tooltip": [{"field": f, "type": t} for f, t in (("item", "nominal"), ("type", "nominal"),
                             ("difficulty", "quantitative"), ("discrimination", "quantitative"),
                             ("flag", "nominal"), ("n", "quantitative"))]}},
            {"data": {"values": [{"y": 0}]}, "mark": {"type": "rule", "strokeDash": [4, 4], "color": "#888"},
             "encoding": {"y": {"field": "y", "type": "quantitative"}}},
        ],
    }


def write_items_chart(items: list[Item], out: Path) -> Path | None:
    """The chart as a page that works offline (Vega, Vega-Lite and vega-embed are in the page),
    with the flagged items listed under it."""
    import html

    from .pages import chart_div, page

    spec = items_spec(items)
    if spec is None:
        return None
    flagged = [it for it in items if it.flags]
    rows = "".join(f"<tr><th scope=\"row\">{html.escape(it.set)}/{html.escape(it.exercise)}</th>"
                   f"<td>{html.escape('; '.join(it.flags))}</td></tr>" for it in flagged)
    body = ("<h1>Item analysis</h1>" + chart_div("items", spec["description"])
            + ("<h2>Items to look at</h2><table><thead><tr><th scope=\"col\">exercise</th><th scope=\"col\">flags</th>"
               f"</tr></thead><tbody>{rows}</tbody></table>" if flagged else "")
            + "<p>Every figure is in <code>items.csv</code> and <code>sets.csv</code>.</p>")
    path = out / "items.html"
    path.write_text(page("Item analysis", body, {"items": spec}), encoding="utf-8")
    return path
