"""The lecture slideshow in JupyterLab (jupyterlab-slideshow), as a lecturer uses it, with the
network cut: open 00-start-here, run all, start the slideshow, move through the slides with the
keys, see a chart drawn on its slide, answer an exercise on its slide with the mouse and then with
the keyboard, see the feedback, leave the slideshow, save, and find the answer record in the
.ipynb on disk. The exercise's code is hidden on the slide and shown in the notebook view.

Everything happens in the session's temporary copy of the course.
"""
from __future__ import annotations

import json

import pytest

import exercise_driver as xd
import labdriver
from helpers.publishing import slideshow
from helpers.exercises.bank import load_set_bank

pytestmark = pytest.mark.browser

SET = "00-start-here"
NB = f"notebooks/{SET}.ipynb"
EXERCISE = "start-soft-power-meaning"  # single choice, on its own subslide

_STATE_JS = """(path) => {
  const w = window.__vnfrPanel(path);
  const cells = [...w.content.widgets];
  return {
    presenting: document.body.dataset.jpDeckMode === 'presenting' && w.hasClass('jp-Deck'),
    active: w.content.activeCellIndex,
    onScreen: cells.map((c, i) => c.hasClass('jp-deck-mod-onscreen') ? i : -1).filter(i => i >= 0),
  };
}"""

_INPUT_JS = """([path, index]) => {
  const cell = window.__vnfrPanel(path).content.widgets[index];
  const input = cell.node.querySelector('.jp-Cell-inputWrapper');
  const r = input.getBoundingClientRect();
  return {display: getComputedStyle(input).display, height: r.height,
          text: (input.textContent || '').trim().slice(0, 80)};
}"""

# A chart drawn live on the current slide, of a real size, in a cell on screen: Vega's SVG with
# marks, or its canvas with something painted on it.
_CHART_ON_SCREEN_JS = """([path, index]) => {
  const cell = window.__vnfrPanel(path).content.widgets[index];
  if (!cell.hasClass('jp-deck-mod-onscreen')) return false;
  const drawn = cell.node.querySelector('.vega-embed svg.marks, .vega-embed canvas');
  if (!drawn) return false;
  const r = drawn.getBoundingClientRect();
  if (!(r.width > 100 && r.height > 100 && r.top < window.innerHeight && r.bottom > 0)) return false;
  if (drawn.tagName.toLowerCase() === 'svg') {
    return !!drawn.querySelector('.mark-rect path, .mark-line path, .mark-symbol path, .mark-text text');
  }
  const data = drawn.getContext('2d').getImageData(0, 0, drawn.width, drawn.height).data;
  const colours = new Set();
  for (let i = 0; i < data.length; i += 4 * 7) {
    if (data[i + 3]) colours.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
    if (colours.size > 3) return true;
  }
  return false;
}"""


def deck_state(page) -> dict:
    return page.evaluate(_STATE_JS, NB)


def press_until(page, key: str, done, what: str, limit: int = 40) -> dict:
    """Press `key` (as the lecturer does) until `done(state)`; return the state."""
    state = deck_state(page)
    for _ in range(limit):
        if done(state):
            return state
        page.keyboard.press(key)
        page.wait_for_timeout(250)
        state = deck_state(page)
    raise AssertionError(f"{NB}: pressing {key} {limit} times never reached {what}; the slideshow is at {state}")


@pytest.fixture
def stop_deck_after(lab_server, offline_page):
    """The slideshow remembers it is on (a setting), so a test that fails while presenting would
    leave every notebook opened later on this server in the slideshow: stop it."""
    yield
    try:
        if offline_page.evaluate("() => document.body.dataset.jpDeckMode === 'presenting'"):
            labdriver.execute_command(offline_page, "deck:stop")
    except Exception:
        pass
    lab_server.api("/lab/api/settings/jupyterlab-slideshow:plugin", method="PUT",
                   body={"raw": json.dumps({"active": False})})


