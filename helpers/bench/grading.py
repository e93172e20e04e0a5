"""Grading speed and memory: `bench(n=1000)` -> {"grade_per_s", "grade_real_per_s", "json_parse_per_s", ...}.

Two sets of ``n`` handed-in notebooks, each graded with the real command (``python -m helpers
grade``) in a fresh process, interpreter start and every output file included:

* **synthetic** (``grade_per_s``): a six-notebook course of one exercise per type (Canvas file
  names, one notebook per student per set, answers of mixed quality, a few chart outputs each);
* **real size** (``grade_real_per_s``): the course's own notebooks and banks, every code cell with
  the outputs it leaves after a run (charts as Vega-Lite spec plus SVG, tables as HTML, passages,
  widget views, one answer record per exercise), written as JupyterLab saves a notebook
  (``indent=1``, sorted keys), each 0.1–1 MB (``grade_real_mean_mb`` is their mean size).

Each reports submissions per second of wall clock and, steadier on a busy machine, per CPU second
(``*_cpu_per_s``), with the peak resident memory (``grade_peak_mb``, the larger of the two runs).
``json_parse_per_s`` is the rate at which the same real-size files are merely read and parsed
with ``json.loads``: the limit no grader that reads JSON can pass. The chart pages' script bundle
is built (or found in its cache) before the timed runs; ``chart_bundle_s`` is that cost, paid once
per machine. Beside them, ``execute_one_notebook_s``: executing one course notebook in a fresh
kernel with nbclient, the price per submission of graders that run notebooks.
"""
from __future__ import annotations

import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from helpers import ROOT

_PEAK = (
    "import json, resource, sys\n"
    "from helpers.grading.cli import main\n"
    "code = main(sys.argv[1:])\n"
    "u = resource.getrusage(resource.RUSAGE_SELF)\n"
    "print(json.dumps({'code': code, 'maxrss_kb': u.ru_maxrss, 'cpu_s': u.ru_utime + u.ru_stime}))\n"
)


def build_submissions(folder: Path, n: int = 1000, seed: int = 7, filler: int = 4) -> tuple[Path, Path]:
    """A bank folder with six sets and ``n`` handed-in notebooks; returns (bank_dir, submissions_dir)."""
    from helpers.grading.synthetic import SIX_SETS, answer_notebook, answers_for, write_bank

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


def _wrong(ex, rng: random.Random):
    """A wrong answer of the right shape for one exercise of a real bank."""
    t, key = ex.type, ex.answer
    if t == "single":
        return next(i for i, _ in ex.options if i != key)
    if t == "multiple":
        others = [i for i, _ in ex.options if i not in key]
        return [key[0]] + others[:1] if others else key[:1]
    if t == "classify":
        return {i: ex.categories[0] for i, _ in ex.items}
    if t == "order":
        return list(reversed(key))
    if t == "grid":
        return {i: list(ex.quadrants[0]) for i, _ in ex.items}
    if t == "numeric":
        return float(key) + 1000
    if t == "evidence":
        keys = key if isinstance(key, list) else [key]
        return next(c for c in (ex.choices or [keys[0] + 1, keys[0] - 1, keys[0] + 2]) if c not in keys)
    return "A short answer that names the reading [quy2024 ¶3] and argues one point."


def _answer(ex, right: bool, rng: random.Random):
    if ex.type == "text":
        return "Soft power is attraction rather than coercion; Quy reads it through Nye [quy2024 ¶3]. " * rng.randint(1, 4)
    if right and ex.type == "evidence":
        return ex.answer[0] if isinstance(ex.answer, list) else ex.answer
    if right:
        return list(ex.answer) if isinstance(ex.answer, list) else dict(ex.answer) if isinstance(ex.answer, dict) else ex.answer
    return _wrong(ex, rng)


