"""`make bench`: the course's speed and memory figures, printed as `name: value` lines.

Figures, not pass/fail tests: machines are noisy, so compare ratios (setup cost over a bare
kernel start) rather than absolute seconds.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time

FALLBACK_SETUP_CELL = "import helpers\nhelpers.setup()\nimport pandas, ipywidgets\n"


def setup_cells() -> dict[str, str]:
    """Each notebook's setup cell (its first code cell), as the students run it."""
    import json

    from . import ROOT

    cells = {}
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        try:
            nb = json.loads(path.read_text(encoding="utf-8"))
            cell = next(c for c in nb["cells"] if c["cell_type"] == "code")
        except (OSError, StopIteration, ValueError):
            continue
        cells[path.stem] = "".join(cell["source"])
    return cells or {"fallback": FALLBACK_SETUP_CELL}


def _execute(client, code: str, timeout: float = 120) -> float:
    """Run `code` in the kernel; return wall seconds until the kernel is idle again."""
    start = time.perf_counter()
    msg_id = client.execute(code)
    while True:
        msg = client.get_iopub_msg(timeout=timeout)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "error":
            raise RuntimeError("\n".join(msg["content"]["traceback"]))
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            return time.perf_counter() - start


def kernel_start_and_setup(trials: int = 5) -> dict:
    """Median time to start a fresh python3 kernel, and what each notebook's setup cell adds.

    `setup_overhead_s` is the worst notebook's median: the figure the course promises to keep
    under 1 s.
    """
    from jupyter_client.manager import start_new_kernel

    from . import ROOT

    cells = setup_cells()
    starts: list[float] = []
    setups: dict[str, list[float]] = {name: [] for name in cells}
    for _ in range(trials):
        for name, code in cells.items():
            t0 = time.perf_counter()
            km, kc = start_new_kernel(kernel_name="python3", cwd=str(ROOT / "notebooks"))
            try:
                _execute(kc, "pass")
                starts.append(time.perf_counter() - t0)
                setups[name].append(_execute(kc, code))
            finally:
                kc.stop_channels()
                km.shutdown_kernel(now=True)
    medians = {name: statistics.median(v) for name, v in setups.items()}
    worst = max(medians.values())
    out = {
        "bare_kernel_start_s": statistics.median(starts),
        "setup_overhead_s": worst,
        "setup_overhead_ratio": worst / statistics.median(starts),
        "kernel_trials": trials,
    }
    out.update({f"setup_overhead_s[{name}]": value for name, value in medians.items()})
    return out


def notebook_run_times() -> dict:
    """Seconds to run each course notebook top to bottom in a fresh kernel (nbclient)."""
    import nbformat
    from nbclient import NotebookClient

    from . import ROOT

    out = {}
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        start = time.perf_counter()
        NotebookClient(nb, kernel_name="python3", timeout=300,
                       resources={"metadata": {"path": str(path.parent)}}).execute()
        out[f"notebook_run_s[{path.stem}]"] = time.perf_counter() - start
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m helpers bench", description=__doc__)
    parser.add_argument("--trials", type=int, default=3, help="fresh kernels for the start-cost figure")
    parser.add_argument("--submissions", type=int, default=1000, help="handed-in notebooks to grade")
    parser.add_argument("--only", choices=["start", "notebooks", "grading"], help="run one part only")
    args = parser.parse_args(argv)

    figures: dict[str, float] = {}
    if args.only in (None, "start"):
        figures.update(kernel_start_and_setup(args.trials))
    if args.only in (None, "notebooks"):
        figures.update(notebook_run_times())
    if args.only in (None, "grading"):
        try:
            from .bench_grading import bench as grading_bench
        except ImportError as exc:  # grading not installed in this edition
            print(f"grading benchmark unavailable: {exc}", file=sys.stderr)
        else:
            figures.update(grading_bench(args.submissions))
    for name, value in figures.items():
        print(f"{name}: {value:.3f}" if isinstance(value, float) else f"{name}: {value}")
    return 0
