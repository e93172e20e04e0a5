"""Command line: `python -m helpers COMMAND ...`.

  grade SUBMISSIONS --out DIR   grade a folder of handed-in notebooks (never runs them)
  release --out DIR             build the student edition (no answer key)
  bench                         print speed and memory figures
"""
from __future__ import annotations

import importlib
import sys

COMMANDS = {
    "grade": "helpers.grading.cli",
    "release": "helpers.release",
    "bench": "helpers.bench",
}


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in {"-h", "--help"} or argv[0] not in COMMANDS:
        print(__doc__.strip())
        return 0 if argv and argv[0] in {"-h", "--help"} else 2
    module = importlib.import_module(COMMANDS[argv[0]])
    return int(module.main(argv[1:]) or 0)


if __name__ == "__main__":
    sys.exit(main())
