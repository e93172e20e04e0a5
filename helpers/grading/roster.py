"""Who handed in what: names as the LMS writes them in file names, matched to an optional roster.

File names understood (the LMS's own download formats):

* Canvas, "Download Submissions": ``lastfirst_12345_67890_01-soft-power.ipynb`` — the student's
  sortable name with everything but letters and digits removed, the Canvas user id, the file id,
  then the name the student gave the file (Canvas adds ``-1``, ``-2`` on resubmission). A late
  submission reads ``lastfirst_LATE_12345_67890_…``.
* Moodle, "Download all submissions": ``First Last_12345_assignsubmission_file_01-soft-power.ipynb``
  (12345 is the participant id), or the same name as a folder holding the file.
* Anything else: a folder per student (``SUBMISSIONS/<student>/…``), else the file name itself.

A roster CSV has a header; these columns are recognised (case and spacing ignored): ``id``
(``student_id``, ``sis_user_id``, ``student number``…), ``name`` (or ``first``/``last``), ``email``,
``login`` (``sis_login_id``, ``username``), ``canvas_id``, ``moodle_id`` (participant id), ``section``.
"""
from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

# LMS ids are ASCII digits ([0-9], not \d, which also takes other scripts' digits).
CANVAS = re.compile(r"^(?P<name>[^_]+)_(?:(?P<late>LATE)_)?(?P<uid>[0-9]{1,18})_(?P<fid>[0-9]{1,18})_(?P<orig>.+)$",
                    re.DOTALL)
MOODLE = re.compile(
    r"^(?P<name>.+?)_(?P<pid>[0-9]{1,18})_assignsubmission_(?:file|onlinetext)_?(?P<orig>.*)$",
    re.IGNORECASE | re.DOTALL,
)
RESUBMISSION = re.compile(r"-([0-9]{1,6})$")


def fold(text: str) -> str:
    """Lower case, accents removed (đ → d too), only letters and digits kept."""
    text = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return "".join(c for c in text.casefold() if c.isalnum())


def tokens(text: str) -> list[str]:
    return [fold(t) for t in re.split(r"[\s_.,;@+-]+", text) if fold(t)]


@dataclass
class FileIdentity:
    """What a file name says about its author."""

    name: str  # the name part as written ("nguyenvanan", "Nguyen Van An", a folder name)
    lms: str  # "canvas", "moodle" or ""
    lms_id: str = ""  # Canvas user id or Moodle participant id
    late_marker: bool = False  # Canvas wrote LATE into the name
    resubmission: int = 0  # Canvas's -1, -2 suffix
    original: str = ""  # the file name the student gave

    @property
    def key(self) -> str:
        if self.lms and self.lms_id:
            return f"{self.lms}:{self.lms_id}"
        from .untrusted import show_path

        return "file:" + (fold(self.name) or show_path(self.name))


def identify(path: Path, root: Path, set_ids: list[str] = ()) -> FileIdentity:
    """Read the student's identity out of a submission's path (relative to the folder graded)."""
    name = path.name
    stem = path.stem
    m = CANVAS.match(name)
    if m:
        orig_stem = Path(m["orig"]).stem
        r = RESUBMISSION.search(orig_stem)
        return FileIdentity(
            name=m["name"], lms="canvas", lms_id=m["uid"], late_marker=bool(m["late"]),
            resubmission=int(r.group(1)) if r else 0, original=m["orig"],
        )
    m = MOODLE.match(name)
    if m:
        return FileIdentity(name=m["name"].strip(), lms="moodle", lms_id=m["pid"], original=m["orig"])
    try:
        rel = path.relative_to(root)
    except ValueError:
        rel = Path(name)
    for part in rel.parts[:-1]:
        m = MOODLE.match(part)
        if m:
            return FileIdentity(name=m["name"].strip(), lms="moodle", lms_id=m["pid"], original=name)
    if len(rel.parts) > 1:
        return FileIdentity(name=rel.parts[0], lms="", original=name)
    # A bare file: drop a set id from the name ("an-nguyen_01-soft-power" -> "an-nguyen").
    cleaned = stem
    for set_id in sorted(set_ids, key=len, reverse=True):
        cleaned = re.sub(re.escape(set_id), "", cleaned, flags=re.IGNORECASE)
    cleaned = cleaned.strip(" _-.") or stem
    return FileIdentity(name=cleaned, lms="", original=name)


@dataclass
class Student:
    id: str
    name: str = ""
    email: str = ""
    login: str = ""
    canvas_id: str = ""
    moodle_id: str = ""
    section: str = ""
    files: list[str] = field(default_factory=list)


COLUMN_NAMES = {
    "id": {"id", "studentid", "student", "sisuserid", "sisid", "studentnumber", "idnumber", "matricule", "mssv"},
    "name": {"name", "fullname", "studentname", "hoten"},
    "first": {"first", "firstname", "givenname"},
    "last": {"last", "lastname", "surname", "familyname"},
    "email": {"email", "emailaddress", "mail"},
    "login": {"login", "sisloginid", "username", "loginid"},
    "canvas_id": {"canvasid", "canvasuserid", "userid"},
    "moodle_id": {"moodleid", "participantid", "participant"},
    "section": {"section", "group", "class"},
}


