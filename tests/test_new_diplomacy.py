"""Notebook 02, the new diplomacy: its explorer logic, its charts, its exercise set and the notebook."""
from __future__ import annotations

import json

import pandas as pd
import pytest

from helpers import ROOT
from helpers.core import data, readings
from helpers.lessons import new_diplomacy as nd

NOTEBOOK = ROOT / "notebooks" / "02-new-diplomacy.ipynb"
SET_ID = "02-new-diplomacy"


# --------------------------------------------------------------------------- explorer logic

def test_month_end_is_the_last_day_of_the_month():
    assert nd.month_end("2024-02") == pd.Timestamp("2024-02-29")
    assert nd.month_end("2022-05") == pd.Timestamp("2022-05-31")
    assert nd.month_end("2021-12-15") == pd.Timestamp("2021-12-31")


def test_levels_on_the_reading_date_put_the_three_top_partners_first():
    table = nd.levels_on(nd.READING_DATE)
    top = table[table["level"] == nd.CSP]["partner"].tolist()
    assert top == ["China", "Russia", "India"]  # highest level first, then longest-standing
    assert table["level"].iloc[0] == nd.CSP
    assert list(table.columns) == ["partner", "level", "named", "since", "date_precision"]
    us = table.set_index("partner").loc["United States"]
    assert us["level"] == "comprehensive partnership"


def test_levels_on_a_date_before_any_partnership_is_empty():
    assert nd.levels_on("1990-01-01").empty
    assert nd.level_counts("1990-01-01") == {lv: 0 for lv in nd.LEVELS_TOP_FIRST}


def test_level_counts_follow_the_upgrades():
    before, after = nd.level_counts("2022-05-31"), nd.level_counts("2025-10-31")
    assert list(before) == [nd.CSP, "strategic partnership", "comprehensive partnership"]
    assert before[nd.CSP] == 3
    assert after[nd.CSP] == 14
    assert after["comprehensive partnership"] == 0  # the United States moved up in 2023


def test_japan_extensive_strategic_partnership_counts_as_strategic():
    table = nd.levels_on("2015-01-01").set_index("partner")
    assert table.loc["Japan", "level"] == "strategic partnership"
    assert table.loc["Japan", "named"] == "extensive strategic partnership"


def test_p5_at_top_level_over_time():
    assert nd.p5_at_level("2007-12-31") == []
    assert nd.p5_at_level(nd.month_end("2022-05")) == ["China", "Russia"]
    assert nd.p5_at_level("2023-09-30") == ["China", "Russia", "United States"]
    assert nd.p5_at_level("2025-10-31") == sorted(nd.P5)


def test_new_at_top_lists_partners_in_date_order_and_excludes_the_start():
    after_congress = nd.new_at_top("2020-12-31", "2030-01-01")
    assert len(after_congress) == 11
    assert after_congress[0] == "Republic of Korea" and after_congress[-1] == "United Kingdom"
    assert nd.new_at_top("2008-06-01", "2012-12-31") == ["Russia"]  # China's own date is excluded


def test_explorer_months_run_to_the_latest_data():
    months = nd.explorer_months()
    assert months[0] == "2000-01"
    assert months[-1] == data.upgrades()["since"].max().strftime("%Y-%m")
    assert "2022-05" in months and len(months) == len(set(months))


def test_explorer_html_says_what_the_author_could_know():
    before = nd.explorer_html("2020-01")
    assert "the author could know this" in before
    same = nd.explorer_html("2022-05")
    assert "<b>2 of 5</b>" in same and "(China, Russia)" in same and "author's present" in same
    later = nd.explorer_html("2025-10")
    assert "<b>5 of 5</b>" in later and "11 partners reached the top level" in later
    assert "United Kingdom" in later


def test_explorer_html_shows_dates_as_precisely_as_the_source():
    text = nd.explorer_html("2025-10")
    assert "<td>Indonesia</td><td>comprehensive strategic partnership</td><td>2025-03-10</td>" in text
    assert ("<td>China</td><td>comprehensive strategic cooperative partnership (counted as comprehensive "
            "strategic partnership)</td><td>2008-06-01</td>") in text
    assert "<td>Russia</td><td>comprehensive strategic partnership</td><td>2012-07</td>" in text


def test_explorer_does_not_credit_a_month_with_a_step_made_later_in_the_year():
    """The review's case: at the end of January 2013 the US was not yet a comprehensive partner
    (25 July 2013), nor were France, Indonesia or Singapore strategic partners."""
    jan = nd.explorer_html("2013-01")
    for partner in ("United States", "France", "Indonesia", "Singapore"):
        assert f"<td>{partner}</td>" not in jan, partner
    jul = nd.explorer_html("2013-07")
    assert "<td>United States</td><td>comprehensive partnership</td><td>2013-07-25</td>" in jul
    assert "<td>Indonesia</td><td>strategic partnership</td><td>2013-06</td>" in jul


