"""The exercise banks as LMS quizzes: ``python -m helpers export --format qti|moodle-xml|gift --out DIR [--set SET]``.

* ``qti``: QTI 1.2 as Canvas's own quiz export writes it (``questestinterop`` → ``assessment`` →
  ``section`` → ``item``, with ``question_type`` and ``points_possible`` in ``qtimetadata``),
  one ``<set>.xml`` per set and a ``<set>-canvas-qti.zip`` package with its ``imsmanifest.xml``
  for Canvas's *Import course content → QTI .zip file*;
* ``moodle-xml``: Moodle XML (``quiz`` → ``question type=...``), one ``<set>.moodle.xml`` per set;
* ``gift``: Moodle's GIFT text format, one ``<set>.gift.txt`` per set.

Every auto-scored exercise becomes a scored question, every written one an essay question; the
explanation becomes the general feedback. Partial credit is mapped as closely as each format
allows; each ``Question.notes`` says where it cannot be, and the command prints a line for each exercise
concerned (course/grading.md, "The banks as LMS quizzes", has the table). Only the instructor's
banks can be exported: a student-edition bank has no key and is refused.
"""
from __future__ import annotations

import argparse
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree as ET

FORMATS = ("qti", "moodle-xml", "gift")

# Moodle keeps an answer's fraction only if it is one of its grade options (``question_bank::
# fraction_options_full``): 1/n for n = 1..10 and 20, 0.9, 0.8, 0.7, 0.6, 0.4, 0.3, and their negatives.
MOODLE_FRACTIONS = sorted({round(1 / n, 7) for n in (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 20)}
                          | {0.9, 0.8, 0.7, 0.6, 0.4, 0.3, 0.0})


class ExportError(ValueError):
    """The banks cannot be exported (a student edition, an unknown set)."""


@dataclass
class Choice:
    id: str
    text: str
    fraction: float  # share of the points for choosing it (negative: a deduction)


@dataclass
class Question:
    """One exercise in the shape all three formats share."""

    id: str
    set: str
    kind: str  # "choice", "match", "numerical", "essay"
    title: str
    prompt: str  # Markdown
    feedback: str  # general feedback (the explanation), Markdown
    points: float
    single: bool = True
    choices: list[Choice] = field(default_factory=list)
    pairs: list[tuple[str, str, str]] = field(default_factory=list)  # (item id, item text, right answer text)
    answers: list[str] = field(default_factory=list)  # every answer offered in a match (incl. distractors)
    numbers: list[tuple[float, float]] = field(default_factory=list)  # (value, tolerance)
    grader_info: str = ""  # essay: rubric and model answer, for the marker
    notes: list[str] = field(default_factory=list)  # where the format cannot carry the course's rule
    source_type: str = ""


def _ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def _grid_label(ex, place) -> str:
    cols, rows = ex.spec["columns"], ex.spec["rows"]
    cell = (ex.spec.get("cells") or {}).get(f"{place[0]}|{place[1]}")
    base = f"{place[0]} {cols['label']} · {place[1]} {rows['label']}"
    return f"{cell} ({base})" if cell else base


