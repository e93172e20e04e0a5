"""Build the student edition: `python -m helpers release --out student-edition` (or `make student-edition`).

The edition holds the notebooks (outputs, execution counts, widget state and cells tagged
`solution` or `instructor` removed), the `helpers` package, the readings (`seeds/`), the course
data (`course/data/`), and the exercise banks with no answer key in plain text:

* assessment-mode sets lose `answer`, `explanation` and `model_answer` entirely (rubrics and
  learning outcomes stay: students see what they are marked on);
* practice-mode sets keep them only inside `selfcheck`, base64 of zlib-compressed JSON, which
  `helpers.exercises.bank` decodes so the notebooks still give feedback. This obscures the key; it
  does not protect it (see course/exercises/README.md, "What the student edition hides");
* `order` items are listed in an order other than the key's.

It also writes a README and a pyproject.toml so the edition installs with `pip install -e .`.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import random
import shutil
import sys
from pathlib import Path

import yaml

from helpers import ROOT
from helpers.core.errors import CourseFileError

MARKER = ".vnfr-student-edition"
DROP_TAGS = {"solution", "instructor", "instructor-only"}
SKIP_NAMES = {"__pycache__", ".ipynb_checkpoints", ".answers", ".pytest_cache"}


def _ignore(_dir, names):
    return [n for n in names if n in SKIP_NAMES or n.endswith((".pyc", ".pyo")) or n.startswith(".#")]


class _BlockDumper(yaml.SafeDumper):
    """Writes multi-line text (prompts) as readable `|` blocks."""


def _str_representer(dumper, value):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_BlockDumper.add_representer(str, _str_representer)


def clean_notebook(nb: dict) -> dict:
    """Outputs and execution counts cleared, widget state and instructor-only cells removed."""
    cells = []
    for cell in nb.get("cells", []):
        tags = set(cell.get("metadata", {}).get("tags", []))
        if tags & DROP_TAGS:
            continue
        if cell.get("cell_type") == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
        cell.get("metadata", {}).pop("execution", None)
        cells.append(cell)
    nb["cells"] = cells
    nb.get("metadata", {}).pop("widgets", None)
    return nb


def _shuffled(exercise_id: str, ids: list[str], key: list[str]) -> list[str]:
    """A fixed order of `ids`, different from `key` when there are at least two items."""
    rng = random.Random(int(hashlib.sha256(exercise_id.encode()).hexdigest()[:12], 16))
    order = list(ids)
    for _ in range(20):
        rng.shuffle(order)
        if order != key:
            break
    if order == key and len(order) > 1:
        order = order[1:] + order[:1]
    return order


def student_bank(path: Path, readings: dict | None = None, assess: bool = False) -> dict:
    """The student-edition content of one bank (validated first, so a bad bank stops the release).
    ``assess``: put the set in assessment mode whatever its bank says."""
    from helpers.exercises.bank import KEY_FIELDS, encode_selfcheck, load_bank

    exercise_set = load_bank(path, readings=readings)
    raw = exercise_set.raw
    mode = "assessment" if assess else exercise_set.mode
    out = {"set": raw["set"], "title": raw["title"], "mode": mode, "student_edition": True,
           "outcomes": raw.get("outcomes", []), "exercises": []}
    for raw_ex in raw["exercises"]:
        ex = exercise_set[raw_ex["id"]]
        item = {k: v for k, v in raw_ex.items() if k not in KEY_FIELDS}
        if ex.type == "order":
            by_id = {}
            for entry in raw_ex["items"]:
                by_id[entry["id"] if isinstance(entry, dict) else str(entry).strip()] = entry
            item["items"] = [by_id[i] for i in _shuffled(ex.id, list(by_id), ex.answer)]
        if mode == "practice":
            payload = {"answer": ex.answer, "explanation": ex.explanation}
            if ex.also_accept is not None:
                payload["also_accept"] = ex.also_accept
            if ex.model_answer:
                payload["model_answer"] = ex.model_answer
            if ex.type == "text":
                payload.pop("answer")
            item["selfcheck"] = encode_selfcheck(payload)
        out["exercises"].append(item)
    return out


EDITION_README = """\
# Vietnam's foreign relations: student edition

An interactive course in JupyterLab notebooks: the readings, the data, charts, and exercises that
give feedback as you practise and record your answers in the notebook itself.

## Install and open

With Python 3.11 or newer:

    python -m venv .venv
    .venv/bin/pip install -e .          # on Windows: .venv\\Scripts\\pip install -e .
    .venv/bin/jupyter lab notebooks/00-start-here.ipynb

Start with `00-start-here.ipynb`: it shows how the readings, citations such as [quy2024 ¶3], and
the exercises work.

## Your answers

Each exercise records your latest answer twice: in a small file in `notebooks/.answers/`, so a
kernel restart keeps it, and in the notebook's own output, so the saved `.ipynb` file carries it.
Save the notebook (Ctrl+S) before you hand it in; hand in the `.ipynb` file.

## What is here

- `notebooks/`: the course, one notebook per topic;
- `seeds/`: the five readings, paragraphs numbered for citation;
- `course/data/`: the data tables behind the charts, each row with its source;
- `course/exercises/`: the exercise sets (without the answer key);
- `helpers/`: the Python package the notebooks call.

Code: MIT licence. Course text: CC BY 4.0. The readings belong to their authors and publishers.
"""

EXERCISES_README = """\
# Exercise sets (student edition)