def _chart_output(rows: int, rng: random.Random, n: int) -> dict:
    values = [{"year": 1990 + (i % 35), "partner": f"Partner {i % 40}", "level": rng.choice(
        ["comprehensive", "strategic", "comprehensive strategic"]), "count": rng.randint(0, 30)} for i in range(rows)]
    spec = {"$schema": "https://vega.github.io/schema/vega-lite/v5.20.1.json", "config": {"view": {"stroke": None}},
            "data": {"values": values}, "mark": {"type": "circle"}, "title": f"Chart {n}",
            "encoding": {"x": {"field": "year", "type": "temporal"}, "y": {"field": "partner", "type": "nominal"},
                         "color": {"field": "level", "type": "nominal"}}}
    marks = "".join(f'<path aria-label="year: {v["year"]}; partner: {v["partner"]}; level: {v["level"]}" '
                    f'role="graphics-symbol" transform="translate({i % 500},{i % 300})" d="M2.7,0A2.7,2.7,0,1,1,-2.7,0A2.7,2.7,0,1,1,2.7,0" '
                    'fill="#1b6ca8" stroke-width="2" opacity="0.7"></path>' for i, v in enumerate(values))
    svg = f'<svg xmlns="http://www.w3.org/2000/svg" width="600" height="400" class="marks">{marks}</svg>'
    return {"output_type": "display_data", "metadata": {},
            "data": {"application/vnd.vegalite.v5+json": spec, "image/svg+xml": svg,
                     "text/plain": f"Chart {n}: dots by year and partner, coloured by level. Source: course data."}}


def _table_output(rows: int, n: int) -> dict:
    body = "".join(f"<tr><th>{i}</th><td>Partner {i}</td><td>comprehensive strategic partnership</td><td>20{i % 25:02d}-0{1 + i % 9}-15</td></tr>" for i in range(rows))
    html = f'<div><table border="1" class="dataframe"><thead><tr><th></th><th>partner</th><th>level</th><th>date</th></tr></thead><tbody>{body}</tbody></table></div>'
    text = "\n".join(f"{i}  Partner {i}  comprehensive strategic partnership" for i in range(min(rows, 60)))
    return {"output_type": "execute_result", "execution_count": n, "metadata": {},
            "data": {"text/html": html, "text/plain": text}}


def _widget_output(rng: random.Random) -> dict:
    return {"output_type": "display_data", "metadata": {},
            "data": {"application/vnd.jupyter.widget-view+json": {"model_id": f"{rng.getrandbits(128):032x}",
                                                                  "version_major": 2, "version_minor": 0},
                     "text/plain": "VBox(children=(HTML(value='<h4>Exercise</h4>'), RadioButtons(options=...)))"}}


def build_real_submissions(folder: Path, n: int = 1000, seed: int = 11) -> tuple[Path, Path, float]:
    """``n`` real-size handed-in notebooks of the course's own notebooks and banks (see the module
    docstring); returns (bank_dir, submissions_dir, mean size in MB)."""
    import re

    from helpers.exercises.bank import load_bank
    from helpers.grading import MIME
    from helpers.grading.synthetic import record

    bank_dir = ROOT / "course" / "exercises"
    notebooks = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted((ROOT / "notebooks").glob("[0-9]*.ipynb"))
                 if (bank_dir / f"{p.stem}.yml").exists()}
    banks = {s: load_bank(bank_dir / f"{s}.yml", check_citations=False) for s in notebooks}
    subs = folder / "real"
    subs.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    sizes = []
    shown = re.compile(r"""\.show\(\s*["']([^"']+)["']""")
    for made in range(n):
        set_id = list(notebooks)[made % len(notebooks)]
        student = made // len(notebooks) + 1
        ability = rng.betavariate(4, 2)
        bank = banks[set_id]
        target = rng.uniform(0.12, 0.95) * 1_000_000
        nb = json.loads(json.dumps(notebooks[set_id]))
        code = [c for c in nb["cells"] if c.get("cell_type") == "code"]
        chart_cells, count = [], 0
        placed: set[str] = set()
        for cell in code:
            count += 1
            cell["execution_count"] = count
            src = "".join(cell.get("source", ""))
            outs = []
            ids = [i for i in shown.findall(src) if i in bank.exercises]
            for ex_id in ids:
                ex = bank.exercises[ex_id]
                outs.append(_widget_output(rng))
                rec = record(set_id, ex_id, ex.type, _answer(ex, rng.random() < ability, rng),
                             saved=f"2025-03-0{1 + made % 7}T10:{made % 60:02d}:00Z")
                outs.append({"output_type": "display_data", "metadata": {},
                             "data": {MIME: rec, "text/plain": f"Answer recorded: {ex_id}"}})
                placed.add(ex_id)
            if not ids:
                if "explorer" in src or "widget" in src:
                    outs.append(_widget_output(rng))
                elif re.search(r"show_passage|show_outcomes|show_key_terms|progress", src):
                    outs.append({"output_type": "display_data", "metadata": {},
                                 "data": {"text/markdown": "> " + "A passage of the reading, quoted with its paragraph number. " * 30,
                                          "text/plain": "<IPython.core.display.Markdown object>"}})
                elif re.search(r"catalogue|table|term_counts|data_sources|query|len\(", src):
                    outs.append(_table_output(rng.randint(5, 40), count))
                elif count > 1:
                    chart_cells.append(cell)
            cell["outputs"] = outs
        rest = [ex_id for ex_id in bank.exercises if ex_id not in placed]
        if rest and code:  # exercises the notebook shows in another way: recorded in the last code cell
            for ex_id in rest:
                ex = bank.exercises[ex_id]
                code[-1]["outputs"].append({"output_type": "display_data", "metadata": {}, "data": {
                    MIME: record(set_id, ex_id, ex.type, _answer(ex, rng.random() < ability, rng)),
                    "text/plain": f"Answer recorded: {ex_id}"}})
        base = len(json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False).encode())
        per_chart = max(0.0, target - base) / max(1, len(chart_cells))
        for k, cell in enumerate(chart_cells):
            cell["outputs"] = [_chart_output(max(5, int(per_chart / 520)), rng, k + 1)]
        nb.setdefault("metadata", {})["language_info"] = {"name": "python", "version": "3.11.2",
                                                           "mimetype": "text/x-python", "file_extension": ".py"}
        name = f"student{student:04d}_{20000 + student}_{700000 + made}_{set_id}.ipynb"
        text = json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
        (subs / name).write_text(text, encoding="utf-8")
        sizes.append(len(text.encode()))
    return bank_dir, subs, sum(sizes) / len(sizes) / 1_000_000


