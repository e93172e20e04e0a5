"""The course data: `course/data/*.csv`, loaded as typed, validated pandas tables.

Every table (except `sources.csv` itself) has a `source` column: codes from `sources.csv`
(`S1`, `M5`, `T9`, ...) and citations of the readings (`hien2018 ¶40`), separated by `;`.
The tables and their columns are described in `course/data/README.md`.

    from helpers import data
    data.partnerships()          # one row per partner: its current level and when (derived)
    data.upgrades()              # every step each partner took, and when (one row per step)
    data.level_on("2013-07-31")  # each partner's level on a date, precision respected
    data.indicators("merchandise exports")
    data.source_note("S2;S1")    # 'Sources: ... [S2]; ... [S1].' for a chart caption

A malformed table raises `helpers.core.errors.CourseFileError` naming the file, the line (the header
is line 1) and the field.
"""
from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from helpers import ROOT
from .errors import CourseFileError

DATA = ROOT / "course" / "data"

LEVELS = ("comprehensive partnership", "strategic partnership", "comprehensive strategic partnership")
"""The three tiers of partnership, lowest first (a level's rank is its position + 1)."""

LEVEL_VARIANTS = {"extensive strategic partnership": "strategic partnership"}
"""Names a source gives to an earlier step, and the tier they belong to."""

PRECISIONS = ("day", "month", "year")
CATEGORIES = ("normalisation", "multilateral membership", "trade agreement", "UN role", "Party policy",
              "hosting and chairing", "bilateral relations", "South China Sea", "UN vote")
STATUSES = ("reported", "preliminary", "estimate", "lower bound", "approximate", "implied")

CODE_RE = re.compile(r"^[A-Z]{1,3}\d+$")
READING_CITE_RE = re.compile(r"^([a-z][a-z0-9-]*\d{4}) ¶(\d+)(?:[–-](\d+))?$")
DATE_FORMS = ((re.compile(r"^\d{4}-\d{2}-\d{2}$"), "day"), (re.compile(r"^\d{4}-\d{2}$"), "month"),
              (re.compile(r"^\d{4}$"), "year"))


@dataclass(frozen=True)
class Schema:
    columns: tuple[str, ...]
    key: tuple[str, ...]
    required: tuple[str, ...]
    dates: dict[str, str] = field(default_factory=dict)  # date column -> its precision column
    ints: tuple[str, ...] = ()
    floats: tuple[str, ...] = ()
    vocab: dict[str, tuple[str, ...]] = field(default_factory=dict)
    sourced: bool = True


SCHEMAS: dict[str, Schema] = {
    "sources": Schema(("code", "title", "where"), key=("code",), required=("code", "title", "where"),
                      sourced=False),
    "partnerships": Schema(
        ("partner", "level", "named", "date", "date_precision", "note", "source"),
        key=("partner", "date"), required=("partner", "level", "date", "date_precision"),
        dates={"date": "date_precision"}, vocab={"level": LEVELS}),
    "milestones": Schema(
        ("event", "date", "date_precision", "category", "detail", "note", "source"),
        key=("event", "date"), required=("event", "date", "date_precision", "category"),
        dates={"date": "date_precision"}, vocab={"category": CATEGORIES}),
    "indicators": Schema(
        ("indicator", "year", "value", "unit", "status", "note", "source"),
        key=("indicator", "year"), required=("indicator", "year", "value", "unit", "status"),
        ints=("year",), floats=("value",), vocab={"status": STATUSES}),
    "counts": Schema(
        ("what", "as_of", "date_precision", "count", "note", "source"),
        key=("what", "as_of"), required=("what", "as_of", "date_precision", "count"),
        dates={"as_of": "date_precision"}, ints=("count",)),
    "glossary": Schema(
        ("english", "vietnamese", "note", "definition", "cite", "source"),
        key=("english",), required=("english", "vietnamese")),
}
TABLES = tuple(SCHEMAS)


# --------------------------------------------------------------------------- parsing helpers

def parse_date(text: str) -> tuple[dt.date, str]:
    """`'2012-07'` -> (date(2012, 7, 1), 'month'); ISO day, YYYY-MM or YYYY. Raises ValueError."""
    text = text.strip()
    for pattern, precision in DATE_FORMS:
        if pattern.match(text):
            padded = text + {"day": "", "month": "-01", "year": "-01-01"}[precision]
            return dt.date.fromisoformat(padded), precision
    raise ValueError(f"{text!r} is not a date (YYYY-MM-DD, YYYY-MM or YYYY)")


