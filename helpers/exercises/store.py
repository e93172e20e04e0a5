"""The on-disk answer store: `.answers/<set>.json` beside the kernel's working directory.

File content: {"schema": 1, "course": ..., "set": ..., "answers": {exercise id: record}}.
Every write replaces the whole file atomically: the new content goes to a temporary file in the
same folder, is flushed and fsynced, then `os.replace`d over the old file. A crash mid-write leaves
the previous file intact (it loses at most the answer being written). An unreadable store file is
set aside as `<set>.json.unreadable-<time>` and an empty store is used, so a student never sees a
traceback because of it. `VNFR_ANSWERS_DIR` overrides the folder (tests use it).
"""
from __future__ import annotations

import json
import os
import time
import warnings
from pathlib import Path

from .record import COURSE, SCHEMA, validate_record
from ..core.files import write_atomic


def answers_dir(folder: Path | str | None = None) -> Path:
    if folder is not None:
        return Path(folder)
    env = os.environ.get("VNFR_ANSWERS_DIR")
    return Path(env) if env else Path.cwd() / ".answers"


def atomic_write_json(path: Path, obj) -> None:
    """The whole file replaced at once, on disk before the rename; a failed write keeps the old one."""
    def dump(fh):
        json.dump(obj, fh, ensure_ascii=False, indent=1, sort_keys=True)
        fh.write("\n")

    write_atomic(path, dump, newline=None, fsync=True)


class AnswerStore:
    """Latest answer record per exercise of one set."""

    def __init__(self, set_id: str, folder: Path | str | None = None):
        self.set = set_id
        self.path = answers_dir(folder) / f"{set_id}.json"

    def load(self) -> dict[str, dict]:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return {}
        except OSError as exc:
            warnings.warn(f"could not read saved answers {self.path}: {exc}")
            return {}
        try:
            data = json.loads(text)
            answers = data["answers"]
            if not isinstance(answers, dict):
                raise ValueError("answers is not an object")
        except (ValueError, KeyError, TypeError) as exc:
            aside = self.path.with_name(f"{self.path.name}.unreadable-{int(time.time())}")
            try:
                os.replace(self.path, aside)
            except OSError:
                pass
            warnings.warn(f"saved answers in {self.path} were unreadable ({exc}); kept as {aside.name}")
            return {}
        return {k: v for k, v in answers.items()
                if validate_record(v) is None and v["set"] == self.set and v["exercise"] == k}

    def get(self, exercise_id: str) -> dict | None:
        return self.load().get(exercise_id)

    def put(self, record: dict) -> None:
        problem = validate_record(record)
        if problem:
            raise ValueError(problem)
        answers = self.load()
        answers[record["exercise"]] = record
        atomic_write_json(self.path, {"schema": SCHEMA, "course": COURSE, "set": self.set, "answers": answers})