def test_explorer_names_a_step_known_only_to_the_year_as_not_yet_counted():
    mid = nd.explorer_html("2007-06")
    assert "<td>Brazil</td>" not in mid
    assert "Not yet counted" in mid and "Brazil: comprehensive partnership, agreed some time in 2007" in mid
    assert "counts it from 31 December 2007" in mid
    dec = nd.explorer_html("2007-12")
    assert "<td>Brazil</td><td>comprehensive partnership</td><td>2007</td>" in dec and "Not yet counted" not in dec


def test_explorer_html_escapes_what_it_shows(monkeypatch):
    fake = pd.DataFrame({"partner": ["<script>x</script>"], "level": [nd.CSP], "named": [nd.CSP],
                         "since": [pd.Timestamp("2010-01-01")], "date_precision": ["year"]})
    monkeypatch.setattr(nd, "levels_on", lambda date: fake)
    monkeypatch.setattr(nd.data, "pending_on", lambda date: fake.iloc[0:0])
    text = nd.explorer_html("2010-06")
    assert "<script>" not in text and "&lt;script&gt;" in text


def test_explorer_widget_updates_when_the_slider_moves():
    box = nd.partnership_explorer()
    assert box.slider.value == "2022-05"
    assert box.view.value == nd.explorer_html("2022-05")
    box.slider.value = "2025-10"
    assert box.view.value == nd.explorer_html("2025-10")
    assert nd.partnership_explorer(initial="1066-10").slider.value == nd.explorer_months()[-1]


# --------------------------------------------------------------------------- charts and tables

@pytest.mark.parametrize("build", [nd.partnership_ladder, nd.top_tier_count, nd.milestone_timeline],
                         ids=lambda f: f.__name__)
def test_charts_have_title_description_and_sources(build):
    spec = build().to_dict()
    assert spec["title"]["text"]
    assert spec["title"]["subtitle"][0].startswith("Source")
    assert len(spec["description"]) > 80
    subtitle = " ".join(spec["title"]["subtitle"])
    assert "[yu2022 ¶1]" in subtitle  # the reading dates the markers
    assert "<script" not in json.dumps(spec)


def test_ladder_uses_the_course_level_colours_and_every_step():
    from helpers.core.charts import LEVEL_COLOURS

    spec = nd.partnership_ladder().to_dict()
    scales = [layer["encoding"]["color"]["scale"] for layer in spec["layer"][:2]]
    for scale in scales:
        assert dict(zip(scale["domain"], scale["range"])) == LEVEL_COLOURS
    frame = nd.ladder_frame()
    assert len(frame) == len(data.upgrades())
    assert (frame["until"] >= frame["since"]).all()
    assert frame["partner"].iloc[0] == "Russia"  # the oldest partnership in the table, 2001


def test_ladder_caption_cites_every_partner_source():
    subtitle = " ".join(nd.partnership_ladder().to_dict()["title"]["subtitle"])
    codes = {c for cell in data.partnerships()["source"] for c in data.split_source(cell)}
    assert all(f"[{c}]" in subtitle for c in codes)


def test_top_tier_frame_counts_up_to_the_stated_total():
    running, stated = nd.top_tier_frame()
    assert running["count"].iloc[-1] == 14
    assert running["count"].is_monotonic_increasing
    latest = stated.sort_values("date").iloc[-1]
    assert latest["count"] == running["count"].iloc[-1]


def test_agreements_table_dates_the_agreements_the_reading_names():
    table = nd.agreements_table()
    assert {"CPTPP", "EVFTA", "RCEP"} <= set(table["agreement"])
    assert (table["before the reading?"] == "yes").all()
    assert table["source"].str.len().gt(0).all()


def test_key_terms_are_in_the_glossary_with_sources():
    from helpers.core import outline

    assert 6 <= len(nd.KEY_TERMS) <= 10
    rows = outline.key_terms(nd.KEY_TERMS)
    assert (rows["vietnamese"].str.len() > 0).all() and (rows["source"].str.len() > 0).all()
    course_own = rows[rows["source"] == "C1"]
    assert course_own["note"].str.contains("course translation").all()


def test_data_sources_lists_codes_not_reading_citations():
    table = nd.data_sources()
    assert {"S6", "M11", "G3", "G5", "C1"} <= set(table["code"])
    assert not table["code"].str.contains("¶").any()
    assert table["code"].iloc[0] == "S1"


# --------------------------------------------------------------------------- the exercise set

@pytest.fixture(scope="module")
def bank():
    from helpers.exercises import load_set_bank

    return load_set_bank(SET_ID)


def test_bank_has_enough_exercises_of_enough_types(bank):
    assert len(bank) >= 8
    assert len({ex.type for ex in bank}) >= 4
    assert all(ex.id.startswith("nd-") for ex in bank)