def split_source(text: str) -> list[str]:
    return [part.strip() for part in text.split(";") if part.strip()]


def _check_source(text, codes, readings, path, line) -> None:
    if not text.strip():
        raise CourseFileError(path, line, "source", "the source is missing: every row needs one")
    for token in split_source(text):
        m = READING_CITE_RE.match(token)
        if m:
            rid, first, last = m.group(1), int(m.group(2)), m.group(3)
            if rid not in readings:
                raise CourseFileError(path, line, "source", f"{token!r} cites an unknown reading {rid!r}; "
                                      f"readings are {', '.join(readings) or 'none'}")
            count = len(readings[rid].paragraphs)
            for n in (first, int(last) if last else first):
                if not 1 <= n <= count:
                    raise CourseFileError(path, line, "source", f"{token!r}: {rid} has no paragraph ¶{n} "
                                          f"(it has ¶1-¶{count})")
        elif CODE_RE.match(token):
            if token not in codes:
                raise CourseFileError(path, line, "source", f"unknown source code {token!r}: not in sources.csv")
        else:
            raise CourseFileError(path, line, "source", f"{token!r} is neither a source code (e.g. S1) nor a "
                                  "reading citation (e.g. 'hien2018 ¶40')")


# --------------------------------------------------------------------------- reading a table

def _table_of(name: str) -> str:
    """The table a file name belongs to: `partnerships--bad-level` -> `partnerships`."""
    return name.split("--")[0]


def _read_rows(path: Path, schema: Schema) -> list[tuple[int, dict[str, str]]]:
    try:
        fh = open(path, encoding="utf-8", newline="")
    except FileNotFoundError:
        raise CourseFileError(path, None, None, "no such data file") from None
    with fh:
        try:
            reader = csv.reader(fh, strict=True)
            header = next(reader, None)
            if header is None:
                raise CourseFileError(path, 1, None, "the file is empty: it needs a header line")
            header = [h.strip() for h in header]
            unknown = [c for c in header if c not in schema.columns]
            missing = [c for c in schema.columns if c not in header]
            if unknown or missing or len(set(header)) != len(header):
                parts = []
                if unknown:
                    parts.append(f"unknown column(s) {', '.join(unknown)}")
                if missing:
                    parts.append(f"missing column(s) {', '.join(missing)}")
                if len(set(header)) != len(header):
                    parts.append("a repeated column")
                raise CourseFileError(path, 1, (unknown or missing or header)[0],
                                      f"{'; '.join(parts)}; expected columns: {', '.join(schema.columns)}")
            rows = []
            end = reader.line_num
            for record in reader:
                start, end = end + 1, reader.line_num
                if not any(cell.strip() for cell in record):
                    continue
                if len(record) != len(header):
                    raise CourseFileError(path, start, None,
                                          f"{len(record)} fields where the header has {len(header)}")
                rows.append((start, {h: cell.strip() for h, cell in zip(header, record)}))
        except csv.Error as exc:
            raise CourseFileError(path, reader.line_num, None, f"CSV does not parse: {exc}") from None
        except UnicodeDecodeError as exc:
            raise CourseFileError(path, None, None, f"not UTF-8 ({exc})") from None
    return rows


