"""Simulated students for the class hub (the scale test and `make bench` use it).

A real JupyterHub on loopback, and students who use it as JupyterLab does: log in with the
password form, start their server, pull the course (nbgitpuller), open a notebook, start a kernel,
run its cells over the kernel's websocket, answer exercises with the widget comm messages the
front end sends (set a control's value, press the button), and save through the contents API.

The hub uses the environment `make hub-env` built (VNFR_HUB_DIR, default /srv/vnfr-hub) and a
state folder of its own, on free loopback ports, with Unix users named with a prefix such as
`vnfr-test-` (created, and removed afterwards, by the caller).
"""
from __future__ import annotations

import csv
import json
import os
import pwd
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import requests
import websocket

from helpers import ROOT as REPO
ENV_DIR = Path(os.environ.get("VNFR_HUB_DIR", "/srv/vnfr-hub"))
HUB_BIN = ENV_DIR / "venv" / "bin" / "jupyterhub"
PREFIX = "vnfr-test-"


def pss_mb(pid: int) -> float:
    """Proportional memory of a process (shared pages divided among their users), in MB."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def user_processes(username: str) -> list[tuple[int, str]]:
    """(pid, command line) of every process of a user."""
    uid = pwd.getpwnam(username).pw_uid
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if entry.stat().st_uid == uid:
                    cmd = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                    out.append((int(entry.name), cmd))
            except OSError:
                pass
    return out
WIDGET = "jupyter.widget"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ------------------------------------------------------------------------------ the hub

@dataclass
class Hub:
    data: Path  # this hub's VNFR_HUB_DIR (state/, published/, edition/)
    port: int
    repo_port: int
    token: str
    proc: subprocess.Popen
    log: Path
    users: list[str] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def repo_url(self) -> str:
        return f"http://127.0.0.1:{self.repo_port}/course.git"

    def api(self, method: str, path: str, **kw) -> requests.Response:
        return requests.request(method, f"{self.url}/hub/api{path}",
                                headers={"Authorization": f"token {self.token}"}, timeout=60, **kw)

    def passwords(self) -> dict[str, str]:
        with open(self.data / "state" / "passwords.csv", newline="", encoding="utf-8") as fh:
            return {r["username"]: r["first password"] for r in csv.DictReader(fh)}

    def log_tail(self, n: int = 60) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return ""

    def stop(self) -> None:
        """Stop the hub (it stops the servers it spawned and its proxy), then anything left of
        the processes it started: the test users' processes and the proxy, by pid."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=40)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        pid_file = self.data / "state" / "jupyterhub-proxy.pid"
        if pid_file.exists():
            try:
                os.kill(int(pid_file.read_text().strip()), signal.SIGTERM)
            except (ValueError, ProcessLookupError):
                pass
        kill_user_processes(self.users)


def kill_user_processes(usernames: list[str]) -> None:
    uids = set()
    for u in usernames:
        try:
            uids.add(pwd.getpwnam(u).pw_uid)
        except KeyError:
            pass
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if entry.stat().st_uid in uids:
                    os.kill(int(entry.name), signal.SIGKILL)
            except (OSError, ProcessLookupError):
                pass


def write_roster(path: Path, usernames: list[str]) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["username", "name", "id"])
        for i, u in enumerate(usernames, start=1):
            w.writerow([u, f"Student {u.split('-')[-1].title()}", f"S{i:03d}"])
    return path


