"""Drive JupyterLab in headless Chromium: start a server on a copy of the course, open, run and
check notebooks, take screenshots.

Used by the fixtures in `conftest.py`; the functions here take plain objects (a Playwright `Page`,
a `LabServer`) so other test modules can reuse them.
"""
from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit

REPO = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_MISSING = "Chromium is missing: run `apt-get install chromium` (or `make test`, which installs it)"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic",
]
COURSE_DIRS = ("notebooks", "seeds", "course")
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "[::1]"}

# Generous limits: a cold kernel imports pandas and altair; a slow CI machine runs two workers.
SERVER_START_TIMEOUT = 90
KERNEL_IDLE_TIMEOUT_MS = 90_000
RUN_ALL_TIMEOUT_MS = 180_000
RENDER_TIMEOUT_MS = 30_000

# The course's own JupyterLab settings overrides: what `make lab`, the hub and Binder give every
# student (windowing off, so every cell is in the page and in the accessibility tree; no news, no
# update checks). The test server uses exactly this file as its overrides.
OVERRIDES = REPO / "helpers" / "core" / "jupyterlab" / "overrides.json"
# The one user setting of the tests' own: saving is explicit in the tests.
LAB_SETTINGS = {
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
}


def app_settings_dir(state: Path) -> Path:
    """A copy of this environment's JupyterLab application settings with the course's overrides."""
    dest = state / "app-settings"
    src = Path(sys.prefix) / "share" / "jupyter" / "lab" / "settings"
    if src.is_dir():
        shutil.copytree(src, dest, dirs_exist_ok=True)
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(OVERRIDES, dest / "overrides.json")
    return dest


# --------------------------------------------------------------------------------------- server

def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def copy_course(dest: Path, src: Path = REPO) -> Path:
    """Copy the course folders (notebooks/, seeds/, course/) into `dest`; return `dest`."""
    dest.mkdir(parents=True, exist_ok=True)
    ignore = shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__", ".answers")
    for name in COURSE_DIRS:
        if (src / name).is_dir():
            shutil.copytree(src / name, dest / name, ignore=ignore, dirs_exist_ok=True)
    return dest


@dataclass
class LabServer:
    """A running `jupyter lab` serving `root` (a temporary copy of the course)."""
    root: Path
    port: int
    token: str
    proc: subprocess.Popen
    log: Path

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        sep = "&" if "?" in path else "?"
        return f"{self.base_url}{path}{sep}token={self.token}"

    def notebook_url(self, nb: str) -> str:
        """The URL that opens `nb` (a path relative to the root) alone in a fresh workspace."""
        return self.url(f"/lab/tree/{quote(nb)}?reset")

    def api(self, path: str, method: str = "GET", body: dict | None = None):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.url(path), data=data, method=method,
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=10) as resp:
            raw = resp.read()
        return json.loads(raw) if raw else None

    def log_tail(self, n: int = 40) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return ""

    def stop(self) -> None:
        """Stop the server and its kernels (the whole process group)."""
        if self.proc.poll() is not None:
            return
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=10)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.proc.wait(timeout=10)