def _validate(path: Path, table: str, codes: frozenset[str] | None, readings: dict | None):
    """Read and check one table; return its rows as (line, typed dict)."""
    schema = SCHEMAS[table]
    out = []
    seen: dict[tuple, int] = {}
    last_step: dict[str, tuple] = {}  # partnerships: partner -> (line, date, level) of its latest step so far
    for line, row in _read_rows(path, schema):
        for col in schema.required:
            if not row[col]:
                raise CourseFileError(path, line, col, f"'{col}' is empty")
        if schema.sourced:
            _check_source(row["source"], codes or frozenset(), readings or {}, path, line)
        for col, allowed in schema.vocab.items():
            if row[col] not in allowed:
                what = "partnership level" if col == "level" else col
                raise CourseFileError(path, line, col, f"unknown {what} {row[col]!r}; one of: {', '.join(allowed)}")
        typed: dict = dict(row)
        for col, prec_col in schema.dates.items():
            try:
                date, precision = parse_date(row[col])
            except ValueError as exc:
                raise CourseFileError(path, line, col, f"date does not parse: {exc}") from None
            if row[prec_col] not in PRECISIONS:
                raise CourseFileError(path, line, prec_col, f"{row[prec_col]!r} is not one of {', '.join(PRECISIONS)}")
            if row[prec_col] != precision:
                raise CourseFileError(path, line, prec_col, f"{row[prec_col]!r} does not match the date "
                                      f"{row[col]!r}, which is given to the {precision}")
            typed[col] = date
        for col in schema.ints:
            try:
                typed[col] = int(row[col])
            except ValueError:
                raise CourseFileError(path, line, col, f"{row[col]!r} is not a whole number") from None
        for col in schema.floats:
            try:
                typed[col] = float(row[col])
            except ValueError:
                raise CourseFileError(path, line, col, f"{row[col]!r} is not a number (numbers only; "
                                      "put words in 'status' or 'note')") from None
            if typed[col] != typed[col] or typed[col] in (float("inf"), float("-inf")):
                raise CourseFileError(path, line, col, f"{row[col]!r} is not a finite number")
        key = tuple(row[c] for c in schema.key)
        if key in seen:
            raise CourseFileError(path, line, ", ".join(schema.key),
                                  f"duplicate row {' / '.join(key)!r} (first on line {seen[key]})")
        seen[key] = line
        if table == "partnerships":
            named = row["named"]
            if named in LEVEL_VARIANTS and LEVEL_VARIANTS[named] != row["level"]:
                raise CourseFileError(path, line, "named", f"{named!r} is a {LEVEL_VARIANTS[named]}, "
                                      f"not a {row['level']}")
            if named in LEVELS and named != row["level"]:
                raise CourseFileError(path, line, "named", f"{named!r} is itself a level, but the row's "
                                      f"level is {row['level']!r}")
            last = last_step.get(row["partner"])
            if last is not None:
                last_line, last_date, last_level = last
                if typed["date"] <= last_date:
                    raise CourseFileError(path, line, "date", f"{row['partner']}'s steps are out of order: "
                                          f"{row['date']} is not after the step on line {last_line}")
                if LEVELS.index(row["level"]) < LEVELS.index(last_level):
                    raise CourseFileError(path, line, "level", f"{row['partner']} steps down from "
                                          f"{last_level!r} (line {last_line}) to {row['level']!r}")
            last_step[row["partner"]] = (line, typed["date"], row["level"])
        out.append((line, typed))
    return out


@lru_cache(maxsize=None)
def _source_codes(folder: str) -> frozenset[str]:
    path = Path(folder) / "sources.csv"
    return frozenset(row["code"] for _, row in _validate(path, "sources", None, None))


@lru_cache(maxsize=None)
def _load(name: str, folder: str):
    import pandas as pd

    table = _table_of(name)
    if table not in SCHEMAS:
        raise KeyError(f"no table {name!r}; tables are {', '.join(TABLES)}")
    path = Path(folder) / f"{name}.csv"
    schema = SCHEMAS[table]
    codes = readings = None
    if schema.sourced:
        from .readings import load_readings

        codes = _source_codes(folder)
        readings = load_readings()
    rows = [row for _, row in _validate(path, table, codes, readings)]
    frame = pd.DataFrame(rows, columns=list(schema.columns))
    for col in schema.dates:
        frame[col] = pd.to_datetime(frame[col])
    for col in schema.ints:
        frame[col] = frame[col].astype("int64")
    for col in schema.floats:
        frame[col] = frame[col].astype("float64")
    frame.attrs["path"] = str(path)
    return frame


def load(name: str, folder: Path | str | None = None):
    """One table of `course/data` (or of `folder`) as a typed, validated pandas DataFrame.

    `name` is the file name without `.csv`; a name such as `partnerships--draft` is read with the
    `partnerships` schema. Dates become datetimes (a `YYYY-MM` date is the first of the month, with
    `date_precision` 'month'). Loaded once and cached; each call returns a fresh copy.
    """
    return _load(name, str(folder or DATA)).copy()


def clear_cache() -> None:
    """Forget loaded tables (after editing a CSV in a running kernel)."""
    _load.cache_clear()
    _source_codes.cache_clear()


def validate_all(folder: Path | str | None = None) -> dict[str, int]:
    """Load every table; return the number of rows in each (raises CourseFileError on the first fault)."""
    return {name: len(load(name, folder)) for name in TABLES}


