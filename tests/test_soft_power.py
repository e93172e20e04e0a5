"""helpers.lessons.soft_power: the charts, tables and the "soft or hard?" sorter of notebook 01."""
from __future__ import annotations

import dataclasses
import json
import re

import pytest

from helpers import ROOT
from helpers.lessons import soft_power as sp
from helpers.core import readings

NOTEBOOK = ROOT / "notebooks" / "01-soft-power.ipynb"
BANK = ROOT / "course" / "exercises" / "01-soft-power.yml"


# --------------------------------------------------------------------------- the sorter's logic

@pytest.mark.parametrize("action", list(sp.ACTIONS.values()), ids=lambda a: a.id)
def test_the_key_of_every_action_is_judged_right(action):
    verdict = sp.judge(action.id, action.resource, action.method)
    assert verdict.correct and verdict.resource_ok and verdict.method_ok
    assert verdict.message.startswith("Right:")
    assert not verdict.impossible


@pytest.mark.parametrize("action", list(sp.ACTIONS.values()), ids=lambda a: a.id)
def test_every_action_cites_paragraphs_that_exist_and_uses_a_known_resource(action):
    assert action.resource in sp.RESOURCES and action.method in sp.METHODS
    assert re.search(r"\[quy2024 ¶\d+\]", action.why), "the feedback must cite the reading"
    assert readings.check_citations(action.why) == []
    assert readings.check_citations(f"[{action.cite}]") == []


def test_the_sorter_covers_both_methods_and_both_kinds_of_resource():
    kinds = {(sp.kind_of(a.resource), a.method) for a in sp.ACTIONS.values()}
    assert kinds == {("hard", "hard"), ("hard", "soft"), ("soft", "soft")}


def test_a_wrong_method_is_named_and_explained():
    verdict = sp.judge("ukraine-aid", "economic strength", "hard")
    assert verdict.resource_ok and not verdict.method_ok and not verdict.correct
    assert "the method is soft, not hard" in verdict.message
    assert "[quy2024 ¶6]" in verdict.message


def test_a_wrong_resource_is_named_with_its_kind():
    verdict = sp.judge("naval-deterrence", "economic strength", "hard")
    assert not verdict.resource_ok and verdict.method_ok
    assert "military strength (hard power), not economic strength" in verdict.message


@pytest.mark.parametrize("action, resource", [("ukraine-aid", "foreign policy"), ("peacekeeping", "foreign policy"),
                                              ("rights-dialogue", "foreign policy")])
def test_an_action_the_reading_files_in_two_places_is_right_in_either(action, resource):
    # Quy files aid to Ukraine and peacekeeping under his fourth source, foreign policy (¶19, ¶21), and ¶6 reads
    # them as hard-power resources used the soft way; ¶18's dialogue is both political values and diplomatic method
    verdict = sp.judge(action, resource, "soft")
    assert verdict.correct and not verdict.impossible
    assert verdict.message.startswith("Right:") and readings.check_citations(verdict.message) == []
    key = sp.ACTIONS[action]
    assert sp.judge(action, key.resource, key.method).correct  # the first reading still counts
    # the other reading is explained with the paragraph it rests on
    assert ("[quy2024 ¶21]" in verdict.message) or ("[quy2024 ¶18]" in verdict.message)
    # but only with the soft method: the other reading does not make every answer right
    assert not sp.judge(action, resource, "hard").correct


def test_only_the_listed_actions_accept_a_second_reading():
    assert {a.id for a in sp.ACTIONS.values() if a.also} == {"ukraine-aid", "peacekeeping", "rights-dialogue"}
    assert not sp.judge("food-festival", "foreign policy", "soft").correct
    for action in sp.ACTIONS.values():
        for other in action.also:
            assert other.resource in sp.RESOURCES and other.method in sp.METHODS
            assert (other.resource, other.method) != (action.resource, action.method)
            assert readings.check_citations(other.why) == []