def start_lab(root: Path, state: Path, attempts: int = 3) -> LabServer:
    """Start `jupyter lab` from this virtualenv on a free localhost port, serving `root`.

    Settings, workspaces, runtime files and IPython's profile live under `state`, so nothing
    persists between runs. VNFR_ROOT points the course helpers (in the kernels) at `root`.
    """
    settings = state / "lab-settings"
    for rel, value in LAB_SETTINGS.items():
        f = settings / rel
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_text(json.dumps(value))
    app_settings = app_settings_dir(state)
    for d in ("workspaces", "runtime", "ipython", "config"):
        (state / d).mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    env.update(
        VNFR_ROOT=str(root),
        JUPYTERLAB_SETTINGS_DIR=str(settings),
        JUPYTERLAB_WORKSPACES_DIR=str(state / "workspaces"),
        JUPYTER_RUNTIME_DIR=str(state / "runtime"),
        JUPYTER_CONFIG_DIR=str(state / "config"),
        IPYTHONDIR=str(state / "ipython"),
        PYTHONUNBUFFERED="1",
    )
    env.pop("JUPYTER_TOKEN", None)
    # The kernel must be this virtualenv's Python, with the course package installed.
    env["PATH"] = f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}"
    last_error = ""
    for attempt in range(attempts):
        port, token = free_port(), secrets.token_hex(16)
        log = state / f"jupyter-lab-{attempt}.log"
        cmd = [
            str(VENV_BIN / "jupyter"), "lab", "--no-browser", "--allow-root",
            "--ip=127.0.0.1", f"--port={port}", "--ServerApp.port_retries=0",
            f"--ServerApp.token={token}", "--LabApp.expose_app_in_browser=True",
            f"--ServerApp.root_dir={root}",
            f"--LabApp.user_settings_dir={settings}", f"--LabApp.workspaces_dir={state / 'workspaces'}",
            f"--LabApp.app_settings_dir={app_settings}",
            "--LabApp.news_url=None",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            "--ServerApp.terminals_enabled=False",
        ]
        with open(log, "wb") as out:
            proc = subprocess.Popen(cmd, cwd=root, env=env, stdout=out, stderr=subprocess.STDOUT,
                                    stdin=subprocess.DEVNULL, start_new_session=True)
        server = LabServer(root=root, port=port, token=token, proc=proc, log=log)
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                last_error = f"jupyter lab exited with code {proc.returncode}:\n{server.log_tail()}"
                break
            try:
                server.api("/api/status")
                return server
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.3)
        else:
            last_error = f"jupyter lab did not answer within {SERVER_START_TIMEOUT} s:\n{server.log_tail()}"
            server.stop()
    raise RuntimeError(last_error)


# -------------------------------------------------------------------------------------- browser

def launch_chromium(playwright):
    if not CHROMIUM.exists():
        raise RuntimeError(CHROMIUM_MISSING)
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about", "chrome", "chrome-extension"):
        return True
    return (parts.hostname or "") in LOCAL_HOSTS


@dataclass
class OffsiteLog:
    """Requests to anywhere but this machine, aborted and recorded."""
    urls: list[str] = field(default_factory=list)

    def check(self, where: str) -> None:
        if self.urls:
            listed = "\n  ".join(dict.fromkeys(self.urls))
            raise AssertionError(f"{where}: the page tried to fetch from outside the machine:\n  {listed}")


def new_offline_context(browser, viewport=(1280, 900)):
    """A browser context in which every non-local request is aborted and recorded.

    Returns (context, OffsiteLog).
    """
    offsite = OffsiteLog()
    context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]},
                                  service_workers="block")

    def guard(route):
        url = route.request.url
        if is_local(url):
            route.continue_()
        else:
            offsite.urls.append(url)
            route.abort("blockedbyclient")

    context.route("**/*", guard)
    # A websocket to anywhere else would not pass through route(); record those too.
    context.on("page", lambda p: p.on(
        "websocket", lambda ws: None if is_local(ws.url) else offsite.urls.append(ws.url)))
    return context, offsite


# ------------------------------------------------------------------------------------ notebooks

# JavaScript: find the notebook panel for a path (relative to the server root).
_PANEL_JS = """
window.__vnfrPanel = (path) => {
  const app = window.jupyterapp;
  if (!app || !app.shell) return null;
  for (const w of app.shell.widgets('main')) {
    if (w.context && w.context.path === path && w.content && w.sessionContext) return w;
  }
  return null;
};
// Chart hosts inside an output: JupyterLab's Vega renderers, and any vega-embed element
// (including altair's HTML output, which loads Vega from a CDN and so never draws offline).
window.__vnfrCharts = (out) => {
  const mime = out.getAttribute('data-mime-type') || '';
  const hosts = new Set();
  if (mime.startsWith('application/vnd.vegalite') || mime.startsWith('application/vnd.vega.')) hosts.add(out);
  for (const el of out.querySelectorAll('[class*="jp-RenderedVega"]')) hosts.add(el);
  for (const el of out.querySelectorAll('.vega-embed, [id^="altair-viz"]')) {
    if (![...hosts].some(h => h.contains(el))) hosts.add(el);
  }
  return [...hosts];
};
"""


def _install_js(page) -> None:
    page.evaluate(f"() => {{ {_PANEL_JS} }}")


def wait_for_app(page, timeout_ms: int = 60_000) -> None:
    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell && "
                           "document.querySelector('#jp-main-dock-panel')", timeout=timeout_ms)
    page.wait_for_function("() => window.jupyterapp.started !== undefined", timeout=timeout_ms)
    page.evaluate("() => window.jupyterapp.restored")
    _install_js(page)


