"""The course data tables: they load, their facts are right, and bad input is refused clearly."""
from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pandas as pd
import pytest

from helpers import ROOT
from helpers.core import data
from helpers.core.errors import CourseFileError
from helpers.core.readings import load_readings

FIXTURES = Path(__file__).parent / "fixtures" / "data"


@pytest.fixture(autouse=True)
def _fresh_cache():
    data.clear_cache()
    yield
    data.clear_cache()


# --------------------------------------------------------------------------- the real tables

def test_every_table_loads_and_validates():
    sizes = data.validate_all()
    glossary = sizes.pop("glossary")
    assert sizes == {"sources": 160, "partnerships": 40, "milestones": 32, "indicators": 35,
                     "counts": 12}  # partnerships: one row per step
    assert len(data.partnerships()) == 22  # partners
    assert glossary >= 15  # the fact base's 15 terms, plus the notebooks' key terms


def test_every_table_has_a_readme_entry():
    readme = (data.DATA / "README.md").read_text(encoding="utf-8")
    for name in data.TABLES:
        assert f"`{name}.csv`" in readme, name
        for col in data.SCHEMAS[name].columns:
            assert f"`{col}`" in readme, (name, col)
    assert sorted(p.stem for p in data.DATA.glob("*.csv")) == sorted(data.TABLES)


def test_columns_are_typed():
    p = data.partnerships()
    assert pd.api.types.is_datetime64_any_dtype(p["date"])
    ind = data.indicators()
    assert pd.api.types.is_float_dtype(ind["value"])
    assert pd.api.types.is_integer_dtype(ind["year"])
    assert pd.api.types.is_integer_dtype(data.counts()["count"])
    assert pd.api.types.is_datetime64_any_dtype(data.milestones()["date"])


def test_month_dates_are_first_of_month_with_precision():
    russia = data.partnerships().set_index("partner").loc["Russia"]
    assert russia["date"] == pd.Timestamp("2012-07-01")
    assert russia["date_precision"] == "month"
    apec = data.milestones()
    row = apec[(apec["event"] == "Hosted APEC") & (apec["date"].dt.year == 2006)].iloc[0]
    assert row["date"] == pd.Timestamp("2006-01-01") and row["date_precision"] == "year"


def test_china_csp_2008():
    china = data.partnerships().set_index("partner").loc["China"]
    assert china["level"] == "comprehensive strategic partnership"
    assert china["date"] == pd.Timestamp("2008-06-01")
    assert "sources disagree" in china["note"]


def test_first_csp_is_china():
    csp = data.partnerships().query("level == 'comprehensive strategic partnership'").sort_values("date")
    assert csp["partner"].iloc[0] == "China"
    assert csp["partner"].iloc[-1] == "United Kingdom"


def test_united_states_upgraded_straight_from_comprehensive_partnership():
    us = data.upgrades().query("partner == 'United States'")
    assert list(us["level"]) == ["comprehensive partnership", "comprehensive strategic partnership"]
    assert list(us["since"]) == [pd.Timestamp("2013-07-25"), pd.Timestamp("2023-09-10")]
    assert list(us["date_precision"]) == ["day", "day"]
    assert list(us["rank"]) == [1, 3]


def test_japan_keeps_the_extensive_strategic_step_as_named():
    jp = data.upgrades().query("partner == 'Japan'")
    assert list(jp["named"]) == ["strategic partnership for peace and prosperity in Asia",
                                 "extensive strategic partnership", "comprehensive strategic partnership"]
    assert list(jp["rank"]) == [2, 2, 3]
    assert list(jp["since"]) == [pd.Timestamp("2009-04-20"), pd.Timestamp("2014-03-18"), pd.Timestamp("2023-11-27")]


def test_upgrades_long_format():
    up = data.upgrades()
    assert list(up.columns) == ["partner", "level", "named", "rank", "since", "date_precision", "current", "source",
                                "counted_from", "note"]
    assert len(up) == 40
    # one current row per partner, and it is that partner's latest step
    assert up["current"].sum() == len(data.partnerships())
    latest = up.sort_values("since").groupby("partner").tail(1)
    assert latest["current"].all()


