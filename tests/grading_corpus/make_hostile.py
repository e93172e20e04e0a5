"""Hostile submissions for the grader, one builder per failure class: `python make_hostile.py DIR`.

Generated at test time, never committed: some names are not UTF-8, some files are pipes or
sockets, one file holds 60,000 records, and git can hold none of that well. Each builder writes
into a folder and returns what the test needs to know. Every notebook answers the synthetic bank
of set 01-soft-power (helpers.grading.synthetic), whose right answers score 11 points (13 possible,
2 of them a short text the teacher scores).
"""
from __future__ import annotations

import json
import os
import socket
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from helpers.grading import COURSE, MIME  # noqa: E402
from helpers.grading.synthetic import RIGHT, record  # noqa: E402

SET = "01-soft-power"
GOOD = {f"x01-{t}": v for t, v in RIGHT.items()}
FULL = 11.0  # what GOOD scores (the short text waits for the teacher)


def cell(rec, output_type: str = "display_data") -> dict:
    out = {"output_type": output_type, "data": {MIME: rec, "text/plain": "Answer recorded"}, "metadata": {}}
    if output_type == "execute_result":
        out["execution_count"] = 1
    return {"cell_type": "code", "execution_count": 1, "metadata": {}, "source": "show()", "outputs": [out]}


def notebook(records: list, extra_cells: list | None = None, **meta) -> dict:
    return {"nbformat": 4, "nbformat_minor": 5, "metadata": meta,
            "cells": [cell(r) for r in records] + list(extra_cells or [])}


def good_records(saved: str = "2025-03-01T10:00:00Z", skip: tuple = ()) -> list[dict]:
    return [record(SET, k, k.split("-", 1)[1], v, saved) for k, v in GOOD.items() if k not in skip]


def write(folder: Path, name: str | bytes, nb: dict | str) -> Path | bytes:
    """Write a notebook under a str or a raw-bytes file name (bytes: not necessarily UTF-8)."""
    text = nb if isinstance(nb, str) else json.dumps(nb)  # json.dumps escapes lone surrogates: valid JSON
    folder.mkdir(parents=True, exist_ok=True)
    if isinstance(name, bytes):
        target = os.fsencode(folder) + b"/" + name
        with open(target, "wb") as fh:
            fh.write(text.encode("utf-8"))
        return target
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


# --- 1. crashes ---------------------------------------------------------------------------------
BAD_NAME = b"nguy\xe1nvanan_101_7_01-soft-power.ipynb"  # Latin-1 "á", as an old unzip leaves it
BAD_NAME_SHOWN = "nguy\\xe1nvanan_101_7_01-soft-power.ipynb"


def not_utf8_name(folder: Path) -> None:
    write(folder, BAD_NAME, notebook(good_records()))


def lone_surrogate(folder: Path) -> str:
    recs = good_records(skip=("x01-text",))
    recs.append(record(SET, "x01-text", "text", "Soft power attracts \ud83d and persuades [quy2024 ¶2]."))
    write(folder, "tranthibinh_102_8_01-soft-power.ipynb", notebook(recs))
    return "tranthibinh_102_8_01-soft-power.ipynb"


# --- 3. floods ----------------------------------------------------------------------------------
def flood(folder: Path, n: int = 20_000) -> str:
    """One notebook with its valid answers and 3 × n junk records: unknown exercise ids, records
    of n different unknown schemas, and n sets not in the bank."""
    recs = good_records()
    recs += [record(SET, f"x01-nope-{i}", "single", "a") for i in range(n)]
    recs += [dict(record(SET, "x01-single", "single", "a"), schema=1000 + i) for i in range(n)]
    recs += [record(f"99-set-{i}", "x99-single", "single", "a") for i in range(n)]
    name = "floodfile_103_9_01-soft-power.ipynb"
    write(folder, name, notebook(recs))
    return name


# --- 4. terminal escape codes -------------------------------------------------------------------
ESC_NAME = "\x1b[2J\x1b[Hclear\u202egnp.exe_104_10_01-soft-power.ipynb"


