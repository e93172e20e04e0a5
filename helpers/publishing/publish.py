"""Lecture slides and the reader edition: static HTML that opens from disk with no network.

    python -m helpers slides [--out _build/slides] [NOTEBOOK ...]
    python -m helpers site   [--out _build/site]   [NOTEBOOK ...]

Both run each notebook of `notebooks/` in a fresh `python3` kernel (nbclient, working directory
`notebooks/`, answers kept in a throwaway folder so a build never reads or writes anyone's
answers), then export it with nbconvert:

* `slides`: one reveal.js deck per notebook (`SlidesExporter`). reveal.js is a pinned copy fetched
  once from the npm registry (`npm pack`, integrity checked) into `_build/cache/` and copied beside
  the decks; the deck loads it with plain relative `<script>` tags (no require.js, jQuery or
  MathJax from a CDN).
* `site`: the reader edition: an index page, every notebook as a page (`HTMLExporter`, lab
  template), every reading with its header facts and paragraph anchors (`id="p12"`, so a citation
  `[quy2024 ¶12]` links to `readings/quy2024.html#p12`), and the glossary.

Charts show as the static SVG each chart output carries (see `helpers.core.charts`). A widget needs a
running kernel, so its output is replaced by a visible note (with the question's text and choices
read from the saved widget state) instead of failing silently. `offsite_references` lists anything
in a built file that would be fetched from off this machine; a build refuses to finish if there is
any.
"""
from __future__ import annotations

import argparse
import base64
import hashlib
import html
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

from helpers import ROOT

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
NBCONVERT_TEMPLATES = TEMPLATES / "nbconvert"
SITE_TEMPLATES = TEMPLATES / "site"

COURSE_TITLE = "Vietnam's foreign relations"
COURSE_SUBTITLE = "An interactive course: soft power, the new diplomacy, international integration and deepening relations"

REVEAL_VERSION = "4.6.1"
REVEAL_INTEGRITY = ("sha512-1CW0auaXNPmwmvQ7TwpszwVxMi2Xr5cTS3J3EBC/HHgbPF32Dn7aiu/LKWDOGjMbaDwKQiGmfqcoGQ74HUHCMw==")
REVEAL_DIR = "reveal.js"
# Only what the decks use: other reveal.js themes import Google Fonts, the math plugin loads MathJax
# from a CDN, so they are left out.
REVEAL_FILES = ("LICENSE", "dist/reveal.js", "dist/reveal.css", "dist/reset.css", "dist/theme/white.css",
                "dist/theme/fonts/source-sans-pro", "plugin/notes")

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


# ------------------------------------------------------------------------------ citation links

CITE_LINK_RE = re.compile(r"\[([a-z][a-z0-9-]*\d{4}) ¶(\d+)(?:[–-](\d+))?\]")
_SKIP_TAGS = {"a", "svg", "script", "style", "code", "pre", "textarea", "title", "head"}
_TAG_RE = re.compile(r"(<!--.*?-->|<[^>]*>)", re.S)


def link_citations(page: str, href_for) -> str:
    """Turn `[quy2024 ¶12]` in the text of an HTML page into a link to that paragraph.

    `href_for(reading_id, number)` returns the address, or None to leave the citation as text.
    Text inside links, SVG, scripts, styles and code is left alone.
    """
    out = []
    depth = 0
    for part in _TAG_RE.split(page):
        if part.startswith("<"):
            m = re.match(r"<(/?)([a-zA-Z][\w:-]*)", part)
            if m and m.group(2).lower() in _SKIP_TAGS and not part.endswith("/>"):
                depth += -1 if m.group(1) else 1
                depth = max(depth, 0)
            out.append(part)
        elif depth or "¶" not in part:
            out.append(part)
        else:
            def repl(m):
                href = href_for(m.group(1), int(m.group(2)))
                if not href:
                    return m.group(0)
                return f'<a class="vnfr-cite" href="{html.escape(href)}">{m.group(0)}</a>'
            out.append(CITE_LINK_RE.sub(repl, part))
    return "".join(out)


# ------------------------------------------------------------------------------ offline check

@dataclass
class Reference:
    file: Path
    line: int
    kind: str  # "load" (fetched when the page opens) or "link" (only if a reader clicks it)
    what: str
    url: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.what} {self.url}"


LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}
_URL_ATTRS = {"src", "href", "srcset", "data", "poster", "action", "formaction", "background", "xlink:href",
              "manifest"}
_LINK_TAGS = {"a", "area"}
_CSS_URL_RE = re.compile(r"""(?:url\(\s*['"]?|@import\s+['"])\s*((?:https?:)?//[^'")\s]+)""", re.I)
_JS_IMPORT_RE = re.compile(r"""(?:\bimport\b[^;'"]*?|\bimport\(\s*)['"]((?:https?:)?//[^'"]+)['"]""")


def is_offsite(url: str) -> bool:
    url = url.strip()
    if not (url.lower().startswith(("http://", "https://")) or url.startswith("//")):
        return False
    host = (urlsplit(url if "://" in url else "http:" + url).hostname or "").lower()
    return host not in LOCAL_HOSTS


class _RefScanner(HTMLParser):
    def __init__(self, path: Path):
        super().__init__(convert_charrefs=True)
        self.path = path
        self.refs: list[Reference] = []
        self._in: list[str] = []

    def _add(self, kind: str, what: str, url: str) -> None:
        if is_offsite(url):
            self.refs.append(Reference(self.path, self.getpos()[0], kind, what, url.strip()))

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value is None:
                continue
            name = name.lower()
            if name in _URL_ATTRS:
                urls = [u.strip().split()[0] for u in value.split(",") if u.strip()] if name == "srcset" else [value]
                kind = "link" if tag in _LINK_TAGS and name in ("href", "xlink:href") else "load"
                for u in urls:
                    self._add(kind, f"<{tag} {name}>", u)
            elif name == "style":
                for m in _CSS_URL_RE.finditer(value):
                    self._add("load", f"<{tag} style>", m.group(1))
            elif name == "content" and tag == "meta" and "url=" in value.lower():
                self._add("load", "<meta refresh>", value.lower().split("url=", 1)[1])
        if tag in ("style", "script"):
            self._in.append(tag)

    def handle_endtag(self, tag):
        if self._in and self._in[-1] == tag:
            self._in.pop()

    def handle_data(self, data):
        if not self._in:
            return
        pattern = _CSS_URL_RE if self._in[-1] == "style" else _JS_IMPORT_RE
        for m in pattern.finditer(data):
            self._add("load", f"<{self._in[-1]}>", m.group(1))


def offsite_references(root: Path) -> list[Reference]:
    """Every off-machine address in the HTML and CSS files under `root` (or in one file).

    `kind` "load" is something a browser fetches when the page opens (a script, style sheet, font,
    image, frame...): the offline editions must have none. "link" is a hyperlink a reader may click.
    """
    root = Path(root)
    files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.suffix in (".html", ".htm", ".css", ".svg"))
    refs: list[Reference] = []
    for f in files:
        text = f.read_text(encoding="utf-8", errors="replace")
        if f.suffix == ".css":
            for m in _CSS_URL_RE.finditer(text):
                if is_offsite(m.group(1)):
                    refs.append(Reference(f, text.count("\n", 0, m.start()) + 1, "load", "css url()", m.group(1)))
            continue
        scanner = _RefScanner(f)
        scanner.feed(text)
        scanner.close()
        refs.extend(scanner.refs)
    return refs


def check_offline(root: Path) -> None:
    loads = [r for r in offsite_references(root) if r.kind == "load"]
    if loads:
        listed = "\n  ".join(map(str, loads[:20]))
        raise PublishError(f"{root}: {len(loads)} reference(s) to off-machine resources:\n  {listed}")


# ------------------------------------------------------------------------------------ reveal.js

def _npm() -> str:
    npm = shutil.which("npm")
    if not npm:
        raise PublishError("the slides need reveal.js, fetched once with npm: install Node.js and npm "
                           "(https://nodejs.org/), or put reveal.js-" + REVEAL_VERSION + ".tgz in _build/cache/npm/")
    return npm


