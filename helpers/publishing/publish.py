"""Lecture slides and the reader edition: static HTML that opens from disk with no network.

This module is the command line and the one name the rest of the course uses; the work is done by
`nbexec` (executing the notebooks, widget notes, the nbconvert exporters), `slides` (reveal.js
decks), `reader` (the reader edition) and `offline` (the check that nothing is fetched off the
machine), each offered here under its own name as well (`publish.build_site`).

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
import sys
import time
from pathlib import Path

from .nbexec import PublishError, default_build
from .reader import build_site
from .slides import build_slides


# The parts, offered under this module's name too (`publish.build_site`, `publish.WIDGET_NOTE`):
from .nbexec import (  # noqa: F401
    TEMPLATES, NBCONVERT_TEMPLATES, SITE_TEMPLATES, COURSE_TITLE, COURSE_SUBTITLE, REVEAL_DIR,
    WIDGET_MIME, WIDGET_STATE_MIME, ANSWER_MIME, WIDGET_NOTE, PLACEHOLDER_RE, KERNEL_TIMEOUT,
    course_notebooks, execute_notebook, widget_text, widget_note_bundle, offline_outputs,
    inline_svg, notebook_title
)
from .offline import (  # noqa: F401
    Reference, LOCAL_HOSTS, is_offsite, offsite_references, check_offline
)
from .slides import (  # noqa: F401
    REVEAL_VERSION, REVEAL_INTEGRITY, REVEAL_FILES, fetch_reveal, install_reveal, export_slides
)
from .reader import (  # noqa: F401
    CITE_LINK_RE, link_citations, site_environment, markdown_renderer, FOOTNOTE_REF_RE,
    render_paragraph, reading_context, glossary_rows
)


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
