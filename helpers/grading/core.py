"""Grade a folder of handed-in notebooks: files in, submissions and problems out (no files written)."""
from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from datetime import datetime, timezone
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Callable, Iterable

from . import COURSE
from .extract import MAX_FILE_MB, Extracted, Rejected, extract, special_kind
from .keys import Bank, Scored, check_shape, score
from .roster import FileIdentity, Matcher, Student, identify
from .untrusted import show_path, summarise, visible

CENT = Decimal("0.01")


def points_decimal(value) -> Decimal:
    """Points as a Decimal rounded half-up to 2 places (0.625 -> 0.63), the grader's one rule."""
    return Decimal(repr(float(value))).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass
class Submission:
    path: Path
    rel: str
    ident: FileIdentity
    student_key: str
    student: Student | None
    set: str
    results: dict[str, Scored]
    saved: datetime | None
    mtime: float
    late: bool = False
    late_reason: str = ""
    problems: list[str] = field(default_factory=list)
    counted: bool = True
    superseded_by: str = ""
    matched_by: str = ""  # "lms id", "name", "file name" or "" (see roster.Matcher.match_how)
    conflict: str = ""  # why this file is graded for nobody (two LMS users claim one student)

    @property
    def points(self) -> float:
        """The sum of the exercises' points, each rounded half-up to 2 places, summed exactly."""
        return float(sum((points_decimal(r.points) for r in self.results.values() if r.points), Decimal(0)))

    @property
    def pending(self) -> int:
        return sum(1 for r in self.results.values() if r.answered and r.points is None)

    @property
    def display_name(self) -> str:
        if self.student and self.student.name:
            return visible(self.student.name)
        return show_path(self.ident.name)


@dataclass
class Problem:
    """One line of errors.csv. File and reason are made visible (no control characters) here, so
    nothing a student wrote reaches the screen or a file raw."""

    file: str
    reason: str
    action: str  # "skipped", "graded" (graded with this problem noted), "not matched", "superseded",
    # "conflict", "not in moodle.csv", "canvas column", "output not written", "score not merged"

    def __post_init__(self):
        self.file = visible(self.file, limit=300)
        self.reason = visible(self.reason, limit=600)


@dataclass
class Run:
    root: Path
    banks: dict[str, Bank]
    submissions: list[Submission] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    files_seen: int = 0
    roster: list[Student] | None = None

    @property
    def counted(self) -> list[Submission]:
        return [s for s in self.submissions if s.counted]

    @property
    def skipped(self) -> list[Problem]:
        return [p for p in self.problems if p.action == "skipped"]


def list_files(root: Path) -> tuple[list[Path], list[Problem]]:
    """Every file under root (sorted), and the folders and links that are passed over, with reasons."""
    found: list[Path] = []
    notes: list[Problem] = []
    if root.is_file():
        return [root], notes

    def unreadable(err: OSError) -> None:
        where = Path(err.filename) if err.filename else root
        try:
            rel = where.relative_to(root).as_posix()
        except ValueError:
            rel = where.name
        notes.append(Problem(show_path(rel) + "/", f"folder cannot be read ({err.strerror or err})", "skipped"))

    for dirpath, dirnames, filenames in os.walk(root, followlinks=False, onerror=unreadable):
        here = Path(dirpath)
        dirnames.sort()
        keep = []
        for d in dirnames:
            full = here / d
            rel = show_path(full.relative_to(root).as_posix())
            if d in (".ipynb_checkpoints", "__MACOSX"):
                notes.append(Problem(rel + "/", "checkpoint or archive metadata folder; not read", "skipped"))
            elif full.is_symlink():
                notes.append(Problem(rel + "/", "a symbolic link; not followed", "skipped"))
            else:
                keep.append(d)
        dirnames[:] = keep
        if here != root and not filenames and not keep:
            notes.append(Problem(show_path(here.relative_to(root).as_posix()) + "/", "empty folder", "skipped"))
        for name in sorted(filenames):
            found.append(here / name)
    return found, notes


