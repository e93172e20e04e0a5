"""Exercises end to end in JupyterLab: every exercise type of notebooks/00-start-here.ipynb is
answered in the browser, half of the attempts with the mouse and half with the keyboard only;
feedback is seen; the saved .ipynb carries every answer record; "restart kernel and run all" shows
the answers again; and after closing the notebook and deleting the on-disk answer store, reopening
and running all brings them back from the notebook file alone.

Everything happens in the session's temporary copy of the course; the repository is never touched.
"""
from __future__ import annotations

import json
import shutil

import pytest

import exercise_driver as xd
import labdriver
from helpers.exercises.bank import load_set_bank
from helpers.exercises.record import MIME

pytestmark = pytest.mark.browser

SET = "00-start-here"
NB = f"notebooks/{SET}.ipynb"

LONG_TEXT = (
    "The text is a news report on a Hanoi news site of a speech by the Party's General Secretary "
    "to the 29th Diplomatic Conference [trong2016 ¶2]. He speaks to the diplomats he directs, so "
    "soft power is defined as a task for them: the righteousness of the cause, national unity and "
    "the sympathy of peace-loving peoples [trong2016 ¶3]. That is a political definition rather "
    "than Nye's culture, values and policies, relayed by a reporter, not argued by a scholar."
)


def _right_values(ex):
    """(raw control values, recorded answer) for the key."""
    t, key = ex.type, ex.answer
    if t == "evidence":
        first = key[0] if isinstance(key, list) else key  # one or several supporting paragraphs
        return first, first
    if t == "single":
        return key, key
    if t == "multiple":
        ordered = [oid for oid, _ in ex.options if oid in key]
        return ordered, ordered
    if t == "classify":
        return dict(key), dict(key)
    if t == "order":
        return {iid: key.index(iid) + 1 for iid, _ in ex.items}, list(key)
    if t == "grid":
        quads = ex.quadrants
        return {iid: quads.index(tuple(key[iid])) for iid, _ in ex.items}, {k: list(v) for k, v in key.items()}
    if t == "numeric":
        text = f"{key:g}" if isinstance(key, float) else str(key)
        return text, key
    if t == "text":
        return LONG_TEXT, LONG_TEXT
    raise AssertionError(f"unknown type {t}")


def _wrong_values(ex):
    """Raw control values for a valid but wrong (or partly right) answer, and its record answer."""
    t, key = ex.type, ex.answer
    if t == "single":
        wrong = next(oid for oid, _ in ex.options if oid != key)
        return wrong, wrong
    if t == "evidence":
        keys = key if isinstance(key, list) else [key]
        wrong = next(n for n in ex.choices if n not in keys)
        return wrong, wrong
    if t == "multiple":
        return [key[0]], [key[0]]
    if t == "classify":
        cats = ex.categories
        wrong = {iid: cats[(cats.index(key[iid]) + 1) % len(cats)] for iid, _ in ex.items}
        return wrong, wrong
    if t == "order":
        rev = list(reversed(key))
        return {iid: rev.index(iid) + 1 for iid, _ in ex.items}, rev
    if t == "grid":
        quads = ex.quadrants
        vals = {iid: (quads.index(tuple(key[iid])) + 1) % len(quads) for iid, _ in ex.items}
        return vals, {iid: list(quads[v]) for iid, v in vals.items()}
    if t == "numeric":
        return "12", 12
    if t == "text":
        return "A first draft.", "A first draft."
    raise AssertionError(f"unknown type {t}")


def _empty_values(ex):
    t = ex.type
    if t in ("classify", "order", "grid"):
        return {iid: None for iid, _ in ex.items}
    if t == "numeric":
        return "abc"  # text in a number box: a clear message, never a traceback
    return {"single": None, "evidence": None, "multiple": [], "text": ""}[t]


def _plan(bank):
    """Per exercise: nothing/invalid -> error; wrong -> wrong/partial; right -> right.
    Even-numbered exercises are answered right with the keyboard, odd ones with the mouse; the
    earlier attempts use the other device, so every type is driven by both."""
    right_status = ("right",) if bank.mode == "practice" else ("recorded",)
    wrong_status = ("wrong", "partial") if bank.mode == "practice" else ("recorded",)
    plan = {}
    for i, ex in enumerate(bank):
        last = xd.KEYBOARD if i % 2 == 0 else xd.MOUSE
        first = xd.MOUSE if last == xd.KEYBOARD else xd.KEYBOARD
        wrong_vals, wrong_answer = _wrong_values(ex)
        right_vals, right_answer = _right_values(ex)
        text_status = ("recorded",)
        plan[ex.id] = [
            xd.Step(_empty_values(ex), first, ("error",)),
            xd.Step(wrong_vals, first, text_status if ex.type == "text" else wrong_status, wrong_answer),
            xd.Step(right_vals, last, text_status if ex.type == "text" else right_status, right_answer),
        ]
    return plan


