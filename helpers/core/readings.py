"""The course readings: load `seeds/*.md`, number their paragraphs, cite and search them.

A reading file is UTF-8 Markdown (format in `seeds/README.md`):

* a YAML header between `---` lines (id, title, authors, outlet, date, language, speaker, ...);
* `#` headings, which are not numbered;
* paragraphs, each a block that starts with `¶N ` (N = 1, 2, 3, ... in order);
* footnotes, blocks that start with `[^N]: `, attached to the paragraph above them.

Citations look like `[quy2024 ¶12]`.
"""
from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from helpers import ROOT
from .errors import CourseFileError

SEEDS = ROOT / "seeds"

REQUIRED_FIELDS = ("id", "title", "authors", "outlet", "date", "url", "language", "speaker")
PARA_RE = re.compile(r"^¶(\d+)\s+(.*)$", re.S)
NOTE_RE = re.compile(r"^\[\^([^\]]+)\]:\s*(.*)$", re.S)
CITE_RE = re.compile(r"\[([a-z][a-z0-9-]*\d{4}) ¶(\d+)(?:[–-](\d+))?\]")


@dataclass
class Paragraph:
    reading: str
    number: int
    section: str
    text: str
    line: int
    footnotes: list[str] = field(default_factory=list)


@dataclass
class Reading:
    id: str
    meta: dict
    paragraphs: list[Paragraph]
    path: Path

    @property
    def title(self) -> str:
        return self.meta["title"]

    def paragraph(self, number: int) -> Paragraph:
        if not 1 <= number <= len(self.paragraphs):
            raise KeyError(f"{self.id} has no paragraph ¶{number} (it has ¶1-¶{len(self.paragraphs)})")
        return self.paragraphs[number - 1]


def _header_line(lines: list[str], key: str) -> int:
    for i, line in enumerate(lines, start=1):
        if line.startswith(f"{key}:"):
            return i
    return 1


