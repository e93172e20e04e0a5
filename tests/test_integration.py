"""Notebook 03 (international integration): its charts, claim checker, explorer, bank and notebook."""
from __future__ import annotations

import ast
import json
import math

import pandas as pd
import pytest

import helpers
from helpers import ROOT
from helpers.lessons import integration
from helpers.core import data, readings

NOTEBOOK = ROOT / "notebooks" / "03-international-integration.ipynb"
SET = "03-international-integration"


# --------------------------------------------------------------------------- small frames

def indicators_frame(rows):
    return pd.DataFrame(
        [{"indicator": i, "year": y, "value": v, "unit": "USD bn", "status": s, "note": "", "source": src}
         for i, y, v, s, src in rows])


def milestones_frame(rows):
    return pd.DataFrame(
        [{"event": e, "date": pd.Timestamp(d), "date_precision": p, "category": c, "detail": det, "note": "",
          "source": src} for e, d, p, c, det, src in rows])


@pytest.fixture
def small_exports():
    return indicators_frame([
        ("merchandise exports", 1995, 5.0, "approximate", "hien2018 ¶15"),
        ("merchandise exports", 2000, 10.0, "reported", "T1"),
        ("merchandise exports", 2010, 40.0, "reported", "T3"),
        ("merchandise exports", 2017, 213.77, "estimate", "T5;hien2018 ¶15"),
        ("FDI registered", 2022, 27.72, "reported", "T10"),
    ])


@pytest.fixture
def small_milestones():
    return milestones_frame([
        ("ASEAN accession", "1995-07-28", "day", "multilateral membership", "seventh member", "M3"),
        ("WTO accession", "2007-01-11", "day", "multilateral membership", "150th member", "M5"),
        ("CPTPP signed", "2018-03-08", "day", "trade agreement", "", "M11"),
        ("First UN peacekeeping deployment", "2014-05-01", "month", "UN role", "", "M7"),
        ("<b>Fake</b> & co", "2005-01-01", "year", "trade agreement", "a <detail>", "M4"),
    ])


# --------------------------------------------------------------------------- arithmetic

def test_times_larger_and_its_guard():
    assert integration.times_larger(213.77, 5) == pytest.approx(42.754)
    with pytest.raises(ZeroDivisionError):
        integration.times_larger(10, 0)


def test_annual_growth_compounds_back_to_the_last_value():
    rate = integration.annual_growth(32.447, 213.77, 12)
    assert rate == pytest.approx(0.170, abs=0.001)
    assert 32.447 * (1 + rate) ** 12 == pytest.approx(213.77)
    for bad in ((10, 20, 0), (0, 20, 5), (10, -1, 5)):
        with pytest.raises(ValueError):
            integration.annual_growth(*bad)


def test_decimal_year_and_short_label():
    assert integration.decimal_year("2007-01-11") == pytest.approx(2007.027, abs=0.001)
    assert integration.decimal_year("2020-01-01") == 2020.0
    assert integration.short_label("WTO accession") == "WTO"
    assert integration.short_label("RCEP signed") == "RCEP"
    assert integration.short_label("Hosted APEC") == "Hosted APEC"


def test_only_reading_sources():
    assert integration.only_reading_sources("hien2018 ¶15")
    assert not integration.only_reading_sources("T5;hien2018 ¶15")
    assert not integration.only_reading_sources("T5")
    assert not integration.only_reading_sources("")


# --------------------------------------------------------------------------- the explorer's logic

def test_period_summary_compares_first_and_last_years_with_figures(small_exports, small_milestones):
    s = integration.period_summary(1995, 2017, indicators=small_exports, milestones=small_milestones)
    assert (s["first"]["year"], s["last"]["year"]) == (1995, 2017)
    assert s["times"] == pytest.approx(213.77 / 5)
    assert s["annual_growth"] == pytest.approx((213.77 / 5) ** (1 / 22) - 1)
    assert s["provisional"] == [1995, 2017]            # approximate and estimate, not reported
    # only the default categories (trade agreement, multilateral membership), inside the years
    assert list(s["milestones"]["event"]) == ["ASEAN accession", "<b>Fake</b> & co", "WTO accession"]
    assert "42.8 times" in s["message"] and "The data have no figure" not in s["message"]


