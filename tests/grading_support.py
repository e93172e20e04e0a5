"""What the hostile-input grading tests share: the generator of hostile submissions, and reading
an output CSV back."""
from __future__ import annotations

import csv
import importlib.util
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _hostile():
    spec = importlib.util.spec_from_file_location("make_hostile", HERE / "grading_corpus" / "make_hostile.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


H = _hostile()


def read_csv(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))
