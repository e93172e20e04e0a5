"""The class-hub tests import the browser tests' helpers by module name."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
for folder in (HERE.parent / "browser",):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))


def pytest_collection_modifyitems(items):
    for item in items:
        if Path(str(item.fspath)).name == "test_hub_scale.py":
            item.add_marker(pytest.mark.hub)