def test_every_step_has_its_own_source_and_precision():
    """No step may lose its source or its precision: the loader refuses such a row (see BAD below), and
    every step of the real table carries both."""
    up = data.upgrades()
    assert up["source"].str.strip().ne("").all()
    assert up["date_precision"].isin(data.PRECISIONS).all()
    codes = set(data.sources()["code"])
    for row in up.itertuples():
        assert set(data.split_source(row.source)) <= codes, (row.partner, row.since)


def test_steps_the_reviews_named_are_there_with_their_dates():
    up = data.upgrades().set_index(["partner", "level"])
    expected = {
        ("Czech Republic", "strategic partnership"): ("2025-01-20", "day"),
        ("Australia", "comprehensive partnership"): ("2009-09-07", "day"),
        ("New Zealand", "comprehensive partnership"): ("2009-09-10", "day"),
        ("Republic of Korea", "comprehensive partnership"): ("2001-08-23", "day"),
        ("United States", "comprehensive partnership"): ("2013-07-25", "day"),
        ("Australia", "strategic partnership"): ("2018-03-15", "day"),
        ("France", "strategic partnership"): ("2013-09-25", "day"),
        ("Singapore", "strategic partnership"): ("2013-09-11", "day"),
        ("United Kingdom", "strategic partnership"): ("2010-09-08", "day"),
        ("New Zealand", "strategic partnership"): ("2020-07-22", "day"),
        ("Indonesia", "strategic partnership"): ("2013-06-01", "month"),
        ("Brazil", "comprehensive partnership"): ("2007-01-01", "year"),
    }
    for key, (date, precision) in expected.items():
        row = up.loc[key]
        assert (row["since"], row["date_precision"]) == (pd.Timestamp(date), precision), key


def test_a_step_counts_only_from_the_end_of_its_period():
    # the US comprehensive partnership of 25 July 2013 is not there at the end of January 2013
    jan = data.level_on("2013-01-31").set_index("partner")
    assert "United States" not in jan.index
    assert "France" not in jan.index and "Singapore" not in jan.index and "Indonesia" not in jan.index
    assert data.level_on("2013-07-25").set_index("partner").loc["United States", "level"] == "comprehensive partnership"
    # a month-precision step (Indonesia, June 2013) counts from 30 June, not 1 June
    assert "Indonesia" not in set(data.level_on("2013-06-29")["partner"])
    assert "Indonesia" in set(data.level_on("2013-06-30")["partner"])
    assert "Indonesia" in set(data.pending_on("2013-06-15")["partner"])
    # a year-precision step (Brazil, 2007) counts from 31 December 2007 and is pending before
    assert "Brazil" not in set(data.level_on("2007-12-30")["partner"])
    assert "Brazil" in set(data.level_on("2007-12-31")["partner"])
    assert list(data.pending_on("2007-06-30")["partner"]) == ["Brazil"]
    assert data.pending_on("2008-01-01").empty


def test_period_end():
    assert data.period_end("2013-01-01", "year") == pd.Timestamp("2013-12-31")
    assert data.period_end("2012-02-01", "month") == pd.Timestamp("2012-02-29")
    assert data.period_end("2013-07-25", "day") == pd.Timestamp("2013-07-25")
    with pytest.raises(ValueError):
        data.period_end("2013", "decade")


def test_level_on_accepts_a_steps_table_without_counted_from():
    steps = pd.DataFrame({"partner": ["A", "B"], "level": ["strategic partnership"] * 2,
                          "since": pd.to_datetime(["2010-01-01", "2010-03-05"]), "date_precision": ["year", "day"]})
    assert list(data.level_on("2010-06-30", steps=steps)["partner"]) == ["B"]
    assert list(data.level_on("2010-12-31", steps=steps)["partner"]) == ["A", "B"]


def test_partnerships_is_one_row_per_partner_derived_from_the_steps():
    p = data.partnerships().set_index("partner")
    assert p.loc["Republic of Korea", "steps"] == 3
    assert p.loc["Republic of Korea", "earlier_levels"] == (
        "comprehensive partnership in the 21st century 2001-08-23; strategic cooperative partnership 2009-10-21")
    assert p.loc["China", "named"] == "comprehensive strategic cooperative partnership"
    assert set(data.split_source(p.loc["Japan", "source"])) == {"S64", "S17", "S82", "S7"}


