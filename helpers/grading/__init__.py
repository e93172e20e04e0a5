"""Grading handed-in notebooks without running them.

A handed-in ``.ipynb`` is read as JSON; the answer records the exercise widgets wrote into cell
outputs (MIME type ``application/vnd.vnfr.answer+json``) are scored against the instructor's key by
``helpers.exercises.scoring``. Nothing in a submission is executed, imported or unpickled.

Modules: ``extract`` (records from one file), ``keys`` (the exercise banks and the scorer),
``roster`` (who handed in what), ``gradebook`` (gradebook, Canvas and Moodle CSVs), ``feedback``
(HTML per student), ``freetext`` (short-text answers out to a CSV and scores back in), ``items``
(item analysis), ``cli`` (``python -m helpers grade``).
"""
from __future__ import annotations

from ..exercises.record import COURSE, MIME  # the record format is defined once, with the widgets

__all__ = ["COURSE", "MIME"]
