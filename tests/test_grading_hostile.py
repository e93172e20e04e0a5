"""Hostile input: no file stops the run or half-writes an output, no student takes another's grade,
reports stay short, nothing raw reaches the screen, one bad value costs one record, records where
the widgets never write are not scored, special files are named. Cases: grading_corpus/make_hostile.py."""
from __future__ import annotations

import csv
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import ROOT
from helpers.grading import synthetic
from helpers.grading.cli import main

from grading_support import H, read_csv

HERE = Path(__file__).resolve().parent
OUTPUTS = ["gradebook.csv", "canvas.csv", "moodle.csv", "submissions.csv", "freetext.csv", "items.csv", "errors.csv"]


@pytest.fixture
def course(tmp_path):
    synthetic.write_bank(tmp_path / "bank", H.SET, "practice")
    return tmp_path


def grade(course: Path, *extra: str, quiet: bool = True) -> Path:
    out = course / "out"
    args = [str(course / "subs"), "--out", str(out), "--bank", str(course / "bank"), *extra]
    assert main(args + (["--quiet"] if quiet else [])) == 0
    return out


def subs_by_file(out: Path) -> dict[str, dict]:
    return {r["file"]: r for r in read_csv(out / "submissions.csv")}


def errors_of(out: Path, file: str) -> list[dict]:
    return [e for e in read_csv(out / "errors.csv") if e["file"] == file]


# --- 1. No input stops the run; outputs are whole or absent ---------------------------------------

def test_a_file_name_that_is_not_utf8_is_graded_and_every_output_written(course):
    H.not_utf8_name(course / "subs")
    H.write(course / "subs", "good_109_15_01-soft-power.ipynb", H.notebook(H.good_records()))
    out = grade(course, "--feedback")
    for name in OUTPUTS:
        (out / name).read_text(encoding="utf-8")  # present and UTF-8 throughout
    subs = subs_by_file(out)
    assert float(subs[H.BAD_NAME_SHOWN]["points"]) == H.FULL
    assert float(subs["good_109_15_01-soft-power.ipynb"]["points"]) == H.FULL
    book = read_csv(out / "gradebook.csv")
    assert {r["student_id"] for r in book} == {"canvas:101", "canvas:109"}
    assert any(H.BAD_NAME_SHOWN in r["files"] for r in book)


def test_a_lone_surrogate_in_a_text_answer_is_replaced_and_the_answer_kept(course):
    name = H.lone_surrogate(course / "subs")
    out = grade(course)
    [row] = read_csv(out / "freetext.csv")
    assert row["answer"] == "Soft power attracts \ufffd and persuades [quy2024 ¶2]."
    assert float(subs_by_file(out)[name]["points"]) == H.FULL
    assert any("lone surrogate" in e["reason"] for e in errors_of(out, name))
    assert list((out / "feedback").glob("*.html"))  # the practice-mode page was written too


def test_an_output_that_fails_is_absent_not_half_written_and_the_run_goes_on(course, monkeypatch, capsys):
    from helpers.grading import gradebook

    H.write(course / "subs", "good_109_15_01-soft-power.ipynb", H.notebook(H.good_records()))
    grade(course)  # a first run leaves a complete submissions.csv
    real = gradebook.cell

    def failing(value, **kw):
        if value == "good_109_15_01-soft-power.ipynb":
            raise OSError(28, "No space left on device")
        return real(value, **kw)

    monkeypatch.setattr(gradebook, "cell", failing)
    out = grade(course, quiet=False)
    assert not (out / "submissions.csv").exists()  # not half written, and not last run's either
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]
    assert (out / "errors.csv").exists()
    assert [e["action"] for e in errors_of(out, "gradebook.csv")] == ["output not written"]
    assert "Outputs NOT written: 2" in capsys.readouterr().out  # gradebook.csv and submissions.csv


def test_feedback_pages_are_all_written_or_none(course, monkeypatch):
    from helpers.grading import feedback

    for i in range(3):
        H.write(course / "subs", f"s{i}_{110 + i}_1_01-soft-power.ipynb", H.notebook(H.good_records()))
    real, calls = feedback.page, []

    def third_fails(run, key, *rest):
        calls.append(key)
        if len(calls) == 3:
            raise ValueError("cannot render")
        return real(run, key, *rest)

    monkeypatch.setattr(feedback, "page", third_fails)
    out = grade(course)
    assert not (out / "feedback").exists() or not list((out / "feedback").iterdir())
    assert not [p for p in out.iterdir() if p.name.startswith(".")]  # no staging folder left
    assert [e["action"] for e in errors_of(out, "feedback/")] == ["output not written"]
    monkeypatch.setattr(feedback, "page", real)
    assert len(list((grade(course) / "feedback").glob("*.html"))) == 3