def test_fourteen_csps_by_end_of_october_2025_agrees_with_the_count_table():
    on = data.level_on("2025-10-31")
    csp = on[on["level"] == "comprehensive strategic partnership"]
    assert len(csp) == 14
    assert {"China", "Russia", "United States", "France", "United Kingdom"} <= set(csp["partner"])
    counts = data.counts().set_index(["what", "as_of"])
    assert counts.loc[("comprehensive strategic partnerships", pd.Timestamp("2025-10-01")), "count"] == 14
    # a day before the UK upgrade there were 13
    before = data.level_on("2025-10-28")
    assert (before["level"] == "comprehensive strategic partnership").sum() == 13


def test_october_2024_counts_agree_with_the_partnership_table():
    on = data.level_on("2024-10-31")
    assert (on["level"] == "comprehensive strategic partnership").sum() == 8
    assert on["level"].isin(["strategic partnership", "comprehensive strategic partnership"]).sum() == 18
    assert (on["level"] == "comprehensive partnership").sum() == 1  # Brazil (New Zealand was strategic from 2020)


def test_september_2023_count_disagreement_is_noted():
    on = data.level_on("2023-09-30")
    assert (on["level"] == "comprehensive strategic partnership").sum() == 5
    counts = data.counts().set_index(["what", "as_of"])
    row = counts.loc[("comprehensive strategic partnerships", pd.Timestamp("2023-09-01"))]
    assert row["count"] == 6
    assert "sources disagree" in row["note"]


def test_exports_series():
    ex = data.indicators("merchandise exports")
    assert list(ex["year"]) == [1995, 2000, 2005, 2009, 2010, 2015, 2017, 2019, 2020, 2022, 2024]
    by_year = ex.set_index("year")
    assert by_year.loc[2017, "value"] == pytest.approx(213.77)
    assert by_year.loc[2024, "value"] == pytest.approx(405.53)
    assert by_year.loc[2015, "status"] == "lower bound"
    assert set(by_year.loc[[2000, 2010, 2022, 2024], "status"]) == {"preliminary"}
    assert "sources disagree" in by_year.loc[2017, "note"]
    assert "hien2018 ¶" in by_year.loc[2017, "source"]
    # 1995 has an independent source beside the reading, and the series shows a year exports fell
    assert by_year.loc[1995, "value"] == pytest.approx(5.448) and "T60" in by_year.loc[1995, "source"]
    assert "fell" in by_year.loc[2009, "note"] and by_year.loc[2009, "status"] == "estimate"


def test_fdi_2023_uses_the_year_end_figure_and_notes_the_other():
    fdi = data.indicators("FDI registered").set_index("year")
    assert fdi.loc[2023, "value"] == pytest.approx(36.61)
    assert "sources disagree" in fdi.loc[2023, "note"] and "39.4" in fdi.loc[2023, "note"]
    assert fdi.loc[2024, "value"] / fdi.loc[2023, "value"] == pytest.approx(1.044, abs=0.001)


def test_unknown_indicator_is_named():
    with pytest.raises(KeyError, match="merchandise exports"):
        data.indicators("exports of rice")


def test_reading_figures_cite_the_paragraph_that_gives_them():
    readings = load_readings()
    expect = {("indicators", "merchandise exports", 2017): "$214 billion",
              ("indicators", "merchandise exports", 1995): "$5 billion",
              ("indicators", "FDI average per year (recent years to 2018)", 2018): "US$11 billion",
              ("counts", "strategic partnerships", 2018): "strategic partnerships with 16 countries",
              ("counts", "comprehensive partnerships", 2018): "comprehensive partnerships with 10 countries"}
    ind = data.indicators().set_index(["indicator", "year"])
    cnt = data.counts().assign(year=lambda f: f["as_of"].dt.year).set_index(["what", "year"])
    for (table, what, year), phrase in expect.items():
        source = (ind if table == "indicators" else cnt).loc[(what, year), "source"]
        if isinstance(source, pd.Series):
            source = source.iloc[0]
        m = re.search(r"hien2018 ¶(\d+)", source)
        assert m, (what, year, source)
        text = readings["hien2018"].paragraph(int(m.group(1))).text
        assert phrase in text, (what, year, m.group(0))


