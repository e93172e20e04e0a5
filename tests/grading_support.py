"""What the grading-corpus tests share: loading a corpus generator from `grading_corpus/`, and
reading an output CSV back."""
from __future__ import annotations

import csv
import importlib.util
from pathlib import Path

HERE = Path(__file__).resolve().parent


def corpus_generator(name: str):
    """`grading_corpus/<name>.py` as a module (the folder is data, not a package)."""
    spec = importlib.util.spec_from_file_location(name, HERE / "grading_corpus" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


H = corpus_generator("make_hostile")


def read_csv(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))