def test_period_summary_uses_the_years_inside_the_period_and_says_so(small_exports, small_milestones):
    s = integration.period_summary(2007, 2018, indicators=small_exports, milestones=small_milestones)
    assert (s["first"]["year"], s["last"]["year"]) == (2010, 2017)
    assert "2010 and 2017" in s["message"]
    assert s["provisional"] == [2017]
    assert list(s["milestones"]["event"]) == ["WTO accession", "CPTPP signed"]


def test_period_summary_swaps_reversed_years_and_filters_categories(small_exports, small_milestones):
    s = integration.period_summary(2017, 2000, categories=["UN role"], indicators=small_exports,
                                   milestones=small_milestones)
    assert (s["start"], s["end"]) == (2000, 2017)
    assert list(s["milestones"]["event"]) == ["First UN peacekeeping deployment"]
    assert s["provisional"] == [2017]


def test_period_summary_with_too_few_figures(small_exports, small_milestones):
    s = integration.period_summary(2001, 2009, indicators=small_exports, milestones=small_milestones)
    assert s["first"] is None and s["times"] is None and s["annual_growth"] is None
    assert "pick a wider period" in s["message"] and "1995, 2000, 2010, 2017" in s["message"]
    page = integration.period_html(s)
    assert "pick a wider period" in page and "Careful" not in page


def test_period_html_escapes_and_lists(small_exports, small_milestones):
    page = integration.period_html(integration.period_summary(
        1995, 2017, indicators=small_exports, milestones=small_milestones))
    assert "<b>Fake</b>" not in page and "&lt;b&gt;Fake&lt;/b&gt; &amp; co" in page
    assert "a &lt;detail&gt;" in page
    assert "3 milestones in the period" in page and "[M5]" in page
    assert "the 2017 figure is an estimate" in page and "the 1995 figure is approximate" in page
    assert "[T5]" in page                                      # the export figures' sources are named
    empty = integration.period_html(integration.period_summary(
        2000, 2004, categories=["UN role"], indicators=small_exports, milestones=small_milestones))
    assert "No milestone" in empty


def test_period_summary_on_the_course_data():
    s = integration.period_summary(2005, 2017)
    assert round(s["annual_growth"] * 100, 1) == pytest.approx(17.0, abs=0.2)   # key of ii-growth-after-wto
    assert "WTO accession" in set(s["milestones"]["event"])


def test_the_explorer_widget_updates_when_the_slider_moves():
    box = integration.milestone_explorer(1995, 2017)
    slider, kinds, _, result = box.children
    assert "1995–2017" in result.value and "39.2 times" in result.value
    slider.value = (2005, 2017)
    assert "2005–2017" in result.value and "17.0%" in result.value
    kinds.value = ("UN role",)
    assert "First UN peacekeeping deployment" in result.value and "WTO accession" not in result.value
    kinds.value = ()                                  # nothing chosen: every kind is listed
    assert "WTO accession" in result.value and "First UN peacekeeping deployment" in result.value


# --------------------------------------------------------------------------- the claim checker