def test_every_outcome_is_assessed_and_every_exercise_has_one(bank):
    from helpers.core import outline

    outcome_ids = [o["id"] for o in outline.outcomes(SET_ID)]
    assert outcome_ids == [f"ND-{i}" for i in range(1, len(outcome_ids) + 1)]
    assert {ex.outcome for ex in bank} == set(outcome_ids)


def test_numeric_keys_agree_with_the_data(bank):
    csp = data.partnerships().query("level == 'comprehensive strategic partnership'")
    assert bank["nd-csp-after-congress"].answer == len(csp[csp["date"] >= "2021-01-01"])
    assert bank["nd-p5-in-2022"].answer == len(nd.p5_at_level(nd.month_end("2022-05")))


def test_pillar_sort_key_names_the_three_pillars(bank):
    ex = bank["nd-pillar-sort"]
    assert set(ex.answer.values()) == set(ex.categories) == {"Party diplomacy", "State diplomacy",
                                                            "people's diplomacy"}


def test_every_exercise_key_scores_full_marks(bank):
    from helpers.exercises import score

    for ex in bank:
        if ex.type == "evidence":
            assert all(score(ex, n).correct for n in ex.answer), ex.id
        elif ex.type != "text":
            assert score(ex, ex.answer).correct, ex.id


# --------------------------------------------------------------------------- the notebook

@pytest.fixture(scope="module")
def notebook():
    return json.loads(NOTEBOOK.read_text(encoding="utf-8"))


def test_notebook_citations_exist(notebook):
    text = "\n".join("".join(c["source"]) for c in notebook["cells"])
    assert readings.check_citations(text) == []
    bank_text = (ROOT / "course" / "exercises" / f"{SET_ID}.yml").read_text(encoding="utf-8")
    assert readings.check_citations(bank_text) == []


def test_notebook_setup_cell_and_slides(notebook):
    code = [c for c in notebook["cells"] if c["cell_type"] == "code"]
    assert "".join(code[0]["source"]).startswith(
        "import helpers\nhelpers.setup()\nfrom helpers import readings, data, charts, exercises, outline")
    first_code = notebook["cells"].index(code[0])
    assert "Just run this cell" in "".join(notebook["cells"][first_code - 1]["source"])
    allowed = {"slide", "subslide", "fragment", "-", "skip"}
    assert all(c["metadata"].get("slideshow", {}).get("slide_type", "-") in allowed for c in notebook["cells"])


def test_notebook_shows_every_exercise_once(notebook, bank):
    text = "\n".join("".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "code")
    for ex in bank:
        assert text.count(f'ex.show("{ex.id}")') == 1, ex.id


def test_ladder_draws_steps_known_to_the_month_or_year_as_spans_not_points():
    frame = nd.ladder_frame()
    brazil = frame[(frame["partner"] == "Brazil") & (frame["level"] == "comprehensive partnership")].iloc[0]
    assert (brazil["since"], brazil["start"]) == (pd.Timestamp("2007-01-01"), pd.Timestamp("2007-12-31"))
    assert not brazil["exact"] and brazil["when"] == "2007"
    us = frame[(frame["partner"] == "United States")].iloc[0]
    assert us["exact"] and us["start"] == pd.Timestamp("2013-07-25")
    # no bar starts on the first day of a period the source does not pin down
    inexact = frame[~frame["exact"]]
    assert (inexact["start"] > inexact["since"]).all()
    spec = nd.partnership_ladder().to_dict()
    assert "Brazil 2007" in spec["description"] and "Russia 2001-03" in spec["description"]


def test_sea_record_and_un_votes_come_from_the_milestones_with_sources():
    sea = nd.sea_record()
    assert list(sea["date"])[:2] == ["1974", "1988"] and "2016-07-12" in set(sea["date"])
    assert all(data.split_source(c) for c in sea["source"])
    votes = nd.un_votes().set_index("date")
    assert "voted against" in votes.loc["2022-04-07", "what happened"]
    assert "abstained" in votes.loc["2022-03-02", "what happened"]
    assert "abstained" in votes.loc["2022-10-12", "what happened"]
    with pytest.raises(KeyError, match="categories are"):
        nd.milestones_of("weather")


def test_milestone_timeline_draws_month_and_year_dates_as_spans():
    spec = nd.milestone_timeline().to_dict()
    assert "bracket over that whole month or year" in spec["description"]
    rules = [layer for layer in spec["layer"] if layer.get("mark", {}).get("type") == "rule"
             and layer.get("encoding", {}).get("x2", {}).get("field") == "end"]
    assert rules, "no span layer for dates known only to the month or the year"
    rows = [r for rows in spec["datasets"].values() for r in rows if r.get("event") == "Battle of the Paracel Islands"]
    assert rows and rows[0]["end"].startswith("1974-12-31") and rows[0]["exact"] is False