def fetch_reveal(cache: Path | None = None) -> Path:
    """The pinned reveal.js, unpacked (its `package/` folder); fetched once with `npm pack` into
    `cache`/npm and checked against the pinned integrity hash."""
    cache = Path(cache or default_build() / "cache")
    npm_dir = cache / "npm"
    unpacked = npm_dir / f"reveal.js-{REVEAL_VERSION}"
    if (unpacked / "package" / "dist" / "reveal.js").is_file():
        return unpacked / "package"
    npm_dir.mkdir(parents=True, exist_ok=True)
    tgz = npm_dir / f"reveal.js-{REVEAL_VERSION}.tgz"
    if not tgz.is_file():
        proc = subprocess.run([_npm(), "pack", f"reveal.js@{REVEAL_VERSION}", "--pack-destination", str(npm_dir),
                               "--silent"], capture_output=True, text=True, cwd=npm_dir)
        if proc.returncode != 0 or not tgz.is_file():
            raise PublishError(f"`npm pack reveal.js@{REVEAL_VERSION}` failed:\n{proc.stderr.strip()[-2000:]}")
    algo, _, expected = REVEAL_INTEGRITY.partition("-")
    digest = base64.b64encode(hashlib.new(algo, tgz.read_bytes()).digest()).decode()
    if digest != expected:
        tgz.unlink()
        raise PublishError(f"{tgz.name} does not match the pinned integrity hash; deleted it, try again")
    tmp = Path(tempfile.mkdtemp(prefix="reveal-", dir=npm_dir))
    with tarfile.open(tgz) as tar:
        tar.extractall(tmp, filter="data")
    if unpacked.exists():
        shutil.rmtree(unpacked)
    tmp.rename(unpacked)
    return unpacked / "package"


def install_reveal(dest: Path, cache: Path | None = None) -> Path:
    """Copy the parts of reveal.js the decks use into `dest`/reveal.js; return that folder."""
    package = fetch_reveal(cache)
    target = Path(dest) / REVEAL_DIR
    if target.exists():
        shutil.rmtree(target)
    for rel in REVEAL_FILES:
        src = package / rel
        if src.is_dir():
            shutil.copytree(src, target / rel)
        else:
            (target / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, target / rel)
    return target


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


def export_slides(nb, name: str) -> str:
    from .slideshow import input_hidden_on_slides

    exp = _exporter("slides")
    nb = offline_outputs(nb)
    for cell in nb.cells:  # the code the live slideshow hides (helpers.publishing.slideshow) is left out here too
        if input_hidden_on_slides(cell):
            cell.metadata["transient"] = {"remove_source": True}
    nb.metadata["title"] = f"{notebook_title(nb, name)}"
    body, _ = exp.from_notebook_node(nb, resources={"metadata": {"name": name}})
    return body


def build_slides(notebooks: list[str] | None = None, out: Path | str | None = None,
                 cache: Path | None | bool = True, log=print) -> list[Path]:
    """Execute the notebooks and write `<out>/<name>.slides.html` beside a local reveal.js;
    return the decks written. `cache=False` runs every notebook afresh."""
    out = Path(out or default_build() / "slides")
    cache_dir = default_build() / "cache" if cache is True else (Path(cache) if cache else None)
    paths = course_notebooks(notebooks)
    out.mkdir(parents=True, exist_ok=True)
    install_reveal(out, default_build() / "cache")
    written = []
    for path in paths:
        t0 = time.monotonic()
        nb = execute_notebook(path, cache_dir)
        deck = out / f"{path.stem}.slides.html"
        deck.write_text(export_slides(nb, path.stem), encoding="utf-8")
        written.append(deck)
        log(f"slides: {deck} ({time.monotonic() - t0:.1f} s)")
    _write_slides_index(out, written)
    check_offline(out)
    return written


def _write_slides_index(out: Path, decks: list[Path]) -> None:
    env = site_environment()
    existing = sorted(out.glob("*.slides.html"))
    items = [{"href": d.name, "title": d.name[: -len(".slides.html")]} for d in existing]
    (out / "index.html").write_text(env.get_template("slides_index.html.j2").render(
        course_title=COURSE_TITLE, decks=items), encoding="utf-8")


# ---------------------------------------------------------------------------------------- site

def site_environment():
    import jinja2

    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(SITE_TEMPLATES)),
                              autoescape=jinja2.select_autoescape(["html", "j2"], default=True),
                              trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined)


def markdown_renderer():
    """Mistune (the Markdown library nbconvert uses), with raw HTML escaped."""
    import mistune

    return mistune.create_markdown(escape=True, plugins=["table", "strikethrough"])


