"""The exercise widgets: thin ipywidgets views over pure functions.

Pure functions (tests call them without a browser):

* `answer_from_values(exercise, values) -> (answer, error)`: the controls' raw values -> the JSON
  answer, or a message for the student ("Type a number, e.g. 12.5", "Choose an option first.");
* `values_from_answer(exercise, answer)`: the inverse, to restore a saved answer into the controls;
* `feedback(exercise, mode, answer, attempt=1) -> Feedback`: what the student sees after
  Check/Submit/Save (practice: a wrong first try gets a hint pointing to the paragraph, the
  explanation follows a right answer or a second try);
* `control_name(exercise, item_text)`: the accessible name of an item's drop-down;
* `parse_number`, `word_count_label`, `grid_cells`, `md_to_html`.

`ExerciseWidget` builds the controls, wires each callback to those functions, and records the
answer (store on disk + the display record in the cell). Browser tests find the parts by CSS class:
see `course/exercises/README.md`, "Widget structure".
"""
from __future__ import annotations

import html
import re
import uuid
from dataclasses import dataclass
from typing import Any, Callable

from helpers.core import a11y
from . import record as rec
from .bank import TYPE_LABELS, Exercise
from .scoring import NoKeyError, check_answer_shape, score, word_count

NUMBER_RE = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$")


# --------------------------------------------------------------------------- pure helpers

def slug(text: str) -> str:
    s = re.sub(r"[^a-z0-9-]+", "-", str(text).lower()).strip("-")
    return s or "x"


def md_to_html(text: str) -> str:
    """Markdown -> HTML for prompts and explanations (mistune when present, else a small subset)."""
    try:
        import mistune

        return mistune.html(text)
    except Exception:  # pragma: no cover - fallback when mistune is absent
        out = html.escape(text)
        out = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", out)
        out = re.sub(r"\*(.+?)\*", r"<em>\1</em>", out)
        out = re.sub(r"`(.+?)`", r"<code>\1</code>", out)
        return "".join(f"<p>{p}</p>" for p in out.split("\n\n"))


def parse_number(text: Any, example: str = "12.5", unit: str = "") -> tuple[float | None, str | None]:
    """A typed number -> (value, None) or (None, message). Accepts 12.5, 12,5, -3, 1e3, a trailing unit."""
    msg = f"Type a number, e.g. {example}."
    if not isinstance(text, str) or not text.strip():
        return None, msg
    s = text.strip().replace("\u2212", "-").replace("\u00a0", "").replace(" ", "")
    if unit and s.lower().endswith(unit.lower()):
        s = s[: -len(unit)]
    if not NUMBER_RE.match(s) or s.count(",") + s.count(".") > 1:
        return None, f"Type a number, e.g. {example} (digits and one decimal point, no thousands separators)."
    value = float(s.replace(",", "."))
    if abs(value) > 1e15:
        return None, "That number is too large."
    return (int(value) if value.is_integer() and "." not in s and "," not in s and "e" not in s.lower() else value), None


def word_count_label(exercise: Exercise, text: str, saved_text: str | None = None) -> str:
    n = word_count(text or "")
    label = f"{n} word" + ("" if n == 1 else "s")
    lo, hi = exercise.spec.get("min_words"), exercise.spec.get("max_words")
    if lo and hi:
        label += f" (aim for {lo}–{hi})"
    elif lo:
        label += f" (at least {lo})"
    elif hi:
        label += f" (at most {hi})"
    if (text or "").strip() and text != saved_text:
        label += " · not saved yet"
    elif saved_text is not None and text == saved_text:
        label += " · saved"
    return label


def quadrant_label(exercise: Exercise, quadrant: tuple[str, str]) -> str:
    c, r = quadrant
    return f"{c} {exercise.spec['columns']['label']} · {r} {exercise.spec['rows']['label']}"


