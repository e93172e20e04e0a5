"""Gradebook, LMS files, roster, lateness, feedback, free text and item analysis, on real files."""
from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from helpers.grading import synthetic
from helpers.grading.cli import main
from helpers.grading.roster import Matcher, Student, fold, identify, load_roster

S1, S2 = "01-soft-power", "02-new-diplomacy"
RIGHT1 = {f"x01-{t}": v for t, v in synthetic.RIGHT.items()}
RIGHT2 = {f"x02-{t}": v for t, v in synthetic.RIGHT.items()}


def read_csv(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def rows_of(path: Path) -> list[list[str]]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh))


@pytest.fixture
def course(tmp_path):
    synthetic.write_bank(tmp_path / "bank", S1, "practice")
    synthetic.write_bank(tmp_path / "bank", S2, "assessment")
    return tmp_path


def grade(course: Path, *extra: str) -> Path:
    out = course / "out"
    assert main([str(course / "subs"), "--out", str(out), "--bank", str(course / "bank"), "--quiet", *extra]) == 0
    return out


def test_gradebook_has_a_row_per_student_a_column_per_exercise_and_totals(course):
    synthetic.answer_notebook(course / "subs" / "nguyenvanan_101_1_01-soft-power.ipynb", S1, RIGHT1)
    synthetic.answer_notebook(course / "subs" / "nguyenvanan_101_2_02-new-diplomacy.ipynb", S2,
                              {"x02-single": "b", "x02-order": ["1986", "1995", "2007"]})
    synthetic.answer_notebook(course / "subs" / "tranthibinh_102_3_01-soft-power.ipynb", S1, {"x01-single": "c"})
    out = grade(course)
    book = {r["student_id"]: r for r in read_csv(out / "gradebook.csv")}
    assert set(book) == {"canvas:101", "canvas:102"}
    an = book["canvas:101"]
    assert an["01-soft-power/x01-single"] == "1" and an["01-soft-power/x01-text"] == ""
    assert an["01-soft-power total"] == "11" and an["02-new-diplomacy total"] == "1"
    assert an["total"] == "12" and an["possible"] == "26" and an["pending"] == "1"
    binh = book["canvas:102"]
    assert binh["total"] == "0" and binh["02-new-diplomacy total"] == ""
    header = rows_of(out / "gradebook.csv")[0]
    assert header.count("01-soft-power/x01-single") == 1 and header[-5:] == ["total", "possible", "percent",
                                                                            "pending", "files"]


def test_canvas_and_moodle_files_follow_their_import_formats(course):
    (course / "roster.csv").write_text(
        "Student ID,Name,Email,Canvas ID,Section\n"
        "SV001,Nguyễn Văn An,an@uni.edu.vn,101,K66\n"
        "SV002,Trần Thị Bình,binh@uni.edu.vn,,K66\n", encoding="utf-8")
    synthetic.answer_notebook(course / "subs" / "nguyenvanan_101_1_01-soft-power.ipynb", S1, RIGHT1)
    synthetic.answer_notebook(course / "subs" / "Trần Thị Bình_55_assignsubmission_file_01-soft-power.ipynb",
                              S1, {"x01-single": "a"})
    out = grade(course, "--roster", str(course / "roster.csv"))
    canvas = rows_of(out / "canvas.csv")
    assert canvas[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "Exercises 01-soft-power"]
    assert canvas[1] == ["Points Possible", "", "", "", "", "13"]
    assert canvas[2] == ["Nguyễn Văn An", "101", "SV001", "an@uni.edu.vn", "K66", "11"]
    assert canvas[3][:3] == ["Trần Thị Bình", "", "SV002"] and canvas[3][-1] == "1"
    moodle = rows_of(out / "moodle.csv")
    assert moodle[0] == ["Email address", "Full name", "Exercises 01-soft-power"]
    assert moodle[1:] == [["an@uni.edu.vn", "Nguyễn Văn An", "11"], ["binh@uni.edu.vn", "Trần Thị Bình", "1"]]
    out = grade(course, "--roster", str(course / "roster.csv"), "--moodle-user-field", "idnumber")
    assert rows_of(out / "moodle.csv")[1:] == [["SV001", "Nguyễn Văn An", "11"], ["SV002", "Trần Thị Bình", "1"]]