def question_of(ex, passages: dict | None = None) -> Question:
    """The exercise as a ``Question``: the course's scoring rule mapped as closely as can be."""
    passages = passages or {}
    q = Question(ex.id, ex.set, "choice", ex.id, ex.prompt.strip(), (ex.explanation or "").strip(),
                 float(ex.points), source_type=ex.type)
    also = ex.also_accept
    if ex.type == "single":
        right = {ex.answer, *(also or [])}
        q.choices = [Choice(i, t, 1.0 if i in right else 0.0) for i, t in ex.options]
    elif ex.type == "multiple":
        q.single = False
        neutral = set(also or [])
        n = len(ex.answer)
        q.choices = [Choice(i, t, (1 / n) if i in ex.answer else 0.0 if i in neutral else (-1 / n if ex.partial else -1.0))
                     for i, t in ex.options]
        if not ex.partial:
            q.notes.append("all or nothing: each format gives partial credit for some right options "
                           "(a wrong option costs all the points)")
        if neutral:
            q.notes.append("options neither right nor wrong (also_accept) are worth 0")
    elif ex.type == "evidence":
        keys = set(ex.answer if isinstance(ex.answer, list) else [ex.answer])
        reading = ex.spec["reading"]
        choices = ex.choices or sorted(n for (r, n) in passages if r == reading)
        q.prompt += f"\n\nClaim: {ex.spec['claim']}\n\nWhich paragraph of {reading} supports it?"
        q.choices = [Choice(str(n), f"¶{n}" + (f": {passages[(reading, n)]}" if (reading, n) in passages else ""),
                            1.0 if n in keys else 0.0) for n in choices]
    elif ex.type in ("classify", "grid", "order"):
        q.kind = "match"
        texts = dict(ex.items)
        if ex.type == "classify":
            q.pairs = [(i, texts[i], ex.answer[i]) for i, _ in ex.items]
            q.answers = list(ex.categories)
        elif ex.type == "grid":
            q.pairs = [(i, texts[i], _grid_label(ex, ex.answer[i])) for i, _ in ex.items]
            q.answers = [_grid_label(ex, p) for p in ex.quadrants]
        else:
            q.pairs = [(i, texts[i], _ordinal(pos + 1)) for pos, i in enumerate(ex.answer)]
            q.answers = [_ordinal(k + 1) for k in range(len(ex.answer))]
            q.notes.append("order: scored as the share of items in the right place, not the share of pairs "
                           "in the right order")
            if also:
                q.notes.append("other accepted orders (also_accept) cannot be given; only the key's order scores")
        if ex.type in ("classify", "grid") and also:
            q.notes.append("other right places (also_accept) cannot be given: one right answer per item")
        if not ex.partial:
            q.notes.append("all or nothing: the formats give a share of the points per item placed right")
    elif ex.type == "numeric":
        q.kind = "numerical"
        tol = float(ex.spec.get("tolerance", 0.0))
        q.numbers = [(float(v), tol) for v in [ex.answer, *(also or [])]]
        if ex.spec.get("unit"):
            q.prompt += f"\n\n(Answer in {ex.spec['unit']}.)"
    elif ex.type == "text":
        q.kind = "essay"
        rubric = ex.spec.get("rubric") or []
        words = [f"at least {ex.spec['min_words']} words" if ex.spec.get("min_words") else "",
                 f"at most {ex.spec['max_words']} words" if ex.spec.get("max_words") else ""]
        words = " and ".join(w for w in words if w)
        if rubric:
            q.prompt += "\n\nYou are marked on:\n\n" + "\n".join(f"- {r}" for r in rubric)
        if words:
            q.prompt += f"\n\nWrite {words}."
        q.grader_info = "Rubric:\n\n" + "\n".join(f"- {r}" for r in rubric)
        if ex.model_answer:
            q.grader_info += f"\n\nModel answer:\n\n{ex.model_answer.strip()}"
    else:
        raise ExportError(f"{ex.id}: exercise type {ex.type!r} has no LMS form")
    return q


def load_questions(bank_dir: Path | str | None = None, set_id: str | None = None) -> dict[str, tuple[str, list[Question]]]:
    """{set id: (title, questions)} from the instructor's banks; refuses a student edition."""
    from helpers.exercises.bank import exercises_folder, load_bank
    from helpers.core.readings import load_readings

    folder = Path(bank_dir) if bank_dir else exercises_folder()
    paths = sorted(folder.glob("*.yml"))
    if not paths:
        raise ExportError(f"no exercise banks in {folder}")
    try:
        readings = load_readings()
        passages = {(r.id, p.number): _first_words(p.text) for r in readings.values() for p in r.paragraphs}
    except Exception:
        passages = {}
    out: dict[str, tuple[str, list[Question]]] = {}
    for path in paths:
        s = load_bank(path, check_citations=False)
        if s.student_edition:
            raise ExportError(f"{path} is a student-edition bank: it has no answer key to export. "
                              "Export from the instructor's copy of the course (course/exercises/).")
        if set_id and s.set != set_id:
            continue
        out[s.set] = (s.title, [question_of(ex, passages) for ex in s.exercises.values()])
    if set_id and set_id not in out:
        raise ExportError(f"no set {set_id!r} in {folder}")
    return out


def _first_words(text: str, n: int = 10) -> str:
    from .reteach import first_words

    return first_words(text, n)


# ---------------------------------------------------------------- QTI 1.2 (Canvas)

QTI_NS = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
CANVAS_TYPES = {"choice": ("multiple_choice_question", "multiple_answers_question"),
                "match": "matching_question", "numerical": "numerical_question", "essay": "essay_question"}


def _html(markdown_text: str) -> str:
    import mistune

    return mistune.html(markdown_text)


def _mattext(parent, text: str, html: bool = True):
    mat = ET.SubElement(parent, "material")
    node = ET.SubElement(mat, "mattext", texttype="text/html" if html else "text/plain")
    node.text = _html(text) if html else text
    return mat


def _meta(parent, label: str, value) -> None:
    f = ET.SubElement(parent, "qtimetadatafield")
    ET.SubElement(f, "fieldlabel").text = label
    ET.SubElement(f, "fieldentry").text = str(value)


