"""canvas.csv and moodle.csv against the rules of the importers that read them.

The two small importers below re-state, line for line, what the real ones do with a file; read
them beside their sources:

* Canvas: instructure/canvas-lms ``lib/gradebook_importer.rb`` (``row_has_student_headers?``,
  ``update_column_count``, ``header?``, ``NON_ASSIGNMENT_COLUMN_HEADERS``,
  ``strip_non_assignment_columns``, ``parse_assignments``, ``check_for_non_student_row``,
  ``process_pp``, ``process_student``, ``identify_delimiter``) and ``Assignment.title_and_id``
  (``app/models/assignment.rb``).
* Moodle: ``grade/import/csv/classes/load_data.php`` (``prepare_import_grade_data``,
  ``map_user_data_with_value``, ``check_user_exists``, ``update_grade_item``,
  ``insert_grade_record``): one user field identifies each row; an empty or unknown user aborts
  the whole import, as does a grade that is not a number or is over 100.
"""
from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from helpers.grading import synthetic
from helpers.grading.cli import main

SET = "01-soft-power"
RIGHT = {f"x01-{t}": v for t, v in synthetic.RIGHT.items()}


# --- Canvas's importer, re-stated ----------------------------------------------------------------

NON_ASSIGNMENT_COLUMN_HEADERS = ["Current Score", "Current Points", "Current Grade", "Final Score", "Final Points",
                                 "Final Grade", "Override Score", "Override Grade", "Override Status"]


class InvalidHeaderRow(Exception):
    pass


def title_and_id(text: str):
    m = re.match(r"\A(.*)\s\((\d+)\)\Z", text, re.DOTALL)
    return (m.group(1), m.group(2)) if m else (text, None)


def canvas_import(text: str, assignments: dict[int, str], students: dict[int, str]) -> dict:
    """What Canvas makes of an uploaded gradebook CSV: which column fills which assignment
    (an existing id, or ``NEW: title``), its points possible, and each row's student."""
    lines = text.splitlines()
    # identify_delimiter: over the first three lines, ";" wins only when it splits them all alike
    # into more fields than "," does.
    counts = {}
    for sep in ";,":
        sizes = [len(next(csv.reader([line], delimiter=sep))) for line in lines[:3]]
        counts[sep] = sizes[0] if len(set(sizes)) == 1 else 0
    assert counts[";"] <= counts[","], "Canvas would read this file as semicolon-separated"
    rows = list(csv.reader(io.StringIO(text)))
    header = rows[0]
    # row_has_student_headers? (the LastName/FirstName form needs a feature flag; we never write it)
    if not (len(header) > 3 and "Student" in header[0] and "ID" in header[1]):
        raise InvalidHeaderRow("no Student, ID")
    # update_column_count
    student_columns = 3
    if re.search(r"SIS\s+Login\s+ID", header[2]):
        student_columns += 1
    elif re.search(r"SIS\s+User\s+ID", header[2]) and re.search(r"SIS\s+Login\s+ID", header[3]):
        i = 1 if re.search(r"Integration\s+ID", header[4]) else 0
        student_columns += 2 + i
        if re.search(r"Root\s+Account", header[4 + i]):
            student_columns += 1
    if "Section" not in header[student_columns - 1]:
        raise InvalidHeaderRow("the last student column is not Section")
    # strip_non_assignment_columns (grep_v with the names joined by "|": a substring match)
    drop = re.compile("|".join(NON_ASSIGNMENT_COLUMN_HEADERS))
    kept = [h for h in header[student_columns:] if not drop.search(h)]
    # parse_assignments
    columns = {}
    for name_and_id in kept:
        title, aid = title_and_id(name_and_id)
        if aid is not None and int(aid) in assignments:
            columns[name_and_id] = int(aid)
        else:
            match = [a for a, t in assignments.items() if t == name_and_id]
            columns[name_and_id] = match[0] if match else f"NEW: {title}"
    index = {h: header.index(h) for h in columns}  # calc_assignment_indices: the first such header
    points, people = {}, []
    for row in rows[1:]:
        if row and "Points Possible" in row[0]:  # check_for_non_student_row -> process_pp
            points = {columns[h]: row[i] for h, i in index.items() if row[i]}
            continue
        if all(re.fullmatch(r"\s*(Muted|Manual Posting.*)?\s*", c, re.IGNORECASE) for c in row):
            continue
        # process_student: by Canvas id, then (SIS ids need Canvas's own tables) by name, else new
        sid = row[1]
        who = int(sid) if sid.isdigit() and int(sid) in students else None
        if who is None:
            who = next((i for i, n in students.items() if n == row[0]), f"NEW: {row[0]}")
        people.append((who, {columns[h]: row[i] for h, i in index.items()}))
    return {"columns": columns, "points": points, "students": people, "dropped": len(header) - student_columns
            - len(kept)}


