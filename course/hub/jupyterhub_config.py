# The class hub: one JupyterHub on one machine, serving the student edition to the class.
#
#   make hub                      (builds the environment, publishes the course, creates the users)
#   jupyterhub -f course/hub/jupyterhub_config.py   (what `make hub` runs in the end)
#
# Every setting the hub needs is in this one file. It reads a few environment variables so a test
# can run a second hub beside a real one; the defaults are the ones `make hub` uses.
#
#   VNFR_HUB_DIR        the hub's folder (default /srv/vnfr-hub): venv/, node_modules/, published/
#                       (the course repository), state/ (database, cookie secret, roster, password
#                       slips; readable by root only)
#   VNFR_HUB_ENV        where venv/ and node_modules/ are, if not in VNFR_HUB_DIR
#   VNFR_HUB_IP/PORT    where students connect (default 0.0.0.0:8000, every address of this machine)
#   VNFR_HUB_MEM_LIMIT  per-student memory limit (default 1G; see "Memory" below)
#   VNFR_HUB_CULL_IDLE  seconds before an idle student server is stopped (default 3600)
import json
import os
import sys
from pathlib import Path

c = get_config()  # noqa: F821 (JupyterHub provides it)

HUB_DIR = Path(os.environ.get("VNFR_HUB_DIR", "/srv/vnfr-hub"))
# the installed environment (venv/ and node_modules/), normally HUB_DIR too: this hub's own prefix
ENV_DIR = Path(os.environ.get("VNFR_HUB_ENV", Path(sys.prefix).parent))
STATE = HUB_DIR / "state"
STATE.mkdir(parents=True, exist_ok=True)
STATE.chmod(0o700)
COURSE_DIR = "course"  # each student's copy: ~/course (notebooks in ~/course/notebooks)
REPO_PORT = int(os.environ.get("VNFR_HUB_REPO_PORT", "8765"))
REPO_URL = f"http://127.0.0.1:{REPO_PORT}/course.git"  # served on loopback by the service below

# ------------------------------------------------------------------------------ network
c.JupyterHub.ip = os.environ.get("VNFR_HUB_IP", "0.0.0.0")
c.JupyterHub.port = int(os.environ.get("VNFR_HUB_PORT", "8000"))
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(os.environ.get("VNFR_HUB_API_PORT", "8081"))
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{os.environ.get('VNFR_HUB_PROXY_API_PORT', '8001')}"
c.ConfigurableHTTPProxy.command = [str(ENV_DIR / "node_modules" / ".bin" / "configurable-http-proxy")]
c.ConfigurableHTTPProxy.pid_file = str(STATE / "jupyterhub-proxy.pid")
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(STATE / "jupyterhub.pid")
c.JupyterHub.cleanup_servers = True

# ------------------------------------------------------------------------------ who may log in
# PAM: each student is a Unix user of this machine, created with a random first password by
# `python -m helpers hub users ROSTER` (which prints the password slips). No internet, no extra
# package, and no one can claim a classmate's account before the classmate first logs in (the
# weakness of sign-up and first-use schemes). Students change their password at the hub's
# terminal with `passwd` if the lecturer allows it.
c.JupyterHub.authenticator_class = "pam"
c.PAMAuthenticator.open_sessions = False  # no login session bookkeeping (not needed, and slow)


def _roster_users() -> set[str]:
    path = STATE / "users.json"
    try:
        return set(json.loads(path.read_text(encoding="utf-8"))["students"])
    except (OSError, ValueError, KeyError):
        return set()


def _admins() -> set[str]:
    return {u for u in os.environ.get("VNFR_HUB_ADMINS", "").split(",") if u}


c.Authenticator.allowed_users = _roster_users()
c.Authenticator.admin_users = _admins()

# ------------------------------------------------------------------------------ each student's server
c.JupyterHub.spawner_class = "localprocess"  # a process per student, run as that student's Unix user
c.Spawner.cmd = [str(ENV_DIR / "venv" / "bin" / "jupyterhub-singleuser")]
c.Spawner.notebook_dir = "~"
c.Spawner.http_timeout = 120
c.Spawner.start_timeout = 180
c.Spawner.args = [
    # the course's JupyterLab settings are in venv/share/jupyter/lab/settings/overrides.json
    "--ServerApp.terminals_enabled=False",
    "--KernelManager.shutdown_wait_time=2",
    # kernels talk over Unix sockets in the student's private runtime folder, not loopback TCP:
    # no other account can reach them, and twenty servers starting kernels at once cannot pick
    # the same port (seen with TCP: "Address already in use", a dead kernel)
    "--KernelManager.transport=ipc",
    # full clones: the course repository is served by plain HTTP, which cannot send shallow ones
    "--GitPuller.depth=0",
    # nothing fetched from the internet: no news feed, no update check
    "--LabApp.news_url=None",
    "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
] + os.environ.get("VNFR_HUB_SINGLEUSER_ARGS", "").split()  # extra server options (the browser test's)


def _course_path(spawner):
    home = Path(os.path.expanduser(f"~{spawner.user.name}"))
    return str(home / COURSE_DIR)


c.Spawner.environment = {
    # the notebooks `import helpers` from the student's own copy of the student edition
    "PYTHONPATH": _course_path,
    "VNFR_HUB": "1",
    "PATH": f"{ENV_DIR / 'venv' / 'bin'}:/usr/local/bin:/usr/bin:/bin",
}
# First login, and every login after: nbgitpuller brings the course into ~/course, or merges
# the lecturer's corrections into it, keeping the student's own changes (see README).
c.Spawner.default_url = (
    f"/git-pull?repo={REPO_URL}&branch=main&targetpath={COURSE_DIR}"
    f"&urlpath=lab/tree/{COURSE_DIR}/notebooks/00-start-here.ipynb"
)

# Memory. LocalProcessSpawner cannot enforce `mem_limit` (it only passes MEM_LIMIT on to the
# server, where JupyterLab's resource display can show it); SystemdSpawner or Kubernetes enforce
# it. The sizing rule in the README comes from measured kernel memory, not from this number.
c.Spawner.mem_limit = os.environ.get("VNFR_HUB_MEM_LIMIT", "1G")

# ------------------------------------------------------------------------------ services
c.JupyterHub.load_roles = [
    {
        "name": "idle-culler",
        "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
        "services": ["idle-culler"],
    },
]
c.JupyterHub.services = [
    {
        # stop a student's server after an hour without activity (memory comes back)
        "name": "idle-culler",
        "command": [sys.executable, "-m", "jupyterhub_idle_culler",
                    f"--timeout={os.environ.get('VNFR_HUB_CULL_IDLE', '3600')}", "--cull-every=300"],
    },
    {
        # the published student edition, as a git repository nbgitpuller pulls from (loopback only)
        "name": "course-repo",
        "command": [sys.executable, "-m", "http.server", "--bind", "127.0.0.1",
                    "--directory", str(HUB_DIR / "published"), str(REPO_PORT)],
    },
]

# Tests (and an admin script) may add a service token through the environment.
if os.environ.get("VNFR_HUB_ADMIN_TOKEN"):
    c.JupyterHub.services.append({"name": "vnfr-admin", "api_token": os.environ["VNFR_HUB_ADMIN_TOKEN"]})
    c.JupyterHub.load_roles.append({"name": "vnfr-admin", "scopes": ["admin:users", "admin:servers", "tokens"],
                                    "services": ["vnfr-admin"]})
