"""Notebook 05, the capstone: a policy memo on one of Vietnam's partnerships.

The notebook `notebooks/05-capstone.ipynb` calls these functions, one or two per cell. Everything a
test needs to reach is a pure function here; the widgets only wrap them.

* `partners()`, `fact_sheet(partner)`: the partner's levels and dates, related milestones and the
  free trade agreements the integration reading names, each row with its source;
* `reading_mentions(partner)`, `evidence_log(partner)`: where the five readings mention the
  partner, sorted by the memo's four themes;
* `top_tier_order()`, `years_to_top()`, `path_chart(partner)`, `years_chart(partner)`: the
  partner's path up the levels against the other top-tier partners (charts finished with a title,
  a description and the rows' sources);
* `memo_outline(...)`: the memo-building logic: the fact sheet's facts, the concepts the student
  chose with their citations, the word limits of the bank, and the depth scorecard of notebook 04
  (`helpers.lessons.deepening.scorecard`, reused, not rewritten);
* `rubric_table()`: the assessment criteria, read from the bank's text exercises (the one place
  they live);
* `partner_picker()`, `memo_builder()`: the widgets.
"""
from __future__ import annotations

import html
import re

from . import deepening
from helpers.core.a11y import accessible

SET_ID = "05-capstone"
READINGS = ("quytung2009", "trong2016", "hien2018", "yu2022", "quy2024")
"""The five readings, oldest first."""
CSP = "comprehensive strategic partnership"
DEFAULT_PARTNER = "Japan"
HIGHLIGHT = "#d1495b"
OTHERS = "#9aa0a6"

THEMES = ("soft power", "new diplomacy", "international integration", "deepening relations")
THEME_OF_READING = (("quy2024", "soft power"), ("trong2016", "soft power"), ("yu2022", "new diplomacy"),
                    ("hien2018", "international integration"), ("quytung2009", "deepening relations"))
"""Which theme each reading serves in the memo (pairs, reading first)."""

# --------------------------------------------------------------------------- partners and facts

ALIASES = {
    "United States": r"United States|U\.S\.|(?-i:\bUS\b)(?!\$)|America",
    "China": r"China|Chinese",
    "Republic of Korea": r"Korea",
    "United Kingdom": r"Britain|British|United Kingdom",
    "France": r"France|French",
    "Russia": r"Russia",
}
"""How the readings name a partner, where it is not just the partner's name (a regex)."""

EU_MEMBERS = ("France", "Germany", "Italy", "Spain")
ASEAN_MEMBERS = ("Indonesia", "Malaysia", "Philippines", "Singapore", "Thailand")

CPTPP_MEMBERS = ("Japan", "Australia", "New Zealand", "Singapore", "Malaysia")
"""Partners in the table that signed the CPTPP with Vietnam on 8 March 2018 (the UK acceded later)."""
RCEP_MEMBERS = ("China", "Japan", "Republic of Korea", "Australia", "New Zealand", "Indonesia", "Malaysia",
                "Philippines", "Singapore", "Thailand")
"""Partners in the table that signed the RCEP with Vietnam on 15 November 2020."""

EAEU_MEMBERS = ("Russia", "Kazakhstan")
"""Partners in the table that are members of the Eurasian Economic Union, whose FTA with Vietnam was signed
on 29 May 2015 (milestones.csv, M60)."""

RELATED_MILESTONES = {
    "China": (("Normalisation of relations with China", "relations normalised"),
              ("China-Vietnam community with a shared future announced",
               "a \u201cChina-Vietnam community with a shared future\u201d announced, on the basis of the "
               "comprehensive strategic cooperative partnership (a new framing, not a new level)")),
    **{p: (("EAEU FTA signed", f"free trade agreement with the Eurasian Economic Union signed ({p} is a member)"),)
       for p in EAEU_MEMBERS},
    "United States": (("Normalisation of relations with the United States", "relations normalised"),),
    "United Kingdom": (("UKVFTA signed", "UK-Vietnam free trade agreement signed"),),
    **{p: (("EVFTA signed", f"EU-Vietnam free trade agreement signed ({p} is an EU member)"),)
       for p in EU_MEMBERS},
    **{p: (("ASEAN accession", f"Vietnam joins ASEAN, of which {p} is a member"),) for p in ASEAN_MEMBERS},
}
for _p in CPTPP_MEMBERS:
    RELATED_MILESTONES[_p] = RELATED_MILESTONES.get(_p, ()) + (
        ("CPTPP signed", f"CPTPP signed by Vietnam and eleven others, {_p} among them"),)
for _p in RCEP_MEMBERS:
    RELATED_MILESTONES[_p] = RELATED_MILESTONES.get(_p, ()) + (
        ("RCEP signed", f"RCEP signed by the ASEAN states and five partners, {_p} among them"),)
"""Rows of `course/data/milestones.csv` that concern a partner: (event, what it means here)."""

