"""Text from submissions made safe to show and to write, reports kept short, outputs written whole.

Anything a student controls (file names, record fields, answers) may hold terminal escape codes,
bidirectional overrides, lone surrogates or bytes that are not UTF-8. ``visible`` turns every such
character into a printable escape (``\\x1b``, ``\\u202e``), so it can neither act on the teacher's
terminal or spreadsheet nor stop a file from being written. ``show_path`` does the same for a
file name the operating system gave us, showing undecodable bytes as ``\\xff``.

``summarise`` folds many problem lines into a few (counts by reason, a few examples), and
``write_atomic`` writes an output to a temporary file and renames it over the old one, so an
output is there in full or not at all.
"""
from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path
from typing import Callable, Iterable

from ..core import files

# Bidirectional controls and line/paragraph separators: they reorder or break what a line shows.
_BIDI = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u2028\u2029\ufeff")

MAX_REASON_CHARS = 300
"""One problem line (its reason) is at most this long once made visible."""
MAX_LINES_PER_FILE = 8
"""A file's problems take at most this many lines on screen and in errors.csv."""
EXAMPLES = 3


def _escape(ch: str) -> str:
    code = ord(ch)
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def _needs_escape(ch: str, keep_newlines: bool) -> bool:
    if ch in _BIDI:
        return True
    if keep_newlines and ch in "\n\t":
        return False
    cat = unicodedata.category(ch)
    return cat in ("Cc", "Cs")  # control characters (C0, DEL, C1) and lone surrogates


_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff" + "".join(sorted(_BIDI)) + "]")


def visible(text, *, keep_newlines: bool = False, limit: int | None = None) -> str:
    """``text`` with every control character, bidirectional override and lone surrogate shown as
    an escape; newlines and tabs are kept when ``keep_newlines`` (a free-text answer in a CSV
    cell). Idempotent. Cut to ``limit`` characters (with "…") when given."""
    if text is None:
        return ""
    if not isinstance(text, str):
        text = str(text)
    if _UNSAFE.search(text):  # what _UNSAFE matches is exactly what _needs_escape would escape
        text = _UNSAFE.sub(lambda m: m.group() if keep_newlines and m.group() in "\n\t" else _escape(m.group()), text)
    if limit is not None and len(text) > limit:
        text = text[: limit - 1] + "…"
    return text


def show_path(name: str) -> str:
    """A file name as the OS gave it (bytes that are not UTF-8 arrive as surrogates), shown
    safely: undecodable bytes as ``\\xff``, control characters escaped."""
    try:
        raw = os.fsencode(name)
    except UnicodeError:  # a lone surrogate that is not an escaped byte
        return visible(name)
    return visible(raw.decode("utf-8", "backslashreplace"))


def clean_json(value, found: list[int] | None = None):
    """A JSON value with lone surrogates in its strings (and keys) replaced by U+FFFD; ``found``
    collects how many strings were changed. Lists and dicts are rebuilt only when needed."""
    if isinstance(value, str):
        if _SURROGATE.search(value):
            if found is not None:
                found.append(1)
            return _SURROGATE.sub("\ufffd", value)
        return value
    if isinstance(value, list):
        return [clean_json(v, found) for v in value]
    if isinstance(value, dict):
        return {clean_json(k, found): clean_json(v, found) for k, v in value.items()}
    return value


_SURROGATE = re.compile("[\ud800-\udfff]")


def reason_kind(reason: str) -> str:
    """What a reason is about, with the particulars (quoted text, numbers) taken out."""
    kind = re.sub(r"'[^']*'|\"[^\"]*\"|\([^)]*\)|\d+(?:\.\d+)?", "…", reason)
    return re.sub(r"\s+", " ", kind).strip()


def summarise(reasons: Iterable[str], *, max_lines: int = MAX_LINES_PER_FILE) -> list[str]:
    """A file's problem lines folded: identical kinds of reason become one line with a count and a
    few examples; at most ``max_lines`` lines in all, each at most ``MAX_REASON_CHARS``."""
    groups: dict[str, list[str]] = {}
    for reason in reasons:
        reason = visible(reason)
        groups.setdefault(reason_kind(reason), []).append(reason)
    lines = []
    for kind, items in groups.items():
        if len(items) == 1:
            lines.append(items[0])
            continue
        distinct = list(dict.fromkeys(items))
        if len(distinct) == 1:
            lines.append(f"{distinct[0]} (×{len(items)})")
        else:
            shown = "; ".join(visible(d, limit=120) for d in distinct[:EXAMPLES])
            more = f"; … {len(distinct) - EXAMPLES} more" if len(distinct) > EXAMPLES else ""
            lines.append(f"{len(items)} problems of one kind: {shown}{more}")
    if len(lines) > max_lines:
        rest = len(lines) - (max_lines - 1)
        lines = lines[: max_lines - 1] + [f"… and {rest} other kind(s) of problem in this file"]
    return [visible(line, limit=MAX_REASON_CHARS) for line in lines]


def write_atomic(path: Path, write: Callable[[object], None], *, newline: str | None = "") -> Path:
    """Write a text output through ``write(fh)`` into a temporary file beside ``path``, then rename
    it into place: the output is complete or absent (a failed write leaves no half file and
    removes an old one of the same name, which would no longer match this run)."""
    return files.write_atomic(path, write, newline=newline, remove_old_on_failure=True)
