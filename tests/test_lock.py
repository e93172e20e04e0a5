"""requirements.lock, pyproject.toml and environment.yml agree, and the lock is what gets installed.

pyproject.toml keeps the ranges the course accepts; requirements.lock pins one version of every
package, with its hashes, inside those ranges (`make lock` writes it); environment.yml names the
same ranges for conda and Binder.
"""
from __future__ import annotations

import re
import sys
import tomllib
from dataclasses import dataclass, field
from importlib import metadata

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

from helpers import ROOT

LOCK = ROOT / "requirements.lock"
PROJECT = "vn-foreign-relations"
FIX = "run `make lock` and commit requirements.lock"


@dataclass
class Pin:
    name: str
    version: str
    marker: str
    hashes: list[str]
    via: set[str] = field(default_factory=set)

    def applies(self) -> bool:
        return not self.marker or Requirement(f"{self.name}; {self.marker}").marker.evaluate()


def read_lock(text: str) -> list[Pin]:
    """The pins of a requirements file written by `uv pip compile --generate-hashes`."""
    pins: list[Pin] = []
    logical = re.sub(r"\\\n\s*", " ", text)
    for line in logical.splitlines():
        if not line.strip():
            continue
        if line.lstrip().startswith("#"):
            if pins:
                via = re.sub(r"^#\s*(via)?\s*", "", line.strip()).strip()
                if via:
                    pins[-1].via.add(via)
            continue
        assert not line.startswith("-"), f"requirements.lock: unexpected option line {line!r}; {FIX}"
        req_text, *hashes = [part.strip() for part in line.split("--hash=")]
        req = Requirement(req_text)
        specs = list(req.specifier)
        assert len(specs) == 1 and specs[0].operator == "==", f"requirements.lock: {req_text!r} is not an exact pin; {FIX}"
        pins.append(Pin(canonicalize_name(req.name), specs[0].version, str(req.marker or ""), hashes))
    return pins


PINS = read_lock(LOCK.read_text(encoding="utf-8"))


def by_name() -> dict[str, list[Pin]]:
    out: dict[str, list[Pin]] = {}
    for pin in PINS:
        out.setdefault(pin.name, []).append(pin)
    return out


def split(spec: str) -> tuple[str, SpecifierSet]:
    req = Requirement(spec)
    return canonicalize_name(req.name), req.specifier


def pyproject_ranges() -> dict[str, SpecifierSet]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    specs = list(project["dependencies"]) + [s for group in project.get("optional-dependencies", {}).values()
                                             for s in group]
    return dict(split(s) for s in specs)


def environment_ranges() -> dict[str, SpecifierSet]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    entries = [d for d in env["dependencies"] if isinstance(d, str)]
    entries += [d for dep in env["dependencies"] if isinstance(dep, dict) for d in dep.get("pip", [])]
    out = {}
    for entry in entries:
        if entry.startswith("-"):  # -e . (the course itself)
            continue
        name, spec = split(entry)
        if name not in {"python", "pip"}:
            out[name] = spec
    return out


def test_the_lock_parses_into_many_pins():
    names = by_name()
    assert len(names) > 50 and {"jupyterlab", "pandas", "numpy", "pytest"} <= set(names)


def test_every_pyproject_dependency_is_pinned_in_the_lock_inside_its_range():
    names = by_name()
    problems = []
    for name, spec in pyproject_ranges().items():
        if name not in names:
            problems.append(f"{name} ({spec}) is not in requirements.lock")
        for pin in names.get(name, []):
            if not spec.contains(pin.version, prereleases=True):
                problems.append(f"requirements.lock pins {name}=={pin.version}, outside pyproject.toml's {spec}")
    assert not problems, "; ".join(problems) + f": {FIX}"


def test_the_lock_names_exactly_pyprojects_dependencies_as_direct_ones():
    direct = {pin.name for pin in PINS if f"{PROJECT} (pyproject.toml)" in pin.via}
    assert direct == set(pyproject_ranges()), (
        f"requirements.lock was made from other dependencies than pyproject.toml's "
        f"(only in the lock: {sorted(direct - set(pyproject_ranges()))}, "
        f"only in pyproject.toml: {sorted(set(pyproject_ranges()) - direct)}): {FIX}")


def test_every_environment_yml_entry_is_pinned_in_the_lock_inside_its_range():
    names = by_name()
    problems = []
    for name, spec in environment_ranges().items():
        if name not in names:
            problems.append(f"environment.yml's {name} is not in requirements.lock")
        for pin in names.get(name, []):
            if not spec.contains(pin.version, prereleases=True):
                problems.append(f"requirements.lock pins {name}=={pin.version}, outside environment.yml's {spec}")
    assert not problems, "; ".join(problems) + f" ({FIX}, and keep environment.yml's ranges equal to pyproject.toml's)"


