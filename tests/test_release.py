"""The student edition: built by one command, with no answer key in plain text, and still working."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

from helpers import ROOT
from helpers.core.errors import CourseFileError
from helpers.exercises import bank
from helpers.publishing.release import build, main

KEY_FIELDS = ("answer", "explanation", "model_answer")


def make_course(tmp: Path) -> Path:
    """A course tree like the repository's, plus an assessment-mode copy of the demo set."""
    root = tmp / "course-root"
    (root / "course" / "exercises").mkdir(parents=True)
    for name in ("helpers", "seeds", "notebooks"):
        (root / name).symlink_to(ROOT / name)
    (root / "course" / "data").symlink_to(ROOT / "course" / "data")
    (root / "pyproject.toml").symlink_to(ROOT / "pyproject.toml")
    for path in (ROOT / "course" / "exercises").glob("*.yml"):
        (root / "course" / "exercises" / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    demo = yaml.safe_load((ROOT / "course" / "exercises" / "00-start-here.yml").read_text(encoding="utf-8"))
    for ex in demo["exercises"]:
        ex["id"] = "quiz-" + ex["id"]
    demo.update(set="99-quiz", mode="assessment")
    (root / "course" / "exercises" / "99-quiz.yml").write_text(yaml.safe_dump(demo, allow_unicode=True), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("release")
    root = make_course(tmp)
    out = tmp / "student-edition"
    assert main(["--out", str(out), "--root", str(root)]) == 0
    return root, out


def edition_files(out: Path) -> dict[Path, str]:
    files = {}
    for path in out.rglob("*"):
        if path.is_file():
            files[path] = path.read_bytes().decode("utf-8", errors="replace")
    return files


def collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def written_numbers(path: Path) -> dict[str, str]:
    """The numeric keys of a bank exactly as written in the YAML file, by exercise id."""
    out = {}
    node = yaml.compose(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    for k, v in node.value:
        if k.value == "exercises":
            for item in v.value:
                fields = {kk.value: vv for kk, vv in item.value}
                if fields["type"].value == "numeric":
                    out[fields["id"].value] = fields["answer"].value
    return out


def key_strings(root: Path):
    """(what, text, whole_tree) for every piece of every key that must not appear in plain text."""
    for path in sorted((root / "course" / "exercises").glob("*.yml")):
        s = bank.load_bank(path)
        numbers = written_numbers(path)
        for ex in s:
            for text in [ex.explanation, ex.model_answer]:
                if text:
                    yield f"{ex.id} text", collapse(text), True
            if ex.type == "numeric":
                written = numbers[ex.id]
                # distinctive numbers (a decimal point or 5+ characters) must appear nowhere at all;
                # short ones (-3, 11, 2008) occur in prompts, readings and data for other reasons:
                # for them the edition's banks are checked to hold no key field at all (next test)
                if "." in written or len(written) >= 5:
                    yield f"{ex.id} number", written, True
            if ex.type in ("multiple", "order"):
                yield f"{ex.id} list", json.dumps(ex.answer), True
                yield f"{ex.id} list", "[" + ", ".join(ex.answer) + "]", True
                yield f"{ex.id} list", "\n".join(f"- {a}" for a in ex.answer), True
            if ex.type == "order":
                yield f"{ex.id} ids", " ".join(ex.answer), True
            if ex.type in ("classify", "grid"):
                for item, place in ex.answer.items():
                    if ex.type == "classify":
                        yield f"{ex.id} pair", f"{item}: {place}", True
                        yield f"{ex.id} pair", f'"{item}": "{place}"', True
                    else:
                        yield f"{ex.id} pair", f"{item}: [{place[0]}, {place[1]}]", True
                        yield f"{ex.id} pair", f'"{item}": {json.dumps(place)}', True
            if ex.type == "single":
                yield f"{ex.id} key", f"answer: {ex.answer}", True


def leaks(root: Path, out: Path) -> list[str]:
    """Every piece of a key found in plain text in the edition `out` (grep of the whole tree)."""
    files = edition_files(out)
    collapsed = {p: collapse(t) for p, t in files.items()}
    everything = "\x00".join(collapsed.values())
    found = []
    for what, needle, _ in key_strings(root):
        if needle.replace(".", "").lstrip("-").isdigit():  # a number: match it as a whole number
            pattern = re.compile(rf"(?<![\d.]){re.escape(needle)}(?![\d])")
            if pattern.search(everything):
                found += [f"{what}: {needle!r} in {p.relative_to(out)}" for p, t in collapsed.items() if pattern.search(t)]
        elif collapse(needle) in everything:
            found += [f"{what}: {needle[:60]!r} in {p.relative_to(out)}" for p, t in collapsed.items()
                      if collapse(needle) in t]
    return found


def test_no_answer_from_any_key_appears_in_plain_text(built):
    root, out = built
    assert len(list(key_strings(root))) > 50
    assert leaks(root, out) == []


def test_the_leak_check_finds_a_leak(built, tmp_path):
    import shutil

    root, out = built
    copy = tmp_path / "leaky"
    shutil.copytree(out, copy)
    ex = bank.load_set_bank("00-start-here")["start-share-comprehensive"]
    (copy / "notebooks" / "notes.md").write_text(f"The key: {ex.explanation}\nanswer = 66.7\n")
    found = leaks(root, copy)
    assert any("start-share-comprehensive text" in f for f in found)
    assert any("start-share-comprehensive number" in f for f in found)


def edition_banks(root: Path, out: Path) -> list[Path]:
    """The edition's bank files: one for each bank of the course, none missing."""
    paths = sorted((out / "course" / "exercises").glob("*.yml"))
    assert [p.name for p in paths] == sorted(p.name for p in (root / "course" / "exercises").glob("*.yml"))
    return paths


def test_edition_banks_carry_no_key_fields_and_order_items_are_shuffled(built):
    root, out = built
    for path in edition_banks(root, out):
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert raw["student_edition"] is True
        original = bank.load_bank(root / "course" / "exercises" / path.name)
        for ex in raw["exercises"]:
            assert not set(KEY_FIELDS) & set(ex), f"{path.name} {ex['id']} keeps a key field"
            assert ("selfcheck" in ex) == (raw["mode"] == "practice")
            if ex["type"] == "order":
                listed = [i["id"] if isinstance(i, dict) else i for i in ex["items"]]
                assert listed != original[ex["id"]].answer and sorted(listed) == sorted(original[ex["id"]].answer)
        assert not re.search(r"^\s*-?\s*(answer|explanation|model_answer):", path.read_text(), re.M)


def test_edition_keys_decode_for_practice_and_are_absent_for_assessment(built):
    root, out = built
    for path in edition_banks(root, out):
        edition = bank.load_bank(path, readings=None, check_citations=False)
        original = bank.load_bank(root / "course" / "exercises" / path.name)
        for ex in edition:
            key = original[ex.id]
            if edition.mode == "practice":
                assert ex.has_key and ex.answer == key.answer and ex.explanation == key.explanation
            else:
                assert not ex.has_key and ex.answer is None and ex.explanation is None and ex.model_answer is None


def test_edition_notebooks_are_clean_and_helpers_come_along(built):
    root, out = built
    assert (out / "helpers" / "exercises" / "scoring.py").is_file()
    assert not list(out.rglob("__pycache__")) and not list(out.rglob(".answers"))
    assert sorted(p.name for p in (out / "seeds").glob("*.md")) == sorted(p.name for p in (ROOT / "seeds").glob("*.md"))
    assert sorted(p.name for p in (out / "course" / "data").iterdir()) == sorted(p.name for p in (ROOT / "course" / "data").iterdir())
    nbs = sorted((out / "notebooks").glob("*.ipynb"))
    assert [p.name for p in nbs] == sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))
    for path in nbs:
        nb = json.loads(path.read_text(encoding="utf-8"))
        assert "widgets" not in nb["metadata"]
        for cell in nb["cells"]:
            assert cell["cell_type"] != "code" or (cell["outputs"] == [] and cell["execution_count"] is None)
            assert not {"solution", "instructor"} & set(cell["metadata"].get("tags", []))
    project = tomllib.loads((out / "pyproject.toml").read_text())
    assert project["project"]["dependencies"] and "ipywidgets" in " ".join(project["project"]["dependencies"])
    assert "pip install -e ." in (out / "README.md").read_text()


CHECK_IN_EDITION = r"""
import json, sys
from helpers import exercises, ROOT
from helpers.exercises import bank
from helpers.exercises.widgets import values_from_answer
assert str(ROOT) == sys.argv[1], (ROOT, sys.argv[1])
keys = json.loads(sys.argv[2])
class Quiet:
    def show(self, *a, **k): pass
    def update(self, *a, **k): pass
out = {}
for path in sorted((ROOT / "course" / "exercises").glob("*.yml")):
    view = exercises.load_set(path.stem)
    view.display = Quiet()
    for ex in view.bank:
        w = view.widget(ex.id)
        answer = keys[ex.id]
        w.set_values(values_from_answer(ex, answer))
        out[ex.id] = [view.mode, w.submit().status]
print(json.dumps(out))
"""


def test_edition_notebooks_load_their_sets_and_check_answers(built, tmp_path):
    root, out = built
    keys, types = {}, {}
    for path in (root / "course" / "exercises").glob("*.yml"):
        for ex in bank.load_bank(path):
            types[ex.id] = ex.type
            answer = ex.answer
            if ex.type == "evidence":
                answer = answer[0]
            if ex.type == "text":
                answer = "Some words of an answer."
            keys[ex.id] = answer
    env = {**os.environ, "PYTHONPATH": str(out), "VNFR_ANSWERS_DIR": str(tmp_path / "answers")}
    env.pop("VNFR_ROOT", None)
    proc = subprocess.run([sys.executable, "-c", CHECK_IN_EDITION, str(out), json.dumps(keys)],
                          cwd=out / "notebooks", env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    statuses = json.loads(proc.stdout)
    assert set(statuses) == set(keys)
    for ex_id, (mode, status) in statuses.items():
        if mode == "practice":  # the key decodes and checks the answer; written answers are only recorded
            assert status == ("recorded" if types[ex_id] == "text" else "right"), (ex_id, status)
        else:
            assert status == "recorded", (ex_id, status)
    assert statuses["start-soft-power-meaning"] == ["practice", "right"]
    assert statuses["quiz-start-soft-power-meaning"] == ["assessment", "recorded"]


def test_a_bad_bank_stops_the_release(tmp_path, capsys):
    root = make_course(tmp_path)
    bad = root / "course" / "exercises" / "98-bad.yml"
    bad.write_text(yaml.safe_dump({"set": "98-bad", "title": "T", "mode": "practice", "exercises": [
        {"id": "bad-one", "type": "single", "prompt": "Q", "options": ["a", "b"], "answer": "c",
         "explanation": "E", "cites": ["quy2024 ¶1"]}]}), encoding="utf-8")
    assert main(["--out", str(tmp_path / "se"), "--root", str(root)]) == 1
    assert "bad-one" in capsys.readouterr().err
    with pytest.raises(CourseFileError):
        build(tmp_path / "se", root)


def test_release_refuses_to_overwrite_other_folders(tmp_path):
    (tmp_path / "precious").mkdir()
    (tmp_path / "precious" / "thesis.txt").write_text("mine")
    with pytest.raises(ValueError, match="not a student edition"):
        build(tmp_path / "precious", ROOT)
    with pytest.raises(ValueError, match="refusing"):
        build(ROOT / "notebooks", ROOT)
    assert (tmp_path / "precious" / "thesis.txt").read_text() == "mine"


def test_rebuilding_replaces_an_earlier_edition(built, tmp_path):
    root, _ = built
    out = tmp_path / "se"
    build(out, root)
    (out / "stale.txt").write_text("old")
    build(out, root)
    assert not (out / "stale.txt").exists()


@pytest.mark.parametrize("name", ["00-start-here", "05-capstone"])  # a practice set and an assessment set
def test_edition_notebooks_run_top_to_bottom_on_the_editions_own_files(built, tmp_path, monkeypatch, name):
    """Restart-and-run-all, as a student would, with the edition's helpers, banks and data only."""
    import nbformat
    from nbclient import NotebookClient

    _, out = built
    monkeypatch.setenv("PYTHONPATH", str(out))  # the edition's own helpers, ahead of the instructor's
    monkeypatch.delenv("VNFR_ROOT", raising=False)
    monkeypatch.setenv("VNFR_ANSWERS_DIR", str(tmp_path / "answers"))
    nb = nbformat.read(out / "notebooks" / f"{name}.ipynb", as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("import helpers\nprint(helpers.ROOT)"))
    NotebookClient(nb, kernel_name="python3", timeout=120,
                   resources={"metadata": {"path": str(out / "notebooks")}}).execute()
    code = [c for c in nb.cells if c.cell_type == "code"]
    errors = [o for c in code for o in c.outputs if o.output_type == "error"]
    assert not errors, "\n".join(errors[0].get("traceback", []))[-2000:]
    assert code[-1].outputs[0]["text"].strip() == str(out)
    widgets = [o for c in code for o in c.outputs if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
    assert len(widgets) >= 8
