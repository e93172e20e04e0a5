"""Slide metadata for the live slideshow (helpers.publishing.slideshow): every exercise is on a slide, its
code is hidden on slides and not in the notebook view, and re-running the adaptation changes
nothing. The browser test (tests/browser/test_slideshow_browser.py) presents a notebook for real.
"""
from __future__ import annotations

import json

import pytest
from nbformat import v4

from helpers import ROOT
from helpers.publishing import slideshow
from helpers.__main__ import main as cli
from helpers.exercises.bank import load_all

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def _nb(*cells):
    return json.loads(json.dumps(v4.new_notebook(cells=list(cells))))


def _md(text, kind=None):
    return v4.new_markdown_cell(text, metadata={"slideshow": {"slide_type": kind}} if kind else {})


def _code(text, kind=None, **meta):
    if kind:
        meta["slideshow"] = {"slide_type": kind}
    return v4.new_code_cell(text, metadata=meta)


# ------------------------------------------------------------------------------- the pure parts

def test_a_continue_cell_marked_dash_is_not_on_any_slide_until_adapted():
    nb = _nb(_md("# Title", "slide"), _md("### Exercise 1", "subslide"), _code('ex.show("a")', "-"),
             _md("## Next", "slide"), _code("x = 1", "skip"), _md("Notes", "notes"), _code("y", "fragment"))
    assert slideshow.cells_on_slides(nb) == {0, 1, 3, 6}
    adapted = slideshow.adapt_notebook(nb)
    assert [(s.first, s.kind, s.cells) for s in slideshow.screens(adapted)] == [
        (0, "slide", [0]), (1, "subslide", [1, 2]), (3, "slide", [3, 6])]
    assert "slideshow" not in adapted["cells"][2]["metadata"]  # "continue" as JupyterLab writes it
    assert nb["cells"][2]["metadata"]["slideshow"] == {"slide_type": "-"}  # the input is left alone


def test_first_cell_starts_a_slide_and_layers_float_outside_the_flow():
    nb = _nb(_md("intro"), _code("ex.show('a')"), _md("logo", "slide"), _md("## B", "slide"))
    nb["cells"][2]["metadata"]["jupyterlab-slideshow"] = {"layer": "deck"}
    assert [(s.first, s.kind, s.cells) for s in slideshow.screens(nb)] == [(0, "slide", [0, 1]), (3, "slide", [3])]


@pytest.mark.parametrize("source, hidden", [
    ('ex.show("start-soft-power-meaning")', True),
    ("ex.progress()", True),
    ('readings.show_passage("quy2024", 4)', True),
    ('outline.show_key_terms(["soft power", "hard power"])', True),
    ("charts.partners_by_level()", False),
    ('partner = "Japan"', False),
    ('ex.show("a")\nprint(1)', False),
    ("print(capstone.memo_outline(partner))", False),
    ("steps = deepening.years_to_csp()", False),
    ("ex.show(", False),
])
def test_which_code_is_hidden_on_slides(source, hidden):
    assert slideshow.code_hidden_on_slides(_code(source)) is hidden
    assert slideshow.code_hidden_on_slides(_md(source)) is False


def test_tags_override_the_rule():
    assert not slideshow.code_hidden_on_slides(_code('ex.show("a")', tags=[slideshow.SHOW_TAG]))
    assert slideshow.code_hidden_on_slides(_code("charts.timeline()", tags=[slideshow.HIDE_TAG]))


def test_hiding_is_limited_to_a_running_slideshow_and_undone_when_the_rule_no_longer_applies():
    nb = slideshow.adapt_notebook(_nb(_md("# T", "slide"), _code('ex.show("a")', "-"), _code("x = 1")))
    shown, other = nb["cells"][1], nb["cells"][2]
    assert slideshow.input_hidden_on_slides(shown) and not slideshow.input_hidden_in_notebook(shown)
    rules = shown["metadata"][slideshow.FONTS_KEY]["styles"][":root"]
    assert list(rules) == ["body[data-jp-deck-mode='presenting'] & .jp-Cell-inputWrapper"]
    assert not slideshow.input_hidden_on_slides(other) and slideshow.FONTS_KEY not in other["metadata"]
    assert slideshow.prompt_overlay_hidden_on_slides(nb)
    # A lecturer's own style on the same cell is kept; the rule goes when the code changes.
    shown["metadata"][slideshow.FONTS_KEY]["styles"][""] = {"body[data-jp-deck-mode='presenting'] &": {"z-index": "1"}}
    shown["source"] = "answer = 42"
    again = slideshow.adapt_notebook(nb)["cells"][1]["metadata"]
    assert again[slideshow.FONTS_KEY] == {"styles": {"": {"body[data-jp-deck-mode='presenting'] &": {"z-index": "1"}}}}
    assert not slideshow.input_hidden_on_slides({"metadata": again})


def test_input_hidden_in_notebook_sees_collapsed_and_unscoped_rules():
    assert slideshow.input_hidden_in_notebook(_code("x", jupyter={"source_hidden": True}))
    unscoped = {slideshow.FONTS_KEY: {"styles": {":root": {"& .jp-Cell-inputWrapper": {"display": "none"}}}}}
    assert slideshow.input_hidden_in_notebook(_code("x", **unscoped))
    assert not slideshow.input_hidden_in_notebook(_code("x"))


def test_adapt_file_rewrites_only_when_needed_and_check_reports(tmp_path, capsys):
    path = tmp_path / "n.ipynb"
    path.write_text(slideshow.dumps(_nb(_md("# T", "slide"), _code('ex.show("a")', "-"))), encoding="utf-8")
    assert cli(["slideshow", "--check", str(path)]) == 1
    assert "needs adapting" in capsys.readouterr().out
    assert cli(["slideshow", str(path)]) == 0
    text = path.read_text(encoding="utf-8")
    assert text.endswith("}\n") and '\n "cells": [' in text  # the course's JSON layout
    assert slideshow.adapt_file(path) is False and path.read_text(encoding="utf-8") == text
    assert cli(["slideshow", "--check", str(path)]) == 0


# ------------------------------------------------------------------------- the course notebooks

@pytest.fixture(scope="module")
def banks():
    return load_all(check_citations=False)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_adapted_for_the_slideshow(path):
    assert not slideshow.adapt_file(path, write=False), \
        f"{path.name}: slide metadata out of date; run `python -m helpers slideshow` and commit the result"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_exercise_is_on_a_slide_with_its_code_hidden_there_only(path, banks):
    nb = json.loads(path.read_text(encoding="utf-8"))
    on_slides = slideshow.cells_on_slides(nb)
    shown = slideshow.shown_exercises(nb)
    bank = banks[path.stem]
    assert sorted(shown) == sorted(e.id for e in bank), f"{path.name}: exercises shown differ from the bank"
    for ex_id, index in shown.items():
        cell = nb["cells"][index]
        where = f"{path.name}, cell {index} ({ex_id})"
        assert index in on_slides, f"{where}: not on any slide of the slideshow"
        assert slideshow.input_hidden_on_slides(cell), f"{where}: its code shows on the slide"
        assert not slideshow.input_hidden_in_notebook(cell), f"{where}: its code is hidden in the notebook"
    assert slideshow.prompt_overlay_hidden_on_slides(nb)
    assert slideshow.screens(nb)[0].first == 0 and len(slideshow.screens(nb)) >= 5