def test_every_pin_has_sha256_hashes():
    for pin in PINS:
        assert pin.hashes, f"{pin.name}=={pin.version} has no hash in requirements.lock: {FIX}"
        for h in pin.hashes:
            assert re.fullmatch(r"sha256:[0-9a-f]{64}", h), f"{pin.name}: {h!r} is not a sha256 hash: {FIX}"


def test_on_this_interpreter_exactly_one_version_of_each_package_applies():
    for name, pins in by_name().items():
        applying = [p.version for p in pins if p.applies()]
        assert len(applying) <= 1, f"{name}: several pins apply here ({applying}): {FIX}"
    for name in pyproject_ranges():
        assert any(p.applies() for p in by_name().get(name, [])), f"{name}: no pin applies to Python {sys.version.split()[0]}: {FIX}"


def test_this_environment_has_exactly_the_locked_versions():
    """The lock is what `make lab`, `make test` and CI install (the Makefile's install rule)."""
    wrong = []
    for pin in PINS:
        if not pin.applies():
            continue
        try:
            installed = metadata.version(pin.name)
        except metadata.PackageNotFoundError:
            wrong.append(f"{pin.name} is missing (locked {pin.version})")
            continue
        if installed != pin.version:
            wrong.append(f"{pin.name} {installed} is installed, the lock says {pin.version}")
    assert not wrong, "; ".join(wrong) + ": reinstall with `rm .venv/.installed && make .venv/.installed`"


def test_the_install_rule_installs_the_lock_with_hashes_then_the_course_without_dependencies():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    rule = re.search(r"^\$\(STAMP\):(.*?)^\s*touch \$\(STAMP\)", makefile, re.M | re.S)
    assert rule and "$(LOCK)" in rule.group(1).splitlines()[0]
    body = rule.group(1)
    assert re.search(r"^LOCK\s*=\s*requirements\.lock$", makefile, re.M)
    lock_install = body.index("pip install --quiet --require-hashes -r $(LOCK)")
    assert body.index("pip install --quiet --no-deps -e .") > lock_install
    assert "-e '.[test]'" not in body and "-e .[test]" not in body
    lock_rule = re.search(r"^lock:.*?(?=^\S)", makefile, re.M | re.S)
    assert lock_rule, "the Makefile has no `lock` target"
    for flag in ("--generate-hashes", "--all-extras", "--universal", "--upgrade", "--exclude-newer $(LOCK_DATE)",
                 "--no-config", "--output-file $(LOCK)"):
        assert flag in lock_rule.group(0), f"make lock: {flag} is missing"
    assert re.search(r"^LOCK_DATE \?= \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", makefile, re.M)
    assert re.search(r"^UV_VERSION = \d+\.\d+\.\d+$", makefile, re.M), "make lock pins the version of uv"


def test_the_lock_says_how_it_was_made():
    header = LOCK.read_text(encoding="utf-8").splitlines()[:2]
    assert header[0].startswith("# This file was autogenerated by uv") and header[1].strip() == "#    make lock", FIX


@pytest.mark.parametrize("text, problem", [
    ("pandas>=2.2 \\\n    --hash=sha256:" + "a" * 64 + "\n", "not an exact pin"),
    ("--index-url https://example.invalid/simple\n", "unexpected option line"),
])
def test_a_malformed_lock_is_refused_with_the_fix(text, problem):
    with pytest.raises(AssertionError, match=problem + ".*make lock"):
        read_lock(text)


def test_reading_a_lock_keeps_markers_hashes_and_via():
    pins = read_lock("# header\n"
                     "numpy==2.4.6 ; python_full_version < '3.12' \\\n"
                     "    --hash=sha256:" + "1" * 64 + " \\\n"
                     "    --hash=sha256:" + "2" * 64 + "\n"
                     "    # via\n    #   pandas\n    #   vn-foreign-relations (pyproject.toml)\n"
                     "numpy==2.5.5 ; python_full_version >= '3.12' \\\n"
                     "    --hash=sha256:" + "3" * 64 + "\n    # via pandas\n")
    assert [(p.version, len(p.hashes)) for p in pins] == [("2.4.6", 2), ("2.5.5", 1)]
    assert pins[0].via == {"pandas", "vn-foreign-relations (pyproject.toml)"} and pins[1].via == {"pandas"}
    assert [p.applies() for p in pins] == [sys.version_info < (3, 12), sys.version_info >= (3, 12)]