def wait_for_idle(page, nb: str, timeout_ms: int = KERNEL_IDLE_TIMEOUT_MS) -> None:
    """Wait until `nb` is open with its kernel connected and "idle".

    Accepts the kernel-choice dialog (with its default) if a notebook has no kernelspec.
    """
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        state = page.evaluate("""(path) => {
          const w = window.__vnfrPanel && window.__vnfrPanel(path);
          const dlg = document.querySelector('.jp-Dialog');
          if (!w) return {dialog: !!dlg, status: 'no panel'};
          const k = w.sessionContext.session && w.sessionContext.session.kernel;
          return {dialog: !!dlg, ready: w.context.isReady && w.sessionContext.isReady,
                  status: k ? k.status : 'no kernel', conn: k ? k.connectionStatus : ''};
        }""", nb)
        if state.get("ready") and state["status"] == "idle" and state["conn"] == "connected":
            return
        if state["dialog"] and page.locator(".jp-Dialog:has-text('Select Kernel')").count():
            page.locator(".jp-Dialog .jp-mod-accept").first.click()
        if time.monotonic() > deadline:
            raise AssertionError(f"{nb}: kernel not idle after {timeout_ms / 1000:.0f} s ({state})")
        page.wait_for_timeout(200)


def open_notebook(page, server: LabServer, nb: str) -> None:
    """Open `nb` (relative to the server root) in a fresh workspace and wait for an idle kernel."""
    page.goto(server.notebook_url(nb), wait_until="domcontentloaded")
    wait_for_app(page)
    page.wait_for_function("(p) => !!window.__vnfrPanel(p)", arg=nb, timeout=60_000)
    page.evaluate("""(p) => { const app = window.jupyterapp;
      app.shell.activateById(window.__vnfrPanel(p).id);
      if (app.shell.collapseLeft) app.shell.collapseLeft(); }""", nb)
    wait_for_idle(page, nb)


def execute_command(page, command: str, args: dict | None = None, timeout_ms: int = 60_000):
    """Run a JupyterLab command and wait for its promise; return its (JSON-able) result."""
    page.evaluate("""([cmd, args]) => {
      window.__vnfrCmd = {done: false};
      window.jupyterapp.commands.execute(cmd, args || {}).then(
        r => { window.__vnfrCmd = {done: true, ok: (r === undefined ? null : (typeof r === 'object' ? true : r))}; },
        e => { window.__vnfrCmd = {done: true, error: String(e && e.message || e)}; });
    }""", [command, args])
    page.wait_for_function("() => window.__vnfrCmd && window.__vnfrCmd.done", timeout=timeout_ms)
    result = page.evaluate("() => window.__vnfrCmd")
    if "error" in result:
        raise AssertionError(f"command {command} failed: {result['error']}")
    return result.get("ok")


def wait_until_executed(page, nb: str, timeout_ms: int = RUN_ALL_TIMEOUT_MS) -> None:
    """Wait until no cell is queued or running ("[*]") and the kernel is idle."""
    page.wait_for_function("""(path) => {
      const w = window.__vnfrPanel(path);
      if (!w) return false;
      const k = w.sessionContext.session && w.sessionContext.session.kernel;
      if (!k || k.status !== 'idle') return false;
      for (const c of w.content.widgets) {
        if (c.model.type !== 'code') continue;
        if (c.model.executionState === 'running') return false;
        const p = c.node.querySelector('.jp-InputPrompt');
        if (p && p.textContent.includes('[*]')) return false;
      }
      return true;
    }""", arg=nb, timeout=timeout_ms, polling=250)


def run_all(page, nb: str, timeout_ms: int = RUN_ALL_TIMEOUT_MS) -> None:
    """Run all cells of the open notebook `nb` and wait until every cell has finished."""
    page.evaluate("(p) => window.jupyterapp.shell.activateById(window.__vnfrPanel(p).id)", nb)
    execute_command(page, "notebook:run-all-cells", timeout_ms=timeout_ms)
    wait_until_executed(page, nb, timeout_ms)
    wait_for_renders(page, nb)


