"""The banks as LMS quizzes: each file is well formed, uses the element names Canvas's QTI importer
and Moodle's XML and GIFT importers read, and gives back every question, option and key."""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

import mistune
import pytest
import yaml
from defusedxml import ElementTree as SafeET

from helpers import ROOT
from helpers.grading.export import ExportError, export, load_questions, main, moodle_fraction
from helpers.publishing.release import student_bank

QTI = "{http://www.imsglobal.org/xsd/ims_qtiasiv1p2}"
CANVAS_TYPES = {"multiple_choice_question", "multiple_answers_question", "matching_question",
                "numerical_question", "essay_question"}


@pytest.fixture(scope="module")
def course():
    return load_questions()


def expected(q):
    """What a re-read file must give back: the key as the format carries it."""
    out = {"kind": q.kind, "points": q.points, "title": q.title}
    if q.kind == "choice":
        out["choices"] = [(c.text, round(c.fraction, 4)) for c in q.choices]
    elif q.kind == "match":
        out["pairs"] = [(t, r) for _, t, r in q.pairs]
        out["answers"] = sorted(q.answers)
    elif q.kind == "numerical":
        out["numbers"] = q.numbers
    return out


def flat(pairs) -> list[float]:
    return [x for pair in pairs for x in pair]


def fraction_back(percent: str) -> float:
    return round(float(percent) / 100, 4)


# ------------------------------------------------------------------ QTI

def read_qti(path: Path) -> dict:
    root = SafeET.parse(path).getroot()
    assert root.tag == f"{QTI}questestinterop"
    assessment = root.find(f"{QTI}assessment")
    section = assessment.find(f"{QTI}section")
    out = {}
    for item in section.findall(f"{QTI}item"):
        meta = {f.findtext(f"{QTI}fieldlabel"): f.findtext(f"{QTI}fieldentry")
                for f in item.iter(f"{QTI}qtimetadatafield")}
        qtype = meta["question_type"]
        assert qtype in CANVAS_TYPES
        pres = item.find(f"{QTI}presentation")
        proc = item.find(f"{QTI}resprocessing")
        assert proc.find(f"{QTI}outcomes/{QTI}decvar").get("varname") == "SCORE"
        q = {"points": float(meta["points_possible"]), "title": item.get("title"),
             "prompt_html": pres.find(f"{QTI}material/{QTI}mattext").text}
        fb = item.find(f"{QTI}itemfeedback[@ident='general_fb']")
        q["feedback_html"] = fb.find(f".//{QTI}mattext").text if fb is not None else ""
        conds = proc.findall(f"{QTI}respcondition")
        if qtype in ("multiple_choice_question", "multiple_answers_question"):
            q["kind"] = "choice"
            labels = {lab.get("ident"): lab.find(f".//{QTI}mattext").text
                      for lab in pres.iter(f"{QTI}response_label")}
            right, wrong = {}, set()
            for c in conds:
                var = c.find(f"{QTI}conditionvar")
                if qtype == "multiple_choice_question":
                    for eq in var.findall(f"{QTI}varequal"):
                        right[eq.text] = float(c.findtext(f"{QTI}setvar")) / 100
                else:
                    for eq in var.findall(f"{QTI}and/{QTI}varequal"):
                        right[eq.text] = 1.0
                    wrong |= {eq.text for eq in var.findall(f"{QTI}and/{QTI}not/{QTI}varequal")}
            q["choice_ids"] = list(labels)
            q["choices"] = [(t, right.get(i, 0.0)) for i, t in labels.items()]
            q["right"], q["wrong"] = set(right), wrong
        elif qtype == "matching_question":
            q["kind"] = "match"
            pairs, answers = [], set()
            for lid in pres.findall(f"{QTI}response_lid"):
                labels = {lab.get("ident"): lab.find(f".//{QTI}mattext").text for lab in lid.iter(f"{QTI}response_label")}
                answers |= set(labels.values())
                cond = next(c for c in conds if c.find(f".//{QTI}varequal[@respident='{lid.get('ident')}']") is not None)
                assert cond.find(f"{QTI}setvar").get("action") == "Add"
                pairs.append((lid.find(f"{QTI}material/{QTI}mattext").text,
                              labels[cond.find(f".//{QTI}varequal").text]))
            q["pairs"], q["answers"] = pairs, sorted(answers)
        elif qtype == "numerical_question":
            q["kind"] = "numerical"
            nums = []
            for c in conds:
                eq = c.find(f"{QTI}conditionvar/{QTI}or/{QTI}varequal")
                if eq is None:
                    continue
                gte = c.find(f".//{QTI}vargte")
                nums.append((float(eq.text), round(float(eq.text) - float(gte.text), 9) if gte is not None else 0.0))
            q["numbers"] = nums
        else:
            q["kind"] = "essay"
        out[item.get("ident")] = q
    return out


