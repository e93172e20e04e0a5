"""The review log answers every finding of the external review (issue: 'every finding id appears').

The ids are checked against `course/review-ids.txt`, kept in the repository so the check runs on any
clone, and, where the reports themselves are at hand (`../shared/reviews/*.md`), against the reports,
which must then agree with the stored list."""
from __future__ import annotations

import re
from pathlib import Path

from helpers import ROOT

LOG = ROOT / "course" / "review-log.md"
IDS = ROOT / "course" / "review-ids.txt"
REPORTS = ROOT.parent / "shared" / "reviews"
ID = r"(?:SP|DI|DC)-[ABCD]\d{1,2}"
OUTCOMES = ("fixed", "rejected", "left")


def stored_ids() -> set[str]:
    lines = IDS.read_text(encoding="utf-8").splitlines()
    ids = {ln.strip() for ln in lines if ln.strip() and not ln.startswith("#")}
    assert all(re.fullmatch(ID, i) for i in ids), sorted(i for i in ids if not re.fullmatch(ID, i))
    return ids


def report_ids() -> set[str]:
    ids: set[str] = set()
    for path in sorted(REPORTS.glob("*.md")):
        ids |= set(re.findall(rf"\b({ID})\b", path.read_text(encoding="utf-8")))
    return ids


def log_rows() -> dict[str, list[str]]:
    rows = {}
    for line in LOG.read_text(encoding="utf-8").splitlines():
        m = re.match(rf"^\| ({ID}) \|", line)
        if m:
            assert m.group(1) not in rows, f"{m.group(1)} has two rows"
            rows[m.group(1)] = [c.strip() for c in line.strip().strip("|").split("|")]
    return rows


def unanswered(ids: set[str], log: str) -> list[str]:
    return sorted(i for i in ids if not re.search(rf"^\| {re.escape(i)} \|", log, re.M))


def test_the_stored_list_holds_the_three_reports_findings():
    ids = stored_ids()
    # 21 factual errors (A), 28 mis-citations (B), 47 ambiguous items (C), 37 teaching gaps (D): issue 10
    by_kind = {k: sum(1 for i in ids if i.split("-")[1][0] == k) for k in "ABCD"}
    assert by_kind == {"A": 21, "B": 28, "C": 47, "D": 37}


def test_every_stored_finding_id_has_a_row_in_the_review_log():
    log = LOG.read_text(encoding="utf-8")
    assert unanswered(stored_ids(), log) == []


def test_every_finding_id_in_the_reports_is_stored_and_answered():
    """Runs wherever the reports are; elsewhere it checks the stored list, which the test above answers."""
    ids = report_ids() if any(REPORTS.glob("*.md")) else stored_ids()
    assert ids, "no finding ids found"
    assert ids <= stored_ids(), f"not in course/review-ids.txt: {sorted(ids - stored_ids())}"
    assert unanswered(ids, LOG.read_text(encoding="utf-8")) == []


def test_the_check_finds_a_missing_row():
    log = LOG.read_text(encoding="utf-8")
    without = re.sub(r"^\| SP-A2 \|.*\n", "", log, flags=re.M)
    assert unanswered(stored_ids(), without) == ["SP-A2"]


def test_every_row_has_an_outcome_a_change_and_a_source_column():
    rows = log_rows()
    assert set(rows) == stored_ids(), sorted(set(rows) ^ stored_ids())
    for fid, cells in rows.items():
        assert len(cells) == 4, fid
        assert cells[1].split(" ")[0] in OUTCOMES, (fid, cells[1])
        assert cells[2] and cells[3], fid


def test_no_row_still_waits_for_work_that_has_landed():
    waiting = re.compile(r"not yet on main|when it lands|data-model branch|being changed by the data-model", re.I)
    stale = [fid for fid, cells in log_rows().items() if waiting.search(" ".join(cells))]
    assert stale == []