def test_foreign_policy_used_the_hard_way_is_wrong_but_not_called_impossible():
    # ¶7's sentence names culture, value systems, institutional models and trust, not foreign policy
    assert "foreign policy" not in readings.reading("quy2024").paragraph(7).text.split("However")[0]
    verdict = sp.judge("naval-deterrence", "foreign policy", "hard")
    assert not verdict.correct and not verdict.impossible
    assert "[quy2024 ¶13]" in verdict.message and "bargain, deter, impose" in verdict.message
    assert "cannot be used the hard way" not in verdict.message
    assert "bargain, deter, impose" in readings.reading("quy2024").paragraph(13).text
    for resource in ("culture", "political values"):
        assert sp.judge("tariff-pressure", resource, "hard").impossible


def test_using_a_soft_power_resource_the_hard_way_is_flagged_with_paragraph_7():
    verdict = sp.judge("food-festival", "culture", "hard")
    assert verdict.impossible and not verdict.correct
    assert "[quy2024 ¶7]" in verdict.message and "cannot be used to bribe" in verdict.message
    # the quotation is the reading's own wording
    assert "cannot be used to bribe, pressure, or impose on other nations" in readings.reading("quy2024").paragraph(7).text


def test_a_hard_resource_used_the_hard_way_is_not_flagged_impossible():
    assert not sp.judge("food-festival", "military strength", "hard").impossible


def test_bad_input_is_refused_with_a_clear_message():
    with pytest.raises(KeyError, match="no action"):
        sp.judge("no-such-action", "culture", "soft")
    with pytest.raises(ValueError, match="unknown resource"):
        sp.judge("food-festival", "charm", "soft")
    with pytest.raises(ValueError, match="unknown method"):
        sp.judge("food-festival", "culture", "gentle")


def test_verdict_html_escapes_and_marks_the_status():
    right = sp.verdict_html(sp.judge("food-festival", "culture", "soft"))
    wrong = sp.verdict_html(sp.judge("food-festival", "culture", "hard"))
    assert right.startswith('<div role="status"') and wrong.startswith('<div role="status"')
    assert right.split(">", 1)[0] != wrong.split(">", 1)[0]  # right and wrong are marked apart
    hostile = dataclasses.replace(sp.judge("food-festival", "culture", "soft"),
                                  message='<script>alert(1)</script> "Right" & <b>bold</b>')
    out = sp.verdict_html(hostile)
    assert "<script" not in out and "<b>" not in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out and "&amp; &lt;b&gt;bold&lt;/b&gt;" in out


# --------------------------------------------------------------------------- the widget

def test_the_sorter_widget_checks_through_the_pure_function():
    box = sp.sorter()
    action, resource, method, button, out = box.children
    button.click()
    assert "Choose both" in out.value
    action.value = "naval-deterrence"
    resource.value = "military strength"
    method.value = "hard"
    button.click()
    assert "Right:" in out.value
    method.value = "soft"
    box.check()
    assert "Not quite" in out.value
    action.value = "food-festival"  # changing the action clears the old feedback
    assert "Not quite" not in out.value


# --------------------------------------------------------------------------- data and charts

def test_rank_change_counts_places_gained():
    frame = sp.index_ranks((sp.BRAND_FINANCE,))
    assert sp.rank_change(frame, 2020, 2021) == 3      # 50th -> 47th
    assert sp.rank_change(frame, 2020, 2024) == -3     # 50th -> 53rd: a higher number, in a far larger field


def test_every_brand_finance_rank_carries_the_size_of_its_field():
    frame = sp.index_ranks((sp.BRAND_FINANCE,))
    assert dict(zip(frame["year"], frame["n_ranked"])) == {2020: 60, 2021: 100, 2023: 121, 2024: 193}
    assert "sources disagree" in frame.set_index("year").loc[2021, "note"]  # 100, or 105


def test_n_ranked_reads_the_start_of_a_note_only():
    assert sp.n_ranked("of 193 nations ranked (all UN member states)") == 193
    assert sp.n_ranked("of 25; score 18.0") == 25
    assert sp.n_ranked("score 58.6") is None and sp.n_ranked("") is None and sp.n_ranked(None) is None
    assert sp.n_ranked("rose from 69th of 121") is None


