"""Exercises for the notebooks: one call per exercise, answers recorded where they survive.

    from helpers import exercises
    ex = exercises.load_set("01-soft-power")   # the bank course/exercises/01-soft-power.yml
    ex.show("sp-nye-three-resources")          # in its own cell
    ex.progress()                              # answered / total (and right / total in practice)

Modules: `bank` (load and validate banks), `scoring` (pure scoring, also used by grading),
`record` (the answer record in the notebook), `store` (the on-disk store), `widgets` (the views).
Formats: `course/exercises/README.md`.
"""
from __future__ import annotations

import html
import uuid
from pathlib import Path

from .bank import TYPE_LABELS, Exercise, ExerciseSet, load_bank, load_set_bank
from .record import MIME, latest_answers
from .scoring import NoKeyError, Result, check_answer_shape, score
from .store import AnswerStore


def progress_summary(bank: ExerciseSet, answers: dict[str, dict]) -> dict:
    """Counts for the progress line: answered, total, and (practice) right, scorable, points."""
    answered = right = scorable = 0
    points = max_points = 0.0
    for exercise in bank:
        record = answers.get(exercise.id)
        if exercise.type != "text":
            scorable += 1
            max_points += exercise.points
        if record is None or check_answer_shape(exercise, record.get("answer")) is not None:
            continue
        answered += 1
        if bank.mode == "practice" and exercise.type != "text":
            try:
                result = score(exercise, record["answer"])
            except NoKeyError:
                continue
            right += bool(result.correct)
            points += result.points
    return {"answered": answered, "total": len(bank), "right": right, "scorable": scorable,
            "points": round(points, 2), "max_points": round(max_points, 2), "mode": bank.mode}


def progress_text(summary: dict) -> str:
    text = f"Answered {summary['answered']} of {summary['total']}"
    if summary["mode"] == "practice":
        text += f" · right {summary['right']} of {summary['scorable']}"
        if summary["scorable"] < summary["total"]:
            text += " (written answers are scored by your teacher)"
    else:
        text += " · this set is an assessment: your teacher scores it"
    return text + "."


class ExerciseSetView:
    """A loaded exercise set in a notebook: `show(id)` per exercise, `progress()` once."""

    def __init__(self, bank: ExerciseSet, store: AnswerStore | None = None, display=None,
                 notebook_dirs: list[Path] | None = None):
        from .widgets import IPythonDisplay

        self.bank = bank
        self.set = bank.set
        self.mode = bank.mode
        self.store = store or AnswerStore(bank.set)
        self.display = display or IPythonDisplay()
        self.widgets: dict[str, object] = {}
        self._progress_ids: list[str] = []
        self._notebook_dirs = notebook_dirs if notebook_dirs is not None else [Path.cwd(), Path.cwd() / "notebooks"]
        self._from_notebook: dict | None = None

    def __repr__(self) -> str:
        return f"<exercise set {self.set!r}: {len(self.bank)} exercises, {self.mode} mode>"

    def answers(self) -> dict[str, dict]:
        """The latest record per exercise: the store first, then the notebook file itself."""
        out = dict(self._notebook_answers())
        out.update(self.store.load())
        return out

    def _notebook_answers(self) -> dict[str, dict]:
        if self._from_notebook is None:
            self._from_notebook = {}
            for folder in self._notebook_dirs:
                path = Path(folder) / f"{self.set}.ipynb"
                if path.is_file():
                    try:
                        found = latest_answers(path, self.set)
                    except (OSError, ValueError):
                        continue
                    self._from_notebook = {ex_id: r for (_, ex_id), r in found.items()}
                    break
        return self._from_notebook

    def restored_record(self, exercise_id: str) -> dict | None:
        record = self.store.get(exercise_id)
        if record is None:
            record = self._notebook_answers().get(exercise_id)
            if record is not None:
                try:
                    self.store.put(record)
                except (OSError, ValueError):
                    pass
        return record

    def widget(self, exercise_id: str):
        """Build (without displaying) the widget for one exercise, restoring its last answer."""
        from .widgets import ExerciseWidget

        exercise = self.bank[exercise_id]
        return ExerciseWidget(exercise, self.mode, self.store, self.display, on_record=self._recorded,
                              restored=self.restored_record(exercise_id),
                              progress=lambda: "Progress: " + progress_text(self.summary()))

    def show(self, exercise_id: str) -> None:
        """Show one exercise: its prompt, its widget, and its answer record (re-emitted if restored)."""
        widget = self.widget(exercise_id)
        exercise = widget.exercise
        self.widgets[exercise_id] = widget
        points = f"{exercise.points:g} point" + ("" if exercise.points == 1 else "s")
        head = f"**Exercise `{exercise.id}`** · {TYPE_LABELS[exercise.type]} · {points}\n\n{exercise.prompt}"
        self.display.show({"text/markdown": head, "text/plain": f"Exercise {exercise.id}: {exercise.prompt}"},
                          raw=True)
        self.display.show(widget.box)
        widget.emit(widget.last_record, first=True)

    def summary(self) -> dict:
        return progress_summary(self.bank, self.answers())

    def _progress_bundle(self) -> dict:
        text = progress_text(self.summary())
        return {"text/html": f'<div class="vnfr-progress"><strong>Progress:</strong> {html.escape(text)}</div>',
                "text/plain": f"Progress: {text}"}

    def progress(self) -> None:
        """Show answered/total (and right/total in practice mode); it updates as answers are recorded."""
        display_id = f"vnfr-progress-{self.set}-{uuid.uuid4().hex[:8]}"
        self._progress_ids.append(display_id)
        self.display.show(self._progress_bundle(), raw=True, display_id=display_id)

    def _recorded(self, record: dict) -> None:
        if self._progress_ids:
            bundle = self._progress_bundle()
            for display_id in self._progress_ids:
                self.display.update(bundle, display_id)


def load_set(set_id: str, root: Path | str | None = None) -> ExerciseSetView:
    """Load the exercise set `course/exercises/<set_id>.yml` for a notebook."""
    return ExerciseSetView(load_set_bank(set_id, root))


__all__ = ["load_set", "ExerciseSetView", "Exercise", "ExerciseSet", "load_bank", "score",
           "check_answer_shape", "Result", "NoKeyError", "AnswerStore", "MIME", "progress_summary"]
