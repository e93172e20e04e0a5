"""Running the course notebooks and turning them into HTML, shared by the slides and the reader
edition: which notebooks there are, executing each once in a fresh `python3` kernel (cached by
the content of the notebook and of what it reads), replacing widget outputs with a visible note,
and the nbconvert exporters with the course's templates.
"""
from __future__ import annotations

import hashlib
import html
import os
import re
import sys
import tempfile
from pathlib import Path

from helpers import ROOT

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
NBCONVERT_TEMPLATES = TEMPLATES / "nbconvert"
SITE_TEMPLATES = TEMPLATES / "site"

COURSE_TITLE = "Vietnam's foreign relations"
COURSE_SUBTITLE = "An interactive course: soft power, the new diplomacy, international integration and deepening relations"

REVEAL_DIR = "reveal.js"
"""The folder beside the decks that holds the copy of reveal.js (see `slides`)."""

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE_MIME = "application/vnd.jupyter.widget-state+json"
ANSWER_MIME = "application/vnd.vnfr.answer+json"
WIDGET_NOTE = "Interactive exercise: open this notebook in JupyterLab to answer it."
PLACEHOLDER_RE = re.compile(r"^No answer recorded yet for [^\s]+\.?\s*$")
KERNEL_TIMEOUT = 600


class PublishError(RuntimeError):
    """A build step failed; the message says which notebook or file and why."""


def default_build() -> Path:
    return ROOT / "_build"


def course_notebooks(names: list[str] | None = None, folder: Path | None = None) -> list[Path]:
    """The notebooks to build, in course order: all of `notebooks/`, or those named (a stem such as
    `00-start-here`, a file name, or a path)."""
    folder = Path(folder or ROOT / "notebooks")
    if not names:
        found = sorted(p for p in folder.glob("*.ipynb") if not p.name.startswith("."))
        if not found:
            raise PublishError(f"no notebooks in {folder}")
        return found
    out = []
    for name in names:
        p = Path(name)
        candidates = [p, folder / p.name, folder / f"{p.name}.ipynb"]
        hit = next((c for c in candidates if c.suffix == ".ipynb" and c.is_file()), None)
        if hit is None:
            raise PublishError(f"no notebook {name!r} (looked in {folder})")
        out.append(hit.resolve())
    return out


# --------------------------------------------------------------------------------- execution

def _tree_digest(h, folder: Path) -> None:
    if not folder.is_dir():
        return
    for p in sorted(folder.rglob("*")):
        if p.is_file() and "__pycache__" not in p.parts and ".answers" not in p.parts and p.suffix != ".pyc":
            h.update(str(p.relative_to(folder)).encode())
            h.update(p.read_bytes())


def _cache_key(path: Path) -> str:
    h = hashlib.sha256()
    h.update(path.read_bytes())
    h.update(sys.version.encode())
    for sub in ("helpers", "course", "seeds"):
        _tree_digest(h, ROOT / sub)
    return h.hexdigest()[:20]


def execute_notebook(path: Path, cache: Path | None = None, timeout: int = KERNEL_TIMEOUT):
    """Run `path` top to bottom in a fresh python3 kernel whose working directory is the notebook's
    folder; return the executed notebook (nbformat node).

    With `cache` (a folder), the result is kept under a key made of the notebook and everything
    it reads (helpers/, course/, seeds/), so `make slides site` runs each notebook once.
    """
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    path = Path(path)
    cached = None
    if cache is not None:
        cached = Path(cache) / "executed" / f"{path.stem}-{_cache_key(path)}.ipynb"
        if cached.is_file():
            return nbformat.read(cached, as_version=4)
    nb = nbformat.read(path, as_version=4)
    with tempfile.TemporaryDirectory(prefix="vnfr-answers-") as answers:
        env = dict(os.environ, VNFR_ANSWERS_DIR=answers, PYTHONUNBUFFERED="1")
        client = NotebookClient(nb, timeout=timeout, kernel_name="python3", store_widget_state=True,
                                resources={"metadata": {"path": str(path.parent)}})
        try:
            client.execute(env=env)
        except CellExecutionError as exc:
            raise PublishError(f"{path.name}: a cell failed while running it:\n{exc}") from None
    from helpers.core.charts import add_static_svg

    add_static_svg(nb)  # static charts for the HTML, drawn here, not in the kernel
    if cached is not None:
        cached.parent.mkdir(parents=True, exist_ok=True)
        for old in cached.parent.glob(f"{path.stem}-*.ipynb"):
            old.unlink()
        tmp = cached.with_suffix(".tmp")
        nbformat.write(nb, tmp)
        os.replace(tmp, cached)
    return nb


