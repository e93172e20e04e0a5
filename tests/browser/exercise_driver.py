"""Answer the course's exercise widgets in the browser, with the mouse or with the keyboard only,
and read back what they show.

The widgets' structure (CSS classes) is documented in `course/exercises/README.md`, "Widget
structure": each exercise is a box `.vnfr-exercise.vnfr-type-<type>.vnfr-ex-<id>` holding its
inputs (`.vnfr-input`; rows `.vnfr-item-<item>` for classify/order/grid, checkboxes
`.vnfr-option-<option>` for multiple), a `.vnfr-submit` button and a `.vnfr-feedback` whose class
`vnfr-status-<status>` says what the student was told.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from helpers.exercises.record import MIME
from helpers.exercises.widgets import quadrant_label, slug

MOUSE, KEYBOARD = "mouse", "keyboard"


def box_selector(exercise_id: str) -> str:
    return f".vnfr-exercise.vnfr-ex-{slug(exercise_id)}"


@dataclass
class Step:
    """One attempt: the controls' target values, how they are entered, what feedback is expected."""
    values: Any            # in the widget's raw-values shape (see widgets.answer_from_values)
    how: str               # MOUSE or KEYBOARD
    expect: tuple[str, ...]  # acceptable feedback statuses
    answer: Any = None     # the answer the record must then hold (None: no record expected)


# ------------------------------------------------------------------------------ keyboard moves

def focus_box(page, box) -> None:
    """Put the keyboard focus just before the exercise's first control (as if the student had
    tabbed to it): the box itself is made focusable, without a tab stop, and focused."""
    box.scroll_into_view_if_needed()
    box.evaluate("el => { el.setAttribute('tabindex', '-1'); el.focus(); }")


def _is_focused(locator) -> bool:
    return locator.evaluate("el => el === document.activeElement")


def tab_to(page, box, target, limit: int = 60) -> None:
    """Press Tab (from the start of the box) until `target` has the focus."""
    focus_box(page, box)
    for _ in range(limit):
        page.keyboard.press("Tab")
        if _is_focused(target):
            return
    where = page.evaluate("() => document.activeElement && document.activeElement.outerHTML.slice(0, 120)")
    raise AssertionError(f"could not reach {target} with Tab; focus is on {where}")


def _select_index_by_keys(page, select, index: int) -> None:
    """On a focused <select>, choose option `index` with the keyboard: Space opens the list, Home
    goes to the first option, ArrowDown moves, Enter chooses.

    (Arrow keys on the *closed* list do not work inside a notebook: JupyterLab's command-mode
    shortcuts take them and move to another cell. The open list gets them.)
    """
    page.keyboard.press("Space")
    page.wait_for_timeout(50)
    page.keyboard.press("Home")
    for _ in range(index):
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_timeout(50)
    got = select.evaluate("el => el.selectedIndex")
    if got != index:
        raise AssertionError(f"the keyboard chose option {got}, not {index}, in the dropdown")


def _option_index(select, text: str, prefix: bool = False) -> int:
    texts = select.evaluate("el => Array.from(el.options).map(o => o.textContent.replace(/\\s+/g, ' ').trim())")
    text = " ".join(text.split())
    for i, t in enumerate(texts):
        if t == text or (prefix and t.startswith(text)):
            return i
    raise AssertionError(f"no option {text!r} in the dropdown; it has {texts}")


def choose(page, box, select, text: str, how: str, prefix: bool = False) -> None:
    """Choose the option whose text is `text` in a dropdown."""
    index = _option_index(select, text, prefix)
    if how == MOUSE:
        select.select_option(index=index)
    else:
        tab_to(page, box, select)
        _select_index_by_keys(page, select, index)


def type_text(page, box, field, text: str, how: str) -> None:
    if how == MOUSE:
        field.click()
        page.keyboard.press("ControlOrMeta+a")
        field.fill(text)
    else:
        tab_to(page, box, field)
        page.keyboard.press("ControlOrMeta+a")
        page.keyboard.press("Delete")
        page.keyboard.type(text)