def grid_cells(exercise: Exercise, values: dict) -> dict[tuple[str, str], list[str]]:
    """Which item texts sit in each quadrant, for the 2×2 picture (values: item id -> quadrant index)."""
    quads = exercise.quadrants
    cells: dict[tuple[str, str], list[str]] = {q: [] for q in quads}
    for item, text in exercise.items:
        i = values.get(item)
        if isinstance(i, int) and 0 <= i < len(quads):
            cells[quads[i]].append(text)
    return cells


def answer_from_values(exercise: Exercise, values: Any) -> tuple[Any, str | None]:
    """Controls' raw values -> (JSON answer, None) or (None, message for the student).

    values by type: single/evidence: the chosen id/number or None; multiple: list of ticked ids;
    classify: {item: category or None}; order: {item: position (1-based) or None};
    numeric/text: the typed text; grid: {item: quadrant index or None}.
    """
    t = exercise.type
    answer: Any
    if t in ("single", "evidence"):
        answer = values
    elif t == "multiple":
        ids = [i for i, _ in exercise.options]
        answer = [i for i in ids if i in (values or [])]
    elif t == "classify":
        answer = {k: v for k, v in (values or {}).items() if v is not None}
        if len(answer) < len(exercise.items):
            left = len(exercise.items) - len(answer)
            return None, f"Choose a category for every item first ({left} left)."
    elif t == "order":
        chosen = {k: v for k, v in (values or {}).items() if v is not None}
        if len(chosen) < len(exercise.items):
            left = len(exercise.items) - len(chosen)
            return None, f"Give every item a position first ({left} left)."
        positions = sorted(chosen.values())
        if positions != list(range(1, len(exercise.items) + 1)):
            dup = sorted({p for p in positions if positions.count(p) > 1})
            return None, f"Use each position once: position {', '.join(map(str, dup))} is used more than once."
        answer = [k for k, _ in sorted(chosen.items(), key=lambda kv: kv[1])]
    elif t == "numeric":
        answer, problem = parse_number(values, exercise.spec.get("example", "12.5"), exercise.spec.get("unit", ""))
        if problem:
            return None, problem
    elif t == "text":
        answer = values if isinstance(values, str) else None
    elif t == "grid":
        quads = exercise.quadrants
        placed = {k: v for k, v in (values or {}).items() if v is not None}
        if len(placed) < len(exercise.items):
            left = len(exercise.items) - len(placed)
            return None, f"Place every item on the grid first ({left} left)."
        answer = {k: list(quads[v]) for k, v in placed.items()}
    else:
        return None, f"Unknown exercise type {t!r}."
    problem = check_answer_shape(exercise, answer)
    return (None, problem) if problem else (answer, None)


def values_from_answer(exercise: Exercise, answer: Any) -> Any:
    """A recorded answer -> the controls' raw values (empty values if the answer does not fit)."""
    t = exercise.type
    ok = check_answer_shape(exercise, answer) is None
    if t in ("single", "evidence"):
        return answer if ok else None
    if t == "multiple":
        return list(answer) if ok else []
    if t == "classify":
        return {i: (answer.get(i) if ok else None) for i, _ in exercise.items}
    if t == "order":
        return {i: ((answer.index(i) + 1) if ok else None) for i, _ in exercise.items}
    if t == "numeric":
        return (repr(answer) if isinstance(answer, float) else str(answer)) if ok else ""
    if t == "text":
        return answer if ok else ""
    if t == "grid":
        quads = exercise.quadrants
        return {i: (quads.index(tuple(answer[i])) if ok else None) for i, _ in exercise.items}
    return None


@dataclass
class Feedback:
    status: str  # error | recorded | right | partial | wrong
    text: str
    html: str


def _cites_html(exercise: Exercise) -> str:
    return html.escape(", ".join(f"[{c}]" for c in exercise.cites))


def hint_html(exercise: Exercise) -> str:
    """The hint after a wrong first try: where to look, not the answer."""
    return f"<p>Hint: reread {_cites_html(exercise)}, then try again.</p>"