# --------------------------------------------------------------------------- the tables

def sources(folder: Path | str | None = None):
    return load("sources", folder)


def partnerships(folder: Path | str | None = None):
    """One row per partner, derived from the steps in `partnerships.csv`: its current (latest) step.

    Columns: partner, level, named, date, date_precision (of the current step), earlier_levels (the
    earlier steps as text, oldest first: 'comprehensive partnership 2013-07-25; ...'), steps (how many),
    note (the notes of all the partner's steps, oldest first), source (the sources of all its steps,
    the current step's first).
    Partners are in the order of the file.
    """
    import pandas as pd

    steps = load("partnerships", folder)
    rows = []
    for partner, group in steps.groupby("partner", sort=False):
        group = group.sort_values("date", kind="stable")
        cur = group.iloc[-1]
        earlier = "; ".join(f"{(r.named or r.level)} {_date_text(r.date, r.date_precision)}"
                            for r in group.iloc[:-1].itertuples())
        notes = "; ".join(dict.fromkeys(n for n in group["note"] if n))
        cells = [cur["source"]] + list(group["source"].iloc[:-1])  # the current step's sources first
        codes = ";".join(dict.fromkeys(c for cell in cells for c in split_source(cell)))
        rows.append({"partner": partner, "level": cur["level"], "named": cur["named"] or cur["level"],
                     "date": cur["date"], "date_precision": cur["date_precision"], "earlier_levels": earlier,
                     "steps": len(group), "note": notes, "source": codes})
    frame = pd.DataFrame(rows, columns=["partner", "level", "named", "date", "date_precision", "earlier_levels",
                                        "steps", "note", "source"])
    frame["date"] = pd.to_datetime(frame["date"])
    frame["steps"] = frame["steps"].astype("int64")
    return frame


def milestones(folder: Path | str | None = None):
    return load("milestones", folder).sort_values("date", kind="stable").reset_index(drop=True)


def counts(folder: Path | str | None = None):
    return load("counts", folder)


def glossary(folder: Path | str | None = None):
    return load("glossary", folder)


def indicators(indicator: str | None = None, folder: Path | str | None = None):
    """The indicators table, or the rows of one indicator sorted by year."""
    frame = load("indicators", folder)
    if indicator is None:
        return frame
    if indicator not in set(frame["indicator"]):
        raise KeyError(f"no indicator {indicator!r}; indicators are: {', '.join(dict.fromkeys(frame['indicator']))}")
    return frame[frame["indicator"] == indicator].sort_values("year").reset_index(drop=True)


def period_end(date, precision: str):
    """The last day a date given to `precision` can stand for: the day itself, the month's last day,
    or 31 December. `period_end('2013-01-01', 'year')` -> Timestamp('2013-12-31')."""
    import pandas as pd

    stamp = pd.Timestamp(date).normalize()
    if precision == "day":
        return stamp
    if precision == "month":
        return (stamp + pd.offsets.MonthEnd(0)).normalize()
    if precision == "year":
        return pd.Timestamp(year=stamp.year, month=12, day=31)
    raise ValueError(f"{precision!r} is not one of {', '.join(PRECISIONS)}")


def _date_text(stamp, precision: str) -> str:
    """A date written only as precisely as its source gives it: 2013-07-25, 2013-07 or 2013."""
    import pandas as pd

    return pd.Timestamp(stamp).strftime({"day": "%Y-%m-%d", "month": "%Y-%m", "year": "%Y"}[precision])


def date_text(stamp, precision: str) -> str:
    """A date written only as precisely as its source gives it: 2013-07-25, 2013-07 or 2013."""
    return _date_text(stamp, precision)


