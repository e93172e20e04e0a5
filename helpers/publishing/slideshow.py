"""The notebooks as a live slideshow in JupyterLab, and the slide metadata it reads.

    python -m helpers slideshow [--check] [NOTEBOOK ...]

The lecture slideshow is jupyterlab-slideshow: it presents the running notebook itself, one slide
at a time, so exercise widgets, explorers and charts stay live and their callbacks run (see the
README, "Slides"). It reads the same `slideshow.slide_type` cell metadata as nbconvert's HTML
slides (`make slides`), with two differences that `adapt_notebook` makes up for:

* **Continue.** A cell that continues the slide above has no `slide_type`: that is what JupyterLab
  writes when "-" is picked, and what nbconvert reads as "-". The slideshow does not show a cell
  whose `slide_type` is the string `"-"` at all, so `adapt_notebook` removes it.
* **Code on slides.** The slideshow shows every cell whole. Cells whose code the lecturer does not
  need on a slide (`ex.show(...)`, `ex.progress()`, `readings.show_passage(...)`, ...; see
  `code_hidden_on_slides`) get cell metadata for jupyterlab-fonts, the styling layer the slideshow
  uses, that hides their input only while a slideshow is running (under
  `body[data-jp-deck-mode='presenting']`); the notebook view is unchanged. Every notebook also gets
  a style that hides JupyterLab's output prompt overlay while presenting: with the prompts hidden
  on slides it lies over the left edge of each output and takes the mouse clicks meant for an
  exercise's radio buttons and check boxes.

Tags override the rule: `slides-show-code` keeps a cell's code on slides, `slides-hide-code`
hides it. The exported HTML slides drop the same inputs (`helpers.publishing.slides.export_slides`).

The function is re-runnable: run it after editing a notebook; `--check` lists the notebooks
that need it (exit status 1) and changes nothing. Files are rewritten with the course's JSON
layout (one-space indent, UTF-8), so `git diff` shows only the metadata.
"""
from __future__ import annotations

import argparse
import ast
import copy
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

from helpers import ROOT

FONTS_KEY = "@deathbeds/jupyterlab-fonts"
PRESENTING = "body[data-jp-deck-mode='presenting']"
ROOT_SELECTOR = ":root"  # jupyterlab-fonts: rules under this key are given with `&` for the cell/notebook
HIDE_INPUT = f"{PRESENTING} & .jp-Cell-inputWrapper"
HIDE_PROMPT_OVERLAY = f"{PRESENTING} & .jp-OutputArea-promptOverlay"
HIDDEN = {"display": "none"}
SHOW_TAG = "slides-show-code"
HIDE_TAG = "slides-hide-code"
LAYER_KEY = "jupyterlab-slideshow"  # the slideshow's own cell metadata ("layer": shown on top of slides)
SHOWN_TYPES = (None, "slide", "subslide", "fragment")

# Calls whose code says nothing a lecturer needs on a slide: they only display course content.
DISPLAY_CALLS = {
    ("ex", "*"),  # the notebook's exercise set: ex.show("id"), ex.progress()
    ("readings", "show_passage"),
    ("outline", "show_outcomes"),
    ("outline", "show_key_terms"),
}


# ----------------------------------------------------------------------------- reading cells

def slide_type(cell: dict) -> str | None:
    """The cell's `slideshow.slide_type` as stored (None when absent: "continue")."""
    return ((cell.get("metadata") or {}).get("slideshow") or {}).get("slide_type") or None