FOOTNOTE_REF_RE = re.compile(r"\[\^([^\]\s]+)\]")


def render_paragraph(text: str, md=None) -> str:
    """One reading paragraph as HTML (Markdown, raw HTML escaped, `[^3]` as a superscript)."""
    md = md or markdown_renderer()
    out = md(text)
    return FOOTNOTE_REF_RE.sub(lambda m: f'<sup class="fnref">{html.escape(m.group(1))}</sup>', out)


def reading_context(r) -> dict:
    """The facts shown above a reading: who speaks, to whom, when (and whether the date is inferred)."""
    m = r.meta
    md = markdown_renderer()
    from markupsafe import Markup

    sections = []
    current = None
    for p in r.paragraphs:
        if current is None or p.section != current["title"]:
            current = {"title": p.section, "paragraphs": []}
            sections.append(current)
        current["paragraphs"].append({
            "number": p.number,
            "html": Markup(render_paragraph(p.text, md)),
            "footnotes": [Markup(render_paragraph(f, md)) for f in p.footnotes],
        })
    return {
        "id": r.id,
        "title": m["title"],
        "authors": [{"name": a["name"], "affiliation": a.get("affiliation", "")} for a in m["authors"]],
        "outlet": m["outlet"],
        "date": m["date"].isoformat(),
        "date_inferred": bool(m.get("date_inferred")),
        "date_evidence": m.get("date_evidence") or "",
        "date_note": m.get("date_note") or "",
        "language": m.get("language", ""),
        "original_language": m.get("original_language") or "",
        "speaker": m["speaker"],
        "url": m.get("url", ""),
        "note": m.get("note") or "",
        "paragraph_count": len(r.paragraphs),
        "sections": sections,
    }


def glossary_rows(readings: dict) -> list[dict]:
    from helpers.core import data

    rows = []
    frame = data.glossary().fillna("")
    for rec in frame.to_dict("records"):
        cites = []
        for m in CITE_LINK_RE.finditer(_bracket_cites(str(rec.get("cite", "")))):
            rid, n = m.group(1), int(m.group(2))
            ok = rid in readings and 1 <= n <= len(readings[rid].paragraphs)
            cites.append({"text": m.group(0), "href": f"readings/{rid}.html#p{n}" if ok else ""})
        rows.append({"english": rec["english"], "vietnamese": rec["vietnamese"], "definition": rec.get("definition", ""),
                     "note": rec.get("note", ""), "cite_text": rec.get("cite", ""), "cites": cites,
                     "source": rec.get("source", ""), "anchor": "t-" + re.sub(r"[^a-z0-9]+", "-", rec["english"].lower()).strip("-")})
    return rows


def _bracket_cites(text: str) -> str:
    """'quy2024 ¶12; hien2018 ¶3' and '[quy2024 ¶12]' both become bracketed citations."""
    text = text.strip()
    if not text or "[" in text:
        return text
    return " ".join(f"[{t.strip()}]" for t in re.split(r"[;,]\s*(?=[a-z])", text) if t.strip())