def hint_text(exercise: Exercise) -> str:
    return "Hint: reread " + ", ".join(f"[{c}]" for c in exercise.cites) + ", then try again."


def feedback(exercise: Exercise, mode: str, answer: Any, restored: bool = False, attempt: int = 1) -> Feedback:
    """What the student sees for an answer, in practice or assessment mode.

    Practice feedback teaches: a right answer gets the explanation; an answer that is not right
    gets, on the first try (`attempt` 1), a hint naming the paragraph to reread and no
    explanation (it would give the answer away); from the second try on, the explanation.
    Never by colour alone: the status is said in words and with a symbol.
    """
    problem = check_answer_shape(exercise, answer)
    if problem:
        return Feedback("error", problem, f"<p>{html.escape(problem)}</p>")
    saved = "Answer recorded" + (" (restored from your saved answers)." if restored else ".")
    if mode != "practice":
        return Feedback("recorded", saved, f"<p>✔ {html.escape(saved)}</p>")
    if exercise.type == "text":
        parts = [f"<p>✔ {html.escape(saved)} Your teacher scores it against these criteria:</p><ul>"]
        parts += [f"<li>{html.escape(c)}</li>" for c in exercise.spec.get("rubric", [])]
        parts.append("</ul>")
        if exercise.model_answer:
            parts.append("<p><strong>Compare with a model answer:</strong></p>" + md_to_html(exercise.model_answer))
        return Feedback("recorded", saved, "".join(parts))
    try:
        result = score(exercise, answer)
    except NoKeyError:
        return Feedback("recorded", saved, f"<p>✔ {html.escape(saved)}</p>")
    status = "right" if result.correct else ("partial" if (result.fraction or 0) > 0 else "wrong")
    icon = {"right": "✔", "partial": "◐", "wrong": "✘"}[status]
    head = {"right": "Right.", "partial": result.message, "wrong": "Not right yet: try again."}[status]
    if status != "right" and attempt >= 2:
        head = {"partial": result.message, "wrong": "Still not right."}[status] + " Here is why."
    body = f"<p><strong>{icon} {html.escape(head)}</strong></p>"
    if status != "right" and attempt < 2:
        text = f"{head} {hint_text(exercise)}"
        body += hint_html(exercise)
        return Feedback(status, text, body)
    text = f"{head} {exercise.explanation or ''}".strip()
    if exercise.explanation:
        body += md_to_html(exercise.explanation)
    body += f"<p><small>Reading: {_cites_html(exercise)}</small></p>"
    return Feedback(status, text, body)


def control_name(exercise: Exercise, item_text: str) -> str:
    """The accessible name of an item's drop-down: what it asks, then the item's visible text."""
    what = {"classify": "Category for", "order": "Position of", "grid": "Cell for"}.get(exercise.type, "Answer for")
    return f"{what}: {a11y.plain_text(item_text)}"


def prompt_name(exercise: Exercise) -> str:
    """A group's accessible name: the exercise's prompt, as plain text."""
    return a11y.plain_text(exercise.prompt) or f"Exercise {exercise.id}"


def set_dropdown(dd, value) -> None:
    """Set a drop-down whose first option is the "— choose … —" placeholder (value None):
    with no answer the placeholder is shown, not an empty box."""
    dd.value = value
    if value is None:
        dd.index = 0


def keep_placeholder(dd) -> None:
    """ipywidgets turns value None into "no option chosen" (an empty box, index None), also when
    the student chooses the placeholder; show the placeholder (index 0, value None) instead."""
    def fix(change):
        if change["new"] is None:
            dd.index = 0

    dd.observe(fix, names="index")
    set_dropdown(dd, dd.value)


# --------------------------------------------------------------------------- display plumbing

class IPythonDisplay:
    """Shows and updates outputs in the running kernel's current cell."""

    def show(self, obj, raw: bool = False, display_id: str | None = None):
        from IPython.display import display

        if display_id is None:
            display(obj, raw=raw)
        else:
            display(obj, raw=raw, display_id=display_id)

    def update(self, bundle: dict, display_id: str):
        from IPython.display import update_display

        update_display(bundle, raw=True, display_id=display_id)