def _fmt(x: float) -> str:
    return f"{x:.7f}".rstrip("0").rstrip(".") if x != int(x) else str(int(x))


def qti_item(section, q: Question) -> None:
    qtype = CANVAS_TYPES[q.kind]
    if q.kind == "choice":
        qtype = qtype[0] if q.single else qtype[1]
    item = ET.SubElement(section, "item", ident=q.id, title=q.title)
    meta = ET.SubElement(ET.SubElement(item, "itemmetadata"), "qtimetadata")
    _meta(meta, "question_type", qtype)
    _meta(meta, "points_possible", _fmt(q.points))
    pres = ET.SubElement(item, "presentation")
    _mattext(pres, q.prompt)
    proc = ET.SubElement(item, "resprocessing")
    ET.SubElement(ET.SubElement(proc, "outcomes"), "decvar", maxvalue="100", minvalue="0", varname="SCORE",
                  vartype="Decimal")
    if q.feedback:
        cond = ET.SubElement(proc, "respcondition", {"continue": "Yes"})
        ET.SubElement(ET.SubElement(cond, "conditionvar"), "other")
        ET.SubElement(cond, "displayfeedback", feedbacktype="Response", linkrefid="general_fb")
    if q.kind == "choice":
        lid = ET.SubElement(pres, "response_lid", ident="response1", rcardinality="Single" if q.single else "Multiple")
        rc = ET.SubElement(lid, "render_choice")
        for c in q.choices:
            _mattext(ET.SubElement(rc, "response_label", ident=c.id), c.text, html=False)
        if q.single:
            for c in q.choices:
                if c.fraction > 0:
                    cond = ET.SubElement(proc, "respcondition", {"continue": "No"})
                    ET.SubElement(ET.SubElement(cond, "conditionvar"), "varequal", respident="response1").text = c.id
                    ET.SubElement(cond, "setvar", action="Set", varname="SCORE").text = _fmt(100 * c.fraction)
        else:
            cond = ET.SubElement(proc, "respcondition", {"continue": "No"})
            both = ET.SubElement(ET.SubElement(cond, "conditionvar"), "and")
            for c in q.choices:
                if c.fraction > 0:
                    ET.SubElement(both, "varequal", respident="response1").text = c.id
                elif c.fraction < 0:
                    ET.SubElement(ET.SubElement(both, "not"), "varequal", respident="response1").text = c.id
            ET.SubElement(cond, "setvar", action="Set", varname="SCORE").text = "100"
    elif q.kind == "match":
        ids = {a: f"{q.id}-{k + 1}" for k, a in enumerate(q.answers)}
        share = _fmt(100 / len(q.pairs))
        for item_id, text, right in q.pairs:
            lid = ET.SubElement(pres, "response_lid", ident=f"response_{item_id}")
            _mattext(lid, text, html=False)
            rc = ET.SubElement(lid, "render_choice")
            for a in q.answers:
                _mattext(ET.SubElement(rc, "response_label", ident=ids[a]), a, html=False)
            cond = ET.SubElement(proc, "respcondition")
            ET.SubElement(ET.SubElement(cond, "conditionvar"), "varequal", respident=f"response_{item_id}").text = ids[right]
            ET.SubElement(cond, "setvar", varname="SCORE", action="Add").text = share
    elif q.kind == "numerical":
        fib = ET.SubElement(ET.SubElement(pres, "response_str", ident="response1", rcardinality="Single"),
                            "render_fib", fibtype="Decimal")
        ET.SubElement(fib, "response_label", ident="answer1")
        for value, tol in q.numbers:
            cond = ET.SubElement(proc, "respcondition", {"continue": "No"})
            either = ET.SubElement(ET.SubElement(cond, "conditionvar"), "or")
            ET.SubElement(either, "varequal", respident="response1").text = _fmt(value)
            if tol:
                both = ET.SubElement(either, "and")
                ET.SubElement(both, "vargte", respident="response1").text = _fmt(value - tol)
                ET.SubElement(both, "varlte", respident="response1").text = _fmt(value + tol)
            ET.SubElement(cond, "setvar", action="Set", varname="SCORE").text = "100"
    else:  # essay
        fib = ET.SubElement(ET.SubElement(pres, "response_str", ident="response1", rcardinality="Single"), "render_fib")
        ET.SubElement(fib, "response_label", ident="answer1", rshuffle="No")
        cond = ET.SubElement(proc, "respcondition", {"continue": "No"})
        ET.SubElement(ET.SubElement(cond, "conditionvar"), "other")
    if q.feedback:
        fb = ET.SubElement(item, "itemfeedback", ident="general_fb")
        _mattext(ET.SubElement(fb, "flow_mat"), q.feedback)


