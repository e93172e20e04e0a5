"""Lecture slides: one reveal.js deck per notebook (`python -m helpers slides`), with a pinned copy
of reveal.js fetched once from the npm registry (integrity checked) and copied beside the decks.
"""
from __future__ import annotations

import shutil
import time
from pathlib import Path

from ..core.npm import NpmPackageError, fetch_package
from .nbexec import (
    COURSE_TITLE, PublishError, REVEAL_DIR, _exporter, course_notebooks, default_build,
    execute_notebook, notebook_title, offline_outputs
)
from .offline import check_offline
from .reader import site_environment


REVEAL_VERSION = "4.6.1"
REVEAL_INTEGRITY = ("sha512-1CW0auaXNPmwmvQ7TwpszwVxMi2Xr5cTS3J3EBC/HHgbPF32Dn7aiu/LKWDOGjMbaDwKQiGmfqcoGQ74HUHCMw==")
# Only what the decks use: other reveal.js themes import Google Fonts, the math plugin loads MathJax
# from a CDN, so they are left out.
REVEAL_FILES = ("LICENSE", "dist/reveal.js", "dist/reveal.css", "dist/reset.css", "dist/theme/white.css",
                "dist/theme/fonts/source-sans-pro", "plugin/notes")

# ------------------------------------------------------------------------------------ reveal.js

def fetch_reveal(cache: Path | None = None) -> Path:
    """The pinned reveal.js, unpacked (its `package/` folder); fetched once with `npm pack` into
    `cache`/npm and checked against the pinned integrity hash."""
    cache = Path(cache or default_build() / "cache")
    try:
        return fetch_package("reveal.js", REVEAL_VERSION, REVEAL_INTEGRITY, cache / "npm", why="the slides")
    except NpmPackageError as exc:
        raise PublishError(str(exc)) from None


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