def test_no_unverified_rows_and_every_source_is_cited():
    cited = set()
    for name in data.TABLES:
        if name == "sources":
            continue
        frame = data.load(name)
        text = frame.astype(str).apply(" ".join, axis=1)
        assert not text.str.contains("UNVERIFIED|NOT FOUND", case=False).any(), name
        for cell in frame["source"]:
            cited.update(data.split_source(cell))
    codes = set(data.sources()["code"])
    # a source may also be cited as [G30] in a notebook, a bank or the teaching kit, for an outside fact that
    # is not a data row (only the letters of sources.csv's series count: the capstone's [O1] is a student's own)
    series = "".join(sorted({c[0] for c in codes}))
    in_notebooks = set()
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            in_notebooks.update(re.findall(rf"\[([{series}]\d+)\]", "".join(cell["source"])))
    assert in_notebooks <= codes, f"notebooks cite unknown sources: {sorted(in_notebooks - codes)}"
    in_kit = set()
    for pattern in ("course/exercises/*.yml", "course/*.md"):
        for path in sorted(ROOT.glob(pattern)):
            in_kit.update(re.findall(rf"\[([{series}]\d+)[\];,]", path.read_text(encoding="utf-8")))
    assert in_kit <= codes, f"the banks or the teaching kit cite unknown sources: {sorted(in_kit - codes)}"
    assert codes - cited - in_notebooks - in_kit == set()
    assert {c for c in cited if "¶" not in c} <= codes


def test_disagreements_are_noted():
    notes = {name: " ".join(data.load(name)["note"]) for name in ("partnerships", "milestones", "indicators",
                                                                   "counts", "glossary")}
    p = data.partnerships().set_index("partner")
    for partner in ("China", "Japan", "Thailand"):
        assert "sources disagree" in p.loc[partner, "note"], partner
    assert "sources disagree" in notes["milestones"]  # first ASEAN chairmanship
    g = data.glossary().set_index("english")
    assert "sources disagree" in g.loc["bamboo diplomacy", "note"]
    fta = data.counts().set_index(["what", "as_of"]).loc[("FTAs signed", pd.Timestamp("2024-09-01"))]
    assert fta["count"] == 16 and "17" in fta["note"]


def test_glossary_every_term_has_a_definition_and_a_cite_that_resolves():
    from helpers.core import readings

    g = data.glossary()
    assert list(g.columns) == ["english", "vietnamese", "note", "definition", "cite", "source"]
    codes = set(data.sources()["code"])
    for row in g.itertuples():
        assert row.definition.strip(), f"glossary: {row.english!r} has no definition"
        assert row.cite.strip(), f"glossary: {row.english!r} has no cite"
        for token in data.split_source(row.cite):
            if data.CODE_RE.match(token):
                # a term no reading uses is cited to its fact-base source, and says so
                assert token in codes, f"glossary: {row.english!r} cites unknown source {token!r}"
                assert token in data.split_source(row.source), (row.english, token)
                assert row.definition.startswith("Not used in the course readings"), row.english
            else:
                assert data.READING_CITE_RE.match(token), f"glossary: {row.english!r}: bad cite {token!r}"
                assert readings.check_citations(f"[{token}]") == [], f"glossary: {row.english!r}: {token!r}"
    assert g.set_index("english").loc["bamboo diplomacy", "vietnamese"] == "ngoại giao cây tre"


def test_partnership_levels_are_the_three_tiers():
    assert set(data.partnerships()["level"]) == {"comprehensive strategic partnership", "strategic partnership"}
    assert set(data.upgrades()["level"]) == set(data.LEVELS)


