"""Notebook 03, international integration: charts, a claim checker and the milestone explorer.

The reading is Vu Van Hien's 2018 review of thirty years of the Party's external policy
(`seeds/hien2018-international-integration.md`). This module puts its figures beside the course
data (`course/data/`), so that a student can check them:

    from helpers import integration
    integration.exports_chart()          # exports 1995-2024 against the integration milestones
    integration.fdi_chart()              # FDI registered and disbursed, the years the data have
    integration.fta_chart()              # how many free-trade agreements, as sources count them
    integration.claim_checks()           # the reading's figures beside the data's (a table)
    integration.period_summary(1995, 2017)   # the explorer's logic: a pure function
    integration.milestone_explorer()     # the widget that wraps it

Every function that builds a table takes the data frames as optional arguments, so a test can
give it small frames of its own; by default it reads `helpers.core.data`.
"""
from __future__ import annotations

import html
import math
import re

from helpers.core import data
from helpers.core.a11y import accessible

EXPORTS = "merchandise exports"
FDI = ("FDI registered", "FDI disbursed")
INTEGRATION_CATEGORIES = ("trade agreement", "multilateral membership")
"""The milestone categories drawn on the exports chart and offered by the explorer by default."""

READING = "hien2018"
PUBLISHED = "2018-09-26"
"""The reading's date of publication online (its header); the print issue is August 2018."""

STATUS_ORDER = ("reported", "approximate", "lower bound", "estimate", "preliminary", "implied")
STATUS_COLOURS = ("#30343f", "#8d6a9f", "#00798c", "#d1495b", "#edae49", "#66a182")
STATUS_WORDS = {"approximate": "approximate", "lower bound": "a lower bound", "estimate": "an estimate",
                "preliminary": "preliminary", "implied": "implied by a later report"}
STATUS_SHAPES = ("circle", "diamond", "triangle-up", "square", "cross", "triangle-down")


# --------------------------------------------------------------------------- small helpers

def _is_reading_cite(token: str) -> bool:
    return bool(data.READING_CITE_RE.match(token))


def only_reading_sources(source: str) -> bool:
    """True when every item of a `source` cell cites a reading (no independent source)."""
    tokens = data.split_source(source)
    return bool(tokens) and all(_is_reading_cite(t) for t in tokens)


def decimal_year(date) -> float:
    """A date as a year with a fraction (2007-01-11 -> 2007.03), for placing events on a year axis."""
    import pandas as pd

    ts = pd.Timestamp(date)
    return round(ts.year + (ts.day_of_year - 1) / (366 if ts.is_leap_year else 365), 3)


def short_label(event: str) -> str:
    """'WTO accession' -> 'WTO'; 'CPTPP signed' -> 'CPTPP' (a label short enough for a chart)."""
    for tail in (" accession", " signed"):
        if event.endswith(tail):
            return event[: -len(tail)]
    return event


def times_larger(later: float, earlier: float) -> float:
    """How many times larger `later` is than `earlier` (213.77 and 5 -> 42.754)."""
    if earlier == 0:
        raise ZeroDivisionError("the earlier value is zero: 'times larger' has no meaning")
    return later / earlier


def annual_growth(first: float, last: float, years: int) -> float:
    """The compound annual growth rate that takes `first` to `last` in `years` years (0.186 = 18.6 %)."""
    if years <= 0:
        raise ValueError("the period must be at least one year long")
    if first <= 0 or last <= 0:
        raise ValueError("growth rates need positive values")
    return (last / first) ** (1 / years) - 1


# --------------------------------------------------------------------------- tables

def exports(indicators=None):
    """The merchandise exports series (year, value in USD bn, status, note, source), by year."""
    frame = data.indicators(EXPORTS) if indicators is None else (
        indicators[indicators["indicator"] == EXPORTS].sort_values("year").reset_index(drop=True))
    return frame


def integration_milestones(categories=INTEGRATION_CATEGORIES, milestones=None):
    """The milestones of the given categories, with `x` (decimal year) and a short `label`."""
    frame = data.milestones() if milestones is None else milestones.copy()
    frame = frame[frame["category"].isin(list(categories))].sort_values("date", kind="stable")
    frame = frame.reset_index(drop=True)
    frame["x"] = [decimal_year(d) for d in frame["date"]]
    frame["year"] = [d.year for d in frame["date"]]
    frame["label"] = [f"{short_label(e)} {y}" for e, y in zip(frame["event"], frame["year"])]
    return frame