def press_submit(page, box, how: str) -> None:
    button = box.locator(".vnfr-submit")
    if how == MOUSE:
        button.click()
    else:
        tab_to(page, box, button)
        page.keyboard.press("Enter")


def set_single(page, box, exercise, option_id, how: str) -> None:
    texts = dict(exercise.options)
    radios = box.locator("input[type=radio]")
    labels = [t for _, t in exercise.options]
    k = labels.index(texts[option_id])
    if how == MOUSE:
        box.locator("label", has_text=texts[option_id]).first.click()
    else:
        # Tab into the group (lands on the checked radio, or the first), then arrows / space.
        focus_box(page, box)
        for _ in range(20):
            page.keyboard.press("Tab")
            if box.evaluate("b => b.contains(document.activeElement) && document.activeElement.type === 'radio'"):
                break
        else:
            raise AssertionError("no radio button reached with Tab")
        for _ in range(2 * len(labels)):
            j = radios.evaluate_all("rs => rs.indexOf(document.activeElement)")
            if j == k:
                page.keyboard.press("Space")
                break
            grouped = radios.nth(0).evaluate("r => !!r.name")
            page.keyboard.press(("ArrowDown" if j < k else "ArrowUp") if grouped else "Tab")
        if not radios.nth(k).is_checked():
            raise AssertionError(f"keyboard did not check option {option_id!r}")


def set_multiple(page, box, exercise, ticked: list[str], how: str) -> None:
    for oid, _ in exercise.options:
        cb = box.locator(f".vnfr-option-{slug(oid)} input[type=checkbox]")
        want = oid in ticked
        if cb.is_checked() == want:
            continue
        if how == MOUSE:
            cb.click()
        else:
            tab_to(page, box, cb)
            page.keyboard.press("Space")
        if cb.is_checked() != want:
            raise AssertionError(f"{how}: checkbox {oid!r} did not toggle")


def set_values(page, box, exercise, values, how: str) -> None:
    """Enter `values` (the widget's raw-values shape) into the exercise's controls."""
    t = exercise.type
    if t == "single":
        if values is not None:
            set_single(page, box, exercise, values, how)
    elif t == "multiple":
        set_multiple(page, box, exercise, values or [], how)
    elif t in ("classify", "order", "grid"):
        for iid, value in (values or {}).items():
            select = box.locator(f".vnfr-item-{slug(iid)} select")
            if value is None:
                text = select.evaluate("el => el.options[0].textContent.trim()")
            elif t == "classify":
                text = value
            elif t == "order":
                text = str(value)
            else:
                text = quadrant_label(exercise, exercise.quadrants[value])
            choose(page, box, select, text, how)
    elif t == "numeric":
        type_text(page, box, box.locator("input[type=text]"), values or "", how)
    elif t == "text":
        type_text(page, box, box.locator("textarea"), values or "", how)
    elif t == "evidence":
        if values is not None:
            choose(page, box, box.locator("select"), f"¶{values}:", how, prefix=True)
    else:
        raise AssertionError(f"unknown exercise type {t!r}")


# ----------------------------------------------------------------------------------- read back

def shown_values(page, box, exercise) -> Any:
    """What the widget's controls show now, in the widget's raw-values shape."""
    t = exercise.type
    if t == "single":
        checked = box.locator("input[type=radio]").evaluate_all("rs => rs.findIndex(r => r.checked)")
        return None if checked < 0 else exercise.options[checked][0]
    if t == "multiple":
        return [oid for oid, _ in exercise.options
                if box.locator(f".vnfr-option-{slug(oid)} input[type=checkbox]").is_checked()]
    if t in ("classify", "order", "grid"):
        out = {}
        for iid, _ in exercise.items:
            select = box.locator(f".vnfr-item-{slug(iid)} select")
            index = select.evaluate("el => el.selectedIndex")
            if index <= 0:
                out[iid] = None
            elif t == "classify":
                out[iid] = exercise.categories[index - 1]
            elif t == "order":
                out[iid] = index
            else:
                out[iid] = index - 1
        return out
    if t == "numeric":
        return box.locator("input[type=text]").input_value()
    if t == "text":
        return box.locator("textarea").input_value()
    if t == "evidence":
        index = box.locator("select").evaluate("el => el.selectedIndex")
        return None if index <= 0 else exercise.choices[index - 1]
    raise AssertionError(f"unknown exercise type {t!r}")


