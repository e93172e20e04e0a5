"""Notebook 04 (deepening relations): its data helpers, charts, scorecard logic and widget."""
from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

import helpers
from helpers import deepening as dp
from helpers import readings


# --------------------------------------------------------------------------- the scorecard

@pytest.mark.parametrize("scores, cell, label", [
    ((4, 4, 4, 1), 1, "Good friend/reliable partner"),
    ((3, 2, 0, 3), 2, "Bad friend/temporary partner"),
    ((1, 1, 2, 2), 3, "Good partner/potential friend"),
    ((0, 0, 0, 4), 4, "Bad partner/enemy"),
])
def test_each_corner_of_the_table_is_reachable_with_the_readings_words(scores, cell, label):
    card = dp.scorecard(*scores)
    assert (card.cell, card.cell_label) == (cell, label)
    assert dp.TABLE[(card.confidence, card.cooperation)] == (cell, label)


def test_only_strong_conditions_with_degree_one_make_a_relation_in_depth():
    assert dp.scorecard(3, 3, 3, 1).depth == "a relation in depth"
    weak_identity = dp.scorecard(4, 4, 2, 1)
    assert weak_identity.cell == 1 and weak_identity.depth == "on the way to depth"
    assert "still weak on identity." in weak_identity.verdict


def test_degree_one_needs_binding_institutions():
    card = dp.scorecard(4, 2, 4, 1)
    assert card.degree == 2 and card.confidence == dp.HIGH
    assert card.depth != "a relation in depth"
    assert "quytung2009 ¶40" in card.citations and card.notes


def test_deep_suspicion_becomes_suspicion_where_institutions_exist():
    assert dp.scorecard(2, 3, 1, 4).degree == 3
    assert dp.scorecard(2, 0, 1, 4).degree == 4


def test_cooperation_rests_on_interests_and_institutions_together():
    assert dp.scorecard(2, 2, 0, 2).cooperation == dp.MORE
    assert dp.scorecard(3, 0, 4, 2).cooperation == dp.LESS
    # identity does not change the cell, only the verdict on depth
    assert dp.scorecard(3, 3, 0, 1).cell == dp.scorecard(3, 3, 4, 1).cell == 1


@pytest.mark.parametrize("bad", [(-1, 0, 0, 1), (5, 0, 0, 1), (1, 1, 1, 0), (1, 1, 1, 5), (1.5, 1, 1, 1),
                                 (True, 1, 1, 1), ("3", 1, 1, 1)])
def test_scores_out_of_range_are_refused(bad):
    with pytest.raises(ValueError):
        dp.scorecard(*bad)


def test_every_verdict_cites_existing_paragraphs():
    for i in range(5):
        for j in range(5):
            for k in range(5):
                for w in range(1, 5):
                    card = dp.scorecard(i, j, k, w)
                    assert readings.check_citations(card.verdict + " ".join(card.notes)) == []
                    for c in card.citations:
                        assert readings.check_citations(f"[{c}]") == [], c


def test_criteria_describe_every_level_and_cite_the_reading():
    for d in dp.DIMENSIONS:
        c = dp.CRITERIA[d]
        assert len(c["levels"]) == 5
        text = c["criteria"] + " ".join(c["levels"])
        assert "[quytung2009 ¶" in c["criteria"]
        assert all("[quytung2009 ¶" in level for level in c["levels"])
        assert readings.check_citations(text) == []


def test_examples_cover_all_four_cells_and_are_labelled():
    cells = {dp.scorecard(**v).cell for v in dp.EXAMPLES.values()}
    assert cells == {1, 2, 3, 4}
    assert all("reading's example" in name or name.startswith("Hypothetical") for name in dp.EXAMPLES)


def test_the_module_cites_only_existing_paragraphs():
    assert readings.check_citations(open(dp.__file__, encoding="utf-8").read()) == []


def test_result_html_marks_one_cell_and_escapes_text():
    card = dp.scorecard(1, 1, 2, 1)
    html = dp.scorecard_html(card)
    assert html.count("this relationship") == 1
    assert "3. Good partner/potential friend \u2190 this relationship" in html
    hostile = dataclasses.replace(card, verdict="<script>alert(1)</script>", depth="a & b",
                                  notes=["<img src=x onerror=alert(2)>"], citations=["<i>x</i>"])
    html = dp.scorecard_html(hostile)
    assert "<script" not in html and "<img" not in html and "<i>" not in html
    assert "&lt;script&gt;" in html and "a &amp; b" in html and "&lt;img src=x" in html and "&lt;i&gt;x" in html