def test_claim_checks_on_the_course_data():
    table = integration.claim_checks()
    assert list(table.columns) == ["claim", "cite", "reading", "data", "source", "verdict"]
    by_claim = table.set_index("claim")
    assert "rounding" in by_claim.loc["Exports in 2017 were US$214 billion", "verdict"]
    assert by_claim.loc["Exports in 1995 were US$5 billion", "verdict"].startswith("agrees after rounding")
    forty = by_claim.loc["2017 exports were 40 times those of 1995"]
    assert "39.2" in forty["data"] and "T60" in forty["source"]
    # the review's point: '40 times' is a slight round-up of 39.2, not an understatement of 42.8
    assert forty["verdict"].startswith("agrees after rounding") and "round-up" in forty["verdict"]
    assert "understates" not in forty["verdict"] and "42.8" in forty["verdict"]
    assert by_claim.loc["Vietnam had signed an FTA with the EU (by 2018)", "verdict"].startswith("disagrees")
    listed = by_text_row(table, "FTAs listed")
    assert "CPTPP" in listed["data"] and "EAEU" in listed["data"] and listed["verdict"].startswith("incomplete")
    assert by_claim.loc["Vietnam has been a member of Interpol since 1990", "verdict"].startswith("disagrees by 1 year")
    sovereignty = by_text_row(table, "territorial integrity")
    assert sovereignty["verdict"].startswith("contested") and "981" in sovereignty["data"]
    assert by_claim.loc["Strategic partnerships with 16 countries", "verdict"].startswith("agrees, counting")
    assert by_claim.loc["Vietnam joined the WTO in 2007", "verdict"] == "agrees"
    assert by_claim.loc["Vietnam first sent officers to UN peacekeeping in May 2014", "verdict"] == "agrees"
    assert readings.check_citations(" ".join(table["cite"])) == []
    for cell in table["source"]:                      # every source code is a real one
        data.source_note(cell)


def test_claim_checks_report_a_real_disagreement(small_exports, small_milestones):
    changed = small_exports.copy()
    changed.loc[changed["year"] == 2017, ["value", "source"]] = [200.0, "T5"]
    changed.loc[changed["year"] == 1995, "source"] = "T1"
    on_date = pd.DataFrame({"partner": ["A", "B"], "level": ["strategic partnership", "comprehensive partnership"],
                            "source": ["S1", "S2"]})
    ms = pd.concat([small_milestones, milestones_frame([
        ("WTO accession", "2006-12-01", "day", "multilateral membership", "", "M5")])]).iloc[[0, 3, 5]]
    table = integration.claim_checks(indicators=changed, milestones=ms, partners_on_date=on_date).set_index("claim")
    assert by_text(table, "2017 were").startswith("disagrees by 14.00")
    assert by_text(table, "1995 were") == "agrees"
    assert by_text(table, "WTO") == "the data give 2006-12-01"
    assert "the course table gives 1" in by_text(table, "Strategic partnerships")


def by_text_row(table, fragment):
    rows = table[table["claim"].str.contains(fragment, regex=False)]
    assert len(rows) == 1, list(rows["claim"])
    return rows.iloc[0]


def by_text(table, fragment):
    rows = [c for c in table.index if fragment in c]
    assert len(rows) == 1, rows
    return table.loc[rows[0], "verdict"]


def test_claim_table_html_escapes_and_names_sources():
    page = integration.claim_checks_html()
    assert page.count("<tr>") == len(integration.claim_checks()) + 1
    assert "<details>" in page and "[T5]" in page and "[M5]" in page
    table = integration.claim_checks().head(1).copy()
    table["claim"] = "<script>alert(1)</script> & co"
    page = integration.claim_checks_html(table)
    assert "<script" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in page


def test_used_sources_are_all_in_the_sources_table():
    used = integration.used_sources()
    codes = set(data.sources()["code"])
    assert set(used["code"]) <= codes
    assert {"T5", "T9", "M5", "T10"} <= set(used["code"])
    assert not any("¶" in c for c in used["code"])


# --------------------------------------------------------------------------- charts

@pytest.fixture(scope="module", autouse=True)
def setup_charts():
    helpers.setup()


def spec_of(chart) -> dict:
    return chart.to_dict()


@pytest.mark.parametrize("builder", [integration.exports_chart, integration.fdi_chart, integration.fta_chart])
def test_every_chart_has_title_description_and_source(builder):
    spec = spec_of(builder())
    assert spec["title"]["text"]
    assert " ".join(spec["title"]["subtitle"]).startswith("Source")
    assert len(spec["description"]) > 80


