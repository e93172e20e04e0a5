"""The class hub at scale: a real JupyterHub on loopback, 20 students answering through the kernel
protocol at once, two more in real Chromium, a correction published mid-term, then collect and
grade. Each student answers a different pattern, so a mixed-up or lost answer changes a score.

`make test-hub` runs it (and `make test` calls that); it needs root (it creates Unix users named
`vnfr-test-…` and removes them afterwards) and the environment of `make hub-env`.
"""
from __future__ import annotations

import csv
import json
import os
import shutil
import statistics
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from helpers.hub import admin as hubmod
from helpers.exercises.bank import load_set_bank
from helpers.exercises.record import extract_records

from helpers.hub.sim import HUB_BIN, PREFIX, REPO, Student, new_data_dir, run_helpers, start_hub

N_API = 20
BROWSER = [f"{PREFIX}web1", f"{PREFIX}web2"]
API = [f"{PREFIX}s{i:02d}" for i in range(1, N_API + 1)]
NEVER = f"{PREFIX}never"  # on the roster, never logs in
NB = "course/notebooks/00-start-here.ipynb"
SET = "00-start-here"
SINGLE, MULTIPLE, NUMERIC, TEXT = ("start-soft-power-meaning", "start-nye-resources",
                                   "start-share-comprehensive", "start-who-is-speaking")
CORRECTION = "Correction published mid-term: this sentence reached every student."



def bank():
    return load_set_bank(SET)


def plan(username: str, index: int) -> dict:
    """What student number `index` answers: a different right/wrong pattern per student."""
    b = bank()
    single, multiple, numeric = b[SINGLE], b[MULTIPLE], b[NUMERIC]
    texts = dict(single.options)
    right = {SINGLE: bool(index & 1), MULTIPLE: bool(index & 2), NUMERIC: bool(index & 4)}
    wrong_option = next(oid for oid, _ in single.options if oid != single.answer)
    return {
        "right": right,
        SINGLE: texts[single.answer if right[SINGLE] else wrong_option],
        MULTIPLE: [dict(multiple.options)[o] for o in (multiple.answer if right[MULTIPLE] else ["army", "gdp"])],
        NUMERIC: f"{numeric.answer if right[NUMERIC] else numeric.answer + 10:g}",
        TEXT: f"Written by {username}: Quy speaks as a Vietnamese scholar to a Vietnamese Party readership.",
    }


def expected_points(p: dict) -> dict:
    b = bank()
    return {ex: (b[ex].points if p["right"][ex] else 0.0) for ex in (SINGLE, MULTIPLE, NUMERIC)}


@pytest.fixture(scope="module")
def hub():
    if os.geteuid() != 0:
        pytest.fail("the hub test creates Unix users: run it as root (make test-hub)")
    if not HUB_BIN.exists():
        pytest.fail(f"no hub environment at {HUB_BIN}: run `make hub-env` (make test-hub does)")
    data = new_data_dir()
    users = API + BROWSER + [NEVER]
    hubmod.remove_users(users)  # left over from an interrupted run
    h = start_hub(data, users)
    try:
        yield h
    finally:
        h.stop()
        artifacts = REPO / "test-artifacts" / "hub"
        artifacts.mkdir(parents=True, exist_ok=True)
        shutil.copy2(h.log, artifacts / "hub.log")
        hubmod.remove_users(users)
        shutil.rmtree(data, ignore_errors=True)


@pytest.fixture(scope="module")
def results():
    return {}


def student_session(hub, username: str, index: int, password: str) -> dict:
    s = Student(hub, username, password)
    s.login()
    ready = s.start_server()
    s.pull()
    nb = s.get_notebook(NB)
    s.start_kernel(NB)
    s.run_all(nb)
    p = plan(username, index)
    s.choose(SINGLE, p[SINGLE], nb)
    s.press(SINGLE, nb)
    s.tick(MULTIPLE, p[MULTIPLE], nb)
    s.press(MULTIPLE, nb)
    s.type_into(NUMERIC, p[NUMERIC], nb)
    s.press(NUMERIC, nb)
    s.type_into(TEXT, p[TEXT], nb, model="TextareaModel")
    s.press(TEXT, nb)
    feedback = {ex: s.feedback(ex) for ex in (SINGLE, MULTIPLE, NUMERIC)}
    s.save_notebook(NB, nb)
    s.close()
    return {"plan": p, "ready_s": ready, "run_all_s": s.timings["run_all_s"], "feedback": feedback}


