"""Notebook 05 (capstone): fact sheets, the readings on a partner, charts, the memo outline, the rubric."""
from __future__ import annotations

import copy
import re

import pytest

import helpers
from helpers.lessons import capstone as cap
from helpers.lessons import capstone_facts
from helpers.core import data, readings
from helpers.lessons import deepening
from helpers.exercises import bank, score


@pytest.fixture(scope="module", autouse=True)
def _charts():
    helpers.setup()


# --------------------------------------------------------------------------- partners and fact sheets

def test_partners_list_the_top_tier_first_in_order_of_arrival():
    names = cap.partners()
    table = data.partnerships()
    assert sorted(names) == sorted(table["partner"])
    top = table[table["level"] == cap.CSP]
    assert names[: len(top)][0] == "China" and set(names[: len(top)]) == set(top["partner"])


def test_check_partner_is_forgiving_about_case_and_names_the_choices():
    assert cap.check_partner("  japan ") == "Japan"
    with pytest.raises(KeyError, match="choose one of: China"):
        cap.check_partner("Atlantis")


def test_fact_sheet_of_japan_has_its_steps_dates_and_sources_in_order():
    sheet = cap.fact_sheet("Japan")
    levels = sheet[sheet["kind"] == "partnership level"]
    assert list(levels["date"]) == ["20 April 2009", "18 March 2014", "27 November 2023"]
    assert "extensive strategic partnership" in levels.iloc[1]["what"]
    assert "current level" in levels.iloc[-1]["what"]
    assert levels.iloc[-1]["note"].startswith("sources disagree")
    assert list(sheet["year"]) == sorted(sheet["year"])
    assert all(sheet["source"].str.len() > 0)
    fta = sheet[sheet["kind"] == "trade agreement"].iloc[0]
    assert fta["source"] == "hien2018 ¶15" and "bilateral" in fta["what"]


def test_every_fact_sheet_row_has_a_source_that_exists():
    codes = set(data.sources()["code"])
    for partner in cap.partners():
        for cell in cap.fact_sheet(partner)["source"]:
            for token in data.split_source(cell.replace("; ", ";")):
                if "¶" in token:
                    assert readings.check_citations(f"[{token}]") == []
                else:
                    assert token in codes, (partner, token)


def test_fact_sheets_link_the_right_milestones():
    us = cap.fact_sheet("United States")
    assert us.iloc[0]["what"] == "relations normalised" and us.iloc[0]["date"] == "11 July 1995"
    assert "EU member" in " ".join(cap.fact_sheet("France")["what"])
    assert "UK-Vietnam" in " ".join(cap.fact_sheet("United Kingdom")["what"])
    assert list(cap.fact_sheet("Brazil")["kind"]) == ["partnership level", "partnership level"]


def test_summary_positions_and_years_match_the_data():
    japan = cap.partner_summary("Japan")
    assert (japan["position"], japan["top_tier"], japan["years_to_top"]) == (6, 14, 14)
    assert cap.partner_summary("China")["years_to_top"] is None
    assert cap.partner_summary("Brazil")["position"] is None
    order = cap.top_tier_order()
    assert list(order["position"]) == list(range(1, len(order) + 1))
    assert order.iloc[0]["partner"] == "China"


def test_years_to_top_counts_calendar_years_and_leaves_out_china():
    years = cap.years_to_top()
    assert "China" not in set(years["partner"])
    us = years.set_index("partner").loc["United States"]
    assert (us["first_level"], us["first_year"], us["top_year"], us["years"]) == ("comprehensive partnership", 2013, 2023, 10)
    assert list(years["years"]) == sorted(years["years"])


def test_fact_sheet_html_escapes_and_summarises(monkeypatch):
    out = cap.fact_sheet_html("Japan")
    assert "the 6th of 14 partners" in out and "<table" in out
    assert "not (yet) at the top level" in cap.fact_sheet_html("Spain")
    sheet = cap.fact_sheet("Japan")
    sheet.loc[sheet.index[0], "what"] = "<script>alert(1)</script> & co"
    monkeypatch.setattr(capstone_facts, "fact_sheet", lambda partner: sheet)
    out = cap.fact_sheet_html("Japan")
    assert "<script" not in out and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in out


# --------------------------------------------------------------------------- the readings on a partner

def test_reading_mentions_find_aliases_but_not_the_pronoun_us():
    us = cap.reading_mentions("United States")
    assert "[yu2022 ¶12]" in set(us["citation"]) and "[quytung2009 ¶31]" in set(us["citation"])
    assert not any(m.lower() == "us" and m != "US" for m in us["context"].str.extract(r"\*\*(.+?)\*\*")[0])
    korea = cap.reading_mentions("Republic of Korea")
    assert set(korea["citation"]) == {"[hien2018 ¶15]"}


