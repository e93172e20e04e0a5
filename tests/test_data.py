"""The course data tables: they load, their facts are right, and bad input is refused clearly."""
from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pandas as pd
import pytest

from helpers import ROOT, data
from helpers.errors import CourseFileError
from helpers.readings import load_readings

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
    assert sizes == {"sources": 98, "partnerships": 22, "milestones": 18, "indicators": 29,
                     "counts": 12}
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
    assert list(us["since"].dt.year) == [2013, 2023]
    assert us["since"].iloc[-1] == pd.Timestamp("2023-09-10")
    assert list(us["rank"]) == [1, 3]


def test_japan_keeps_the_extensive_strategic_step_as_named():
    jp = data.upgrades().query("partner == 'Japan'")
    assert list(jp["named"]) == ["strategic partnership", "extensive strategic partnership",
                                 "comprehensive strategic partnership"]
    assert list(jp["rank"]) == [2, 2, 3]


def test_upgrades_long_format():
    up = data.upgrades()
    assert list(up.columns) == ["partner", "level", "named", "rank", "since", "date_precision", "current", "source"]
    assert len(up) == 36
    # one current row per partner, and it is that partner's latest step
    assert up["current"].sum() == len(data.partnerships())
    latest = up.sort_values("since").groupby("partner").tail(1)
    assert latest["current"].all()


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


def test_september_2023_count_disagreement_is_noted():
    on = data.level_on("2023-09-30")
    assert (on["level"] == "comprehensive strategic partnership").sum() == 5
    counts = data.counts().set_index(["what", "as_of"])
    row = counts.loc[("comprehensive strategic partnerships", pd.Timestamp("2023-09-01"))]
    assert row["count"] == 6
    assert "sources disagree" in row["note"]


def test_exports_series():
    ex = data.indicators("merchandise exports")
    assert list(ex["year"]) == [1995, 2000, 2005, 2010, 2015, 2017, 2019, 2020, 2022, 2024]
    by_year = ex.set_index("year")
    assert by_year.loc[2017, "value"] == pytest.approx(213.77)
    assert by_year.loc[2024, "value"] == pytest.approx(405.53)
    assert by_year.loc[2015, "status"] == "lower bound"
    assert set(by_year.loc[[2000, 2010, 2022, 2024], "status"]) == {"preliminary"}
    assert "sources disagree" in by_year.loc[2017, "note"]
    assert "hien2018 ¶" in by_year.loc[2017, "source"]
    assert ex["value"].is_monotonic_increasing


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
    # a source may also be cited in a notebook's text, as [G30], for an outside fact that is not a data row
    # (only the letters of sources.csv's series count: the capstone's [O1] is a student's own source)
    series = "".join(sorted({c[0] for c in codes}))
    in_notebooks = set()
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            in_notebooks.update(re.findall(rf"\[([{series}]\d+)\]", "".join(cell["source"])))
    assert in_notebooks <= codes, f"notebooks cite unknown sources: {sorted(in_notebooks - codes)}"
    assert codes - cited - in_notebooks == set()
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
    from helpers import readings

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
    assert list(p["partner"]) == ["Atlantis", "Lemuria", "Mu"]
    assert p.loc[0, "date"] == pd.Timestamp("2020-05-01")
    assert data.load("indicators--good", FIXTURES)["value"].tolist() == [14.3, 15.0]
    assert len(data.load("milestones--good", FIXTURES)) == 2


BAD = [
    # fixture, line, field, words in the message
    ("partnerships--missing-source", 3, "source", "missing"),
    ("partnerships--unknown-code", 3, "source", "S99"),
    ("partnerships--bad-date", 3, "date", "does not parse"),
    ("partnerships--unknown-level", 3, "level", "strategic alliance"),
    ("partnerships--unknown-earlier-level", 2, "earlier_levels", "strategic alliance"),
    ("partnerships--precision-mismatch", 2, "date_precision", "month"),
    ("partnerships--duplicate-row", 4, "partner", "line 2"),
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