def test_roster_matching_lists_unmatched_and_missing_students(course):
    (course / "roster.csv").write_text("id,name,email\nSV001,Nguyễn Văn An,an@x.vn\nSV003,Lê Văn Cường,c@x.vn\n",
                                       encoding="utf-8")
    synthetic.answer_notebook(course / "subs" / "nguyenvanan_101_1_01-soft-power.ipynb", S1, RIGHT1)
    synthetic.answer_notebook(course / "subs" / "stranger_999_1_01-soft-power.ipynb", S1, RIGHT1)
    out = grade(course, "--roster", str(course / "roster.csv"))
    errors = read_csv(out / "errors.csv")
    assert [(e["file"], e["action"]) for e in errors] == [("stranger_999_1_01-soft-power.ipynb", "not matched"),
                                                          ("stranger_999_1_01-soft-power.ipynb", "not in moodle.csv")]
    book = {r["student_id"]: r for r in read_csv(out / "gradebook.csv")}
    assert book["SV001"]["total"] == "11"
    assert book["SV003"]["total"] == "" and book["SV003"]["files"] == ""  # on the roster, nothing handed in
    assert book["canvas:999"]["total"] == "11"  # graded all the same


@pytest.mark.parametrize("name, expected", [
    ("nguyenvanan_12345_67890_01-soft-power.ipynb", ("nguyenvanan", "canvas", "12345", False, 0)),
    ("nguyenvanan_LATE_12345_67890_01-soft-power-2.ipynb", ("nguyenvanan", "canvas", "12345", True, 2)),
    ("Nguyễn Văn An_4321_assignsubmission_file_01-soft-power.ipynb", ("Nguyễn Văn An", "moodle", "4321", False, 0)),
    ("an-nguyen_01-soft-power.ipynb", ("an-nguyen", "", "", False, 0)),
])
def test_lms_file_names_are_read(tmp_path, name, expected):
    ident = identify(tmp_path / name, tmp_path, [S1])
    assert (ident.name, ident.lms, ident.lms_id, ident.late_marker, ident.resubmission) == expected


def test_moodle_folders_and_student_folders_name_the_student(tmp_path):
    ident = identify(tmp_path / "Lê Văn C_77_assignsubmission_file_" / "nb.ipynb", tmp_path)
    assert (ident.name, ident.lms, ident.lms_id) == ("Lê Văn C", "moodle", "77")
    assert identify(tmp_path / "sv042" / "x" / "nb.ipynb", tmp_path).name == "sv042"


def test_names_match_across_accents_case_and_order():
    assert fold("Nguyễn Văn Đức") == "nguyenvanduc"
    roster = [Student("SV1", "Nguyễn Văn Đức"), Student("SV2", "Trần Thị Bình", email="tbinh@x.vn"),
              Student("SV3", "Lê An"), Student("SV4", "Lê An")]
    m = Matcher(roster)
    for file_name, sid in [("ducnguyenvan_1_2_a.ipynb", "SV1"), ("NGUYEN VAN DUC_5_assignsubmission_file_a.ipynb", "SV1"),
                           ("tbinh_a.ipynb", "SV2"), ("SV2.ipynb", "SV2")]:
        ident = identify(Path("/s") / file_name, Path("/s"))
        student, why = m.match(ident, Path("/s") / file_name)
        assert student is not None and student.id == sid, (file_name, why)
    student, why = m.match(identify(Path("/s/lean_1_2_a.ipynb"), Path("/s")), Path("/s/lean_1_2_a.ipynb"))
    assert student is None and "more than one" in why


