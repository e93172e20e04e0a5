"""Build the bad-input corpus for the grader: `python tests/grading_corpus/make_corpus.py DIR`.

The files are generated rather than committed: some are large (a 50 MB string), some are hidden
files or checkpoint folders that the repository must not hold, and committed .ipynb files under
tests/ would be collected as notebooks to run.

`build(folder, marker)` writes every case and returns the manifest: relative path -> (expected
action, a phrase the reason must contain). Actions: "skipped" (not graded, one line why), "graded"
(graded, with a line about the problem), "superseded" (an earlier submission of the same student),
"ok" (a valid submission, perhaps oddly named, that must simply be graded).
"""
from __future__ import annotations

import json
import os
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from nbformat.v4 import new_code_cell  # noqa: E402

from helpers.grading import COURSE, MIME  # noqa: E402
from helpers.grading.synthetic import RIGHT, answer_notebook, record  # noqa: E402

SET = "01-soft-power"


def right_answers(prefix: str = "x01") -> dict:
    return {f"{prefix}-{t}": v for t, v in RIGHT.items()}


def raw_notebook(cells: list, **meta) -> dict:
    return {"nbformat": 4, "nbformat_minor": 5, "metadata": meta, "cells": cells}


def code_cell(source: str, data: dict | None = None, output_type: str = "display_data") -> dict:
    outputs = []
    if data is not None:
        out = {"output_type": output_type, "data": data, "metadata": {}}
        if output_type == "execute_result":
            out["execution_count"] = 1
        outputs.append(out)
    return {"cell_type": "code", "execution_count": 1, "metadata": {}, "source": source, "outputs": outputs}


def rec_cell(rec) -> dict:
    return code_cell("show()", {MIME: rec, "text/plain": "Answer recorded"})


def write_json(path: Path, obj) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(obj), encoding="utf-8")