def parse_reading(path: Path | str) -> Reading:
    """Parse one reading file; raise CourseFileError naming file, line and field on bad input."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise CourseFileError(path, None, None, f"not UTF-8 ({exc})") from None
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        raise CourseFileError(path, 1, "header", "file must start with a '---' YAML header")
    try:
        end = lines.index("---", 1)
    except ValueError:
        raise CourseFileError(path, 1, "header", "YAML header is not closed by a '---' line") from None
    header_lines = lines[1:end]
    try:
        meta = yaml.safe_load("\n".join(header_lines)) or {}
    except yaml.YAMLError as exc:
        raise CourseFileError(path, 2, "header", f"YAML header does not parse: {exc}") from None
    if not isinstance(meta, dict):
        raise CourseFileError(path, 2, "header", "YAML header must be a mapping")
    for key in REQUIRED_FIELDS:
        if meta.get(key) in (None, "", []):
            raise CourseFileError(path, 2, key, f"header field '{key}' is missing or empty")
    date = meta["date"]
    if not isinstance(date, dt.date):
        try:
            date = dt.date.fromisoformat(str(date))
        except ValueError:
            raise CourseFileError(path, 1 + _header_line(header_lines, "date"), "date",
                                  f"date {meta['date']!r} is not an ISO date (YYYY-MM-DD)") from None
    meta["date"] = date
    if meta.get("date_inferred") and not meta.get("date_evidence"):
        raise CourseFileError(path, 1 + _header_line(header_lines, "date_inferred"), "date_evidence",
                              "an inferred date needs 'date_evidence'")
    if not isinstance(meta["authors"], list) or not all(isinstance(a, dict) and a.get("name") for a in meta["authors"]):
        raise CourseFileError(path, 1 + _header_line(header_lines, "authors"), "authors",
                              "authors must be a list of {name, affiliation}")

    paragraphs: list[Paragraph] = []
    section = ""
    block: list[str] = []
    block_start = end + 2

    def flush(start: int) -> None:
        nonlocal section
        if not block:
            return
        body = "\n".join(block).strip()
        if body.startswith("#"):
            section = body.lstrip("#").strip()
            return
        m = PARA_RE.match(body)
        if m:
            number = int(m.group(1))
            expected = len(paragraphs) + 1
            if number != expected:
                kind = "duplicate" if number < expected else "missing"
                raise CourseFileError(path, start, "paragraph",
                                      f"{kind} paragraph number: found ¶{number}, expected ¶{expected}")
            paragraphs.append(Paragraph(str(meta["id"]), number, section, m.group(2).strip(), start))
            return
        n = NOTE_RE.match(body)
        if n:
            if not paragraphs:
                raise CourseFileError(path, start, "footnote", "footnote before any paragraph")
            paragraphs[-1].footnotes.append(f"[{n.group(1)}] {n.group(2).strip()}")
            return
        raise CourseFileError(path, start, "paragraph",
                              f"block is neither a heading, a '¶N' paragraph nor a footnote: {body[:60]!r}")

    for i, line in enumerate(lines[end + 1:], start=end + 2):
        if line.strip() == "":
            flush(block_start)
            block = []
            block_start = i + 1
        else:
            if not block:
                block_start = i
            block.append(line)
    flush(block_start)
    if not paragraphs:
        raise CourseFileError(path, end + 2, "paragraph", "reading has no numbered paragraphs")
    return Reading(str(meta["id"]), meta, paragraphs, path)


@lru_cache(maxsize=None)
def _load_all(folder: str) -> dict[str, Reading]:
    out: dict[str, Reading] = {}
    for path in sorted(Path(folder).glob("*.md")):
        if path.name.upper() == "README.MD":
            continue
        reading = parse_reading(path)
        if reading.id in out:
            raise CourseFileError(path, 2, "id", f"duplicate reading id {reading.id!r} (also {out[reading.id].path.name})")
        out[reading.id] = reading
    return out


def load_readings(folder: Path | str | None = None) -> dict[str, Reading]:
    """All readings, by id, in file-name order."""
    return _load_all(str(folder or SEEDS))


def reading(reading_id: str) -> Reading:
    readings = load_readings()
    if reading_id not in readings:
        raise KeyError(f"no reading {reading_id!r}; readings are {', '.join(readings)}")
    return readings[reading_id]


def paragraphs(folder: Path | str | None = None):
    """The readings as a pandas table: reading, paragraph, section, text, footnotes."""
    import pandas as pd

    rows = [
        {"reading": p.reading, "paragraph": p.number, "section": p.section, "text": p.text,
         "footnotes": " ".join(p.footnotes)}
        for r in load_readings(folder).values() for p in r.paragraphs
    ]
    return pd.DataFrame(rows, columns=["reading", "paragraph", "section", "text", "footnotes"])


def catalogue(folder: Path | str | None = None):
    """One row per reading: id, title, authors, outlet, date (and whether inferred), speaker."""
    import pandas as pd

    rows = []
    for r in load_readings(folder).values():
        m = r.meta
        rows.append({
            "reading": r.id,
            "title": m["title"],
            "authors": "; ".join(a["name"] for a in m["authors"]),
            "outlet": m["outlet"],
            "outlet_inferred": bool(m.get("outlet_inferred")),
            "date": m["date"].isoformat(),
            "date_inferred": bool(m.get("date_inferred")),
            "language": m["language"],
            "speaker": m["speaker"],
            "paragraphs": len(r.paragraphs),
        })
    return pd.DataFrame(rows)


def cite(reading_id: str, number: int, last: int | None = None) -> str:
    """A checked citation such as `[quy2024 ¶12]` (raises KeyError if the paragraph does not exist)."""
    r = reading(reading_id)
    r.paragraph(number)
    if last is not None:
        r.paragraph(last)
        return f"[{reading_id} ¶{number}–{last}]"
    return f"[{reading_id} ¶{number}]"


def check_citations(text: str) -> list[str]:
    """Citations in `text` that point at no existing paragraph (empty list when all are good)."""
    bad = []
    readings = load_readings()
    for m in CITE_RE.finditer(text):
        rid, first, last = m.group(1), int(m.group(2)), m.group(3)
        r = readings.get(rid)
        numbers = [first] + ([int(last)] if last else [])
        if r is None or any(not 1 <= n <= len(r.paragraphs) for n in numbers):
            bad.append(m.group(0))
    return bad


def passage_markdown(reading_id: str, first: int, last: int | None = None) -> str:
    """Paragraphs `first`..`last` of a reading as a Markdown block quote with its citation."""
    r = reading(reading_id)
    last = last or first
    parts = []
    for n in range(first, last + 1):
        p = r.paragraph(n)
        body = re.sub(r"\[\^(\w+)\]", r"<sup>\1</sup>", p.text).replace("\n", "\n> ")
        parts.append(f"> **¶{n}**\n>\n> {body}" if "\n" in p.text else f"> **¶{n}** {body}")
        for note in p.footnotes:
            parts.append(f">\n> <small>{html.escape(note)}</small>")
        parts.append(">")
    author = "; ".join(a["name"] for a in r.meta["authors"])
    parts.append(f"> — {author}, *{r.title}*, {r.meta['outlet']}, {r.meta['date'].year} {cite(reading_id, first, last if last != first else None)}")
    return "\n".join(parts)


def show_passage(reading_id: str, first: int, last: int | None = None):
    """Display a passage in the notebook (Markdown)."""
    from IPython.display import Markdown, display

    display(Markdown(passage_markdown(reading_id, first, last)))


def kwic(term: str, width: int = 60, folder: Path | str | None = None, regex: bool = False):
    """Keyword in context: every occurrence of `term` (case-insensitive) across the readings.

    Returns a pandas table: reading, paragraph, citation, left, match, right.
    """
    import pandas as pd

    if not term or not term.strip():
        raise ValueError("give a word or phrase to search for")
    pattern = re.compile(term if regex else re.escape(term.strip()), re.I)
    rows = []
    for r in load_readings(folder).values():
        for p in r.paragraphs:
            for m in pattern.finditer(p.text):
                left = p.text[max(0, m.start() - width):m.start()]
                right = p.text[m.end():m.end() + width]
                rows.append({
                    "reading": r.id, "paragraph": p.number, "citation": f"[{r.id} ¶{p.number}]",
                    "left": ("…" if m.start() > width else "") + left,
                    "match": m.group(0),
                    "right": right + ("…" if m.end() + width < len(p.text) else ""),
                })
    return pd.DataFrame(rows, columns=["reading", "paragraph", "citation", "left", "match", "right"])


def term_counts(terms: list[str], folder: Path | str | None = None, per_thousand: bool = False):
    """How often each term occurs in each reading (a reading × term table of counts).

    A term matches as a string, case-insensitively, so "interest" also counts "interests" but "culture" does
    not count "cultural". With `per_thousand=True` each count is divided by the reading's length (rounded to
    one decimal, per 1,000 words) and a `words` column gives that length, so that readings of very different
    lengths can be compared.
    """
    import pandas as pd

    data = {t: [] for t in terms}
    ids, words = [], []
    for r in load_readings(folder).values():
        ids.append(r.id)
        body = "\n".join(p.text for p in r.paragraphs)
        n_words = len(body.split())
        words.append(n_words)
        for t in terms:
            n = len(re.findall(re.escape(t), body, re.I))
            data[t].append(round(n * 1000 / n_words, 1) if per_thousand else n)
    frame = pd.DataFrame(data, index=pd.Index(ids, name="reading"))
    if per_thousand:
        frame.insert(0, "words", words)
    return frame