def test_source_note():
    note = data.source_note("S2;S1")
    assert note.startswith("Sources: China-Vietnam Joint Statement (1 June 2008)")
    assert "[S2]" in note and "[S1]" in note and note.index("[S2]") < note.index("[S1]")
    one = data.source_note("M5")
    assert one.startswith("Source: Southeast Asian Affairs 2007") and one.endswith("[M5].")
    reading = data.source_note("hien2018 ¶15")
    assert "Vu Van Hien" in reading and "[hien2018 ¶15]" in reading
    col = data.source_note(data.indicators("FDI disbursed")["source"])
    assert col.count("[T10]") == 1 and "[T12]" in col
    with pytest.raises(KeyError, match="S999"):
        data.source_note("S999")


def test_load_returns_a_copy_from_the_cache():
    a = data.partnerships()
    a.loc[0, "partner"] = "changed"
    assert data.partnerships().loc[0, "partner"] != "changed"


def test_unknown_table():
    with pytest.raises(KeyError, match="partnerships"):
        data.load("partnership")


# --------------------------------------------------------------------------- bad input

def test_good_fixtures_load():
    p = data.load("partnerships--good", FIXTURES)
    assert list(p["partner"]) == ["Atlantis", "Atlantis", "Atlantis", "Lemuria", "Mu"]
    assert p.loc[2, "date"] == pd.Timestamp("2020-05-01")
    assert data.load("indicators--good", FIXTURES)["value"].tolist() == [14.3, 15.0]
    assert len(data.load("milestones--good", FIXTURES)) == 2


BAD = [
    # fixture, line, field, words in the message
    ("partnerships--missing-source", 3, "source", "missing"),
    ("partnerships--unknown-code", 3, "source", "S99"),
    ("partnerships--bad-date", 5, "date", "does not parse"),
    ("partnerships--unknown-level", 3, "level", "strategic alliance"),
    ("partnerships--precision-mismatch", 2, "date_precision", "month"),
    ("partnerships--missing-precision", 2, "date_precision", "empty"),
    ("partnerships--duplicate-row", 4, "partner, date", "line 3"),
    ("partnerships--step-down", 3, "level", "steps down"),
    ("partnerships--out-of-order", 3, "date", "out of order"),
    ("partnerships--named-wrong-tier", 2, "named", "is a strategic partnership"),
    ("indicators--non-numeric", 3, "value", "about 15"),
    ("indicators--bad-reading-cite", 3, "source", "¶9999"),
    ("indicators--unknown-reading", 2, "source", "nosuchreading2020"),
    ("milestones--duplicate-row", 6, "event, date", "line 3"),
    ("glossary--unknown-columns", 1, "sources", "unknown column"),
]


@pytest.mark.parametrize("name, line, field, words", BAD, ids=[b[0] for b in BAD])
def test_bad_input_names_file_line_and_field(name, line, field, words):
    with pytest.raises(CourseFileError) as info:
        data.load(name, FIXTURES)
    err = info.value
    assert Path(err.path).name == f"{name}.csv"
    assert (err.line, err.field) == (line, field)
    assert words in err.message
    assert str(err).startswith(f"{FIXTURES / name}.csv:{line} [{field}]")


@pytest.mark.parametrize("name, line", [(b[0], b[1]) for b in BAD if b[1] > 1], ids=lambda x: str(x))
def test_bad_fixtures_differ_from_good_ones_only_where_intended(name, line, tmp_path):
    """Each bad fixture keeps its table's columns and loads once its one faulty line is removed,
    so the error the test above expects comes from that fault and nothing else."""
    table = name.split("--")[0]
    with open(FIXTURES / f"{name}.csv", encoding="utf-8", newline="") as fh:
        lines = fh.read().splitlines(keepends=True)
    assert next(csv.reader(lines[:1])) == list(data.SCHEMAS[table].columns), name
    del lines[line - 1]
    (tmp_path / "sources.csv").write_bytes((FIXTURES / "sources.csv").read_bytes())
    (tmp_path / f"{name}.csv").write_text("".join(lines), encoding="utf-8")
    data.load(name, tmp_path)  # raises CourseFileError if another fault is left