def json_parse_per_s(folder: Path) -> float:
    """Files per second merely read and parsed with json.loads (the same files the grader reads)."""
    paths = sorted(folder.glob("*.ipynb"))
    start = time.perf_counter()
    for path in paths:
        with open(path, "rb") as fh:
            json.loads(fh.read())
    return round(len(paths) / (time.perf_counter() - start), 1)


def grade_figures(bank: Path, subs: Path, out: Path, n: int) -> dict:
    cmd = [sys.executable, "-c", _PEAK, str(subs), "--out", str(out), "--bank", str(bank), "--quiet"]
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"grading failed:\n{proc.stdout}\n{proc.stderr}")
    stats = json.loads(proc.stdout.strip().splitlines()[-1])
    return {"grade_per_s": round(n / wall, 1), "grade_seconds": round(wall, 2),
            "grade_cpu_s": round(stats["cpu_s"], 2), "grade_cpu_per_s": round(n / max(stats["cpu_s"], 1e-6), 1),
            "grade_peak_mb": round(stats["maxrss_kb"] / 1024, 1)}


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


def bench(n: int = 1000, execute: bool = True, real: bool = True) -> dict:
    from helpers.grading.pages import vega_bundle

    start = time.perf_counter()
    vega_bundle()  # built once per machine, then cached; the timed runs find it
    figures = {"chart_bundle_s": round(time.perf_counter() - start, 2)}
    with tempfile.TemporaryDirectory(prefix="vnfr-grade-bench-") as tmp:
        tmp = Path(tmp)
        bank, subs = build_submissions(tmp, n)
        figures.update(grade_figures(bank, subs, tmp / "out", n))
        if real:
            real_bank, real_subs, mean_mb = build_real_submissions(tmp, n)
            figures["grade_real_mean_mb"] = round(mean_mb, 3)
            figures["json_parse_per_s"] = json_parse_per_s(real_subs)
            got = grade_figures(real_bank, real_subs, tmp / "out-real", n)
            figures.update({"grade_real_per_s": got["grade_per_s"], "grade_real_seconds": got["grade_seconds"],
                            "grade_real_cpu_per_s": got["grade_cpu_per_s"],
                            "grade_peak_mb": max(figures["grade_peak_mb"], got["grade_peak_mb"])})
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
