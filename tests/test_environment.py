"""The two ways to install the course (pip from pyproject.toml, conda from environment.yml) agree."""
from __future__ import annotations

import re
import tomllib

import yaml

from helpers import ROOT


def _split(spec: str) -> tuple[str, str]:
    m = re.match(r"^\s*([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?\s*(.*)$", spec)
    assert m, spec
    return m.group(1).lower().replace("_", "-"), m.group(2).replace(" ", "")


def pyproject_requirements() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    specs = list(project["dependencies"]) + [s for group in project["optional-dependencies"].values() for s in group]
    return dict(_split(s) for s in specs)


def conda_requirements() -> dict[str, str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    out = {}
    pip = [d for dep in env["dependencies"] if isinstance(dep, dict) for d in dep.get("pip", [])]
    for dep in [d for d in env["dependencies"] if isinstance(d, str)] + [d for d in pip if d != "-e ."]:
        name, spec = _split(dep)
        if name not in {"python", "pip"}:
            assert name not in out, f"{name} is listed twice in environment.yml"
            out[name] = spec
    return out


def test_environment_yml_names_the_same_dependencies_as_pyproject():
    assert conda_requirements() == pyproject_requirements()


def test_environment_yml_installs_the_course_package_and_python():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip = [d for d in env["dependencies"] if isinstance(d, dict)]
    assert pip and "-e ." in pip[0]["pip"]
    python = [d for d in env["dependencies"] if isinstance(d, str) and d.startswith("python")]
    assert python == ["python>=3.11"]
    assert tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"] == ">=3.11"


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text()
    assert re.search(r"^make test$", ci, re.M)
    readme = (ROOT / "README.md").read_text()
    assert "make lab" in readme and "make test" in readme