def test_reading_mentions_search_the_notes_and_skip_us_dollars():
    # note 2 to quytung2009 ¶1 names Russia and Singapore
    for partner in ("Russia", "Singapore"):
        log = cap.evidence_log(partner)
        depth = log[log["theme"] == "deepening relations"]
        assert "note 2 to [quytung2009 ¶1]" in set(depth["citation"]), partner
    outline = cap.memo_outline("Singapore", 2, 2, 2, 2)
    assert "Readings that name the partner: note 2 to [quytung2009 ¶1]" in outline
    # "US$11 billion" in hien2018 ¶15 is FDI from all sources, not the United States
    us = cap.reading_mentions("United States")
    assert "[hien2018 ¶15]" not in set(us["citation"])
    assert "[hien2018 ¶15]" in set(cap.reading_mentions("Japan")["citation"])


def test_evidence_log_covers_every_theme_and_shows_gaps():
    log = cap.evidence_log("Japan")
    assert set(log["theme"]) == set(cap.THEMES)
    gaps = log[log["mentions"] == 0]
    assert set(gaps["theme"]) == {"soft power", "deepening relations"}
    assert readings.check_citations(" ".join(log["citation"])) == []


# --------------------------------------------------------------------------- charts

def test_path_frame_holds_the_top_tier_and_a_chosen_lower_partner():
    frame = cap.path_frame("Spain")
    assert set(frame.loc[frame["chosen"], "partner"]) == {"Spain"}
    assert frame["partner"].nunique() == 15
    assert frame.groupby("partner")["date"].max().nunique() == 1  # every path runs to the same end


@pytest.mark.parametrize("partner", ["Japan", "China", "Spain"])
def test_charts_have_title_description_and_source(partner):
    for chart in (cap.path_chart(partner), cap.years_chart(partner)):
        spec = chart.to_dict()
        assert spec["title"]["text"] and spec["title"]["subtitle"]
        assert partner in spec["description"]
        assert spec["usermeta"]["source"].startswith("Source")


def test_path_chart_description_states_the_facts():
    spec = cap.path_chart("United States").to_dict()
    assert "comprehensive partnership 25 July 2013" in spec["description"]
    assert "5th of the 14" in spec["description"]
    assert "China is left out" in cap.years_chart("China").to_dict()["description"]


# --------------------------------------------------------------------------- the memo outline

def test_memo_outline_carries_facts_concepts_scorecard_and_limits():
    text = cap.memo_outline("Japan", 3, 3, 2, 1, ["nye-definitions", "three-pillars", "entwinement"])
    assert "# Policy memo: Vietnam and Japan" in text
    assert "27 November 2023 [S7; S64; S17; S82]" in text
    assert "[quy2024 ¶3]" in text and "[yu2022 ¶2]" in text and "[quytung2009 ¶19]" in text
    card = deepening.scorecard(3, 3, 2, 1)
    assert f"cell {card.cell}, \u201c{card.cell_label}\u201d" in text and card.depth in text
    limits = cap.word_limits()
    assert f"{limits['cap-memo-depth'][0]}\u2013{limits['cap-memo-depth'][1]} words" in text
    assert "Still to do" in text
    assert readings.check_citations(text) == []


def test_memo_outline_follows_the_scorecard_for_every_corner():
    for scores in [(4, 4, 4, 1), (3, 2, 0, 3), (1, 1, 2, 2), (0, 0, 0, 4)]:
        card = deepening.scorecard(*scores)
        assert card.cell_label in cap.memo_outline("China", *scores)


def test_memo_outline_rejects_bad_input():
    with pytest.raises(KeyError, match="unknown concept"):
        cap.memo_outline("Japan", 2, 2, 2, 2, ["no-such-concept"])
    with pytest.raises(ValueError):
        cap.memo_outline("Japan", 5, 2, 2, 2)
    with pytest.raises(KeyError):
        cap.memo_outline("Atlantis", 2, 2, 2, 2)


def test_outline_warnings_clear_when_each_theme_has_two_concepts():
    two_each = [items[i][0] for items in cap.CONCEPTS.values() for i in (0, 1)]
    assert cap.outline_warnings(two_each) == []
    assert "Still to do" not in cap.memo_outline("Japan", 2, 2, 2, 2, two_each)
    assert len(cap.outline_warnings([])) == len(cap.THEMES)


def test_concepts_cite_existing_paragraphs_and_ids_are_unique():
    index = cap.concept_index()
    assert len(index) == sum(len(v) for v in cap.CONCEPTS.values())
    assert set(cap.CONCEPTS) == set(cap.THEMES)
    for _, _, cite in index.values():
        assert readings.check_citations(f"[{cite}]") == []