# --- Moodle's importer, re-stated ----------------------------------------------------------------

class MoodleAbort(Exception):
    pass


def moodle_import(text: str, users: list[dict], map_from: str, map_to: str, grade_columns: list[str]) -> dict:
    """prepare_import_grade_data with the user column ``map_from`` mapped to ``map_to`` (``useremail``,
    ``useridnumber``, ``username``, ``userid``) and ``grade_columns`` mapped to grade items."""
    field = {"userid": "id", "useridnumber": "idnumber", "useremail": "email", "username": "username"}[map_to]
    rows = list(csv.reader(io.StringIO(text)))
    header = [h.strip() for h in rows[0]]
    grades = {}
    for line in rows[1:]:
        if len(line) <= 1:
            continue
        if len(line) != len(header):
            raise MoodleAbort("csvweirdcolumns")
        student = None
        values = dict(zip(header, (v.strip() for v in line)))
        if values[map_from]:  # "Skip invalid row with blank user field" -- then the abort below
            found = [u for u in users if u.get(field) == values[map_from]]
            if len(found) != 1:
                raise MoodleAbort(f"usermappingerror: {map_from} = {values[map_from]!r}")
            student = found[0]["id"]
        if student is None:
            raise MoodleAbort("usermappingerrorusernotfound")
        for column in grade_columns:
            value = values[column]
            if value in ("", "-"):
                value = None
            elif not re.fullmatch(r"-?\d+(?:[.,]\d+)?", value):  # unformat_float fails
                raise MoodleAbort(f"badgrade: {value!r}")
            elif float(value.replace(",", ".")) > 100:
                raise MoodleAbort("gradevaluetoobig")
            grades[(student, column)] = value
    return grades


# --- the grader's files against them -------------------------------------------------------------

def rows_of(path: Path) -> list[list[str]]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh))