def qti_document(set_id: str, title: str, questions: list[Question]) -> ET.ElementTree:
    root = ET.Element("questestinterop", xmlns=QTI_NS)
    assessment = ET.SubElement(root, "assessment", ident=set_id, title=title)
    meta = ET.SubElement(assessment, "qtimetadata")
    _meta(meta, "cc_maxattempts", 1)
    section = ET.SubElement(assessment, "section", ident="root_section")
    for q in questions:
        qti_item(section, q)
    ET.indent(root)
    return ET.ElementTree(root)


MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="{set}-manifest" xmlns="http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1">
  <metadata><schema>IMS Content</schema><schemaversion>1.1.3</schemaversion></metadata>
  <organizations/>
  <resources>
    <resource identifier="{set}" type="imsqti_xmlv1p2"><file href="{set}/{set}.xml"/></resource>
  </resources>
</manifest>
"""


def write_qti(out: Path, set_id: str, title: str, questions: list[Question]) -> list[Path]:
    xml = out / f"{set_id}.qti.xml"
    qti_document(set_id, title, questions).write(xml, encoding="UTF-8", xml_declaration=True)
    package = out / f"{set_id}-canvas-qti.zip"
    with zipfile.ZipFile(package, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("imsmanifest.xml", MANIFEST.format(set=set_id))
        z.write(xml, f"{set_id}/{set_id}.xml")
    return [xml, package]


# ---------------------------------------------------------------- Moodle XML

def _text(parent, tag: str, text: str, fmt: str | None = "markdown", **attrs):
    node = ET.SubElement(parent, tag, **({"format": fmt} if fmt else {}), **attrs)
    ET.SubElement(node, "text").text = text
    return node


def moodle_fraction(x: float) -> str:
    """A Moodle grade option in %, the nearest one to ``x`` (a share)."""
    sign = -1 if x < 0 else 1
    nearest = min(MOODLE_FRACTIONS, key=lambda f: abs(f - abs(x)))
    return _fmt(round(sign * nearest * 100, 5))


MOODLE_TYPES = {"choice": "multichoice", "match": "matching", "numerical": "numerical", "essay": "essay"}


def moodle_question(quiz, q: Question) -> None:
    node = ET.SubElement(quiz, "question", type=MOODLE_TYPES[q.kind])
    _text(node, "name", q.title, fmt=None)
    _text(node, "questiontext", q.prompt)
    _text(node, "generalfeedback", q.feedback)
    ET.SubElement(node, "defaultgrade").text = _fmt(q.points)
    ET.SubElement(node, "penalty").text = "0"
    ET.SubElement(node, "hidden").text = "0"
    ET.SubElement(node, "idnumber").text = q.id
    if q.kind == "choice":
        ET.SubElement(node, "single").text = "true" if q.single else "false"
        ET.SubElement(node, "shuffleanswers").text = "true"
        ET.SubElement(node, "answernumbering").text = "abc"
        for c in q.choices:
            a = _text(node, "answer", c.text, fraction=moodle_fraction(c.fraction))
            _text(a, "feedback", "")
    elif q.kind == "match":
        ET.SubElement(node, "shuffleanswers").text = "true"
        for _, text, right in q.pairs:
            sub = _text(node, "subquestion", text)
            ET.SubElement(ET.SubElement(sub, "answer"), "text").text = right
        for extra in [a for a in q.answers if a not in {r for _, _, r in q.pairs}]:
            sub = _text(node, "subquestion", "")  # Moodle: a subquestion with no text adds a wrong answer
            ET.SubElement(ET.SubElement(sub, "answer"), "text").text = extra
    elif q.kind == "numerical":
        for value, tol in q.numbers:
            a = _text(node, "answer", _fmt(value), fmt=None, fraction="100")
            ET.SubElement(a, "tolerance").text = _fmt(tol)
            _text(a, "feedback", "")
    else:
        ET.SubElement(node, "responseformat").text = "editor"
        ET.SubElement(node, "responserequired").text = "1"
        ET.SubElement(node, "responsefieldlines").text = "15"
        ET.SubElement(node, "attachments").text = "0"
        _text(node, "graderinfo", q.grader_info)
        _text(node, "responsetemplate", "", fmt="html")


def moodle_document(set_id: str, title: str, questions: list[Question]) -> ET.ElementTree:
    quiz = ET.Element("quiz")
    cat = ET.SubElement(quiz, "question", type="category")
    _text(cat, "category", f"$course$/top/{title}", fmt=None)
    for q in questions:
        moodle_question(quiz, q)
    ET.indent(quiz)
    return ET.ElementTree(quiz)


def write_moodle(out: Path, set_id: str, title: str, questions: list[Question]) -> list[Path]:
    path = out / f"{set_id}.moodle.xml"
    moodle_document(set_id, title, questions).write(path, encoding="UTF-8", xml_declaration=True)
    return [path]


# ---------------------------------------------------------------- GIFT

def gift_escape(text: str) -> str:
    """Moodle's GIFT escaping (``repchar``): \\ # = ~ { } : and new lines."""
    for a, b in (("\\", "\\\\"), ("#", "\\#"), ("=", "\\="), ("~", "\\~"), ("{", "\\{"), ("}", "\\}"),
                 (":", "\\:"), ("\r", ""), ("\n", "\\n")):
        text = text.replace(a, b)
    return text