def test_twenty_students_log_in_answer_and_save_at_once(hub, results):
    passwords = hub.passwords()
    t0 = time.monotonic()
    with ThreadPoolExecutor(max_workers=N_API) as pool:
        futures = {u: pool.submit(student_session, hub, u, i, passwords[u]) for i, u in enumerate(API, start=1)}
        done = {u: f.result() for u, f in futures.items()}
    wall = time.monotonic() - t0
    results.update(done)
    print(f"\nhub_20_students_answered_s: {wall:.1f}  median server ready: "
          f"{statistics.median(r['ready_s'] for r in done.values()):.1f} s, median run-all: "
          f"{statistics.median(r['run_all_s'] for r in done.values()):.1f} s")
    for u, r in done.items():  # practice mode: the feedback each widget showed matches the answer
        for ex, right in r["plan"]["right"].items():
            assert r["feedback"][ex] == ("vnfr-status-right" if right else "vnfr-status-wrong"), (u, ex, r["feedback"])
    for u in API:  # the saved file in the student's own home holds the student's own answers
        path = Path(os.path.expanduser(f"~{u}")) / NB
        records = {r["exercise"]: r for r in extract_records(path)}
        assert records[TEXT]["answer"] == done[u]["plan"][TEXT], u
        assert (path.parent / ".answers" / f"{SET}.json").is_file()
        assert path.stat().st_uid == Path(os.path.expanduser(f"~{u}")).stat().st_uid


def test_two_students_in_chromium(hub, results):
    from playwright.sync_api import sync_playwright

    import exercise_driver as drv
    import labdriver as lab

    passwords = hub.passwords()
    b = bank()
    nb_rel = "course/notebooks/00-start-here.ipynb"
    with sync_playwright() as pw:
        browser = lab.launch_chromium(pw)
        try:
            for index, username in enumerate(BROWSER, start=1):
                context, offsite = lab.new_offline_context(browser)
                page = context.new_page()
                page.goto(f"{hub.url}/hub/login")
                page.fill("#username_input", username)
                page.fill("#password_input", passwords[username])
                page.click("#login_submit")
                # the spawn page, then nbgitpuller's page, then JupyterLab with the notebook open
                page.wait_for_url("**/lab/tree/**", timeout=240_000)
                lab.wait_for_app(page, timeout_ms=120_000)
                lab.wait_for_idle(page, nb_rel)
                lab.run_all(page, nb_rel)
                box = page.locator(drv.box_selector(SINGLE))
                option = b[SINGLE].answer if index == 1 else "might"
                drv.set_single(page, box, b[SINGLE], option, drv.MOUSE)
                drv.press_submit(page, box, drv.MOUSE)
                drv.wait_record(page, nb_rel, SINGLE, option)
                lab.save_notebook(page, nb_rel)
                offsite.check(f"{username} on the hub")
                results[username] = {"plan": {"right": {SINGLE: index == 1}, "browser": True}}
                context.close()
        finally:
            browser.close()
    for index, username in enumerate(BROWSER, start=1):
        path = Path(os.path.expanduser(f"~{username}")) / NB
        records = {r["exercise"]: r for r in extract_records(path)}
        assert records[SINGLE]["answer"] == (b[SINGLE].answer if index == 1 else "might")


def test_student_cannot_read_a_classmate_or_the_key(hub):
    a, b = API[0], API[1]
    s = Student(hub, a, hub.passwords()[a])
    s.login()
    s.start_server()
    s.start_kernel(NB)
    targets = {
        "classmate": str(Path(os.path.expanduser(f"~{b}")) / NB),
        "classmate_home": os.path.expanduser(f"~{b}"),
        "key": str(REPO / "course" / "exercises" / f"{SET}.yml"),
        "passwords": str(hub.data / "state" / "passwords.csv"),
    }
    code = (
        "import json, os\nres = {}\n"
        f"for name, path in {targets!r}.items():\n"
        "    try:\n"
        "        os.listdir(path) if os.path.isdir(path) else open(path).read(10)\n"
        "        res[name] = 'read'\n"
        "    except PermissionError:\n"
        "        res[name] = 'denied'\n"
        "print(json.dumps(res))\n"
    )
    out = json.loads(s.run_code(code))
    s.close()
    assert out == {name: "denied" for name in targets}, out
    # and the files are there (the check is not passing because a path is wrong)
    assert all(Path(p).exists() for p in targets.values())