FTAS_IN_READING = {
    "Japan": "a bilateral free trade agreement, and one through ASEAN",
    "Republic of Korea": "a bilateral free trade agreement (with South Korea), and one through ASEAN",
    "India": "a free trade agreement through ASEAN",
    "Australia": "a free trade agreement through ASEAN",
    "New Zealand": "a free trade agreement through ASEAN",
    "China": "a free trade agreement through ASEAN",
    **{p: "a free trade agreement with the European Union" for p in EU_MEMBERS},
    **{p: "free trade through ASEAN, of which both are members" for p in ASEAN_MEMBERS},
    "Russia": "none listed (the reading does not mention the agreement with the Eurasian Economic Union, "
              "signed in 2015)",
}
"""The free trade agreements the integration reading lists by 2018 [hien2018 ¶15]. Its list is
incomplete (it leaves out, e.g., the CPTPP signed in March 2018 and the agreement with the
Eurasian Economic Union, of which Russia is a member), so the fact sheet labels the row so and adds
the agreements the course data hold (CPTPP, RCEP)."""
FTA_CITE = "hien2018 ¶15"
FTA_LABEL = "as the integration reading lists them in 2018 (an incomplete list)"
FTA_NOTES = {p: (f"{FTA_LABEL}; it counts the agreement with the EU as signed, "
                 "but the course data date the signing of the EVFTA to 30 June 2019 (M12)") for p in EU_MEMBERS}
"""Where the reading's list of agreements and the course data disagree."""


def partners() -> list[str]:
    """The partners in the course table: the top tier in the order they reached it, then the rest."""
    from helpers.core import data

    table = data.partnerships()
    top = table[table["level"] == CSP].sort_values(["date", "partner"], kind="stable")["partner"].tolist()
    rest = sorted(table.loc[table["level"] != CSP, "partner"])
    return top + rest


def check_partner(partner: str) -> str:
    """The partner's name as in the table; KeyError naming the choices if it is not there."""
    names = partners()
    for name in names:
        if isinstance(partner, str) and name.lower() == partner.strip().lower():
            return name
    raise KeyError(f"no partner {partner!r} in course/data/partnerships.csv; choose one of: {', '.join(names)}")


def date_text(stamp, precision: str) -> str:
    """A date as precisely as its source gives it: '27 November 2023', 'March 2025', '2009'."""
    if precision == "day":
        return f"{stamp.day} {stamp:%B %Y}"
    if precision == "month":
        return f"{stamp:%B %Y}"
    return f"{stamp:%Y}"


def fact_sheet(partner: str, upgrades=None, milestones=None):
    """The partner's fact sheet: one row per fact, oldest first, each with its source.

    Columns: date (as precise as the source), year, what, kind ('partnership level', 'milestone' or
    'trade agreement'), source (codes from `sources.csv` or a reading paragraph), note (where the
    sources disagree, and other caveats from the data).
    """
    import pandas as pd

    from helpers.core import data

    partner = check_partner(partner)
    steps = data.upgrades() if upgrades is None else upgrades
    events = data.milestones() if milestones is None else milestones
    note = data.partnerships().set_index("partner").at[partner, "note"] if upgrades is None else ""
    rows = []
    for rec in steps[steps["partner"] == partner].sort_values("since").itertuples(index=False):
        what = rec.level if rec.named == rec.level else f"{rec.level} (named \u201c{rec.named}\u201d)"
        if rec.current:
            what += " (current level)"
        rows.append({"sort": rec.since, "date": date_text(rec.since, rec.date_precision),
                     "year": int(rec.since.year), "what": what, "kind": "partnership level",
                     "source": rec.source.replace(";", "; "), "note": note if rec.current else ""})
    for event, meaning in RELATED_MILESTONES.get(partner, ()):
        for rec in events[events["event"] == event].itertuples(index=False):
            rows.append({"sort": rec.date, "date": date_text(rec.date, rec.date_precision),
                         "year": int(rec.date.year), "what": meaning, "kind": "milestone",
                         "source": rec.source.replace(";", "; "), "note": rec.detail or ""})
    if partner in FTAS_IN_READING:
        rows.append({"sort": pd.Timestamp("2018-09-26"), "date": "by 2018", "year": 2018,
                     "what": FTAS_IN_READING[partner], "kind": "trade agreement", "source": FTA_CITE,
                     "note": FTA_NOTES.get(partner, FTA_LABEL)})
    frame = pd.DataFrame(rows, columns=["sort", "date", "year", "what", "kind", "source", "note"])
    frame = frame.sort_values("sort", kind="stable").drop(columns="sort").reset_index(drop=True)
    frame.attrs["partner"] = partner
    return frame


def top_tier_order(upgrades=None):
    """The partners at the top level, in the order they reached it: partner, since, position (1 = first)."""
    from helpers.core import data

    steps = data.upgrades() if upgrades is None else upgrades
    top = steps[(steps["level"] == CSP)].sort_values(["since", "partner"], kind="stable")
    top = top.drop_duplicates("partner")[["partner", "since", "date_precision", "source"]].reset_index(drop=True)
    top.insert(1, "position", range(1, len(top) + 1))
    return top


