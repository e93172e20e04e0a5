"""What to teach again: which reading paragraphs and which learning outcomes cost the class most.

Every exercise cites reading paragraphs (``cites``) and names an outcome (``outcome``), so the
points a class lost can be traced back to the passages and outcomes behind them:

* for each **paragraph**: over every counted submission, the points lost on the exercises that
  cite it, as a share of the points at stake on those exercises (``lost %``);
* for each **outcome**: the same over the exercises that name it.

Unanswered exercises lose all their points; short-text answers not yet scored are left out. A
citation of a range (``quy2024 ¶15–19``) counts for each paragraph in it. ``weakest_outcome`` gives
one student's outcome with the lowest share of points earned, for their feedback page.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import Path

from .core import Run, Submission

CITE = re.compile(r"^\s*([a-z][a-z0-9-]*\d{4})\s*¶\s*(\d+)(?:\s*[–-]\s*(\d+))?\s*$")
FIRST_WORDS = 12


def paragraphs_of(cite: str) -> list[tuple[str, int]]:
    """``"quy2024 ¶15–19"`` -> [("quy2024", 15), ..., ("quy2024", 19)]; unparsable -> []."""
    m = CITE.match(str(cite))
    if not m:
        return []
    first = int(m.group(2))
    last = int(m.group(3) or first)
    return [(m.group(1), n) for n in range(first, max(first, last) + 1)]


def first_words(text: str, n: int = FIRST_WORDS) -> str:
    words = re.sub(r"\s+", " ", re.sub(r"\[\^[^\]]*\]", "", text)).strip().lstrip("-–• ").split(" ")
    return " ".join(words[:n]) + (" …" if len(words) > n else "")


@dataclass
class Line:
    kind: str  # "paragraph" or "outcome"
    id: str  # "quy2024 ¶12" or "ND-1"
    text: str  # the passage's first words, or the outcome's wording
    at_stake: float = 0.0
    lost: float = 0.0
    exercises: list[str] = field(default_factory=list)
    sets: list[str] = field(default_factory=list)

    @property
    def lost_share(self) -> float:
        return self.lost / self.at_stake if self.at_stake else 0.0


def outcome_texts(run: Run) -> dict[str, str]:
    """Outcome id -> its wording, from the banks' ``outcomes`` lists."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    texts: dict[str, str] = {}
    for bank in run.banks.values():
        if not bank.path:
            continue
        try:
            raw = yaml.load(Path(bank.path).read_text(encoding="utf-8"), Loader=loader) or {}
        except (OSError, yaml.YAMLError):
            continue
        for entry in raw.get("outcomes") or []:
            if isinstance(entry, dict) and entry.get("id"):
                texts.setdefault(str(entry["id"]), str(entry.get("text") or "").strip())
    return texts


def _passages() -> dict[tuple[str, int], str]:
    try:
        from helpers.core.readings import load_readings

        readings = load_readings()
    except Exception:  # a course without its readings still gets the figures
        return {}
    return {(r.id, p.number): first_words(p.text) for r in readings.values() for p in r.paragraphs}


def reteach(run: Run) -> list[Line]:
    """Paragraph lines (most lost first), then outcome lines (most lost first)."""
    passages = _passages()
    outcomes = outcome_texts(run)
    paras: dict[tuple[str, int], Line] = {}
    outs: dict[str, Line] = {}
    targets: dict[tuple[str, str], list[Line]] = {}  # (set, exercise) -> the lines it counts for

    def lines_of(set_id: str, ex_id: str) -> list[Line]:
        found = targets.get((set_id, ex_id))
        if found is None:
            ex = run.banks[set_id].exercises[ex_id]
            found = []
            for cite in ex.cites:
                for key in paragraphs_of(cite):
                    found.append(paras.setdefault(key, Line("paragraph", f"{key[0]} ¶{key[1]}", passages.get(key, ""))))
            if ex.outcome:
                found.append(outs.setdefault(ex.outcome, Line("outcome", ex.outcome, outcomes.get(ex.outcome, ""))))
            found = list({id(t): t for t in found}.values())
            for line in found:
                if ex_id not in line.exercises:
                    line.exercises.append(ex_id)
                if set_id not in line.sets:
                    line.sets.append(set_id)
            targets[(set_id, ex_id)] = found
        return found

    for sub in run.counted:
        for ex_id, r in sub.results.items():
            if r.points is None:
                continue
            lost = max(0.0, r.max_points - r.points)
            for line in lines_of(sub.set, ex_id):
                line.at_stake += r.max_points
                line.lost += lost
    order = lambda line: (-line.lost_share, -line.lost, line.id)  # noqa: E731
    return sorted(paras.values(), key=order) + sorted(outs.values(), key=order)


def write_reteach_csv(lines: list[Line], out: Path) -> Path:
    from .gradebook import _write

    rows = [[line.kind, line.id, round(100 * line.lost_share, 1), f"{line.lost:g}", f"{line.at_stake:g}",
             " ".join(line.exercises), " ".join(line.sets), line.text] for line in lines]
    return _write(out / "reteach.csv", ["kind", "id", "lost %", "points lost", "points at stake", "exercises",
                                        "sets", "passage (first words) or outcome"], rows)


