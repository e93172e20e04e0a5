"""A synthetic course and synthetic handed-in notebooks, for the grading tests and benchmark.

``write_bank(folder, set_id)`` writes an exercise bank with one exercise of every type;
``answer_notebook(path, set_id, answers)`` writes a notebook, with nbformat, whose exercise cells
carry answer records exactly as the widgets write them. Nothing here is used when grading.
"""
from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import yaml

from . import COURSE, MIME

SIX_SETS = ["01-soft-power", "02-new-diplomacy", "03-integration", "04-deepening", "05-partners", "06-review"]


def bank_dict(set_id: str, mode: str = "practice") -> dict:
    p = set_id.split("-")[0]
    return {
        "set": set_id,
        "title": f"Exercises {set_id}",
        "mode": mode,
        "exercises": [
            {"id": f"x{p}-single", "type": "single", "prompt": "Which of Nye's resources is culture?",
             "options": [{"id": "a", "text": "Soft power resource"}, {"id": "b", "text": "Hard power"},
                         {"id": "c", "text": "Neither"}],
             "answer": "a", "explanation": "Culture is one of the three resources [quy2024 ¶3].",
             "cites": ["quy2024 ¶3"], "points": 1, "outcome": "SP-1"},
            {"id": f"x{p}-multiple", "type": "multiple", "prompt": "Select all the resources of soft power.",
             "options": [{"id": "culture", "text": "Culture"}, {"id": "values", "text": "Political values"},
                         {"id": "army", "text": "An army"}, {"id": "policy", "text": "Foreign policy"}],
             "answer": ["culture", "values", "policy"], "explanation": "Nye names three [quy2024 ¶4].",
             "cites": ["quy2024 ¶4"], "points": 2},
            {"id": f"x{p}-classify", "type": "classify", "prompt": "Sort each source.",
             "items": [{"id": "pho", "text": "Pho"}, {"id": "doi-moi", "text": "Doi Moi"},
                       {"id": "asean", "text": "ASEAN chair"}],
             "categories": ["culture", "values", "policy"],
             "answer": {"pho": "culture", "doi-moi": "values", "asean": "policy"},
             "explanation": "See the reading [quy2024 ¶5].", "cites": ["quy2024 ¶5"], "points": 3},
            {"id": f"x{p}-order", "type": "order", "prompt": "Put these in time order.",
             "items": [{"id": "1986", "text": "Doi Moi"}, {"id": "1995", "text": "ASEAN"},
                       {"id": "2007", "text": "WTO"}],
             "answer": ["1986", "1995", "2007"], "explanation": "Dates [hien2018 ¶2].",
             "cites": ["hien2018 ¶2"], "points": 1},
            {"id": f"x{p}-numeric", "type": "numeric", "prompt": "How many partners?", "answer": 30,
             "tolerance": 0.5, "explanation": "Thirty [hien2018 ¶6].", "cites": ["hien2018 ¶6"], "points": 1},
            {"id": f"x{p}-text", "type": "text", "prompt": "In two sentences, what is soft power?",
             "rubric": ["Names attraction rather than coercion", "Cites a reading"],
             "model_answer": "The ability to attract [quy2024 ¶2].", "explanation": "Compare with Nye [quy2024 ¶2].",
             "cites": ["quy2024 ¶2"], "points": 2},
            {"id": f"x{p}-grid", "type": "grid", "prompt": "Place each relation on the grid.",
             "items": [{"id": "us", "text": "United States"}, {"id": "cn", "text": "China"}],
             "columns": {"label": "confidence", "values": ["low", "high"]},
             "rows": {"label": "cooperation", "values": ["low", "high"]},
             "answer": {"us": ["high", "high"], "cn": ["low", "high"]},
             "explanation": "See the table [quytung2009 ¶10].", "cites": ["quytung2009 ¶10"], "points": 2},
            {"id": f"x{p}-evidence", "type": "evidence", "prompt": "Which paragraph supports the claim?",
             "reading": "quy2024", "claim": "Culture is a resource.", "choices": [2, 3, 4, 5], "answer": 3,
             "explanation": "Paragraph 3 [quy2024 ¶3].", "cites": ["quy2024 ¶3"], "points": 1},
        ],
    }


