"""``python -m helpers grade SUBMISSIONS --out DIR``: grade a folder of handed-in notebooks.

No submission is ever run: each notebook is read as JSON and its recorded answers are scored
against the exercise bank. See course/grading.md for a walkthrough.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .extract import MAX_FILE_MB


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m helpers grade",
        description="Grade a folder of handed-in notebooks (never runs them): gradebook, Canvas and "
                    "Moodle import files, feedback pages, short-text export, item analysis.",
    )
    p.add_argument("submissions", type=Path, help="folder of handed-in .ipynb files (as downloaded from the LMS)")
    p.add_argument("--out", type=Path, required=True, help="folder for the results (created if missing)")
    p.add_argument("--roster", type=Path, help="CSV of students: id, name, email (optional columns: login, canvas_id, section)")
    p.add_argument("--deadline", help="ISO date-time, e.g. 2025-03-14T23:59+07:00 (no zone: this computer's local time)")
    p.add_argument("--feedback", action="store_true", help="also write feedback pages for sets in assessment mode")
    p.add_argument("--scores", type=Path, help="freetext.csv with the teacher's scores filled in, to merge")
    p.add_argument("--assignment", metavar="SET", help="grade only this set (e.g. 01-soft-power); other notebooks are skipped")
    p.add_argument("--bank", type=Path, help="folder of exercise banks (default: course/exercises)")
    p.add_argument("--max-mb", type=float, default=MAX_FILE_MB, help=f"refuse files larger than this (default {MAX_FILE_MB:g})")
    p.add_argument("--no-chart", action="store_true", help="skip the charts (items.html; reteach.html is written without its charts)")
    p.add_argument("--assess", nargs="+", default=[], metavar="SET",
                   help="sets the students' edition had in assessment mode (release --assess): "
                        "treated as assessment sets here too (feedback pages only with --feedback)")
    p.add_argument("--compare", type=Path, metavar="OLD_GRADES_DIR",
                   help="an earlier --out folder: list every exercise whose score changed since (changes.csv)")
    p.add_argument("--quiet", action="store_true", help="no progress bar and no line per problem (the summary is still printed)")
    p.add_argument("--canvas-assignment", action="append", default=[], metavar="SET=ID",
                   help="the Canvas assignment id of a set, so canvas.csv fills that assignment "
                        "(column 'Title (ID)'); repeat per set")
    p.add_argument("--moodle-user-field", choices=["email", "idnumber", "username"], default="email",
                   help="the field moodle.csv identifies students by (map it under 'Identify user by'; "
                        "default email)")
    return p


def _canvas_ids(values: list[str], banks) -> dict[str, str]:
    ids = {}
    for value in values:
        set_id, sep, number = value.partition("=")
        set_id, number = set_id.strip(), number.strip()
        if not sep or not number.isascii() or not number.isdigit():
            raise ValueError(f"--canvas-assignment {value!r}: give SET=ID, e.g. 01-soft-power=123456")
        if set_id not in banks:
            raise ValueError(f"--canvas-assignment {value!r}: no set {set_id!r} (sets: {', '.join(banks)})")
        ids[set_id] = number
    return ids


def _staged(out: Path, write):
    """Run ``write(folder)`` on a fresh folder inside ``out``, then move each file it wrote to the
    same place under ``out`` (a rename each): if ``write`` fails, nothing of it reaches ``out``.
    Returns what ``write`` returned, with its paths moved under ``out``."""
    import shutil
    import tempfile

    stage = Path(tempfile.mkdtemp(prefix=".staging-", dir=out))
    try:
        result = write(stage)
        moved = {}
        for path in sorted(p for p in stage.rglob("*") if p.is_file()):
            target = out / path.relative_to(stage)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(path, target)
            moved[path] = target
        if result is None:
            return None
        if isinstance(result, list):
            return [moved.get(Path(p), p) for p in result]
        return moved.get(Path(result), result)
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def _output(run, name: str, write, echo):
    """Write one output; if it fails, it is not there (never half-written) and the run goes on."""
    from .core import Problem

    try:
        return write()
    except Exception as err:  # an output must never stop the others
        p = Problem(name, f"not written ({type(err).__name__}: {str(err)[:150]})", "output not written")
        run.problems.append(p)
        echo(f"{p.file}: {p.reason}")
        return None


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    from .core import grade_folder, parse_deadline
    from .keys import load_banks

    out: Path = args.out
    if not args.submissions.exists():
        print(f"grade: {args.submissions} does not exist", file=sys.stderr)
        return 2
    from .keys import BankError

    try:
        banks = load_banks(args.bank)
    except BankError as err:
        print(f"grade: {err}", file=sys.stderr)
        return 2
    if not banks:
        print(f"grade: no exercise banks found in {args.bank or 'course/exercises'}", file=sys.stderr)
        return 2
    unknown = [s for arg in args.assess for s in arg.split() if s not in banks]
    if unknown:
        print(f"grade: --assess {' '.join(unknown)}: no such set (sets: {', '.join(banks)})", file=sys.stderr)
        return 2
    for set_id in (s for arg in args.assess for s in arg.split()):
        banks[set_id].mode = "assessment"
    if args.assignment and args.assignment not in banks:
        print(f"grade: --assignment {args.assignment}: no such set (sets: {', '.join(banks)})", file=sys.stderr)
        return 2
    deadline = None
    if args.deadline:
        try:
            deadline = parse_deadline(args.deadline)
        except (ValueError, OverflowError):
            print(f"grade: --deadline {args.deadline!r} is not an ISO date-time (e.g. 2025-03-14T23:59+07:00)",
                  file=sys.stderr)
            return 2
    roster = None
    if args.roster:
        from .roster import RosterError, load_roster

        try:
            roster = load_roster(args.roster)
        except RosterError as err:
            print(f"grade: {err}", file=sys.stderr)
            return 2

    earlier = None
    if args.compare:  # read before anything is written: --out may be the same folder
        from .compare import CompareError, read_gradebook

        try:
            earlier = read_gradebook(args.compare / "gradebook.csv")
        except CompareError as err:
            print(f"grade: --compare: {err}", file=sys.stderr)
            return 2

    try:
        canvas_ids = _canvas_ids(args.canvas_assignment, banks)
    except ValueError as err:
        print(f"grade: {err}", file=sys.stderr)
        return 2

    echo = _echo(args.quiet)
    run = grade_folder(args.submissions, banks, assignment=args.assignment, roster=roster, deadline=deadline,
                       max_mb=args.max_mb, progress=False if args.quiet else None, echo=echo)

    from . import feedback, freetext, gradebook, items, reteach
    from .core import Problem

    if args.scores:
        for line in freetext.merge_scores(run, args.scores):
            run.problems.append(Problem(args.scores.name, line, "score not merged"))
            echo(line)

    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        print(f"grade: cannot create {out} ({err.strerror or err})", file=sys.stderr)
        return 2
    rows = gradebook.students(run)
    written = []
    for name, write in [
        ("gradebook.csv", lambda: gradebook.write_gradebook(run, out, rows)),
        ("canvas.csv", lambda: gradebook.write_canvas(run, out, rows, canvas_ids)),
        ("moodle.csv", lambda: gradebook.write_moodle(run, out, rows, args.moodle_user_field)),
        ("submissions.csv", lambda: gradebook.write_submissions(run, out)),
        ("freetext.csv", lambda: freetext.write_freetext(run, out)),
    ]:
        path = _output(run, name, write, echo)
        if path:
            written.append(path)
    analysis, set_stats = _output(run, "items.csv", lambda: items.analyse_run(run), echo) or ([], [])
    for name, write in [("items.csv", lambda: items.write_items_csv(analysis, out)),
                        ("sets.csv", lambda: items.write_sets_csv(set_stats, out))]:
        path = _output(run, name, write, echo)
        if path:
            written.append(path)
    if not args.no_chart:
        chart = _output(run, "items.html", lambda: _staged(out, lambda d: items.write_items_chart(analysis, d)), echo)
        if chart:
            written.append(chart)
    lines = _output(run, "reteach.csv", lambda: reteach.reteach(run), echo) or []
    for name, write in [("reteach.csv", lambda: reteach.write_reteach_csv(lines, out)),
                        ("reteach.html", lambda: _staged(out, lambda d: reteach.write_reteach_page(
                            lines, run, d, chart=not args.no_chart)))]:
        path = _output(run, name, write, echo)
        if path:
            written.append(path)
    changed = None
    if earlier is not None:
        from .compare import compare, write_changes

        changed = _output(run, "changes.csv", lambda: compare(earlier, out / "gradebook.csv"), echo)
        path = _output(run, "changes.csv", lambda: write_changes(changed, out), echo) if changed is not None else None
        if path:
            written.append(path)
    pages = _output(run, "feedback/", lambda: _staged(
        out, lambda d: feedback.write_feedback(run, d, assessment_too=args.feedback)), echo) or []
    path = _output(run, "errors.csv", lambda: gradebook.write_errors(run, out), echo)
    if path:
        written.append(path)

    _summary(run, rows, out, written, pages, analysis)
    if changed is not None:
        from .compare import summary

        print("\n".join(summary(changed)))
    return 0


def _echo(quiet: bool):
    if quiet:
        return lambda line: None
    from tqdm import tqdm

    return lambda line: tqdm.write(line, file=sys.stdout)


def _summary(run, rows, out, written, pages, analysis) -> None:
    """The end-of-run summary. Everything from a submission in it is already made visible (file
    names, reasons, names), and each list is cut to a few lines."""
    from .untrusted import visible

    counted = run.counted
    skipped = run.skipped
    superseded = [s for s in run.submissions if not s.counted and not s.conflict]
    conflicts = [s for s in run.submissions if s.conflict]
    late = [s for s in counted if s.late]
    unmatched = [p for p in run.problems if p.action == "not matched"]
    left_out = [p for p in run.problems if p.action == "not in moodle.csv"]
    unwritten = [p for p in run.problems if p.action == "output not written"]

    def listing(lines: list[str], limit: int = 20) -> None:
        for line in lines[:limit]:
            print(f"  {line}")
        if len(lines) > limit:
            print(f"  … and {len(lines) - limit} more (see errors.csv)")

    print()
    print(f"Graded {len(counted)} submission(s) of {len({s.student_key for s in counted})} student(s) "
          f"from {run.files_seen} file(s).")
    print(f"Skipped {len(skipped)} file(s)" + (":" if skipped else "."))
    listing([f"{p.file}: {p.reason}" for p in skipped])
    print(f"Late: {len(late)}" + (":" if late else "."))
    listing([f"{s.rel} ({visible(s.student_key)}, {s.set}): {s.late_reason}" for s in late])
    if conflicts:
        print(f"Conflicts, counted for nobody until you decide: {len(conflicts)}:")
        listing([f"{s.rel}: {s.conflict}" for s in conflicts])
    if superseded:
        print(f"Earlier submissions not counted: {len(superseded)} (listed in submissions.csv).")
    if unmatched:
        print(f"Files not matched to the roster: {len(unmatched)} (listed in errors.csv).")
    if left_out:
        print(f"Left out of moodle.csv (Moodle could not match them): {len(left_out)} (listed in errors.csv).")
    if run.roster:
        missing = [r for r in rows if not r.by_set and not r.files]
        if missing:
            print(f"Roster students with no submission: {len(missing)}: "
                  + ", ".join(visible(r.name or r.key) for r in missing[:10]) + (" …" if len(missing) > 10 else ""))
    pending = sum(s.pending for s in counted)
    if pending:
        print(f"Short-text answers to score: {pending} (fill in {out / 'freetext.csv'}, then run again with --scores).")
    flagged = [it for it in analysis if it.flags]
    if flagged:
        print(f"Items to look at: {len(flagged)} (first in items.csv).")
    if unwritten:
        print(f"Outputs NOT written: {len(unwritten)}:")
        listing([f"{p.file}: {p.reason}" for p in unwritten])
    quiet = ("skipped", "superseded", "not matched", "conflict", "not in moodle.csv", "output not written")
    other = [p for p in run.problems if p.action not in quiet]
    if other:
        print(f"Other problems noted: {len(other)} (see errors.csv).")
    print(f"Wrote {', '.join(p.name for p in written)}" + (f" and {len(pages)} feedback page(s)" if pages else "")
          + f" in {out}.")
