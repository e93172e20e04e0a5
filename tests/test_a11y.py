"""Accessibility without a browser: what each control will be called, which widgets are live
regions, practice feedback that teaches, the chart output's metadata and text, and the course's
JupyterLab settings. The browser checks are in tests/browser/test_accessibility.py."""
from __future__ import annotations

import json
import re

import ipywidgets as w
import pytest

from helpers import ROOT
from helpers.lessons import capstone, deepening, integration, new_diplomacy, soft_power
from helpers.core import a11y, charts
from helpers.exercises import bank
from helpers.exercises.widgets import ExerciseWidget, control_name, feedback, prompt_name

START = bank.load_set_bank("00-start-here")
CONTROL_TYPES = (w.Dropdown, w.SelectMultiple, w.Select, w.Text, w.Textarea, w.RadioButtons, w.ToggleButtons,
                 w.IntSlider, w.IntRangeSlider, w.SelectionSlider, w.FloatSlider)


class NoDisplay:
    def show(self, *a, **k):
        pass

    def update(self, *a, **k):
        pass


def walk(widget):
    yield widget
    for child in getattr(widget, "children", ()) or ():
        yield from walk(child)


def test_labels_round_trip_through_css_classes():
    for label in ("Category for: Chinese cultural values", "Vị trí của: Hội nhập ¶3 — “quoted”", "a" * 250):
        classes = a11y.classes_for(label, "control")
        assert all(re.fullmatch(r"[A-Za-z0-9_-]+", c) for c in classes), classes
        widget = w.Dropdown(options=["x"])
        a11y.name(widget, label)
        assert a11y.described(widget) == {"kind": "control", "name": a11y.plain_text(label)}
    with pytest.raises(ValueError):
        a11y.classes_for("x", "nonsense")


def test_renaming_replaces_the_old_name():
    widget = w.Text()
    a11y.name(widget, "first")
    a11y.name(widget, "second")
    assert a11y.described(widget)["name"] == "second"
    assert sum(c.startswith(a11y.NAME_PREFIX) for c in widget._dom_classes) == 1


def test_plain_text_of_a_markdown_prompt():
    assert a11y.plain_text("Which **two** are *sources* of [soft power](http://x)?\n\n`code`") == \
        "Which two are sources of soft power? code"
    assert a11y.plain_text("word " * 200, limit=50).endswith("…")
    assert len(a11y.plain_text("word " * 200, limit=50)) <= 50


@pytest.mark.parametrize("ex_id", [ex.id for ex in START])
def test_every_exercise_control_is_named_and_its_feedback_is_live(ex_id, tmp_path):
    ex = START[ex_id]
    widget = ExerciseWidget(ex, "practice", display=NoDisplay())
    assert "vnfr-a11y" in widget.box._dom_classes
    assert any(type(c).__name__ == "Annotator" for c in widget.box.children)
    assert a11y.described(widget.feedback)["kind"] == "live"
    if ex.type in ("classify", "order", "grid"):
        for item_id, text in ex.items:
            got = a11y.described(widget.inputs[item_id])
            assert got == {"kind": "control", "name": control_name(ex, text)}
            assert got["name"].endswith(": " + a11y.plain_text(text))
            assert widget.inputs[item_id].index == 0, "the empty drop-down must show its placeholder"
    elif ex.type == "single":
        assert a11y.described(widget.inputs["choice"]) == {"kind": "radiogroup", "name": prompt_name(ex)}
    elif ex.type == "multiple":
        controls = next(c for c in widget.box.children if "vnfr-controls" in c._dom_classes)
        assert a11y.described(controls) == {"kind": "group", "name": prompt_name(ex)}
        assert all(cb.description for cb in widget.inputs.values())  # each checkbox keeps its visible label
    else:
        (control,) = widget.inputs.values()
        named = a11y.described(control)
        assert named["kind"] == "control" and named["name"]
        if ex.type == "evidence":
            assert named["name"].startswith(f"The paragraph of [{ex.spec['reading']}] that supports the claim")
            assert control.index == 0 and control.value is None


def test_a_restored_empty_drop_down_shows_its_placeholder():
    ex = START[next(e.id for e in START if e.type == "classify")]
    widget = ExerciseWidget(ex, "practice", display=NoDisplay())
    first = ex.items[0][0]
    widget.inputs[first].value = ex.categories[0]
    widget.set_values({})
    assert widget.inputs[first].index == 0 and widget.values()[first] is None
    # the student chooses a category, then the placeholder again (the browser sends index 0)
    widget.inputs[first].index = 1
    widget.inputs[first].index = 0
    assert widget.inputs[first].index == 0 and widget.values()[first] is None
    widget.inputs[first].value = None
    assert widget.inputs[first].index == 0


