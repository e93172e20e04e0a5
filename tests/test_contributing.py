"""CONTRIBUTING.md's "Add an exercise" recipe, walked on a copy of the course, so the guide cannot drift.

The entries, the file each goes into and the commands are all read from the guide itself: every
entry is added to its bank (and the text exercise's descriptors to course/rubrics.yml), shown in
its notebook, the bank checks are run as the guide writes them, and a handed-in notebook answering
each new exercise is graded with the guide's grading command.
"""
from __future__ import annotations

import csv
import importlib
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
import yaml
from nbformat.v4 import new_code_cell, new_notebook, new_output

from helpers import ROOT
from helpers.exercises import bank
from helpers.exercises.record import build_record, bundle

GUIDE = ROOT / "CONTRIBUTING.md"
LEFT_OUT = shutil.ignore_patterns(".git", ".venv", "_build", "student-edition", "grades", "test-artifacts",
                                  "handed-in*", ".answers", "__pycache__", "node_modules", "*.egg-info")


def section(title: str) -> str:
    text = GUIDE.read_text(encoding="utf-8")
    m = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    assert m, f"CONTRIBUTING.md has no section '## {title}'"
    return m.group(1)


def fenced(text: str, lang: str) -> list[str]:
    return [m.group(1) for m in re.finditer(rf"^ *```{lang}\n(.*?)^ *```", text, re.M | re.S)]


def entries() -> list[tuple[str, str]]:
    """(file, YAML text to append) for each entry of the recipe, the file named on its first line."""
    out = []
    for block in fenced(section("Add an exercise"), "yaml"):
        first, _, body = block.partition("\n")
        m = re.match(r"# (course/\S+\.yml)", first)
        assert m, f"an entry of the recipe does not start by naming its file: {first!r}"
        out.append((m.group(1), body))
    return out


def commands(after: str) -> list[str]:
    """The lines of the first bash block of the recipe after the words `after`."""
    text = section("Add an exercise")
    start = text.index(after)
    block = fenced(text[start:], "bash")[0]
    return [line.strip() for line in block.splitlines() if line.strip()]