def test_share_ahead_puts_a_rank_in_its_field():
    frame = sp.index_ranks((sp.BRAND_FINANCE,))
    assert sp.share_ahead(frame, 2020) == 81.7   # 49 of 60 nations above Vietnam
    assert sp.share_ahead(frame, 2024) == 26.9   # 52 of 193
    # so the rank number rose by 3 while Vietnam moved from the bottom fifth into the top third
    assert sp.rank_change(frame, 2020, 2024) < 0 and sp.share_ahead(frame, 2024) < sp.share_ahead(frame, 2020)
    lowy = sp.index_ranks((sp.LOWY_DIPLOMATIC,))
    assert list(lowy["n_ranked"]) == [25, 26, 26, 27]   # the index ranks the same field on each measure
    assert sp.share_ahead(lowy, 2024) == 25.9            # 7 of 27 above Vietnam
    unsized = lowy.assign(n_ranked=lowy["n_ranked"].where(lowy["year"] != 2024))
    with pytest.raises(ValueError, match="number of nations ranked in 2024"):
        sp.share_ahead(unsized, 2024)


def test_the_numeric_exercise_key_matches_the_data():
    from helpers.exercises import load_bank

    ex = load_bank(BANK)["sp-brand-finance-change"]
    assert ex.answer == sp.share_ahead(sp.index_ranks((sp.BRAND_FINANCE,)), 2024)


def test_implied_ranks_keep_their_status():
    frame = sp.index_ranks()
    implied = frame[frame["status"] == "implied"]
    assert list(implied["year"]) == [2023] and implied["status_label"].iloc[0] == "implied by a later report"


@pytest.mark.parametrize("n, text", [(1, "1st"), (2, "2nd"), (3, "3rd"), (11, "11th"), (12, "12th"),
                                     (13, "13th"), (21, "21st"), (53, "53rd"), (69, "69th"), (112, "112th")])
def test_ordinal(n, text):
    assert sp.ordinal(n) == text


def test_comprehensive_strategic_partners_are_counted_by_date():
    assert sp.csp_count_on("2008-05-31") == 0
    assert sp.csp_count_on("2008-06-01") == 1
    assert sp.csp_count_on(sp.READING_DATES["trong2016"]) == 2   # India followed on 3 September 2016
    steps = sp.csp_steps()
    assert list(steps["count"]) == list(range(1, len(steps) + 1))
    assert steps["counted_from"].is_monotonic_increasing


def test_a_step_known_only_to_the_month_counts_from_the_month_s_end():
    # Russia's comprehensive strategic partnership is known only as July 2012 (partnerships.csv)
    russia = sp.csp_steps().set_index("partner").loc["Russia"]
    assert russia["date_precision"] == "month" and str(russia["since"].date()) == "2012-07-01"
    assert sp.csp_count_on("2012-07-01") == 1   # China only: July 2012 may not have come yet
    assert sp.csp_count_on("2012-07-30") == 1
    assert sp.csp_count_on("2012-07-31") == 2


def test_csp_count_on_agrees_with_level_on_and_holds_a_year_only_step_to_31_december():
    import pandas as pd
    from helpers.core import data

    for day in ("2012-07-15", "2016-09-02", "2016-09-03", "2024-07-01", "2025-12-31"):
        at_top = data.level_on(day)
        assert sp.csp_count_on(day) == int((at_top["level"] == sp.CSP).sum()), day
    table = pd.DataFrame({"since": pd.to_datetime(["2007-01-01", "2010-03-05"]),
                          "date_precision": ["year", "day"]})
    table["counted_from"] = [data.period_end(d, p) for d, p in zip(table["since"], table["date_precision"])]
    assert sp.csp_count_on("2007-06-30", steps=table) == 0
    assert sp.csp_count_on("2007-12-31", steps=table) == 1
    assert sp.csp_count_on("2010-03-05", steps=table) == 2


def test_the_partners_chart_draws_each_step_where_it_is_counted():
    spec = sp.partners_chart().to_dict()
    layers = spec["layer"]
    assert layers[0]["encoding"]["x"]["field"] == "counted_from"
    assert layers[1]["encoding"]["x"]["field"] == "counted_from"
    values = next(iter(spec["datasets"].values()))
    russia = next(v for v in values if v["partner"] == "Russia")
    assert russia["counted_from"].startswith("2012-07-31") and russia["when"] == "2012-07"