def gift_question(q: Question) -> str:
    lines = [f"// {q.id} ({q.source_type}, {q.points:g} point{'s' if q.points != 1 else ''})",
             f"::{gift_escape(q.title)}::[markdown]{gift_escape(q.prompt)}{{"]
    if q.kind == "choice":
        for c in q.choices:
            if q.single and c.fraction == 1:
                mark = "="
            elif c.fraction == 0:
                mark = "~"
            else:
                mark = f"~%{moodle_fraction(c.fraction)}%"
            lines.append(f"\t{mark}{gift_escape(c.text)}")
    elif q.kind == "match":
        for _, text, right in q.pairs:
            lines.append(f"\t={gift_escape(text).replace('->', '- >')} -> {gift_escape(right)}")
        for extra in [a for a in q.answers if a not in {r for _, _, r in q.pairs}]:
            lines.append(f"\t= -> {gift_escape(extra)}")
    elif q.kind == "numerical":
        lines[-1] += "#"
        for value, tol in q.numbers:
            lines.append(f"\t=%100%{_fmt(value)}:{_fmt(tol)}")
    if q.feedback:
        lines.append(f"\t####{gift_escape(q.feedback)}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def write_gift(out: Path, set_id: str, title: str, questions: list[Question]) -> list[Path]:
    path = out / f"{set_id}.gift.txt"
    body = f"// {title} ({set_id}): exported by python -m helpers export\n\n$CATEGORY: $course$/top/{gift_escape(title)}\n\n"
    body += "\n".join(gift_question(q) for q in questions)
    path.write_text(body, encoding="utf-8")
    return [path]


WRITERS = {"qti": write_qti, "moodle-xml": write_moodle, "gift": write_gift}


def export(fmt: str, out: Path | str, set_id: str | None = None, bank_dir: Path | str | None = None):
    """Write the files; returns (paths written, [(exercise id, note)])."""
    if fmt not in WRITERS:
        raise ExportError(f"unknown format {fmt!r} (formats: {', '.join(FORMATS)})")
    sets = load_questions(bank_dir, set_id)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written, notes = [], []
    for sid, (title, questions) in sets.items():
        written += WRITERS[fmt](out, sid, title, questions)
        for q in questions:
            notes += [(q.id, n) for n in q.notes]
            if fmt == "gift" and q.kind == "essay" and q.grader_info:
                notes.append((q.id, "GIFT has no grader information: the rubric is in the prompt, the model answer is not exported"))
            if q.kind == "choice" and not q.single and fmt == "qti":
                notes.append((q.id, "Canvas applies its own partial credit to multiple-answers questions; the file marks the right options"))
    return written, notes


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m helpers export",
                                description="Write the exercise banks as LMS quizzes: QTI 1.2 for Canvas, "
                                            "Moodle XML or GIFT (from the instructor's copy only).")
    p.add_argument("--format", required=True, choices=FORMATS)
    p.add_argument("--out", required=True, type=Path, help="folder for the files (created if missing)")
    p.add_argument("--set", dest="set_id", metavar="SET", help="one set only, e.g. 02-new-diplomacy")
    p.add_argument("--bank", type=Path, help="folder of exercise banks (default: course/exercises)")
    args = p.parse_args(argv)
    from helpers.core.errors import CourseFileError

    try:
        written, notes = export(args.format, args.out, args.set_id, args.bank)
    except (ExportError, CourseFileError) as err:
        print(f"export: {err}", file=sys.stderr)
        return 2
    for ex_id, note in notes:
        print(f"  {ex_id}: {note}")
    print(f"Wrote {len(written)} file(s) in {args.out}: {', '.join(p.name for p in written)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
