"""`python -m helpers collect --hub --out SUBMISSIONS`: gather the students' notebooks from the
class hub, one folder per student named by username, ready for `python -m helpers grade`.

Each roster student's `~/course/notebooks/*.ipynb` (the course's notebooks, not checkpoints or
copies) is copied with its file time kept. With `--deadline`, a notebook saved after it is not
copied (it is listed, so the lecturer can decide). Nothing in a student's home is changed.
Every problem gets one line, and the others are still collected:

* a student who never logged in (no course folder yet), or whose home directory is gone;
* a notebook that is not valid JSON (left out: the grader could not read it either);
* a roster username with no Unix user.

It also writes `collect.csv` in SUBMISSIONS: one row per student and notebook, with what was done.
Then: `python -m helpers grade SUBMISSIONS --roster ROSTER --out grades`.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import sys
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from .admin import COURSE_DIR, DEFAULT_HUB_DIR, HubError, read_roster


@dataclass
class Collected:
    copied: list[tuple[str, str]] = field(default_factory=list)  # (username, notebook)
    rows: list[dict] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)

    def note(self, username: str, notebook: str, action: str, detail: str = "") -> None:
        self.rows.append({"username": username, "notebook": notebook, "action": action, "detail": detail})
        if action != "copied":
            self.messages.append(f"{username}: {notebook + ': ' if notebook else ''}{detail or action}")


def _home(username: str) -> Path | None:
    import pwd

    try:
        return Path(pwd.getpwnam(username).pw_dir)
    except KeyError:
        return None


def course_notebooks(root: Path | None = None) -> list[str]:
    """The names of the course's notebooks (only these are collected)."""
    from helpers import ROOT

    return sorted(p.name for p in ((root or ROOT) / "notebooks").glob("*.ipynb"))


def collect(usernames: list[str], out: Path, deadline: datetime | None = None,
            notebooks: list[str] | None = None, home_of=_home) -> Collected:
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    names = notebooks if notebooks is not None else course_notebooks()
    result = Collected()
    for username in usernames:
        home = home_of(username)
        if home is None:
            result.note(username, "", "no user", "no Unix user of that name on this machine (run `hub users` first)")
            continue
        if not home.is_dir():
            result.note(username, "", "no home", f"home directory {home} is missing (deleted?): nothing to collect")
            continue
        folder = home / COURSE_DIR / "notebooks"
        if not folder.is_dir():
            result.note(username, "", "never logged in", f"no {folder} yet: the student has never logged in")
            continue
        dest = out / username
        found = 0
        for name in names:
            src = folder / name
            if not src.is_file():
                continue
            found += 1
            mtime = datetime.fromtimestamp(src.stat().st_mtime, timezone.utc)
            if deadline is not None and mtime > deadline:
                result.note(username, name, "late",
                            f"saved {mtime:%Y-%m-%d %H:%M} UTC, after the deadline: not collected")
                continue
            try:
                json.loads(src.read_bytes().decode("utf-8"))
            except (UnicodeDecodeError, ValueError) as exc:
                result.note(username, name, "not valid JSON",
                            f"not a readable notebook ({exc}); left out, the student's file is untouched")
                continue
            dest.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / name)
            result.copied.append((username, name))
            result.note(username, name, "copied", f"saved {mtime:%Y-%m-%d %H:%M} UTC")
        if not found:
            result.note(username, "", "no notebooks", f"no course notebook in {folder}")
    with open(out / "collect.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=["username", "notebook", "action", "detail"])
        w.writeheader()
        w.writerows(result.rows)
    return result


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m helpers collect", description=__doc__.split("\n\n")[0])
    p.add_argument("--hub", action="store_true", required=True,
                   help="collect from the students' homes on this machine (the class hub)")
    p.add_argument("--out", type=Path, required=True, help="submissions folder to write (one folder per student)")
    p.add_argument("--roster", type=Path, help="roster CSV (default: the hub's students, from `hub users`)")
    p.add_argument("--hub-dir", type=Path, default=DEFAULT_HUB_DIR)
    p.add_argument("--deadline", help="ISO date-time, e.g. 2025-03-14T23:59+07:00 (no zone: this computer's local time)")
    args = p.parse_args(argv)

    deadline = None
    if args.deadline:
        from helpers.grading.core import parse_deadline

        try:
            deadline = parse_deadline(args.deadline)
        except ValueError:
            print(f"collect: --deadline {args.deadline!r} is not an ISO date-time", file=sys.stderr)
            return 2
    try:
        if args.roster:
            usernames = [e.username for e in read_roster(args.roster)]
        else:
            users_file = args.hub_dir / "state" / "users.json"
            try:
                usernames = json.loads(users_file.read_text(encoding="utf-8"))["students"]
            except (OSError, ValueError, KeyError):
                raise HubError(f"no roster given and {users_file} is missing or unreadable: pass --roster") from None
    except HubError as exc:
        print(f"collect: {exc}", file=sys.stderr)
        return 2
    if os.geteuid() != 0:
        print("collect: reading the students' homes needs root (run it with sudo)", file=sys.stderr)
        return 2
    result = collect(usernames, args.out, deadline)
    students = len({u for u, _ in result.copied})
    print(f"Collected {len(result.copied)} notebook(s) of {students} of {len(usernames)} student(s) into {args.out}.")
    for line in result.messages:
        print(f"  {line}")
    print(f"Details in {args.out / 'collect.csv'}. Next: python -m helpers grade {args.out} --out grades"
          + (f" --roster {args.roster}" if args.roster else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