def _explorers():
    return {
        "sorter": soft_power.sorter(),
        "partnership_explorer": new_diplomacy.partnership_explorer(),
        "milestone_explorer": integration.milestone_explorer(),
        "scorecard_widget": deepening.scorecard_widget(),
        "partner_picker": capstone.partner_picker(),
        "memo_builder": capstone.memo_builder(),
    }


def test_every_explorer_control_is_named_from_its_visible_description():
    for name, box in _explorers().items():
        assert "vnfr-a11y" in box._dom_classes, name
        assert callable(getattr(box, "_ipython_display_", None)), f"{name}: shown without its annotator"
        controls = [x for x in walk(box) if isinstance(x, CONTROL_TYPES)]
        assert controls, name
        for control in controls:
            got = a11y.described(control)
            assert got["kind"] and got["name"], f"{name}: {type(control).__name__} {control.description!r} is unnamed"
            assert got["name"] == a11y.plain_text(control.description)


def test_the_sorters_verdict_is_a_live_region():
    box = soft_power.sorter()
    out = box.children[-1]
    assert a11y.described(out)["kind"] == "live"


def test_wrong_first_try_gives_a_hint_the_second_the_explanation():
    ex = START["start-soft-power-meaning"]
    first = feedback(ex, "practice", "might", attempt=1)
    assert first.status == "wrong"
    assert "Hint: reread [quy2024 ¶3]" in first.text and ex.explanation.strip()[:30] not in first.text
    assert ex.explanation.strip()[:30] not in first.html
    second = feedback(ex, "practice", "might", attempt=2)
    assert second.status == "wrong" and "Still not right" in second.text
    assert ex.explanation.strip()[:30] in second.text
    right = feedback(ex, "practice", "attraction", attempt=1)
    assert right.status == "right" and ex.explanation.strip()[:30] in right.text
    for fb in (first, second, right):  # never by colour alone: a symbol and words
        assert re.search(r"[✔✘◐]", fb.html) and re.search(r"Right|right", fb.text)


def test_the_widget_counts_tries_and_announces_progress(tmp_path):
    ex = START["start-soft-power-meaning"]
    widget = ExerciseWidget(ex, "practice", display=NoDisplay(), progress=lambda: "Progress: Answered 1 of 8.")
    widget.set_values("might")
    assert "Hint" in widget.submit().text
    assert "Still not right" in widget.submit().text
    assert "Progress: Answered 1 of 8." in widget.feedback.value and "vnfr-sr-only" in widget.feedback.value
    widget.set_values("attraction")
    assert widget.submit().status == "right"
    widget.set_values("might")
    assert "Hint" in widget.submit().text, "after a right answer the count starts again"


def test_chart_output_is_svg_without_actions_and_has_a_named_text_description():
    import helpers

    helpers.setup()
    chart = charts.partners_by_level()
    spec = chart.to_dict()
    bundle, metadata = charts._accessible_render(spec)
    assert metadata[charts.VEGALITE_MIME]["embed_options"] == {"renderer": "svg", "actions": False}
    assert charts.VEGALITE_MIME in bundle
    text = charts.description_bundle(spec)
    assert text["text/html"].startswith('<details class="vnfr-chart-text"><summary>Text description of the chart: '
                                        "Vietnam&#x27;s strategic-level partners</summary>")
    assert charts.describe(spec) in text["text/plain"]


def test_course_jupyterlab_settings_turn_windowing_and_news_off():
    settings = json.loads((ROOT / "helpers" / "core" / "jupyterlab" / "overrides.json").read_text())
    assert settings["@jupyterlab/notebook-extension:tracker"]["windowingMode"] == "none"
    assert settings["@jupyterlab/apputils-extension:notification"] == {"fetchNews": "false", "checkForUpdates": False}
    makefile = (ROOT / "Makefile").read_text()
    assert "OVERRIDES = helpers/core/jupyterlab/overrides.json" in makefile
    assert re.search(r"^\tcp \$\(OVERRIDES\) \$\(LAB_OVERRIDES\)$", makefile, re.M)
    assert "printf" not in makefile.split("$(STAMP): pyproject.toml")[1].split("\n\n")[0]