def _grade_records(bank: Bank, ex: Extracted, set_id: str, problems: list[str]) -> dict[str, Scored]:
    """Score each exercise of the set. Only the recorded ``answer`` (plain JSON) is used: whatever
    else a record claims (``correct``, ``points``) is never read."""
    results: dict[str, Scored] = {}
    unknown = [ex_id for (s, ex_id) in ex.records if s == set_id and ex_id not in bank.exercises]
    if unknown:
        shown = ", ".join(f"'{visible(e, limit=40)}'" for e in unknown[:3]) + (", …" if len(unknown) > 3 else "")
        problems.append(f"unknown exercise id(s) in set {set_id}: {len(unknown)} answer(s) ignored ({shown})")
    for ex_id, exercise in bank.exercises.items():
        max_points = float(exercise.points)
        rec = ex.records.get((set_id, ex_id))
        if rec is None or rec.answer is None:  # no record, or the answer was cleared
            results[ex_id] = Scored(ex_id, answered=False, max_points=max_points, message="not answered")
            continue
        item = Scored(ex_id, answered=True, answer=rec.answer, max_points=max_points)
        results[ex_id] = item
        try:
            wrong = check_shape(exercise, rec.answer)
            result = None if wrong else score(exercise, rec.answer)
        except ImportError:
            raise
        except Exception as err:  # the scorer refused this answer: no credit, and say so
            wrong = f"could not be scored ({type(err).__name__}: {visible(str(err), limit=80)})"
        if wrong:
            item.correct, item.points, item.message = False, 0.0, f"answer not accepted: {wrong}"
            problems.append(f"{ex_id}: answer not accepted ({wrong[:120]}); no credit")
            continue
        if exercise.type == "text" or result.correct is None:
            item.correct, item.points = None, None  # the teacher scores it (freetext.csv)
            item.message = "scored by the teacher against the rubric"
            continue
        pts = result.points if type(result.points) in (int, float) and math.isfinite(result.points) else 0.0
        item.correct = result.correct is True
        item.points = min(max(float(pts), 0.0), max_points)
        item.message = str(result.message or "")
    return results


def grade_folder(
    root: Path | str,
    banks: dict[str, Bank],
    *,
    assignment: str | None = None,
    roster: list[Student] | None = None,
    deadline: datetime | None = None,
    max_mb: float = MAX_FILE_MB,
    progress: bool | None = None,
    echo: Callable[[str], None] | None = None,
    course: str = COURSE,
) -> Run:
    """Grade every file under ``root``. Never raises for a bad file: it becomes a ``Problem``."""
    root = Path(root)
    run = Run(root=root, banks=banks, roster=roster)
    say = echo or (lambda line: None)

    def problem(file: str, reason: str, action: str) -> None:
        p = Problem(file, reason, action)
        run.problems.append(p)
        say(f"{p.file}: {'skipped: ' if action == 'skipped' else ''}{p.reason}")

    files, notes = list_files(root)
    for note in notes:
        problem(note.file, note.reason, note.action)
    if not files:
        problem(root.name + "/", "no files to grade in this folder", "skipped")
        return run
    matcher = Matcher(roster) if roster else None
    set_ids = list(banks)
    bar = _progress(files, progress)
    for path in bar:
        run.files_seen += 1
        rel = show_path(path.relative_to(root).as_posix() if path != root else path.name)
        try:
            _grade_file(run, path, rel, banks, assignment, matcher, deadline, max_mb, course, set_ids, problem)
        except ImportError:
            raise
        except (Exception, RecursionError) as err:  # a file must never stop the run
            run.submissions = [s for s in run.submissions if s.path != path]
            problem(rel, f"could not be graded ({type(err).__name__}: {str(err)[:100]})", "skipped")
    if matcher is not None:
        _settle_claims(run, problem)
    _keep_latest(run, problem)
    return run


def _progress(files: list[Path], progress: bool | None) -> Iterable[Path]:
    if progress is False:
        return files
    from tqdm import tqdm

    return tqdm(files, unit="file", desc="grading", disable=None if progress is None else not progress,
                leave=False)


