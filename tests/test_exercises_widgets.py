"""The widgets' pure functions, and the widgets driven without a browser (button clicks, restore)."""
from __future__ import annotations

import json

import nbformat
import pytest

from helpers.exercises import ExerciseSetView, bank, load_set, progress_summary
from helpers.exercises import record as rec
from helpers.exercises.store import AnswerStore
from helpers.exercises.widgets import (answer_from_values, feedback, grid_cells, parse_number,
                                       values_from_answer, word_count_label)
from helpers.core.readings import load_readings

START = bank.load_set_bank("00-start-here")
RIGHT = {ex.id: ex.answer for ex in START if ex.type != "text"}
RIGHT["start-who-is-speaking"] = "The General Secretary speaks to diplomats."
RIGHT["start-evidence-trust"] = START["start-evidence-trust"].answer[0]  # the key lists every paragraph accepted


class FakeDisplay:
    """Stands in for IPython's display: keeps what each display id currently shows."""

    def __init__(self):
        self.shown: list = []
        self.current: dict[str, dict] = {}

    def show(self, obj, raw=False, display_id=None):
        self.shown.append(obj)
        if display_id:
            self.current[display_id] = obj

    def update(self, bundle, display_id):
        assert display_id in self.current, "update of a display that was never shown"
        self.current[display_id] = bundle

    def records(self):
        return [b[rec.MIME] for b in self.current.values() if rec.MIME in b]


@pytest.fixture
def view(tmp_path):
    return ExerciseSetView(START, AnswerStore(START.set, tmp_path / ".answers"), FakeDisplay(), notebook_dirs=[tmp_path])


@pytest.mark.parametrize("text, value", [("66.7", 66.7), (" 66,7 ", 66.7), ("-3", -3), ("1e3", 1000.0),
                                         ("\u221212.5", -12.5), ("66.7%", 66.7), (".5", 0.5)])
def test_parse_number_accepts(text, value):
    assert parse_number(text, unit="%") == (value, None)


@pytest.mark.parametrize("text", ["", "  ", "abc", "12.5.3", "1,000.5", "12 apples", None, "1e999"])
def test_parse_number_refuses_with_a_message(text):
    value, problem = parse_number(text)
    assert value is None and problem.startswith(("Type a number, e.g. 12.5", "That number"))


def test_values_and_answers_round_trip_for_every_type():
    for ex in START:
        answer = RIGHT[ex.id]
        values = values_from_answer(ex, answer)
        back, problem = answer_from_values(ex, values)
        assert problem is None, (ex.id, problem)
        assert back == answer, ex.id


@pytest.mark.parametrize("exercise_id, values, message", [
    ("start-soft-power-meaning", None, "Choose an option first."),
    ("start-nye-resources", [], "Tick at least one option first."),
    ("start-classify-vietnam-sources", {"hospitality": "culture"}, "Choose a category for every item first (4 left)."),
    ("start-order-integration", {"china": 1, "asean": 1, "wto": 3, "res22": 4, "cptpp": 5},
     "Use each position once: position 1 is used more than once."),
    ("start-order-integration", {"china": 1}, "Give every item a position first (4 left)."),
    ("start-share-comprehensive", "sixty", "Type a number, e.g. 12.5"),
    ("start-who-is-speaking", "  ", "Write your answer first."),
    ("start-confidence-grid", {}, "Place every item on the grid first (4 left)."),
    ("start-evidence-trust", None, "Choose a paragraph first."),
])
def test_wrong_kind_of_answer_gives_a_clear_message(exercise_id, values, message):
    answer, problem = answer_from_values(START[exercise_id], values)
    assert answer is None and problem.startswith(message)


def test_feedback_practice_and_assessment():
    ex = START["start-soft-power-meaning"]
    right = feedback(ex, "practice", "attraction")
    assert right.status == "right" and "[quy2024 ¶3]" in right.html
    wrong = feedback(ex, "practice", "might")
    assert wrong.status == "wrong" and "try again" in wrong.text and "quy2024" in wrong.html
    for answer in ("attraction", "might"):
        fb = feedback(ex, "assessment", answer)
        assert fb.status == "recorded" and fb.text == "Answer recorded."
        assert "Right" not in fb.html and "quy2024" not in fb.html
    text = feedback(START["start-who-is-speaking"], "practice", "Some words.")
    assert text.status == "recorded" and "criteria" in text.html and "model answer" in text.html


def test_word_count_label():
    ex = START["start-who-is-speaking"]
    assert word_count_label(ex, "one two three") == "3 words (aim for 60–150) · not saved yet"
    assert word_count_label(ex, "one two three", "one two three") == "3 words (aim for 60–150) · saved"
    assert word_count_label(ex, "") == "0 words (aim for 60–150)"


def test_grid_cells_place_items_in_quadrants():
    ex = START["start-confidence-grid"]
    cells = grid_cells(ex, {"reliable": 0, "enemy": 3, "potential": None})
    assert cells[("high", "more")] == [dict(ex.items)["reliable"]]
    assert cells[("low", "less")] == [dict(ex.items)["enemy"]]
    assert cells[("low", "more")] == [] and len(cells) == 4


def test_every_type_records_on_click_and_the_widget_has_its_classes(view, tmp_path):
    for ex in START:
        view.show(ex.id)
        w = view.widgets[ex.id]
        classes = w.box._dom_classes
        assert {"vnfr-exercise", f"vnfr-type-{ex.type}", f"vnfr-ex-{ex.id}", "vnfr-mode-practice"} <= set(classes)
        assert "vnfr-submit" in w.button._dom_classes and "vnfr-feedback" in w.feedback._dom_classes
        w.set_values(values_from_answer(ex, RIGHT[ex.id]))
        w.button.click()
        assert "vnfr-status-error" not in w.feedback._dom_classes, (ex.id, w.feedback.value)
    stored = json.loads((tmp_path / ".answers" / "00-start-here.json").read_text())
    assert set(stored["answers"]) == {ex.id for ex in START}
    recorded = {r["exercise"]: r["answer"] for r in view.display.records()}
    assert recorded["start-nye-resources"] == ["culture", "values", "policies"]
    assert recorded["start-evidence-trust"] == 23
    s = view.summary()
    assert (s["answered"], s["total"], s["right"], s["scorable"]) == (8, 8, 7, 7)