def _check_shown(page, nb, bank, plan, when: str) -> list[str]:
    problems = []
    for ex in bank:
        box = page.locator(xd.box_selector(ex.id))
        final = plan[ex.id][-1]
        if box.count() != 1:
            problems.append(f"{nb}: {when}: exercise {ex.id} ({ex.type}): {box.count()} widgets shown, expected 1")
            continue
        shown = xd.shown_values(page, box, ex)
        expected = final.values
        if ex.type == "numeric":
            ok = shown.strip() != "" and xd.same_answer(float(shown.replace(",", ".")), final.answer)
        elif ex.type == "multiple":
            ok = sorted(shown) == sorted(expected)
        else:
            ok = shown == expected
        if not ok:
            problems.append(f"{nb}, {xd.cell_name(page, nb, ex.id)}: {when}: exercise {ex.id} ({ex.type}) shows {shown!r}, "
                            f"expected {expected!r}")
        status, text = xd.feedback_state(box)
        if status not in final.expect:
            problems.append(f"{nb}, {xd.cell_name(page, nb, ex.id)}: {when}: exercise {ex.id} ({ex.type}) feedback is {status or 'empty'} "
                            f"({text[:120]!r}), expected {' or '.join(final.expect)}")
    return problems


def _check_file(server, nb, bank, plan, when: str) -> list[str]:
    saved = labdriver.read_ipynb(server, nb)
    records = xd.file_records(saved, bank.set)
    problems = []
    for ex in bank:
        final = plan[ex.id][-1]
        if ex.id not in records:
            problems.append(f"{nb}: {when}: the saved file has no {MIME} record for {ex.id} ({ex.type})")
            continue
        index, rec = records[ex.id]
        source = saved["cells"][index].get("source", "")
        source = "".join(source) if isinstance(source, list) else source
        first = next((line for line in source.splitlines() if line.strip()), "")[:100]
        index = f"{index} ({first!r})"
        for field in ("set", "exercise", "type", "answer"):
            if field not in rec:
                problems.append(f"{nb}, cell {index}: {when}: record of {ex.id} lacks {field!r}")
        if rec.get("type") != ex.type or not xd.same_answer(rec.get("answer"), final.answer):
            problems.append(f"{nb}, cell {index}: {when}: saved record of {ex.id} is "
                            f"{rec.get('type')}={rec.get('answer')!r}, expected {ex.type}={final.answer!r}")
    return problems


def _grade_answered_notebook(server, nb, bank, plan) -> list[str]:
    """Hand the browser-saved notebook in under an LMS-style name and grade it with the real command.

    The answered notebook is kept in test-artifacts/answered/ so a person can grade it too.
    """
    import csv

    from helpers.grading.cli import main as grade

    saved = labdriver.read_ipynb(server, nb)
    artifacts = labdriver.SCREENSHOTS.parent / "answered"
    artifacts.mkdir(parents=True, exist_ok=True)
    (artifacts / f"{SET}.ipynb").write_text(json.dumps(saved), encoding="utf-8")
    work = server.root.parent / "grading-run"
    shutil.rmtree(work, ignore_errors=True)
    submissions = work / "submissions"
    submissions.mkdir(parents=True)
    (submissions / f"nguyenvan_12345_67890_{SET}.ipynb").write_text(json.dumps(saved), encoding="utf-8")
    if grade([str(submissions), "--out", str(work / "grades"), "--quiet", "--no-chart"]) != 0:
        return [f"{nb}: the grading command failed on the browser-answered notebook"]
    rows = list(csv.DictReader((work / "grades" / "gradebook.csv").open(encoding="utf-8")))
    if len(rows) != 1:
        return [f"{nb}: gradebook has {len(rows)} rows for one handed-in notebook"]
    row, problems = rows[0], []
    for ex in bank:
        cell = row.get(f"{SET}/{ex.id}", "")
        final = plan[ex.id][-1]
        if ex.type == "text":
            continue  # scored by the teacher against the rubric (freetext.csv)
        if "right" in final.expect and cell != "" and float(cell) != ex.points:
            problems.append(f"{nb}: graded {ex.id} ({ex.type}) at {cell}, expected full marks {ex.points}")
        if cell == "":
            problems.append(f"{nb}: the gradebook has no score for {ex.id} ({ex.type})")
    texts = [ex.id for ex in bank if ex.type == "text"]
    freetext = list(csv.DictReader((work / "grades" / "freetext.csv").open(encoding="utf-8")))
    if texts and not any(any(t in str(v) for v in r.values()) for r in freetext for t in texts):
        problems.append(f"{nb}: the short-text answer is missing from freetext.csv")
    return problems


