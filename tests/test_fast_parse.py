"""The grader's fast JSON path (orjson) reads every file exactly as the ordinary ``json`` path does:
the same records, problems and reasons for each file of both grading corpora and a few more."""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from helpers.grading import extract as ex
from helpers.grading import synthetic

HERE = Path(__file__).resolve().parent


def _module(name: str):
    spec = importlib.util.spec_from_file_location(name, HERE / "grading_corpus" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def result(path: Path):
    try:
        got = ex.extract(path)
    except ex.Rejected as err:
        return ("rejected", str(err))
    return ("read", {k: (r.set, r.exercise, r.type, json.dumps(r.answer, sort_keys=True, default=repr), r.saved, r.cell)
                     for k, r in got.records.items()}, got.problems, sorted(got.other_courses), got.metadata_set)


def extra_cases(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, answer in [("wide-int", 2 ** 70), ("negative-wide-int", -(2 ** 64)), ("big-float", 1.5e19),
                         ("exact-int", 2 ** 62), ("float", 30.25)]:
        synthetic.answer_notebook(folder / f"{name}_1_1_01-soft-power.ipynb", "01-soft-power", {"x01-numeric": answer})
    good = folder / "wide-int_1_1_01-soft-power.ipynb"
    (folder / "bom.ipynb").write_bytes(b"\xef\xbb\xbf" + good.read_bytes())
    (folder / "nan.ipynb").write_text(good.read_text().replace(str(2 ** 70), "NaN"))
    (folder / "inf.ipynb").write_text(good.read_text().replace(str(2 ** 70), "1e400"))
    (folder / "surrogate.ipynb").write_text(good.read_text().replace('"x01-numeric"', '"x01-\\ud800"'))
    (folder / "array.ipynb").write_text("[1, 2]")


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("fast")
    _module("make_corpus").build(tmp / "corpus", tmp / "MARKER")
    _module("make_hostile").build(tmp / "hostile", flood_size=2_000)
    extra_cases(tmp / "extra")
    paths = [p for p in sorted(tmp.rglob("*")) if p.is_file() and not p.is_symlink() and p.name != "MARKER"]
    assert len(paths) > 60
    return paths


def test_fast_and_ordinary_paths_agree_on_every_file(files, monkeypatch):
    fast = {p: result(p) for p in files}
    monkeypatch.setattr(ex, "_orjson", None)
    slow = {p: result(p) for p in files}
    assert [p for p in files if fast[p] != slow[p]] == []


def test_the_fast_path_is_taken_for_an_ordinary_notebook_and_not_for_a_wide_integer(files):
    import orjson  # noqa: F401  (a dependency of the course: this fails where it is missing)

    ordinary = next(p for p in files if p.name.startswith("float_"))
    assert ex._fast_parse(ordinary.read_bytes()) is not None
    wide = next(p for p in files if p.name.startswith("wide-int_"))
    assert ex._fast_parse(wide.read_bytes()) is None
    assert ex.extract(wide).records[("01-soft-power", "x01-numeric")].answer == 2 ** 70


def test_visible_escapes_exactly_the_characters_it_escaped_one_by_one():
    from helpers.grading import untrusted as u

    chars = [chr(c) for c in range(0x3000)] + [chr(c) for c in range(0xD800, 0xE000)] + sorted(u._BIDI)
    for keep in (False, True):
        for ch in chars:
            want = u._escape(ch) if u._needs_escape(ch, keep) else ch
            assert u.visible(f"a{ch}b\n", keep_newlines=keep) == f"a{want}b" + ("\n" if keep else "\\x0a"), hex(ord(ch))