def test_qti_gives_back_every_question_option_and_key(course, tmp_path):
    written, _ = export("qti", tmp_path)
    for set_id, (title, questions) in course.items():
        back = read_qti(tmp_path / f"{set_id}.qti.xml")
        assert list(back) == [q.id for q in questions]
        for q in questions:
            got, want = back[q.id], expected(q)
            assert got["kind"] == want["kind"] and got["points"] == want["points"], q.id
            assert got["prompt_html"] == mistune.html(q.prompt)
            assert got["feedback_html"] == (mistune.html(q.feedback) if q.feedback else "")
            if q.kind == "choice" and q.single:
                assert got["choices"] == want["choices"], q.id
                assert got["choice_ids"] == [c.id for c in q.choices]
            elif q.kind == "choice":
                assert [t for t, _ in got["choices"]] == [t for t, _ in want["choices"]]
                assert got["right"] == {c.id for c in q.choices if c.fraction > 0}
                assert got["wrong"] == {c.id for c in q.choices if c.fraction < 0}
            elif q.kind == "match":
                assert got["pairs"] == want["pairs"] and got["answers"] == want["answers"], q.id
            elif q.kind == "numerical":
                assert flat(got["numbers"]) == pytest.approx(flat(want["numbers"])), q.id


def test_qti_package_is_what_canvas_imports(course, tmp_path):
    export("qti", tmp_path, set_id="02-new-diplomacy")
    with zipfile.ZipFile(tmp_path / "02-new-diplomacy-canvas-qti.zip") as z:
        names = z.namelist()
        manifest = SafeET.fromstring(z.read("imsmanifest.xml"))
        inner = z.read("02-new-diplomacy/02-new-diplomacy.xml")
    assert names == ["imsmanifest.xml", "02-new-diplomacy/02-new-diplomacy.xml"]
    resource = next(manifest.iter("{http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1}resource"))
    assert resource.get("type") == "imsqti_xmlv1p2"
    assert SafeET.fromstring(inner).tag == f"{QTI}questestinterop"
    assert not list(tmp_path.glob("01-*"))  # --set writes that set only


# ------------------------------------------------------------------ Moodle XML

def read_moodle(path: Path) -> dict:
    quiz = SafeET.parse(path).getroot()
    assert quiz.tag == "quiz"
    out = {}
    for node in quiz.findall("question"):
        qtype = node.get("type")
        if qtype == "category":
            assert node.findtext("category/text").startswith("$course$/top/")
            continue
        assert qtype in ("multichoice", "matching", "numerical", "essay")
        q = {"title": node.findtext("name/text"), "points": float(node.findtext("defaultgrade")),
             "prompt": node.findtext("questiontext/text"), "feedback": node.findtext("generalfeedback/text") or "",
             "id": node.findtext("idnumber")}
        assert node.find("questiontext").get("format") == "markdown"
        if qtype == "multichoice":
            q["kind"] = "choice"
            q["single"] = node.findtext("single") == "true"
            q["choices"] = [(a.findtext("text"), fraction_back(a.get("fraction"))) for a in node.findall("answer")]
        elif qtype == "matching":
            q["kind"] = "match"
            subs = [(s.findtext("text") or "", s.findtext("answer/text")) for s in node.findall("subquestion")]
            q["pairs"] = [s for s in subs if s[0]]
            q["answers"] = sorted({a for _, a in subs})
        elif qtype == "numerical":
            q["kind"] = "numerical"
            q["numbers"] = [(float(a.findtext("text")), float(a.findtext("tolerance"))) for a in node.findall("answer")]
        else:
            q["kind"] = "essay"
            q["graderinfo"] = node.findtext("graderinfo/text")
            assert node.findtext("responseformat") == "editor"
        out[q["id"]] = q
    return out