def test_exports_chart_marks_milestones_and_statuses():
    spec = spec_of(integration.exports_chart())
    datasets = spec["datasets"].values()
    labels = {row.get("label") for rows in datasets for row in rows}
    assert {"WTO 2007", "ASEAN 1995", "CPTPP 2018"} <= labels
    points = [layer for layer in spec["layer"] if layer["mark"].get("type") == "point"][0]
    domain = points["encoding"]["color"]["scale"]["domain"]
    statuses = set(data.indicators(integration.EXPORTS)["status"])
    assert set(domain) == statuses                   # only the statuses the data have, in the legend
    assert "preliminary" in spec["description"] or "not final" in spec["description"]
    subtitle = " ".join(spec["title"]["subtitle"])
    assert "[T5]" in subtitle and "[M5]" in subtitle


def test_exports_chart_on_small_frames(small_exports, small_milestones):
    spec = spec_of(integration.exports_chart(indicators=small_exports, milestones=small_milestones))
    assert "from 5 (approximate) to 213.77 (estimate)" in spec["description"]
    assert "2 of the 4 points are not final" in spec["description"]


def test_fdi_chart_describes_both_measures():
    spec = spec_of(integration.fdi_chart())
    for row in integration.fdi().itertuples():
        assert f"{row.value:g}" in spec["description"]
    assert "[T10]" in " ".join(spec["title"]["subtitle"])


def test_fta_chart_reports_the_disagreement():
    spec = spec_of(integration.fta_chart())
    assert "sources disagree" in spec["description"]
    assert all(f": {c}" in spec["description"] for c in integration.fta_counts()["count"])


# --------------------------------------------------------------------------- bank and notebook

def test_bank_validates_and_assesses_every_outcome():
    from helpers.exercises import bank
    from helpers.core import outline

    b = bank.load_bank(ROOT / "course" / "exercises" / f"{SET}.yml")
    assert len(b) >= 8 and len({e.type for e in b}) >= 4
    assert all(e.id.startswith("ii-") for e in b)
    outcomes = {o["id"] for o in outline.outcomes(SET)}
    assert {e.outcome for e in b} == outcomes


def test_numeric_keys_match_the_data():
    from helpers.exercises import bank

    b = bank.load_bank(ROOT / "course" / "exercises" / f"{SET}.yml")
    by_year = data.indicators(integration.EXPORTS).set_index("year")["value"]
    times = b["ii-exports-times"]
    assert math.isclose(times.answer, by_year[2017] / by_year[1995], abs_tol=times.spec["tolerance"])
    growth = b["ii-growth-after-wto"]
    rate = integration.annual_growth(by_year[2005], by_year[2017], 12) * 100
    assert math.isclose(growth.answer, rate, abs_tol=growth.spec["tolerance"])


def notebook():
    return json.loads(NOTEBOOK.read_text(encoding="utf-8"))


def test_notebook_shows_every_exercise_once_and_only_its_own():
    from helpers.exercises import bank

    b = bank.load_bank(ROOT / "course" / "exercises" / f"{SET}.yml")
    shown = [line.split('"')[1] for c in notebook()["cells"] if c["cell_type"] == "code"
             for line in "".join(c["source"]).splitlines() if line.startswith("ex.show(")]
    assert sorted(shown) == sorted(e.id for e in b)


def test_notebook_citations_exist_and_cells_are_slides():
    nb = notebook()
    text = "\n".join("".join(c["source"]) for c in nb["cells"])
    assert readings.check_citations(text) == []
    kinds = {"slide", "subslide", "fragment", "-", "skip"}
    assert all(c["metadata"].get("slideshow", {}).get("slide_type", "-") in kinds for c in nb["cells"])
    first_code = next(c for c in nb["cells"] if c["cell_type"] == "code")
    assert "".join(first_code["source"]).startswith(
        "import helpers\nhelpers.setup()\nfrom helpers import readings, data, charts, exercises, outline")


def test_notebook_key_terms_are_in_the_glossary():
    from helpers.core import outline

    cell = next("".join(c["source"]) for c in notebook()["cells"] if "show_key_terms" in "".join(c["source"]))
    terms = ast.literal_eval(cell[cell.index("["):cell.rindex("]") + 1])
    assert 6 <= len(terms) <= 10
    rows = outline.key_terms(terms)
    assert (rows["vietnamese"] != "").all() and (rows["source"] != "").all()