One file per notebook. The answer key is not here: practice sets carry an encoded self-check so the
notebooks can give feedback; assessment sets carry nothing, and your teacher scores them.
"""


def edition_pyproject(root: Path) -> str:
    import tomllib

    main = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    project = main.get("project", {})
    deps = project.get("dependencies", [])
    data = main.get("tool", {}).get("setuptools", {}).get("package-data", {}).get("helpers", [])
    data_list = ", ".join(f'"{d}"' for d in data)
    dep_lines = "".join(f'    "{d}",\n' for d in deps)
    return (
        '[build-system]\nrequires = ["setuptools>=68"]\nbuild-backend = "setuptools.build_meta"\n\n'
        '[project]\nname = "vn-foreign-relations-student"\n'
        f'version = "{project.get("version", "0.1.0")}"\n'
        'description = "Vietnam\'s foreign relations: an interactive JupyterLab course (student edition)"\n'
        'readme = "README.md"\n'
        f'requires-python = "{project.get("requires-python", ">=3.11")}"\n'
        'license = { text = "MIT (code); CC BY 4.0 (course text)" }\n'
        f"dependencies = [\n{dep_lines}]\n\n"
        '[tool.setuptools.packages.find]\ninclude = ["helpers*"]\n\n'
        f'[tool.setuptools.package-data]\nhelpers = [{data_list}]\n'
    )


def build(out: Path | str, root: Path | str | None = None, assess: list[str] | tuple[str, ...] = ()) -> Path:
    """Build the edition in `out` (replacing an earlier edition there; refusing any other folder).

    `assess`: set ids (e.g. "02-new-diplomacy") to put in assessment mode in this edition, whatever
    their bank says: no key and no explanation in it, "Answer recorded" only in the notebooks."""
    from helpers.core.readings import load_readings

    root = Path(root or ROOT).resolve()
    out = Path(out).resolve()
    paths = sorted((root / "course" / "exercises").glob("*.yml"))
    unknown = sorted(set(assess) - {p.stem for p in paths})
    if unknown:
        raise ValueError(f"--assess: no set {', '.join(map(repr, unknown))} "
                         f"(sets: {', '.join(p.stem for p in paths)})")
    protected = {root, *root.parents} | {root / n for n in ("course", "helpers", "notebooks", "seeds", "tests", ".git")}
    if out in protected or any(p in out.parents for p in protected - {root, *root.parents}):
        raise ValueError(f"refusing to build the student edition into {out}")
    if out.exists():
        if not (out / MARKER).exists() and any(out.iterdir()):
            raise ValueError(f"{out} exists and is not a student edition: choose an empty or new folder")
        shutil.rmtree(out)
    out.mkdir(parents=True)

    readings = load_readings(root / "seeds")
    banks = {path.name: student_bank(path, readings, assess=path.stem in assess) for path in paths}

    shutil.copytree(root / "helpers", out / "helpers", ignore=_ignore)
    (out / "seeds").mkdir()
    for path in sorted((root / "seeds").glob("*.md")):
        shutil.copy2(path, out / "seeds" / path.name)
    if (root / "course" / "data").is_dir():
        shutil.copytree(root / "course" / "data", out / "course" / "data", ignore=_ignore)
    folder = out / "course" / "exercises"
    folder.mkdir(parents=True)
    for name, content in banks.items():
        text = ("# Student edition: generated by `python -m helpers release`; the answer key is not here.\n"
                + yaml.dump(content, Dumper=_BlockDumper, allow_unicode=True, sort_keys=False, width=100))
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "README.md").write_text(EXERCISES_README, encoding="utf-8")
    (out / "notebooks").mkdir()
    for path in sorted((root / "notebooks").glob("*.ipynb")):
        nb = clean_notebook(json.loads(path.read_text(encoding="utf-8")))
        (out / "notebooks" / path.name).write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n",
                                                   encoding="utf-8")
    for extra in ("LICENSE", "LICENSE.md", "LICENSE-CODE", "LICENSE-TEXT", "environment.yml", "postBuild"):
        if (root / extra).is_file():
            shutil.copy2(root / extra, out / extra)
    (out / "README.md").write_text(EDITION_README, encoding="utf-8")
    (out / "pyproject.toml").write_text(edition_pyproject(root), encoding="utf-8")
    (out / ".gitignore").write_text(".venv/\n__pycache__/\n.ipynb_checkpoints/\n.answers/\n*.egg-info/\n",
                                    encoding="utf-8")
    (out / MARKER).write_text("generated by python -m helpers release\n", encoding="utf-8")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m helpers release",
                                     description="Build the student edition (no answer key in plain text).")
    parser.add_argument("--out", required=True, help="folder to write (an earlier edition there is replaced)")
    parser.add_argument("--root", default=None, help="the course repository (default: this one)")
    parser.add_argument("--assess", nargs="+", default=[], metavar="SET",
                        help="sets to put in assessment mode in this edition (no key in it; the bank files "
                             "are not changed), e.g. --assess 02-new-diplomacy 03-international-integration")
    args = parser.parse_args(argv)
    try:
        out = build(args.out, args.root, assess=[a for arg in args.assess for a in arg.split()])
    except (CourseFileError, ValueError) as exc:
        print(f"release: {exc}", file=sys.stderr)
        return 1
    n_nb = len(list((out / "notebooks").glob("*.ipynb")))
    n_sets = len(list((out / "course" / "exercises").glob("*.yml")))
    assessed = sorted(p.stem for p in (out / "course" / "exercises").glob("*.yml")
                      if yaml.safe_load(p.read_text(encoding="utf-8")).get("mode") == "assessment")
    print(f"Student edition written to {out}: {n_nb} notebooks, {n_sets} exercise sets, no answer key."
          + (f" In assessment mode: {', '.join(assessed)}." if assessed else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
