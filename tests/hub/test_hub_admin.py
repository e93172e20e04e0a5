"""The hub's admin commands without a running hub: the roster, publishing, collecting, the
settings applied to an environment; each bad input gets a clear message and loses nothing."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from helpers.hub import collect as col
from helpers.hub import admin as hub

REPO = Path(__file__).resolve().parents[2]


def roster(tmp_path, text: str) -> Path:
    p = tmp_path / "roster.csv"
    p.write_text(text, encoding="utf-8")
    return p


# ------------------------------------------------------------------------------ roster

def test_roster_lists_students_and_skips_blank_lines(tmp_path):
    entries = hub.read_roster(roster(tmp_path, "username,name,id\nan-nguyen,Nguyễn Văn An,1\n,,\nbinh_tran,Trần Bình,2\n"))
    assert [(e.username, e.name) for e in entries] == [("an-nguyen", "Nguyễn Văn An"), ("binh_tran", "Trần Bình")]


def test_roster_with_duplicates_and_invalid_names_is_refused_whole_with_every_problem(tmp_path):
    path = roster(tmp_path, "username,name\nan-nguyen,A\nAn Nguyen,B\nan-nguyen,C\n1binh,D\nroot,E\n"
                            + "x" * 40 + ",F\nok-one,G\n")
    with pytest.raises(hub.HubError) as err:
        hub.read_roster(path)
    text = str(err.value)
    assert "nothing was created" in text
    assert "line 3: username 'An Nguyen' is not valid" in text
    assert "line 4: username 'an-nguyen' is already on line 2" in text
    assert "line 5: username '1binh' is not valid" in text
    assert "line 6: username 'root' is reserved" in text
    assert "line 7:" in text
    assert "ok-one" not in text


def test_roster_without_a_username_column_says_so(tmp_path):
    with pytest.raises(hub.HubError, match="needs a 'username' column"):
        hub.read_roster(roster(tmp_path, "name,email\nAn,an@example.org\n"))


def test_the_users_command_refuses_a_bad_roster_and_creates_no_one(tmp_path):
    path = roster(tmp_path, "username\nvnfr-test-dup\nvnfr-test-dup\n")
    r = subprocess.run([sys.executable, "-m", "helpers", "hub", "--hub-dir", str(tmp_path / "h"), "users", str(path)],
                       cwd=REPO, capture_output=True, text=True)
    assert r.returncode == 2
    assert "already on line 2" in r.stderr and "nothing was created" in r.stderr
    assert subprocess.run(["id", "vnfr-test-dup"], capture_output=True).returncode != 0


@pytest.mark.hub  # creates Unix users: root, like the scale test
def test_create_users_makes_private_homes_and_password_slips(tmp_path):
    if os.geteuid() != 0:
        pytest.fail("creating Unix users needs root (make test-hub runs as root)")
    names = ["vnfr-test-adm1", "vnfr-test-adm2"]
    hub.remove_users(names)
    try:
        entries = hub.read_roster(roster(tmp_path, "username,name\n" + "".join(f"{n},Name {n}\n" for n in names)))
        first = hub.create_users(entries, tmp_path / "h")
        assert first["created"] == names
        slips = (tmp_path / "h" / "state" / "passwords.csv")
        assert oct(slips.stat().st_mode & 0o777) == "0o600"
        assert oct((tmp_path / "h" / "state").stat().st_mode & 0o777) == "0o700"
        for n in names:
            home = Path(os.path.expanduser(f"~{n}"))
            assert home.is_dir() and home.stat().st_mode & 0o077 == 0
        again = hub.create_users(entries, tmp_path / "h")  # running it twice changes no password
        assert again["created"] == [] and again["kept"] == names
        assert [line.split(",")[0] for line in slips.read_text(encoding="utf-8").splitlines()] == ["username", *names]
        assert json.loads((tmp_path / "h" / "state" / "users.json").read_text())["students"] == names
    finally:
        hub.remove_users(names)


def test_passwords_are_four_words_and_a_number():
    pw = hub.new_password()
    parts = pw.split("-")
    assert len(parts) == 5 and parts[-1].isdigit() and all(p.isalpha() for p in parts[:-1])
    assert len({hub.new_password() for _ in range(50)}) == 50


def test_link_is_an_nbgitpuller_link_for_the_lms():
    url = hub.link("http://192.0.2.1:8000")
    assert url.startswith("http://192.0.2.1:8000/hub/user-redirect/git-pull?repo=http%3A%2F%2F127.0.0.1%3A8765%2Fcourse.git")
    assert "&branch=main&targetpath=course&urlpath=lab%2Ftree%2Fcourse%2Fnotebooks%2F00-start-here.ipynb" in url


# ------------------------------------------------------------------------------ publish

def test_publish_commits_the_student_edition_only_and_protects_the_key(tmp_path):
    commit = hub.publish(tmp_path / "h", root=REPO)
    bare = tmp_path / "h" / "published" / "course.git"
    files = subprocess.run(["git", "ls-tree", "-r", "--name-only", "main"], cwd=bare, capture_output=True,
                           text=True, check=True).stdout.split()
    assert "notebooks/00-start-here.ipynb" in files and "course/exercises/00-start-here.yml" in files
    assert not [f for f in files if "instructor" in f or f.startswith("tests/")]
    bank = subprocess.run(["git", "show", "main:course/exercises/00-start-here.yml"], cwd=bare,
                          capture_output=True, text=True, check=True).stdout
    assert "answer: attraction" not in bank and "Student edition" in bank
    assert (bare / "info" / "refs").is_file()  # servable over plain HTTP
    assert (REPO / "course").stat().st_mode & 0o077 == 0
    assert hub.publish(tmp_path / "h", root=REPO) == commit  # nothing changed: no new commit


# ------------------------------------------------------------------------------ collect

NOTEBOOK = {"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}


def make_home(base: Path, user: str, notebooks: dict[str, str | None] | None) -> Path:
    home = base / user
    home.mkdir()
    if notebooks is not None:
        folder = home / "course" / "notebooks"
        folder.mkdir(parents=True)
        for name, text in notebooks.items():
            (folder / name).write_text(text if text is not None else json.dumps(NOTEBOOK), encoding="utf-8")
    return home


def test_collect_copies_one_folder_per_student_and_says_what_it_left(tmp_path):
    base = tmp_path / "home"
    base.mkdir()
    make_home(base, "good", {"00-start-here.ipynb": None, "01-soft-power.ipynb": None, "scratch.ipynb": None})
    make_home(base, "never", None)  # created by `hub users`, never logged in
    make_home(base, "broken", {"00-start-here.ipynb": '{"cells": [', "01-soft-power.ipynb": None})
    late = make_home(base, "late", {"00-start-here.ipynb": None})
    deadline = datetime.now(timezone.utc) - timedelta(hours=1)
    old = time.time() - 7200
    for p in (base / "good" / "course" / "notebooks").iterdir():
        os.utime(p, (old, old))
    os.utime(base / "broken" / "course" / "notebooks" / "01-soft-power.ipynb", (old, old))
    os.utime(base / "broken" / "course" / "notebooks" / "00-start-here.ipynb", (old, old))
    homes = {"good": base / "good", "never": base / "never", "broken": base / "broken", "late": late,
             "gone": base / "gone"}  # the home of "gone" was deleted mid-term
    out = tmp_path / "submissions"
    result = col.collect(["good", "never", "broken", "late", "gone", "nouser"], out, deadline,
                         notebooks=["00-start-here.ipynb", "01-soft-power.ipynb"], home_of=homes.get)
    assert sorted(result.copied) == [("broken", "01-soft-power.ipynb"), ("good", "00-start-here.ipynb"),
                                     ("good", "01-soft-power.ipynb")]
    assert not (out / "good" / "scratch.ipynb").exists()  # only the course's notebooks
    assert (out / "good" / "00-start-here.ipynb").stat().st_mtime == pytest.approx(old, abs=1)  # file time kept
    text = "\n".join(result.messages)
    assert "never: no " in text and "never logged in" in text
    assert "broken: 00-start-here.ipynb: not a readable notebook" in text and "untouched" in text
    assert "late: 00-start-here.ipynb: saved" in text and "after the deadline" in text
    assert "gone: home directory" in text and "missing (deleted?)" in text
    assert "nouser: no Unix user" in text
    assert (base / "broken" / "course" / "notebooks" / "00-start-here.ipynb").read_text() == '{"cells": ['
    rows = (out / "collect.csv").read_text(encoding="utf-8").splitlines()
    assert rows[0] == "username,notebook,action,detail" and len(rows) == 1 + 8


def test_collect_command_needs_a_roster_or_the_hubs_list(tmp_path):
    r = subprocess.run([sys.executable, "-m", "helpers", "collect", "--hub", "--hub-dir", str(tmp_path),
                        "--out", str(tmp_path / "s")], cwd=REPO, capture_output=True, text=True)
    assert r.returncode == 2 and "pass --roster" in r.stderr


# ------------------------------------------------------------------------------ JupyterLab settings

def test_lab_settings_write_the_course_overrides_file_and_refuse_a_broken_one(tmp_path):
    from helpers.core import labsettings

    target = labsettings.apply(tmp_path / "env")
    settings = json.loads(target.read_text())
    assert settings == json.loads(labsettings.COURSE_OVERRIDES.read_text())
    assert settings["@jupyterlab/notebook-extension:tracker"]["windowingMode"] == "none"
    assert settings["@jupyterlab/apputils-extension:notification"]["checkForUpdates"] is False
    page = json.loads((tmp_path / "env" / "etc" / "jupyter" / "labconfig" / "page_config.json").read_text())
    assert page["disabledExtensions"]["@jupyterlab/mathjax3-extension"] is True
    broken = tmp_path / "broken.json"
    broken.write_text("[1, 2")
    with pytest.raises(SystemExit, match="cannot read the course's JupyterLab settings"):
        labsettings.apply(tmp_path / "env2", broken)


def test_the_course_kernel_runs_without_the_debugger(tmp_path):
    """The python3 kernel the course writes: a working ipykernel that never imports debugpy."""
    from jupyter_client import KernelManager
    from jupyter_client.kernelspec import KernelSpecManager

    from helpers.core import labsettings

    spec = labsettings.kernelspec(tmp_path / "env")
    ksm = KernelSpecManager(kernel_dirs=[str(spec.parent.parent)], ensure_native_kernel=False)
    assert ksm.get_kernel_spec("python3").resource_dir == str(spec.parent)
    km = KernelManager(kernel_name="python3", kernel_spec_manager=ksm)
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=60)
        outputs = []
        kc.execute_interactive("import sys; print(sorted(m for m, mod in sys.modules.items() if mod is not None"
                               " and m.startswith(('debugpy', 'pydevd'))), 6 * 7)",
                               timeout=60, output_hook=lambda m: outputs.append(m))
        text = "".join(m["content"].get("text", "") for m in outputs if m["msg_type"] == "stream")
        assert text.strip() == "[] 42", text
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