def test_moodle_xml_gives_back_every_question_option_and_key(course, tmp_path):
    export("moodle-xml", tmp_path)
    for set_id, (title, questions) in course.items():
        back = read_moodle(tmp_path / f"{set_id}.moodle.xml")
        assert list(back) == [q.id for q in questions]
        for q in questions:
            got, want = back[q.id], expected(q)
            assert got["prompt"] == q.prompt and got["feedback"] == q.feedback and got["title"] == q.id
            for k, v in want.items():
                assert (flat(got[k]) == pytest.approx(flat(v))) if k == "numbers" else got[k] == v, (q.id, k)
            if q.kind == "essay":
                assert got["graderinfo"] == q.grader_info and "Rubric" in q.grader_info


# ------------------------------------------------------------------ GIFT (a reader after Moodle's own)

ESCAPES = [("\\\\", "\x00b"), ("\\:", "\x00c"), ("\\#", "\x00h"), ("\\=", "\x00e"), ("\\{", "\x00o"),
           ("\\}", "\x00x"), ("\\~", "\x00t"), ("\\n", "\x00n")]
BACK = {"\x00c": ":", "\x00h": "#", "\x00e": "=", "\x00o": "{", "\x00x": "}", "\x00t": "~", "\x00n": "\n", "\x00b": "\\"}
WEIGHT = re.compile(r"^%(-?[0-9]{1,3}(?:\.[0-9]*)?)%")


def unescape(text: str) -> str:
    for k, v in BACK.items():
        text = text.replace(k, v)
    return text.strip()


def read_gift(path: Path) -> dict:
    """Questions separated by blank lines; ``::name::``, ``[format]``, ``{answers}``, ``####`` general
    feedback; the type from the answers as Moodle's ``qformat_gift::readquestion`` decides it."""
    out = {}
    for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
        lines = [ln for ln in block.splitlines() if not ln.strip().startswith("//")]
        text = "\n".join(lines).strip()
        if not text or text.startswith("$CATEGORY:"):
            continue
        for a, b in ESCAPES:
            text = text.replace(a, b)
        assert text.startswith("::")
        name, text = text[2:].split("::", 1)
        start, end = text.index("{"), text.index("}")
        answers, prompt = text[start + 1:end].strip(), text[:start]
        fmt = re.match(r"^\[(\w+)\]", prompt)
        assert fmt and fmt.group(1) == "markdown"
        q = {"title": unescape(name), "prompt": unescape(prompt[fmt.end():]), "feedback": ""}
        if "####" in answers:
            answers, fb = answers.rsplit("####", 1)
            q["feedback"] = unescape(fb)
            answers = answers.strip()
        if answers == "":
            q["kind"] = "essay"
        elif answers.startswith("#"):
            q["kind"] = "numerical"
            q["numbers"] = []
            for a in answers[1:].split("="):
                a = WEIGHT.sub("", a.strip())
                if a:
                    value, tol = a.split(":")
                    q["numbers"].append((float(value), float(tol)))
        elif "~" in answers:
            q["kind"] = "choice"
            q["single"] = "=" in answers
            q["choices"] = []
            for a in answers.replace("=", "~=").split("~"):
                a = a.strip()
                if not a:
                    continue
                if a.startswith("="):
                    weight, a = 1.0, a[1:]
                elif (m := WEIGHT.match(a)):
                    weight, a = fraction_back(m.group(1)), a[m.end():]
                else:
                    weight = 0.0
                q["choices"].append((unescape(a), weight))
        else:
            assert "->" in answers
            q["kind"] = "match"
            subs = [a.split("->", 1) for a in answers.split("=") if a.strip()]
            q["pairs"] = [(unescape(s), unescape(t)) for s, t in subs if s.strip()]
            q["answers"] = sorted({unescape(t) for _, t in subs})
        out[q["title"]] = q
    return out