def test_write_atomic_leaves_the_old_file_or_nothing(tmp_path):
    from helpers.grading.untrusted import write_atomic

    target = tmp_path / "x.csv"
    write_atomic(target, lambda fh: fh.write("old\n"))
    assert target.read_text() == "old\n"

    def half(fh):
        fh.write("half a line")
        raise UnicodeEncodeError("utf-8", "\ud800", 0, 1, "surrogates not allowed")

    with pytest.raises(UnicodeEncodeError):
        write_atomic(target, half)
    assert list(tmp_path.iterdir()) == []


# --- 2. Identity: an LMS id in a file name binds the file to that LMS user ------------------------

ROSTER = "id,name,email\nSV001,Nguyễn Văn An,an@x.vn\nSV002,Trần Thị Bình,binh@x.vn\n"


def test_a_student_off_the_roster_cannot_take_over_by_naming_her_file_after_another_id(course):
    (course / "roster.csv").write_text(ROSTER, encoding="utf-8")
    subs = course / "subs"
    synthetic.answer_notebook(subs / "tranthibinh_102_1_01-soft-power.ipynb", H.SET, {"x01-single": "a"},
                              saved="2025-03-01T08:00:00Z")
    # Mallory is not on the roster; her own file name says SV002 and she saved later, with full marks.
    synthetic.answer_notebook(subs / "mallory_999_2_SV002.ipynb", H.SET, H.GOOD, saved="2025-03-02T08:00:00Z")
    synthetic.answer_notebook(subs / "mallory_999_3_binh@x.vn.ipynb", H.SET, H.GOOD, saved="2025-03-03T08:00:00Z")
    out = grade(course, "--roster", str(course / "roster.csv"))
    book = {r["student_id"]: r for r in read_csv(out / "gradebook.csv")}
    assert book["SV002"]["total"] == "1" and book["SV002"]["files"] == "tranthibinh_102_1_01-soft-power.ipynb"
    assert book["canvas:999"]["total"] == "11"
    subs_rows = subs_by_file(out)
    assert subs_rows["tranthibinh_102_1_01-soft-power.ipynb"]["status"] == "counted"
    assert "not matched" in [e["action"] for e in errors_of(out, "mallory_999_2_SV002.ipynb")]


def test_two_lms_users_claiming_one_student_is_a_conflict_graded_for_nobody(course, capsys):
    (course / "roster.csv").write_text(ROSTER, encoding="utf-8")
    subs = course / "subs"
    synthetic.answer_notebook(subs / "nguyenvanan_101_1_01-soft-power.ipynb", H.SET, {"x01-single": "a"})
    # Another Canvas user whose display name was changed to the same name, full marks, saved later.
    synthetic.answer_notebook(subs / "nguyenvanan_555_2_01-soft-power.ipynb", H.SET, H.GOOD,
                              saved="2025-03-05T10:00:00Z")
    out = grade(course, "--roster", str(course / "roster.csv"), quiet=False)
    book = {r["student_id"]: r for r in read_csv(out / "gradebook.csv")}
    assert book["SV001"]["total"] == ""  # graded for nobody until the teacher decides
    subs_rows = subs_by_file(out)
    for name in ("nguyenvanan_101_1_01-soft-power.ipynb", "nguyenvanan_555_2_01-soft-power.ipynb"):
        assert subs_rows[name]["status"] == "conflict: counted for nobody"
        [e] = errors_of(out, name)
        assert e["action"] == "conflict" and "canvas:101" in e["reason"] and "canvas:555" in e["reason"]
    assert "Conflicts, counted for nobody until you decide: 2" in capsys.readouterr().out
    canvas = list(csv.reader(open(out / "canvas.csv", encoding="utf-8")))
    assert not [r for r in canvas if r[1] in ("101", "555")]  # nothing to import for either


