"""Notebook 04 (deepening relations): its data helpers, charts, scorecard logic and widget."""
from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

import helpers
from helpers.lessons import deepening as dp
from helpers.core import readings


# --------------------------------------------------------------------------- the scorecard

@pytest.mark.parametrize("scores, cell, label", [
    ((4, 4, 4, 1), 1, "Good friend/reliable partner"),
    ((3, 2, 0, 3), 2, "Bad friend/temporary partner"),
    ((1, 3, 2, 1), 3, "Good partner/potential friend"),
    ((0, 0, 0, 4), 4, "Bad partner/enemy"),
])
def test_each_corner_of_the_table_is_reachable_with_the_readings_words(scores, cell, label):
    card = dp.scorecard(*scores)
    assert (card.cell, card.cell_label) == (cell, label)
    assert dp.TABLE[(card.confidence, card.cooperation)] == (cell, label)


# -- cooperation: interests AND institutions each at COOPERATION_MIN (2) or more [¶7] [¶11] [¶22]

@pytest.mark.parametrize("interests, institutions, expected", [
    (2, 2, dp.MORE), (4, 2, dp.MORE), (2, 4, dp.MORE), (4, 4, dp.MORE),
    (1, 4, dp.LESS), (4, 1, dp.LESS), (0, 4, dp.LESS), (4, 0, dp.LESS), (1, 1, dp.LESS), (0, 0, dp.LESS),
])
def test_cooperation_needs_both_interests_and_institutions_at_the_threshold(interests, institutions, expected):
    assert dp.COOPERATION_MIN == 2
    assert dp.cooperation_of(interests, institutions) == expected
    assert dp.scorecard(interests, institutions, 0, 3).cooperation == expected


def test_identity_does_not_change_the_cell_only_the_verdict():
    assert dp.scorecard(3, 3, 0, 1).cell == dp.scorecard(3, 3, 4, 1).cell == 1


# -- degrees and confidence [¶39-43]

def test_only_degree_one_is_high_confidence():
    assert dp.confidence_of(1) == dp.HIGH
    assert [dp.confidence_of(d) for d in (2, 3, 4)] == [dp.LOW] * 3


def test_degree_two_less_confidence_is_low_and_the_card_says_why():
    card = dp.scorecard(3, 3, 3, 2)
    assert card.degree == 2 and card.confidence == dp.LOW and card.cell == 2
    assert "quytung2009 ¶41" in card.citations
    assert any("less confidence" in n for n in card.notes)
    # the default of the old widget (2, 2, 2, record 2) is no longer "on the way to depth"
    assert dp.scorecard(2, 2, 2, 2).depth != "on the way to depth"


@pytest.mark.parametrize("institutions, degree", [(0, 2), (2, 2), (3, 1), (4, 1)])
def test_degree_one_needs_binding_institutions_at_the_threshold(institutions, degree):
    assert dp.DEGREE1_INSTITUTIONS == 3
    assert dp.degree_of(1, institutions) == degree
    card = dp.scorecard(4, institutions, 4, 1)
    assert card.degree == degree
    assert any("Degree 1 also needs institutions" in n for n in card.notes) == (degree == 2)


@pytest.mark.parametrize("record", [2, 3, 4])
def test_records_below_degree_one_are_kept_as_chosen(record):
    for institutions in range(5):
        assert dp.scorecard(2, institutions, 1, record).degree == record


def test_deep_suspicion_is_kept_and_the_card_asks_about_unpunished_violations():
    tight = dp.scorecard(2, 3, 1, 4)
    assert tight.degree == 4 and tight.confidence == dp.LOW
    assert any("Degree 3" in n and "unpunished" in n for n in tight.notes)
    none = dp.scorecard(2, 0, 1, 4)
    assert none.degree == 4 and not any("unpunished" in n for n in none.notes)


# -- depth [¶11] [¶27] [¶32] [¶33] [¶39]

def test_no_common_interests_is_never_on_the_way_to_depth():
    for institutions in range(5):
        for identity in range(5):
            for record in range(1, 5):
                card = dp.scorecard(0, institutions, identity, record, 4, 4)
                assert card.depth == "shallow", (institutions, identity, record)
                assert card.cooperation == dp.LESS
    assert "quytung2009 ¶11" in dp.scorecard(0, 4, 4, 1, 4, 4).citations