def chart_spec(lines: list[Line], kind: str, title: str, top: int = 15) -> dict | None:
    """A bar chart of the most-lost paragraphs (or outcomes), as a Vega-Lite spec."""
    from .pages import SCHEMA

    chosen = [line for line in lines if line.kind == kind][:top]
    if not chosen:
        return None
    values = [{"what": line.id, "lost": round(100 * line.lost_share, 1),
               "detail": (line.text[:70] + "…") if len(line.text) > 70 else line.text} for line in chosen]
    return {
        "$schema": SCHEMA, "title": title, "width": 460, "height": max(60, 22 * len(chosen)),
        "description": f"Bar chart: for each {kind}, the share of the points lost on the exercises behind it "
                       f"(the {len(chosen)} most lost; the table below gives every figure).",
        "data": {"values": values}, "mark": {"type": "bar", "color": "#d1495b"},
        "encoding": {
            "y": {"field": "what", "type": "nominal", "sort": None, "title": None},
            "x": {"field": "lost", "type": "quantitative", "scale": {"domain": [0, 100]},
                  "title": "share of the points at stake that were lost (%)"},
            "tooltip": [{"field": "what", "type": "nominal"}, {"field": "lost", "type": "quantitative"},
                        {"field": "detail", "type": "nominal"}],
        },
    }


INTRO = """<h1>What to teach again</h1>
<p>For each reading paragraph that exercises cite, and for each learning outcome: the share of the
points at stake on those exercises that the class lost ({n} submission(s)). The most lost come first.
The same figures are in <code>reteach.csv</code>.</p>
"""


def _section(lines: list[Line], kind: str, heading: str, label: str, charts: dict | None) -> str:
    from .pages import chart_div

    chosen = [line for line in lines if line.kind == kind]
    if not chosen:
        return ""
    figure = ""
    if charts is not None:
        spec = chart_spec(lines, kind, heading)
        charts[f"chart-{kind}"] = spec
        figure = chart_div(f"chart-{kind}", spec["description"])
    rows = "".join(
        f"<tr><th scope=\"row\">{html.escape(line.id)}</th><td class=\"n\">{100 * line.lost_share:.1f} %</td>"
        f"<td class=\"n\">{line.lost:g} / {line.at_stake:g}</td><td>{html.escape(line.text)}</td>"
        f"<td>{html.escape(' '.join(line.exercises))}</td></tr>" for line in chosen)
    return (f"<section><h2>{html.escape(heading)}</h2>{figure}<table><thead><tr><th scope=\"col\">{label}</th>"
            "<th scope=\"col\">lost</th><th scope=\"col\">points lost / at stake</th>"
            f"<th scope=\"col\">{'passage (first words)' if kind == 'paragraph' else 'wording'}</th>"
            "<th scope=\"col\">exercises</th></tr></thead><tbody>" + rows + "</tbody></table></section>")


def write_reteach_page(lines: list[Line], run: Run, out: Path, chart: bool = True) -> Path:
    """The page; with ``chart`` it draws two bar charts offline (the JavaScript is in the page)."""
    from .pages import page

    charts: dict | None = {} if chart else None
    body = INTRO.format(n=len(run.counted)) + "\n".join(
        _section(lines, kind, heading, label, charts)
        for kind, heading, label in (("paragraph", "Reading paragraphs", "paragraph"),
                                     ("outcome", "Learning outcomes", "outcome")))
    path = out / "reteach.html"
    if charts:
        text = page("What to teach again", body, charts)
    else:
        text = ("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>What to teach again</title>"
                "</head><body>" + body + "</body></html>\n")
    path.write_text(text, encoding="utf-8")
    return path


@dataclass
class Weakest:
    outcome: str
    text: str
    earned: float
    possible: float
    paragraphs: list[str]  # cited by the exercises of that outcome not fully right

    @property
    def share(self) -> float:
        return self.earned / self.possible if self.possible else 0.0


def weakest_outcome(run: Run, subs: list[Submission], texts: dict[str, str] | None = None) -> Weakest | None:
    """The outcome on which this student earned the lowest share of the points (ties: more at
    stake first, then the id), or None when nothing scored names an outcome or all is right."""
    texts = outcome_texts(run) if texts is None else texts
    tally: dict[str, list] = {}
    for sub in subs:
        bank = run.banks[sub.set]
        for ex_id, r in sub.results.items():
            ex = bank.exercises[ex_id]
            if r.points is None or not ex.outcome:
                continue
            entry = tally.setdefault(ex.outcome, [0.0, 0.0, []])
            entry[0] += r.points
            entry[1] += r.max_points
            if r.points < r.max_points:
                entry[2] += [c for c in ex.cites if c not in entry[2]]
    candidates = [(k, v) for k, v in tally.items() if v[1] and v[0] < v[1]]
    if not candidates:
        return None
    key, (earned, possible, cites) = min(candidates, key=lambda kv: (kv[1][0] / kv[1][1], -kv[1][1], kv[0]))
    return Weakest(key, texts.get(key, ""), earned, possible, cites)