def test_the_rosters_lms_id_is_binding_and_other_claims_count_for_nobody(course):
    (course / "roster.csv").write_text("id,name,canvas id\nSV001,Nguyễn Văn An,101\nSV002,Trần Thị Bình,\n",
                                       encoding="utf-8")
    subs = course / "subs"
    synthetic.answer_notebook(subs / "nguyenvanan_101_1_01-soft-power.ipynb", H.SET, {"x01-single": "a"})
    synthetic.answer_notebook(subs / "nguyenvanan_555_2_01-soft-power.ipynb", H.SET, H.GOOD,
                              saved="2025-03-05T10:00:00Z")
    synthetic.answer_notebook(subs / "SV001.ipynb", H.SET, H.GOOD, saved="2025-03-06T10:00:00Z")
    out = grade(course, "--roster", str(course / "roster.csv"))
    book = {r["student_id"]: r for r in read_csv(out / "gradebook.csv")}
    assert book["SV001"]["total"] == "1"
    assert [e["action"] for e in errors_of(out, "nguyenvanan_555_2_01-soft-power.ipynb")] == ["not matched"]
    assert [e["action"] for e in errors_of(out, "SV001.ipynb")] == ["conflict"]


def test_digits_of_other_scripts_are_not_an_lms_id(tmp_path):
    from helpers.grading.roster import identify

    assert identify(tmp_path / "an_\u0661\u0660\u0661_7_x.ipynb", tmp_path).lms == ""
    assert identify(tmp_path / "an_101_7_x.ipynb", tmp_path).lms_id == "101"


# --- 3. Floods: each file's problems once, summarised, bounded ------------------------------------

def test_one_file_cannot_flood_the_report_or_the_screen(course, capsys):
    name = H.flood(course / "subs")
    out = grade(course, quiet=False)
    rows = errors_of(out, name)
    assert 1 <= len(rows) <= 8, len(rows)
    assert (out / "errors.csv").stat().st_size < 5_000
    text = " ".join(r["reason"] for r in rows)
    assert "20000" in text.replace(",", "")  # counted, not listed
    screen = capsys.readouterr().out
    assert len(screen.splitlines()) < 40 and len(screen) < 8_000
    assert float(subs_by_file(out)[name]["points"]) == H.FULL  # and the valid answers still count


def test_summarise_counts_by_kind_with_a_few_examples():
    from helpers.grading.untrusted import summarise

    lines = summarise([f"unknown record schema {i}" for i in range(5000)] + ["empty answer"] * 3)
    assert len(lines) == 2
    assert lines[0].startswith("5000 problems of one kind: unknown record schema 0; unknown record schema 1")
    assert lines[1] == "empty answer (×3)"
    many = summarise([f"problem {chr(97 + i // 26)}{chr(97 + i % 26)} here" for i in range(50)])
    assert len(many) == 8 and "and 43 other kind(s)" in many[-1]


# --- 4. Control characters made visible everywhere -----------------------------------------------

def test_escape_codes_never_reach_the_screen_or_the_files_raw(course, capsys):
    from helpers.grading.untrusted import visible

    H.escapes(course / "subs")
    out = grade(course, quiet=False)
    screen = capsys.readouterr().out
    assert "\x1b" not in screen and "\x07" not in screen and "\u202e" not in screen
    assert "\\x1b[2J" in screen and "\\u202e" in screen
    for name in OUTPUTS:
        text = (out / name).read_text(encoding="utf-8")
        assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text, name
    shown = visible(H.ESC_NAME)
    assert float(subs_by_file(out)[shown]["points"]) == H.FULL
    reasons = " ".join(e["reason"] for e in errors_of(out, shown))
    assert "\\x1b]0;owned\\x07" in reasons and "\\x1b[31mred-set" in reasons


def test_visible_and_show_path():
    from helpers.grading.untrusted import show_path, visible

    assert visible("a\x1b[2Jb\u202ec\x00\x9b") == "a\\x1b[2Jb\\u202ec\\x00\\x9b"
    assert visible("line 1\nline 2\t!", keep_newlines=True) == "line 1\nline 2\t!"
    assert visible("line 1\nline 2") == "line 1\\x0aline 2"
    assert visible(visible("\x1b")) == "\\x1b"  # idempotent
    assert visible("x\ud83d") == "x\\ud83d"
    assert visible("Nguyễn 🎓 ok") == "Nguyễn 🎓 ok"
    assert show_path(os.fsdecode(b"caf\xe9.ipynb")) == "caf\\xe9.ipynb"


# --- 5. One bad value costs one record ------------------------------------------------------------

def test_a_5001_digit_integer_costs_only_its_record(course):
    name = H.huge_integer(course / "subs")
    out = grade(course)
    row = subs_by_file(out)[name]
    assert row["status"] == "counted" and float(row["points"]) == H.FULL - 1  # all but the numeric answer
    reasons = " ".join(e["reason"] for e in errors_of(out, name))
    assert "5,001 digits" in reasons and "Traceback" not in reasons


