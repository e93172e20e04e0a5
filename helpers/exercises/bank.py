"""Exercise banks: load and validate `course/exercises/<set>.yml`.

One YAML file per exercise set (= per notebook). The format is described in
`course/exercises/README.md`. Every error is a `CourseFileError` naming the file, the line, the
field and the exercise, so a maintainer can fix the source at once.

The student edition (see `helpers.publishing.release`) writes banks with `student_edition: true`: there an
exercise carries no `answer`, `explanation` or `model_answer` in plain text, only (in practice
mode) an encoded `selfcheck` that this module decodes.
"""
from __future__ import annotations

import base64
import json
import math
import re
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .. import ROOT
from helpers.core.errors import CourseFileError

TYPES = ("single", "multiple", "classify", "order", "numeric", "text", "grid", "evidence")
TYPE_LABELS = {
    "single": "single choice",
    "multiple": "select all that apply",
    "classify": "classify",
    "order": "put in order",
    "numeric": "number",
    "text": "short text",
    "grid": "place on the grid",
    "evidence": "find the evidence",
}
MODES = ("practice", "assessment")
ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{1,80}$")
CITE_RE = re.compile(r"^([a-z][a-z0-9-]*\d{4}) ¶(\d+)(?:[–-](\d+))?$")
KEY_FIELDS = ("answer", "also_accept", "explanation", "model_answer")
# `also_accept`: other answers that score as right (see course/exercises/README.md, "Accepting
# several answers"); part of the key, so it leaves the student edition with `answer`
# a text exercise's rubric is not part of the key: students see the criteria they are marked on
SELFCHECK_PREFIX = "vnfr1:"

COMMON_FIELDS = {"id", "type", "prompt", "answer", "explanation", "cites", "points", "outcome",
                 "partial", "selfcheck", "title", "also_accept"}
TYPE_FIELDS = {
    "single": {"options"},
    "multiple": {"options"},
    "classify": {"items", "categories"},
    "order": {"items"},
    "numeric": {"tolerance", "unit", "example"},
    "text": {"rubric", "model_answer", "min_words", "max_words"},
    "grid": {"items", "columns", "rows", "cells"},
    "evidence": {"reading", "claim", "choices"},
}


def exercises_folder(root: Path | str | None = None) -> Path:
    return Path(root or ROOT) / "course" / "exercises"


@dataclass
class Exercise:
    """One exercise, normalised. `spec` holds the type-specific fields (options, items, ...)."""

    id: str
    type: str
    prompt: str
    points: float = 1.0
    outcome: str = ""
    cites: list[str] = field(default_factory=list)
    explanation: str | None = None
    answer: Any = None
    also_accept: Any = None  # normalised per type; None when the bank gives none
    model_answer: str | None = None
    partial: bool = True
    spec: dict = field(default_factory=dict)
    set: str = ""
    line: int | None = None
    has_key: bool = True

    # Convenience views used by scoring and widgets -------------------------------------------
    @property
    def options(self) -> list[tuple[str, str]]:
        """[(id, text)] for single/multiple."""
        return self.spec.get("options", [])

    @property
    def items(self) -> list[tuple[str, str]]:
        """[(id, text)] for classify/order/grid."""
        return self.spec.get("items", [])

    @property
    def categories(self) -> list[str]:
        return self.spec.get("categories", [])

    @property
    def quadrants(self) -> list[tuple[str, str]]:
        """For grid: [(column value, row value)] in reading order (row by row)."""
        cols = self.spec["columns"]["values"]
        rows = self.spec["rows"]["values"]
        return [(c, r) for r in rows for c in cols]

    @property
    def choices(self) -> list[int]:
        """For evidence: the paragraph numbers a student may choose."""
        return self.spec.get("choices", [])


@dataclass
class ExerciseSet:
    set: str
    title: str
    mode: str
    exercises: dict[str, Exercise]
    path: Path
    student_edition: bool = False
    raw: dict = field(default_factory=dict, repr=False)  # the file as parsed

    def __getitem__(self, exercise_id: str) -> Exercise:
        try:
            return self.exercises[exercise_id]
        except KeyError:
            raise KeyError(f"set {self.set!r} has no exercise {exercise_id!r}; "
                           f"it has: {', '.join(self.exercises)}") from None

    def __iter__(self):
        return iter(self.exercises.values())

    def __len__(self) -> int:
        return len(self.exercises)


