"""Notebook 05, the capstone: the facts a memo starts from, each with its source.

* `partners()`, `fact_sheet(partner)`: the partner's levels and dates, related milestones and the
  free trade agreements the integration reading names, each row with its source;
* `reading_mentions(partner)`, `evidence_log(partner)`: where the five readings mention the
  partner, sorted by the memo's four themes;
* `top_tier_order()`, `years_to_top()`, `path_chart(partner)`, `years_chart(partner)`: the
  partner's path up the levels against the other top-tier partners (charts finished with a title,
  a description and the rows' sources).

The notebook calls them through `helpers.lessons.capstone` (`capstone.fact_sheet(...)`).
"""
from __future__ import annotations

import html
import re

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