def _source(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else str(src)


def _tags(cell: dict) -> set[str]:
    return set((cell.get("metadata") or {}).get("tags") or [])


def is_display_call(source: str) -> bool:
    """True if `source` is one call from DISPLAY_CALLS (e.g. `ex.show("start-x")`), nothing else."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return False
    if len(tree.body) != 1 or not isinstance(tree.body[0], ast.Expr):
        return False
    call = tree.body[0].value
    if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
            and isinstance(call.func.value, ast.Name)):
        return False
    owner, name = call.func.value.id, call.func.attr
    return (owner, name) in DISPLAY_CALLS or (owner, "*") in DISPLAY_CALLS


def code_hidden_on_slides(cell: dict) -> bool:
    """Whether the rule hides this cell's code on slides (tags first, then DISPLAY_CALLS)."""
    if cell.get("cell_type") != "code":
        return False
    tags = _tags(cell)
    if SHOW_TAG in tags:
        return False
    return HIDE_TAG in tags or is_display_call(_source(cell))


def _root_rules(meta: dict) -> dict:
    return (((meta or {}).get(FONTS_KEY) or {}).get("styles") or {}).get(ROOT_SELECTOR) or {}


def input_hidden_on_slides(cell: dict) -> bool:
    """Whether the cell's metadata hides its input while a slideshow is running."""
    return _root_rules(cell.get("metadata") or {}).get(HIDE_INPUT) == HIDDEN


def input_hidden_in_notebook(cell: dict) -> bool:
    """Whether JupyterLab's notebook view hides the cell's input: collapsed (`source_hidden`), or a
    jupyterlab-fonts rule on the input that is not limited to a running slideshow."""
    meta = cell.get("metadata") or {}
    if (meta.get("jupyter") or {}).get("source_hidden"):
        return True

    def walk(styles, path):
        for key, value in (styles or {}).items():
            if isinstance(value, dict):
                yield from walk(value, path + (key,))
            elif key == "display" and value == "none":
                yield " ".join(path)

    styles = (meta.get(FONTS_KEY) or {}).get("styles") or {}
    return any(("jp-Cell-inputWrapper" in sel or "jp-InputArea" in sel) and PRESENTING not in sel
               for sel in walk(styles, ()))


def prompt_overlay_hidden_on_slides(nb: dict) -> bool:
    return _root_rules(nb.get("metadata") or {}).get(HIDE_PROMPT_OVERLAY) == HIDDEN


# ------------------------------------------------------------------------ what the deck shows

@dataclass
class Screen:
    """One slide or subslide of the live slideshow: the cells on it, in order (indices)."""
    first: int
    kind: str
    cells: list[int] = field(default_factory=list)


def screens(nb: dict) -> list[Screen]:
    """The screens jupyterlab-slideshow 0.3 builds from the notebook's metadata.

    As in its notebook presenter: a cell of type slide or subslide starts a screen; a cell with no
    type or a fragment joins the screen above (a fragment appears on a key press); skip, notes and
    any other value (such as the string "-") are not shown; a "layer" cell floats above the flow
    and is left out here; the first cell starts a slide when it has no type or is a subslide.
    """
    out: list[Screen] = []
    for i, cell in enumerate(nb.get("cells", [])):
        if ((cell.get("metadata") or {}).get(LAYER_KEY) or {}).get("layer"):
            continue
        kind = slide_type(cell)
        if i == 0 and kind in (None, "subslide"):
            kind = "slide"
        if kind not in SHOWN_TYPES:
            continue
        if kind in ("slide", "subslide") or not out:
            out.append(Screen(i, kind or "slide"))
        out[-1].cells.append(i)
    return out


def cells_on_slides(nb: dict) -> set[int]:
    return {i for s in screens(nb) for i in s.cells}


def shown_exercises(nb: dict) -> dict[str, int]:
    """Exercise id -> index of the cell that shows it (`ex.show("id")`), for every such cell."""
    out = {}
    for i, cell in enumerate(nb.get("cells", [])):
        if cell.get("cell_type") != "code":
            continue
        try:
            tree = ast.parse(_source(cell))
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "show"
                    and isinstance(node.func.value, ast.Name) and node.func.value.id == "ex" and node.args
                    and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                out[node.args[0].value] = i
    return out


# ---------------------------------------------------------------------------------- adapting

def _set_rule(meta: dict, selector: str, on: bool) -> None:
    fonts = meta.get(FONTS_KEY)
    if on:
        fonts = meta.setdefault(FONTS_KEY, {})
        fonts.setdefault("styles", {}).setdefault(ROOT_SELECTOR, {})[selector] = dict(HIDDEN)
        return
    rules = _root_rules(meta)
    if selector not in rules:
        return
    del rules[selector]
    if not rules:
        del fonts["styles"][ROOT_SELECTOR]
        if not fonts["styles"]:
            del fonts["styles"]
        if not fonts:
            del meta[FONTS_KEY]


def adapt_cell(cell: dict) -> None:
    meta = cell.setdefault("metadata", {})
    show = meta.get("slideshow")
    if isinstance(show, dict) and show.get("slide_type") in ("-", ""):
        del show["slide_type"]
        if not show:
            del meta["slideshow"]
    _set_rule(meta, HIDE_INPUT, code_hidden_on_slides(cell))


def adapt_notebook(nb: dict) -> dict:
    """Return a copy of `nb` (notebook JSON) with the slide metadata the live slideshow needs."""
    nb = copy.deepcopy(nb)
    for cell in nb.get("cells", []):
        adapt_cell(cell)
    _set_rule(nb.setdefault("metadata", {}), HIDE_PROMPT_OVERLAY, True)
    return nb


def dumps(nb: dict) -> str:
    return json.dumps(nb, indent=1, ensure_ascii=False) + "\n"


def adapt_file(path: Path, write: bool = True) -> bool:
    """Adapt one notebook file; return True if it needed (and, with `write`, got) a change."""
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    new = dumps(adapt_notebook(json.loads(text)))
    if new == text:
        return False
    if write:
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_text(new, encoding="utf-8")
        tmp.replace(path)
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m helpers slideshow",
        description="Give the notebooks the slide metadata the live slideshow (jupyterlab-slideshow) reads; "
                    "re-run it after editing a notebook.")
    parser.add_argument("notebooks", nargs="*", help="notebooks to adapt (default: all of notebooks/)")
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if a notebook needs adapting")
    args = parser.parse_args(argv)
    paths = [Path(p) for p in args.notebooks] or sorted((ROOT / "notebooks").glob("*.ipynb"))
    changed = [p for p in paths if adapt_file(p, write=not args.check)]
    for p in changed:
        print(f"{'needs adapting' if args.check else 'adapted'}: {p}")
    if args.check and changed:
        print("run: python -m helpers slideshow", file=sys.stderr)
        return 1
    if not changed:
        print(f"{len(paths)} notebook(s) already adapted")
    return 0


if __name__ == "__main__":
    sys.exit(main())
