"""The teaching kit: outcomes are assessed, rubrics are described, generated pages do not drift,
citations resolve, and the syllabus covers the course."""
from __future__ import annotations

import re
import shutil

import pytest
import yaml

from helpers import ROOT
from helpers.publishing import teaching
from helpers.core import readings
from helpers.core.errors import CourseFileError
from helpers.exercises import bank

COURSE = ROOT / "course"
SETS = bank.load_all()
RUBRICS = teaching.load_rubrics()
NOTEBOOK_NAMES = sorted({p.stem for p in (ROOT / "notebooks").glob("*.ipynb")} | {"05-capstone"})
LOOSE_CITE_RE = re.compile(r"\[[a-z][a-z0-9-]*\d{4} ¶[^\]]*\]")
OUTCOME_ID_RE = re.compile(r"\b[A-Z]{2,5}-\d+\b")


# --------------------------------------------------------------------------- the course itself

def test_every_outcome_is_assessed_and_every_exercise_serves_an_outcome_of_its_set():
    assert teaching.outcome_problems(SETS) == []


def test_every_text_exercise_has_descriptors_for_each_criterion_of_its_bank():
    assert teaching.rubric_problems(SETS, RUBRICS) == []
    texts = teaching.text_exercises(SETS)
    assert texts, "the course has short-text exercises"
    for ex in texts:
        criteria = RUBRICS["rubrics"][ex.id]
        assert len(criteria) == len(ex.spec["rubric"]), ex.id
        for crit in criteria:
            assert sorted(crit["levels"], reverse=True) == [4, 3, 2, 1], ex.id
            assert len({crit["levels"][n] for n in (4, 3, 2, 1)}) == 4, f"{ex.id}: repeated descriptors"


def test_generated_pages_equal_what_helpers_teaching_renders():
    for path, text in teaching.pages().items():
        assert path.exists(), f"{path.name} is missing: run python -m helpers teaching --write"
        assert path.read_text(encoding="utf-8") == text, \
            f"{path.name} is stale: run python -m helpers teaching --write"


def test_rubrics_page_takes_each_criterion_from_the_bank():
    page = (COURSE / "rubrics.md").read_text(encoding="utf-8")
    for ex in teaching.text_exercises(SETS):
        assert f"### `{ex.id}`" in page
        for criterion in ex.spec["rubric"]:
            assert teaching._cell(criterion) in page, (ex.id, criterion[:40])


def course_texts() -> dict[str, str]:
    texts = {p.name: p.read_text(encoding="utf-8") for p in sorted(COURSE.glob("*.md"))}
    texts["rubrics.yml"] = (COURSE / "rubrics.yml").read_text(encoding="utf-8")
    return texts


def test_every_citation_in_the_course_pages_exists_and_is_well_formed():
    texts = course_texts()
    for name in ("syllabus.md", "instructor-guide.md", "rubrics.md", "outcome-map.md"):
        assert name in texts, f"course/{name} is missing"
    for name, text in texts.items():
        assert readings.check_citations(text) == [], name
        malformed = [m.group(0) for m in LOOSE_CITE_RE.finditer(text) if not readings.CITE_RE.fullmatch(m.group(0))]
        assert malformed == [], (name, malformed)
    assert readings.CITE_RE.search(texts["instructor-guide.md"]), "the guide's model answers cite the readings"


def test_syllabus_names_every_notebook_and_every_reading():
    syllabus = (COURSE / "syllabus.md").read_text(encoding="utf-8")
    for name in NOTEBOOK_NAMES:
        assert name in syllabus, f"the syllabus does not name {name}"
    for rid in readings.load_readings():
        assert rid in syllabus, f"the syllabus does not name the reading {rid}"


def test_syllabus_course_outcomes_cover_every_notebook_outcome():
    syllabus = (COURSE / "syllabus.md").read_text(encoding="utf-8")
    named = {m for m in OUTCOME_ID_RE.findall(syllabus) if not m.startswith("CLO-")}
    known = {o["id"] for b in SETS.values() for o in teaching.set_outcomes(b)} | \
            {ex.outcome for b in SETS.values() for ex in b}
    assert known - named == set(), f"outcomes the syllabus does not map: {sorted(known - named)}"
    assert named - known == set(), f"the syllabus names outcomes no bank has: {sorted(named - known)}"


def test_instructor_guide_covers_every_notebook_and_the_two_modes():
    guide = (COURSE / "instructor-guide.md").read_text(encoding="utf-8")
    for name in NOTEBOOK_NAMES:
        assert re.search(rf"^## .*{re.escape(name)}", guide, re.M), f"no section for {name}"
    for phrase in ("mode:", "make student-edition", "probed", "grading.md"):
        assert phrase in guide, phrase


# --------------------------------------------------------------------------- the checks can fail

def write_bank(folder, name, exercises, outcomes=None):
    doc = {"set": name, "title": "T", "mode": "practice", "exercises": exercises}
    if outcomes is not None:
        doc["outcomes"] = outcomes
    path = folder / f"{name}.yml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return bank.load_bank(path, check_citations=False)


SINGLE = {"id": "t-one", "type": "single", "prompt": "Q?", "options": ["a", "b"], "answer": "a",
          "explanation": "E.", "cites": ["quy2024 ¶3"], "outcome": "T-1"}