@pytest.mark.parametrize("build", [sp.brand_finance_chart, sp.lowy_chart, sp.partners_chart],
                         ids=lambda f: f.__name__)
def test_every_chart_has_a_title_a_description_and_its_sources(build):
    spec = build().to_dict()
    assert spec["title"]["text"]
    assert len(spec["description"]) > 80
    subtitle = " ".join(spec["title"]["subtitle"])
    assert subtitle.startswith("Source")
    codes = set(re.findall(r"\[([A-Z]+\d+)\]", subtitle))
    assert codes and codes <= set(sp.data_sources().index)


def test_rank_charts_put_the_best_rank_at_the_top():
    for build in (sp.brand_finance_chart, sp.lowy_chart):
        text = json.dumps(build().to_dict())
        assert '"reverse": true' in text


def test_chart_descriptions_state_the_figures():
    assert "50th in 2020 and 53rd in 2024" in sp.brand_finance_chart().to_dict()["description"]
    assert "60 in 2020, 100 in 2021, 121 in 2023, 193 in 2024" in sp.brand_finance_chart().to_dict()["description"]
    assert "69th in 2023, a rank implied only by a later report" in sp.brand_finance_chart().to_dict()["description"]
    lowy = sp.lowy_chart().to_dict()["description"]
    assert "diplomatic influence: 12 in 2019, 9 in 2020, 9 in 2023, 8 in 2024" in lowy
    partners = sp.partners_chart().to_dict()["description"]
    assert "When the 2016 speech was given Vietnam had 2" in partners


def test_readings_table_gives_who_speaks_to_whom_and_when():
    table = sp.readings_table()
    assert list(table.index) == ["quy2024", "trong2016"]
    assert table.loc["quy2024", "paragraphs"] == 33 and table.loc["trong2016", "paragraphs"] == 16
    assert "Diplomatic Academy" in table.loc["quy2024", "speaker"]
    assert table.loc["trong2016", "date"] == "2016-08-23"
    # the outlet of trong2016 is inferred from its page, and the table says so
    assert "(inferred" in table.loc["trong2016", "outlet"] and "inferred" not in table.loc["quy2024", "outlet"]


def test_the_notebook_cites_as_outside_sources_exactly_the_context_sources():
    from helpers.core import data

    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    text = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    cited = set(re.findall(r"\[([A-Z]\d+)\]", text))
    assert cited == set(sp.CONTEXT_SOURCES)
    listed = sp.data_sources()
    assert set(sp.CONTEXT_SOURCES) <= set(listed.index) <= set(data.sources()["code"])


# --------------------------------------------------------------------------- notebook and bank

def test_bank_meets_the_notebook_brief():
    from helpers.core import outline
    from helpers.exercises import load_bank

    bank = load_bank(BANK)
    assert len(bank) >= 8 and len({e.type for e in bank}) >= 4
    assert all(e.id.startswith("sp-") for e in bank)
    outcome_ids = {o["id"] for o in outline.outcomes("01-soft-power")}
    assert {e.outcome for e in bank} == outcome_ids   # every exercise names an outcome; every outcome is assessed
    assert readings.check_citations(BANK.read_text(encoding="utf-8")) == []


def test_notebook_shows_every_exercise_and_cites_only_existing_paragraphs():
    from helpers.exercises import load_bank

    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    text = "\n".join("".join(c["source"]) for c in nb["cells"])
    assert readings.check_citations(text) == []
    shown = re.findall(r'ex\.show\("([a-z0-9-]+)"\)', text)
    assert sorted(shown) == sorted(e.id for e in load_bank(BANK))
    for cell in nb["cells"]:
        assert cell["metadata"].get("slideshow", {}).get("slide_type", "-") in {"slide", "subslide", "fragment", "-", "skip"}
    first_code = next(c for c in nb["cells"] if c["cell_type"] == "code")
    assert "".join(first_code["source"]).startswith(
        "import helpers\nhelpers.setup()\nfrom helpers import readings, data, charts, exercises, outline")
