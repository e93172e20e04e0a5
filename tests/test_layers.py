"""The package's layers: no module imports one above its own.

    core  <  exercises  <  lessons
    core  <  exercises  <  grading
    publishing (core, exercises)  <  hub (publishing, grading)  <  bench (all of them)

A module may import its own group and any group of a lower rank; two groups of the same rank
(lessons and grading) do not import each other. Every import counts, the lazy ones inside a
function too, and so does `importlib.import_module("helpers...")`. Package code and the tests
import the real paths (`helpers.core.data`), never the notebooks' short names (`from helpers
import data`), which would hide the layer a module depends on.
"""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import helpers
from helpers.__main__ import COMMANDS

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "helpers"
TESTS = Path(__file__).resolve().parent

RANK = {"core": 0, "exercises": 1, "lessons": 2, "grading": 2, "publishing": 3, "hub": 4, "bench": 5}
"""Each group (a folder of helpers/) and its layer."""

ROOT_NAMES = {"ROOT", "setup", "SHORT_NAMES"}
"""What `helpers` itself defines and any module may import from it."""


def module_name(path: Path, package: Path = PACKAGE) -> str:
    parts = list(path.relative_to(package.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def group_of(module: str) -> str | None:
    """`helpers.core.data` -> "core"; the package root (`helpers`, `helpers.__main__`) -> None."""
    parts = module.split(".")
    if parts[0] != "helpers" or len(parts) < 2 or parts[1] not in RANK:
        return None
    return parts[1]


def imported(source: str, module: str, is_package: bool) -> list[tuple[int, str]]:
    """Every `helpers` module (or `helpers` name) a module's source imports: (line, dotted name)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.split(".")[0] == "helpers"]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module if is_package else module.rpartition(".")[0]
                for _ in range(node.level - 1):
                    base = base.rpartition(".")[0]
                base = f"{base}.{node.module}" if node.module else base
            else:
                base = node.module or ""
            if base.split(".")[0] != "helpers":
                continue
            found += [(node.lineno, f"{base}.{a.name}") for a in node.names]
        elif (isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", None)) == "import_module"
              and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)
              and node.args[0].value.startswith("helpers")):
            found.append((node.lineno, node.args[0].value))
    return found


def violations(source: str, module: str, is_package: bool = False) -> list[str]:
    """What breaks the layers in one module's source (empty: it keeps them)."""
    mine = group_of(module)
    problems = []
    for line, name in imported(source, module, is_package):
        parts = name.split(".")
        if len(parts) == 2 and parts[1] in helpers.SHORT_NAMES:
            problems.append(f"{module}:{line} imports the short name helpers.{parts[1]}: "
                            f"import {helpers.SHORT_NAMES[parts[1]]}")
            continue
        if len(parts) == 2 and parts[1] in ROOT_NAMES:
            continue
        target = group_of(name)
        if mine is None or target is None or target == mine:
            continue
        if RANK[target] >= RANK[mine]:
            problems.append(f"{module}:{line} ({mine}, layer {RANK[mine]}) imports {name} "
                            f"({target}, layer {RANK[target]})")
    return problems


def package_modules():
    return sorted(PACKAGE.rglob("*.py"))


def test_every_module_sits_in_a_group():
    loose = [p.relative_to(REPO).as_posix() for p in package_modules()
             if p.parent == PACKAGE and p.name not in {"__init__.py", "__main__.py"}]
    assert loose == []
    groups = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}
    assert groups == set(RANK)


@pytest.mark.parametrize("path", package_modules(), ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_no_module_imports_one_above_its_layer(path):
    source = path.read_text(encoding="utf-8")
    assert violations(source, module_name(path), path.name == "__init__.py") == []


def test_the_tests_import_the_real_paths():
    problems = []
    for path in sorted(TESTS.rglob("*.py")):
        if path.name == Path(__file__).name:  # this file tries the short names on purpose
            continue
        problems += [p for p in violations(path.read_text(encoding="utf-8"), "tests." + path.stem)
                     if "short name" in p]
    assert problems == []


def test_the_check_catches_an_upward_import_even_inside_a_function():
    lazy = "def f():\n    from helpers.lessons import capstone\n    return capstone\n"
    assert violations(lazy, "helpers.core.charts") == [
        "helpers.core.charts:2 (core, layer 0) imports helpers.lessons.capstone (lessons, layer 2)"]
    relative = "from ..grading.core import Run\n"
    assert violations(relative, "helpers.exercises.widgets") == [
        "helpers.exercises.widgets:1 (exercises, layer 1) imports helpers.grading.core.Run (grading, layer 2)"]
    sideways = "import importlib\nm = importlib.import_module('helpers.grading.cli')\n"
    assert violations(sideways, "helpers.lessons.deepening") == [
        "helpers.lessons.deepening:2 (lessons, layer 2) imports helpers.grading.cli (grading, layer 2)"]
    short = "from helpers import data, ROOT\n"
    assert violations(short, "helpers.publishing.publish") == [
        "helpers.publishing.publish:1 imports the short name helpers.data: import helpers.core.data"]
    assert violations("from . import readings\nfrom helpers.exercises import bank\n", "helpers.lessons.x") == []
    assert violations("from .readings import load_readings\n", "helpers.core.data") == []


def test_the_notebooks_short_names_are_the_grouped_modules():
    import importlib

    for short, real in helpers.SHORT_NAMES.items():
        assert getattr(helpers, short) is importlib.import_module(real)
    from helpers import capstone, new_diplomacy as nd  # noqa: I001  (the notebooks' own spelling)
    assert capstone.__name__ == "helpers.lessons.capstone" and nd.__name__ == "helpers.lessons.new_diplomacy"
    with pytest.raises(AttributeError):
        helpers.no_such_module  # noqa: B018


def test_import_helpers_loads_no_submodule():
    code = "import helpers, sys; print(sorted(m for m in sys.modules if m.startswith('helpers')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO)
    assert out.stdout.strip() == "['helpers']"


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_resolves(command):
    import importlib

    name, _, function = COMMANDS[command].partition(":")
    assert callable(getattr(importlib.import_module(name), function or "main"))


def test_the_build_files_name_modules_that_exist():
    """`python -m helpers.X` and `from helpers... import` in the Makefile and postBuild follow the moves."""
    import importlib
    import re

    text = (REPO / "Makefile").read_text(encoding="utf-8") + (REPO / "postBuild").read_text(encoding="utf-8")
    named = set(re.findall(r"-m (helpers(?:\.\w+)+)", text))
    for base, names in re.findall(r"from (helpers(?:\.\w+)*) import ([\w, ]+)", text):
        named |= {f"{base}.{n.strip()}" for n in names.split(",")}
    paths = set(re.findall(r"\b(helpers/[\w/]+\.(?:py|json))", text))
    assert named and paths
    for name in sorted(named):
        importlib.import_module(name)
    assert [p for p in sorted(paths) if not (REPO / p).is_file()] == []


def test_package_data_follows_the_files():
    """Every data file the package reads at run time (templates, JSON settings) is in a wheel too."""
    import tomllib

    globs = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"][
        "package-data"]["helpers"]
    shipped = {p for g in globs for p in PACKAGE.glob(g) if p.is_file()}
    data = {p for p in PACKAGE.rglob("*") if p.is_file() and p.suffix not in {".py", ".pyc", ".md"}}
    assert data and sorted(p.relative_to(PACKAGE).as_posix() for p in data - shipped) == []