def build_site(notebooks: list[str] | None = None, out: Path | str | None = None,
               cache: Path | None | bool = True, log=print) -> list[Path]:
    """The reader edition in `out`: index.html, notebooks/*.html, readings/*.html, glossary.html.
    Returns the pages written."""
    from helpers.core.readings import load_readings

    out = Path(out or default_build() / "site")
    cache_dir = default_build() / "cache" if cache is True else (Path(cache) if cache else None)
    paths = course_notebooks(notebooks)
    env = site_environment()
    readings = load_readings()
    for sub in ("notebooks", "readings"):
        (out / sub).mkdir(parents=True, exist_ok=True)
    shutil.copy2(SITE_TEMPLATES / "site.css", out / "site.css")
    written: list[Path] = []

    def href_for(prefix):
        def f(rid, n):
            r = readings.get(rid)
            return f"{prefix}readings/{rid}.html#p{n}" if r and 1 <= n <= len(r.paragraphs) else None
        return f

    # notebooks: execute all first (titles are needed for the prev/next links)
    executed = []
    for path in paths:
        t0 = time.monotonic()
        nb = execute_notebook(path, cache_dir)
        executed.append((path, nb, notebook_title(nb, path.stem), time.monotonic() - t0))
    entries = [{"href": f"notebooks/{p.stem}.html", "title": title, "name": p.stem} for p, _, title, _ in executed]
    exp = _exporter("page")
    for i, (path, nb, title, secs) in enumerate(executed):
        t0 = time.monotonic()
        nb = offline_outputs(nb)
        nb.metadata["title"] = f"{title} · {COURSE_TITLE}"
        nav = {"up": "../", "course_title": COURSE_TITLE,
               "prev": {"href": f"{executed[i - 1][0].stem}.html", "title": executed[i - 1][2]} if i else None,
               "next": {"href": f"{executed[i + 1][0].stem}.html", "title": executed[i + 1][2]} if i + 1 < len(executed) else None}
        body, _ = exp.from_notebook_node(nb, resources={"metadata": {"name": path.stem}, "vnfr": nav})
        page = out / "notebooks" / f"{path.stem}.html"
        page.write_text(link_citations(body, href_for("../")), encoding="utf-8")
        written.append(page)
        log(f"site: {page} ({secs + time.monotonic() - t0:.1f} s)")

    reading_entries = []
    for r in readings.values():
        ctx = reading_context(r)
        page = out / "readings" / f"{r.id}.html"
        page.write_text(env.get_template("reading.html.j2").render(
            course_title=COURSE_TITLE, up="../", r=ctx), encoding="utf-8")
        written.append(page)
        reading_entries.append({"href": f"readings/{r.id}.html", **{k: ctx[k] for k in (
            "id", "title", "authors", "outlet", "date", "date_inferred", "speaker", "paragraph_count")}})

    glossary = glossary_rows(readings)
    page = out / "glossary.html"
    page.write_text(env.get_template("glossary.html.j2").render(
        course_title=COURSE_TITLE, up="", terms=glossary), encoding="utf-8")
    written.append(page)

    page = out / "index.html"
    all_notebooks = [{"href": f"notebooks/{p.stem}.html", "title": p.stem, "name": p.stem}
                     for p in sorted((out / "notebooks").glob("*.html"))]
    titles = {e["name"]: e["title"] for e in entries}
    for e in all_notebooks:
        e["title"] = titles.get(e["name"], _title_from_page(out / e["href"]) or e["name"])
    page.write_text(env.get_template("index.html.j2").render(
        course_title=COURSE_TITLE, subtitle=COURSE_SUBTITLE, up="", notebooks=all_notebooks,
        readings=reading_entries, glossary_count=len(glossary)), encoding="utf-8")
    written.append(page)
    log(f"site: {page}")
    check_offline(out)
    return written


def _title_from_page(page: Path) -> str | None:
    m = re.search(r"<title>(.*?)(?: · [^<]*)?</title>", page.read_text(encoding="utf-8", errors="replace")[:4000], re.S)
    return html.unescape(m.group(1)).strip() if m else None


# ----------------------------------------------------------------------------------------- CLI

def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in ("slides", "site"):
        command, argv = argv[0], argv[1:]
    else:
        command = "site"
    parser = argparse.ArgumentParser(
        prog=f"python -m helpers {command}",
        description=("Execute the notebooks and export HTML slides (reveal.js, local copy) that open "
                     "with no network." if command == "slides" else
                     "Build the reader edition: static HTML of the notebooks, readings and glossary "
                     "that opens from disk with no network."))
    parser.add_argument("notebooks", nargs="*", help="notebooks to build (default: all of notebooks/)")
    parser.add_argument("--out", default=str(default_build() / command), help="output folder (default: %(default)s)")
    parser.add_argument("--no-cache", action="store_true", help="run every notebook afresh")
    args = parser.parse_args(argv)
    build = build_slides if command == "slides" else build_site
    t0 = time.monotonic()
    try:
        written = build(args.notebooks or None, Path(args.out), cache=not args.no_cache)
    except PublishError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    index = Path(args.out).resolve() / "index.html"
    print(f"{len(written)} file(s) in {time.monotonic() - t0:.0f} s; open {index.as_uri()}")
    return 0


def slides_main(argv: list[str] | None = None) -> int:
    return main(["slides", *(argv or [])])


def site_main(argv: list[str] | None = None) -> int:
    return main(["site", *(argv or [])])


if __name__ == "__main__":
    sys.exit(main())