def test_a_wrong_kind_of_answer_shows_a_message_and_records_nothing(view, tmp_path):
    view.show("start-share-comprehensive")
    w = view.widgets["start-share-comprehensive"]
    w.inputs["number"].value = "about sixty"
    w.button.click()
    assert "vnfr-status-error" in w.feedback._dom_classes and "Type a number" in w.feedback.value
    assert view.display.records() == [] and not (tmp_path / ".answers").exists()


def test_restart_and_run_all_restores_answers_and_re_emits_records(view, tmp_path):
    view.show("start-confidence-grid")
    w = view.widgets["start-confidence-grid"]
    w.set_values({"reliable": 0, "temporary": 1, "potential": 2, "enemy": 3})
    w.button.click()
    # a new kernel: a new view over the same store, and a new display (a fresh cell output)
    fresh = ExerciseSetView(START, AnswerStore(START.set, tmp_path / ".answers"), FakeDisplay(), notebook_dirs=[])
    fresh.show("start-confidence-grid")
    w2 = fresh.widgets["start-confidence-grid"]
    assert w2.values() == {"reliable": 0, "temporary": 1, "potential": 2, "enemy": 3}
    assert "Right." in w2.feedback.value  # practice mode: the restored answer is checked again
    assert fresh.display.records()[0]["answer"] == RIGHT["start-confidence-grid"]
    fresh.show("start-nye-resources")  # never answered: a placeholder, no record
    assert len(fresh.display.records()) == 1


def test_answers_are_restored_from_the_notebook_file_when_the_store_is_gone(tmp_path):
    record = rec.build_record("00-start-here", "start-soft-power-meaning", "single", "might", "2025-01-01T00:00:00Z")
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell('ex.show("start-soft-power-meaning")')
    cell.outputs = [nbformat.v4.new_output("display_data", data=rec.bundle(record))]
    nb.cells.append(cell)
    nbformat.write(nb, str(tmp_path / "00-start-here.ipynb"))
    store = AnswerStore(START.set, tmp_path / ".answers")
    view = ExerciseSetView(START, store, FakeDisplay(), notebook_dirs=[tmp_path])
    view.show("start-soft-power-meaning")
    assert view.widgets["start-soft-power-meaning"].values() == "might"
    assert view.display.records() == [record]
    assert store.get("start-soft-power-meaning") == record  # copied into the store


def test_text_answers_record_on_save_and_count_words(view):
    view.show("start-who-is-speaking")
    w = view.widgets["start-who-is-speaking"]
    w.inputs["text"].value = "The General Secretary speaks"
    assert w.word_count.value.startswith("4 words") and "not saved yet" in w.word_count.value
    assert view.display.records() == []
    w.button.click()
    assert w.word_count.value.endswith("· saved")
    assert view.display.records()[0]["answer"] == "The General Secretary speaks"
    assert w.button.description == "Save answer"


def test_progress_updates_as_answers_are_recorded(view):
    view.show("start-soft-power-meaning")
    view.progress()
    progress_id = view._progress_ids[0]
    assert "Answered 0 of 8" in view.display.current[progress_id]["text/plain"]
    w = view.widgets["start-soft-power-meaning"]
    w.set_values("attraction")
    w.button.click()
    text = view.display.current[progress_id]["text/plain"]
    assert "Answered 1 of 8 · right 1 of 7" in text
    assert 'class="vnfr-progress"' in view.display.current[progress_id]["text/html"]


def test_assessment_mode_shows_only_answer_recorded(tmp_path):
    import yaml

    folder = tmp_path / "course" / "exercises"
    folder.mkdir(parents=True)
    raw = yaml.safe_load(START.path.read_text(encoding="utf-8"))
    raw.update(set="09-quiz", mode="assessment")
    (folder / "09-quiz.yml").write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    quiz = bank.load_bank(folder / "09-quiz.yml", readings=load_readings())
    view = ExerciseSetView(quiz, AnswerStore("09-quiz", tmp_path), FakeDisplay(), notebook_dirs=[])
    view.show("start-soft-power-meaning")
    view.progress()
    w = view.widgets["start-soft-power-meaning"]
    assert w.button.description == "Submit" and "vnfr-mode-assessment" in w.box._dom_classes
    w.set_values("might")
    w.button.click()
    assert "Answer recorded" in w.feedback.value and "Not right" not in w.feedback.value
    assert "quy2024" not in w.feedback.value
    w.set_values("attraction")  # the right answer: still no verdict, in the feedback or the progress
    w.button.click()
    assert "Answer recorded" in w.feedback.value and "Right" not in w.feedback.value
    assert "quy2024" not in w.feedback.value
    progress = view.display.current[view._progress_ids[0]]["text/plain"]
    assert "Answered 1 of 8" in progress and "right" not in progress.lower()
    assert progress_summary(quiz, view.answers())["right"] == 0


def test_load_set_uses_the_course_bank(tmp_path, monkeypatch):
    monkeypatch.setenv("VNFR_ANSWERS_DIR", str(tmp_path))
    view = load_set("00-start-here")
    assert view.mode == "practice" and len(view.bank) == 8 and view.store.path.parent == tmp_path
