"""Answer records out of one handed-in notebook, read as JSON and nothing else.

The file is never executed, imported or unpickled: it is read as bytes (after a size check),
decoded, parsed once with ``json.loads`` and walked for outputs with the course's answer MIME type.
``json.loads`` only ever builds dicts, lists, strings, numbers, booleans and None, so no answer can
carry an object with a custom ``__eq__``.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ..exercises.record import raw_records, validate_record
from . import COURSE, MIME

MAX_FILE_MB = 25.0
"""Files larger than this are refused unread (a notebook with answers is typically well under 1 MB)."""

class Rejected(Exception):
    """The file cannot be graded; the message says why in one line."""


@dataclass
class Record:
    set: str
    exercise: str
    type: str
    answer: Any
    saved: datetime | None
    cell: int


@dataclass
class Extracted:
    path: Path
    records: dict[tuple[str, str], Record] = field(default_factory=dict)  # (set, exercise) -> last record
    problems: list[str] = field(default_factory=list)
    other_courses: set[str] = field(default_factory=set)
    metadata_set: str | None = None

    @property
    def sets(self) -> list[str]:
        seen: dict[str, None] = {}
        for set_id, _ in self.records:
            seen.setdefault(set_id, None)
        return list(seen)

    def last_saved(self, set_id: str | None = None) -> datetime | None:
        times = [r.saved for (s, _), r in self.records.items() if r.saved and (set_id is None or s == set_id)]
        return max(times) if times else None


def parse_time(value: Any) -> datetime | None:
    """An ISO time as an aware datetime (UTC when it names no zone); None when it is not one."""
    if not isinstance(value, str) or len(value) > 40:
        return None
    try:
        when = datetime.fromisoformat(value.strip().replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)


def _short(value: Any, limit: int = 60) -> str:
    text = value if isinstance(value, str) else repr(value)
    text = text.replace("\n", " ").replace("\r", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def read_notebook_json(path: Path, max_mb: float = MAX_FILE_MB) -> dict:
    """The notebook as a dict, or ``Rejected`` with the reason."""
    try:
        size = path.stat().st_size
    except OSError as err:
        raise Rejected(f"cannot read the file ({err.strerror or err})") from None
    if size == 0:
        raise Rejected("empty file (0 bytes)")
    if size > max_mb * 1_000_000:
        raise Rejected(f"file is {size / 1_000_000:.1f} MB, over the {max_mb:g} MB limit; not read")
    try:
        with open(path, "rb") as fh:
            raw = fh.read(int(max_mb * 1_000_000) + 1)
    except OSError as err:
        raise Rejected(f"cannot read the file ({err.strerror or err})") from None
    head = raw[:2048]
    if head.startswith(b"PK\x03\x04"):
        raise Rejected("a zip archive, not a notebook: unzip it first")
    if b"\x00" in head:
        raise Rejected("binary data, not a notebook")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise Rejected(f"not UTF-8 text (bad byte at offset {err.start}), not a notebook") from None
    stripped = text.lstrip()
    if not stripped:
        raise Rejected("only white space, not a notebook")
    if stripped[0] != "{":
        raise Rejected("not a notebook (the file is not a JSON object)")
    try:
        nb = json.loads(text)
    except json.JSONDecodeError as err:
        if err.pos >= len(text.rstrip()) - 1:
            raise Rejected(f"truncated JSON: the file ends early (line {err.lineno}); was the upload cut short?") from None
        raise Rejected(f"not valid JSON: {err.msg} at line {err.lineno}, column {err.colno}") from None
    except RecursionError:
        raise Rejected("JSON nested too deeply to be a notebook") from None
    if not isinstance(nb, dict):
        raise Rejected("not a notebook (the JSON is not an object)")
    if "worksheets" in nb and "cells" not in nb:
        raise Rejected("an old (nbformat 3) notebook: open and save it in JupyterLab, then hand it in again")
    if not isinstance(nb.get("cells"), list):
        raise Rejected("not a notebook (no list of cells)")
    return nb


def extract(path: Path | str, max_mb: float = MAX_FILE_MB, course: str = COURSE) -> Extracted:
    """Every answer record in one handed-in notebook; the last one per exercise in cell order wins.

    Raises ``Rejected`` when the file is not a readable notebook. Problems that do not stop grading
    (a malformed record, an answer too long) are listed in ``problems``.
    """
    path = Path(path)
    nb = read_notebook_json(path, max_mb)
    out = Extracted(path=path)
    meta = nb.get("metadata")
    if isinstance(meta, dict):
        vnfr = meta.get("vnfr")
        if isinstance(vnfr, dict) and isinstance(vnfr.get("set"), str):
            out.metadata_set = vnfr["set"]
    reasons: dict[str, int] = {}
    for index, record in raw_records(nb):
        if record is None:
            reasons["a record that is not a JSON object"] = reasons.get("a record that is not a JSON object", 0) + 1
            continue
        if record.get("course") != course:
            out.other_courses.add(_short(record.get("course")))
            continue
        wrong = validate_record(record)
        if wrong:
            reasons[wrong] = reasons.get(wrong, 0) + 1
            continue
        set_id, ex_id, answer = record["set"], record["exercise"], record["answer"]
        kind = record.get("type")
        out.records.pop((set_id, ex_id), None)  # re-insert so dict order is cell order of the winner
        out.records[(set_id, ex_id)] = Record(
            set=set_id,
            exercise=ex_id,
            type=kind if isinstance(kind, str) else "",
            answer=answer,
            saved=parse_time(record.get("saved")),
            cell=index,
        )
    for reason, n in reasons.items():
        out.problems.append(f"{n} answer record(s) ignored: {_short(reason, 150)}")
    return out