def years_to_top(upgrades=None):
    """Top-tier partners that had an earlier level: first step, top step, years between (calendar years).

    Columns: partner, first_level, first_year, top_year, years, source. China, whose first
    recorded level is the top one, is left out. Sorted by years, then partner.
    """
    import pandas as pd

    from helpers.core import data

    steps = data.upgrades() if upgrades is None else upgrades
    rows = []
    for partner, group in steps.sort_values("since").groupby("partner", sort=True):
        top = group[group["level"] == CSP]
        earlier = group[group["level"] != CSP]
        if top.empty or earlier.empty:
            continue
        first, top_step = earlier.iloc[0], top.iloc[0]
        rows.append({"partner": partner, "first_level": first["named"], "first_year": int(first["since"].year),
                     "top_year": int(top_step["since"].year),
                     "years": int(top_step["since"].year - first["since"].year), "source": first["source"]})
    frame = pd.DataFrame(rows, columns=["partner", "first_level", "first_year", "top_year", "years", "source"])
    return frame.sort_values(["years", "partner"], kind="stable").reset_index(drop=True)


def partner_summary(partner: str) -> dict:
    """The facts the memo's first section needs, as plain values."""
    from helpers.core import data

    partner = check_partner(partner)
    row = data.partnerships().set_index("partner").loc[partner]
    steps = data.upgrades()
    mine = steps[steps["partner"] == partner].sort_values("since")
    order = top_tier_order(steps)
    years = years_to_top(steps).set_index("partner")
    position = int(order.set_index("partner").at[partner, "position"]) if partner in set(order["partner"]) else None
    return {
        "partner": partner,
        "level": row["level"],
        "since": date_text(row["date"], row["date_precision"]),
        "earlier": [f"{r.named} {date_text(r.since, r.date_precision)}" for r in mine.itertuples() if not r.current],
        "position": position,
        "top_tier": len(order),
        "years_to_top": int(years.at[partner, "years"]) if partner in years.index else None,
        "note": row["note"],
        "source": row["source"].replace(";", "; "),
    }


def fact_sheet_html(partner: str) -> str:
    """The fact sheet as an HTML table, with a one-line summary above it."""
    s = partner_summary(partner)
    table = fact_sheet(partner)
    if s["position"]:
        where = (f"the {_ordinal(s['position'])} of {s['top_tier']} partners to reach the top level"
                 + (f", {s['years_to_top']} years after its first recorded step" if s["years_to_top"] is not None else
                    ", with no earlier step recorded"))
    else:
        where = f"not (yet) at the top level, which {s['top_tier']} partners have reached"
    head = (f"<p><b>{html.escape(s['partner'])}</b>: {html.escape(s['level'])} since {html.escape(s['since'])}; "
            f"{html.escape(where)}.</p>")
    cells = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in (r.date, r.what, r.kind, r.source, r.note)) + "</tr>"
        for r in table.itertuples())
    return (head + '<table class="vnfr-fact-sheet"><thead><tr><th>date</th><th>what</th><th>kind</th>'
            f"<th>source</th><th>note</th></tr></thead><tbody>{cells}</tbody></table>")


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


# --------------------------------------------------------------------------- the readings on a partner

def partner_pattern(partner: str) -> str:
    """The regex that finds the partner in the readings."""
    partner = check_partner(partner)
    return ALIASES.get(partner, re.escape(partner))


def reading_mentions(partner: str, width: int = 70):
    """Every place a reading or one of its notes names the partner: reading, paragraph, citation, theme, context.

    A keyword search, not a judgement: a hit may not be about the partner (e.g. "American professor
    Joseph Nye"), so every row is to be checked before it is cited. Hits in a paragraph's notes are
    cited as "note N to [reading ¶n]".
    """
    import pandas as pd

    from helpers.core import readings

    pattern = partner_pattern(partner)
    found = readings.kwic(pattern, width=width, regex=True)
    found["context"] = found["left"] + "**" + found["match"] + "**" + found["right"]
    rows = [found[["reading", "paragraph", "citation", "context"]]]
    compiled = re.compile(pattern, re.I)
    notes = []
    for rid in READINGS:
        for para in readings.reading(rid).paragraphs:
            for note in para.footnotes:
                head = re.match(r"\[(\d+)\]\s*", note)
                number, text = (head.group(1), note[head.end():]) if head else ("?", note)
                for m in compiled.finditer(text):
                    left = text[max(0, m.start() - width):m.start()]
                    right = text[m.end():m.end() + width]
                    notes.append({"reading": rid, "paragraph": para.number,
                                  "citation": f"note {number} to [{rid} ¶{para.number}]",
                                  "context": left + "**" + m.group(0) + "**" + right})
    if notes:
        rows.append(pd.DataFrame(notes))
    out = pd.concat(rows, ignore_index=True)
    out["theme"] = out["reading"].map(dict(THEME_OF_READING))
    return out[["reading", "paragraph", "citation", "theme", "context"]].reset_index(drop=True)


def evidence_log(partner: str):
    """The start of an evidence log: one row per reading paragraph (or note) whose words match the partner.

    Columns: theme, citation, mentions (how many times the paragraph names the partner), context
    (the first mention). Themes with no match get one row saying so, so the log shows the gaps. It is
    a keyword list to vet, not a list of evidence: some hits are not about the partner.
    """
    import pandas as pd

    found = reading_mentions(partner)
    rows = []
    for theme in THEMES:
        mine = found[found["theme"] == theme]
        if mine.empty:
            rows.append({"theme": theme, "citation": "", "mentions": 0,
                         "context": ("no paragraph or note of this theme's reading matches the partner's name (a keyword "
                                     "search): use the theme's concepts and the data")})
            continue
        for citation, group in mine.groupby("citation", sort=False):
            rows.append({"theme": theme, "citation": citation, "mentions": len(group),
                         "context": group["context"].iloc[0]})
    return pd.DataFrame(rows, columns=["theme", "citation", "mentions", "context"])