def test_a_correction_reaches_a_student_who_answered(hub, results, tmp_path):
    # the lecturer fixes notebook 00 in their copy and publishes it
    root = tmp_path / "course-copy"
    for name in ("helpers", "notebooks", "seeds", "course", "pyproject.toml", "LICENSE", "LICENSE-TEXT"):
        src = REPO / name
        if src.is_dir():
            shutil.copytree(src, root / name, ignore=shutil.ignore_patterns("__pycache__", ".answers"))
        elif src.is_file():
            shutil.copy2(src, root / name)
    path = root / "notebooks" / "00-start-here.ipynb"
    nb = json.loads(path.read_text(encoding="utf-8"))
    md = next(c for c in nb["cells"] if c["cell_type"] == "markdown")
    md["source"] = ([md["source"]] if isinstance(md["source"], str) else md["source"]) + ["\n\n" + CORRECTION]
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    hubmod.publish(hub.data, root=root, message="Notebook 00: a correction")

    username = API[2]
    home_nb = Path(os.path.expanduser(f"~{username}")) / NB
    before = {r["exercise"]: r["answer"] for r in extract_records(home_nb)}
    assert before, "the student had answered"
    s = Student(hub, username, hub.passwords()[username])
    s.login()
    s.start_server()
    events = s.pull()  # what the next login does (the hub's default URL is the nbgitpuller link)
    after_nb = json.loads(home_nb.read_text(encoding="utf-8"))
    text = json.dumps(after_nb)
    assert CORRECTION in text, [e.get("output") for e in events][-5:]
    after = {r["exercise"]: r["answer"] for r in extract_records(after_nb)}
    assert after == before
    # the answers are also still in the store beside the notebook
    store = json.loads((home_nb.parent / ".answers" / f"{SET}.json").read_text(encoding="utf-8"))
    assert {k: v["answer"] for k, v in store["answers"].items()} == before


def test_collect_and_grade_every_student(hub, results, tmp_path):
    assert len(results) == N_API + len(BROWSER), "the students' tests ran first"
    submissions, grades = tmp_path / "submissions", tmp_path / "grades"
    roster = hub.data / "roster.csv"
    deadline = time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(time.time() + 3600))
    out = run_helpers("collect", "--hub", "--hub-dir", str(hub.data), "--roster", str(roster),
                      "--out", str(submissions), "--deadline", deadline).stdout
    assert f"{NEVER}: no " in out and "never logged in" in out, out
    assert sorted(p.name for p in submissions.iterdir() if p.is_dir()) == sorted(API + BROWSER)
    run_helpers("grade", str(submissions), "--roster", str(roster), "--out", str(grades), "--quiet", "--no-chart")
    with open(grades / "gradebook.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    ids = {}
    with open(roster, newline="", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            ids[r["id"]] = r["username"]
    by_user = {ids[r["student_id"]]: r for r in rows if r["student_id"] in ids}
    for username, r in results.items():
        row = by_user[username]
        if r["plan"].get("browser"):
            want = {SINGLE: 1.0 if r["plan"]["right"][SINGLE] else 0.0}
        else:
            want = expected_points(r["plan"])
        got = {ex: float(row[f"{SET}/{ex}"] or 0) for ex in want}
        assert got == want, (username, got, want)
    assert by_user[NEVER][f"{SET} total"] == ""  # on the roster, nothing handed in
    # every written answer came back to its own author
    for username in API:
        recs = {x["exercise"]: x for x in extract_records(submissions / username / "00-start-here.ipynb")}
        assert recs[TEXT]["answer"].startswith(f"Written by {username}:")