def test_gift_gives_back_every_question_option_and_key(course, tmp_path):
    export("gift", tmp_path)
    for set_id, (title, questions) in course.items():
        back = read_gift(tmp_path / f"{set_id}.gift.txt")
        assert list(back) == [q.id for q in questions]
        for q in questions:
            got, want = back[q.id], expected(q)
            assert got["prompt"] == q.prompt.strip() and got["feedback"] == q.feedback, q.id
            for k, v in want.items():
                if k == "points":
                    continue  # GIFT has no points: the quiz sets them (written in a comment)
                assert (flat(got[k]) == pytest.approx(flat(v))) if k == "numbers" else got[k] == v, (q.id, k)


# ------------------------------------------------------------------ rules mapped across formats

def test_several_right_answers_and_partial_credit_are_mapped(tmp_path):
    bank = {"set": "99-accept", "title": "Accept", "mode": "assessment", "exercises": [
        {"id": "acc-single", "type": "single", "prompt": "Pick one.", "options": ["a", "b", "c"], "answer": "a",
         "also_accept": ["b"], "explanation": "Both a and b fit [quy2024 ¶3].", "cites": ["quy2024 ¶3"]},
        {"id": "acc-multiple", "type": "multiple", "prompt": "Pick all.", "options": ["w", "x", "y", "z"],
         "answer": ["w", "x"], "also_accept": ["y"], "explanation": "W and x [quy2024 ¶3].", "cites": ["quy2024 ¶3"]},
        {"id": "acc-numeric", "type": "numeric", "prompt": "How many?", "answer": 30, "tolerance": 0.5,
         "also_accept": [31], "explanation": "Thirty [quy2024 ¶3].", "cites": ["quy2024 ¶3"], "unit": "partners"},
        {"id": "acc-classify", "type": "classify", "prompt": "Sort.", "items": ["p", "q"], "categories": ["A", "B"],
         "answer": {"p": "A", "q": "B"}, "also_accept": {"q": ["A"]}, "explanation": "See [quy2024 ¶3].",
         "cites": ["quy2024 ¶3"]},
    ]}
    folder = tmp_path / "bank"
    folder.mkdir()
    (folder / "99-accept.yml").write_text(yaml.safe_dump(bank), encoding="utf-8")
    written, notes = export("moodle-xml", tmp_path / "out", bank_dir=folder)
    back = read_moodle(tmp_path / "out" / "99-accept.moodle.xml")
    assert back["acc-single"]["single"] and back["acc-single"]["choices"] == [("a", 1.0), ("b", 1.0), ("c", 0.0)]
    assert back["acc-multiple"]["choices"] == [("w", 0.5), ("x", 0.5), ("y", 0.0), ("z", -0.5)]
    assert back["acc-numeric"]["numbers"] == [(30.0, 0.5), (31.0, 0.5)]
    assert "(Answer in partners.)" in back["acc-numeric"]["prompt"]
    assert any(i == "acc-classify" and "also_accept" in n for i, n in notes)
    export("gift", tmp_path / "gift", bank_dir=folder)
    gift = read_gift(tmp_path / "gift" / "99-accept.gift.txt")
    assert gift["acc-single"]["choices"] == [("a", 1.0), ("b", 1.0), ("c", 0.0)]
    assert gift["acc-multiple"]["choices"] == [("w", 0.5), ("x", 0.5), ("y", 0.0), ("z", -0.5)]


def test_fractions_are_moodle_grade_options():
    assert moodle_fraction(1 / 3) == "33.33333" and moodle_fraction(-1 / 7) == "-14.28571"
    assert moodle_fraction(0.5) == "50" and moodle_fraction(1 / 11) == "10"  # nearest option


def test_a_student_edition_bank_is_refused(tmp_path, capsys):
    folder = tmp_path / "student"
    folder.mkdir()
    path = ROOT / "course" / "exercises" / "02-new-diplomacy.yml"
    (folder / path.name).write_text(yaml.safe_dump(student_bank(path), allow_unicode=True), encoding="utf-8")
    assert main(["--format", "qti", "--out", str(tmp_path / "out"), "--bank", str(folder)]) == 2
    err = capsys.readouterr().err
    assert "student-edition bank" in err and "instructor's copy" in err
    assert not (tmp_path / "out").exists()
    with pytest.raises(ExportError):
        load_questions(folder)


def test_unknown_set_is_refused(capsys, tmp_path):
    assert main(["--format", "gift", "--out", str(tmp_path), "--set", "99-none"]) == 2
    assert "no set '99-none'" in capsys.readouterr().err