# --------------------------------------------------------------------------- charts

def _as_of(steps):
    return steps["since"].max()


def path_frame(partner: str, upgrades=None):
    """Points for the path chart: each top-tier partner (and the chosen one) at each step, and today.

    Columns: partner, date, rank (1 comprehensive, 2 strategic, 3 comprehensive strategic), level,
    named, chosen (bool), source.
    """
    import pandas as pd

    from helpers.core import data

    partner = check_partner(partner)
    steps = data.upgrades() if upgrades is None else upgrades
    top = set(steps.loc[steps["level"] == CSP, "partner"]) | {partner}
    as_of = _as_of(steps)
    rows = []
    for name, group in steps[steps["partner"].isin(top)].sort_values("since").groupby("partner", sort=True):
        for rec in group.itertuples(index=False):
            # a step known only to the month or year is drawn from its end (`counted_from`), as data.level_on counts it
            rows.append((name, getattr(rec, "counted_from", rec.since), rec.rank, rec.level, rec.named,
                         name == partner, rec.source, True))
        last = group.iloc[-1]
        rows.append((name, as_of, int(last["rank"]), last["level"], last["named"], name == partner, last["source"], False))
    return pd.DataFrame(rows, columns=["partner", "date", "rank", "level", "named", "chosen", "source", "step"])


LEVEL_LABELS = "datum.value == 3 ? 'comprehensive strategic' : datum.value == 2 ? 'strategic' : 'comprehensive'"


def path_chart(partner: str):
    """The partner's path up the levels (in colour) against the other top-tier partners (grey)."""
    import altair as alt

    from helpers.core import charts, data

    partner = check_partner(partner)
    frame = path_frame(partner)
    s = partner_summary(partner)
    y = alt.Y("rank:Q", title="level of partnership", scale=alt.Scale(domain=[0.8, 3.2]),
              axis=alt.Axis(values=[1, 2, 3], labelExpr=LEVEL_LABELS, grid=True))
    x = alt.X("date:T", title="year", axis=alt.Axis(format="%Y"))
    others = alt.Chart(frame[~frame["chosen"]]).mark_line(interpolate="step-after", color=OTHERS, opacity=0.6,
                                                          strokeWidth=1.5).encode(
        x=x, y=y, detail="partner:N",
        tooltip=[alt.Tooltip("partner:N"), alt.Tooltip("named:N", title="level as named"),
                 alt.Tooltip("date:T", title="from", format="%Y-%m")])
    mine = frame[frame["chosen"]]
    line = alt.Chart(mine).mark_line(interpolate="step-after", color=HIGHLIGHT, strokeWidth=4).encode(x=x, y=y)
    points = alt.Chart(mine[mine["step"]]).mark_point(color=HIGHLIGHT, filled=True, size=90).encode(
        x=x, y=y, tooltip=[alt.Tooltip("named:N", title="level as named"),
                           alt.Tooltip("date:T", title="from", format="%Y-%m")])
    labels = alt.Chart(mine[mine["step"]]).mark_text(align="left", dx=6, dy=-10, color=HIGHLIGHT,
                                                      fontSize=12).encode(x=x, y=y, text=alt.Text("date:T", format="%Y"))
    steps = "; ".join(s["earlier"]) if s["earlier"] else "no earlier level recorded"
    if s["position"]:
        where = f"It was the {_ordinal(s['position'])} of the {s['top_tier']} partners to reach the top level."
    else:
        where = f"It is not at the top level, which {s['top_tier']} partners have reached."
    n_others = frame.loc[~frame["chosen"], "partner"].nunique()
    return charts.finish(
        (others + line + points + labels).properties(height=260),
        title=f"{partner}'s path up the partnership levels, against the other top-tier partners",
        description=(
            f"Step lines of each partner's level over time, from comprehensive to strategic to comprehensive "
            f"strategic partnership. {partner}, in red: {steps}; {s['level']} since {s['since']}. {where} "
            f"The {n_others} other top-tier partners are in grey. A step dated only to the month or the year "
            "is drawn from the end of that month or year, when the data count it. The table is not a complete list of Vietnam's partners."),
        source=data.source_note(frame["source"]),
    )