def test_a_saved_time_in_year_9999_costs_only_its_record(course):
    name = H.year_9999(course / "subs")
    out = grade(course, "--deadline", "2025-03-14T23:59+07:00")
    row = subs_by_file(out)[name]
    assert row["status"] == "counted" and float(row["points"]) == H.FULL - 2  # single and order lost
    assert row["late"] == ""  # the plausible records were saved before the deadline
    reasons = " ".join(e["reason"] for e in errors_of(out, name))
    assert "outside the years 1970–2999" in reasons and "9999-12-31" in reasons and "0001-01-01" in reasons


def test_a_deadline_out_of_range_is_refused_cleanly(course, capsys):
    H.write(course / "subs", "good_109_15_01-soft-power.ipynb", H.notebook(H.good_records()))
    code = main([str(course / "subs"), "--out", str(course / "out"), "--bank", str(course / "bank"),
                 "--deadline", "9999-12-31T23:59-14:00"])
    assert code == 2 and "not an ISO date-time" in capsys.readouterr().err


# --- 6. Records in stream or error outputs --------------------------------------------------------

def test_records_in_stream_and_error_outputs_are_reported_not_scored(course):
    name = H.stray_outputs(course / "subs")
    out = grade(course)
    row = subs_by_file(out)[name]
    assert float(row["points"]) == H.FULL - 2  # single (1) and numeric (1) were only in those outputs
    reasons = " ".join(e["reason"] for e in errors_of(out, name))
    assert "in a stream output" in reasons and "in an error output" in reasons and "never write" in reasons


def test_the_one_walk_over_outputs_reads_records_only_where_widgets_write_them(tmp_path):
    from helpers.exercises.record import latest_answers, raw_records, walk_outputs

    name = H.stray_outputs(tmp_path)
    nb = __import__("json").loads((tmp_path / name).read_text(encoding="utf-8"))
    kinds = [kind for _, kind, _ in walk_outputs(nb)]
    assert kinds.count("stream") == 1 and kinds.count("error") == 1 and kinds.count("display_data") == 6
    assert len(list(raw_records(nb))) == 6
    assert ("01-soft-power", "x01-single") not in latest_answers(nb)  # nor does a widget restore it


# --- 8. Special files named -----------------------------------------------------------------------

def test_pipes_and_sockets_are_named_and_never_opened(course):
    expected = H.special_files(course / "subs")
    H.write(course / "subs", "good_109_15_01-soft-power.ipynb", H.notebook(H.good_records()))
    out = grade(course)  # a pipe opened for reading would hang here
    for name, kind in expected.items():
        [e] = errors_of(out, name)
        assert kind in e["reason"] and "empty" not in e["reason"] and e["action"] == "skipped", e


def test_devices_are_named_by_what_they_are():
    from helpers.grading.extract import special_kind

    assert special_kind(stat.S_IFCHR | 0o666) == "a character device, not a file"
    assert special_kind(stat.S_IFBLK | 0o660) == "a block device, not a file"
    assert special_kind(stat.S_IFIFO | 0o600) == "a named pipe (FIFO), not a file"
    assert special_kind(stat.S_IFREG | 0o644) is None


def test_dev_null_handed_in_as_a_path_is_named(tmp_path):
    synthetic.write_bank(tmp_path / "bank", H.SET)
    (tmp_path / "subs").mkdir()
    os.symlink("/dev/null", tmp_path / "subs" / "null.ipynb")
    assert main([str(tmp_path / "subs"), "--out", str(tmp_path / "out"), "--bank", str(tmp_path / "bank"),
                 "--quiet"]) == 0
    [e] = read_csv(tmp_path / "out" / "errors.csv")
    assert "symbolic link" in e["reason"]


# --- Everything at once, through the real entry point ---------------------------------------------

def test_the_whole_hostile_corpus_runs_without_a_traceback(tmp_path):
    H.build(tmp_path / "subs")
    synthetic.write_bank(tmp_path / "bank", H.SET)
    (tmp_path / "roster.csv").write_text("id,name,email\nSV9,Good Student,g@x.vn\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "helpers", "grade", str(tmp_path / "subs"), "--out",
                           str(tmp_path / "out"), "--bank", str(tmp_path / "bank"), "--roster",
                           str(tmp_path / "roster.csv"), "--deadline", "2025-03-14T23:59+07:00", "--feedback"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    assert "\x1b" not in proc.stdout
    for name in OUTPUTS:
        (tmp_path / "out" / name).read_text(encoding="utf-8")
    assert (tmp_path / "out" / "errors.csv").stat().st_size < 30_000