def build(folder: Path | str, marker: Path | str | None = None) -> dict[str, tuple[str, str]]:
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    marker = Path(marker) if marker else folder.parent / "MARKER-student-code-ran"
    expect: dict[str, tuple[str, str]] = {}
    rng = random.Random(4)

    def put(name: str, content: bytes | str, action: str, phrase: str) -> None:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        expect[name] = (action, phrase)

    def nb(name: str, obj, action: str, phrase: str) -> None:
        write_json(folder / name, obj)
        expect[name] = (action, phrase)

    good = right_answers()
    valid_text = json.dumps(raw_notebook([rec_cell(record(SET, k, k.split("-", 1)[1], v)) for k, v in good.items()]))

    # --- not notebooks at all
    put("notes.txt", "my answers are in my head", "skipped", "not a notebook")
    put("README.md", "# hello", "skipped", "not a notebook")
    put("photo.png", bytes(rng.randrange(256) for _ in range(4096)), "skipped", "not a notebook")
    put("submission.zip", b"PK\x03\x04" + b"\x00" * 100, "skipped", "not a notebook")
    put("no_extension", valid_text, "skipped", "not a notebook")
    put("junk.ipynb", bytes(rng.randrange(256) for _ in range(8192)), "skipped", "binary")
    put("latin1.ipynb", '{"cells": [], "x": "caf\xe9"}'.encode("latin-1"), "skipped", "not UTF-8")
    put("utf16.ipynb", valid_text.encode("utf-16"), "skipped", "binary")
    put("zip_renamed.ipynb", b"PK\x03\x04" + bytes(200), "skipped", "zip")
    put("empty.ipynb", b"", "skipped", "empty file")
    put("spaces.ipynb", "   \n\n  ", "skipped", "white space")
    # --- broken JSON
    put("truncated.ipynb", valid_text[: len(valid_text) // 2], "skipped", "truncated JSON")
    put("bad_json.ipynb", '{"cells": [,], "metadata": {}}', "skipped", "not valid JSON")
    put("json_array.ipynb", "[1, 2, 3]", "skipped", "not a notebook")
    put("json_string.ipynb", '"a notebook"', "skipped", "not a notebook")
    put("deep.ipynb", '{"cells": ' + "[" * 200_000 + "]" * 200_000 + "}", "skipped", "nested too deeply")
    # --- JSON but not a notebook we can read
    nb("no_cells.ipynb", {"metadata": {}, "nbformat": 4}, "skipped", "no list of cells")
    nb("cells_string.ipynb", {"cells": "all of them"}, "skipped", "no list of cells")
    nb("nbformat3.ipynb", {"nbformat": 3, "worksheets": [{"cells": []}]}, "skipped", "nbformat 3")
    # --- enormous
    with open(folder / "huge_string.ipynb", "w", encoding="utf-8") as fh:
        fh.write('{"cells": [], "metadata": {"x": "')
        chunk = "A" * 1_000_000
        for _ in range(50):
            fh.write(chunk)
        fh.write('"}}')
    expect["huge_string.ipynb"] = ("skipped", "MB limit")
    # --- notebooks with no usable answers
    nb("no_answers.ipynb", raw_notebook([code_cell("1 + 1", {"text/plain": "2"}, "execute_result")]),
       "skipped", "no answers recorded")
    nb("zero_cells.ipynb", raw_notebook([]), "skipped", "no answers recorded")
    nb("junk_cells.ipynb", raw_notebook([1, "two", None, {"cell_type": "code", "outputs": "x"},
                                         {"cell_type": "code", "outputs": [1, None, {"data": "x"}]}]),
       "skipped", "no answers recorded")
    nb("record_in_markdown.ipynb", raw_notebook([{"cell_type": "markdown", "source": "", "metadata": {},
                                                  "outputs": [{"output_type": "display_data",
                                                               "data": {MIME: record(SET, "x01-single", "single", "a")}}]}]),
       "skipped", "no answers recorded")
    nb("record_missing_fields.ipynb", raw_notebook([rec_cell({"schema": 1, "course": COURSE, "set": SET,
                                                              "exercise": "x01-single"})]),
       "skipped", "lacks")
    nb("record_schema_9.ipynb", raw_notebook([rec_cell(dict(record(SET, "x01-single", "single", "a"), schema=9))]),
       "skipped", "schema")
    nb("record_bad_string.ipynb", raw_notebook([rec_cell('{"schema": 1, "course": ')]), "skipped", "not a JSON object")
    nb("record_is_list.ipynb", raw_notebook([rec_cell([1, 2, 3])]), "skipped", "not a JSON object")
    nb("record_too_large.ipynb", raw_notebook([rec_cell(record(SET, "x01-text", "text", "word " * 30_000))]),
       "skipped", "too large")
    nb("another_course.ipynb", raw_notebook([rec_cell(dict(record(SET, "x01-single", "single", "a"),
                                                           course="intro-to-economics"))]),
       "skipped", "another course")
    nb("unknown_set.ipynb", raw_notebook([rec_cell(record("99-nothing", "x99-single", "single", "a"))]),
       "skipped", "not in the exercise bank")
    # --- folders and links that are passed over
    write_json(folder / ".ipynb_checkpoints" / "a-checkpoint.ipynb", json.loads(valid_text))
    expect[".ipynb_checkpoints/"] = ("skipped", "checkpoint")
    write_json(folder / "__MACOSX" / "._x.ipynb", {})
    expect["__MACOSX/"] = ("skipped", "checkpoint or archive")
    put(".DS_Store", b"\x00\x00\x00\x01Bud1", "skipped", "hidden")
    (folder / "empty folder").mkdir(exist_ok=True)
    expect["empty folder/"] = ("skipped", "empty folder")
    try:
        os.symlink("/etc/hostname", folder / "link_to_system.ipynb")
        expect["link_to_system.ipynb"] = ("skipped", "symbolic link")
    except OSError:
        pass

    # --- graded, with a line about what was wrong
    bad = dict(good)
    bad["x01-nope"] = "a"
    nb("unknown_exercise.ipynb", raw_notebook([rec_cell(record(SET, k, "single", v)) for k, v in bad.items()]),
       "graded", "unknown exercise id")
    typed = {"x01-single": {"$ne": None}, "x01-numeric": "30", "x01-multiple": "culture",
             "x01-evidence": "3", "x01-order": {"0": "1986"}, "x01-classify": ["pho"], "x01-grid": "us",
             "x01-text": {"text": "hi"}}
    nb("wrong_types.ipynb", raw_notebook([rec_cell(record(SET, k, "single", v)) for k, v in typed.items()]),
       "graded", "answer not accepted")
    nb("bool_for_number.ipynb", raw_notebook([rec_cell(record(SET, "x01-numeric", "numeric", True))]),
       "graded", "answer not accepted")
    put("nan_number.ipynb", json.dumps(raw_notebook([rec_cell(record(SET, "x01-numeric", "numeric", 0.5))]))
        .replace("0.5", "NaN"), "graded", "answer not accepted")
    nb("text_too_long.ipynb", raw_notebook([rec_cell(record(SET, "x01-text", "text", "long " * 5000))]),
       "graded", "too long")
    nb("mixed_sets.ipynb", raw_notebook([rec_cell(record(SET, "x01-single", "single", "a")),
                                         rec_cell(record("77-unknown", "x77-single", "single", "a"))]),
       "graded", "not in the exercise bank")

    # --- the same student twice: the later one counts
    answer_notebook(folder / "tranthib_4242_1_01-soft-power.ipynb", SET, good, saved="2025-03-01T08:00:00Z")
    answer_notebook(folder / "tranthib_4242_2_01-soft-power-1.ipynb", SET, good, saved="2025-03-02T08:00:00Z")
    expect["tranthib_4242_1_01-soft-power.ipynb"] = ("superseded", "earlier submission")
    expect["tranthib_4242_2_01-soft-power-1.ipynb"] = ("ok", "")

    # --- valid, oddly named or oddly stored: must be graded
    odd = {
        "nguyễn văn an_5555_assignsubmission_file_01-soft-power.ipynb": {},
        "Le Thi  C_6666_assignsubmission_file_ 01 soft power (1).ipynb": {},
        "Phạm Minh D_7777_assignsubmission_file_/01-soft-power.ipynb": {},
        "UPPER CASE.IPYNB": {},
        "emoji 🎓 name.ipynb": {},
        "record_as_string.ipynb": {"as_string": True},
        "code_cell_would_write_a_file.ipynb": {"extra_cells": [new_code_cell(
            f"open({str(marker)!r}, 'w').write('student code ran')\n"
            "import shutil; shutil.copytree('course', '/tmp/stolen-key')")]},
    }
    for name, kwargs in odd.items():
        answer_notebook(folder / name, SET, good, **kwargs)
        expect[name] = ("ok", "")
    nb("execute_result_output.ipynb",
       raw_notebook([code_cell("x", {MIME: record(SET, "x01-single", "single", "a")}, "execute_result")]), "ok", "")
    return expect


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "grading-corpus")
    manifest = build(target)
    print(f"{len(manifest)} cases written to {target}")