def test_no_or_loose_institutions_are_never_on_the_way_to_depth():
    for institutions in (0, 1, 2):
        for interests in range(5):
            for record in range(1, 5):
                card = dp.scorecard(interests, institutions, 4, record, 4, 4)
                assert card.depth not in ("on the way to depth", "a relation in depth"), (interests, institutions)


def test_the_reviewers_counterexamples_are_no_longer_on_the_way_to_depth():
    assert dp.scorecard(0, 4, 0, 1).depth == "shallow"
    assert dp.scorecard(4, 0, 4, 1).cell == 4
    assert dp.scorecard(3, 1, 1, 2).cell == 4


@pytest.mark.parametrize("scores, depth", [
    ((3, 3, 3, 1, 3, 3), "a relation in depth"),
    ((4, 4, 4, 1, 4, 4), "a relation in depth"),
    ((3, 3, 3, 1), "on the way to depth"),          # width and capacity not scored
    ((3, 3, 3, 1, 3, None), "on the way to depth"),
    ((3, 3, 3, 1, 2, 3), "on the way to depth"),    # width below the threshold
    ((3, 3, 3, 1, 3, 2), "on the way to depth"),    # capacity below the threshold
    ((4, 4, 2, 1, 4, 4), "on the way to depth"),    # identity below the threshold
    ((2, 3, 4, 1, 4, 4), "on the way to depth"),    # interests below the threshold
])
def test_depth_needs_every_condition_at_the_threshold(scores, depth):
    assert dp.DEPTH_MIN == 3
    card = dp.scorecard(*scores)
    assert card.depth == depth


def test_the_verdict_names_what_is_missing():
    card = dp.scorecard(4, 4, 2, 1, 2, None)
    assert "identity" in card.verdict and "width" in card.verdict and "capacity not yet scored" in card.verdict


def test_every_rule_prints_its_threshold():
    text = dp.rules_markdown()
    assert f"{dp.COOPERATION_MIN} or more" in text
    assert f"below **{dp.DEGREE1_INSTITUTIONS}**" in text
    assert f"**{dp.DEPTH_MIN} or more**" in text
    assert "high only at Degree 1" in text and "less confidence" in text
    assert readings.check_citations(text) == []
    card = dp.scorecard(3, 1, 1, 2)
    assert any(f"below {dp.COOPERATION_MIN}" in r for r in card.reasons)
    assert any("only Degree 1 counts as high" in r for r in card.reasons)


@pytest.mark.parametrize("bad", [(-1, 0, 0, 1), (5, 0, 0, 1), (1, 1, 1, 0), (1, 1, 1, 5), (1.5, 1, 1, 1),
                                 (True, 1, 1, 1), ("3", 1, 1, 1), (1, 1, 1, 1, 5, None), (1, 1, 1, 1, None, -1)])
def test_scores_out_of_range_are_refused(bad):
    with pytest.raises(ValueError):
        dp.scorecard(*bad)


def test_every_verdict_cites_existing_paragraphs():
    for i in range(5):
        for j in range(5):
            for k in range(5):
                for w in range(1, 5):
                    for extra in ((None, None), (3, 3)):
                        card = dp.scorecard(i, j, k, w, *extra)
                        assert readings.check_citations(card.verdict + " ".join(card.notes)) == []
                        for c in card.citations:
                            assert readings.check_citations(f"[{c}]") == [], c


def test_criteria_describe_every_level_and_cite_the_reading():
    for d in dp.DIMENSIONS + dp.CONDITIONS:
        c = dp.CRITERIA[d]
        assert len(c["levels"]) == 5
        text = c["criteria"] + " ".join(c["levels"])
        assert "[quytung2009 ¶" in c["criteria"]
        assert all("quytung2009 ¶" in level for level in c["levels"])
        assert readings.check_citations(text) == []


def test_examples_cover_all_four_cells_and_are_labelled():
    cells = {dp.scorecard(**v).cell for v in dp.EXAMPLES.values()}
    assert cells == {1, 2, 3, 4}
    assert all("reading's example" in name or name.startswith("Hypothetical") for name in dp.EXAMPLES)


