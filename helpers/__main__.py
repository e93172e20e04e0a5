"""Command line: `python -m helpers COMMAND ...`.

  grade SUBMISSIONS --out DIR   grade a folder of handed-in notebooks (never runs them)
  release --out DIR             build the student edition (no answer key)
  export --format F --out DIR   the banks as LMS quizzes (qti, moodle-xml, gift)
  bench                         print speed and memory figures
  slides [--out DIR]            HTML slides of the notebooks, opening with no network
  site [--out DIR]              the reader edition: static HTML of notebooks, readings, glossary
  slideshow [--check]           give the notebooks the slide metadata the live slideshow reads
  hub publish|users|link        the class hub: publish the course, create the students' users
  collect --hub --out DIR       gather the students' notebooks from the hub, one folder each
"""
from __future__ import annotations

import importlib
import sys

COMMANDS = {
    "grade": "helpers.grading.cli",
    "release": "helpers.publishing.release",
    "export": "helpers.grading.export",
    "bench": "helpers.bench.run",
    "slides": "helpers.publishing.publish:slides_main",
    "site": "helpers.publishing.publish:site_main",
    "slideshow": "helpers.publishing.slideshow",
    "teaching": "helpers.publishing.teaching",
    "hub": "helpers.hub.admin",
    "collect": "helpers.hub.collect",
}


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in {"-h", "--help"} or argv[0] not in COMMANDS:
        print(__doc__.strip())
        return 0 if argv and argv[0] in {"-h", "--help"} else 2
    name, _, function = COMMANDS[argv[0]].partition(":")
    module = importlib.import_module(name)
    return int(getattr(module, function or "main")(argv[1:]) or 0)


if __name__ == "__main__":
    sys.exit(main())