def test_an_exercise_is_answered_live_on_a_slide(lab_server, offline_page, stop_deck_after):
    page = offline_page
    page.vnfr_nb = NB
    nb = json.loads((lab_server.root / NB).read_text(encoding="utf-8"))
    bank = load_set_bank(SET, lab_server.root)
    exercise = bank.exercises[EXERCISE]
    cell = slideshow.shown_exercises(nb)[EXERCISE]
    chart_cell = next(i for i, c in enumerate(nb["cells"])
                      if c["cell_type"] == "code" and "".join(c["source"]).startswith("charts."))
    assert cell in slideshow.cells_on_slides(nb) and chart_cell in slideshow.cells_on_slides(nb)

    labdriver.open_notebook(page, lab_server, NB)
    labdriver.run_all(page, NB)
    notebook_view = page.evaluate(_INPUT_JS, [NB, cell])
    assert notebook_view["display"] != "none" and notebook_view["height"] > 0 and "ex.show" in notebook_view["text"], \
        f"{NB}, cell {cell}: the exercise's code should show in the notebook view: {notebook_view}"

    # Start on the title slide, with the keyboard focus on the notebook (as after a click on it).
    page.evaluate("""(p) => { const w = window.__vnfrPanel(p);
      w.content.activeCellIndex = 0; w.content.mode = 'command'; w.content.activeCell.node.focus(); }""", NB)
    assert page.evaluate("() => window.jupyterapp.commands.hasCommand('deck:start')"), \
        "deck:start is missing: is jupyterlab-slideshow installed and enabled?"
    labdriver.execute_command(page, "deck:start")
    page.wait_for_function("(p) => document.body.dataset.jpDeckMode === 'presenting'", arg=NB, timeout=15_000)
    state = deck_state(page)
    assert state["presenting"] and state["onScreen"] == [0], state

    # Space: the next step, slide or subslide. A chart is drawn live on its slide.
    press_until(page, "Space", lambda s: chart_cell in s["onScreen"], f"the chart (cell {chart_cell})")
    page.wait_for_function(f"(a) => ({_CHART_ON_SCREEN_JS})(a)", arg=[NB, chart_cell], timeout=15_000)
    # Right arrow: the next slide; down arrow: the next subslide (the first exercise).
    press_until(page, "ArrowRight", lambda s: s["active"] > chart_cell and s["active"] == s["onScreen"][0],
                "the slide after the chart")
    state = press_until(page, "ArrowDown", lambda s: cell in s["onScreen"], f"the exercise (cell {cell})")
    slide = list(state["onScreen"])
    on_slide = page.evaluate(_INPUT_JS, [NB, cell])
    assert on_slide["display"] == "none", f"{NB}, cell {cell}: the exercise's code shows on the slide: {on_slide}"

    box = page.locator(f".jp-Deck .jp-Cell.jp-deck-mod-onscreen {xd.box_selector(EXERCISE)}")
    assert box.count() == 1 and box.is_visible(), f"{EXERCISE} is not visible on its slide"
    labdriver.SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(labdriver.SCREENSHOTS / f"slideshow-{SET}.png"))

    # The mouse: a wrong answer, a click on the radio button itself (at the left edge of the output,
    # where JupyterLab's output prompt overlay lies: a click it took would time out here).
    wrong = next(oid for oid, _ in exercise.options if oid != exercise.answer)
    radio = box.locator("input[type=radio]").nth([oid for oid, _ in exercise.options].index(wrong))
    radio.click(timeout=10_000)
    assert radio.is_checked() and xd.shown_values(page, box, exercise) == wrong
    xd.press_submit(page, box, xd.MOUSE)
    status, text = xd.wait_feedback(page, box, ("wrong",))
    assert text, "no feedback text after a wrong answer"
    assert deck_state(page)["onScreen"] == slide, "answering with the mouse moved the slideshow"

    # The keyboard: Tab into the choices, pick the right one, Tab to Check, Enter.
    xd.set_values(page, box, exercise, exercise.answer, xd.KEYBOARD)
    assert deck_state(page)["onScreen"] == slide, "the keys that answer the exercise moved the slideshow"
    xd.press_submit(page, box, xd.KEYBOARD)
    xd.wait_feedback(page, box, ("right",))
    state = deck_state(page)
    assert state["presenting"] and state["onScreen"] == slide, f"the slideshow moved while answering: {state}"
    xd.wait_record(page, NB, EXERCISE, exercise.answer)
    page.screenshot(path=str(labdriver.SCREENSHOTS / f"slideshow-{SET}-answered.png"))

    # Leave the slideshow: back on the slide (a click on its title), then Escape.
    page.locator(".jp-Deck .jp-Cell.jp-deck-mod-onscreen .jp-RenderedMarkdown h3").first.click()
    page.keyboard.press("Escape")
    page.wait_for_function("() => document.body.dataset.jpDeckMode === undefined", timeout=15_000)
    assert not deck_state(page)["presenting"]
    back = page.evaluate(_INPUT_JS, [NB, cell])
    assert back["display"] != "none" and back["height"] > 0, f"the exercise's code is still hidden: {back}"
    assert xd.feedback_state(page.locator(xd.box_selector(EXERCISE)))[0] == "right"

    labdriver.save_notebook(page, NB)
    records = xd.file_records(labdriver.read_ipynb(lab_server, NB), SET)
    assert EXERCISE in records, f"{NB} on disk holds no answer record for {EXERCISE}: {sorted(records)}"
    index, record = records[EXERCISE]
    assert index == cell and record["answer"] == exercise.answer, record