def test_every_exercise_type_recorded_end_to_end(lab_server, offline_page):
    root = lab_server.root
    bank = load_set_bank(SET, root)
    nb_path = root / NB
    assert nb_path.is_file(), f"{NB} is missing: the exercises are tested in the course's own notebook"
    original = nb_path.read_bytes()
    store = nb_path.parent / ".answers"
    shutil.rmtree(store, ignore_errors=True)
    types = {ex.type for ex in bank}
    assert types >= {"single", "multiple", "classify", "order", "numeric", "text", "grid", "evidence"}, \
        f"course/exercises/{SET}.yml lacks exercise types: {sorted(types)}"
    plan = _plan(bank)
    page = offline_page
    page.vnfr_nb = NB
    shot = labdriver.artifact_name(NB, "exercises")
    try:
        # 1. Open and run: a clean notebook.
        labdriver.open_notebook(page, lab_server, NB)
        labdriver.run_all(page, NB)
        labdriver.check_notebook(page, NB)

        # 2. Answer: invalid, wrong, right; both devices; feedback seen each time.
        for ex in bank:
            box = page.locator(xd.box_selector(ex.id))
            assert box.count() == 1, f"{NB}: exercise {ex.id} ({ex.type}) is not shown (no {xd.box_selector(ex.id)})"
            box.scroll_into_view_if_needed()
            for n, step in enumerate(plan[ex.id]):
                what = f"{NB}: exercise {ex.id} ({ex.type}), attempt {n + 1} with the {step.how}"
                try:
                    xd.set_values(page, box, ex, step.values, step.how)
                    if ex.type == "text":
                        words = len(str(step.values).split())
                        counter = box.locator(".vnfr-wordcount")
                        for _ in range(100):  # the count is updated by the kernel as the student types
                            if counter.inner_text().startswith(f"{words} word"):
                                break
                            page.wait_for_timeout(100)
                        label = counter.inner_text()
                        assert label.startswith(f"{words} word"), f"word count shows {label!r}, typed {words} words"
                    xd.press_submit(page, box, step.how)
                    status, text = xd.wait_feedback(page, box, step.expect)
                    assert text, "the feedback is empty"
                    assert "Traceback" not in text, f"the feedback shows a traceback: {text[:300]}"
                    if step.answer is not None:
                        xd.wait_record(page, NB, ex.id, step.answer)
                except AssertionError as exc:
                    raise AssertionError(f"{what}, {xd.cell_name(page, NB, ex.id)}: {exc}") from None
        assert store.is_dir() and (store / f"{SET}.json").is_file(), \
            f"{NB}: no answer store written at {store / (SET + '.json')}"
        progress = page.locator(".vnfr-progress")
        assert progress.count(), f"{NB}: no progress line (ex.progress()) is shown"
        text = progress.last.inner_text()
        assert f"Answered {len(bank)} of {len(bank)}" in text, f"{NB}: progress shows {text!r}"

        # 3. Save; the file on disk carries every answer.
        labdriver.save_notebook(page, NB)
        problems = _check_file(lab_server, NB, bank, plan, "after answering and saving")
        assert not problems, "\n".join(problems)

        # 3b. Grade the notebook answered in this browser, as a teacher would (issue 4).
        problems = _grade_answered_notebook(lab_server, NB, bank, plan)
        assert not problems, "\n".join(problems)

        # 4. Restart the kernel and run all: the answers are still shown, and still saved.
        labdriver.restart_and_run_all(page, NB)
        labdriver.check_notebook(page, NB)
        problems = _check_shown(page, NB, bank, plan, "after restart and run all")
        labdriver.save_notebook(page, NB)
        problems += _check_file(lab_server, NB, bank, plan, "after restart, run all and saving again")
        assert not problems, "\n".join(problems)

        # 5. Close; delete the on-disk store; reopen (no widget state saved) and run all: the
        #    answers come back from the notebook file alone.
        labdriver.close_notebook(page, NB)
        shutil.rmtree(store)
        labdriver.open_notebook(page, lab_server, NB)
        labdriver.run_all(page, NB)
        labdriver.check_notebook(page, NB)
        problems = _check_shown(page, NB, bank, plan, "after closing, deleting the answer store, reopening, run all")
        labdriver.save_notebook(page, NB)
        problems += _check_file(lab_server, NB, bank, plan, "after reopening and saving")
        assert not problems, "\n".join(problems)
        page.offsite.check(NB)
    finally:
        labdriver.screenshot(page, shot, NB)
        page.vnfr_shot = True
        # Leave the course copy as it was for other tests on this worker.
        try:
            labdriver.close_notebook(page, NB)
        except Exception:
            pass
        nb_path.write_bytes(original)
        shutil.rmtree(store, ignore_errors=True)
