"""Accessibility in the browser: every control named from its visible text, feedback announced in
a live region, keys that do what a keyboard user expects and never change the notebook's cells,
charts readable by a screen reader, and axe-core (pinned, WCAG 2.1 A and AA) on every notebook
after run-all, on the reader edition and on the HTML slides.

The axe tests fail on any critical or serious violation inside the course's outputs; JupyterLab's
own are listed separately, by rule, in the test's output and in test-artifacts/axe/<page>.json.
"""
from __future__ import annotations

import json
import re

import nbformat
import pytest
from nbformat import v4

import axe
import labdriver
from helpers.publishing import publish
from helpers.exercises import bank
from helpers.exercises.widgets import control_name, prompt_name

pytestmark = pytest.mark.browser

NOTEBOOKS = sorted(p.name for p in (labdriver.REPO / "notebooks").glob("*.ipynb"))
START = bank.load_set_bank("00-start-here")
ONE_OF_EACH = {}
for _ex in START:
    ONE_OF_EACH.setdefault(_ex.type, _ex.id)
EXPLORERS = {
    "sorter": "from helpers import soft_power\nsoft_power.sorter()",
    "partnership_explorer": "from helpers import new_diplomacy\nnew_diplomacy.partnership_explorer()",
    "milestone_explorer": "from helpers import integration\nintegration.milestone_explorer()",
    "scorecard_widget": "from helpers import deepening\ndeepening.scorecard_widget()",
    "partner_picker": "from helpers import capstone\ncapstone.partner_picker('Japan')",
    "memo_builder": "from helpers import capstone\ncapstone.memo_builder('Japan')",
}
PROBE = "_a11y/probe.ipynb"