def run(line: str, copy: Path) -> subprocess.CompletedProcess:
    argv = shlex.split(line)
    assert argv[0] == ".venv/bin/python", f"the guide's command does not use the course's Python: {line}"
    env = {**os.environ, "VNFR_ROOT": str(copy)}
    done = subprocess.run([sys.executable, *argv[1:]], cwd=copy, env=env, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, f"`{line}` failed in the copy of the course:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


def append(path: Path, text: str, top_key: str) -> None:
    """Paste at the end of the file, which must end with the `top_key:` section the guide names."""
    current = path.read_text(encoding="utf-8")
    keys = re.findall(r"^([a-z_]+):", current, re.M)
    assert keys and keys[-1] == top_key, f"{path.name}: `{top_key}:` is not the last section, so pasting at the end is wrong"
    path.write_text(current.rstrip("\n") + "\n\n" + text, encoding="utf-8")


def add_cells(notebook: Path, ids: list[str]) -> None:
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    for ex_id in ids:
        nb["cells"].append({"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
                            "source": [f'ex.show("{ex_id}")']})
    notebook.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def handed_in(path: Path, set_id: str, answers: dict) -> None:
    """A saved notebook whose exercise cells carry the records the widgets write."""
    cells = [new_code_cell(f"ex.show({ex_id!r})", outputs=[new_output("display_data", data=bundle(
        build_record(set_id, ex_id, etype, answer)))]) for ex_id, (etype, answer) in answers.items()]
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(new_notebook(cells=cells), str(path))


def key_of(ex: dict):
    answer = ex.get("answer")
    return answer[-1] if ex["type"] == "evidence" and isinstance(answer, list) else answer


def test_the_recipe_has_one_entry_of_every_type_for_one_bank():
    found = entries()
    exercises = [e for path, body in found if "exercises" in path for e in yaml.safe_load(body)]
    assert sorted(e["type"] for e in exercises) == sorted(bank.TYPES)
    assert len({path for path, _ in found if "exercises" in path}) == 1
    assert any(path == "course/rubrics.yml" for path, _ in found), "the text exercise needs its descriptors"
    assert any("also_accept" in e for e in exercises)


def test_adding_an_exercise_as_the_guide_says_passes_the_bank_checks_and_grades(tmp_path):
    copy = tmp_path / "course-copy"
    shutil.copytree(ROOT, copy, ignore=LEFT_OUT)

    new: dict[str, dict] = {}
    for path, body in entries():
        top_key = "rubrics" if path == "course/rubrics.yml" else "exercises"
        append(copy / path, body, top_key)
        if top_key == "exercises":
            bank_path = path
            new.update({e["id"]: e for e in yaml.safe_load(body)})
    set_id = Path(bank_path).stem
    add_cells(copy / "notebooks" / f"{set_id}.ipynb", list(new))

    # the bank checks, exactly as the guide writes them
    for line in commands("Run the bank checks"):
        run(line, copy)
    outcome_map = (copy / "course" / "outcome-map.md").read_text(encoding="utf-8")
    assert all(ex_id in outcome_map for ex_id in new), "teaching --write did not list the new exercises"
    rubrics_page = (copy / "course" / "rubrics.md").read_text(encoding="utf-8")
    assert "sp-example-text" in rubrics_page
    assert set(new) <= set(bank.load_bank(copy / bank_path).exercises)

    # a student with the key, and one with the other accepted answers (and some wrong ones)
    key = {ex_id: (ex["type"], key_of(ex)) for ex_id, ex in new.items() if ex["type"] != "text"}
    key["sp-example-text"] = ("text", "Hard power depletes strength and soft power builds trust [quy2024 ¶8].")
    other = {
        "sp-example-single": ("single", "hard"),                                   # wrong
        "sp-example-multiple": ("multiple", ["culture", "values", "policies", "conduct"]),  # also_accept
        "sp-example-classify": ("classify", {**new["sp-example-classify"]["answer"], "people-centred": "culture"}),
        "sp-example-order": ("order", ["french", "mongols", "americans"]),          # 2 of 3 pairs in order
        "sp-example-numeric": ("numeric", 3.5),                                     # outside tolerance 0
        "sp-example-grid": ("grid", {**new["sp-example-grid"]["answer"], "coerce": ["soft", "hard"]}),
        "sp-example-evidence": ("evidence", new["sp-example-evidence"]["answer"][0]),  # the other listed paragraph
    }
    assert set(key) == set(new) and set(other) == set(new) - {"sp-example-text"}
    (grade_line,) = [c for c in commands("grade it") if "-m helpers grade" in c]
    folder = Path(shlex.split(grade_line)[4])
    handed_in(copy / folder / "key" / f"{set_id}.ipynb", set_id, key)
    handed_in(copy / folder / "other" / f"{set_id}.ipynb", set_id, other)
    run(grade_line, copy)

    out = copy / shlex.split(grade_line)[shlex.split(grade_line).index("--out") + 1]
    with open(out / "gradebook.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 2
    by_file = {("key" if "key" in r["files"] else "other"): r for r in rows}
    points = {ex_id: float(ex.get("points", 1)) for ex_id, ex in new.items()}
    col = {ex_id: f"{set_id}/{ex_id}" for ex_id in new}
    for ex_id in new:
        if ex_id == "sp-example-text":
            assert by_file["key"][col[ex_id]] == "", "a text answer waits for the teacher's score"
        else:
            assert float(by_file["key"][col[ex_id]]) == points[ex_id], ex_id
    got = {ex_id: float(by_file["other"][c]) for ex_id, c in col.items() if ex_id in other}
    assert got == {
        "sp-example-single": 0.0, "sp-example-multiple": 2.0, "sp-example-classify": 2.0,
        "sp-example-order": 0.67, "sp-example-numeric": 0.0, "sp-example-grid": 1.33,
        "sp-example-evidence": 1.0,
    }


@pytest.mark.parametrize("title", ["Add an exercise", "Correct a key", "Add a data row with its source",
                                   "Add a glossary term", "Add a reading", "Add a notebook", "Run the tests",
                                   "Change a dependency"])
def test_the_guide_has_each_recipe(title):
    assert section(title).strip()


def test_every_command_and_file_the_guide_names_exists():
    text = GUIDE.read_text(encoding="utf-8")
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for target in set(re.findall(r"`make ([a-z][a-z-]*)", text)):
        assert re.search(rf"^{re.escape(target)}:", makefile, re.M), f"the guide names `make {target}`"
    for path in set(re.findall(r"`((?:tests|course|seeds|notebooks)/[\w./-]+\.(?:py|md|yml|csv|ipynb))`", text)):
        assert (ROOT / path).exists(), f"the guide names {path}, which does not exist"
    from helpers.__main__ import COMMANDS
    for command in set(re.findall(r"python -m helpers ([a-z]+)", text)):
        assert command in COMMANDS, f"the guide names `python -m helpers {command}`"
    for module in set(re.findall(r"`helpers\.([a-z_]+)(?![a-z_(])", text)):
        importlib.import_module(f"helpers.{module}")  # the short names notebooks import


def test_the_changelog_has_the_sections_the_guide_names():
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8").splitlines()
    named = re.findall(r"`(#{2,3} [^`]+)`", section("Correct a key"))
    assert len(named) >= 3
    for heading in named:
        assert heading in changelog, f"CHANGELOG.md has no heading {heading!r}, which the guide names"


def test_the_readme_links_the_guide():
    assert "(CONTRIBUTING.md)" in (ROOT / "README.md").read_text(encoding="utf-8")