# --------------------------------------------------------------------------- self-check codec

def encode_selfcheck(payload: dict) -> str:
    """Answer key -> an opaque string (base64 of zlib-compressed JSON). Obscures, does not protect."""
    raw = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode("utf-8")
    return SELFCHECK_PREFIX + base64.b64encode(zlib.compress(raw, 9)).decode("ascii")


def decode_selfcheck(text: str) -> dict:
    if not isinstance(text, str) or not text.startswith(SELFCHECK_PREFIX):
        raise ValueError("not a self-check string")
    return json.loads(zlib.decompress(base64.b64decode(text[len(SELFCHECK_PREFIX):])).decode("utf-8"))


# --------------------------------------------------------------------------- loading

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: about 20 times faster


def parse_yaml(text: str) -> tuple[Any, dict, list[int]]:
    """Parse once: (data, line of each top-level key, line of each exercise), lines 1-based."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()
    top: dict[str, int] = {}
    ex_lines: list[int] = []
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            top[str(k.value)] = k.start_mark.line + 1
            if k.value == "exercises" and isinstance(v, yaml.SequenceNode):
                ex_lines = [item.start_mark.line + 1 for item in v.value]
    return data, top, ex_lines


class _Checker:
    def __init__(self, path: Path, line: int | None, ex_id: str):
        self.path, self.line, self.ex_id = path, line, ex_id

    def fail(self, fieldname: str, message: str):
        raise CourseFileError(self.path, self.line, f"{self.ex_id}.{fieldname}" if fieldname else self.ex_id,
                              f"exercise '{self.ex_id}': {message}")


def _is_text(x) -> bool:
    return type(x) is str and x.strip() != ""


def _labelled_list(ck: _Checker, raw, fieldname: str, minimum: int = 2) -> list[tuple[str, str]]:
    """A list of strings or {id, text} mappings -> [(id, text)] with unique ids."""
    if not isinstance(raw, list) or len(raw) < minimum:
        ck.fail(fieldname, f"'{fieldname}' must be a list of at least {minimum} entries")
    out: list[tuple[str, str]] = []
    for i, entry in enumerate(raw, start=1):
        if isinstance(entry, (int, float)) and not isinstance(entry, bool):
            entry = str(entry)
        if _is_text(entry):
            out.append((entry.strip(), entry.strip()))
        elif isinstance(entry, dict) and _is_text(entry.get("id")) and _is_text(entry.get("text")):
            out.append((entry["id"].strip(), entry["text"].strip()))
        else:
            ck.fail(fieldname, f"{fieldname} entry {i} must be text or {{id, text}}, got {entry!r}")
    ids = [i for i, _ in out]
    dup = sorted({i for i in ids if ids.count(i) > 1})
    if dup:
        ck.fail(fieldname, f"duplicate {fieldname} id(s): {', '.join(dup)}")
    return out


def _axis(ck: _Checker, raw, name: str) -> dict:
    if not isinstance(raw, dict) or not _is_text(raw.get("label")) or not isinstance(raw.get("values"), list):
        ck.fail(name, f"'{name}' must be {{label: ..., values: [...]}}")
    values = raw["values"]
    if not 2 <= len(values) <= 4 or not all(_is_text(v) for v in values) or len(set(values)) != len(values):
        ck.fail(name, f"'{name}.values' must be 2 to 4 distinct texts")
    return {"label": raw["label"], "values": [v.strip() for v in values]}


def _check_cites(ck: _Checker, cites, readings: dict | None):
    if not isinstance(cites, list) or not cites:
        ck.fail("cites", "'cites' must list at least one reading paragraph, like ['quy2024 ¶3']")
    for c in cites:
        m = CITE_RE.match(c) if isinstance(c, str) else None
        if not m:
            ck.fail("cites", f"citation {c!r} must look like 'quy2024 ¶3' or 'quy2024 ¶3–5'")
        if readings is not None:
            _check_paragraphs(ck, "cites", readings, m.group(1), [int(m.group(2))] + ([int(m.group(3))] if m.group(3) else []))


def _check_paragraphs(ck: _Checker, fieldname: str, readings: dict, rid: str, numbers: list[int]):
    r = readings.get(rid)
    if r is None:
        ck.fail(fieldname, f"no reading {rid!r} (readings: {', '.join(readings) or 'none found'})")
    for n in numbers:
        if not 1 <= n <= len(r.paragraphs):
            ck.fail(fieldname, f"reading {rid} has no paragraph ¶{n} (it has ¶1–¶{len(r.paragraphs)})")


def _check_text_citations(ck: _Checker, fieldname: str, text: str | None, readings: dict | None):
    if not text or readings is None:
        return
    from helpers.core.readings import CITE_RE as TEXT_CITE_RE

    for m in TEXT_CITE_RE.finditer(text):
        nums = [int(m.group(2))] + ([int(m.group(3))] if m.group(3) else [])
        _check_paragraphs(ck, fieldname, readings, m.group(1), nums)


def _number(x) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def parse_exercise(raw: dict, path: Path, line: int | None, set_id: str, readings: dict | None,
                   student_edition: bool = False) -> Exercise:
    ex_id = raw.get("id") if isinstance(raw, dict) else None
    ck = _Checker(path, line, ex_id if isinstance(ex_id, str) else "?")
    if not isinstance(raw, dict):
        ck.fail("", "an exercise must be a mapping of fields")
    if not isinstance(ex_id, str) or not ID_RE.match(ex_id):
        ck.fail("id", f"'id' must be lower-case letters, digits and hyphens, got {ex_id!r}")
    etype = raw.get("type")
    if etype not in TYPES:
        ck.fail("type", f"unknown type {etype!r}; types are {', '.join(TYPES)}")
    unknown = set(raw) - COMMON_FIELDS - TYPE_FIELDS[etype]
    if unknown:
        ck.fail(sorted(unknown)[0], f"unknown field(s) for type {etype}: {', '.join(sorted(unknown))}")
    if not _is_text(raw.get("prompt")):
        ck.fail("prompt", "'prompt' (Markdown) is missing or empty")
    points = raw.get("points", 1)
    if not _number(points) or points <= 0:
        ck.fail("points", f"'points' must be a positive number, got {points!r}")
    outcome = raw.get("outcome", "")
    if not isinstance(outcome, str):
        ck.fail("outcome", "'outcome' must be text such as 'SP-2'")
    partial = raw.get("partial", True)
    if not isinstance(partial, bool):
        ck.fail("partial", "'partial' must be true or false")
    _check_cites(ck, raw.get("cites"), readings)
    _check_text_citations(ck, "prompt", raw.get("prompt"), readings)

    # The key: in plain text (instructor), encoded (student edition, practice) or absent.
    key = {k: raw.get(k) for k in KEY_FIELDS if k in raw}
    if "selfcheck" in raw:
        if not student_edition:
            ck.fail("selfcheck", "'selfcheck' belongs only in student-edition banks")
        try:
            key = decode_selfcheck(raw["selfcheck"])
        except Exception:
            ck.fail("selfcheck", "'selfcheck' does not decode")
    elif student_edition and any(k in raw for k in KEY_FIELDS):
        ck.fail("answer", "a student-edition bank must not carry the key in plain text")
    has_key = bool(key) and (etype == "text" or "answer" in key)
    if not student_edition:
        if etype != "text" and "answer" not in key:
            ck.fail("answer", "'answer' (the key) is missing")
        if etype == "text" and "answer" in key:
            ck.fail("answer", "a text exercise has no 'answer'; give a 'rubric' and a 'model_answer'")
        if not _is_text(key.get("explanation")):
            ck.fail("explanation", "'explanation' (Markdown citing the reading) is missing")
    if key.get("explanation") is not None and not isinstance(key.get("explanation"), str):
        ck.fail("explanation", "'explanation' must be text")
    _check_text_citations(ck, "explanation", key.get("explanation"), readings)

    spec: dict[str, Any] = {}
    answer = key.get("answer")
    if etype in ("single", "multiple"):
        spec["options"] = _labelled_list(ck, raw.get("options"), "options")
        ids = [i for i, _ in spec["options"]]
        if "answer" in key:
            if etype == "single":
                answer = str(answer) if _number(answer) else answer
                if answer not in ids:
                    ck.fail("answer", f"the key {answer!r} is not among the options ({', '.join(ids)})")
            else:
                if not isinstance(answer, list) or not answer:
                    ck.fail("answer", "the key of a multiple-choice exercise is a non-empty list of options")
                answer = [str(a) if _number(a) else a for a in answer]
                bad = [a for a in answer if a not in ids]
                if bad:
                    ck.fail("answer", f"key {bad[0]!r} is not among the options ({', '.join(ids)})")
                if len(set(answer)) != len(answer):
                    ck.fail("answer", "the key lists an option twice")
    elif etype in ("classify", "order", "grid"):
        spec["items"] = _labelled_list(ck, raw.get("items"), "items")
        item_ids = [i for i, _ in spec["items"]]
        if etype == "classify":
            cats = raw.get("categories")
            if not isinstance(cats, list) or len(cats) < 2 or not all(_is_text(c) for c in cats) \
                    or len(set(cats)) != len(cats):
                ck.fail("categories", "'categories' must be a list of at least 2 distinct texts")
            spec["categories"] = [c.strip() for c in cats]
        if etype == "grid":
            spec["columns"] = _axis(ck, raw.get("columns"), "columns")
            spec["rows"] = _axis(ck, raw.get("rows"), "rows")
            cells = raw.get("cells", {}) or {}
            if not isinstance(cells, dict) or not all(isinstance(v, str) for v in cells.values()):
                ck.fail("cells", "'cells' maps 'column|row' to a label")
            spec["cells"] = dict(cells)
        if "answer" in key:
            if etype == "order":
                if not isinstance(answer, list) or sorted(map(str, answer)) != sorted(item_ids):
                    ck.fail("answer", f"the key must list every item id once, in order ({', '.join(item_ids)})")
                answer = [str(a) for a in answer]
            else:
                if not isinstance(answer, dict) or sorted(map(str, answer)) != sorted(item_ids):
                    ck.fail("answer", f"the key must map every item id ({', '.join(item_ids)}) to its place")
                answer = {str(k): v for k, v in answer.items()}
                for item, place in answer.items():
                    if etype == "classify" and place not in spec["categories"]:
                        ck.fail("answer", f"key for {item!r}: {place!r} is not among the categories")
                    if etype == "grid":
                        if not (isinstance(place, list) and len(place) == 2
                                and place[0] in spec["columns"]["values"] and place[1] in spec["rows"]["values"]):
                            ck.fail("answer", f"key for {item!r}: {place!r} must be [column value, row value]")
    elif etype == "numeric":
        tol = raw.get("tolerance", 0)
        if not _number(tol) or tol < 0:
            ck.fail("tolerance", "'tolerance' must be a number >= 0")
        spec["tolerance"] = float(tol)
        if raw.get("unit") is not None and not isinstance(raw.get("unit"), str):
            ck.fail("unit", "'unit' must be text")
        spec["unit"] = raw.get("unit") or ""
        spec["example"] = str(raw.get("example", "12.5"))
        if "answer" in key and not _number(answer):
            ck.fail("answer", f"the key of a numeric exercise must be a number, got {answer!r}")
    elif etype == "text":
        rubric = raw.get("rubric", key.get("rubric"))
        if rubric is None and student_edition:
            rubric = []
        elif not isinstance(rubric, list) or not rubric or not all(_is_text(r) for r in rubric):
            ck.fail("rubric", "'rubric' must be a non-empty list of criteria")
        spec["rubric"] = rubric
        for f in ("min_words", "max_words"):
            v = raw.get(f)
            if v is not None and (type(v) is not int or v < 0):
                ck.fail(f, f"'{f}' must be a whole number")
            spec[f] = v
        if key.get("model_answer") is not None and not isinstance(key.get("model_answer"), str):
            ck.fail("model_answer", "'model_answer' must be text")
        _check_text_citations(ck, "model_answer", key.get("model_answer"), readings)
    elif etype == "evidence":
        rid = raw.get("reading")
        if not _is_text(rid):
            ck.fail("reading", "'reading' (a reading id such as quytung2009) is missing")
        if not _is_text(raw.get("claim")):
            ck.fail("claim", "'claim' (the statement to find evidence for) is missing")
        spec["reading"] = rid
        spec["claim"] = raw["claim"]
        choices = raw.get("choices")
        if readings is not None:
            if rid not in readings:
                ck.fail("reading", f"no reading {rid!r} (readings: {', '.join(readings) or 'none found'})")
            n = len(readings[rid].paragraphs)
            if choices is None:
                choices = list(range(1, n + 1))
        if choices is not None:
            if not isinstance(choices, list) or len(choices) < 2 or not all(type(c) is int for c in choices):
                ck.fail("choices", "'choices' must be a list of at least 2 paragraph numbers")
            if readings is not None:
                _check_paragraphs(ck, "choices", readings, rid, choices)
        spec["choices"] = list(choices or [])
        if "answer" in key:
            keys = answer if isinstance(answer, list) else [answer]
            if not keys or not all(type(a) is int for a in keys):
                ck.fail("answer", "the key of an evidence exercise is a paragraph number (or a list of them)")
            if readings is not None:
                _check_paragraphs(ck, "answer", readings, rid, keys)
            if spec["choices"] and any(a not in spec["choices"] for a in keys):
                ck.fail("answer", "the key paragraph is not among the 'choices'")
            answer = sorted(set(keys))

    also = _check_also_accept(ck, etype, key, spec, answer) if "also_accept" in key else None

    return Exercise(
        id=ex_id, type=etype, prompt=raw["prompt"], points=float(points), outcome=outcome,
        cites=list(raw["cites"]), explanation=key.get("explanation"), answer=answer, also_accept=also,
        model_answer=key.get("model_answer"), partial=partial, spec=spec, set=set_id, line=line,
        has_key=has_key,
    )


def _check_also_accept(ck, etype: str, key: dict, spec: dict, answer):
    """Validate and normalise `also_accept`: other answers that score as right.

    single/multiple: a list of option ids (single: each is a right answer too; multiple: options
    that are neither right nor wrong); classify: {item id: [category, ...]}; grid: {item id:
    [[column value, row value], ...]}; order: a list of other complete orders; numeric: a list
    of other keys (each with the exercise's tolerance). text and evidence exercises have none
    (an evidence key is already a list of acceptable paragraphs).
    """
    also = key["also_accept"]
    if "answer" not in key:
        ck.fail("also_accept", "'also_accept' needs an 'answer'")
    if etype in ("text", "evidence"):
        ck.fail("also_accept", f"a {etype} exercise takes no 'also_accept'"
                + ("; give 'answer' as a list of paragraphs" if etype == "evidence" else ""))
    if etype in ("single", "multiple"):
        ids = [i for i, _ in spec["options"]]
        if not isinstance(also, list) or not also:
            ck.fail("also_accept", "'also_accept' is a non-empty list of option ids")
        also = [str(a) if _number(a) else a for a in also]
        keyed = [answer] if etype == "single" else answer
        for a in also:
            if a not in ids:
                ck.fail("also_accept", f"{a!r} is not among the options ({', '.join(ids)})")
            if a in keyed:
                ck.fail("also_accept", f"{a!r} is already the key")
        if len(set(also)) != len(also):
            ck.fail("also_accept", "an option is listed twice")
        return list(also)
    if etype in ("classify", "grid"):
        if not isinstance(also, dict) or not also:
            ck.fail("also_accept", "'also_accept' maps an item id to a list of other right places")
        out = {}
        item_ids = [i for i, _ in spec["items"]]
        for item, places in also.items():
            item = str(item)
            if item not in item_ids:
                ck.fail("also_accept", f"{item!r} is not one of the items ({', '.join(item_ids)})")
            if not isinstance(places, list) or not places:
                ck.fail("also_accept", f"places for {item!r} must be a non-empty list")
            for place in places:
                if etype == "classify" and place not in spec["categories"]:
                    ck.fail("also_accept", f"for {item!r}: {place!r} is not among the categories")
                if etype == "grid" and not (isinstance(place, list) and len(place) == 2
                                            and place[0] in spec["columns"]["values"]
                                            and place[1] in spec["rows"]["values"]):
                    ck.fail("also_accept", f"for {item!r}: {place!r} must be [column value, row value]")
                if place == answer[item]:
                    ck.fail("also_accept", f"for {item!r}: {place!r} is already the key")
            out[item] = [list(p) if isinstance(p, list) else p for p in places]
        return out
    if etype == "order":
        item_ids = [i for i, _ in spec["items"]]
        if not isinstance(also, list) or not also:
            ck.fail("also_accept", "'also_accept' is a list of other complete orders")
        out = []
        for order in also:
            if not isinstance(order, list) or sorted(map(str, order)) != sorted(item_ids):
                ck.fail("also_accept", f"each other order must list every item id once ({', '.join(item_ids)})")
            order = [str(a) for a in order]
            if order == answer or order in out:
                ck.fail("also_accept", "an order is listed twice, or is the key")
            out.append(order)
        return out
    if etype == "numeric":
        if not isinstance(also, list) or not also or not all(_number(a) for a in also):
            ck.fail("also_accept", "'also_accept' is a non-empty list of numbers")
        return list(also)
    return None


def load_bank(path: Path | str, readings: dict | None = None, check_citations: bool = True) -> ExerciseSet:
    """Load and validate one bank file. Citations are checked against the course readings."""
    path = Path(path)
    if readings is None and check_citations:
        from helpers.core.readings import load_readings

        readings = load_readings(path.parent.parent.parent / "seeds")
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CourseFileError(path, None, None, "exercise bank not found") from None
    try:
        data, top, ex_lines = parse_yaml(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise CourseFileError(path, mark.line + 1 if mark else None, None, f"YAML does not parse: {exc}") from None
    if not isinstance(data, dict):
        raise CourseFileError(path, 1, None, "a bank is a mapping with set, title, mode, exercises")
    set_id = data.get("set")
    if set_id != path.stem:
        raise CourseFileError(path, top.get("set", 1), "set", f"'set' must be {path.stem!r} (the file name), got {set_id!r}")
    if not _is_text(data.get("title")):
        raise CourseFileError(path, top.get("title", 1), "title", "'title' is missing")
    mode = data.get("mode")
    if mode not in MODES:
        raise CourseFileError(path, top.get("mode", 1), "mode", f"'mode' must be practice or assessment, got {mode!r}")
    student = bool(data.get("student_edition", False))
    raws = data.get("exercises")
    if not isinstance(raws, list) or not raws:
        raise CourseFileError(path, top.get("exercises", 1), "exercises", "'exercises' must be a non-empty list")
    exercises: dict[str, Exercise] = {}
    for i, raw in enumerate(raws):
        line = ex_lines[i] if i < len(ex_lines) else None
        ex = parse_exercise(raw, path, line, set_id, readings if check_citations else None, student)
        if ex.id in exercises:
            raise CourseFileError(path, line, f"{ex.id}.id",
                                  f"exercise '{ex.id}': duplicate id (also at line {exercises[ex.id].line})")
        exercises[ex.id] = ex
    return ExerciseSet(set_id, data["title"], mode, exercises, path, student, raw=data)


def bank_path(set_id: str, root: Path | str | None = None) -> Path:
    return exercises_folder(root) / f"{set_id}.yml"


def load_set_bank(set_id: str, root: Path | str | None = None) -> ExerciseSet:
    return load_bank(bank_path(set_id, root))


def load_all(root: Path | str | None = None, check_citations: bool = True) -> dict[str, ExerciseSet]:
    """Every bank of the course, checking that exercise ids are unique across the course."""
    sets: dict[str, ExerciseSet] = {}
    seen: dict[str, Path] = {}
    readings = None
    if check_citations:
        from helpers.core.readings import load_readings

        readings = load_readings(Path(root or ROOT) / "seeds")
    for path in sorted(exercises_folder(root).glob("*.yml")):
        bank = load_bank(path, readings, check_citations)
        for ex in bank:
            if ex.id in seen:
                raise CourseFileError(path, ex.line, f"{ex.id}.id",
                                      f"exercise '{ex.id}': duplicate id (also in {seen[ex.id].name})")
            seen[ex.id] = path
        sets[bank.set] = bank
    return sets