def years_chart(partner: str):
    """Bars: years from each top-tier partner's first recorded level to the top, the chosen one in colour."""
    import altair as alt

    from helpers.core import charts, data

    partner = check_partner(partner)
    frame = years_to_top()
    frame["chosen"] = frame["partner"] == partner
    bars = alt.Chart(frame).mark_bar().encode(
        x=alt.X("years:Q", title="years from first recorded level to comprehensive strategic partnership"),
        y=alt.Y("partner:N", sort=list(frame.sort_values(["years", "partner"], ascending=[False, True])["partner"]),
                title=None),
        color=alt.Color("chosen:N", scale=alt.Scale(domain=[True, False], range=[HIGHLIGHT, OTHERS]), legend=None),
        tooltip=[alt.Tooltip("partner:N"), alt.Tooltip("first_level:N", title="first level"),
                 alt.Tooltip("first_year:O", title="from"), alt.Tooltip("top_year:O", title="top level"),
                 alt.Tooltip("years:Q")])
    labels = bars.mark_text(align="left", dx=3, fontSize=11, color="#30343f").encode(text="years:Q")
    median = float(frame["years"].median())
    if partner in set(frame["partner"]):
        mine = frame.set_index("partner").loc[partner]
        said = (f"{partner}, in red, took {mine['years']} years ({mine['first_year']} to {mine['top_year']}), "
                f"against a median of {median:g} years.")
    else:
        said = (f"{partner} is not among them: it has no earlier level recorded, or it has not reached the top "
                f"level. The median is {median:g} years.")
    return charts.finish(
        (bars + labels).properties(height=alt.Step(18)),
        title="How long the climb to the top level took",
        description=(
            f"A bar for each of the {len(frame)} top-tier partners with an earlier recorded level, counting "
            f"calendar years from its first recorded level to comprehensive strategic partnership. {said} "
            "China is left out: its first recorded level is the top one."),
        source=data.source_note(frame["source"]),
    )


# --------------------------------------------------------------------------- the memo

SECTIONS = (
    ("cap-memo-context", "1. Context", None),
    ("cap-memo-softpower", "2. Soft power", "soft power"),
    ("cap-memo-diplomacy", "3. The new diplomacy", "new diplomacy"),
    ("cap-memo-integration", "4. International integration", "international integration"),
    ("cap-memo-depth", "5. How deep is the relationship?", "deepening relations"),
    ("cap-memo-recommendation", "6. Recommendation", None),
)
"""The memo's sections: the text exercise that collects each, its heading, and its theme."""

CONCEPTS = {
    "soft power": (
        ("nye-definitions", "hard, soft and smart power (Nye)", "quy2024 ¶3"),
        ("nye-resources", "Nye's three resources: culture, political values, foreign policies", "quy2024 ¶4"),
        ("soft-hard-use", "soft and hard ways of using the same power", "quy2024 ¶6"),
        ("perceptions", "soft power works through leaders', media and public perceptions", "quy2024 ¶13"),
        ("history-source", "source 1: the history of struggle for independence", "quy2024 ¶15"),
        ("culture-source", "source 2: culture, tolerance and hospitality", "quy2024 ¶16"),
        ("development-source", "source 3: development goals and achievements", "quy2024 ¶17"),
        ("policy-source", "source 4: foreign policy and matching words with deeds", "quy2024 ¶19–22"),
        ("ordering-2030", "to 2030: foreign policy first, then development, culture, history", "quy2024 ¶26"),
        ("speech-definition", "the 2016 speech: righteous cause, national unity, world sympathy", "trong2016 ¶3"),
    ),
    "new diplomacy": (
        ("three-pillars", "the three pillars: party, state and people's diplomacy", "yu2022 ¶2"),
        ("balance", "balance between major powers, \u201cboth struggle and cooperation\u201d", "yu2022 ¶2"),
        ("confident", "change 1: more confident and proactive", "yu2022 ¶5"),
        ("sovereignty", "change 2: independence, sovereignty and territorial security", "yu2022 ¶7"),
        ("multilateralism", "change 3: multilateralism, diversification and integration", "yu2022 ¶9"),
        ("interest-relations", "change 4: more attention to interest relations", "yu2022 ¶11"),
        ("party-leadership", "change 5: stronger Party leadership over foreign affairs", "yu2022 ¶13"),
        ("china-view", "a Chinese view: ballast, party channels, a possible \u201cquasi-alliance\u201d", "yu2022 ¶18"),
    ),
    "international integration": (
        ("congress-formula", "the 12th Congress formula: supreme national interests, independence, reliable partner", "hien2018 ¶8"),
        ("economic-central", "economic integration is central; other fields support it", "hien2018 ¶13"),
        ("economic-field", "field 1: economic integration, FTAs, exports and FDI", "hien2018 ¶15"),
        ("culture-field", "field 2: cultural, social and environmental integration", "hien2018 ¶16–18"),
        ("security-field", "field 3: politics, defence and security", "hien2018 ¶19–21"),
        ("lesson-leadership", "lesson 1: Party leadership and the whole political system", "hien2018 ¶23"),
        ("lesson-forecasting", "lesson 2: know the world, forecast, perfect institutions", "hien2018 ¶24"),
        ("lesson-purpose", "lesson 3: the purpose is national interests and people's lives", "hien2018 ¶25"),
        ("lesson-risks", "lesson 4: risks of integration, from shocks to \u201cpeaceful evolution\u201d", "hien2018 ¶26–28"),
    ),
    "deepening relations": (
        ("three-conditions", "depth rests on interests, institutions, identity and values", "quytung2009 ¶7–10"),
        ("entwinement", "interest entwinement: one party could not be without the other", "quytung2009 ¶19"),
        ("mechanisms", "tight or loose cooperative mechanisms", "quytung2009 ¶26–27"),
        ("we-feeling", "a shared \u201cwe-feeling\u201d among elites and publics", "quytung2009 ¶32"),
        ("width-first", "depth needs a given width", "quytung2009 ¶34"),
        ("confidence-table", "the confidence \u00d7 cooperation table", "quytung2009 ¶38"),
        ("degrees", "the four degrees of confidence: words and deeds", "quytung2009 ¶40–43"),
        ("capacity", "capacity to manage relations in depth", "quytung2009 ¶45–46"),
        ("partnership-model", "the partnership model: developed, institutionalised, managed projects", "quytung2009 ¶48–50"),
    ),
}
"""The concepts a memo can use, by theme: (id, label, the paragraph that defines it)."""