def run_helpers(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    env = dict(os.environ, VNFR_ROOT=str(REPO))
    r = subprocess.run([sys.executable, "-m", "helpers", *args], cwd=REPO, env=env, capture_output=True,
                       text=True, timeout=300)
    if check and r.returncode:
        raise AssertionError(f"python -m helpers {' '.join(args)} failed ({r.returncode}):\n{r.stdout}\n{r.stderr}")
    return r


def start_hub(data: Path, usernames: list[str], timeout: float = 90) -> Hub:
    """Publish the course, create the users from a roster, start the hub; wait until it answers."""
    data.mkdir(parents=True, exist_ok=True)
    data.chmod(0o755)
    roster = write_roster(data / "roster.csv", usernames)
    run_helpers("hub", "--hub-dir", str(data), "publish")
    run_helpers("hub", "--hub-dir", str(data), "users", str(roster))
    port, api_port, proxy_port, repo_port = (free_port() for _ in range(4))
    token = uuid.uuid4().hex
    env = dict(os.environ, VNFR_HUB_DIR=str(data), VNFR_HUB_ENV=str(ENV_DIR), VNFR_HUB_IP="127.0.0.1",
               VNFR_HUB_PORT=str(port), VNFR_HUB_API_PORT=str(api_port), VNFR_HUB_PROXY_API_PORT=str(proxy_port),
               VNFR_HUB_REPO_PORT=str(repo_port), VNFR_HUB_ADMIN_TOKEN=token, VNFR_HUB_CULL_IDLE="3600",
               # the browser test drives JupyterLab through window.jupyterapp, as tests/browser does
               VNFR_HUB_SINGLEUSER_ARGS="--LabApp.expose_app_in_browser=True")
    log = data / "hub.log"
    proc = subprocess.Popen([str(HUB_BIN), "-f", str(REPO / "course" / "hub" / "jupyterhub_config.py")],
                            cwd=data, env=env, stdout=open(log, "wb"), stderr=subprocess.STDOUT)
    hub = Hub(data, port, repo_port, token, proc, log, list(usernames))
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"the hub exited ({proc.returncode}):\n{hub.log_tail()}")
        try:
            if hub.api("GET", "/").ok and requests.get(f"{hub.repo_url}/info/refs", timeout=5).ok:
                return hub
        except requests.RequestException:
            pass
        time.sleep(0.5)
    hub.stop()
    raise AssertionError(f"the hub did not answer within {timeout} s:\n{hub.log_tail()}")


def new_data_dir(prefix: str = "vnfr-hub-test-") -> Path:
    """A folder every student user can traverse (pytest's tmp_path is private to root)."""
    d = Path(tempfile.mkdtemp(prefix=prefix, dir="/tmp"))
    d.chmod(0o755)
    return d


# ------------------------------------------------------------------------------ a student

def _msg(msg_type: str, content: dict, session: str, channel: str = "shell") -> dict:
    return {
        "header": {"msg_id": uuid.uuid4().hex, "username": "student", "session": session,
                   "msg_type": msg_type, "version": "5.3", "date": ""},
        "parent_header": {}, "metadata": {}, "content": content, "channel": channel, "buffers": [],
    }


