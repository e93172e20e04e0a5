"""Recording end to end in a real kernel (no browser): a click records the answer into the cell that
shows the exercise, and a fresh kernel ("restart and run all") restores and re-emits it."""
from __future__ import annotations

import shutil

import nbclient
import nbformat
import pytest

from helpers.exercises import record as rec

SETUP = 'from helpers import exercises\nex = exercises.load_set("00-start-here")'
SHOW = 'ex.show("start-soft-power-meaning")'
CLICK = 'w = ex.widgets["start-soft-power-meaning"]\nw.set_values("might")\nw.button.click()'


def run(folder, sources):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(s) for s in sources]
    nbclient.NotebookClient(nb, timeout=120, kernel_name="python3",
                            resources={"metadata": {"path": str(folder)}}).execute()
    return nb


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.delenv("VNFR_ANSWERS_DIR", raising=False)
    d = tmp_path / "notebooks"
    d.mkdir()
    return d


def test_click_records_into_the_exercise_cell_and_a_fresh_kernel_restores_it(folder):
    nb = run(folder, [SETUP, SHOW, CLICK])
    path = folder / "00-start-here.ipynb"
    nbformat.write(nb, str(path))
    records = rec.extract_records(path)
    assert [r["answer"] for r in records] == ["might"]
    assert any(rec.MIME in o.get("data", {}) for o in nb.cells[1].outputs)  # in the show cell itself
    assert (folder / ".answers" / "00-start-here.json").is_file()

    again = run(folder, [SETUP, SHOW])  # restart kernel and run all
    assert [r["answer"] for r in rec.extract_records(again)] == ["might"]

    shutil.rmtree(folder / ".answers")  # the store is gone: the saved notebook still has the answer
    third = run(folder, [SETUP, SHOW, 'print(ex.widgets["start-soft-power-meaning"].values())'])
    assert [r["answer"] for r in rec.extract_records(third)] == ["might"]
    assert third.cells[2].outputs[0]["text"].strip() == "might"