def test_unknown_source_code_in_the_real_folder_would_be_caught(tmp_path):
    for name in ("sources", "partnerships"):
        (tmp_path / f"{name}.csv").write_text((data.DATA / f"{name}.csv").read_text(encoding="utf-8"),
                                              encoding="utf-8")
    text = (tmp_path / "partnerships.csv").read_text(encoding="utf-8").replace(",S22\n", ",S22;Z9\n")
    (tmp_path / "partnerships.csv").write_text(text, encoding="utf-8")
    with pytest.raises(CourseFileError) as info:
        data.partnerships(tmp_path)
    lines = text.split("\n")
    expected = next(i for i, ln in enumerate(lines, start=1) if ln.startswith("Philippines,"))
    assert (info.value.line, info.value.field) == (expected, "source")
    assert "Z9" in info.value.message


# --------------------------------------------------------------------------- a row may not lose its source or precision

def _real_table_with_one_cell_blanked(table: str, column: str, tmp_path: Path) -> Path:
    """A copy of course/data with `column` of the first data row of `table` emptied; returns the folder."""
    src = ROOT / "course" / "data"
    for f in src.glob("*.csv"):
        (tmp_path / f.name).write_bytes(f.read_bytes())
    with open(src / f"{table}.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    rows[1][rows[0].index(column)] = ""
    with open(tmp_path / f"{table}.csv", "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)
    return tmp_path


SOURCED = [t for t, s in data.SCHEMAS.items() if s.sourced]
DATED = [(t, prec) for t, s in data.SCHEMAS.items() for prec in s.dates.values()]


@pytest.mark.parametrize("table", SOURCED)
def test_a_real_row_that_loses_its_source_is_refused(table, tmp_path):
    folder = _real_table_with_one_cell_blanked(table, "source", tmp_path)
    data.load(table)  # the real table loads
    with pytest.raises(CourseFileError) as info:
        data.load(table, folder)
    assert (info.value.line, info.value.field) == (2, "source")


@pytest.mark.parametrize("table, column", DATED)
def test_a_real_row_that_loses_its_date_precision_is_refused(table, column, tmp_path):
    folder = _real_table_with_one_cell_blanked(table, column, tmp_path)
    with pytest.raises(CourseFileError) as info:
        data.load(table, folder)
    assert (info.value.line, info.value.field) == (2, column)


def test_steps_known_only_to_the_month_or_year_keep_that_precision():
    """The steps whose day no source gives stay at month or year precision (a day would claim too much)."""
    up = data.upgrades().set_index(["partner", "level"])
    coarse = {
        ("Russia", "strategic partnership"): "month",
        ("Russia", "comprehensive strategic partnership"): "month",
        ("Indonesia", "strategic partnership"): "month",
        ("Spain", "strategic partnership"): "month",
        ("Italy", "strategic partnership"): "month",
        ("Brazil", "comprehensive partnership"): "year",
    }
    for key, precision in coarse.items():
        assert up.loc[key, "date_precision"] == precision, key
        assert up.loc[key, "counted_from"] == data.period_end(up.loc[key, "since"], precision), key


def test_strategic_level_chart_title_matches_the_data():
    """'Vietnam's strategic-level partners' (00-start-here) is true of every partner in the table: each one's
    present level is a strategic or comprehensive strategic partnership; 22 partners, Czech Republic included."""
    from helpers.core import charts

    partners = data.partnerships()
    assert set(partners["level"]) == {"strategic partnership", "comprehensive strategic partnership"}
    assert len(partners) == 22 and "Czech Republic" in set(partners["partner"])
    spec = charts.partners_by_level().to_dict()
    assert spec["title"]["text"] == "Vietnam's strategic-level partners"
    assert f"({len(partners)} in all)" in spec["description"]
    rows = next(iter(spec["datasets"].values()))
    shown = {r["partner"]: r["when"] for r in rows}
    for r in partners.itertuples():  # the tooltip gives the date no more precisely than its source
        assert shown[r.partner] == data.date_text(r.date, r.date_precision)


def test_every_index_rank_carries_the_number_of_nations_ranked_that_year():
    from helpers.lessons import soft_power

    ranks = data.indicators()
    ranks = ranks[ranks["unit"] == "rank"]
    assert len(ranks) >= 12
    for r in ranks.itertuples():
        n = soft_power.n_ranked(r.note)
        assert n is not None and n >= r.value, (r.indicator, r.year, r.note)
