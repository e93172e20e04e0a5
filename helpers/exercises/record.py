"""The answer record: what the widget writes into the notebook and what the grader reads back.

Each exercise cell carries one display output (updated in place) whose bundle is

    {"application/vnd.vnfr.answer+json": RECORD, "text/plain": "Answer recorded: …"}

with RECORD = {"schema": 1, "course": "vietnam-foreign-relations", "set": "01-soft-power",
"exercise": "sp-nye-three-resources", "type": "single", "answer": <JSON>, "saved": "<ISO UTC>"}.

`extract_records(notebook)` reads a notebook (a path or its parsed JSON; never executed) and
returns every valid record, in document order; `latest_answers` keeps the last record per
(set, exercise). The format is documented in `course/exercises/README.md`.
"""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any, Iterator

MIME = "application/vnd.vnfr.answer+json"
COURSE = "vietnam-foreign-relations"
SCHEMA = 1
RECORD_FIELDS = ("schema", "course", "set", "exercise", "type", "answer", "saved")
MAX_RECORD_CHARS = 100_000


def now_iso() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def build_record(set_id: str, exercise_id: str, etype: str, answer: Any, saved: str | None = None) -> dict:
    return {"schema": SCHEMA, "course": COURSE, "set": set_id, "exercise": exercise_id, "type": etype,
            "answer": answer, "saved": saved or now_iso()}


def summary(answer: Any, limit: int = 120) -> str:
    if isinstance(answer, str):
        s = answer.replace("\n", " ")
    else:
        s = json.dumps(answer, ensure_ascii=False)
    return s if len(s) <= limit else s[: limit - 1] + "…"


def bundle(record: dict) -> dict:
    """The display bundle for a record: the JSON record beside readable text."""
    text = (f"Answer recorded: {record['exercise']} = {summary(record['answer'])} "
            f"(saved {record['saved']})")
    return {MIME: record, "text/plain": text}


def placeholder_bundle(set_id: str, exercise_id: str) -> dict:
    """Shown before any answer: plain text only, so a grader finds no record."""
    return {"text/plain": f"No answer recorded yet for {exercise_id}."}


def validate_record(obj: Any) -> str | None:
    """None if `obj` is a well-formed record of this course, else what is wrong."""
    if type(obj) is not dict:
        return "a record is a JSON object"
    missing = [f for f in RECORD_FIELDS if f not in obj]
    if missing:
        return f"record lacks {', '.join(missing)}"
    if obj["schema"] != SCHEMA or type(obj["schema"]) is not int:
        return f"unknown record schema {obj['schema']!r}"
    if obj["course"] != COURSE:
        return f"record is for another course ({obj['course']!r})"
    for f in ("set", "exercise", "type", "saved"):
        if type(obj[f]) is not str or not 0 < len(obj[f]) <= 200:
            return f"record field {f!r} must be a short string"
    try:
        if len(json.dumps(obj["answer"])) > MAX_RECORD_CHARS:
            return "record answer is too large"
    except (TypeError, ValueError, RecursionError):
        return "record answer is not JSON"
    return None


def _load_notebook(notebook) -> dict:
    if type(notebook) is dict:
        return notebook
    if isinstance(notebook, dict):  # an nbformat NotebookNode: plain JSON values only, please
        return json.loads(json.dumps(notebook))
    return json.loads(Path(notebook).read_text(encoding="utf-8"))


def decode_record(value: Any) -> dict | None:
    """A record as stored in an output: a JSON object, a JSON string, or a list of lines
    (writers differ). None when it is none of these, or absurdly long."""
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        value = "".join(value)
    if isinstance(value, str):
        if len(value) > MAX_RECORD_CHARS * 2:
            return None
        try:
            value = json.loads(value)
        except (ValueError, RecursionError):
            return None
    return value if isinstance(value, dict) else None


RECORD_OUTPUTS = ("display_data", "execute_result")
"""The output types a widget's record can be in (it is displayed, then updated in place). A record
in any other output (``stream``, ``error``) was not written by a widget and is never read."""


def walk_outputs(nb: dict) -> Iterator[tuple[int, str, dict | None]]:
    """(cell index, output type, decoded record or None) for every code-cell output carrying the
    record MIME type, whatever its output type, in document order; nothing is validated yet. The
    one walk over a notebook's outputs, shared by the widgets (restoring answers) and the grader."""
    cells = nb.get("cells") if isinstance(nb, dict) else None
    if not isinstance(cells, list):
        return
    for index, cell in enumerate(cells):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        outputs = cell.get("outputs")
        if not isinstance(outputs, list):
            continue
        for out in outputs:
            data = out.get("data") if isinstance(out, dict) else None
            if isinstance(data, dict) and MIME in data:
                kind = out.get("output_type")
                yield index, kind if isinstance(kind, str) else "", decode_record(data[MIME])


def raw_records(nb: dict) -> Iterator[tuple[int, dict | None]]:
    """(cell index, decoded record or None) for every record in an output a widget writes
    (``RECORD_OUTPUTS``), in document order; nothing is validated yet."""
    for index, kind, rec in walk_outputs(nb):
        if kind in RECORD_OUTPUTS:
            yield index, rec


def iter_records(notebook) -> Iterator[tuple[int, dict]]:
    """(cell index, record) for each valid record in a notebook, in document order."""
    for index, rec in raw_records(_load_notebook(notebook)):
        if rec is not None and validate_record(rec) is None:
            yield index, rec


def extract_records(notebook) -> list[dict]:
    return [rec for _, rec in iter_records(notebook)]


def latest_answers(notebook, set_id: str | None = None) -> dict[tuple[str, str], dict]:
    """The last record per (set, exercise) in document order (optionally of one set)."""
    out: dict[tuple[str, str], dict] = {}
    for rec in extract_records(notebook):
        if set_id is None or rec["set"] == set_id:
            out[(rec["set"], rec["exercise"])] = rec
    return out