QUESTIONS = {
    "cap-memo-context": "What is the partnership's level, since when, by which steps, and how does it compare with "
                        "the other top-tier partners? Where do the sources disagree?",
    "cap-memo-softpower": "Which sources of Vietnam's soft power count with this partner, and through whose "
                          "perceptions? Does soft power need hard power beside it here?",
    "cap-memo-diplomacy": "Which pillar carries the relationship? Where do interests and the balance between major "
                          "powers shape it? Whose view of it are you reading?",
    "cap-memo-integration": "Which of the three fields does the partner serve, with what figures? Which lesson "
                            "and which risk apply?",
    "cap-memo-depth": "What evidence backs each score? Which cell of the table, which degree of confidence, and "
                      "what would move the relationship on?",
    "cap-memo-recommendation": "One recommendation, two or three steps, one risk managed, and the evidence that "
                               "would show success.",
}


def concept_index() -> dict:
    """Concept id -> (theme, label, citation)."""
    return {cid: (theme, label, cite) for theme, items in CONCEPTS.items() for cid, label, cite in items}


def word_limits(set_id: str = SET_ID) -> dict:
    """Exercise id -> (min_words, max_words) for the memo's sections, from the bank."""
    from helpers.exercises import load_set_bank

    bank = load_set_bank(set_id)
    return {ex_id: (bank[ex_id].spec.get("min_words"), bank[ex_id].spec.get("max_words")) for ex_id, _, _ in SECTIONS}


def _words(limits) -> str:
    low, high = limits
    if low and high:
        return f"{low}\u2013{high} words"
    return f"at most {high} words" if high else (f"at least {low} words" if low else "")


def outline_warnings(concepts) -> list[str]:
    """What the outline still lacks: unknown concepts raise; themes with fewer than two concepts are listed."""
    index = concept_index()
    unknown = [c for c in concepts if c not in index]
    if unknown:
        raise KeyError(f"unknown concept(s): {', '.join(unknown)}; see capstone.CONCEPTS")
    chosen = {theme: 0 for theme in THEMES}
    for c in dict.fromkeys(concepts):
        chosen[index[c][0]] += 1
    return [f"{theme}: choose at least two concepts (you have {n})" for theme, n in chosen.items() if n < 2]


def memo_outline(partner: str, interests: int, institutions: int, identity: int, words_and_deeds: int | None,
                 concepts=(), limits: dict | None = None, width: int | None = None,
                 capacity: int | None = None) -> str:
    """The skeleton of the memo as Markdown: facts, chosen concepts with citations, scorecard, questions.

    `interests`, `institutions`, `identity` (0-4) and `words_and_deeds` (1-4) go to the depth
    scorecard of notebook 04 (`deepening.scorecard`), which raises ValueError on a bad score;
    `words_and_deeds` None means not scored yet (no placement). `width` and `capacity` (0-4 or None)
    are the scorecard's other two conditions for depth.
    `concepts` are ids from `CONCEPTS`; an unknown id raises KeyError. `limits` (exercise id ->
    (min, max) words) defaults to the bank's.
    """
    s = partner_summary(partner)
    card = (None if words_and_deeds is None else
            deepening.scorecard(interests, institutions, identity, words_and_deeds, width, capacity))
    warnings = outline_warnings(concepts)
    index = concept_index()
    limits = word_limits() if limits is None else limits
    mentions = evidence_log(s["partner"])
    cited = [c for c in mentions["citation"] if c]
    lines = [
        f"# Policy memo: Vietnam and {s['partner']}",
        "",
        "**To:** (your reader) · **From:** (your name) · **Date:** (today)  ",
        f"**Subject:** How deep is Vietnam's partnership with {s['partner']}, and what should Vietnam do next?",
        "",
    ]
    for ex_id, heading, theme in SECTIONS:
        lines += [f"## {heading} ({_words(limits.get(ex_id, (None, None)))}; exercise `{ex_id}`)", ""]
        if ex_id == "cap-memo-context":
            lines.append(f"- Level: {s['level']} since {s['since']} [{s['source']}]")
            lines.append("- Earlier steps: " + ("; ".join(s["earlier"]) if s["earlier"] else "none recorded"))
            if s["position"]:
                lines.append(f"- The {_ordinal(s['position'])} of {s['top_tier']} partners at the top level"
                             + (f"; {s['years_to_top']} years from its first recorded level" if s["years_to_top"] is not None else ""))
            if s["note"]:
                lines.append(f"- Note from the data: {s['note']}")
            lines.append("- Readings that name the partner: " + (", ".join(cited) if cited else "none"))
        if theme:
            mine = [c for c in dict.fromkeys(concepts) if index[c][0] == theme]
            if mine:
                lines += [f"- {index[c][1]} [{index[c][2]}]" for c in mine]
            else:
                lines.append("- (no concept chosen yet)")
        if ex_id == "cap-memo-depth" and card is None:
            lines.append("- Scorecard: not scored yet (choose the partner's record on words and deeds)")
        elif ex_id == "cap-memo-depth":
            name, words, _ = deepening.DEGREES[card.degree]
            lines.append(f"- Scorecard: {deepening._scores_text(card)}; {name} ({words})")
            lines.append(f"- Table: cell {card.cell}, \u201c{card.cell_label}\u201d [quytung2009 ¶38]; "
                         f"verdict: {card.depth}")
            lines += [f"  - {r}" for r in card.reasons]
        lines += ["", f"*Ask:* {QUESTIONS[ex_id]}", ""]
    if warnings:
        lines += ["---", "", "**Still to do:** " + "; ".join(warnings) + "."]
    return "\n".join(lines)


