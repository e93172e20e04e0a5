"""The reteach report: points lost per cited paragraph and per outcome, and each student's weakest outcome."""
from __future__ import annotations

import csv
import json
import re

import pytest

from helpers.grading import synthetic
from helpers.grading.cli import main
from helpers.grading.reteach import first_words, paragraphs_of
from helpers.core.readings import load_readings

S1 = "01-soft-power"
RIGHT = {f"x01-{t}": v for t, v in synthetic.RIGHT.items()}


def test_a_cited_range_counts_for_each_paragraph():
    assert paragraphs_of("quy2024 ¶15–17") == [("quy2024", 15), ("quy2024", 16), ("quy2024", 17)]
    assert paragraphs_of("yu2022 ¶2") == [("yu2022", 2)]
    assert paragraphs_of("not a citation") == []
    assert first_words("one two three four", 2) == "one two …"


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("reteach")
    bank = synthetic.bank_dict(S1)
    bank["outcomes"] = [{"id": "SP-1", "text": "Name Nye's three resources of soft power."}]
    for ex in bank["exercises"]:
        if ex["type"] == "multiple":
            ex["outcome"] = "SP-2"
    import yaml

    (tmp / "bank").mkdir()
    (tmp / "bank" / f"{S1}.yml").write_text(yaml.safe_dump(bank, allow_unicode=True), encoding="utf-8")
    # An: all right. Binh: the single-choice and the evidence exercise wrong (both cite quy2024 ¶3).
    synthetic.answer_notebook(tmp / "subs" / f"an_101_1_{S1}.ipynb", S1, RIGHT)
    synthetic.answer_notebook(tmp / "subs" / f"binh_102_2_{S1}.ipynb", S1,
                              {**RIGHT, "x01-single": "b", "x01-evidence": 2})
    out = tmp / "out"
    assert main([str(tmp / "subs"), "--out", str(out), "--bank", str(tmp / "bank"), "--quiet"]) == 0
    with open(out / "reteach.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return out, rows


def test_paragraph_lines_share_of_points_lost_most_first(graded):
    _, rows = graded
    paras = [r for r in rows if r["kind"] == "paragraph"]
    top = paras[0]
    # quy2024 ¶3 is cited by x01-single and x01-evidence: 2 points per student, 4 at stake, 2 lost.
    assert (top["id"], top["lost %"], top["points lost"], top["points at stake"]) == ("quy2024 ¶3", "50", "2", "4")
    assert top["exercises"] == "x01-single x01-evidence"
    text = load_readings()["quy2024"].paragraph(3).text
    assert top["passage (first words) or outcome"] == first_words(text)
    assert top["passage (first words) or outcome"].split()[0] in text
    assert all(float(r["lost %"]) == 0 for r in paras[1:])
    # the short-text exercise (quy2024 ¶2) is not scored yet, so it is left out
    assert "quy2024 ¶2" not in {r["id"] for r in paras}


def test_outcome_lines(graded):
    _, rows = graded
    outs = {r["id"]: r for r in rows if r["kind"] == "outcome"}
    assert outs["SP-1"]["lost %"] == "50" and outs["SP-1"]["points at stake"] == "2"
    assert outs["SP-1"]["passage (first words) or outcome"] == "Name Nye's three resources of soft power."
    assert outs["SP-2"]["lost %"] == "0"
    kinds = [r["kind"] for r in rows]
    assert kinds == sorted(kinds, key=lambda k: k != "paragraph")  # paragraphs, then outcomes


def test_page_has_an_offline_chart_and_every_figure(graded):
    out, _ = graded
    page = (out / "reteach.html").read_text(encoding="utf-8")
    assert "vegaEmbed" in page and len(page) > 500_000  # the libraries are inside the page
    assert not re.search(r"<script[^>]+src=", page)
    charts = json.loads(re.search(r"const charts = (.*);\n", page).group(1))
    assert set(charts) == {"chart-paragraph", "chart-outcome"}
    bars = {v["what"]: v["lost"] for v in charts["chart-paragraph"]["data"]["values"]}
    assert bars["quy2024 ¶3"] == 50.0 and charts["chart-outcome"]["data"]["values"][0] == {
        "what": "SP-1", "lost": 50.0, "detail": "Name Nye's three resources of soft power."}
    assert "quy2024 ¶3" in page and "50.0 %" in page  # the table under the chart


def test_feedback_names_the_weakest_outcome(graded):
    out, _ = graded
    binh = next(p for p in (out / "feedback").glob("*.html") if p.name == "canvas-102.html").read_text(encoding="utf-8")
    assert "Your weakest outcome: SP-1" in binh and "0 of 1 points (0 %)" in binh and "[quy2024 ¶3]" in binh
    an = next(p for p in (out / "feedback").glob("*.html") if p.name == "canvas-101.html").read_text(encoding="utf-8")
    assert "weakest outcome" not in an


def test_chart_pages_use_the_vega_lite_version_altair_writes():
    import altair

    from helpers.grading.pages import VL_VERSION

    assert altair.SCHEMA_VERSION.lstrip("v").startswith(VL_VERSION + ".")