def test_the_module_cites_only_existing_paragraphs():
    assert readings.check_citations(open(dp.__file__, encoding="utf-8").read()) == []


def test_result_html_marks_one_cell_shows_the_reasons_and_escapes_text():
    card = dp.scorecard(1, 3, 2, 1)
    html = dp.scorecard_html(card)
    assert html.count("this relationship") == 1
    assert "3. Good partner/potential friend \u2190 this relationship" in html
    assert "Why:" in html and "below 2" in html and "width not scored" in html
    hostile = dataclasses.replace(card, verdict="<script>alert(1)</script>", depth="a & b",
                                  notes=["<img src=x onerror=alert(2)>"], citations=["<i>x</i>"])
    html = dp.scorecard_html(hostile)
    assert "<script" not in html and "<img" not in html and "<i>" not in html
    assert "&lt;script&gt;" in html and "a &amp; b" in html and "&lt;img src=x" in html and "&lt;i&gt;x" in html


def test_widget_starts_neutral_with_no_placement():
    box = dp.scorecard_widget()
    assert box.record.value is None
    assert all(box.extra[c].value is None for c in dp.CONDITIONS)
    assert "No placement yet" in box.result.value and "this relationship" not in box.result.value


def test_widget_updates_its_verdict_and_loads_examples():
    box = dp.scorecard_widget()
    for d in dp.DIMENSIONS:
        box.sliders[d].value = 4
    box.record.value = 1
    assert "on the way to depth" in box.result.value
    box.extra["width"].value = 4
    box.extra["capacity"].value = 4
    assert "a relation in depth" in box.result.value
    box.record.value = 4
    assert "Bad friend/temporary partner \u2190" in box.result.value
    name = next(n for n in dp.EXAMPLES if "Soviet" in n)
    box.examples.value = name
    assert box.sliders["identity"].value == dp.EXAMPLES[name]["identity"]
    assert box.extra["width"].value is None
    assert "4. Bad partner/enemy \u2190" in box.result.value
    assert "illustrative judgements, not data" in box.children[1].value


def test_scorecard_text_names_the_cell_the_degree_and_the_reasons():
    text = dp.scorecard_text(3, 2, 1, 2)
    assert text.startswith("Cell 2 of the table: Bad friend/temporary partner")
    assert "Degree 2" in text and "only Degree 1 counts as high" in text


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
    # the byline dates the English text apart from the argument (review DC-A4)
    assert "argument from silence" in text
    assert "The date of this English text" in text and "late 2010 or later" in text
    assert "dav.edu.vn" in text


def test_charts_mark_the_readings_date_as_an_inferred_band():
    spec = dp.level_count_chart().to_dict()
    assert "inferred year" in spec["description"]
    assert "inferred: 2009" in str(spec)


def test_data_references_list_every_partnership_source():
    text = dp.data_references_markdown()
    assert "[S1]" in text and "[S26]" in text and text.count("\n") >= 20


def test_the_bank_assesses_every_outcome_with_enough_variety():
    from helpers.core import outline
    from helpers.exercises import load_set_bank

    bank = load_set_bank(dp.SET_ID)
    outcomes = {o["id"] for o in outline.outcomes(dp.SET_ID)}
    used = {e.outcome for e in bank}
    assert outcomes == used
    assert len(bank) >= 8 and len({e.type for e in bank}) >= 4
    assert all(e.id.startswith("dr-") for e in bank)


def test_the_notebook_cites_as_outside_sources_exactly_the_context_sources():
    import json
    import re

    from helpers.core import data

    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "notebooks" / "04-deepening-relations.ipynb"
    nb = json.loads(path.read_text(encoding="utf-8"))
    text = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    assert set(re.findall(r"\[([A-Z]\d+)\]", text)) == set(dp.CONTEXT_SOURCES)
    references = dp.data_references_markdown()
    assert all(f"[{code}]" in references for code in dp.CONTEXT_SOURCES)
    assert set(dp.CONTEXT_SOURCES) <= set(data.sources()["code"])