# --------------------------------------------------------------------------- the bank and the rubric

def test_the_bank_is_an_assessment_with_enough_exercises_and_types():
    s = bank.load_set_bank(cap.SET_ID)
    assert s.mode == "assessment"
    assert len(s) >= 8 and len({e.type for e in s}) >= 4
    assert all(e.id.startswith("cap-") for e in s)
    outcomes = {o["id"] for o in s.raw["outcomes"]}
    assert {e.outcome for e in s} == outcomes
    assert {ex_id for ex_id, _, _ in cap.SECTIONS} <= set(s.exercises)


def test_model_answers_keep_their_word_limits_and_citations():
    for e in bank.load_set_bank(cap.SET_ID):
        if e.type == "text":
            words = len(re.findall(r"\S+", e.model_answer))
            assert e.spec["min_words"] <= words <= e.spec["max_words"], (e.id, words)
            assert readings.check_citations(e.model_answer) == []


def test_grid_key_follows_the_scorecard_of_notebook_04():
    ex = bank.load_set_bank(cap.SET_ID)["cap-scorecard-grid"]
    words = {"always": 1, "sometimes": 2, "often": 3, "never": 4}
    for item_id, text in ex.spec["items"]:
        i, n, d = map(int, re.findall(r"\d", text)[:3])
        record = words[re.search(r"(always|sometimes|often|never)", text).group(1)]
        card = deepening.scorecard(i, n, d, record)
        expected = ["high" if card.confidence == deepening.HIGH else "low",
                    "more" if card.cooperation == deepening.MORE else "less"]
        assert ex.answer[item_id] == expected, item_id


def test_numeric_key_matches_the_data():
    ex = bank.load_set_bank(cap.SET_ID)["cap-top-tier-recent"]
    steps = data.upgrades()
    top = steps[steps["level"] == cap.CSP]
    assert len(top[top["since"].dt.year.between(2023, 2025)]) == ex.answer
    assert score(ex, ex.answer).correct


def test_single_key_matches_the_data():
    ex = bank.load_set_bank(cap.SET_ID)["cap-skipped-step"]
    steps = data.upgrades()
    strategic = set(steps.loc[steps["level"] == "strategic partnership", "partner"])
    skipped = [p for p in cap.years_to_top().query("first_level == 'comprehensive partnership'")["partner"]
               if p not in strategic]
    assert skipped == ["United States"] and dict(ex.spec["options"])[ex.answer] == "The United States"


def test_rubric_comes_from_the_bank_and_handles_an_edition_without_it(monkeypatch):
    table = cap.rubric_table()
    assert len(table) == 7 and all(len(c) >= 3 for c in table["criteria"])
    text = cap.rubric_markdown()
    first = table.iloc[0]["criteria"][0]
    assert first in text and "points" in text
    assert "held by your teacher" not in text
    # an edition whose bank carries no rubric: the sections stay, the criteria are said to be elsewhere
    without = copy.deepcopy(bank.load_set_bank(cap.SET_ID))
    for ex in without:
        ex.spec.pop("rubric", None)
    monkeypatch.setattr("helpers.exercises.load_set_bank", lambda set_id, root=None: without)
    assert list(cap.rubric_table()["criteria"]) == [[]] * 7
    text = cap.rubric_markdown()
    assert first not in text and text.count("The criteria are held by your teacher in this edition") == 7


def test_references_list_every_reading_and_every_data_code():
    text = cap.references_markdown()
    for rid in cap.READINGS:
        assert f"`{rid}`" in text
    for code in cap.data_codes():
        assert f"[{code}]" in text
    assert "Issue 11, 2022" in text and "No. 910" in text


def test_readings_table_is_oldest_first():
    assert list(cap.readings_table()["reading"]) == list(cap.READINGS)


# --------------------------------------------------------------------------- widgets

def test_partner_picker_updates_the_fact_sheet():
    box = cap.partner_picker("Japan")
    assert "27 November 2023" in box.sheet.value
    box.menu.value = "United States"
    assert "10 September 2023" in box.sheet.value and "yu2022 ¶12" in box.mentions.value


def test_memo_outline_without_a_record_places_nothing():
    text = cap.memo_outline("Japan", 2, 2, 2, None)
    assert "not scored yet" in text and "Table: cell" not in text


def test_memo_outline_prints_the_scorecard_reasons_and_width_and_capacity():
    text = cap.memo_outline("Japan", 3, 3, 3, 1, width=3, capacity=3)
    assert "width 3/4, capacity 3/4" in text and "a relation in depth" in text
    assert "both at 2 or more" in text