def show_scorecard_rules() -> None:
    """The depth scorecard's rules, every threshold included (the same text as in notebook 04)."""
    deepening.show_rules()


# --------------------------------------------------------------------------- the rubric

def rubric_table(set_id: str = SET_ID):
    """The written exercises with their word limits, points and rubric criteria, from the bank.

    Columns: exercise, section, words, points, criteria (a list; empty in an edition that does not
    carry the rubric).
    """
    import pandas as pd

    from helpers.exercises import load_set_bank

    bank = load_set_bank(set_id)
    headings = {ex_id: heading for ex_id, heading, _ in SECTIONS}
    rows = []
    for ex in bank:
        if ex.type != "text":
            continue
        rows.append({"exercise": ex.id, "section": headings.get(ex.id, "Reflection: who is speaking?"),
                     "words": _words((ex.spec.get("min_words"), ex.spec.get("max_words"))),
                     "points": ex.points, "criteria": list(ex.spec.get("rubric") or [])})
    return pd.DataFrame(rows, columns=["exercise", "section", "words", "points", "criteria"])


def rubric_markdown(set_id: str = SET_ID) -> str:
    """The rubric as Markdown: one block per written exercise, with the structured exercises' share."""
    from helpers.exercises import load_set_bank

    table = rubric_table(set_id)
    bank = load_set_bank(set_id)
    structured = [ex for ex in bank if ex.type != "text"]
    lines = []
    for r in table.itertuples():
        lines.append(f"**{r.section}** (`{r.exercise}`, {r.words}, {r.points:g} points)")
        lines.append("")
        if r.criteria:
            lines += [f"- {c}" for c in r.criteria]
        else:
            lines.append("- The criteria are held by your teacher in this edition; the prompt says what the section must cover.")
        lines.append("")
    total_text = float(table["points"].sum())
    total_structured = sum(ex.points for ex in structured)
    lines.append(f"The written sections carry {total_text:g} points; the {len(structured)} structured exercises "
                 f"carry {total_structured:g} points, scored automatically from your recorded answers.")
    return "\n".join(lines)


def show_rubric(set_id: str = SET_ID) -> None:
    from IPython.display import Markdown, display

    display(Markdown(rubric_markdown(set_id)))


# --------------------------------------------------------------------------- readings and references

def readings_table():
    """The five readings, oldest first: who speaks, to whom, when (from the readings' headers)."""
    from helpers.core import readings

    table = readings.catalogue().set_index("reading").loc[list(READINGS)].reset_index()
    table["date"] = [d[:4] + (" (inferred)" if inferred else "") for d, inferred in zip(table["date"], table["date_inferred"])]
    table["theme"] = table["reading"].map(dict(THEME_OF_READING))
    return table[["reading", "theme", "authors", "date", "outlet", "speaker", "paragraphs"]]


def show_readings() -> None:
    from IPython.display import display

    display(readings_table().style.hide(axis="index"))


def reference_markdown(reading_id: str) -> str:
    """A reading's full reference from its header: authors (posts), title, outlet, date, address."""
    from helpers.core import readings

    r = readings.reading(reading_id)
    m = r.meta
    authors = "; ".join(f"{a['name']}" + (f" ({a['affiliation']})" if a.get("affiliation") else "") for a in m["authors"])
    date = m["date"]
    if m.get("date_inferred"):
        when = f"{date.year} (date inferred). {str(m.get('date_evidence', '')).rstrip('.')}"
    else:
        when = f"{date.day} {date:%B %Y}"
    parts = [f"{authors}. \u201c{m['title']}\u201d. {m['outlet']}" + (" (outlet inferred)" if m.get("outlet_inferred") else "")
             + f". {when}."]
    if m.get("date_note"):
        parts.append(f"On the date: {m['date_note']}")
    if m.get("print_issue"):
        parts.append(f"Print: {m['print_issue']}.")
    names = {"en": "English", "vi": "Vietnamese", "zh": "Chinese"}
    lang = f"In {names.get(m['language'], m['language'])}"
    if m.get("original_language"):
        code = str(m["original_language"]).split()[0]
        lang += f"; original language {names.get(code, code)}"
    parts.append(lang + (f" ({m['language_note'].rstrip('.')})." if m.get("language_note") else "."))
    parts.append(f"Address: {m['url']}." if m["url"] != "unknown" else "Original address unknown.")
    if m.get("url_note"):
        parts.append(m["url_note"].rstrip(".") + ".")
    parts.append(f"In this course: `seeds/{r.path.name}`, {len(r.paragraphs)} numbered paragraphs.")
    return " ".join(parts)


