"""Helpers for the course "Vietnam's foreign relations".

Notebooks stay thin: every cell calls a function from this package, where unit tests reach it.

Importing the package is cheap; heavy libraries (pandas, altair, ipywidgets) are imported by the
modules that need them. The modules are grouped by role (see the README, "Layout"); the notebooks'
short names (`from helpers import readings, data, charts, exercises, outline`, `from helpers import
capstone`, ...) are resolved by `__getattr__` below, which imports the grouped module only when a
notebook first asks for it. Package code and tests import the real paths (`helpers.core.data`).
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

# `import altair` pulls in jsonschema, which, when the optional `rfc3987_syntax` package is
# installed (JupyterLab's jupyter-events brings it), compiles a grammar at import time: about
# 1.2 s of a 1.6 s import here (python-jsonschema issue 1428). The course never validates IRIs, so
# the kernel is told the optional package is absent; jsonschema then skips that one format check.
if "jsonschema" not in sys.modules:
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]

ROOT = Path(os.environ.get("VNFR_ROOT") or Path(__file__).resolve().parent.parent)
"""The course repository (or student edition) this package was loaded from; VNFR_ROOT overrides."""


def setup():
    """The notebooks' setup cell: course chart theme and offline renderer.

    Returns nothing; safe to call more than once.
    """
    from helpers.core import charts

    charts.enable()


SHORT_NAMES = {
    "readings": "helpers.core.readings",
    "data": "helpers.core.data",
    "charts": "helpers.core.charts",
    "outline": "helpers.core.outline",
    "soft_power": "helpers.lessons.soft_power",
    "new_diplomacy": "helpers.lessons.new_diplomacy",
    "integration": "helpers.lessons.integration",
    "deepening": "helpers.lessons.deepening",
    "capstone": "helpers.lessons.capstone",
}
"""The names the notebooks import from `helpers` directly, and the module each one stands for."""


def __getattr__(name: str):
    """`from helpers import data` in a notebook: import the grouped module on first use."""
    target = SHORT_NAMES.get(name)
    if target is None:
        raise AttributeError(f"module 'helpers' has no attribute {name!r}")
    import importlib

    module = importlib.import_module(target)
    globals()[name] = module
    return module


def __dir__():
    return sorted([*globals(), *SHORT_NAMES])


__all__ = ["ROOT", "setup", *SHORT_NAMES]