def restart_and_run_all(page, nb: str, timeout_ms: int = RUN_ALL_TIMEOUT_MS) -> None:
    """"Restart kernel and run all", accepting the confirmation dialog; wait until done."""
    page.evaluate("(p) => window.jupyterapp.shell.activateById(window.__vnfrPanel(p).id)", nb)
    page.evaluate("""() => {
      window.__vnfrCmd = {done: false};
      window.jupyterapp.commands.execute('notebook:restart-run-all').then(
        r => { window.__vnfrCmd = {done: true}; },
        e => { window.__vnfrCmd = {done: true, error: String(e && e.message || e)}; });
    }""")
    accept = page.locator(".jp-Dialog .jp-mod-accept")
    deadline = time.monotonic() + 30
    while not page.evaluate("() => window.__vnfrCmd.done"):
        if accept.count():
            accept.first.click()
        if time.monotonic() > deadline:
            break
        page.wait_for_timeout(100)
    page.wait_for_function("() => window.__vnfrCmd.done", timeout=timeout_ms)
    err = page.evaluate("() => window.__vnfrCmd.error")
    if err:
        raise AssertionError(f"{nb}: restart and run all failed: {err}")
    wait_until_executed(page, nb, timeout_ms)
    wait_for_renders(page, nb)


# Outputs that draw asynchronously: widgets and Vega charts. "Done" means a drawn element is
# present (or an error is shown, which check_notebook then reports).
_PENDING_JS = """(path) => {
  const w = window.__vnfrPanel(path);
  if (!w) return -1;
  let pending = 0;
  for (const cell of w.content.widgets) {
    if (cell.model.type !== 'code') continue;
    for (const out of cell.node.querySelectorAll('.jp-OutputArea-output')) {
      for (const chart of (window.__vnfrCharts ? window.__vnfrCharts(out) : [])) {
        if (!chart.querySelector('svg.marks, canvas') && !/error/i.test(chart.textContent || '')) pending++;
      }
    }
    const widgets = cell.model.outputs.toJSON().filter(
      o => o.data && o.data['application/vnd.jupyter.widget-view+json']).length;
    const shown = cell.node.querySelectorAll('.jp-OutputArea-output .jupyter-widgets').length
      + (/Error displaying widget|model not found/.test(cell.node.textContent) ? widgets : 0);
    if (shown < widgets) pending++;
  }
  return pending;
}"""


def wait_for_renders(page, nb: str, timeout_ms: int = RENDER_TIMEOUT_MS) -> None:
    """Wait until charts and widgets have drawn (or failed visibly); never raises on timeout."""
    try:
        page.wait_for_function(f"(p) => ({_PENDING_JS})(p) === 0", arg=nb, timeout=timeout_ms, polling=200)
    except Exception:  # reported by check_notebook, with the cell
        pass
    page.wait_for_timeout(300)  # let Vega finish its last paint