def fdi(indicators=None):
    """FDI registered and disbursed, one row per indicator and year."""
    frame = data.indicators() if indicators is None else indicators
    frame = frame[frame["indicator"].isin(FDI)].sort_values(["year", "indicator"], kind="stable")
    return frame.reset_index(drop=True)


def fta_counts(counts=None):
    """Counts of free-trade agreements as sources state them, oldest first, with a bar label."""
    frame = data.counts() if counts is None else counts
    frame = frame[frame["what"].str.startswith("FTAs")].sort_values("as_of", kind="stable").reset_index(drop=True)
    frame["label"] = [f"{d:%b %Y}: {w}" for d, w in zip(frame["as_of"], frame["what"])]
    return frame


def _row(frame, **match):
    rows = frame
    for col, value in match.items():
        rows = rows[rows[col] == value]
    if rows.empty:
        raise KeyError(f"no row with {match}")
    return rows.iloc[0]


def claim_checks(indicators=None, milestones=None, partners_on_date=None):
    """The reading's figures beside the course data's, one row per claim.

    Columns: claim, cite, reading (what the reading says), data (what the course data says),
    source (the data rows' source codes), verdict. `partners_on_date` is each partner's level on
    the reading's date (`data.level_on(PUBLISHED)` by default).
    """
    import pandas as pd

    ind = data.indicators() if indicators is None else indicators
    mil = data.milestones() if milestones is None else milestones
    on_date = data.level_on(PUBLISHED) if partners_on_date is None else partners_on_date
    rows = []

    ex = ind[ind["indicator"] == EXPORTS].set_index("year")
    y17, y95 = ex.loc[2017], ex.loc[1995]
    diff = 214 - y17["value"]
    rows.append({
        "claim": "Exports in 2017 were US$214 billion", "cite": "[hien2018 ¶15]", "reading": "214",
        "data": f"{y17['value']:g} ({y17['status']})", "source": y17["source"],
        "verdict": (f"agrees after rounding: the reading rounds a figure that its source calls an "
                    f"{y17['status']} (a difference of {abs(diff):.2f} bn, {abs(diff) / y17['value']:.1%})"
                    if abs(diff) < 0.5 else f"disagrees by {diff:.2f} bn"),
    })
    rows.append({
        "claim": "Exports in 1995 were US$5 billion", "cite": "[hien2018 ¶15]", "reading": "5",
        "data": f"{y95['value']:g} ({y95['status']})", "source": y95["source"],
        "verdict": ("cannot be checked with the course data: its only source is the reading itself"
                    if only_reading_sources(y95["source"]) else
                    "agrees" if y95["value"] == 5 else
                    (f"agrees after rounding to the nearest billion: the data give {y95['value']:g}, "
                     f"which the reading rounds down by {(y95['value'] - 5) / y95['value']:.0%}")
                    if round(y95["value"]) == 5 else f"the data give {y95['value']:g}"),
    })
    ratio = times_larger(y17["value"], y95["value"])
    rounded = times_larger(214, 5)
    rows.append({
        "claim": "2017 exports were 40 times those of 1995", "cite": "[hien2018 ¶15]", "reading": "40",
        "data": f"{ratio:.1f} ({y17['value']:g} / {y95['value']:g})",
        "source": "; ".join(dict.fromkeys(data.split_source(y17["source"]) + data.split_source(y95["source"]))),
        "verdict": (("agrees after rounding" if abs(ratio - 40) < 1 else f"the data give {ratio:.1f} times")
                    + (f": the data give {ratio:.1f} times, so '40 times' is a slight round-up; dividing the "
                       f"reading's own rounded figures (214 / 5) would give {rounded:.1f}, because '$5 billion' "
                       "is itself rounded down" if abs(ratio - 40) < 1 and ratio < 40 else "")
                    + ("; the 1995 figure comes only from the reading, so this check is not independent"
                       if only_reading_sources(y95["source"]) else "")),
    })
    avg = ind[ind["indicator"].str.startswith("FDI average")]
    later = ind[ind["indicator"].isin(FDI)].sort_values(["year", "indicator"])
    before = later[later["year"] <= int(PUBLISHED[:4])]
    later_text = ", ".join(f"{r.indicator.split()[1]} {r.year}: {r.value:g}" for r in later.itertuples())
    before_text = ", ".join(f"{r.indicator.split()[1]} {r.year}: {r.value:g}" for r in before.itertuples())
    if len(avg) and len(before):
        verdict = (f"does not fit the latest years before the article ({before_text}): 'almost 11 a year' is below "
                   "both measures; it may average an earlier or longer period, which the reading does not name")
    elif len(avg) and only_reading_sources(avg.iloc[0]["source"]):
        verdict = ("cannot be checked with the course data: the reading does not say whether it means registered or "
                   f"disbursed FDI, nor which years; the data's FDI figures are for later years ({later_text})")
    else:
        verdict = "compare the figures"
    rows.append({
        "claim": "FDI averages almost US$11 billion a year in recent years", "cite": "[hien2018 ¶15]",
        "reading": "almost 11 a year",
        "data": (f"{avg.iloc[0]['value']:g} ({avg.iloc[0]['status']}); " if len(avg) else "") + (before_text or later_text),
        "source": "; ".join(dict.fromkeys([t for s_ in list(avg["source"]) + list((before if len(before) else later)["source"])
                                           for t in data.split_source(s_)])),
        "verdict": verdict,
    })
    for claim, cite, reading, event in (
        ("Vietnam joined the WTO in 2007", "[hien2018 ¶15]", "2007", "WTO accession"),
        ("Vietnam first sent officers to UN peacekeeping in May 2014", "[hien2018 ¶20]", "May 2014",
         "First UN peacekeeping deployment"),
    ):
        m = _row(mil, event=event)
        when = f"{m['date']:%Y-%m-%d}" if m["date_precision"] == "day" else f"{m['date']:%Y-%m}"
        shown = m["date"].strftime("%B %Y") if m["date_precision"] == "month" else str(m["date"].year)
        rows.append({"claim": claim, "cite": cite, "reading": reading, "data": when, "source": m["source"],
                     "verdict": "agrees" if shown == reading or str(m["date"].year) == reading else
                     f"the data give {when}"})
    try:
        eu = _row(mil, event="EVFTA signed")
        rows.append({
            "claim": "Vietnam had signed an FTA with the EU (by 2018)", "cite": "[hien2018 ¶15]", "reading": "signed",
            "data": f"signed {eu['date']:%Y-%m-%d}", "source": eu["source"],
            "verdict": ("disagrees: the EU agreement was signed after the article (September 2018); the reading "
                        "counts an agreement under negotiation as signed"
                        if eu["date"] > pd.Timestamp(PUBLISHED) else "agrees"),
        })
    except KeyError:
        pass
    signed_before = mil[(mil["category"] == "trade agreement") & (mil["date"] <= pd.Timestamp(PUBLISHED))]
    listed = re.compile(r"\b(ASEAN|Japan|Chile|EU|EVFTA|Korea|BTA|TPP)\b")  # named, not an FTA, or superseded
    missing = [r for r in signed_before.itertuples() if not listed.search(r.event)]
    if missing:
        rows.append({
            "claim": "The FTAs listed (ASEAN, Japan, Chile, the EU, South Korea) are those Vietnam had signed",
            "cite": "[hien2018 ¶15]", "reading": "5 partners named",
            "data": "; ".join(f"{short_label(r.event)} signed {r.date:%Y-%m-%d}" for r in missing),
            "source": "; ".join(dict.fromkeys(t for r in missing for t in data.split_source(r.source))),
            "verdict": ("incomplete: the list leaves out agreements signed before the article (its next sentence "
                        "speaks of 'the signing and upcoming implementation of new generation FTAs', which may "
                        "allude to the CPTPP without naming it)"),
        })
    try:
        ip = _row(mil, event="Interpol membership")
        rows.append({
            "claim": "Vietnam has been a member of Interpol since 1990", "cite": "[hien2018 ¶20]", "reading": "1990",
            "data": str(ip["date"].year), "source": ip["source"],
            "verdict": ("agrees" if ip["date"].year == 1990 else
                        f"disagrees by {ip['date'].year - 1990} year{'s' if abs(ip['date'].year - 1990) != 1 else ''}: "
                        f"Vietnamese official sources date membership to {ip['date'].year}"),
        })
    except KeyError:
        pass
    sea = mil[(mil["category"] == "South China Sea") & (mil["date"] <= pd.Timestamp(PUBLISHED))
              & (mil["date"] >= pd.Timestamp("2011-01-01"))]
    if len(sea):
        rows.append({
            "claim": "Independence, sovereignty, unity and territorial integrity have been maintained",
            "cite": "[hien2018 ¶10]", "reading": "maintained",
            "data": "; ".join(f"{r.event} ({data.date_text(r.date, r.date_precision)})" for r in sea.itertuples()),
            "source": "; ".join(dict.fromkeys(t for s_ in sea["source"] for t in data.split_source(s_))),
            "verdict": ("contested: a political judgement, not a figure; the data show disputes at sea in the "
                        "years the article reviews, which it does not mention"),
        })
    levels = on_date.groupby("level").size().to_dict()
    strategic = levels.get("strategic partnership", 0) + levels.get("comprehensive strategic partnership", 0)
    comprehensive = levels.get("comprehensive partnership", 0)
    codes = {t for s in on_date["source"] for t in data.split_source(s)}
    sources = "; ".join(sorted(codes, key=lambda c: (c.rstrip("0123456789"), int(c.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ") or 0))))
    rows.append({
        "claim": "Strategic partnerships with 16 countries", "cite": "[hien2018 ¶9]", "reading": "16",
        "data": (f"{strategic} partners at strategic level or above on {PUBLISHED} "
                 f"({levels.get('comprehensive strategic partnership', 0)} of them comprehensive strategic)"),
        "source": sources,
        "verdict": (f"agrees, counting the {levels.get('comprehensive strategic partnership', 0)} comprehensive "
                    f"strategic partners among the 16 ({levels.get('comprehensive strategic partnership', 0)} + "
                    f"{levels.get('strategic partnership', 0)} = 16 in the course table); without them the table "
                    f"has {levels.get('strategic partnership', 0)}, so the data support the inclusive reading"
                    if strategic == 16 else f"the course table gives {strategic}; it is not a complete list"),
    })
    rows.append({
        "claim": "Comprehensive partnerships with 10 countries", "cite": "[hien2018 ¶9]", "reading": "10",
        "data": f"{comprehensive} listed on {PUBLISHED}", "source": sources,
        "verdict": ("cannot be checked with the course data: its partnership table lists only the "
                    "comprehensive partners that later rose to strategic level or above"),
    })
    return pd.DataFrame(rows, columns=["claim", "cite", "reading", "data", "source", "verdict"])


def claim_checks_html(table=None) -> str:
    """The claim table as an HTML table (text escaped) with the sources named under it."""
    table = claim_checks() if table is None else table
    head = "".join(f"<th style='text-align:left'>{html.escape(c)}</th>" for c in table.columns)
    body = "".join(
        "<tr>" + "".join(f"<td style='text-align:left;vertical-align:top'>{html.escape(str(v))}</td>"
                         for v in row) + "</tr>"
        for row in table.itertuples(index=False)
    )
    note = data.source_note(list(table["source"]))
    return (f"<table class='vnfr-claims'><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
            f"<details><summary>The sources of the data column (codes as in <code>course/data/sources.csv</code>)"
            f"</summary><p><small>{html.escape(note)}</small></p></details>")


def show_claim_checks() -> None:
    """Display the claim table in the notebook."""
    from IPython.display import HTML, display

    display(HTML(claim_checks_html()))


# --------------------------------------------------------------------------- charts

def exports_chart(indicators=None, milestones=None):
    """Merchandise exports 1995-2024 (a line, each point marked by the status of its figure) with
    vertical rules at the trade agreements and multilateral memberships."""
    import altair as alt

    from helpers.core import charts

    ex = exports(indicators)
    ms = integration_milestones(milestones=milestones)
    ms = ms[ms["x"] >= 1994].reset_index(drop=True)  # the chart's years; earlier steps are in the explorer
    ex = ex.assign(figure=ex["value"].map(lambda v: f"{v:g}"))
    top = math.ceil(ex["value"].max() / 50) * 50 + 20
    ms = ms.assign(when=ms["date"].dt.strftime("%Y-%m-%d"), late=ms["x"] >= 2012)
    # Labels step down in date order, early ones to the right of their line, late ones to the left.
    ms["y"] = ms.groupby("late").cumcount().map(lambda i: top - 15 - 28 * (i % 5))
    early, late = ms[~ms["late"]], ms[ms["late"]]
    present = [s for s in STATUS_ORDER if s in set(ex["status"])] + sorted(set(ex["status"]) - set(STATUS_ORDER))
    colours = [STATUS_COLOURS[STATUS_ORDER.index(s)] if s in STATUS_ORDER else "#999999" for s in present]
    shapes = [STATUS_SHAPES[STATUS_ORDER.index(s)] if s in STATUS_ORDER else "circle" for s in present]

    x = alt.X("year:Q", title="year", scale=alt.Scale(domain=[1994, 2025]), axis=alt.Axis(format="d"))
    y = alt.Y("value:Q", title="merchandise exports (US$ billion)", scale=alt.Scale(domain=[0, top]))
    line = alt.Chart(ex).mark_line(color="#8a8a8a").encode(x=x, y=y)
    points = alt.Chart(ex).mark_point(filled=True, size=80).encode(
        x=x, y=y,
        color=alt.Color("status:N", title="status of the figure",
                        scale=alt.Scale(domain=present, range=colours)),
        shape=alt.Shape("status:N", title="status of the figure",
                        scale=alt.Scale(domain=present, range=shapes)),
        tooltip=[alt.Tooltip("year:Q", format="d"), alt.Tooltip("figure:N", title="US$ bn"),
                 "status:N", "note:N", "source:N"],
    )
    rx = alt.X("x:Q", scale=alt.Scale(domain=[1994, 2025]))
    rules = alt.Chart(ms).mark_rule(strokeDash=[4, 3], color="#1b6ca8").encode(
        x=rx, tooltip=["event:N", "when:N", "category:N", "detail:N", "source:N"])
    text_early = alt.Chart(early).mark_text(align="left", dx=3, fontSize=11, color="#1b6ca8").encode(
        x=rx, y=alt.Y("y:Q", scale=alt.Scale(domain=[0, top])), text="label:N")
    text_late = alt.Chart(late).mark_text(align="right", dx=-3, fontSize=11, color="#1b6ca8").encode(
        x=rx, y=alt.Y("y:Q", scale=alt.Scale(domain=[0, top])), text="label:N")
    chart = alt.layer(rules, line, points, text_early, text_late)

    first, last = ex.iloc[0], ex.iloc[-1]
    provisional = ex[ex["status"] != "reported"]
    description = (
        f"A line chart of Vietnam's merchandise exports from {first['year']} to {last['year']}, in billions of "
        f"US dollars: from {first['value']:g} ({first['status']}) to {last['value']:g} ({last['status']}). "
        f"{len(provisional)} of the {len(ex)} points are not final reported figures; each point's shape and "
        f"colour give its status. Dashed vertical lines mark {', '.join(ms['label'])}, each at the day it was "
        "signed or joined; trade agreements entered into force later (see each line's detail). The series has "
        "gaps between its years: a year in which exports fell may lie between two points (the 2009 figure is "
        "below the trend)."
    )
    sources = list(ex["source"]) + list(ms["source"])
    return charts.finish(chart, title="Exports against the milestones of integration, "
                         f"{first['year']}–{last['year']}", description=description,
                         source=data.source_note(sources))


def fdi_chart(indicators=None):
    """FDI registered and disbursed, 2022-2024, as grouped bars."""
    import altair as alt

    from helpers.core import charts

    frame = fdi(indicators)
    frame = frame.assign(kind=frame["indicator"].str.replace("FDI ", "", regex=False))
    chart = alt.Chart(frame).mark_bar().encode(
        x=alt.X("year:O", title="year", axis=alt.Axis(labelAngle=0)),
        xOffset=alt.XOffset("kind:N", sort=["registered", "disbursed"]),
        y=alt.Y("value:Q", title="foreign direct investment (US$ billion)"),
        color=alt.Color("kind:N", title="FDI", sort=["registered", "disbursed"],
                        scale=alt.Scale(range=["#1b6ca8", "#edae49"])),
        tooltip=["indicator:N", "year:O", alt.Tooltip("value:Q", title="US$ bn"), "status:N", "note:N",
                 "source:N"],
    ).properties(width=420)
    parts = []
    for year, rows in frame.groupby("year"):
        got = dict(zip(rows["kind"], rows["value"]))
        parts.append(f"{year}: " + ", ".join(f"{kind} {got[kind]:g}" if kind in got else f"{kind}: no figure"
                                             for kind in ("registered", "disbursed")))
    description = ("Grouped bars of foreign direct investment into Vietnam, in billions of US dollars, "
                   "registered (pledged) beside disbursed (actually spent) in the years the data have. "
                   + "; ".join(parts) + ". Disbursed investment is well below registered investment in every "
                   "year with both figures.")
    years = f"{frame['year'].min()}–{frame['year'].max()}"
    return charts.finish(chart, title=f"FDI registered and disbursed, {years}", description=description,
                         source=data.source_note(list(frame["source"])))


def fta_chart(counts=None):
    """How many free-trade agreements Vietnam has, as three sources count them at three dates."""
    import altair as alt

    from helpers.core import charts

    frame = fta_counts(counts)
    base = alt.Chart(frame).encode(
        y=alt.Y("label:N", title=None, sort=list(frame["label"]), axis=alt.Axis(labelLimit=320)),
        x=alt.X("count:Q", title="number of free-trade agreements"),
    )
    bars = base.mark_bar(color="#00798c").encode(tooltip=["what:N", alt.Tooltip("as_of:T", format="%B %Y"),
                                                          "count:Q", "note:N", "source:N"])
    labels = base.mark_text(align="left", dx=4).encode(text="count:Q")
    chart = (bars + labels).properties(height=40 * len(frame) + 20, width=420)
    listing = "; ".join(f"{lab}: {c}" for lab, c in zip(frame["label"], frame["count"]))
    disagree = [n for n in frame["note"] if str(n).startswith("sources disagree")]
    description = ("Horizontal bars of the number of free-trade agreements Vietnam had, as sources count them "
                   f"at different dates. {listing}." + (f" Note: {disagree[0]}." if disagree else ""))
    return charts.finish(chart, title="Free-trade agreements, as sources count them",
                         description=description, source=data.source_note(list(frame["source"])))


def used_sources(indicators=None, milestones=None, counts=None):
    """Every source code behind this notebook's charts and claim table, with its title and address
    (a table: code, title, where), in code order."""
    cells = (list(exports(indicators)["source"]) + list(integration_milestones(milestones=milestones)["source"])
             + list(fdi(indicators)["source"]) + list(fta_counts(counts)["source"]))
    if indicators is None and milestones is None:
        cells += list(claim_checks()["source"])
    codes = {t for cell in cells for t in data.split_source(cell) if not _is_reading_cite(t)}
    table = data.sources()
    table = table[table["code"].isin(codes)].copy()
    table["order"] = [(c.rstrip("0123456789"), int(c.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ") or 0)) for c in table["code"]]
    return table.sort_values("order").drop(columns="order").reset_index(drop=True)


def show_used_sources() -> None:
    """Display the data sources of this notebook as a list."""
    from IPython.display import HTML, display

    items = "".join(f"<li><strong>{html.escape(r.code)}</strong> {html.escape(r.title)} "
                    f"(<code>{html.escape(r.where)}</code>)</li>" for r in used_sources().itertuples())
    display(HTML(f"<ul class='vnfr-sources'>{items}</ul>"))


# --------------------------------------------------------------------------- the explorer

def period_summary(start: int, end: int, categories=INTEGRATION_CATEGORIES, indicators=None, milestones=None):
    """What happened between `start` and `end` (years, inclusive): the milestones of the given
    categories, and how exports grew between the first and last years in the period that have a
    figure.

    Returns a dict: start, end, milestones (a DataFrame: date, event, category, detail, source),
    first and last (dicts of year, value, status, source, or None), times (last / first),
    annual_growth (compound, a fraction), provisional (years among first/last whose figure is not a
    final reported one), years_with_data (every export year in the data), message.
    """
    if start > end:
        start, end = end, start
    ex = exports(indicators)
    ms = data.milestones() if milestones is None else milestones
    ms = ms[ms["category"].isin(list(categories))]
    years = ms["date"].dt.year
    ms = ms[(years >= start) & (years <= end)].sort_values("date", kind="stable").reset_index(drop=True)
    inside = ex[(ex["year"] >= start) & (ex["year"] <= end)]
    out = {"start": start, "end": end,
           "milestones": ms[["date", "date_precision", "event", "category", "detail", "source"]],
           "first": None, "last": None, "times": None, "annual_growth": None, "provisional": [],
           "years_with_data": [int(y) for y in ex["year"]]}
    if len(inside) < 2:
        out["message"] = (f"The data have fewer than two export figures between {start} and {end}: pick a "
                          f"wider period (figures exist for {', '.join(map(str, out['years_with_data']))}).")
        return out
    a, b = inside.iloc[0], inside.iloc[-1]
    pick = lambda r: {"year": int(r["year"]), "value": float(r["value"]), "status": r["status"],  # noqa: E731
                      "source": r["source"]}
    out["first"], out["last"] = pick(a), pick(b)
    out["times"] = times_larger(b["value"], a["value"])
    out["annual_growth"] = annual_growth(a["value"], b["value"], int(b["year"] - a["year"]))
    out["provisional"] = [int(r["year"]) for r in (a, b) if r["status"] != "reported"]
    edge = "" if (int(a["year"]), int(b["year"])) == (start, end) else (
        f"The data have no figure for every year: the first and last years of the period with one are "
        f"{int(a['year'])} and {int(b['year'])}. ")
    out["message"] = edge + (f"Exports went from {a['value']:g} bn in {int(a['year'])} to {b['value']:g} bn in "
                             f"{int(b['year'])}: {out['times']:.1f} times as much, about "
                             f"{out['annual_growth']:.1%} a year (compound growth).")
    return out


def _date_text(date, precision) -> str:
    return {"day": f"{date:%d %b %Y}", "month": f"{date:%b %Y}"}.get(precision, f"{date:%Y}")


def period_html(summary: dict) -> str:
    """The explorer's answer for one period as HTML (all text escaped)."""
    e = html.escape
    parts = [f"<h4>{summary['start']}–{summary['end']}</h4>", f"<p>{e(summary['message'])}</p>"]
    if summary["provisional"]:
        statuses = {summary["first"]["year"]: summary["first"]["status"],
                    summary["last"]["year"]: summary["last"]["status"]}
        parts.append("<p><em>Careful:</em> " + e("; ".join(
            f"the {y} figure is {STATUS_WORDS.get(statuses[y], statuses[y])}, not a final reported figure"
            for y in summary["provisional"])) + ".</p>")
    if summary["first"] is not None:
        parts.append("<p><small>" + e(data.source_note([summary["first"]["source"], summary["last"]["source"]]))
                     + "</small></p>")
    ms = summary["milestones"]
    if ms.empty:
        parts.append("<p>No milestone of the chosen kinds falls in this period.</p>")
    else:
        items = "".join(
            f"<li>{e(_date_text(r.date, r.date_precision))}: <strong>{e(r.event)}</strong> ({e(r.category)})"
            + (f", {e(r.detail)}" if isinstance(r.detail, str) and r.detail else "") + f" [{e(r.source)}]</li>"
            for r in ms.itertuples())
        parts.append(f"<p>{len(ms)} milestone{'s' if len(ms) != 1 else ''} in the period:</p><ul>{items}</ul>")
    return "\n".join(parts)


def milestone_explorer(start: int = 1995, end: int = 2017):
    """A range slider over the years and a choice of milestone kinds; shows `period_html`."""
    import ipywidgets as widgets

    cats = list(data.CATEGORIES)
    years = sorted(set(exports()["year"]))
    slider = widgets.IntRangeSlider(value=(start, end), min=min(years + [1990]), max=max(years),
                                    step=1, description="Years", continuous_update=False,
                                    layout=widgets.Layout(width="520px"))
    kinds = widgets.SelectMultiple(options=cats, value=list(INTEGRATION_CATEGORIES), rows=len(cats),
                                   description="Milestones", layout=widgets.Layout(width="520px"))
    result = widgets.HTML()

    def update(_=None):
        chosen = kinds.value or tuple(cats)
        result.value = period_html(period_summary(slider.value[0], slider.value[1], chosen))

    slider.observe(update, names="value")
    kinds.observe(update, names="value")
    update()
    help_text = widgets.HTML("<small>Drag the ends of the slider; hold Ctrl (Cmd on a Mac) to choose several "
                             "kinds of milestone.</small>")
    return accessible(widgets.VBox([slider, kinds, help_text, result]))


__all__ = ["exports", "integration_milestones", "fdi", "fta_counts", "claim_checks", "claim_checks_html",
           "show_claim_checks", "exports_chart", "fdi_chart", "fta_chart", "period_summary", "period_html",
           "milestone_explorer", "used_sources", "show_used_sources", "times_larger", "annual_growth", "decimal_year", "short_label",
           "only_reading_sources"]