def test_memo_builder_reuses_the_scorecard_and_updates_the_outline():
    box = cap.memo_builder("Japan")
    assert "Vietnam and Japan" in box.outline.value
    assert "not scored yet" in box.outline.value  # neutral start: no placement
    box.card.sliders["interests"].value = 0
    box.card.sliders["institutions"].value = 0
    box.card.record.value = 4
    assert deepening.TABLE[(deepening.LOW, deepening.LESS)][1] in box.outline.value
    box.pickers["soft power"].value = ("nye-definitions", "perceptions")
    assert "quy2024 ¶13" in box.outline.value
    box.menu.value = "France"
    assert "Vietnam and France" in box.outline.value


def test_fact_sheets_say_the_readings_list_of_agreements_is_incomplete_and_add_the_data_rows():
    japan = cap.fact_sheet("Japan")
    assert {"M11", "M13"} <= set(japan["source"])
    trade = japan[japan["kind"] == "trade agreement"]
    assert trade["note"].str.contains("incomplete").all()
    russia = cap.fact_sheet("Russia")
    assert russia["kind"].eq("trade agreement").any()
    assert russia.loc[russia["kind"] == "trade agreement", "note"].str.contains("incomplete").all()
    assert "M13" in set(cap.fact_sheet("Republic of Korea")["source"])
    assert "M11" not in set(cap.fact_sheet("China")["source"])
    # the EAEU agreement of 29 May 2015, which the reading leaves out, is on the sheets of its members
    for member in ("Russia", "Kazakhstan"):
        sheet = cap.fact_sheet(member)
        eaeu = sheet[sheet["source"] == "M60"]
        assert list(eaeu["date"]) == ["29 May 2015"] and "Eurasian Economic Union" in eaeu.iloc[0]["what"], member
    assert list(russia["kind"]) == ["partnership level", "partnership level", "milestone", "trade agreement"]


def test_china_s_sheet_carries_its_named_label_and_the_2023_framing():
    china = cap.fact_sheet("China")
    assert "comprehensive strategic cooperative partnership" in china.iloc[1]["what"]
    framing = china[china["source"] == "M64"]
    assert list(framing["date"]) == ["12 December 2023"] and "not a new level" in framing.iloc[0]["what"]
    korea = cap.fact_sheet("Republic of Korea")
    assert "strategic cooperative partnership" in " ".join(korea["what"])


def test_the_word_range_and_time_in_the_task_match_the_sections():
    import json
    from pathlib import Path

    root = Path(cap.__file__).resolve().parents[2]  # helpers/lessons/capstone.py -> the course
    limits = cap.word_limits()
    low, high = sum(a for a, _ in limits.values()), sum(b for _, b in limits.values())
    stated = f"{low:,} to {high:,} words"
    nb = json.loads((root / "notebooks" / "05-capstone.ipynb").read_text(encoding="utf-8"))
    text = " ".join(" ".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    flat = re.sub(r"\s+", " ", text)
    assert stated in flat and "6 to 10 hours" in flat
    reflection = bank.load_set_bank(cap.SET_ID)["cap-standpoints-reflection"].spec
    assert f"reflection of {reflection['min_words']} to {reflection['max_words']} words" in flat
    for page in ("syllabus.md", "instructor-guide.md"):
        body = re.sub(r"\s+", " ", (root / "course" / page).read_text(encoding="utf-8"))
        assert f"{low:,} to {high:,}" in body and "6 to 10 hours" in body, page
        assert "2 to 3 hours" not in body, page


@pytest.mark.parametrize("ex_id, item, place", [
    ("cap-evidence-themes", "unified-leadership", "international integration"),
    ("cap-schools", "asean-mechanisms", "constructivism"),
])
def test_second_readings_are_accepted_in_full(ex_id, item, place):
    ex = bank.load_set_bank(cap.SET_ID)[ex_id]
    keyed = dict(ex.answer)
    assert score(ex, keyed).correct
    other = dict(keyed, **{item: place})
    result = score(ex, other)
    assert result.correct and result.points == ex.points
    wrong = dict(keyed, **{item: next(c for c in ex.spec["categories"] if c not in (place, keyed[item]))})
    assert not score(ex, wrong).correct


def test_no_capstone_or_deepening_explanation_calls_another_answer_defensible():
    for set_id in (cap.SET_ID, "04-deepening-relations"):
        for ex in bank.load_set_bank(set_id):
            if ex.type == "text":
                continue
            text = (ex.spec.get("prompt", "") + ex.spec.get("explanation", "")).lower()
            assert not re.search(r"defensible|arguabl|also acceptable", text), ex.id
