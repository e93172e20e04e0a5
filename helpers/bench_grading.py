"""Grading speed and memory: `bench(n=1000)` -> {"grade_per_s", "grade_peak_mb", "execute_one_notebook_s"}.

Builds ``n`` synthetic handed-in notebooks of a six-notebook course (Canvas file names, one
notebook per student per set, answers of mixed quality, a few chart outputs each) in a temporary
folder, grades them with the real command (``python -m helpers grade``) in a fresh process, and
reports submissions graded per second (wall clock, interpreter start and all outputs included),
the CPU seconds it used (steadier than wall time on a busy machine) and its peak resident memory. Beside them, ``execute_one_notebook_s``: executing one course
notebook in a fresh kernel with nbclient, the price per submission of graders that run notebooks.
"""
from __future__ import annotations

import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from . import ROOT

_PEAK = (
    "import json, resource, sys\n"
    "from helpers.grading.cli import main\n"
    "code = main(sys.argv[1:])\n"
    "u = resource.getrusage(resource.RUSAGE_SELF)\n"
    "print(json.dumps({'code': code, 'maxrss_kb': u.ru_maxrss, 'cpu_s': u.ru_utime + u.ru_stime}))\n"
)


def build_submissions(folder: Path, n: int = 1000, seed: int = 7, filler: int = 4) -> tuple[Path, Path]:
    """A bank folder with six sets and ``n`` handed-in notebooks; returns (bank_dir, submissions_dir)."""
    from .grading.synthetic import SIX_SETS, answer_notebook, answers_for, write_bank

    bank = folder / "bank"
    subs = folder / "submissions"
    for set_id in SIX_SETS:
        write_bank(bank, set_id, mode="practice" if set_id < "04" else "assessment")
    rng = random.Random(seed)
    made, student = 0, 0
    while made < n:
        student += 1
        ability = rng.betavariate(4, 2)
        for set_id in SIX_SETS:
            if made >= n:
                break
            name = f"student{student:04d}_{10000 + student}_{500000 + made}_{set_id}.ipynb"
            saved = f"2025-03-0{1 + made % 7}T{8 + made % 12:02d}:{made % 60:02d}:00Z"
            answer_notebook(subs / name, set_id, answers_for(set_id, ability, rng), saved=saved, filler=filler)
            made += 1
    return bank, subs


def grade_figures(bank: Path, subs: Path, out: Path, n: int) -> dict:
    cmd = [sys.executable, "-c", _PEAK, str(subs), "--out", str(out), "--bank", str(bank), "--quiet"]
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"grading failed:\n{proc.stdout}\n{proc.stderr}")
    stats = json.loads(proc.stdout.strip().splitlines()[-1])
    return {"grade_per_s": round(n / wall, 1), "grade_seconds": round(wall, 2),
            "grade_cpu_s": round(stats["cpu_s"], 2), "grade_peak_mb": round(stats["maxrss_kb"] / 1024, 1)}


def execute_one_notebook_s(timeout: int = 600) -> float | None:
    """Wall seconds to execute one course notebook (or, if none exists yet, a small one) in a fresh kernel."""
    import nbformat
    from nbclient import NotebookClient

    notebooks = sorted((ROOT / "notebooks").glob("[0-9]*.ipynb"))
    if notebooks:
        nb = nbformat.read(str(notebooks[min(1, len(notebooks) - 1)]), as_version=4)
        cwd = ROOT / "notebooks"
    else:
        from nbformat.v4 import new_code_cell, new_notebook

        nb = new_notebook(cells=[new_code_cell("import helpers"),
                                 new_code_cell("import pandas as pd\npd.DataFrame({'a': [1, 2, 3]}).sum()")])
        cwd = ROOT
    client = NotebookClient(nb, kernel_name="python3", timeout=timeout, allow_errors=True,
                            resources={"metadata": {"path": str(cwd)}})
    start = time.perf_counter()
    client.execute()
    return round(time.perf_counter() - start, 2)


def bench(n: int = 1000, execute: bool = True) -> dict:
    with tempfile.TemporaryDirectory(prefix="vnfr-grade-bench-") as tmp:
        tmp = Path(tmp)
        bank, subs = build_submissions(tmp, n)
        figures = grade_figures(bank, subs, tmp / "out", n)
    if execute:
        try:
            figures["execute_one_notebook_s"] = execute_one_notebook_s()
        except Exception as err:  # a figure, not a test: report and carry on
            figures["execute_one_notebook_s"] = None
            figures["execute_error"] = f"{type(err).__name__}: {err}"[:200]
    return figures


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    for key, value in bench(n).items():
        print(f"{key}: {value}")