def upgrades(folder: Path | str | None = None):
    """Every step each partner took and since when, one row per step (the rows of `partnerships.csv`).

    Columns: partner, level (one of LEVELS), named (as the source names it, e.g. 'extensive
    strategic partnership'; the level where the source gives no other name), rank (1 comprehensive,
    2 strategic, 3 comprehensive strategic), since (the date as given: a `YYYY-MM` date is the first of
    the month, a `YYYY` date 1 January), date_precision, current (the partner's latest step), source
    (the step's own sources), counted_from (the last day the step can have been agreed: `since` for a
    day, the month's last day, 31 December for a year; `level_on` counts a step from then), note.
    """
    import pandas as pd

    steps = load("partnerships", folder).sort_values(["partner", "date"], kind="stable")
    frame = pd.DataFrame({
        "partner": steps["partner"], "level": steps["level"],
        "named": [n or lv for n, lv in zip(steps["named"], steps["level"])],
        "since": steps["date"], "date_precision": steps["date_precision"],
        "current": ~steps["partner"].duplicated(keep="last"), "source": steps["source"]})
    frame.insert(3, "rank", frame["level"].map(lambda lv: LEVELS.index(lv) + 1).astype("int64"))
    frame["counted_from"] = [period_end(d, p) for d, p in zip(frame["since"], frame["date_precision"])]
    frame["counted_from"] = pd.to_datetime(frame["counted_from"])
    frame["note"] = steps["note"].to_numpy()
    return frame.reset_index(drop=True)


def _counted_from(steps):
    """`steps["counted_from"]`, computed from since and date_precision when a table lacks it."""
    import pandas as pd

    if "counted_from" in steps.columns:
        return pd.to_datetime(steps["counted_from"])
    precision = steps["date_precision"] if "date_precision" in steps.columns else pd.Series("day", index=steps.index)
    return pd.to_datetime(pd.Series([period_end(d, p) for d, p in zip(steps["since"], precision)],
                                    index=steps.index))


def level_on(date, folder: Path | str | None = None, steps=None):
    """Each partner's level on `date` (partners with no partnership yet are left out).

    A step counts from the last day its date can stand for (`counted_from`): a step known to the day
    from that day, one known to the month from the month's last day, one known only to the year from
    31 December. So no month is credited with a step that may not yet have happened; `pending_on`
    lists the steps that may or may not have happened by `date`.

    `steps` is an `upgrades()` table to use instead of the course's (tests pass small ones; a table
    without `counted_from` has it computed from `since` and `date_precision`).
    """
    import pandas as pd

    steps = upgrades(folder) if steps is None else steps
    counted = _counted_from(steps)
    steps = steps[counted <= pd.Timestamp(date)].sort_values("since", kind="stable")
    return steps.groupby("partner", sort=True).tail(1).sort_values("partner").reset_index(drop=True)


def pending_on(date, folder: Path | str | None = None, steps=None):
    """Steps whose date, as precisely as the sources give it, takes in `date`, but which `level_on` does
    not count yet: e.g. on 31 July 2007 a step known only as '2007'. One row per step (upgrades() columns)."""
    import pandas as pd

    steps = upgrades(folder) if steps is None else steps
    stamp = pd.Timestamp(date)
    counted = _counted_from(steps)
    mask = (pd.to_datetime(steps["since"]) <= stamp) & (counted > stamp)
    return steps[mask].sort_values(["since", "partner"], kind="stable").reset_index(drop=True)


# --------------------------------------------------------------------------- captions

def source_note(codes: str | Iterable[str], folder: Path | str | None = None) -> str:
    """Readable source text for a chart caption.

    `codes` is a `source` cell ("S2;S1"), or several (a column such as `frame["source"]`); repeated
    codes are given once. Reading citations become author, title and year with the citation.
    """
    if isinstance(codes, str):
        codes = [codes]
    tokens = list(dict.fromkeys(t for cell in codes for t in split_source(str(cell))))
    if not tokens:
        raise ValueError("no source codes given")
    table = sources(folder).set_index("code")
    parts = []
    for token in tokens:
        m = READING_CITE_RE.match(token)
        if m:
            from .readings import reading

            r = reading(m.group(1))
            author = "; ".join(a["name"] for a in r.meta["authors"])
            parts.append(f"{author}, \u201c{r.title}\u201d, {r.meta['outlet']}, {r.meta['date'].year} [{token}]")
        elif token in table.index:
            parts.append(f"{table.at[token, 'title']} ({table.at[token, 'where']}) [{token}]")
        else:
            raise KeyError(f"unknown source code {token!r}")
    return ("Source: " if len(parts) == 1 else "Sources: ") + "; ".join(parts) + "."


__all__ = ["LEVELS", "TABLES", "load", "validate_all", "clear_cache", "sources", "partnerships", "milestones",
           "counts", "glossary", "indicators", "upgrades", "level_on", "pending_on", "period_end", "date_text",
           "source_note", "parse_date"]
