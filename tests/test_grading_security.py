"""No student code runs, and no crafted answer earns credit."""
from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_output

from helpers import ROOT
from helpers.grading import MIME, synthetic
from helpers.grading.cli import main
from helpers.grading.extract import extract

SET = "01-soft-power"


def read_csv(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_a_notebook_that_would_read_the_key_and_write_a_file_is_graded_without_running(tmp_path):
    marker = tmp_path / "MARKER"
    stolen = tmp_path / "stolen"
    bank = tmp_path / "bank"
    synthetic.write_bank(bank, SET)
    attack = [
        new_code_cell(f"open({str(marker)!r}, 'w').write('ran')"),
        new_code_cell(f"import shutil; shutil.copytree({str(bank)!r}, {str(stolen)!r})"),
        # An output that a careless grader might evaluate or unpickle: it must stay inert data.
        new_code_cell("x", outputs=[new_output("display_data", data={
            "application/x-python-pickle": "gASVIAAAAAAAAACMCGJ1aWx0aW5zlIwFcHJpbnSUk5SMAmhplIWUUpQu",
            "text/plain": f"__import__('pathlib').Path({str(marker)!r}).write_text('ran')"})]),
    ]
    subs = tmp_path / "subs"
    synthetic.answer_notebook(subs / "mallory_1_2_01-soft-power.ipynb", SET,
                              {"x01-single": "a"}, extra_cells=attack)
    # Through the real entry point, in a fresh interpreter.
    proc = subprocess.run([sys.executable, "-m", "helpers", "grade", str(subs), "--out", str(tmp_path / "out"),
                           "--bank", str(bank), "--quiet"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert not marker.exists()
    assert not stolen.exists()
    rows = read_csv(tmp_path / "out" / "submissions.csv")
    assert [(r["file"], float(r["points"])) for r in rows] == [("mallory_1_2_01-soft-power.ipynb", 1.0)]


def test_grading_never_imports_a_kernel_or_notebook_runner(tmp_path):
    bank = tmp_path / "bank"
    synthetic.write_bank(bank, SET)
    synthetic.answer_notebook(tmp_path / "subs" / "a.ipynb", SET, {"x01-single": "a"})
    code = ("import sys\nfrom helpers.grading.cli import main\n"
            f"main([{str(tmp_path / 'subs')!r}, '--out', {str(tmp_path / 'out')!r}, '--bank', {str(bank)!r},"
            " '--quiet', '--no-chart'])\n"
            "bad = [m for m in ('nbclient', 'jupyter_client', 'ipykernel', 'nbconvert', 'IPython') if m in sys.modules]\n"
            "print(bad)")
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().splitlines()[-1] == "[]"


CRAFTED = {
    # an object where a string is expected, with every trick a JSON value can carry
    "x01-single": {"__eq__": True, "$eq": "a", "answer": "a"},
    # one right option repeated to count three times
    "x01-multiple": ["culture", "culture", "culture"],
    # a list holding the key where an object is expected
    "x01-classify": [{"pho": "culture", "doi-moi": "values", "asean": "policy"}],
    # the key as a string
    "x01-order": '["1986", "1995", "2007"]',
    # a string that equals the number's text; true, which equals 1 in Python
    "x01-numeric": "30",
    "x01-grid": {"us": "high", "cn": "high"},
    "x01-evidence": True,
}


def test_crafted_answers_and_claims_of_credit_score_nothing(tmp_path):
    bank = tmp_path / "bank"
    synthetic.write_bank(bank, SET)
    claims = [synthetic.record(SET, ex_id, ex_id.split("-", 1)[1], answer, correct=True, points=100,
                               score=100, max_points=1)
              for ex_id, answer in CRAFTED.items()]
    synthetic.answer_notebook(tmp_path / "subs" / "eve_7_8_01-soft-power.ipynb", SET, {}, records=claims)
    # The same attack with the record stored as a JSON string.
    synthetic.answer_notebook(tmp_path / "subs" / "eve2_9_10_01-soft-power.ipynb", SET, {}, records=claims,
                              as_string=True)
    assert main([str(tmp_path / "subs"), "--out", str(tmp_path / "out"), "--bank", str(bank), "--quiet"]) == 0
    rows = read_csv(tmp_path / "out" / "gradebook.csv")
    assert len(rows) == 2
    for row in rows:
        assert float(row["total"]) == 0.0, row


def test_a_bool_is_not_the_number_one(tmp_path):
    bank = tmp_path / "bank"
    path = synthetic.write_bank(bank, SET)
    text = path.read_text()
    assert text.count("answer: 30") == 1  # the numeric key the edit below turns into 1
    path.write_text(text.replace("answer: 30", "answer: 1"))
    synthetic.answer_notebook(tmp_path / "subs" / "bool_1_1_01-soft-power.ipynb", SET, {"x01-numeric": True})
    synthetic.answer_notebook(tmp_path / "subs" / "one_2_2_01-soft-power.ipynb", SET, {"x01-numeric": 1})
    assert main([str(tmp_path / "subs"), "--out", str(tmp_path / "out"), "--bank", str(bank), "--quiet"]) == 0
    book = {r["student_id"]: r for r in read_csv(tmp_path / "out" / "gradebook.csv")}
    assert float(book["canvas:1"]["01-soft-power/x01-numeric"]) == 0.0  # true is not 1
    assert float(book["canvas:2"]["01-soft-power/x01-numeric"]) > 0.0   # while the number 1 is right


def test_feedback_escapes_everything_a_student_wrote(tmp_path):
    bank = tmp_path / "bank"
    synthetic.write_bank(bank, SET)
    evil = "<script>alert('x')</script><img src=x onerror=alert(1)>"
    synthetic.answer_notebook(tmp_path / "subs" / "<b>bold</b>_3_4_01-soft-power.ipynb", SET,
                              {"x01-text": evil, "x01-single": "a"})
    main([str(tmp_path / "subs"), "--out", str(tmp_path / "out"), "--bank", str(bank), "--quiet"])
    pages = list((tmp_path / "out" / "feedback").glob("*.html"))
    assert len(pages) == 1
    html = pages[0].read_text(encoding="utf-8")
    assert "<script>" not in html and "<img" not in html and "<b>bold" not in html
    assert "&lt;script&gt;alert(" in html and "&lt;img src=x onerror" in html  # shown, as text
    assert "&lt;b&gt;bold&lt;/b&gt;" in html  # the file name is shown too, as text


def test_spreadsheet_formulas_in_student_text_are_neutralised(tmp_path):
    bank = tmp_path / "bank"
    synthetic.write_bank(bank, SET)
    synthetic.answer_notebook(tmp_path / "subs" / "a.ipynb", SET, {"x01-text": "=HYPERLINK(\"http://x\")"})
    main([str(tmp_path / "subs"), "--out", str(tmp_path / "out"), "--bank", str(bank), "--quiet"])
    row = read_csv(tmp_path / "out" / "freetext.csv")[0]
    assert row["answer"].startswith("'=")


def test_the_record_mime_bundle_is_read_as_data_only(tmp_path):
    nb_path = tmp_path / "n.ipynb"
    synthetic.answer_notebook(nb_path, SET, {"x01-single": "a"})
    nb = json.loads(nb_path.read_text())
    recs = [o["data"][MIME] for c in nb["cells"] if c["cell_type"] == "code" for o in c["outputs"]
            if MIME in o.get("data", {})]
    assert recs and all(type(r) is dict for r in recs)
    nbformat.validate(nbformat.reads(nb_path.read_text(), as_version=4))
    got = extract(nb_path)
    assert got.problems == [] and list(got.records) == [(SET, "x01-single")]
    assert got.records[(SET, "x01-single")].answer == "a"
