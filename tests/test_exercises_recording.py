"""Recording: the atomic store, the record format, and a round trip through a real .ipynb file."""
from __future__ import annotations

import json
import os

import nbformat
import pytest

from helpers.exercises import record as rec
from helpers.exercises.store import AnswerStore, atomic_write_json


def r(ex="e1", answer="a", saved="2025-01-01T00:00:00Z", set_id="01-x"):
    return rec.build_record(set_id, ex, "single", answer, saved)


def test_record_has_the_documented_fields():
    record = rec.build_record("01-x", "e1", "multiple", ["a", "b"])
    assert list(record) == ["schema", "course", "set", "exercise", "type", "answer", "saved"]
    assert record["schema"] == 1 and record["course"] == "vietnam-foreign-relations"
    assert record["saved"].endswith("Z") and "T" in record["saved"]
    b = rec.bundle(record)
    assert b[rec.MIME] is record and b["text/plain"].startswith("Answer recorded: e1 = ")
    assert rec.MIME == "application/vnd.vnfr.answer+json"
    assert rec.MIME not in rec.placeholder_bundle("01-x", "e1")


def test_store_put_get_and_restore_in_a_new_instance(tmp_path):
    store = AnswerStore("01-x", tmp_path)
    assert store.load() == {}
    store.put(r("e1", "a"))
    store.put(r("e2", ["x"]))
    store.put(r("e1", "b"))
    again = AnswerStore("01-x", tmp_path)
    assert again.get("e1")["answer"] == "b" and again.get("e2")["answer"] == ["x"]
    data = json.loads((tmp_path / "01-x.json").read_text())
    assert data["set"] == "01-x" and set(data["answers"]) == {"e1", "e2"}
    assert [p.name for p in tmp_path.iterdir()] == ["01-x.json"]  # no temporary files left


def test_store_defaults_to_answers_folder_in_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.delenv("VNFR_ANSWERS_DIR", raising=False)
    monkeypatch.chdir(tmp_path)
    AnswerStore("01-x").put(r())
    assert (tmp_path / ".answers" / "01-x.json").is_file()


def test_crash_mid_write_leaves_the_previous_file_intact(tmp_path, monkeypatch):
    store = AnswerStore("01-x", tmp_path)
    store.put(r("e1", "a"))
    before = store.path.read_bytes()

    real_dump = json.dump

    def crash_half_way(obj, fh, **kw):
        fh.write('{"answers": {"e1": ')  # a partial write...
        raise KeyboardInterrupt("kernel killed")  # ...then the process dies

    monkeypatch.setattr(json, "dump", crash_half_way)
    with pytest.raises(KeyboardInterrupt):
        store.put(r("e2", "b"))
    monkeypatch.setattr(json, "dump", real_dump)
    assert store.path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["01-x.json"]
    assert store.get("e1")["answer"] == "a" and store.get("e2") is None


def test_crash_at_replace_leaves_the_previous_file_intact(tmp_path, monkeypatch):
    path = tmp_path / "f.json"
    atomic_write_json(path, {"v": 1})
    monkeypatch.setattr(os, "replace", lambda *a: (_ for _ in ()).throw(OSError("disk full")))
    with pytest.raises(OSError):
        atomic_write_json(path, {"v": 2})
    assert json.loads(path.read_text()) == {"v": 1}
    assert [p.name for p in tmp_path.iterdir()] == ["f.json"]


def test_an_unreadable_store_is_set_aside_not_fatal(tmp_path):
    (tmp_path / "01-x.json").write_text('{"answers": {"e1": ', encoding="utf-8")
    store = AnswerStore("01-x", tmp_path)
    with pytest.warns(UserWarning, match="unreadable"):
        assert store.load() == {}
    store.put(r())
    assert store.get("e1")["answer"] == "a"
    assert any(p.name.startswith("01-x.json.unreadable-") for p in tmp_path.iterdir())


def test_store_ignores_records_of_other_sets_and_bad_records(tmp_path):
    store = AnswerStore("01-x", tmp_path)
    atomic_write_json(store.path, {"answers": {"e1": r(set_id="02-y"), "e2": {"answer": 1}, "e3": r("e3")}})
    assert list(store.load()) == ["e3"]
    with pytest.raises(ValueError):
        store.put({"exercise": "e1"})


@pytest.mark.parametrize("bad", [
    None, [], "x", {}, {**r(), "schema": 2}, {**r(), "course": "other"}, {**r(), "exercise": 5},
    {**r(), "set": ""}, {k: v for k, v in r().items() if k != "answer"}, {**r(), "answer": "x" * 200_000},
])
def test_validate_record_rejects_malformed_records(bad):
    assert rec.validate_record(bad)


def test_validate_record_accepts_well_formed_records():
    assert rec.validate_record(r()) is None
    assert rec.validate_record(rec.build_record("01-x", "e2", "grid", {"i": ["high", "more"]})) is None


def notebook_with_records(path, outputs_per_cell):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells.append(nbformat.v4.new_markdown_cell("# Title"))
    for outputs in outputs_per_cell:
        cell = nbformat.v4.new_code_cell('ex.show("...")')
        cell.outputs = outputs
        nb.cells.append(cell)
    nbformat.write(nb, str(path))
    return path


def display_output(bundle):
    return nbformat.v4.new_output("display_data", data=bundle, metadata={})


def test_records_round_trip_through_a_real_notebook_file(tmp_path):
    r1 = r("e1", "a", "2025-01-01T00:00:00Z")
    r2 = r("e2", {"i": ["high", "more"]}, "2025-01-01T00:01:00Z")
    r1_later = r("e1", "b", "2025-01-01T00:02:00Z")
    path = notebook_with_records(tmp_path / "01-x.ipynb", [
        [nbformat.v4.new_output("stream", name="stdout", text="hello\n"), display_output(rec.bundle(r1))],
        [display_output(rec.placeholder_bundle("01-x", "e3"))],
        [display_output(rec.bundle(r2))],
        [display_output(rec.bundle(r1_later))],
        [display_output({rec.MIME: {**r1, "course": "another-course"}, "text/plain": "x"})],
    ])
    nbformat.validate(nbformat.read(str(path), as_version=4))
    records = rec.extract_records(path)
    assert records == [r1, r2, r1_later]
    latest = rec.latest_answers(path)
    assert latest[("01-x", "e1")]["answer"] == "b" and latest[("01-x", "e2")] == r2
    assert rec.latest_answers(path, "02-other") == {}
    # the grader reads the file as plain JSON too
    assert rec.extract_records(json.loads(path.read_text())) == records


def test_extract_tolerates_records_stored_as_text_and_junk_outputs(tmp_path):
    nb = {"cells": [
        {"cell_type": "code", "outputs": [{"output_type": "display_data", "data": {rec.MIME: json.dumps(r())}}]},
        {"cell_type": "code", "outputs": "junk"},
        {"cell_type": "code", "outputs": [None, {"data": None}, {"data": {rec.MIME: "not json"}}]},
        {"cell_type": "markdown", "outputs": [{"data": {rec.MIME: r("e9")}}]},
        "junk",
    ]}
    assert rec.extract_records(nb) == [r()]
    assert rec.extract_records({"no": "cells"}) == []
