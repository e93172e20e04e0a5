"""The class hub's admin commands: `python -m helpers hub publish|users|link ...` (see README,
"Teaching a class on a server").

* `publish` builds the student edition and commits it to the git repository the students'
  servers pull from (`HUB_DIR/published/course.git`, served on loopback by the hub). Run it again
  after a correction: each student's next login merges it into their copy (nbgitpuller), keeping
  their answers.
* `users ROSTER` creates one Unix user per student of a roster CSV (column `username`; `name`,
  `id`, `email` optional), each with a private home and a random first password, and writes the
  password slips to `HUB_DIR/state/passwords.csv` (readable by root only). A roster with a
  duplicate or invalid username is refused whole, with every problem listed; nothing is created.
* `link` prints the nbgitpuller link to put on the LMS page.

The roster is the same CSV `python -m helpers grade --roster` reads: `username` is its login
column, and `collect --hub` names each student's folder by username.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

DEFAULT_HUB_DIR = Path(os.environ.get("VNFR_HUB_DIR", "/srv/vnfr-hub"))
COURSE_DIR = "course"  # each student's copy: ~/course
BRANCH = "main"
# Debian's default NAME_REGEX for useradd, shortened to 32 characters (the utmp limit).
USERNAME = re.compile(r"^[a-z][a-z0-9_-]{0,31}$")
RESERVED = {"root", "admin", "jupyter", "jupyterhub", "daemon", "nobody", "www-data", "sys", "bin"}
PASSWORD_WORDS = 4


class HubError(ValueError):
    """A problem the admin must fix (a bad roster, a missing folder); the message says what."""


# ------------------------------------------------------------------------------ roster

@dataclass(frozen=True)
class Entry:
    username: str
    name: str = ""
    line: int = 0


def read_roster(path: Path | str) -> list[Entry]:
    """The students of a roster CSV, or HubError listing every problem (duplicates, bad names)."""
    path = Path(path)
    try:
        with open(path, newline="", encoding="utf-8-sig") as fh:
            rows = list(csv.DictReader(fh))
    except (OSError, UnicodeDecodeError) as exc:
        raise HubError(f"{path}: cannot read the roster ({exc})") from None
    if not rows:
        raise HubError(f"{path}: the roster has no students")
    columns = {k.strip().lower(): k for k in rows[0] if k}
    key = next((columns[c] for c in ("username", "login", "user") if c in columns), None)
    if key is None:
        raise HubError(f"{path}: the roster needs a 'username' column (found: {', '.join(rows[0])})")
    name_key = next((columns[c] for c in ("name", "full name", "fullname") if c in columns), None)
    problems: list[str] = []
    seen: dict[str, int] = {}
    entries: list[Entry] = []
    for line, row in enumerate(rows, start=2):
        username = (row.get(key) or "").strip()
        name = (row.get(name_key) or "").strip() if name_key else ""
        if not username and not any((v or "").strip() for v in row.values()):
            continue  # a blank line
        if not USERNAME.match(username):
            problems.append(f"line {line}: username {username!r} is not valid (lower-case letters, digits, "
                            "'-' or '_', starting with a letter, at most 32 characters)")
            continue
        if username in RESERVED:
            problems.append(f"line {line}: username {username!r} is reserved for the system")
            continue
        if username in seen:
            problems.append(f"line {line}: username {username!r} is already on line {seen[username]}")
            continue
        seen[username] = line
        entries.append(Entry(username, name, line))
    if problems:
        raise HubError(f"{path}: the roster was not used, nothing was created:\n  " + "\n  ".join(problems))
    return entries


# ------------------------------------------------------------------------------ users

def _user_exists(username: str) -> bool:
    import pwd

    try:
        pwd.getpwnam(username)
        return True
    except KeyError:
        return False


def new_password(rng=secrets) -> str:
    """Four short words and a number: easy to type from a slip, about 40 bits of randomness."""
    words = ["river", "lotus", "bamboo", "harbor", "delta", "monsoon", "lantern", "temple", "island",
             "market", "silk", "jade", "pepper", "coffee", "rice", "kite", "drum", "bridge", "valley",
             "cloud", "stone", "pearl", "garden", "ferry", "orchid", "mango", "tiger", "crane",
             "bell", "moon", "summit", "forest"]
    return "-".join(rng.choice(words) for _ in range(PASSWORD_WORDS)) + f"-{rng.randbelow(100):02d}"


def create_users(entries: list[Entry], hub_dir: Path, run=subprocess.run) -> dict:
    """Create the missing users (private home, no login shell, a random password); write the
    password slips and the hub's list of students. Existing users keep their password and home."""
    state = hub_dir / "state"
    state.mkdir(parents=True, exist_ok=True)
    state.chmod(0o700)
    created, kept = [], []
    passwords: dict[str, str] = {}
    for e in entries:
        if _user_exists(e.username):
            kept.append(e.username)
            continue
        comment = re.sub(r"[:,\n]", " ", e.name)[:60]
        run(["useradd", "--create-home", "--shell", "/usr/sbin/nologin", "--user-group",
             "--comment", comment, e.username], check=True, capture_output=True)
        passwords[e.username] = new_password()
        created.append(e.username)
    for e in entries:
        home = Path(os.path.expanduser(f"~{e.username}"))
        if home.is_dir():
            home.chmod(0o700)  # no classmate can read it
    if passwords:
        feed = "".join(f"{u}:{p}\n" for u, p in passwords.items())
        run(["chpasswd"], input=feed, text=True, check=True, capture_output=True)
        slips = state / "passwords.csv"
        new_file = not slips.exists()
        fd = os.open(slips, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        with os.fdopen(fd, "a", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            if new_file:
                w.writerow(["username", "name", "first password"])
            names = {e.username: e.name for e in entries}
            for u, p in passwords.items():
                w.writerow([u, names[u], p])
    users_file = state / "users.json"
    users_file.write_text(json.dumps({"students": [e.username for e in entries]}, indent=1) + "\n",
                          encoding="utf-8")
    users_file.chmod(0o600)
    return {"created": created, "kept": kept, "passwords": passwords}


def remove_users(usernames: list[str], run=subprocess.run) -> list[str]:
    """Delete users and their homes (end of term, tests). Returns those removed."""
    removed = []
    for u in usernames:
        if _user_exists(u):
            r = run(["userdel", "--remove", u], capture_output=True, text=True)
            if _user_exists(u):  # e.g. "user is currently used by process": say so, go on
                print(f"hub: could not remove {u}: {(r.stderr or '').strip()}", file=sys.stderr)
            else:
                removed.append(u)
    return removed


# ------------------------------------------------------------------------------ publish

def _git(*args, cwd: Path, check: bool = True) -> subprocess.CompletedProcess:
    env = dict(os.environ, GIT_AUTHOR_NAME="Course", GIT_AUTHOR_EMAIL="course@localhost",
               GIT_COMMITTER_NAME="Course", GIT_COMMITTER_EMAIL="course@localhost")
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=check, capture_output=True, text=True)


def _normalise_notebooks(folder: Path) -> None:
    """Write each notebook as Jupyter's server writes it on save (nbformat: sorted keys, indent 1),
    so a student's save changes only the lines they changed and a later correction merges."""
    import nbformat

    for path in sorted(folder.glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        path.write_text(nbformat.writes(nb) + "\n", encoding="utf-8")


def protect_instructor_copy(root: Path) -> list[Path]:
    """Make the instructor's teaching kit (answer keys, model answers, guide) readable by its owner
    only, so no student account on the machine can open it. Returns the folders changed."""
    changed = []
    for folder in (root / "course",):
        if folder.is_dir() and folder.stat().st_mode & 0o077:
            folder.chmod(folder.stat().st_mode & 0o700)
            changed.append(folder)
    return changed


def publish(hub_dir: Path, root: Path | None = None, message: str = "") -> str:
    """Build the student edition into the hub's course repository and commit it; returns the
    commit id. Students get it at their next login (nbgitpuller). The instructor's own copy is
    made private on the way (see protect_instructor_copy)."""
    from helpers import ROOT
    from helpers.publishing.release import build

    protect_instructor_copy(Path(root or ROOT))
    hub_dir = Path(hub_dir)
    work = hub_dir / "edition"
    bare = hub_dir / "published" / "course.git"
    bare.parent.mkdir(parents=True, exist_ok=True)
    if not (bare / "HEAD").exists():
        _git("init", "--quiet", "--bare", f"--initial-branch={BRANCH}", str(bare), cwd=bare.parent)
    with tempfile.TemporaryDirectory(prefix="vnfr-edition-") as tmp:
        edition = build(Path(tmp) / "edition", root or ROOT)
        _normalise_notebooks(edition / "notebooks")
        if not (work / ".git").is_dir():
            work.mkdir(parents=True, exist_ok=True)
            _git("init", "--quiet", f"--initial-branch={BRANCH}", cwd=work)
        for child in work.iterdir():
            if child.name != ".git":
                shutil.rmtree(child) if child.is_dir() and not child.is_symlink() else child.unlink()
        for child in edition.iterdir():
            target = work / child.name
            shutil.copytree(child, target) if child.is_dir() else shutil.copy2(child, target)
    _git("add", "--all", cwd=work)
    if _git("diff", "--cached", "--quiet", cwd=work, check=False).returncode:
        _git("commit", "--quiet", "-m", message or "Course update", cwd=work)
    _git("push", "--quiet", "--force", str(bare), f"{BRANCH}:{BRANCH}", cwd=work)
    _git("update-server-info", cwd=bare)  # for git's plain-HTTP ("dumb") clone
    for path in [hub_dir / "published", *(hub_dir / "published").rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    return _git("rev-parse", "HEAD", cwd=work).stdout.strip()


def link(hub_url: str, notebook: str = "00-start-here.ipynb", repo_port: int = 8765) -> str:
    """The nbgitpuller link for an LMS page: logs the student in, pulls, opens `notebook`."""
    repo = f"http://127.0.0.1:{repo_port}/course.git"
    return (f"{hub_url.rstrip('/')}/hub/user-redirect/git-pull?repo={quote(repo, safe='')}"
            f"&branch={BRANCH}&targetpath={COURSE_DIR}"
            f"&urlpath={quote(f'lab/tree/{COURSE_DIR}/notebooks/{notebook}', safe='')}")


# ------------------------------------------------------------------------------ command line

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m helpers hub", description=__doc__.split("\n\n")[0])
    parser.add_argument("--hub-dir", type=Path, default=DEFAULT_HUB_DIR, help="the hub's folder (default %(default)s)")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("publish", help="publish the student edition to the students (first time, or a correction)")
    p.add_argument("--message", default="", help="what changed (the commit message the students' copies get)")
    p.add_argument("--hub-dir", type=Path, default=argparse.SUPPRESS)
    p = sub.add_parser("users", help="create one Unix user per student of a roster CSV")
    p.add_argument("roster", type=Path)
    p.add_argument("--hub-dir", type=Path, default=argparse.SUPPRESS)
    p = sub.add_parser("link", help="print the nbgitpuller link for an LMS page")
    p.add_argument("hub_url", help="the address students open, e.g. http://192.168.1.10:8000")
    p.add_argument("--notebook", default="00-start-here.ipynb")
    args = parser.parse_args(argv)

    try:
        if args.command == "publish":
            commit = publish(args.hub_dir, message=args.message)
            print(f"Published the student edition ({commit[:10]}) to {args.hub_dir / 'published' / 'course.git'}; "
                  "students get it at their next login.")
        elif args.command == "users":
            entries = read_roster(args.roster)
            if os.geteuid() != 0:
                raise HubError("creating users needs root (run it with sudo)")
            result = create_users(entries, args.hub_dir)
            print(f"{len(entries)} student(s) on the roster: {len(result['created'])} user(s) created, "
                  f"{len(result['kept'])} already there (password unchanged).")
            if result["created"]:
                print(f"First passwords for the new users: {args.hub_dir / 'state' / 'passwords.csv'} "
                      "(readable by root only; print it and hand out the slips).")
        elif args.command == "link":
            print(link(args.hub_url, args.notebook))
    except HubError as exc:
        print(f"hub: {exc}", file=sys.stderr)
        return 2
    except subprocess.CalledProcessError as exc:
        print(f"hub: {' '.join(exc.cmd)} failed: {(exc.stderr or '').strip()}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
