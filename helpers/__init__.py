"""Helpers for the course "Vietnam's foreign relations".

Notebooks stay thin: every cell calls a function from this package, where unit tests reach it.

Importing the package is cheap; heavy libraries (pandas, altair, ipywidgets) are imported by the
modules that need them.
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
    from . import charts

    charts.enable()


__all__ = ["ROOT", "setup"]