_CHECK_JS = r"""(path) => {
  const w = window.__vnfrPanel(path);
  if (!w) return {error: 'notebook panel not found'};
  const cells = [];
  const MARKS = 'svg .mark-line path, svg .mark-area path, svg .mark-rect path, svg .mark-symbol path, '
    + 'svg .mark-point path, svg .mark-arc path, svg .mark-rule line, svg .mark-text text, '
    + 'svg .mark-trail path, svg .mark-shape path, svg .mark-image image';
  const canvasDrawn = (cv) => {
    if (!cv.width || !cv.height) return false;
    let ctx; try { ctx = cv.getContext('2d'); } catch (e) { return true; }
    if (!ctx) return true;  // a WebGL canvas: trust its size
    const data = ctx.getImageData(0, 0, cv.width, cv.height).data;
    const colours = new Set();
    for (let i = 0; i < data.length; i += 4 * 7) {
      if (data[i + 3] === 0) continue;
      colours.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
      if (colours.size > 3) return true;
    }
    return false;
  };
  w.content.widgets.forEach((cell, index) => {
    const source = cell.model.sharedModel.getSource();
    const firstLine = (source.split('\n').find(l => l.trim()) || '').slice(0, 100);
    const tags = cell.model.getMetadata ? (cell.model.getMetadata('tags') || []) : [];
    const problems = [];
    const info = {index, type: cell.model.type, firstLine, problems, charts: 0, widgets: 0};
    cells.push(info);
    if (cell.model.type !== 'code') return;
    const expectError = tags.includes('raises-exception');
    const outputs = cell.model.outputs.toJSON();
    info.widgets = outputs.filter(o => o.data && o.data['application/vnd.jupyter.widget-view+json']).length;
    // A chart output JupyterLab could not draw falls back to another MIME type (or to the
    // "No renderer" placeholder): name what was shown instead.
    const views = cell.outputArea ? cell.outputArea.widgets : [];
    outputs.forEach((o, i) => {
      const chartMime = Object.keys(o.data || {}).find(
        m => m.startsWith('application/vnd.vegalite') || m.startsWith('application/vnd.vega.'));
      if (!chartMime || !views[i]) return;
      if (views[i].node.querySelector('[class*="jp-RenderedVega"], .vega-embed')) return;  // checked below
      const shown = views[i].node.querySelector('[data-mime-type]');
      const used = shown ? shown.getAttribute('data-mime-type') : '';
      if (used && (used.startsWith('application/vnd.vegalite') || used.startsWith('application/vnd.vega.'))) return;
      if (used.startsWith('image/')) return;  // a static picture of the chart: checked below
      problems.push(`chart output (${chartMime}) not drawn: JupyterLab showed ${used || 'nothing'} instead: `
        + `"${(views[i].node.textContent || '').trim().slice(0, 120)}"`);
    });
    for (const o of outputs) {
      if (o.output_type === 'error' && !expectError) {
        problems.push(`error output: ${o.ename}: ${o.evalue}`);
      }
      if (o.output_type === 'stream' && o.name === 'stderr' && !expectError) {
        const text = Array.isArray(o.text) ? o.text.join('') : o.text;
        if (/Error|Traceback/.test(text)) problems.push(`stderr: ${text.trim().split('\n').slice(-3).join(' | ').slice(0, 300)}`);
      }
    }
    for (const el of cell.node.querySelectorAll('.jp-RenderedText[data-mime-type="application/vnd.jupyter.stderr"]')) {
      const text = el.textContent || '';
      if (!expectError && /Error|Traceback/.test(text) && !problems.length) {
        problems.push(`stderr shown: ${text.trim().split('\n').slice(-3).join(' | ').slice(0, 300)}`);
      }
    }
    for (const out of cell.node.querySelectorAll('.jp-OutputArea-output')) {
      const text = out.textContent || '';
      const mime = out.getAttribute('data-mime-type') || '';
      if (/Error displaying widget|model not found/.test(text)) {
        problems.push(`widget not displayed: "${text.trim().slice(0, 120)}"`);
      }
      if (/No renderer could be found for output/.test(text)) {
        problems.push(`no renderer for an output: "${text.trim().slice(0, 200)}"`);
      }
      if (mime === 'text/plain' && /^\s*alt\.\w*Chart\(\.\.\.\)\s*$/.test(text)) {
        problems.push('a chart shown as its text placeholder "alt.Chart(...)", not drawn');
      }
      for (const host of window.__vnfrCharts(out)) {
        info.charts++;
        const what = `chart (${mime || 'in an output'})`;
        const shows = (host.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 150);
        const embed = host.classList.contains('vega-embed') ? host : host.querySelector('.vega-embed');
        const svg = host.querySelector('svg.marks');
        const canvas = host.querySelector('canvas.marks') || host.querySelector('canvas');
        if (!embed) problems.push(`${what} not drawn: no .vega-embed element${shows ? `; shows "${shows}"` : ''}`);
        else if (svg) { if (!host.querySelector(MARKS)) problems.push(`${what} drawn as SVG but has no marks`); }
        else if (canvas) { if (!canvasDrawn(canvas)) problems.push(`${what}: its canvas is empty`); }
        else problems.push(`${what} not drawn: no <svg> or <canvas>${shows ? `; shows "${shows}"` : ''}`);
      }
      if (mime === 'image/svg+xml' || mime === 'image/png') {
        const img = out.querySelector('img');
        if (img && !(img.complete && img.naturalWidth > 0)) problems.push(`image (${mime}) did not load`);
      }
    }
  });
  return {cells};
}"""


@dataclass
class CellReport:
    index: int
    type: str
    first_line: str
    problems: list[str]
    charts: int
    widgets: int


def inspect_notebook(page, nb: str) -> list[CellReport]:
    """Every cell of the open notebook `nb`, with the problems found in its outputs."""
    result = page.evaluate(_CHECK_JS, nb)
    if "error" in result:
        raise AssertionError(f"{nb}: {result['error']}")
    return [CellReport(c["index"], c["type"], c["firstLine"], c["problems"], c["charts"], c["widgets"])
            for c in result["cells"]]


def format_problems(nb: str, cells: list[CellReport]) -> str:
    lines = []
    for c in cells:
        for p in c.problems:
            lines.append(f"{nb}, cell {c.index} ({c.first_line!r}): {p}")
    return "\n".join(lines)