# ------------------------------------------------------------------------ widget outputs → note

def _model(state: dict, ref) -> dict | None:
    if isinstance(ref, str) and ref.startswith("IPY_MODEL_"):
        ref = ref[len("IPY_MODEL_"):]
    return state.get(ref) if isinstance(ref, str) else None


def widget_text(state: dict, model_id: str, limit: int = 200) -> str:
    """What a reader can see of a widget without a kernel: its texts and choices, as safe HTML.

    `state` is the notebook's saved widget state (`metadata.widgets[...]["state"]`).
    """
    import bleach

    texts: list[str] = []
    choices: list[str] = []
    seen_choices: set[tuple] = set()
    todo = [model_id]
    visited: set[str] = set()
    while todo and len(texts) + len(choices) < limit:
        ref = todo.pop(0)
        model = _model(state, ref)
        key = ref[len("IPY_MODEL_"):] if isinstance(ref, str) and ref.startswith("IPY_MODEL_") else ref
        if model is None or key in visited:
            continue
        visited.add(key)
        name = model.get("model_name", "")
        s = model.get("state", {})
        children = s.get("children") or []
        if children:  # depth first, in order
            todo[0:0] = list(children)
            continue
        if name in ("HTMLModel", "HTMLMathModel") and s.get("value"):
            value = re.sub(r"<(script|style)\b.*?</\1\s*>", "", str(s["value"]), flags=re.S | re.I)
            clean = bleach.clean(value, tags={"p", "b", "strong", "i", "em", "small", "span", "br", "blockquote",
                                              "ul", "ol", "li", "code", "sup", "sub"},
                                 attributes={}, strip=True).strip()
            if clean:
                texts.append(f'<div class="vnfr-widget-text">{clean}</div>')
        elif name == "LabelModel" and s.get("value"):
            texts.append(f'<div class="vnfr-widget-text">{html.escape(str(s["value"]))}</div>')
        elif name == "CheckboxModel" and s.get("description"):
            texts.append(f'<div class="vnfr-widget-text">☐ {html.escape(str(s["description"]))}</div>')
        elif name in ("RadioButtonsModel", "SelectModel", "SelectMultipleModel", "ToggleButtonsModel",
                      "DropdownModel"):
            labels = tuple(str(x) for x in s.get("_options_labels") or () if not str(x).startswith("—"))
            if labels and labels not in seen_choices:
                seen_choices.add(labels)
                items = "".join(f"<li>{html.escape(x)}</li>" for x in labels)
                choices.append(f'<div class="vnfr-widget-text">Choices:</div><ul>{items}</ul>')
        elif name in ("TextareaModel", "TextModel") and s.get("placeholder"):
            texts.append(f'<div class="vnfr-widget-text"><i>[{html.escape(str(s["placeholder"]))}]</i></div>')
    return "".join(texts + choices)


def widget_note_bundle(text_html: str = "") -> dict:
    body = f'<div class="vnfr-widget-note" role="note"><strong>{html.escape(WIDGET_NOTE)}</strong>{text_html}</div>'
    return {"text/html": body, "text/plain": WIDGET_NOTE}