TEXT = {"id": "t-text", "type": "text", "prompt": "Write.", "rubric": ["first", "second"],
        "model_answer": "M.", "explanation": "E.", "cites": ["quy2024 ¶3"], "outcome": "T-2", "points": 2}


def test_outcome_problems_finds_unassessed_and_unknown_outcomes(tmp_path):
    good = write_bank(tmp_path, "01-good", [SINGLE, TEXT], [{"id": "T-1", "text": "a"}, {"id": "T-2", "text": "b"}])
    assert teaching.outcome_problems({"01-good": good}) == []
    bad = write_bank(tmp_path, "02-bad", [SINGLE, {**TEXT, "outcome": "T-9"}],
                     [{"id": "T-1", "text": "a"}, {"id": "T-2", "text": "b"}])
    problems = teaching.outcome_problems({"02-bad": bad})
    assert any("T-2 is assessed by no exercise" in p for p in problems)
    assert any("t-text: outcome T-9 is not among" in p for p in problems)
    none = write_bank(tmp_path, "03-none", [SINGLE])
    assert any("lists no outcomes" in p for p in teaching.outcome_problems({"03-none": none}))
    page = teaching.outcome_map_markdown({"02-bad": bad})
    assert "not assessed" in page and "Problems found" in page


def rubric_doc(criteria):
    return {"levels": RUBRICS["levels"], "rubrics": {"t-text": criteria}}


CRIT = {"label": "x", "points": 1, "levels": {4: "a", 3: "b", 2: "c", 1: "d"}}


def test_rubric_problems_finds_missing_short_and_orphan_descriptors(tmp_path):
    s = {"01-good": write_bank(tmp_path, "01-good", [SINGLE, TEXT])}
    assert teaching.rubric_problems(s, rubric_doc([CRIT, CRIT])) == []
    assert "2 rubric criteria" in teaching.rubric_problems(s, rubric_doc([CRIT]))[0]
    assert "no level descriptors" in teaching.rubric_problems(s, {"levels": [], "rubrics": {}})[0]
    orphan = {"levels": [], "rubrics": {"t-text": [CRIT, CRIT], "t-one": [CRIT]}}
    assert "'t-one' is not a text exercise" in teaching.rubric_problems(s, orphan)[0]


def test_rubric_score_weights_criteria_and_scales_to_the_exercise_points(tmp_path):
    s = {"01-good": write_bank(tmp_path, "01-good", [SINGLE, TEXT])}
    doc = rubric_doc([{**CRIT, "points": 1}, {**CRIT, "points": 3}])
    assert teaching.rubric_score("t-text", [4, 4], s, doc) == 2.0
    assert teaching.rubric_score("t-text", [1, 1], s, doc) == 0.0
    assert teaching.rubric_score("t-text", [1, 4], s, doc) == 1.5
    assert teaching.rubric_score("t-text", [4, 2], s, doc) == 1.25
    with pytest.raises(ValueError):
        teaching.rubric_score("t-text", [4], s, doc)
    with pytest.raises(ValueError):
        teaching.rubric_score("t-text", [5, 4], s, doc)


def test_rubric_score_on_a_course_exercise():
    ex = teaching.text_exercises(SETS)[0]
    n = len(ex.spec["rubric"])
    assert teaching.rubric_score(ex.id, [4] * n) == ex.points
    assert teaching.rubric_score(ex.id, [1] * n) == 0.0


@pytest.mark.parametrize("edit, field", [
    (lambda d: d["rubrics"]["start-who-is-speaking"][0]["levels"].pop(2), "levels"),
    (lambda d: d["rubrics"]["start-who-is-speaking"][0].update(points=0), "points"),
    (lambda d: d["rubrics"]["start-who-is-speaking"][1].update(label=""), "label"),
    (lambda d: d["levels"].reverse(), "levels"),
])
def test_a_malformed_rubric_file_fails_naming_the_field(tmp_path, edit, field):
    doc = yaml.safe_load((COURSE / "rubrics.yml").read_text(encoding="utf-8"))
    edit(doc)
    path = tmp_path / "rubrics.yml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    with pytest.raises(CourseFileError) as info:
        teaching.load_rubrics(path)
    assert field in (info.value.field or "")


def test_command_writes_pages_and_check_reports_stale_ones(tmp_path, capsys):
    root = tmp_path / "course-copy"
    shutil.copytree(ROOT / "seeds", root / "seeds")
    (root / "course" / "exercises").mkdir(parents=True)
    write_bank(root / "course" / "exercises", "01-good", [SINGLE, TEXT],
               [{"id": "T-1", "text": "a"}, {"id": "T-2", "text": "b"}])
    (root / "course" / "rubrics.yml").write_text(yaml.safe_dump(rubric_doc([CRIT, CRIT])), encoding="utf-8")
    assert teaching.main(["--check", "--root", str(root)]) == 1  # pages not written yet
    assert teaching.main(["--write", "--root", str(root)]) == 0
    assert teaching.main(["--check", "--root", str(root)]) == 0
    page = root / "course" / "outcome-map.md"
    page.write_text(page.read_text(encoding="utf-8") + "hand edit\n", encoding="utf-8")
    assert teaching.main(["--check", "--root", str(root)]) == 1
    assert "stale" in capsys.readouterr().err


def test_helpers_command_line_knows_teaching():
    from helpers.__main__ import COMMANDS

    assert COMMANDS["teaching"] == "helpers.publishing.teaching"