def check_notebook(page, nb: str) -> list[CellReport]:
    """Raise AssertionError naming notebook, cell and problem if any output is wrong."""
    cells = inspect_notebook(page, nb)
    problems = format_problems(nb, cells)
    if problems:
        raise AssertionError(problems)
    return cells


def screenshot(page, name: str, nb: str | None = None, directory: Path = SCREENSHOTS) -> Path:
    """Save a screenshot of the whole notebook (not only the visible part) as <directory>/<name>.png.

    The notebook scrolls inside JupyterLab, so the viewport is stretched to the notebook's height
    for the shot, then put back.
    """
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{name}.png"
    size = page.viewport_size or {"width": 1280, "height": 900}
    try:
        height = page.evaluate("""(p) => {
          const w = p && window.__vnfrPanel ? window.__vnfrPanel(p) : null;
          const node = w ? w.content.node : document.querySelector('.jp-Notebook');
          if (!node) return 0;
          let extra = 0;
          for (const el of [node, ...node.querySelectorAll('.jp-WindowedPanel-outer')]) {
            extra = Math.max(extra, el.scrollHeight - el.clientHeight);
            el.scrollTop = 0;
          }
          return window.innerHeight + extra + 40;
        }""", nb)
    except Exception:
        height = 0
    try:
        if height > size["height"]:
            page.set_viewport_size({"width": size["width"], "height": min(int(height), 16_000)})
            page.wait_for_timeout(400)
        page.screenshot(path=str(path), full_page=True)
    finally:
        page.set_viewport_size(size)
    return path


def save_notebook(page, nb: str, timeout_ms: int = 30_000) -> None:
    """Save the open notebook `nb` with JupyterLab's own command (Ctrl+S, 'docmanager:save') and
    wait until the file on disk is written."""
    page.evaluate("(p) => window.jupyterapp.shell.activateById(window.__vnfrPanel(p).id)", nb)
    before = page.evaluate("(p) => window.__vnfrPanel(p).context.contentsModel?.last_modified || ''", nb)
    execute_command(page, "docmanager:save", timeout_ms=timeout_ms)
    page.wait_for_function("""([p, before]) => {
      const w = window.__vnfrPanel(p);
      return !w.context.model.dirty && (w.context.contentsModel?.last_modified || '') !== before;
    }""", arg=[nb, before], timeout=timeout_ms)


def close_notebook(page, nb: str) -> None:
    """Close the notebook tab (without saving) and shut its kernel down."""
    page.evaluate("""async (p) => {
      const w = window.__vnfrPanel(p);
      if (!w) return;
      await w.sessionContext.shutdown();
      w.context.model.dirty = false;
      w.dispose();
    }""", nb)


def shutdown_kernels(server: LabServer) -> None:
    """Shut down every kernel session of the server (between tests, so each notebook starts fresh)."""
    try:
        for session in server.api("/api/sessions") or []:
            server.api(f"/api/sessions/{session['id']}", method="DELETE")
    except (urllib.error.URLError, OSError):
        pass


def read_ipynb(server: LabServer, nb: str) -> dict:
    return json.loads((server.root / nb).read_text(encoding="utf-8"))


def cell_problem(nb: str, cells: list[CellReport], index: int, what: str) -> str:
    c = next((c for c in cells if c.index == index), None)
    first = c.first_line if c else "?"
    return f"{nb}, cell {index} ({first!r}): {what}"


_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def artifact_name(nb: str, suffix: str = "") -> str:
    stem = Path(nb).stem
    return _SAFE_NAME.sub("_", stem + (f"-{suffix}" if suffix else ""))


# Notifications that offer to reach the internet: JupyterLab's news prompt ("Would you like to get
# notified about official Jupyter news?", shown on a fresh profile unless the settings overrides
# say `fetchNews: "false"`) and its update notices (unless `checkForUpdates: false`).
INTERNET_PROMPT_RE = r"Jupyter news|newer version"


def internet_prompts(page) -> list[str]:
    """The texts of the notifications on the page that offer to fetch news or updates."""
    try:
        return page.evaluate("""(pattern) => {
          const re = new RegExp(pattern, 'i');
          return [...document.querySelectorAll('.jp-toast-message, .jp-Notification-List-Item')]
            .map(el => (el.textContent || '').trim().replace(/\\s+/g, ' '))
            .filter(t => re.test(t)).map(t => t.slice(0, 200));
        }""", INTERNET_PROMPT_RE)
    except Exception:  # the page is gone or is not JupyterLab
        return []