def offline_outputs(nb):
    """Make an executed notebook fit for static HTML (changes `nb` in place and returns it).

    * a widget output becomes a visible note saying the exercise needs JupyterLab, followed by the
      texts and choices the widget shows;
    * answer-record outputs (and the "no answer recorded yet" placeholder) are dropped: a static
      page has no answers;
    * the saved widget state is removed, so no template adds widget scripts from a CDN.
    """
    from nbformat import v4

    widgets = nb.metadata.get("widgets") or {}
    state = (widgets.get(WIDGET_STATE_MIME) or {}).get("state") or {}
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        outputs = []
        for out in cell.get("outputs", []):
            data = out.get("data") or {}
            if WIDGET_MIME in data:
                model_id = (data[WIDGET_MIME] or {}).get("model_id", "")
                outputs.append(v4.new_output("display_data", data=widget_note_bundle(widget_text(state, model_id))))
                continue
            if ANSWER_MIME in data:
                continue
            if set(data) == {"text/plain"} and PLACEHOLDER_RE.match("".join(data["text/plain"])):
                continue
            outputs.append(out)
        cell.outputs = outputs
    nb.metadata.pop("widgets", None)
    return nb


# ---------------------------------------------------------------------------------- exporters

_SVG_COUNTER = iter(range(1, 1 << 62))
_SVG_DROP_RE = re.compile(r"<(script|foreignObject)\b.*?</\1\s*>", re.S | re.I)
_SVG_ON_RE = re.compile(r"""\s+on[a-z]+\s*=\s*(?:"[^"]*"|'[^']*')""", re.I)
_SVG_ID_RE = re.compile(r'\bid="([^"]+)"')


def inline_svg(svg, description: str = "") -> str:
    """A chart's SVG, ready to put inline in a page: scripts and event handlers removed, ids made
    unique on the page (several charts may use the same clip-path id), labelled for screen readers."""
    svg = "".join(svg) if isinstance(svg, list) else str(svg)
    svg = re.sub(r"^\s*<\?xml[^>]*>\s*", "", svg)
    svg = re.sub(r"<!DOCTYPE[^>]*>\s*", "", svg, flags=re.I)
    svg = _SVG_DROP_RE.sub("", svg)
    svg = _SVG_ON_RE.sub("", svg)
    prefix = f"vnfr{next(_SVG_COUNTER)}-"
    ids = set(_SVG_ID_RE.findall(svg))
    for old in sorted(ids, key=len, reverse=True):
        new = prefix + old
        svg = svg.replace(f'id="{old}"', f'id="{new}"').replace(f"url(#{old})", f"url(#{new})") \
                 .replace(f'href="#{old}"', f'href="#{new}"')
    description = "".join(description) if isinstance(description, list) else str(description or "")
    label = html.escape(description.strip() or "Chart", quote=True)
    svg = re.sub(r"<svg\b", f'<svg role="img" aria-label="{label}"', svg, count=1)
    return svg


def _tag_remover():
    from nbconvert.preprocessors import TagRemovePreprocessor

    return TagRemovePreprocessor(remove_cell_tags={"remove-cell"}, remove_input_tags={"remove-input", "hide-input"},
                                 remove_all_outputs_tags={"remove-output", "hide-output"}, enabled=True)


def _exporter(kind: str):
    from nbconvert import HTMLExporter, SlidesExporter

    common = dict(extra_template_basedirs=[str(NBCONVERT_TEMPLATES)], extra_template_paths=[str(NBCONVERT_TEMPLATES)],
                  mathjax_url="", require_js_url="", exclude_anchor_links=True)
    if kind == "slides":
        exp = SlidesExporter(template_name="vnfr_slides", reveal_url_prefix=REVEAL_DIR, reveal_theme="white",
                             reveal_transition="none", reveal_number="c/t", jquery_url="", **common)
    else:
        exp = HTMLExporter(template_name="vnfr_page", theme="light", **common)
    exp.register_preprocessor(_tag_remover())
    exp.register_filter("vnfr_inline_svg", inline_svg)
    return exp


def notebook_title(nb, fallback: str) -> str:
    """The first `# ` heading of the notebook's first Markdown cells, else `fallback`."""
    for cell in nb.cells[:5]:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return re.sub(r"[*_`]", "", line[2:]).strip()
    return fallback