def probe_notebook() -> nbformat.NotebookNode:
    """One exercise of each type (from 00-start-here's bank), every explorer, and a chart."""
    cells = [v4.new_markdown_cell("# Accessibility probe"),
             v4.new_code_cell("import helpers\nhelpers.setup()\nfrom helpers import exercises, charts\n"
                              "ex = exercises.load_set('00-start-here')")]
    cells += [v4.new_code_cell(f"ex.show({ex_id!r})") for ex_id in ONE_OF_EACH.values()]
    cells.append(v4.new_code_cell("ex.progress()"))
    cells += [v4.new_code_cell(src) for src in EXPLORERS.values()]
    cells.append(v4.new_code_cell("charts.partners_by_level()"))
    return v4.new_notebook(cells=cells, metadata={"kernelspec": {
        "name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}})


@pytest.fixture(scope="module")
def probe(lab_server, browser):
    """The probe notebook, opened and run once; its page is shared by the tests of this module."""
    path = lab_server.root / PROBE
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(probe_notebook(), path)
    context, offsite = labdriver.new_offline_context(browser)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    labdriver.open_notebook(page, lab_server, PROBE)
    labdriver.run_all(page, PROBE)
    labdriver.check_notebook(page, PROBE)
    settle(page)
    yield page
    labdriver.screenshot(page, "a11y-probe", PROBE)
    context.close()
    labdriver.shutdown_kernels(lab_server)
    offsite.check("accessibility probe")
    assert not errors, "script errors on the page:\n  " + "\n  ".join(errors)


def settle(page) -> None:
    """Let the annotator finish (it runs on the next animation frame after each redraw)."""
    page.wait_for_function("() => window.__vnfrA11y && document.querySelectorAll('.vnfr-annotator').length > 0",
                           timeout=30_000)
    page.evaluate("() => window.__vnfrA11y.run()")
    page.wait_for_timeout(300)


def box(page, exercise_id: str):
    return page.locator(f".vnfr-ex-{exercise_id}")


# --------------------------------------------------------------------------------- notebook state

_STATE_JS = """(path) => {
  const w = window.__vnfrPanel(path);
  const cells = w.content.widgets.map(c => [c.model.type, c.model.sharedModel.getSource()]);
  return {cells: JSON.stringify(cells), active: w.content.activeCellIndex, mode: w.content.mode,
          dirtyOutputs: w.content.widgets.map(c => c.model.type === 'code' ? c.model.outputs.length : -1).join(',')};
}"""


def state(page):
    return page.evaluate(_STATE_JS, PROBE)


# Keys that change cells in command mode: m (to Markdown), y (to code), a/b (insert), x (cut),
# d d (delete), z (undo), arrows and j/k (move), c then v (copy, paste), Shift+M (merge).
CELL_KEYS = ["m", "y", "a", "b", "x", "d", "d", "z", "j", "k", "c", "v", "Shift+M", "ArrowUp", "ArrowDown"]


def press_cell_keys(page, keys=CELL_KEYS) -> None:
    for key in keys:
        page.keyboard.press(key)
    page.wait_for_timeout(200)


def assert_cells_unchanged(page, before, what: str) -> None:
    after = state(page)
    assert after["cells"] == before["cells"], f"{what}: a key pressed on the control changed the notebook's cells"
    assert after["active"] == before["active"], (f"{what}: a key moved the notebook from cell {before['active']} "
                                                 f"to cell {after['active']}")
    assert after["dirtyOutputs"] == before["dirtyOutputs"], f"{what}: a key changed a cell's outputs"


def focused(page) -> dict:
    return page.evaluate("""() => { const e = document.activeElement;
      return {tag: e.tagName.toLowerCase(), type: e.type || '', label: e.getAttribute('aria-label') || '',
              text: (e.textContent || '').trim().slice(0, 80), suppressed: e.hasAttribute('data-lm-suppress-shortcuts')}; }""")


# ------------------------------------------------------------------------------------ names

def test_every_exercise_control_is_named_from_its_visible_text(probe):
    page = probe
    missing = []
    for ex_type, ex_id in ONE_OF_EACH.items():
        ex, b = START[ex_id], box(page, ex_id)
        if ex_type in ("classify", "order", "grid"):
            for item_id, text in ex.items:
                name = control_name(ex, text)
                if b.get_by_role("combobox", name=name, exact=True).count() != 1:
                    missing.append(f"{ex_id}: no drop-down named {name!r}")
                assert text in name  # the visible text is in the name (WCAG 2.5.3)
        elif ex_type == "single":
            group = b.get_by_role("radiogroup", name=prompt_name(ex), exact=True)
            if group.count() != 1:
                missing.append(f"{ex_id}: no radio group named by the prompt")
            for _, text in ex.options:
                if group.get_by_role("radio", name=text, exact=True).count() != 1:
                    missing.append(f"{ex_id}: no radio button named {text!r} in the group")
        elif ex_type == "multiple":
            group = b.get_by_role("group", name=prompt_name(ex), exact=True)
            if group.count() != 1:
                missing.append(f"{ex_id}: no group of checkboxes named by the prompt")
            for _, text in ex.options:
                if group.get_by_role("checkbox", name=text, exact=True).count() != 1:
                    missing.append(f"{ex_id}: no checkbox named {text!r} in the group")
        elif ex_type == "numeric":
            if b.get_by_role("textbox", name=re.compile(r"^Answer")).count() != 1:
                missing.append(f"{ex_id}: the number box has no name starting 'Answer'")
        elif ex_type == "text":
            if b.get_by_role("textbox", name=re.compile(r"^Your answer: ")).count() != 1:
                missing.append(f"{ex_id}: the text area has no name")
        elif ex_type == "evidence":
            name = re.compile(r"^The paragraph of \[" + re.escape(ex.spec["reading"]) + r"\] that supports the claim")
            if b.get_by_role("combobox", name=name).count() != 1:
                missing.append(f"{ex_id}: the paragraph drop-down is not named by what it asks")
        if b.get_by_role("button", name=re.compile("^(Check|Submit|Save answer)$")).count() != 1:
            missing.append(f"{ex_id}: no named Check/Submit/Save button")
        if b.get_by_role("status").count() < 1:
            missing.append(f"{ex_id}: the feedback is not a live region")
    assert not missing, "\n".join(missing)


def test_empty_drop_downs_show_their_placeholder(probe):
    for ex_type in ("classify", "order", "grid", "evidence"):
        b = box(probe, ONE_OF_EACH[ex_type])
        shown = b.locator("select").evaluate_all("ss => ss.map(s => s.selectedIndex >= 0 ? s.options[s.selectedIndex].text : '')")
        assert shown and all(t.startswith("—") for t in shown), f"{ex_type}: drop-downs show {shown}"


def test_every_explorer_control_is_named(probe):
    page = probe
    unnamed = page.evaluate("""() => {
      const out = [];
      for (const scope of document.querySelectorAll('.vnfr-a11y')) {
        for (const el of scope.querySelectorAll('select, input, textarea, button, .noUi-handle')) {
          if (el.type === 'hidden' || el.closest('.vnfr-annotator')) continue;
          const label = el.getAttribute('aria-label') || (el.labels && [...el.labels].map(l => l.textContent.trim()).join(' '))
            || (el.tagName === 'BUTTON' ? el.textContent.trim() : '') || el.getAttribute('title') || '';
          if (!label.trim()) out.push(el.outerHTML.slice(0, 150));
        }
      }
      return out;
    }""")
    assert not unnamed, "controls with no accessible name:\n  " + "\n  ".join(unnamed)
    sliders = page.get_by_role("slider")
    names = [sliders.nth(i).get_attribute("aria-label") for i in range(sliders.count())]
    assert sliders.count() >= 1 + 2 + 3 + 3, f"expected the explorers' slider handles, found {names}"
    assert all(names), f"a slider handle has no name: {names}"
    for expected in ("month", "Years, from", "Years, to", "Interests", "Institutions", "Identity"):
        assert expected in names, f"no slider named {expected!r}: {names}"
    assert page.get_by_role("group", name="resource", exact=True).count() == 1
    assert page.get_by_role("group", name="method", exact=True).count() == 1
    for name in ("Partner", "Example", "Words and deeds", "Milestones", "action"):
        assert page.get_by_role("combobox", name=name, exact=True).count() + \
            page.get_by_role("listbox", name=name, exact=True).count() >= 1, f"no control named {name!r}"


# ----------------------------------------------------------------------------- live feedback

def test_feedback_is_announced_in_a_live_region_that_persists(probe):
    page = probe
    ex_id = ONE_OF_EACH["single"]
    b = box(page, ex_id)
    status = b.locator(".vnfr-feedback")
    assert status.get_attribute("role") == "status" and status.get_attribute("aria-live") == "polite"
    status.evaluate("el => { el.__vnfrMark = 1; }")
    ex = START[ex_id]
    wrong = next(text for oid, text in ex.options if oid != ex.answer)
    b.get_by_role("radio", name=wrong, exact=True).check()
    button = b.get_by_role("button", name="Check")
    button.focus()
    page.keyboard.press("Enter")
    page.wait_for_function("(sel) => /Not right yet/.test(document.querySelector(sel).textContent)",
                           arg=f".vnfr-ex-{ex_id} .vnfr-feedback", timeout=15_000)
    assert status.evaluate("el => el.__vnfrMark") == 1, "the live region was replaced, so it is not announced"
    assert button.evaluate("el => el === document.activeElement"), "the focus moved away from the button"
    text = status.inner_text()
    assert "✘" in text and "Not right yet" in text, f"the status is not said in words and a symbol: {text!r}"
    assert "Hint: reread" in text and ex.explanation.strip()[:40] not in text, \
        "a first wrong try must give a hint, not the explanation"
    assert "Progress: Answered" in status.text_content(), "the progress is not announced with the feedback"
    # a second wrong try: the explanation
    page.keyboard.press("Enter")
    page.wait_for_function("(sel) => /Still not right/.test(document.querySelector(sel).textContent)",
                           arg=f".vnfr-ex-{ex_id} .vnfr-feedback", timeout=15_000)
    assert "Here is why" in status.inner_text()
    line_height = status.locator(".widget-html-content").evaluate(
        "el => parseFloat(getComputedStyle(el).lineHeight) / parseFloat(getComputedStyle(el).fontSize)")
    assert line_height < 1.8, f"feedback line height is {line_height:.2f} times the font size"


# --------------------------------------------------------------------------------- keyboard

def _focus(locator):
    locator.scroll_into_view_if_needed()
    locator.focus()


def test_keys_on_every_exercise_control_act_on_the_control_not_the_notebook(probe):
    page = probe
    problems = []
    for ex_type, ex_id in ONE_OF_EACH.items():
        b = box(page, ex_id)
        controls = b.locator("select, input, textarea, button")
        for i in range(controls.count()):
            control = controls.nth(i)
            _focus(control)
            info = focused(page)
            if not info["suppressed"]:
                problems.append(f"{ex_id}: {info['tag']} {info['label'] or info['text']!r} lacks data-lm-suppress-shortcuts")
            before = state(page)
            if info["tag"] in ("textarea",) or info["type"] == "text":
                page.keyboard.type("m")
                value = control.input_value()
                control.fill("")
                if value != "m":
                    problems.append(f"{ex_id}: typing 'm' in the text box gave {value!r}")
            else:
                press_cell_keys(page, [k for k in CELL_KEYS if not (info["tag"] == "button" and k in ("Enter",))])
            try:
                assert_cells_unchanged(page, before, f"{ex_id} ({ex_type}) {info['tag']}")
            except AssertionError as exc:
                problems.append(str(exc))
    assert not problems, "\n".join(problems)


def test_keys_do_what_a_keyboard_user_expects(probe):
    page = probe
    # radio group: ArrowDown moves to and chooses the next option
    b = box(page, ONE_OF_EACH["single"])
    radios = b.locator("input[type=radio]")
    radios.nth(0).check()
    _focus(radios.nth(0))
    page.keyboard.press("ArrowDown")
    assert radios.nth(1).is_checked() and radios.nth(1).evaluate("e => e === document.activeElement")
    # checkbox: Space ticks
    cb = box(page, ONE_OF_EACH["multiple"]).locator("input[type=checkbox]").first
    _focus(cb)
    was = cb.is_checked()
    page.keyboard.press("Space")
    assert cb.is_checked() != was
    # closed drop-down: ArrowDown chooses the next option, a letter the first option starting with it
    ex = START[ONE_OF_EACH["classify"]]
    sel = box(page, ex.id).locator("select").first
    _focus(sel)
    page.keyboard.press("Home")  # the placeholder, chosen with the keyboard as a student would
    page.wait_for_timeout(500)
    assert sel.evaluate("s => s.selectedIndex") == 0, "Home on a closed drop-down did not choose the first option"
    page.keyboard.press("ArrowDown")
    # (the kernel echoes each change back; a late echo of the previous value may land first)
    sel.evaluate("s => new Promise(ok => { const t0 = Date.now(); (function poll() {"
                 " if (s.selectedIndex === 1 || Date.now() - t0 > 5000) ok(); else setTimeout(poll, 100); })(); })")
    assert sel.evaluate("s => s.selectedIndex") == 1, "ArrowDown on a closed drop-down did not choose the next option"
    ring = sel.evaluate("s => { const c = getComputedStyle(s); return [c.outlineStyle, parseFloat(c.outlineWidth), c.outlineColor]; }")
    assert ring[0] != "none" and ring[1] >= 2 and ring[2] == "rgb(26, 95, 180)", \
        f"the focus ring is {ring}, not the course's 3 px #1a5fb4 (6.3:1 against white)"
    letter = ex.categories[-1][0]
    page.keyboard.type(letter.lower())
    page.wait_for_timeout(1000)
    chosen = sel.evaluate("s => s.options[s.selectedIndex].text")
    assert chosen.lower().startswith(letter.lower()), f"typing {letter!r} chose {chosen!r}"
    # button: Enter checks (the feedback is rewritten)
    button = box(page, ex.id).locator(".vnfr-submit")
    fb = box(page, ex.id).locator(".vnfr-feedback")
    fb.evaluate("el => { el.__vnfrChanged = false; new MutationObserver(() => { el.__vnfrChanged = true; })"
                ".observe(el, {childList: true, subtree: true, characterData: true}); }")
    _focus(button)
    page.keyboard.press("Enter")
    page.wait_for_function("(sel) => document.querySelector(sel).__vnfrChanged",
                           arg=f".vnfr-ex-{ex.id} .vnfr-feedback", timeout=15_000)
    assert button.evaluate("el => el === document.activeElement"), "Enter on the button moved the focus"


def test_keys_on_every_explorer_act_on_the_control_not_the_notebook(probe):
    page = probe
    problems, seen = [], set()
    scopes = page.locator(".vnfr-a11y:not(.vnfr-exercise)")
    assert scopes.count() >= len(EXPLORERS), f"found {scopes.count()} explorers, expected {len(EXPLORERS)}"
    for s in range(scopes.count()):
        controls = scopes.nth(s).locator("select, input:not([type=hidden]), textarea, button, .noUi-handle")
        for i in range(controls.count()):
            control = controls.nth(i)
            if not control.is_visible():
                continue
            _focus(control)
            info = focused(page)
            kind = page.evaluate("() => document.activeElement.classList.contains('noUi-handle') ? 'slider' : ''") or info["tag"]
            if not info["suppressed"]:
                problems.append(f"explorer {s}: {kind} {info['label'] or info['text']!r} lacks data-lm-suppress-shortcuts")
            before = state(page)
            if kind == "slider":
                value = control.get_attribute("aria-valuenow")
                step = "ArrowLeft" if value == control.get_attribute("aria-valuemax") else "ArrowRight"
                back = "ArrowRight" if step == "ArrowLeft" else "ArrowLeft"
                page.keyboard.press(step)
                page.wait_for_timeout(300)
                if control.get_attribute("aria-valuenow") == value:
                    problems.append(f"explorer {s}: {step} did not move slider {info['label']!r}")
                page.keyboard.press(back)
                page.wait_for_timeout(300)
                if control.get_attribute("aria-valuenow") != value:
                    problems.append(f"explorer {s}: {step} then {back} on slider {info['label']!r} did not return")
            elif info["tag"] == "button":
                page.keyboard.press("Space")
            elif info["tag"] == "select":
                page.keyboard.press("ArrowDown")
                page.keyboard.press("ArrowUp")
            press_cell_keys(page, ["m", "a", "b", "x", "d", "d", "c", "v", "Shift+M"])
            try:
                assert_cells_unchanged(page, before, f"explorer {s}: {kind} {info['label'] or info['text']!r}")
            except AssertionError as exc:
                problems.append(str(exc))
            seen.add(kind)
    assert {"slider", "select", "button"} <= seen, f"explorer controls tried: {seen}"
    toggles = page.get_by_role("group", name="resource", exact=True).get_by_role("button")
    _focus(toggles.first)
    page.keyboard.press("Space")
    page.wait_for_timeout(300)
    page.evaluate("() => window.__vnfrA11y.run()")
    assert toggles.first.get_attribute("aria-pressed") == "true", "a pressed toggle button does not say so"
    assert not problems, "\n".join(problems)


# ----------------------------------------------------------------------------------- charts

def test_charts_are_svg_with_no_unnamed_actions_and_a_text_description(probe):
    page = probe
    charts = page.locator(".jp-OutputArea-output .vega-embed")
    assert charts.count() >= 1
    for i in range(charts.count()):
        chart = charts.nth(i)
        assert chart.locator("svg.marks").count() == 1, "the chart is not drawn as SVG"
        assert chart.locator("canvas").count() == 0
        assert chart.locator("details, summary").count() == 0, "the chart still has its actions menu"
        labels = chart.evaluate("el => [el, ...el.querySelectorAll('[aria-label]')].map(e => e.getAttribute('aria-label') || '')")
        assert any(len(x) > 40 for x in labels), f"the chart's description is not its accessible name: {labels[:3]}"
        assert chart.locator("[aria-roledescription=axis]").count() >= 1, "no axis is exposed"
    details = page.locator("details.vnfr-chart-text")
    assert details.count() == charts.count()
    summary = details.first.locator("summary").inner_text()
    assert summary.startswith("Text description of the chart: Vietnam's strategic-level partners")


# ------------------------------------------------------------------------------------- axe

def _axe_check(report: axe.AxeReport) -> None:
    axe.save(report)
    print(report.summary())
    failing = report.failing()
    assert not failing, report.summary()


def test_axe_on_the_probe(probe):
    _axe_check(axe.run(probe, "probe-notebook"))


@pytest.mark.parametrize("nb", NOTEBOOKS or [pytest.param(None, id="no-notebooks")])
def test_axe_on_each_notebook_after_run_all(nb, lab_server, offline_page):
    if nb is None:
        pytest.fail("no notebooks found in notebooks/", pytrace=False)
    path = f"notebooks/{nb}"
    page = offline_page
    page.vnfr_nb = path
    labdriver.open_notebook(page, lab_server, path)
    labdriver.run_all(page, path)
    settle(page)
    _axe_check(axe.run(page, nb))


@pytest.fixture(scope="module")
def editions(tmp_path_factory) -> dict:
    """The reader edition and the HTML slides of every notebook, built once."""
    out = tmp_path_factory.mktemp("editions")
    notebooks = [str(labdriver.REPO / "notebooks" / nb) for nb in NOTEBOOKS]
    decks = publish.build_slides(notebooks, out=out / "slides", log=lambda *_: None)
    publish.build_site(notebooks, out=out / "site", log=lambda *_: None)
    return {"decks": decks, "site": out / "site"}


@pytest.fixture
def disk_page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:")
                  or labdriver.is_local(route.request.url) else route.abort("blockedbyclient"))
    page = context.new_page()
    yield page
    context.close()


def test_axe_on_the_reader_edition(editions, disk_page):
    pages = sorted(editions["site"].rglob("*.html"))
    assert pages, "the reader edition has no pages"
    failing = []
    for html_page in pages:
        disk_page.goto(html_page.as_uri())
        disk_page.wait_for_load_state("load")
        report = axe.run(disk_page, "site-" + str(html_page.relative_to(editions["site"])), course_selector=None)
        axe.save(report)
        print(report.summary())
        failing += [report.summary()] if report.failing() else []
    assert not failing, "\n".join(failing)


def test_axe_on_the_html_slides(editions, disk_page):
    assert editions["decks"], "no slide decks were built"
    failing = []
    for deck in editions["decks"]:
        # reveal.js's print layout puts every slide on the page at once (on screen it hides all
        # but the current one from the accessibility tree), so one axe run sees them all
        disk_page.goto(deck.as_uri() + "?print-pdf")
        disk_page.wait_for_function("() => window.Reveal && Reveal.isReady()", timeout=15_000)
        disk_page.wait_for_timeout(500)
        report = axe.run(disk_page, f"slides-{deck.name}", course_selector=None)
        axe.save(report)
        print(report.summary())
        failing += [report.summary()] if report.failing() else []
    assert not failing, "\n".join(failing)


def test_the_suite_runs_with_the_course_settings(lab_server):
    """The test server gets its defaults from the course's overrides file: windowing off, no news.
    (JupyterLab applies overrides to the settings' schema defaults.)"""
    settings = json.loads(labdriver.OVERRIDES.read_text())
    assert settings["@jupyterlab/notebook-extension:tracker"]["windowingMode"] == "none"
    for plugin, values in settings.items():
        if plugin.startswith("jupyterlab-rise"):
            continue
        schema = lab_server.api(f"/lab/api/settings/{plugin}")["schema"]["properties"]
        for key, value in values.items():
            assert schema[key]["default"] == value, f"{plugin} {key}: the server's default is {schema[key]['default']!r}"