# --------------------------------------------------------------------------- the widget

STATUS_CLASSES = ("vnfr-status-error", "vnfr-status-recorded", "vnfr-status-right",
                  "vnfr-status-partial", "vnfr-status-wrong")


class ExerciseWidget:
    """One exercise: controls, a Check/Submit/Save button, feedback, and the answer record."""

    def __init__(self, exercise: Exercise, mode: str, store=None, display=None,
                 on_record: Callable[[dict], None] | None = None, restored: dict | None = None,
                 progress: Callable[[], str] | None = None):
        import ipywidgets as w

        self.w = w
        self.exercise = exercise
        self.mode = mode
        self.store = store
        self.display = display or IPythonDisplay()
        self.on_record = on_record
        self.display_id = f"vnfr-{slug(exercise.set)}-{slug(exercise.id)}-{uuid.uuid4().hex[:8]}"
        self.last_record: dict | None = None
        self.saved_text: str | None = None
        self.progress = progress
        self.attempts = 0  # checks in a row that were not right (practice: the hint, then the explanation)
        self._build()
        if restored is not None and check_answer_shape(exercise, restored.get("answer")) is None:
            self.last_record = restored
            self.set_values(values_from_answer(exercise, restored["answer"]))
            if exercise.type == "text":
                self.saved_text = restored["answer"]
                self._update_word_count()
            self._show_feedback(feedback(exercise, mode, restored["answer"], restored=True))

    # building -------------------------------------------------------------------------------
    def _build(self):
        w, ex = self.w, self.exercise
        t = ex.type
        self.inputs: dict[str, Any] = {}
        rows: list = []
        if t == "single":
            radio = w.RadioButtons(options=[(text, oid) for oid, text in ex.options], value=None,
                                   layout=w.Layout(width="auto"))
            radio.add_class("vnfr-input")
            a11y.group(radio, prompt_name(ex), radio=True)
            self.inputs["choice"] = radio
            rows.append(radio)
        elif t == "multiple":
            for oid, text in ex.options:
                cb = w.Checkbox(value=False, description=text, indent=False, layout=w.Layout(width="auto"))
                cb.add_class("vnfr-input")
                cb.add_class(f"vnfr-option-{slug(oid)}")
                self.inputs[oid] = cb
                rows.append(cb)
        elif t in ("classify", "order", "grid"):
            if t == "classify":
                opts = [("— choose a category —", None)] + [(c, c) for c in ex.categories]
            elif t == "order":
                n = len(ex.items)
                opts = [("— position —", None)] + [(str(i), i) for i in range(1, n + 1)]
            else:
                opts = [("— choose a cell —", None)] + [(quadrant_label(ex, q), i) for i, q in enumerate(ex.quadrants)]
            for iid, text in ex.items:
                dd = w.Dropdown(options=opts, value=None, layout=w.Layout(width="auto"))
                keep_placeholder(dd)
                dd.add_class("vnfr-input")
                a11y.name(dd, control_name(ex, text))
                label = w.HTML(f"<span>{html.escape(text)}</span>", layout=w.Layout(flex="1 1 auto"))
                row = w.HBox([dd, label] if t == "order" else [label, dd],
                             layout=w.Layout(align_items="center", justify_content="space-between"))
                row.add_class("vnfr-item")
                row.add_class(f"vnfr-item-{slug(iid)}")
                self.inputs[iid] = dd
                rows.append(row)
            if t == "grid":
                self.grid_view = w.GridBox(layout=w.Layout(grid_template_columns="auto 1fr 1fr",
                                                           grid_gap="4px", margin="8px 0"))
                self.grid_view.add_class("vnfr-grid")
                for dd in self.inputs.values():
                    dd.observe(lambda change: self._update_grid(), names="value")
                self._update_grid()
                rows.append(self.grid_view)
        elif t == "numeric":
            box = w.Text(value="", placeholder=f"e.g. {ex.spec.get('example', '12.5')}",
                         description="Answer", continuous_update=True)
            box.add_class("vnfr-input")
            unit = f" (in {ex.spec['unit']})" if ex.spec.get("unit") else ""
            a11y.name(box, f"Answer{unit}: {prompt_name(ex)}")
            self.inputs["number"] = box
            parts = [box] + ([w.Label(ex.spec["unit"])] if ex.spec.get("unit") else [])
            rows.append(w.HBox(parts))
        elif t == "text":
            area = w.Textarea(value="", placeholder="Write your answer here.", continuous_update=True,
                              layout=w.Layout(width="100%", height="9em"))
            area.add_class("vnfr-input")
            a11y.name(area, f"Your answer: {prompt_name(ex)}")
            self.inputs["text"] = area
            self.word_count = w.Label("0 words")
            self.word_count.add_class("vnfr-wordcount")
            area.observe(lambda change: self._update_word_count(), names="value")
            self._update_word_count()
            rows += [area, self.word_count]
        elif t == "evidence":
            from helpers.core.readings import reading

            r = reading(ex.spec["reading"])
            opts = [("— choose a paragraph —", None)]
            for n in ex.choices:
                words = r.paragraph(n).text.split()
                opts.append((f"¶{n}: {' '.join(words[:9])}…", n))
            ask = f"The paragraph of [{ex.spec['reading']}] that supports the claim"
            claim = w.HTML(f"<p><strong>Claim:</strong> {html.escape(ex.spec['claim'])}</p>"
                           f"<p>{html.escape(ask)}:</p>")
            claim.add_class("vnfr-claim")
            dd = w.Dropdown(options=opts, value=None, layout=w.Layout(width="100%"))
            keep_placeholder(dd)
            dd.add_class("vnfr-input")
            a11y.name(dd, f"{ask}: {ex.spec['claim']}")
            self.inputs["paragraph"] = dd
            self.preview = w.HTML("")
            self.preview.add_class("vnfr-preview")

            def show_paragraph(change):
                n = change["new"]
                self.preview.value = ("" if n is None else
                                      f"<blockquote><b>¶{n}</b> {html.escape(r.paragraph(n).text)} "
                                      f"<small>[{ex.spec['reading']} ¶{n}]</small></blockquote>")

            dd.observe(show_paragraph, names="value")
            a11y.live(self.preview)
            rows += [claim, dd, self.preview]

        label = {"practice": "Check", "assessment": "Submit"}.get(self.mode, "Submit")
        if t == "text":
            label = "Save answer"
        self.button = w.Button(description=label, button_style="primary", icon="check",
                               tooltip=f"{label} ({ex.id})")
        self.button.add_class("vnfr-submit")
        self.button.on_click(lambda _b: self.submit())
        self.feedback = w.HTML("")
        self.feedback.add_class("vnfr-feedback")
        a11y.live(self.feedback)
        controls = w.VBox(rows)
        controls.add_class("vnfr-controls")
        if t == "multiple":
            a11y.group(controls, prompt_name(ex))
        self.box = w.VBox([controls, self.button, self.feedback, a11y.Annotator()],
                          layout=w.Layout(border="1px solid #ccc", padding="8px", margin="4px 0"))
        a11y.scope(self.box)
        for cls in ("vnfr-exercise", f"vnfr-type-{t}", f"vnfr-ex-{slug(ex.id)}", f"vnfr-mode-{self.mode}"):
            self.box.add_class(cls)

    # values ---------------------------------------------------------------------------------
    def values(self) -> Any:
        t, i = self.exercise.type, self.inputs
        if t == "single":
            return i["choice"].value
        if t == "multiple":
            return [oid for oid, cb in i.items() if cb.value]
        if t in ("classify", "order", "grid"):
            return {iid: dd.value for iid, dd in i.items()}
        if t == "numeric":
            return i["number"].value
        if t == "text":
            return i["text"].value
        if t == "evidence":
            return i["paragraph"].value
        return None

    def set_values(self, values: Any) -> None:
        t, i = self.exercise.type, self.inputs
        if t == "single":
            i["choice"].value = values
        elif t == "multiple":
            for oid, cb in i.items():
                cb.value = oid in (values or [])
        elif t in ("classify", "order", "grid"):
            for iid, dd in i.items():
                set_dropdown(dd, (values or {}).get(iid))
        elif t == "numeric":
            i["number"].value = values or ""
        elif t == "text":
            i["text"].value = values or ""
        elif t == "evidence":
            set_dropdown(i["paragraph"], values)

    # callbacks ------------------------------------------------------------------------------
    def _update_word_count(self):
        self.word_count.value = word_count_label(self.exercise, self.inputs["text"].value, self.saved_text)

    def _update_grid(self):
        w, ex = self.w, self.exercise
        cells = grid_cells(ex, self.values())
        cols, rows = ex.spec["columns"], ex.spec["rows"]
        children = [w.HTML("")]
        for c in cols["values"]:
            children.append(w.HTML(f"<b>{html.escape(c)} {html.escape(cols['label'])}</b>"))
        for r in rows["values"]:
            children.append(w.HTML(f"<b>{html.escape(r)} {html.escape(rows['label'])}</b>"))
            for c in cols["values"]:
                name = ex.spec.get("cells", {}).get(f"{c}|{r}", "")
                items = "".join(f"<li>{html.escape(t)}</li>" for t in cells[(c, r)])
                cell = w.HTML(f"<div><i>{html.escape(name)}</i><ul>{items}</ul></div>",
                              layout=w.Layout(border="1px solid #999", padding="4px", min_height="4em"))
                cell.add_class("vnfr-grid-cell")
                cell.add_class(f"vnfr-cell-{slug(c)}-{slug(r)}")
                children.append(cell)
        self.grid_view.children = children

    def _show_feedback(self, fb: Feedback, progress: str | None = None):
        for cls in STATUS_CLASSES:
            self.feedback.remove_class(cls)
        self.feedback.add_class(f"vnfr-status-{fb.status}")
        # The feedback is a live region: its text (and the progress, for screen readers) is
        # announced without moving the focus from the button.
        extra = f'<p class="vnfr-sr-only">{html.escape(progress)}</p>' if progress else ""
        self.feedback.value = fb.html + extra

    def emit(self, record: dict | None, first: bool = False) -> None:
        """Show (first) or update the record output of this cell."""
        data = rec.bundle(record) if record else rec.placeholder_bundle(self.exercise.set, self.exercise.id)
        if first:
            self.display.show(data, raw=True, display_id=self.display_id)
        else:
            self.display.update(data, self.display_id)

    def submit(self) -> Feedback:
        """The Check/Submit/Save button: validate, record (disk + notebook), show feedback."""
        ex = self.exercise
        answer, problem = answer_from_values(ex, self.values())
        if problem:
            fb = Feedback("error", problem, f"<p>{html.escape(problem)}</p>")
            self._show_feedback(fb)
            return fb
        record = rec.build_record(ex.set, ex.id, ex.type, answer)
        warning = ""
        if self.store is not None:
            try:
                self.store.put(record)
            except OSError as exc:
                warning = f" (Could not also save it to disk: {exc}. Save the notebook to keep it.)"
        self.last_record = record
        self.emit(record)
        if ex.type == "text":
            self.saved_text = answer
            self._update_word_count()
        fb = feedback(ex, self.mode, answer, attempt=self.attempts + 1)
        self.attempts = 0 if fb.status in ("right", "recorded") else self.attempts + 1
        if warning:
            fb = Feedback(fb.status, fb.text + warning, fb.html + f"<p>{html.escape(warning)}</p>")
        if self.on_record:
            self.on_record(record)
        self._show_feedback(fb, self.progress() if self.progress else None)
        return fb