def feedback_state(box) -> tuple[str, str]:
    """(status, text) of the feedback area; status '' when nothing is shown yet."""
    fb = box.locator(".vnfr-feedback")
    cls = fb.get_attribute("class") or ""
    status = next((c[len("vnfr-status-"):] for c in cls.split() if c.startswith("vnfr-status-")), "")
    return status, fb.inner_text().strip()


def wait_feedback(page, box, expect: tuple[str, ...], timeout_ms: int = 15_000) -> tuple[str, str]:
    deadline_steps = timeout_ms // 100
    state = feedback_state(box)
    for _ in range(deadline_steps):
        state = feedback_state(box)
        if state[0] in expect:
            return state
        page.wait_for_timeout(100)
    raise AssertionError(f"feedback is {state[0] or 'empty'} ({state[1][:150]!r}), expected {' or '.join(expect)}")


_RECORD_JS = """([path, sel, mime]) => {
  const w = window.__vnfrPanel(path);
  for (const cell of w.content.widgets) {
    if (!cell.node.querySelector(sel)) continue;
    const recs = cell.model.outputs.toJSON().filter(o => o.data && o.data[mime]).map(o => o.data[mime]);
    const first = (cell.model.sharedModel.getSource().split('\\n').find(l => l.trim()) || '').slice(0, 100);
    return {index: w.content.widgets.indexOf(cell), first, records: recs};
  }
  return null;
}"""


def cell_records(page, nb: str, exercise_id: str) -> tuple[int, list[dict]]:
    """(cell index, answer records in that cell's outputs, as JupyterLab holds them now)."""
    found = page.evaluate(_RECORD_JS, [nb, box_selector(exercise_id), MIME])
    if found is None:
        raise AssertionError(f"no cell shows exercise {exercise_id}")
    return found["index"], found["records"]


def cell_name(page, nb: str, exercise_id: str) -> str:
    """"cell 11 ('ex.show(...)')" for the cell showing the exercise, for failure messages."""
    found = page.evaluate(_RECORD_JS, [nb, box_selector(exercise_id), MIME])
    return "no cell" if found is None else f"cell {found['index']} ({found['first']!r})"


def same_answer(a: Any, b: Any) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
    return a == b


def wait_record(page, nb: str, exercise_id: str, answer: Any, timeout_ms: int = 15_000) -> dict:
    """Wait until the exercise's cell output holds a record with `answer`; return it."""
    records: list[dict] = []
    for _ in range(timeout_ms // 100):
        _, records = cell_records(page, nb, exercise_id)
        for r in records:
            if r.get("exercise") == exercise_id and same_answer(r.get("answer"), answer):
                return r
        page.wait_for_timeout(100)
    raise AssertionError(f"the cell of {exercise_id} holds no record with answer {answer!r}: {records}")


def file_records(ipynb: dict, set_id: str) -> dict[str, tuple[int, dict]]:
    """The last record per exercise in a saved notebook (read as JSON): {id: (cell index, record)}."""
    out: dict[str, tuple[int, dict]] = {}
    for index, cell in enumerate(ipynb.get("cells", [])):
        for o in cell.get("outputs", []) if cell.get("cell_type") == "code" else []:
            rec = (o.get("data") or {}).get(MIME)
            if isinstance(rec, dict) and rec.get("set") == set_id:
                out[rec["exercise"]] = (index, rec)
    return out