class RosterError(ValueError):
    pass


def load_roster(path: Path | str) -> list[Student]:
    path = Path(path)
    try:
        with open(path, newline="", encoding="utf-8-sig") as fh:
            rows = list(csv.reader(fh))
    except (OSError, UnicodeDecodeError, csv.Error) as err:
        raise RosterError(f"{path}: cannot read the roster ({err})") from None
    if not rows:
        raise RosterError(f"{path}: the roster is empty")
    header = [fold(h) for h in rows[0]]
    where: dict[str, int] = {}
    for i, h in enumerate(header):
        for column, names in COLUMN_NAMES.items():
            if h in names and column not in where:
                where[column] = i
    if "id" not in where and "email" not in where:
        raise RosterError(f"{path}: the roster needs an id or an email column (found: {', '.join(rows[0])})")
    students = []
    for line, row in enumerate(rows[1:], start=2):
        def get(column: str) -> str:
            i = where.get(column)
            return row[i].strip() if i is not None and i < len(row) else ""

        name = get("name") or " ".join(p for p in (get("first"), get("last")) if p)
        sid = get("id") or get("email")
        if not sid and not name:
            continue
        students.append(Student(
            id=sid or f"row{line}", name=name, email=get("email"), login=get("login"),
            canvas_id=get("canvas_id"), moodle_id=get("moodle_id"), section=get("section"),
        ))
    return students


def name_keys(name: str) -> set[str]:
    """Every way an LMS might run a name together: "Nguyễn Văn An" -> nguyenvanan, annguyenvan, vanannguyen."""
    parts = tokens(name)
    keys = set()
    for i in range(len(parts)):
        keys.add("".join(parts[i:] + parts[:i]))
    if "," in name:  # "Nguyen, Van An" (Canvas's sortable name)
        last, _, first = name.partition(",")
        keys.add(fold(last) + fold(first))
        keys.add(fold(first) + fold(last))
    return {k for k in keys if k}


class Matcher:
    """Match file identities to roster students; ambiguity is never guessed away."""

    def __init__(self, students: list[Student]):
        self.students = students
        self.by: dict[str, dict[str, list[Student]]] = {"canvas": {}, "moodle": {}, "token": {}, "name": {}}
        for s in students:
            if s.canvas_id:
                self.by["canvas"].setdefault(s.canvas_id, []).append(s)
            if s.moodle_id:
                self.by["moodle"].setdefault(s.moodle_id, []).append(s)
            for value in {s.id, s.login, s.email.partition("@")[0] if s.email else "", s.email}:
                if value and fold(value):
                    self.by["token"].setdefault(fold(value), []).append(s)
            for key in name_keys(s.name):
                self.by["name"].setdefault(key, []).append(s)

    def match(self, ident: FileIdentity, path: Path) -> tuple[Student | None, str]:
        """The student, or None and why not."""
        student, why, _ = self.match_how(ident, path)
        return student, why

    def match_how(self, ident: FileIdentity, path: Path) -> tuple[Student | None, str, str]:
        """(student, why not, how) with how = "lms id" (the roster's LMS id: binding), "name" or
        "file name" (weaker: see ``core._settle_claims``), "" when unmatched.

        A file whose name carries an LMS id belongs to that LMS user. When the roster has that id,
        the file is that student's and nobody else's. When it has not, the file is matched by the
        name the LMS wrote, only to a student with no id of that LMS on the roster; whatever the
        student typed into her own file name is never read, so no one can name her file after
        someone else's id."""
        if ident.lms in ("canvas", "moodle") and ident.lms_id:
            hits = self.by[ident.lms].get(ident.lms_id, [])
            if len(hits) == 1:
                return hits[0], "", "lms id"
            if len(hits) > 1:
                names = ", ".join(sorted(s.name or s.id for s in hits))
                return None, f"the roster gives {ident.lms} id {ident.lms_id} to more than one student ({names})", ""
            field_name = f"{ident.lms}_id"
            found = {id(s): s for s in self.by["name"].get(fold(ident.name), []) if not getattr(s, field_name)}
            how = "name"
            if not found:
                why = f"no roster student has {ident.lms} id {ident.lms_id}"
                if any(getattr(s, field_name) for s in self.students):
                    return None, why, ""
                return None, why + " or the name the LMS wrote", ""
        else:
            candidates: list[list[Student]] = []
            file_tokens = set(tokens(path.stem)) | {fold(ident.name)} | set(tokens(ident.name))
            file_tokens.add(fold(path.stem))
            for t in file_tokens:
                hits = self.by["token"].get(t)
                if hits:
                    candidates.append(hits)
            key = fold(ident.name)
            if key in self.by["name"]:
                candidates.append(self.by["name"][key])
            found = {id(s): s for hits in candidates for s in hits}
            how = "file name"
        if len(found) == 1:
            return next(iter(found.values())), "", how
        if len(found) > 1:
            names = ", ".join(sorted(s.name or s.id for s in found.values()))
            return None, f"matches more than one roster student ({names})", ""
        return None, "no roster student matches the file name", ""