def read_csv(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def bank_titled(folder: Path, set_id: str, title: str) -> None:
    import yaml

    data = synthetic.bank_dict(set_id)
    data["title"] = title
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{set_id}.yml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def run(tmp_path: Path, *extra: str) -> Path:
    out = tmp_path / "out"
    assert main([str(tmp_path / "subs"), "--out", str(out), "--bank", str(tmp_path / "bank"), "--quiet", *extra]) == 0
    return out


def test_canvas_reads_the_header_points_possible_and_ids(tmp_path):
    synthetic.write_bank(tmp_path / "bank", SET)
    synthetic.answer_notebook(tmp_path / "subs" / "nguyenvanan_101_1_01-soft-power.ipynb", SET, RIGHT)
    synthetic.answer_notebook(tmp_path / "subs" / "tranthibinh_102_2_01-soft-power.ipynb", SET, {"x01-single": "a"})
    out = run(tmp_path)
    text = (out / "canvas.csv").read_text(encoding="utf-8")
    got = canvas_import(text, {7: "Some other assignment"}, {101: "Nguyễn Văn An", 102: "Trần Thị Bình"})
    assert got["columns"] == {"Exercises 01-soft-power": "NEW: Exercises 01-soft-power"}
    assert got["points"] == {"NEW: Exercises 01-soft-power": "13"} and got["dropped"] == 0
    assert got["students"] == [(101, {"NEW: Exercises 01-soft-power": "11"}),
                               (102, {"NEW: Exercises 01-soft-power": "1"})]
    # An existing assignment of exactly that title is filled, not duplicated.
    got = canvas_import(text, {7: "Exercises 01-soft-power"}, {101: "A", 102: "B"})
    assert got["columns"] == {"Exercises 01-soft-power": 7}


def test_canvas_assignment_ids_can_be_given(tmp_path):
    synthetic.write_bank(tmp_path / "bank", SET)
    synthetic.write_bank(tmp_path / "bank", "02-new-diplomacy")
    synthetic.answer_notebook(tmp_path / "subs" / "an_101_1_01-soft-power.ipynb", SET, RIGHT)
    synthetic.answer_notebook(tmp_path / "subs" / "an_101_2_02-new-diplomacy.ipynb", "02-new-diplomacy",
                              {"x02-single": "a"})
    out = run(tmp_path, "--canvas-assignment", f"{SET}=4711", "--canvas-assignment", "02-new-diplomacy=4712")
    header = rows_of(out / "canvas.csv")[0]
    assert header[5:] == ["Exercises 01-soft-power (4711)", "Exercises 02-new-diplomacy (4712)"]
    # Canvas matches by id even though its assignments are titled differently.
    got = canvas_import((out / "canvas.csv").read_text(encoding="utf-8"), {4711: "Tuần 1", 4712: "Tuần 2"}, {101: "x"})
    assert got["students"] == [(101, {4711: "11", 4712: "1"})]
    for wrong in ("01-soft-power:4711", "01-soft-power=47a", "99-none=1"):
        assert main([str(tmp_path / "subs"), "--out", str(tmp_path / "o2"), "--bank", str(tmp_path / "bank"),
                     "--canvas-assignment", wrong, "--quiet"]) == 2


@pytest.mark.parametrize("title", ["Final Grade check", "Current Score practice", "Unit 1 (2)",
                                   "Override Status quiz (3)", "Unposted Final Score"])
def test_canvas_never_gets_a_title_it_would_drop_or_misread(tmp_path, title):
    bank_titled(tmp_path / "bank", SET, title)
    synthetic.answer_notebook(tmp_path / "subs" / "an_101_1_01-soft-power.ipynb", SET, RIGHT)
    out = run(tmp_path)
    got = canvas_import((out / "canvas.csv").read_text(encoding="utf-8"), {2: "Unit 2", 3: "Quiz 3"}, {101: "an"})
    assert got["dropped"] == 0
    [(column, target)] = got["columns"].items()
    assert isinstance(target, str) and target.startswith("NEW: ")  # not assignment 2 or 3, not dropped
    assert got["students"] == [(101, {target: "11"})]
    [note] = [e for e in read_csv(out / "errors.csv") if e["file"] == "canvas.csv"]
    assert note["action"] == "canvas column" and column in note["reason"]


def test_a_student_named_points_possible_is_still_a_student(tmp_path):
    synthetic.write_bank(tmp_path / "bank", SET)
    synthetic.answer_notebook(tmp_path / "subs" / "Points Possible_55_assignsubmission_file_x.ipynb", SET,
                              {"x01-single": "a"})
    synthetic.answer_notebook(tmp_path / "subs" / "an_101_1_01-soft-power.ipynb", SET, RIGHT)
    out = run(tmp_path)
    got = canvas_import((out / "canvas.csv").read_text(encoding="utf-8"), {}, {101: "an"})
    assert got["points"] == {"NEW: Exercises 01-soft-power": "13"}
    assert len(got["students"]) == 2


def roster(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "roster.csv"
    path.write_text(text, encoding="utf-8")
    return path


MOODLE_USERS = [{"id": 1, "email": "an@x.vn", "idnumber": "SV001", "username": "an"},
                {"id": 2, "email": "binh@x.vn", "idnumber": "SV002", "username": "binh"},
                {"id": 3, "email": "cuong@x.vn", "idnumber": "SV003", "username": "cuong"}]


def moodle_course(tmp_path: Path) -> Path:
    synthetic.write_bank(tmp_path / "bank", SET)
    subs = tmp_path / "subs"
    synthetic.answer_notebook(subs / "Nguyễn Văn An_11_assignsubmission_file_01.ipynb", SET, RIGHT)
    synthetic.answer_notebook(subs / "Trần Thị Bình_12_assignsubmission_file_01.ipynb", SET, {"x01-single": "a"})
    synthetic.answer_notebook(subs / "Lê Văn Cường_13_assignsubmission_file_01.ipynb", SET, {"x01-single": "b"})
    synthetic.answer_notebook(subs / "Someone Else_14_assignsubmission_file_01.ipynb", SET, RIGHT)
    return roster(tmp_path, "id,name,email,username\nSV001,Nguyễn Văn An,an@x.vn,an\n"
                            "SV002,Trần Thị Bình,,binh\nSV003,Lê Văn Cường,cuong@x.vn,\n")


def test_moodle_imports_every_row_it_can_match_and_the_rest_are_listed(tmp_path):
    path = moodle_course(tmp_path)
    out = run(tmp_path, "--roster", str(path))
    text = (out / "moodle.csv").read_text(encoding="utf-8")
    header = rows_of(out / "moodle.csv")[0]
    assert header == ["Email address", "Full name", "Exercises 01-soft-power"]
    grades = moodle_import(text, MOODLE_USERS, "Email address", "useremail", header[2:])
    assert grades == {(1, "Exercises 01-soft-power"): "11", (3, "Exercises 01-soft-power"): "0"}
    left = {e["file"]: e["reason"] for e in read_csv(out / "errors.csv") if e["action"] == "not in moodle.csv"}
    assert set(left) == {"Trần Thị Bình_12_assignsubmission_file_01.ipynb", "Someone Else_14_assignsubmission_file_01.ipynb"}
    assert left["Trần Thị Bình_12_assignsubmission_file_01.ipynb"].startswith(
        "Trần Thị Bình (SV002) left out of moodle.csv: no email address")


def test_moodle_by_username_or_id_number(tmp_path):
    path = moodle_course(tmp_path)
    out = run(tmp_path, "--roster", str(path), "--moodle-user-field", "username")
    grades = moodle_import((out / "moodle.csv").read_text(encoding="utf-8"), MOODLE_USERS, "Username", "username",
                           ["Exercises 01-soft-power"])
    assert set(grades) == {(1, "Exercises 01-soft-power"), (2, "Exercises 01-soft-power")}
    out = run(tmp_path, "--roster", str(path), "--moodle-user-field", "idnumber")
    grades = moodle_import((out / "moodle.csv").read_text(encoding="utf-8"), MOODLE_USERS, "ID number",
                           "useridnumber", ["Exercises 01-soft-power"])
    assert {u for u, _ in grades} == {1, 2, 3}


def test_moodle_rows_sharing_an_email_are_left_out(tmp_path):
    synthetic.write_bank(tmp_path / "bank", SET)
    synthetic.answer_notebook(tmp_path / "subs" / "SV001.ipynb", SET, RIGHT)
    synthetic.answer_notebook(tmp_path / "subs" / "SV002.ipynb", SET, RIGHT)
    path = roster(tmp_path, "id,name,email\nSV001,An,same@x.vn\nSV002,Binh,same@x.vn\n")
    out = run(tmp_path, "--roster", str(path))
    assert rows_of(out / "moodle.csv")[1:] == []
    assert len([e for e in read_csv(out / "errors.csv") if e["action"] == "not in moodle.csv"]) == 2


def test_a_moodle_name_with_a_newline_stays_on_one_line(tmp_path):
    synthetic.write_bank(tmp_path / "bank", SET)
    synthetic.answer_notebook(tmp_path / "subs" / "An\nSV002_11_assignsubmission_file_x.ipynb", SET, RIGHT)
    path = roster(tmp_path, "id,name,email,moodle id\nSV001,,an@x.vn,11\n")  # no name: the file's is used
    out = run(tmp_path, "--roster", str(path))
    text = (out / "moodle.csv").read_text(encoding="utf-8")
    assert len(text.splitlines()) == 2  # Moodle's older reader splits on every newline
    assert moodle_import(text, MOODLE_USERS, "Email address", "useremail", ["Exercises 01-soft-power"]) == {
        (1, "Exercises 01-soft-power"): "11"}
