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

    from helpers import ROOT

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

    from helpers import ROOT

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


def _rss_mb(pid: int) -> float:
    from helpers.hub.sim import rss_mb

    return rss_mb(pid)


def bare_kernel_rss() -> dict:
    """Memory of a fresh python3 kernel that has run nothing but `pass`."""
    from jupyter_client.manager import start_new_kernel

    km, kc = start_new_kernel(kernel_name="python3")
    try:
        _execute(kc, "pass")
        time.sleep(0.3)
        return {"bare_kernel_rss_mb": _rss_mb(km.provisioner.process.pid)}
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def notebook_run_times() -> dict:
    """Each course notebook top to bottom in a fresh kernel (nbclient): seconds, and the kernel's
    memory (resident set) once the last cell has run."""
    import nbformat
    from jupyter_client import KernelManager
    from nbclient import NotebookClient

    from helpers import ROOT

    out = {}
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        km = KernelManager(kernel_name="python3")
        start = time.perf_counter()
        try:
            NotebookClient(nb, km=km, timeout=300, resources={"metadata": {"path": str(path.parent)}}).execute()
            out[f"notebook_run_s[{path.stem}]"] = time.perf_counter() - start
            out[f"kernel_rss_mb[{path.stem}]"] = _rss_mb(km.provisioner.process.pid)
        finally:
            if km.has_kernel:
                km.shutdown_kernel(now=True)
    runs = [v for k, v in out.items() if k.startswith("notebook_run_s[")]
    rss = [v for k, v in out.items() if k.startswith("kernel_rss_mb[")]
    if runs:
        out["notebook_run_s_max"] = max(runs)
        out["kernel_rss_mb_max"] = max(rss)
    return out


def hub_figures(students: int = 20) -> dict:
    """A real hub on loopback with `students` simulated students (helpers.hub.sim): time until all
    their servers are ready, each one's memory after running notebook 00, and what that means
    for capacity. Needs root (it creates and removes users `vnfr-bench-NN`) and `make hub-env`."""
    import os
    import shutil
    import statistics
    from concurrent.futures import ThreadPoolExecutor

    from helpers.hub import admin as hubmod
    from helpers.hub import sim as hubsim

    if os.geteuid() != 0 or not hubsim.HUB_BIN.exists():
        raise RuntimeError("the hub figures need root and the hub's environment (make hub-env)")
    users = [f"vnfr-bench-{i:02d}" for i in range(1, students + 1)]
    nb_path = "course/notebooks/00-start-here.ipynb"
    hubmod.remove_users(users)
    data = hubsim.new_data_dir("vnfr-hub-bench-")
    h = hubsim.start_hub(data, users)
    try:
        passwords = h.passwords()

        def ready(u):
            s = hubsim.Student(h, u, passwords[u])
            s.login()
            s.start_server()
            return s

        t0 = time.perf_counter()
        with ThreadPoolExecutor(max_workers=students) as pool:
            logged = list(pool.map(ready, users))
        all_ready = time.perf_counter() - t0

        def work(s):
            s.pull()
            nb = s.get_notebook(nb_path)
            s.start_kernel(nb_path)
            s.run_all(nb)
            s.save_notebook(nb_path, nb)
            return s

        with ThreadPoolExecutor(max_workers=students) as pool:
            list(pool.map(work, logged))
        time.sleep(1)
        server_rss, server_pss, kernel_pss, total_pss = [], [], [], []
        for u in users:
            procs = hubsim.user_processes(u)
            servers = [p for p, cmd in procs if "jupyterhub-singleuser" in cmd]
            kernels = [p for p, cmd in procs if "ipykernel" in cmd]
            server_rss += [hubsim.rss_mb(p) for p in servers]
            server_pss += [hubsim.pss_mb(p) for p in servers]
            kernel_pss += [hubsim.pss_mb(p) for p in kernels]
            total_pss.append(sum(hubsim.pss_mb(p) for p, _ in procs))
        for s in logged:
            s.close()
    finally:
        h.stop()
        hubmod.remove_users(users)
        shutil.rmtree(data, ignore_errors=True)
    per_student = statistics.median(total_pss)
    return {
        f"hub_students_ready_s[{students}]": all_ready,
        "singleuser_server_rss_mb": statistics.median(server_rss),
        "singleuser_server_pss_mb": statistics.median(server_pss),
        "hub_kernel_pss_mb[00-start-here]": statistics.median(kernel_pss),
        "student_pss_mb": per_student,
        "students_per_gb": 1024 / per_student,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m helpers bench", description=__doc__)
    parser.add_argument("--trials", type=int, default=3, help="fresh kernels for the start-cost figure")
    parser.add_argument("--submissions", type=int, default=1000, help="handed-in notebooks to grade")
    parser.add_argument("--only", choices=["start", "notebooks", "grading", "hub"], help="run one part only")
    parser.add_argument("--students", type=int, default=20, help="simulated students for the hub figures")
    args = parser.parse_args(argv)

    figures: dict[str, float] = {}
    if args.only in (None, "start"):
        figures.update(kernel_start_and_setup(args.trials))
    if args.only in (None, "notebooks"):
        figures.update(bare_kernel_rss())
        figures.update(notebook_run_times())
    if args.only in (None, "grading"):
        try:
            from .grading import bench as grading_bench
        except ImportError as exc:  # grading not installed in this edition
            print(f"grading benchmark unavailable: {exc}", file=sys.stderr)
        else:
            figures.update(grading_bench(args.submissions))
    if args.only in (None, "hub"):
        try:
            figures.update(hub_figures(args.students))
        except RuntimeError as exc:
            print(f"hub figures unavailable: {exc}", file=sys.stderr)
    for name, value in figures.items():
        print(f"{name}: {value:.3f}" if isinstance(value, float) else f"{name}: {value}")
    return 0
