"""Files written whole or not at all (helpers.core.files), and pinned npm packages (helpers.core.npm)."""
from __future__ import annotations

import pytest

from helpers.core.files import write_atomic
from helpers.core.npm import NpmPackageError, fetch_package


def boom(fh):
    fh.write("half a fi")
    raise OSError("disk full")


def test_a_write_replaces_the_whole_file(tmp_path):
    path = tmp_path / "sub" / "out.csv"
    write_atomic(path, lambda fh: fh.write("a,b\r\n"), newline="")
    write_atomic(path, lambda fh: fh.write("c\n"), fsync=True)
    assert path.read_bytes() == b"c\n"
    assert [p.name for p in path.parent.iterdir()] == ["out.csv"]  # no temporary file left


def test_a_failed_write_keeps_the_old_file_unless_told_to_remove_it(tmp_path):
    kept, removed = tmp_path / "answers.json", tmp_path / "gradebook.csv"
    for path in (kept, removed):
        path.write_text("old\n")
    with pytest.raises(OSError):
        write_atomic(kept, boom)
    with pytest.raises(OSError):
        write_atomic(removed, boom, remove_old_on_failure=True)
    assert kept.read_text() == "old\n"  # a student's answers are never lost
    assert not removed.exists()  # a grading output that no longer matches its run is not left
    assert sorted(p.name for p in tmp_path.iterdir()) == ["answers.json"]


def test_an_npm_package_that_does_not_match_its_hash_is_refused_and_deleted(tmp_path):
    bogus = tmp_path / "left-pad-1.3.0.tgz"
    bogus.write_bytes(b"not the package")
    with pytest.raises(NpmPackageError, match="integrity"):
        fetch_package("left-pad", "1.3.0", "sha512-AAAA", tmp_path)
    assert not bogus.exists()