class Student:
    """One student in a browser, reduced to the HTTP and websocket messages it sends."""

    def __init__(self, hub: Hub, username: str, password: str):
        self.hub, self.name, self.password = hub, username, password
        self.http = requests.Session()
        self.token = ""
        self.ws = None
        self.session_id = uuid.uuid4().hex
        self.models: dict[str, dict] = {}  # widget model id -> state
        self.displays: dict[str, list[tuple[int, int]]] = {}  # display id -> (cell, output index)
        self.timings: dict[str, float] = {}

    # hub ------------------------------------------------------------------------------------
    def login(self) -> None:
        base = self.hub.url
        self.http.get(f"{base}/hub/login", timeout=30).raise_for_status()
        xsrf = [c.value for c in self.http.cookies if c.name == "_xsrf"][-1]
        r = self.http.post(f"{base}/hub/login", data={"username": self.name, "password": self.password,
                                                       "_xsrf": xsrf}, allow_redirects=False, timeout=60)
        if r.status_code != 302:
            raise AssertionError(f"{self.name}: login failed ({r.status_code})")
        xsrf = [c.value for c in self.http.cookies if c.name == "_xsrf"][-1]
        r = self.http.post(f"{base}/hub/api/users/{self.name}/tokens", json={"note": "test", "expires_in": 3600},
                           headers={"X-XSRFToken": xsrf}, timeout=30)
        r.raise_for_status()
        self.token = r.json()["token"]

    @property
    def headers(self) -> dict:
        return {"Authorization": f"token {self.token}"}

    def hub_api(self, method: str, path: str, **kw) -> requests.Response:
        return requests.request(method, f"{self.hub.url}/hub/api{path}", headers=self.headers, timeout=60, **kw)

    def start_server(self, timeout: float = 240) -> float:
        t0 = time.monotonic()
        r = self.hub_api("POST", f"/users/{self.name}/server")
        if r.status_code not in (201, 202, 400):  # 400: already running
            raise AssertionError(f"{self.name}: server start refused ({r.status_code} {r.text[:200]})")
        while time.monotonic() - t0 < timeout:
            server = self.hub_api("GET", f"/users/{self.name}").json()["servers"].get("", {})
            if server.get("ready"):
                self.timings["ready_s"] = time.monotonic() - t0
                return self.timings["ready_s"]
            time.sleep(0.5)
        raise AssertionError(f"{self.name}: server not ready after {timeout} s")

    # single-user server ---------------------------------------------------------------------
    def server(self, method: str, path: str, **kw) -> requests.Response:
        return requests.request(method, f"{self.hub.url}/user/{self.name}{path}", headers=self.headers,
                                timeout=120, **kw)

    def pull(self) -> list[dict]:
        """What the nbgitpuller page does: stream the pull's events until it finishes."""
        r = self.server("GET", "/git-pull/api", params={"repo": self.hub.repo_url, "branch": "main",
                                                         "targetpath": "course"}, stream=True)
        r.raise_for_status()
        events = []
        for line in r.iter_lines(decode_unicode=True):
            if line and line.startswith("data:"):
                event = json.loads(line[5:])
                events.append(event)
                if event.get("phase") in ("finished", "error"):
                    break
        if not events or events[-1].get("phase") != "finished":
            raise AssertionError(f"{self.name}: pull failed: {events[-3:]}")
        return events

    def get_notebook(self, path: str) -> dict:
        r = self.server("GET", f"/api/contents/{path}", params={"content": 1, "type": "notebook"})
        r.raise_for_status()
        return r.json()["content"]

    def save_notebook(self, path: str, nb: dict) -> None:
        r = self.server("PUT", f"/api/contents/{path}", json={"type": "notebook", "format": "json", "content": nb})
        r.raise_for_status()

    def start_kernel(self, path: str) -> str:
        r = self.server("POST", "/api/sessions", json={"path": path, "name": Path(path).name, "type": "notebook",
                                                         "kernel": {"name": "python3"}})
        r.raise_for_status()
        kernel = r.json()["kernel"]["id"]
        ws_url = f"ws://127.0.0.1:{self.hub.port}/user/{self.name}/api/kernels/{kernel}/channels" \
                 f"?session_id={self.session_id}"
        self.ws = websocket.create_connection(ws_url, header=[f"Authorization: token {self.token}"], timeout=180)
        self.kernel_id = kernel
        return kernel

    def close(self) -> None:
        if self.ws is not None:
            self.ws.close()
            self.ws = None

    # kernel protocol ------------------------------------------------------------------------
    def _send(self, msg: dict) -> str:
        self.ws.send(json.dumps(msg))
        return msg["header"]["msg_id"]

    def _pump(self, msg_id: str, nb: dict | None = None, cell: int | None = None, need_reply: bool = True):
        """Read messages until the kernel is idle after `msg_id` (and its shell reply came); route
        outputs into nb["cells"][cell] the way JupyterLab's output area does."""
        idle = replied = False
        reply = None
        while not (idle and (replied or not need_reply)):
            msg = json.loads(self.ws.recv())
            kind = msg.get("msg_type") or msg["header"]["msg_type"]
            content = msg.get("content", {})
            parent = (msg.get("parent_header") or {}).get("msg_id")
            if kind == "comm_open" and content.get("target_name") == WIDGET:
                self.models[content["comm_id"]] = dict(content["data"].get("state", {}))
                continue
            if kind == "comm_msg" and content.get("comm_id") in self.models:
                data = content.get("data", {})
                if data.get("method") in ("update", "echo_update"):
                    self.models[content["comm_id"]].update(data.get("state", {}))
                continue
            if kind == "update_display_data" and nb is not None:
                did = content.get("transient", {}).get("display_id")
                for ci, oi in self.displays.get(did, []):
                    out = nb["cells"][ci]["outputs"][oi]
                    out["data"], out["metadata"] = content["data"], content.get("metadata", {})
                continue
            if parent != msg_id:
                continue
            if msg["channel"] == "shell" and kind.endswith("_reply"):
                replied, reply = True, content
                continue
            if kind == "status":
                idle = content.get("execution_state") == "idle"
                continue
            if nb is None or cell is None:
                continue
            outputs = nb["cells"][cell]["outputs"]
            if kind == "stream":
                if outputs and outputs[-1].get("output_type") == "stream" and outputs[-1]["name"] == content["name"]:
                    outputs[-1]["text"] += content["text"]
                else:
                    outputs.append({"output_type": "stream", "name": content["name"], "text": content["text"]})
            elif kind in ("display_data", "execute_result"):
                out = {"output_type": kind, "data": content["data"], "metadata": content.get("metadata", {})}
                if kind == "execute_result":
                    out["execution_count"] = content.get("execution_count")
                outputs.append(out)
                did = content.get("transient", {}).get("display_id")
                if did:
                    self.displays.setdefault(did, []).append((cell, len(outputs) - 1))
            elif kind == "error":
                outputs.append({"output_type": "error", "ename": content["ename"], "evalue": content["evalue"],
                                "traceback": content["traceback"]})
            elif kind == "clear_output":
                outputs.clear()
        return reply

    def execute(self, code: str, nb: dict | None = None, cell: int | None = None) -> dict:
        msg = _msg("execute_request", {"code": code, "silent": False, "store_history": True,
                                       "user_expressions": {}, "allow_stdin": False, "stop_on_error": True},
                   self.session_id)
        return self._pump(self._send(msg), nb, cell)

    def run_all(self, nb: dict) -> float:
        """Run every code cell top to bottom, as "Run All Cells" does; outputs go into `nb`."""
        t0 = time.monotonic()
        for i, cell in enumerate(nb["cells"]):
            if cell["cell_type"] != "code":
                continue
            cell["outputs"] = []
            reply = self.execute("".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"], nb, i)
            cell["execution_count"] = reply.get("execution_count")
            if reply.get("status") != "ok":
                raise AssertionError(f"{self.name}: cell {i} failed: {reply.get('ename')}: {reply.get('evalue')}")
        self.timings["run_all_s"] = time.monotonic() - t0
        return self.timings["run_all_s"]

    def run_code(self, code: str) -> str:
        """Run code outside the notebook (like a scratch console); return its stdout."""
        cell = {"cell_type": "code", "source": code, "outputs": []}
        nb = {"cells": [cell]}
        reply = self.execute(code, nb, 0)
        text = "".join(o.get("text", "") for o in cell["outputs"] if o.get("output_type") == "stream")
        if reply.get("status") != "ok":
            raise AssertionError(f"{self.name}: {reply.get('ename')}: {reply.get('evalue')}")
        return text

    def comm(self, model_id: str, data: dict, nb: dict) -> None:
        msg = _msg("comm_msg", {"comm_id": model_id, "data": data}, self.session_id)
        self._pump(self._send(msg), nb, None, need_reply=False)

    # widgets --------------------------------------------------------------------------------
    def _children(self, model_id: str) -> list[str]:
        return [c.removeprefix("IPY_MODEL_") for c in self.models.get(model_id, {}).get("children", [])]

    def _descendants(self, model_id: str) -> list[str]:
        out, todo = [], [model_id]
        while todo:
            m = todo.pop(0)
            out.append(m)
            todo.extend(self._children(m))
        return out

    def exercise(self, exercise_slug: str) -> list[str]:
        """The model ids inside the exercise's box (class vnfr-ex-<slug>), box first."""
        for mid, state in self.models.items():
            if f"vnfr-ex-{exercise_slug}" in state.get("_dom_classes", []):
                return self._descendants(mid)
        raise AssertionError(f"{self.name}: no widget for exercise {exercise_slug}")

    def _find(self, ids: list[str], model_name: str) -> list[str]:
        return [m for m in ids if self.models[m].get("_model_name") == model_name]

    def choose(self, exercise_slug: str, label: str, nb: dict) -> None:
        """Click the radio button labelled `label` (the front end sends the new index)."""
        radio = self._find(self.exercise(exercise_slug), "RadioButtonsModel")[0]
        index = self.models[radio]["_options_labels"].index(label)
        self.comm(radio, {"method": "update", "state": {"index": index}, "buffer_paths": []}, nb)

    def tick(self, exercise_slug: str, labels: list[str], nb: dict) -> None:
        for cb in self._find(self.exercise(exercise_slug), "CheckboxModel"):
            value = self.models[cb].get("description") in labels
            self.comm(cb, {"method": "update", "state": {"value": value}, "buffer_paths": []}, nb)

    def type_into(self, exercise_slug: str, text: str, nb: dict, model: str = "TextModel") -> None:
        box = self._find(self.exercise(exercise_slug), model)[0]
        self.comm(box, {"method": "update", "state": {"value": text}, "buffer_paths": []}, nb)

    def press(self, exercise_slug: str, nb: dict) -> None:
        """Click the exercise's Check/Submit button (a custom "click" event on the button model)."""
        ids = self.exercise(exercise_slug)
        button = next(m for m in self._find(ids, "ButtonModel") if "vnfr-submit" in self.models[m].get("_dom_classes", []))
        self.comm(button, {"method": "custom", "content": {"event": "click"}}, nb)

    def feedback(self, exercise_slug: str) -> str:
        ids = self.exercise(exercise_slug)
        fb = next(m for m in self._find(ids, "HTMLModel") if "vnfr-feedback" in self.models[m].get("_dom_classes", []))
        return next((c for c in self.models[fb].get("_dom_classes", []) if c.startswith("vnfr-status-")), "")
