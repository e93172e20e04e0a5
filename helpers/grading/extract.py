"""Answer records out of one handed-in notebook, read as JSON and nothing else.

The file is never executed, imported or unpickled: it is read as bytes (after a size check),
parsed once (by orjson, else ``json.loads``; see ``_fast_parse``) and walked for outputs with the
course's answer MIME type. Both only ever build dicts, lists, strings, numbers, booleans and None,
so no answer can carry an object with a custom ``__eq__``.
"""
from __future__ import annotations

import json
import os
import stat
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ..exercises.record import RECORD_OUTPUTS, validate_record, walk_outputs
from . import COURSE, MIME
from .untrusted import clean_json, reason_kind, visible

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


EARLIEST = datetime(1970, 1, 1, tzinfo=timezone.utc)
LATEST = datetime(3000, 1, 1, tzinfo=timezone.utc)
"""A saved time outside [EARLIEST, LATEST) cannot be one a widget wrote, even on a wrong clock."""


def parse_time(value: Any) -> datetime | None:
    """An ISO time as an aware datetime in UTC (UTC when it names no zone); None when it is not
    one or lies outside the years 1970–2999."""
    when, _ = check_time(value)
    return when


def check_time(value: Any) -> tuple[datetime | None, str]:
    """(the time in UTC, "") or (None, why it is not a usable saved time)."""
    if not isinstance(value, str) or len(value) > 40:
        return None, "the saved time is not a short text"
    try:
        when = datetime.fromisoformat(value.strip().replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return None, f"the saved time '{visible(value)}' is not an ISO date-time"
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    try:
        when = when.astimezone(timezone.utc)
    except OverflowError:  # year 9999 west of UTC, year 1 east of it
        when = None
    if when is None or not EARLIEST <= when < LATEST:
        return None, f"the saved time '{visible(value)}' is outside the years 1970–2999"
    return when, ""


def _short(value: Any, limit: int = 60) -> str:
    text = value if isinstance(value, str) else repr(value)
    text = text.replace("\n", " ").replace("\r", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


KINDS = [
    (stat.S_ISFIFO, "a named pipe (FIFO), not a file"),
    (stat.S_ISSOCK, "a socket, not a file"),
    (stat.S_ISCHR, "a character device, not a file"),
    (stat.S_ISBLK, "a block device, not a file"),
    (stat.S_ISDIR, "a folder, not a file"),
    (stat.S_ISLNK, "a symbolic link; not followed"),
]


def special_kind(mode: int) -> str | None:
    """What a file of this ``st_mode`` is when it is not a regular file (None when it is one)."""
    if stat.S_ISREG(mode):
        return None
    for test, what in KINDS:
        if test(mode):
            return what
    return "a special file (neither a file nor a folder)"


def read_regular_file(path: Path, max_mb: float = MAX_FILE_MB) -> bytes:
    """The bytes of a regular file, at most ``max_mb``; ``Rejected`` for anything else. The file
    is opened without following a link and without blocking (a pipe with no writer would hang
    an ordinary ``open``), then checked to be a regular file before a byte is read."""
    try:
        mode = os.lstat(path).st_mode
    except OSError as err:
        raise Rejected(f"cannot read the file ({err.strerror or err})") from None
    kind = special_kind(mode)
    if kind:
        raise Rejected(kind)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as err:
        raise Rejected(f"cannot read the file ({err.strerror or err})") from None
    try:
        info = os.fstat(fd)
        kind = special_kind(info.st_mode)
        if kind:
            raise Rejected(kind)
        if info.st_size == 0:
            raise Rejected("empty file (0 bytes)")
        if info.st_size > max_mb * 1_000_000:
            raise Rejected(f"file is {info.st_size / 1_000_000:.1f} MB, over the {max_mb:g} MB limit; not read")
        with os.fdopen(fd, "rb", closefd=False) as fh:
            raw = fh.read(int(max_mb * 1_000_000) + 1)
    except OSError as err:
        raise Rejected(f"cannot read the file ({err.strerror or err})") from None
    finally:
        os.close(fd)
    if len(raw) > max_mb * 1_000_000:
        raise Rejected(f"file grew past the {max_mb:g} MB limit while being read; not read")
    return raw


class HugeNumber:
    """Stands for an integer too long to convert (Python refuses more than 4,300 digits): it is
    not JSON, so the record holding it is ignored, and nothing else in the file is lost."""

    def __init__(self, digits: int):
        self.digits = digits

    def __repr__(self) -> str:
        return f"<a {self.digits:,}-digit number>"


MAX_INT_DIGITS = 4000


def _parse_int(text: str):
    return int(text) if len(text) <= MAX_INT_DIGITS else HugeNumber(len(text.lstrip("-")))


def _has_huge(value) -> int:
    """The digit count of the first HugeNumber inside a JSON value, else 0."""
    stack = [value]
    while stack:
        v = stack.pop()
        if isinstance(v, HugeNumber):
            return v.digits
        if isinstance(v, dict):
            stack.extend(v.values())
        elif isinstance(v, list):
            stack.extend(v)
    return 0


try:
    import orjson as _orjson
except ImportError:  # then every file takes the ordinary path
    _orjson = None


def _wide_float(value) -> bool:
    """A float of 2**63 or more inside a JSON value: orjson makes one of an integer too wide for 64
    bits, where ``json`` keeps the integer."""
    stack = [value]
    while stack:
        v = stack.pop()
        if type(v) is float and abs(v) >= 2.0 ** 63:
            return True
        if isinstance(v, dict):
            stack.extend(v.values())
        elif isinstance(v, list):
            stack.extend(v)
    return False


def _fast_parse(raw: bytes) -> dict | None:
    """The notebook parsed by orjson (about 2.5 times faster than ``json``), when that gives what
    the ordinary path below gives: the same dicts, lists, strings and numbers. None, so that the
    ordinary path parses the file or says why it cannot, whenever orjson is missing or refuses the
    bytes (a byte-order mark, bad UTF-8, NaN, a number out of range, a lone surrogate, bad JSON) or
    an answer record holds a float that may have been a very wide integer."""
    if _orjson is None:
        return None
    try:
        nb = _orjson.loads(raw)
    except Exception:
        return None
    if not isinstance(nb, dict):
        return None
    for _, _, record in walk_outputs(nb):
        if record is not None and _wide_float(record):
            return None
    return nb


def read_notebook_json(path: Path, max_mb: float = MAX_FILE_MB) -> dict:
    """The notebook as a dict, or ``Rejected`` with the reason."""
    raw = read_regular_file(path, max_mb)
    head = raw[:2048]
    if head.startswith(b"PK\x03\x04"):
        raise Rejected("a zip archive, not a notebook: unzip it first")
    if b"\x00" in head:
        raise Rejected("binary data, not a notebook")
    nb = _fast_parse(raw)
    if nb is not None:
        return _notebook(nb)
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
        nb = json.loads(text, parse_int=_parse_int)
    except json.JSONDecodeError as err:
        if err.pos >= len(text.rstrip()) - 1:
            raise Rejected(f"truncated JSON: the file ends early (line {err.lineno}); was the upload cut short?") from None
        raise Rejected(f"not valid JSON: {err.msg} at line {err.lineno}, column {err.colno}") from None
    except RecursionError:
        raise Rejected("JSON nested too deeply to be a notebook") from None
    return _notebook(nb)


def _notebook(nb) -> dict:
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

    def ignore(reason: str) -> None:
        reasons[reason] = reasons.get(reason, 0) + 1

    for index, kind, record in walk_outputs(nb):
        if kind not in RECORD_OUTPUTS:
            what = visible(kind, limit=40) or "untyped"
            ignore(f"in {'an' if what[0] in 'aeiou' else 'a'} {what} output, where the exercise widgets "
                   "never write; not scored")
            continue
        if record is None:
            ignore("a record that is not a JSON object")
            continue
        digits = _has_huge(record)
        if digits:
            ignore(f"a number with {digits:,} digits; the record scores nothing")
            continue
        if record.get("course") != course:
            out.other_courses.add(_short(visible(record.get("course"))))
            continue
        found: list[int] = []
        try:
            record = clean_json(record, found)
        except RecursionError:
            ignore("a record nested too deeply")
            continue
        if found:
            out.problems.append("text with invalid characters (lone surrogates) in an answer record; "
                                "shown as \ufffd and graded")
        wrong = validate_record(record)
        if wrong:
            ignore(visible(wrong))
            continue
        saved, bad_time = check_time(record.get("saved"))
        if bad_time:
            ignore(f"{bad_time}; the record scores nothing")
            continue
        set_id, ex_id, answer = record["set"], record["exercise"], record["answer"]
        etype = record.get("type")
        out.records.pop((set_id, ex_id), None)  # re-insert so dict order is cell order of the winner
        out.records[(set_id, ex_id)] = Record(
            set=set_id,
            exercise=ex_id,
            type=etype if isinstance(etype, str) else "",
            answer=answer,
            saved=saved,
            cell=index,
        )
    kinds: dict[str, dict[str, int]] = {}
    for reason, n in reasons.items():
        kinds.setdefault(reason_kind(reason), {})[reason] = n
    for group in kinds.values():  # one line per kind of reason, whatever the number of records
        total = sum(group.values())
        shown = "; ".join(_short(r, 150) for r in list(group)[:3])
        more = f"; … and {len(group) - 3} more like these" if len(group) > 3 else ""
        out.problems.append(f"{total:,} answer record(s) ignored: {shown}{more}")
    return out