def test_roster_columns_are_recognised(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("\ufeffFirst name,Surname,Email address,ID number\nAn,Nguyễn,an@x,42\n", encoding="utf-8")
    [s] = load_roster(path)
    assert (s.id, s.name, s.email) == ("42", "An Nguyễn", "an@x")


def test_latest_submission_counts_and_deadline_marks_late(course):
    subs = course / "subs"
    synthetic.answer_notebook(subs / "an_1_10_01-soft-power.ipynb", S1, {"x01-single": "a"}, saved="2025-03-01T09:00:00Z")
    synthetic.answer_notebook(subs / "an_1_11_01-soft-power-1.ipynb", S1, {"x01-single": "b"}, saved="2025-03-02T09:00:00Z")
    synthetic.answer_notebook(subs / "binh_LATE_2_12_01-soft-power.ipynb", S1, RIGHT1, saved="2025-03-01T09:00:00Z")
    out = grade(course, "--deadline", "2025-03-01T23:59:00+07:00")
    subs_rows = {r["file"]: r for r in read_csv(out / "submissions.csv")}
    assert subs_rows["an_1_10_01-soft-power.ipynb"]["status"].startswith("superseded by an_1_11")
    assert subs_rows["an_1_11_01-soft-power-1.ipynb"]["status"] == "counted"
    assert subs_rows["an_1_11_01-soft-power-1.ipynb"]["late"] == "late"  # saved after the deadline
    assert "Canvas" in subs_rows["binh_LATE_2_12_01-soft-power.ipynb"]["late_reason"]
    book = {r["student_id"]: r for r in read_csv(out / "gradebook.csv")}
    assert book["canvas:1"]["total"] == "0"  # the later (wrong) answer counts, not the earlier right one
    assert book["canvas:1"]["01-soft-power late"] == "late"


def test_practice_feedback_always_assessment_feedback_only_on_request(course):
    synthetic.answer_notebook(course / "subs" / "an_1_1_01-soft-power.ipynb", S1, {"x01-single": "b"})
    synthetic.answer_notebook(course / "subs" / "an_1_2_02-new-diplomacy.ipynb", S2, {"x02-single": "a"})
    out = grade(course)
    [page] = (out / "feedback").glob("*.html")
    html = page.read_text(encoding="utf-8")
    assert "Exercises 01-soft-power" in html and "Exercises 02-new-diplomacy" not in html
    assert "wrong" in html and "Culture is one of the three resources" in html and "[quy2024 ¶3]" in html
    out2 = course / "out2"
    main([str(course / "subs"), "--out", str(out2), "--bank", str(course / "bank"), "--quiet", "--feedback"])
    html2 = next((out2 / "feedback").glob("*.html")).read_text(encoding="utf-8")
    assert "Exercises 02-new-diplomacy" in html2


def test_only_assessment_work_and_no_flag_means_no_pages(course):
    synthetic.answer_notebook(course / "subs" / "an_1_2_02-new-diplomacy.ipynb", S2, {"x02-single": "a"})
    out = grade(course)
    assert list(out.glob("feedback/*.html")) == []
    assert (out / "gradebook.csv").exists()


def test_free_text_round_trip(course):
    synthetic.answer_notebook(course / "subs" / "an_1_1_01-soft-power.ipynb", S1, RIGHT1)
    synthetic.answer_notebook(course / "subs" / "binh_2_2_01-soft-power.ipynb", S1, {"x01-text": "Power."})
    out = grade(course)
    rows = read_csv(out / "freetext.csv")
    assert [(r["student_id"], r["exercise"], r["max_points"]) for r in rows] == [
        ("canvas:1", "x01-text", "2"), ("canvas:2", "x01-text", "2")]
    assert "Names attraction rather than coercion" in rows[0]["rubric"]
    rows[0]["score"], rows[0]["comment"] = "2", "Clear."
    rows[1]["score"] = "5"  # over the maximum: refused
    scored = course / "scored.csv"
    with open(scored, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    out = grade(course, "--scores", str(scored))
    book = {r["student_id"]: r for r in read_csv(out / "gradebook.csv")}
    assert book["canvas:1"]["01-soft-power/x01-text"] == "2" and book["canvas:1"]["total"] == "13"
    assert book["canvas:1"]["pending"] == ""
    assert book["canvas:2"]["01-soft-power/x01-text"] == ""
    errors = read_csv(out / "errors.csv")
    assert any("outside 0–2" in e["reason"] for e in errors)
    assert "Clear." in next((out / "feedback").glob("canvas-1.html")).read_text(encoding="utf-8")


def test_item_analysis_lists_problem_items_first_and_charts_offline(course):
    # Strong students get x01-single wrong and weak ones right: negative discrimination.
    for i in range(12):
        strong = i < 6
        answers = dict(RIGHT1) if strong else {"x01-single": "a"}
        if strong:
            answers["x01-single"] = "b"
        synthetic.answer_notebook(course / "subs" / f"s{i}_{i + 1}_1_01-soft-power.ipynb", S1, answers)
    out = grade(course)
    items = read_csv(out / "items.csv")
    assert items[0]["exercise"] == "x01-single" and "negative discrimination" in items[0]["flags"]
    assert float(items[0]["discrimination"]) < 0
    assert items[0]["wrong answers (count)"] == "b: 6"
    flagged = [bool(r["flags"]) for r in items]
    assert flagged == sorted(flagged, reverse=True)  # every flagged item before every other
    html = (out / "items.html").read_text(encoding="utf-8")
    assert "vegaEmbed" in html and len(html) > 500_000  # the libraries are inside the page
    assert not re.search(r"<script[^>]+src=[\"']https?://", html)


def test_assignment_option_skips_other_sets(course):
    synthetic.answer_notebook(course / "subs" / "an_1_1_01-soft-power.ipynb", S1, {"x01-single": "a"})
    synthetic.answer_notebook(course / "subs" / "an_1_2_02-new-diplomacy.ipynb", S2, {"x02-single": "a"})
    out = grade(course, "--assignment", S1)
    errors = read_csv(out / "errors.csv")
    assert [(e["file"], e["action"]) for e in errors if e["file"] != "moodle.csv"] == [
        ("an_1_2_02-new-diplomacy.ipynb", "skipped")]
    assert "another assignment" in errors[0]["reason"]
    assert [r["file"] for r in read_csv(out / "submissions.csv")] == ["an_1_1_01-soft-power.ipynb"]
