"""A feedback page per student: each answer, right or wrong, the explanation and the reading cited.

Every piece of text a student could have written (answers, names from file names) goes through
Jinja2's autoescaping; nothing from a submission is ever marked safe. Pages need no network.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment
from markupsafe import Markup

from .core import Run, Submission

TEMPLATE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Feedback: {{ name }}</title>
<style>
body{font-family:system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#222}
table{border-collapse:collapse;width:100%;margin:1rem 0 2rem}th,td{border-top:1px solid #ccc;padding:.5rem;vertical-align:top;text-align:left}
.right{color:#1b5e20}.wrong{color:#b71c1c}.pending{color:#6d4c00}pre{white-space:pre-wrap;margin:0;font:inherit}
.cite{color:#555;font-size:.9em}.weakest{background:#e3f2fd;padding:.5rem .75rem}.late{background:#fff3e0;padding:.25rem .5rem}
</style></head><body>
<h1>Feedback for {{ name }}</h1>
<p>Course: Vietnam's foreign relations. Student: {{ key }}.</p>
{% if weakest %}
<p class="weakest"><strong>Your weakest outcome: {{ weakest.outcome }}</strong>{% if weakest.text %} ({{ weakest.text }}){% endif %}:
{{ weakest.earned }} of {{ weakest.possible }} points ({{ weakest.percent }} %).{% if weakest.cites %} Reread {{ weakest.cites }}.{% endif %}</p>
{% endif %}
{% for s in sets %}
<section>
<h2>{{ s.title }}</h2>
<p><strong>{{ s.points }} / {{ s.possible }} points</strong>{% if s.pending %} ({{ s.pending }} short-text answer(s) still to be scored){% endif %}.
File: <code>{{ s.file }}</code>.{% if s.late %} <span class="late">Late: {{ s.late_reason }}</span>{% endif %}</p>
<table><thead><tr><th scope="col">Exercise</th><th scope="col">Your answer</th><th scope="col">Result</th><th scope="col">Explanation</th></tr></thead><tbody>
{% for e in s.rows %}
<tr><td><strong>{{ e.id }}</strong>{{ e.prompt }}</td>
<td><pre>{{ e.answer }}</pre></td>
<td class="{{ e.css }}">{{ e.verdict }}<br>{{ e.points }} / {{ e.max_points }}</td>
<td>{{ e.explanation }}{% if e.comment %}<p>Teacher's comment: {{ e.comment }}</p>{% endif %}{% if e.cites %}<p class="cite">Reading: {{ e.cites }}</p>{% endif %}</td></tr>
{% endfor %}
</tbody></table>
</section>
{% endfor %}
</body></html>
"""

_env = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
_template = _env.from_string(TEMPLATE)
_markdown = None


@lru_cache(maxsize=4096)
def course_markdown(text: str):
    """The course's own Markdown (prompts, explanations) as HTML, with any raw HTML in it escaped.
    Never used for anything a student wrote. Cached: every page shows the same prompts."""
    global _markdown
    if _markdown is None:
        try:
            import mistune

            _markdown = mistune.create_markdown(escape=True)
        except ImportError:  # plain escaped text then
            _markdown = False
    if not _markdown:
        return text
    return Markup(_markdown(text))


def _options(exercise) -> dict[str, str]:
    """Option or item id -> its text."""
    return {str(i): str(t) for i, t in list(exercise.options) + list(exercise.items)}


def show_answer(exercise, answer) -> str:
    if answer is None:
        return "(no answer)"
    labels = _options(exercise)
    if isinstance(answer, str):
        return labels.get(answer, answer)
    if isinstance(answer, list) and all(isinstance(a, str) for a in answer):
        return "\n".join(labels.get(a, a) for a in answer)
    if isinstance(answer, dict) and all(isinstance(v, (str, int, float, list)) for v in answer.values()):
        return "\n".join(f"{labels.get(k, k)} → {v if not isinstance(v, list) else ' / '.join(map(str, v))}"
                         for k, v in answer.items())
    return json.dumps(answer, ensure_ascii=False, indent=1)[:5000]


def _cites(exercise) -> str:
    return "; ".join(f"[{c}]" for c in exercise.cites)


def _fmt(x) -> str:
    return "–" if x is None else f"{x:g}"


def _weakest(run: Run, subs: list[Submission], texts: dict[str, str] | None):
    from .reteach import weakest_outcome

    w = weakest_outcome(run, subs, texts)
    if w is None:
        return None
    return dict(outcome=w.outcome, text=w.text, earned=_fmt(w.earned), possible=_fmt(w.possible),
                percent=f"{100 * w.share:.0f}", cites="; ".join(f"[{c}]" for c in w.paragraphs))


def page(run: Run, key: str, name: str, subs: list[Submission], outcome_texts: dict[str, str] | None = None) -> str:
    sets = []
    for sub in subs:
        bank = run.banks[sub.set]
        items = []
        for ex_id, r in sub.results.items():
            ex = bank.exercises[ex_id]
            if not r.answered:
                verdict, css = "not answered", "wrong"
            elif r.points is None:
                verdict, css = "to be scored by the teacher", "pending"
            elif r.correct:
                verdict, css = "right", "right"
            elif r.points and r.points > 0:
                verdict, css = "partly right", "pending"
            else:
                verdict, css = "wrong", "wrong"
            items.append(dict(
                id=ex_id, prompt=course_markdown(ex.prompt.strip()), answer=show_answer(ex, r.answer) if r.answered else "(no answer)",
                verdict=verdict, css=css, points=_fmt(r.points), max_points=_fmt(r.max_points),
                explanation=course_markdown((ex.explanation or "").strip()), cites=_cites(ex), comment=r.comment,
            ))
        sets.append(dict(title=bank.title, points=_fmt(sub.points), possible=_fmt(bank.max_points),
                         pending=sub.pending, file=sub.rel, late=sub.late, late_reason=sub.late_reason, rows=items))
    return _template.render(name=name, key=key, sets=sets, weakest=_weakest(run, subs, outcome_texts))


def safe_filename(key: str) -> str:
    from .roster import fold

    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", key).strip("-.") or "student"
    return slug[:80] if slug != "-" else fold(key)[:80] or "student"


def write_feedback(run: Run, out: Path, *, assessment_too: bool = False) -> list[Path]:
    """One page per student. Sets in assessment mode are included only when ``assessment_too``."""
    folder = out / "feedback"
    by_student: dict[str, list[Submission]] = {}
    for sub in run.counted:
        if run.banks[sub.set].mode == "assessment" and not assessment_too:
            continue
        by_student.setdefault(sub.student_key, []).append(sub)
    from .reteach import outcome_texts

    texts = outcome_texts(run) if by_student else {}
    written = []
    used: set[str] = set()
    order = list(run.banks)
    for key, subs in sorted(by_student.items()):
        subs.sort(key=lambda s: order.index(s.set))
        base = safe_filename(key)
        fname, n = base, 1
        while fname in used:
            n += 1
            fname = f"{base}-{n}"
        used.add(fname)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{fname}.html"
        path.write_text(page(run, key, subs[0].display_name, subs, texts), encoding="utf-8")
        written.append(path)
    return written