def escapes(folder: Path) -> list[str]:
    recs = good_records()
    recs.append(record(SET, "x01-\x1b]0;owned\x07", "single", "a"))  # unknown exercise id with an OSC title
    recs.append(record("\x1b[31mred-set", "x99", "single", "a"))  # unknown set with a colour code
    recs.append(dict(record(SET, "x01-single", "single", "a"), schema="\x1b[1A\x1b[2K"))  # cursor up, erase
    write(folder, ESC_NAME, notebook(recs))
    write(folder, "bell\x07\x1b[5mblink.txt", "not a notebook")
    return [ESC_NAME]


# --- 5. one bad value ---------------------------------------------------------------------------
def huge_integer(folder: Path) -> str:
    recs = good_records(skip=("x01-numeric",))
    text = json.dumps(notebook(recs + [record(SET, "x01-numeric", "numeric", 12345)]))
    text = text.replace("12345", "9" * 5001)
    text = text.replace('"nbformat": 4,', '"nbformat": 4, "x": ' + "7" * 6000 + ",")  # and one in the metadata
    name = "huge_105_11_01-soft-power.ipynb"
    write(folder, name, text)
    return name


def year_9999(folder: Path) -> str:
    recs = good_records(skip=("x01-single", "x01-order"))
    recs.append(record(SET, "x01-single", "single", "a", saved="9999-12-31T23:59:59-01:00"))
    recs.append(record(SET, "x01-order", "order", ["1986", "1995", "2007"], saved="0001-01-01T00:00:00+01:00"))
    name = "future_106_12_01-soft-power.ipynb"
    write(folder, name, notebook(recs))
    return name


# --- 6. records where the widget never writes them ----------------------------------------------
def stray_outputs(folder: Path) -> str:
    """Right answers to single and numeric only in a stream and an error output; the rest where a
    widget writes them."""
    recs = good_records(skip=("x01-single", "x01-numeric"))
    stream = {"cell_type": "code", "execution_count": 1, "metadata": {}, "source": "print()", "outputs": [
        {"output_type": "stream", "name": "stdout", "text": "hi",
         "data": {MIME: record(SET, "x01-single", "single", "a")}}]}
    error = {"cell_type": "code", "execution_count": 1, "metadata": {}, "source": "1/0", "outputs": [
        {"output_type": "error", "ename": "ZeroDivisionError", "evalue": "", "traceback": [],
         "data": {MIME: record(SET, "x01-numeric", "numeric", 30)}}]}
    name = "stray_107_13_01-soft-power.ipynb"
    write(folder, name, notebook(recs, [stream, error]))
    return name


# --- 7. numbers as text -------------------------------------------------------------------------
FORMULA_TEXTS = ["-inf", "+nan", "-1e9", "+5", "=1+1", "@SUM(A1)", "-Infinity", "\t=cmd"]


def formula_texts(folder: Path) -> list[str]:
    names = []
    for i, text in enumerate(FORMULA_TEXTS):
        recs = good_records(skip=("x01-text",)) + [record(SET, "x01-text", "text", text)]
        name = f"formula{i}_{200 + i}_{300 + i}_01-soft-power.ipynb"
        write(folder, name, notebook(recs))
        names.append(name)
    return names


# --- 8. special files ---------------------------------------------------------------------------
def special_files(folder: Path) -> dict[str, str]:
    """A named pipe and a socket, with notebook names and with other names."""
    folder.mkdir(parents=True, exist_ok=True)
    os.mkfifo(folder / "pipe_108_14_01-soft-power.ipynb")
    os.mkfifo(folder / "pipe.txt")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.bind(str(folder / "sock.ipynb"))
    sock.close()  # the socket file stays
    return {"pipe_108_14_01-soft-power.ipynb": "named pipe", "pipe.txt": "named pipe", "sock.ipynb": "socket"}


def build(folder: Path | str, flood_size: int = 20_000) -> None:
    """Every hostile case in one folder (for a whole run through the real entry point)."""
    folder = Path(folder)
    not_utf8_name(folder)
    lone_surrogate(folder)
    flood(folder, flood_size)
    escapes(folder)
    huge_integer(folder)
    year_9999(folder)
    stray_outputs(folder)
    formula_texts(folder)
    special_files(folder)
    write(folder, "good_109_15_01-soft-power.ipynb", notebook(good_records()))
    write(folder, "other_course.ipynb", notebook([dict(r, course=f"course-\x1b{i}") for i, r in
                                                  enumerate(good_records())]))
    assert COURSE  # the course id the records carry


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "hostile-corpus")
    build(target)
    print(f"hostile cases written to {target}")