def _grade_file(run, path, rel, banks, assignment, matcher, deadline, max_mb, course, set_ids, problem):
    try:
        kind = special_kind(os.lstat(path).st_mode)
    except OSError as err:
        problem(rel, f"cannot read the file ({err.strerror or err})", "skipped")
        return
    if kind:
        problem(rel, kind, "skipped")
        return
    if path.name.startswith("."):
        problem(rel, "a hidden file; not read", "skipped")
        return
    if path.suffix.lower() != ".ipynb":
        what = f"a {show_path(path.suffix)[:20]} file" if path.suffix else "a file without extension"
        problem(rel, f"not a notebook ({what})", "skipped")
        return
    try:
        ex = extract(path, max_mb=max_mb, course=course)
    except Rejected as err:
        problem(rel, str(err), "skipped")
        return
    sets = ex.sets
    if not sets:
        if ex.other_courses:
            courses = sorted(ex.other_courses)
            shown = ", ".join(courses[:3]) + (f" and {len(courses) - 3} more" if len(courses) > 3 else "")
            problem(rel, f"a notebook of another course ({shown})", "skipped")
        else:
            extra = f" ({'; '.join(summarise(ex.problems, max_lines=3))})" if ex.problems else ""
            problem(rel, "no answers recorded (was it saved after answering?)" + extra, "skipped")
        return
    if assignment:
        if assignment not in sets:
            problem(rel, f"another assignment (set {', '.join(sets)}; grading {assignment})", "skipped")
            return
        sets = [assignment]
    unknown = [s for s in sets if s not in banks]
    if unknown:
        shown = ", ".join(f"'{visible(u, limit=60)}'" for u in unknown[:3]) + (", …" if len(unknown) > 3 else "")
        what = f"set {shown} is" if len(unknown) == 1 else f"{len(unknown)} sets ({shown}) are"
        problem(rel, f"{what} not in the exercise bank; {'its' if len(unknown) == 1 else 'their'} answers are "
                     "not graded", "skipped" if len(unknown) == len(sets) else "graded")
    sets = [s for s in sets if s in banks]
    if not sets:
        return
    ident = identify(path, run.root, set_ids)
    student, how = None, ""
    if matcher is not None:
        student, why, how = matcher.match_how(ident, path)
        if student is None:
            problem(rel, f"not matched to the roster: {why}; graded under {ident.key}", "not matched")
    key = student.id if student else ident.key
    try:
        mtime = path.stat().st_mtime
    except OSError:
        mtime = 0.0
    for set_id in sets:
        notes: list[str] = list(ex.problems)
        results = _grade_records(banks[set_id], ex, set_id, notes)
        sub = Submission(path=path, rel=rel, ident=ident, student_key=key, student=student, set=set_id,
                         results=results, saved=ex.last_saved(set_id), mtime=mtime, problems=notes,
                         matched_by=how)
        if ident.late_marker:
            sub.late, sub.late_reason = True, "Canvas marked the submission LATE"
        elif deadline is not None and sub.saved is not None and sub.saved > deadline:
            sub.late = True
            sub.late_reason = f"last answer saved {sub.saved.astimezone(timezone.utc):%Y-%m-%d %H:%M} UTC, after the deadline"
        for note in summarise(notes):
            problem(rel, note, "graded")
        run.submissions.append(sub)


def _claim(sub: Submission) -> str:
    """Who claims to have written a file: its LMS user, or the file's own name when it has none."""
    return sub.ident.key


def _settle_claims(run: Run, problem) -> None:
    """The identity rule (course/grading.md, "Who handed in what"). A file whose name carries an
    LMS id belongs to that LMS user. A roster student claimed by files of two or more different
    authors, at least one of them an LMS user, is a conflict: when one claim is the roster's own
    LMS id, that one stands and the other files count for nobody; otherwise every claiming file
    counts for nobody. Conflicting files are still scored and listed, for the teacher to decide."""
    by_student: dict[str, list[Submission]] = {}
    for sub in run.submissions:
        if sub.student is not None:
            by_student.setdefault(sub.student.id, []).append(sub)
    for sid, subs in by_student.items():
        claims = {_claim(s) for s in subs}
        if len(claims) < 2 or not any(s.ident.lms and s.ident.lms_id for s in subs):
            continue
        bound = {_claim(s) for s in subs if s.matched_by == "lms id"}
        who = ", ".join(sorted(claims))
        for sub in subs:
            if _claim(sub) in bound:
                continue
            sub.counted = False
            sub.conflict = (f"roster student {sid} is claimed by {len(claims)} different authors ({who}); "
                            "counted for nobody until you decide (add the LMS id to the roster, or rename the file)")
            sub.student_key = _claim(sub)
            problem(sub.rel, sub.conflict, "conflict")


def _order_key(sub: Submission):
    saved = sub.saved.timestamp() if sub.saved else float("-inf")
    return (saved, sub.ident.resubmission, sub.mtime, sub.rel)


def _keep_latest(run: Run, problem) -> None:
    """The latest submission per student and set counts; earlier ones are listed as superseded."""
    groups: dict[tuple[str, str], list[Submission]] = {}
    for sub in run.submissions:
        if not sub.conflict:
            groups.setdefault((sub.student_key, sub.set), []).append(sub)
    for subs in groups.values():
        if len(subs) < 2:
            continue
        subs.sort(key=_order_key)
        latest = subs[-1]
        for sub in subs[:-1]:
            sub.counted = False
            sub.superseded_by = latest.rel
            problem(sub.rel, f"earlier submission of {sub.set} by {sub.student_key}; {latest.rel} counts instead",
                    "superseded")


def parse_deadline(text: str) -> datetime:
    """An ISO deadline; one without a time zone is taken in this computer's local time."""
    try:
        when = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
        if when.tzinfo is None:
            when = when.astimezone()  # local time
        when.astimezone(timezone.utc)
    except OverflowError:
        raise ValueError(f"{text!r} is out of range") from None
    return when