def test_widget_updates_its_verdict_and_loads_examples():
    box = dp.scorecard_widget()
    for d in dp.DIMENSIONS:
        box.sliders[d].value = 4
    box.record.value = 1
    assert "a relation in depth" in box.result.value
    box.record.value = 4
    assert "Bad friend/temporary partner \u2190" in box.result.value
    name = next(n for n in dp.EXAMPLES if "Soviet" in n)
    box.examples.value = name
    assert box.sliders["identity"].value == dp.EXAMPLES[name]["identity"]
    assert "4. Bad partner/enemy \u2190" in box.result.value
    assert "illustrative judgements, not data" in box.children[1].value


def test_scorecard_text_names_the_cell_and_the_degree():
    text = dp.scorecard_text(3, 1, 1, 2)
    assert text.startswith("Cell 1 of the table: Good friend/reliable partner")
    assert "Degree 2" in text


# --------------------------------------------------------------------------- data and charts

def _steps(rows):
    frame = pd.DataFrame(rows, columns=["partner", "level", "since", "source"])
    frame["since"] = pd.to_datetime(frame["since"])
    frame["named"] = frame["level"]
    frame["date_precision"] = "day"
    return frame


def test_years_to_csp_counts_calendar_years_and_skips_partners_without_a_strategic_step():
    steps = _steps([
        ("A", dp.SP, "2009-10-01", "S1"), ("A", dp.CSP, "2022-12-05", "S1"),
        ("B", dp.SP, "2009-01-01", "S2"), ("B", dp.SP, "2014-01-01", "S2"), ("B", dp.CSP, "2023-11-27", "S2"),
        ("C", dp.CSP, "2008-06-01", "S3"),
        ("D", "comprehensive partnership", "2013-01-01", "S4"), ("D", dp.CSP, "2023-09-10", "S4"),
        ("E", dp.SP, "2020-01-01", "S5"),
    ])
    out = dp.years_to_csp(steps)
    assert list(out["partner"]) == ["A", "B"]
    assert list(out["years"]) == [13, 14]
    assert list(out["strategic"]) == [2009, 2009]


def test_level_counts_counts_each_partners_latest_level_at_the_end_of_each_year():
    steps = _steps([("A", dp.SP, "2009-10-01", "S1"), ("A", dp.CSP, "2012-07-01", "S1"),
                    ("B", dp.CSP, "2008-06-01", "S2")])
    counts = dp.level_counts(steps, years=[2008, 2010, 2012]).pivot(index="year", columns="level", values="partners")
    assert counts.loc[2008, dp.CSP] == 1 and counts.loc[2008, dp.SP] == 0
    assert counts.loc[2010, dp.SP] == 1
    assert counts.loc[2012, dp.CSP] == 2 and counts.loc[2012, dp.SP] == 0


def test_ladder_segments_run_from_each_step_to_the_next():
    steps = _steps([("A", dp.SP, "2009-10-01", "S1"), ("A", dp.CSP, "2012-07-01", "S1"),
                    ("B", dp.CSP, "2008-06-01", "S2")])
    frame = dp.ladder_frame(steps, as_of="2020-01-01")
    a = frame[frame["partner"] == "A"]
    assert list(a["end"]) == [pd.Timestamp("2012-07-01"), pd.Timestamp("2020-01-01")]
    assert list(dict.fromkeys(frame["partner"])) == ["B", "A"]  # earliest first step first


def test_the_median_in_the_bank_matches_the_course_data():
    from helpers.exercises import load_set_bank

    ex = load_set_bank(dp.SET_ID)["dr-median-years"]
    median = dp.years_to_csp()["years"].median()
    assert abs(median - ex.answer) <= ex.spec["tolerance"]


@pytest.mark.parametrize("build", [dp.ladder_chart, dp.level_count_chart, dp.years_chart])
def test_charts_have_title_description_and_source(build):
    helpers.setup()
    spec = build().to_dict()
    assert spec["title"]["text"] and len(spec["description"]) > 80
    assert " ".join(spec["title"]["subtitle"]).startswith(("Source: ", "Sources: "))
    assert "[S" in " ".join(spec["title"]["subtitle"])


def test_reading_card_gives_speaker_date_and_its_evidence():
    text = dp.reading_card_markdown()
    assert "Dang Dinh Quy" in text and "Nguyen Vu Tung" in text
    assert "2009 (inferred" in text and "How the date was inferred" in text and "March 2009" in text


def test_data_references_list_every_partnership_source():
    text = dp.data_references_markdown()
    assert "[S1]" in text and "[S26]" in text and text.count("\n") >= 20


def test_the_bank_assesses_every_outcome_with_enough_variety():
    from helpers import outline
    from helpers.exercises import load_set_bank

    bank = load_set_bank(dp.SET_ID)
    outcomes = {o["id"] for o in outline.outcomes(dp.SET_ID)}
    used = {e.outcome for e in bank}
    assert outcomes == used
    assert len(bank) >= 8 and len({e.type for e in bank}) >= 4
    assert all(e.id.startswith("dr-") for e in bank)