RIGHT = {
    "single": "a", "multiple": ["culture", "values", "policy"],
    "classify": {"pho": "culture", "doi-moi": "values", "asean": "policy"},
    "order": ["1986", "1995", "2007"], "numeric": 30, "text": "Soft power is attraction, not force [quy2024 ¶2].",
    "grid": {"us": ["high", "high"], "cn": ["low", "high"]}, "evidence": 3,
}
WRONG = {
    "single": ["b", "c"], "multiple": [["culture", "army"], ["army"]],
    "classify": [{"pho": "values", "doi-moi": "values", "asean": "policy"}],
    "order": [["1995", "1986", "2007"], ["2007", "1995", "1986"]], "numeric": [12, 31.2],
    "text": ["Power.", "Soft power means an army that is kind."],
    "grid": [{"us": ["low", "low"], "cn": ["low", "high"]}], "evidence": [2, 5],
}


def write_bank(folder: Path | str, set_id: str, mode: str = "practice") -> Path:
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{set_id}.yml"
    path.write_text(yaml.safe_dump(bank_dict(set_id, mode), allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def record(set_id: str, exercise: str, etype: str, answer: Any, saved: str = "2025-03-01T10:00:00Z", **extra) -> dict:
    rec = {"schema": 1, "course": COURSE, "set": set_id, "exercise": exercise, "type": etype,
           "answer": answer, "saved": saved}
    rec.update(extra)
    return rec


def answers_for(set_id: str, ability: float, rng: random.Random) -> dict[str, Any]:
    """A plausible student's answers: right with probability ``ability``."""
    p = set_id.split("-")[0]
    out = {}
    for etype, right in RIGHT.items():
        if rng.random() < 0.05:
            continue  # left unanswered
        out[f"x{p}-{etype}"] = right if rng.random() < ability else rng.choice(WRONG[etype])
    return out


def answer_notebook(path: Path | str, set_id: str, answers: dict[str, Any], *, saved: str = "2025-03-01T10:00:00Z",
                    filler: int = 0, extra_cells: list | None = None, records: list[dict] | None = None,
                    as_string: bool = False) -> Path:
    """A handed-in notebook: markdown, a setup cell, one exercise cell per answer (with its record
    as a display output beside text/plain), ``filler`` chart-like outputs of about 20 kB each."""
    import json

    import nbformat
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

    cells = [new_markdown_cell(f"# {set_id}\n\nRead the passage and answer the exercises."),
             new_code_cell("import helpers\nhelpers.setup()", execution_count=1)]
    recs = list(records or [])
    for ex_id, answer in answers.items():
        etype = ex_id.split("-", 1)[1] if "-" in ex_id else "single"
        recs.append(record(set_id, ex_id, etype, answer, saved))
    for i, rec in enumerate(recs):
        data = {MIME: json.dumps(rec) if as_string else rec,
                "text/plain": f"Answer recorded: {rec.get('exercise')}"}
        out = new_output("display_data", data=data, metadata={})
        cells.append(new_markdown_cell(f"### Exercise {i + 1}\n\n" + "Some context from the reading. " * 20))
        cells.append(new_code_cell(f"show_exercise({rec.get('exercise')!r})", outputs=[out], execution_count=i + 2))
    svg = "<svg xmlns='http://www.w3.org/2000/svg'>" + "<rect x='1' y='2' width='3' height='4'/>" * 450 + "</svg>"
    for i in range(filler):
        out = new_output("display_data", data={"image/svg+xml": svg, "text/plain": "<chart>"}, metadata={})
        cells.append(new_code_cell(f"chart_{i}()", outputs=[out], execution_count=100 + i))
    cells.extend(extra_cells or [])
    nb = new_notebook(cells=cells, metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                            "language": "python"}})
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(path))
    return path