def data_codes() -> list[str]:
    """The source codes behind the notebook's fact sheets and charts (partnerships and related milestones)."""
    from helpers.core import data

    cells = list(data.partnerships()["source"])
    events = {e for pairs in RELATED_MILESTONES.values() for e, _ in pairs}
    ms = data.milestones()
    cells += list(ms.loc[ms["event"].isin(events), "source"])
    return list(dict.fromkeys(c for cell in cells for c in data.split_source(cell)))


def references_markdown() -> str:
    """References: the five readings in full, then the data sources with their addresses."""
    from helpers.core import data

    table = data.sources().set_index("code")
    lines = ["**The readings** (oldest first)", ""]
    lines += [f"- `{rid}`: {reference_markdown(rid)}" for rid in READINGS]
    lines += ["", "**The data** (`course/data/partnerships.csv`, `course/data/milestones.csv`; codes from "
              "`course/data/sources.csv`)", ""]
    lines += [f"- [{c}] {table.at[c, 'title']}. {table.at[c, 'where']}." for c in data_codes()]
    return "\n".join(lines)


def show_references() -> None:
    from IPython.display import Markdown, display

    display(Markdown(references_markdown()))


# --------------------------------------------------------------------------- widgets

def partner_picker(partner: str = DEFAULT_PARTNER):
    """A menu of partners; the chosen one's fact sheet and the readings that name it."""
    import ipywidgets as w

    from helpers.exercises.widgets import md_to_html

    menu = w.Dropdown(options=partners(), value=check_partner(partner), description="Partner",
                      layout=w.Layout(width="420px"))
    sheet = w.HTML()
    mentions = w.HTML()

    def refresh(_=None):
        sheet.value = fact_sheet_html(menu.value)
        log = evidence_log(menu.value)
        items = "".join(f"<li><b>{html.escape(r.theme)}</b> {html.escape(r.citation)}: "
                        f"{md_to_html(r.context).removeprefix('<p>').removesuffix('</p>').strip()}</li>"
                        for r in log.itertuples())
        mentions.value = f"<p><b>Where the readings name {html.escape(menu.value)}</b></p><ul>{items}</ul>"

    menu.observe(refresh, names="value")
    refresh()
    box = w.VBox([menu, sheet, mentions])
    box.menu, box.sheet, box.mentions = menu, sheet, mentions
    return accessible(box)


def memo_builder(partner: str = DEFAULT_PARTNER):
    """Choose a partner, score it with the depth scorecard of notebook 04, pick concepts: see the outline."""
    import ipywidgets as w

    from helpers.exercises.widgets import md_to_html

    menu = w.Dropdown(options=partners(), value=check_partner(partner), description="Partner",
                      layout=w.Layout(width="420px"))
    card = deepening.scorecard_widget()
    pickers = {theme: w.SelectMultiple(options=[(f"{label} [{cite}]", cid) for cid, label, cite in CONCEPTS[theme]],
                                       rows=len(CONCEPTS[theme]), description=theme,
                                       style={"description_width": "170px"}, layout=w.Layout(width="900px"))
               for theme in THEMES}
    outline = w.HTML()
    limits = word_limits()

    def chosen():
        return [cid for theme in THEMES for cid in pickers[theme].value]

    def refresh(_=None):
        text = memo_outline(menu.value, card.sliders["interests"].value, card.sliders["institutions"].value,
                            card.sliders["identity"].value, card.record.value, chosen(), limits=limits,
                            width=card.extra["width"].value, capacity=card.extra["capacity"].value)
        outline.value = md_to_html(text)

    for widget in [menu, card.record, *card.sliders.values(), *card.extra.values(), *pickers.values()]:
        widget.observe(refresh, names="value")
    refresh()
    help_text = w.HTML("<p>Hold Ctrl (Cmd on a Mac) or Shift to choose several concepts in a list.</p>")
    box = w.VBox([menu, w.HTML("<b>1. Score the relationship</b>"), card,
                  w.HTML("<b>2. Choose the concepts for each section</b>"), help_text, *pickers.values(),
                  w.HTML("<b>3. Your outline</b>"), outline])
    box.menu, box.card, box.pickers, box.outline = menu, card, pickers, outline
    return accessible(box)


__all__ = ["SET_ID", "READINGS", "THEMES", "CONCEPTS", "SECTIONS", "partners", "check_partner", "fact_sheet",
           "fact_sheet_html", "top_tier_order", "years_to_top", "partner_summary", "reading_mentions",
           "evidence_log", "show_scorecard_rules", "path_frame", "path_chart", "years_chart", "memo_outline", "outline_warnings",
           "word_limits", "rubric_table", "rubric_markdown", "show_rubric", "readings_table", "show_readings",
           "reference_markdown", "references_markdown", "show_references", "data_codes", "partner_picker",
           "memo_builder"]
