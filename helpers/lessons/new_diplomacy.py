"""Notebook 02, "The new diplomacy": its charts and its partnership explorer.

The notebook `notebooks/02-new-diplomacy.ipynb` calls these functions, one or two per cell:

    from helpers import new_diplomacy as nd
    nd.partnership_ladder()          # chart: every partner's steps up the partnership ladder
    nd.top_tier_count()              # chart: comprehensive strategic partners, counted over time
    nd.milestone_timeline()          # chart: integration milestones (not in the notebook: it adds ~2 s)
    nd.agreements_table()            # table: the trade agreements the reading names, with dates
    nd.partnership_explorer()        # widget: each partner's level in a chosen month

The explorer's logic is in pure functions (`levels_on`, `level_counts`, `p5_at_level`,
`explorer_html`) that the tests call without a browser; the widget only wires a slider to them.
"""
from __future__ import annotations

import datetime as dt
import html

from helpers.core import data
from helpers.core.a11y import accessible


class _Pandas:
    """pandas, imported on first use rather than by the notebook's setup cell (make bench)."""

    def __getattr__(self, name):
        import pandas

        return getattr(pandas, name)


pd = _Pandas()

CSP = "comprehensive strategic partnership"
LEVELS_TOP_FIRST = tuple(reversed(data.LEVELS))
"""The three tiers, highest first."""

P5 = ("China", "France", "Russia", "United Kingdom", "United States")
"""The five permanent members of the UN Security Council."""

READING_DATE = dt.date(2022, 5, 12)
"""The latest event the reading mentions: the US-ASEAN Special Summit and the opening of the 31st
SEA Games on 12 May 2022 [yu2022 ¶1]. What happened after it, the author could not know."""

CONGRESS_DATE = dt.date(2021, 2, 1)
"""The closing day of the 13th Party Congress, which met from 25 January to 1 February 2021 (source M74;
the milestones table has it); the reading dates it to February 2021 [yu2022 ¶1]."""

READING_CITE = "yu2022 ¶1"

MARKERS = (
    (CONGRESS_DATE, "13th Party Congress"),
    (READING_DATE, "latest event in the reading"),
)


KEY_TERMS = [
    "party diplomacy", "state diplomacy", "people's diplomacy", "national interest",
    "cooperation and struggle", "bamboo diplomacy", "\"four no's\" defence policy",
    "comprehensive strategic partnership", "renovation", "multilateralisation and diversification",
]
"""The notebook's key terms, as they are spelt in course/data/glossary.csv."""


def data_sources() -> pd.DataFrame:
    """The sources behind this notebook's charts and key terms: code, title, where."""
    from helpers.core.outline import key_terms

    cells = (list(data.partnerships()["source"]) + list(data.counts()["source"])
             + list(data.milestones()["source"]) + list(key_terms(KEY_TERMS)["source"]))
    codes = [c for c in dict.fromkeys(t for cell in cells for t in data.split_source(cell)) if "¶" not in c]
    table = data.sources()
    table = table[table["code"].isin(codes)].copy()
    table["_order"] = table["code"].map({c: i for i, c in enumerate(sorted(codes, key=_code_key))})
    return table.sort_values("_order").drop(columns="_order").reset_index(drop=True)


def _code_key(code: str) -> tuple:
    letters = code.rstrip("0123456789")
    return ("SMTPGC".find(letters[0]) if letters[0] in "SMTPGC" else 9, letters, int(code[len(letters):]))


# --------------------------------------------------------------------------- explorer logic

def month_end(month) -> pd.Timestamp:
    """The last day of a month given as 'YYYY-MM' (or any date inside it)."""
    stamp = pd.Timestamp(str(month) + ("-01" if len(str(month)) == 7 else ""))
    return (stamp + pd.offsets.MonthEnd(0)).normalize()


def levels_on(date) -> pd.DataFrame:
    """Each partner's level on `date`, highest level first, then the longest-standing first.

    Columns: partner, level, named (the name the source gives the step), since, date_precision.
    Partners with no partnership yet on that date are left out.
    """
    table = data.level_on(pd.Timestamp(date))
    order = {lv: i for i, lv in enumerate(LEVELS_TOP_FIRST)}
    table = table.assign(_order=table["level"].map(order))
    table = table.sort_values(["_order", "since", "partner"], kind="stable")
    return table[["partner", "level", "named", "since", "date_precision"]].reset_index(drop=True)


def level_counts(date) -> dict[str, int]:
    """How many partners in the course table stood at each level on `date` (highest first)."""
    counts = levels_on(date)["level"].value_counts()
    return {lv: int(counts.get(lv, 0)) for lv in LEVELS_TOP_FIRST}


def p5_at_level(date, level: str = CSP) -> list[str]:
    """The permanent members of the UN Security Council at `level` on `date`."""
    table = levels_on(date)
    return sorted(table.loc[(table["level"] == level) & table["partner"].isin(P5), "partner"])


def new_at_top(start, end) -> list[str]:
    """Partners that reached the top level after `start` and on or before `end`, in date order
    (a step known only to the month or the year counts from the end of it, as in `data.level_on`)."""
    steps = data.upgrades()
    when = steps["counted_from"]
    mask = (steps["level"] == CSP) & (when > pd.Timestamp(start)) & (when <= pd.Timestamp(end))
    return list(steps.loc[mask].sort_values("counted_from", kind="stable")["partner"])


def explorer_months(start: str = "2000-01", end: str | None = None) -> list[str]:
    """The months the explorer's slider offers, 'YYYY-MM', up to the month of the latest data."""
    if end is None:
        end = data.upgrades()["since"].max().strftime("%Y-%m")
    return [p.strftime("%Y-%m") for p in pd.period_range(start, end, freq="M")]


def explorer_html(month) -> str:
    """What the explorer shows for a month: counts, the P5 at the top level, and the table."""
    date = month_end(month)
    table = levels_on(date)
    counts = level_counts(date)
    p5 = p5_at_level(date)
    label = date.strftime("%B %Y")
    parts = [f"<p><b>End of {html.escape(label)}</b>, partners in the course table at each level: "
             + "; ".join(f"{html.escape(lv)}: <b>{n}</b>" for lv, n in counts.items()) + ".</p>"]
    parts.append(f"<p>Permanent members of the UN Security Council at the top level: <b>{len(p5)} of 5</b>"
                 + (f" ({html.escape(', '.join(p5))})" if p5 else "") + ".</p>")
    if date.date() < READING_DATE:
        when = "before the latest event the reading mentions (12 May 2022): the author could know this."
    elif date.to_period("M") == pd.Timestamp(READING_DATE).to_period("M"):
        when = "the month of the latest events the reading mentions (12 May 2022): the author's present."
    else:
        after = new_at_top(pd.Timestamp(READING_DATE), date)
        when = (f"after the reading (its latest event is 12 May 2022): {len(after)} partner"
                f"{'s' if len(after) != 1 else ''} reached the top level since then"
                + (f" ({html.escape(', '.join(after))})" if after else "") + ".")
    parts.append(f"<p><i>This month is {when}</i></p>")
    pending = data.pending_on(date)
    if table.empty:
        parts.append("<p>No partnership in the course table yet.</p>")
    else:
        rows = "".join(
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>".format(
                html.escape(r.partner),
                html.escape(r.named if r.named == r.level else f"{r.named} (counted as {r.level})"),
                html.escape(_date_text(r.since, r.date_precision)))
            for r in table.itertuples())
        parts.append("<table><thead><tr><th>partner</th><th>level</th><th>since</th></tr></thead>"
                     f"<tbody>{rows}</tbody></table>")
    if not pending.empty:
        items = "".join(
            "<li>{}: {}, agreed {} (the source gives only the {}); not counted above, because it may not "
            "have happened yet by this date: the course counts it from {}.</li>".format(
                html.escape(r.partner), html.escape(r.named), html.escape(_when_text(r.since, r.date_precision)),
                html.escape(r.date_precision), html.escape(f"{r.counted_from.day} {r.counted_from:%B %Y}"))
            for r in pending.itertuples())
        parts.append(f"<p>Not yet counted, because its date is known only to the month or the year:</p><ul>{items}</ul>")
    parts.append("<p><small>The course table lists the comprehensive strategic partners and the strategic "
                 "partners whose dates the sources confirm, not every strategic or comprehensive partner "
                 "(see course/data/README.md).</small></p>")
    return "\n".join(parts)


def _date_text(stamp, precision: str) -> str:
    """A date written only as precisely as its source gives it."""
    return data.date_text(stamp, precision)


def _when_text(stamp, precision: str) -> str:
    """'on 25 July 2013', 'in June 2013', 'some time in 2007'."""
    stamp = pd.Timestamp(stamp)
    if precision == "day":
        return f"on {stamp.day} {stamp:%B %Y}"
    if precision == "month":
        return f"in {stamp:%B %Y}"
    return f"some time in {stamp.year}"


def partnership_explorer(initial: str = "2022-05"):
    """The widget: a month slider and what `explorer_html` says about that month."""
    import ipywidgets as widgets

    months = explorer_months()
    if initial not in months:
        initial = months[-1]
    slider = widgets.SelectionSlider(options=months, value=initial, description="month",
                                     continuous_update=False, layout=widgets.Layout(width="95%"))
    out = widgets.HTML(explorer_html(initial))

    def update(change):
        out.value = explorer_html(change["new"])

    slider.observe(update, names="value")
    box = widgets.VBox([slider, out])
    box.slider, box.view = slider, out  # for tests and for readers who want to drive it from code
    return accessible(box)


# --------------------------------------------------------------------------- charts

def _colour_scale():
    import altair as alt

    from helpers.core.charts import LEVEL_COLOURS

    levels = list(LEVELS_TOP_FIRST)
    return alt.Scale(domain=levels, range=[LEVEL_COLOURS[lv] for lv in levels])


def _markers(y_top: str | None = None):
    """Vertical rules with labels for the 13th Congress and the reading's latest event."""
    import altair as alt

    frame = pd.DataFrame({"date": [pd.Timestamp(d) for d, _ in MARKERS], "label": [t for _, t in MARKERS],
                          "ypos": [2 + 14 * i for i in range(len(MARKERS))]})
    base = alt.Chart(frame)
    rules = base.mark_rule(color="#555", strokeDash=[4, 3]).encode(x="date:T")
    text = base.mark_text(align="right", baseline="top", dx=-4, fontSize=11, color="#333").encode(
        x="date:T", y=alt.Y("ypos:Q", scale=None, axis=None), text="label:N")
    return rules + text


def ladder_frame() -> pd.DataFrame:
    """The ladder chart's data: every step (from `data.upgrades`) with a partner order, where its bar
    starts (`start`: the day the step counts from, `counted_from`), where it ends (`until`: the next
    step's start, or the latest date in the data), and the date as written in the source (`when`).
    A step known only to the month or the year keeps `since` (the first day of that month or year), so
    the chart can draw its whole month or year as a span instead of a point on its first day."""
    steps = data.upgrades()
    steps["start"] = steps["counted_from"]
    latest = steps["start"].max()
    steps = steps.sort_values(["partner", "since"], kind="stable")
    steps["until"] = steps.groupby("partner")["start"].shift(-1).fillna(latest)
    first = steps.groupby("partner")["since"].min().sort_values(kind="stable")
    steps["first"] = steps["partner"].map(first)
    steps["when"] = [_date_text(d, p) for d, p in zip(steps["since"], steps["date_precision"])]
    steps["exact"] = steps["date_precision"] == "day"
    return steps.sort_values(["first", "partner", "since"], kind="stable").reset_index(drop=True)


def partnership_ladder():
    """Chart: each partner's steps up the ladder of partnership, coloured by level.

    A step known to the day is a dot on that day; a step known only to the month or the year is a
    hollow bracket over that whole month or year (not a dot on its first day), and its bar starts at
    the end of it, when `data.level_on` starts counting it."""
    import altair as alt

    from helpers.core.charts import finish

    frame = ladder_frame()
    order = list(dict.fromkeys(frame["partner"]))
    y = alt.Y("partner:N", sort=order, title=None)
    colour = alt.Color("level:N", scale=_colour_scale(), title="level", legend=alt.Legend(labelLimit=320))
    tooltip = [alt.Tooltip("partner:N"), alt.Tooltip("named:N", title="level as named"),
               alt.Tooltip("when:N", title="date, as the source gives it"),
               alt.Tooltip("date_precision:N", title="date given to the")]
    base = alt.Chart(frame)
    bars = base.mark_rule(strokeWidth=6, opacity=0.55).encode(
        x=alt.X("start:T", title="year"), x2="until:T", y=y, color=colour)
    points = base.transform_filter("datum.exact").mark_point(filled=True, size=60, opacity=1).encode(
        x="start:T", y=y, color=colour, tooltip=tooltip)
    spans = base.transform_filter("!datum.exact").mark_tick(thickness=2, size=14, opacity=1).encode(
        x="since:T", y=y, color=colour, tooltip=tooltip)
    span_ends = base.transform_filter("!datum.exact").mark_tick(thickness=2, size=14, opacity=1).encode(
        x="start:T", y=y, color=colour, tooltip=tooltip)
    span_rules = base.transform_filter("!datum.exact").mark_rule(strokeWidth=2, strokeDash=[2, 2]).encode(
        x="since:T", x2="start:T", y=y, color=colour, tooltip=tooltip)
    chart = alt.layer(bars, span_rules, spans, span_ends, points, _markers()).properties(width=560, height=470)
    inexact = frame[~frame["exact"]]
    inexact_text = "; ".join(f"{r.partner} {r.when}" for r in inexact.itertuples())
    return finish(
        chart,
        title="Vietnam's partnerships, step by step",
        description=(f"A timeline with one row per partner in the course table ({len(order)} partners, "
                     f"{len(frame)} steps), oldest partnership at the top. Each dot is a step up on the day "
                     "it was agreed: the colour gives the level (comprehensive, strategic, comprehensive "
                     "strategic partnership) and the bar runs until the next step or the latest date in the "
                     "data. A step whose source gives only the month or the year is drawn as a dashed "
                     "bracket over that whole month or year, and its bar starts at the end of it"
                     + (f" ({inexact_text})" if inexact_text else "") + ". Dashed lines mark the 13th "
                     "Party Congress (25 January to 1 February 2021) and the latest event the reading "
                     "mentions (12 May 2022). Three partners were at the top level before the reading "
                     "(China 2008, Russia 2012, India 2016); eleven joined them between December 2022 and "
                     "October 2025."),
        source=data.source_note(list(frame["source"]) + [READING_CITE]),
    )


def top_tier_frame() -> tuple[pd.DataFrame, pd.DataFrame]:
    """(running count of comprehensive strategic partners from the course table, counts stated by sources)."""
    steps = data.upgrades()
    top = steps[steps["level"] == CSP].sort_values("counted_from", kind="stable").reset_index(drop=True)
    running = pd.DataFrame({"date": top["counted_from"], "count": range(1, len(top) + 1),
                            "partner": top["partner"], "series": "course table (partnerships.csv)"})
    start = pd.DataFrame({"date": [pd.Timestamp("2005-01-01")], "count": [0], "partner": [""],
                          "series": ["course table (partnerships.csv)"]})
    running = pd.concat([start, running], ignore_index=True)
    counts = data.counts()
    stated = counts[counts["what"] == "comprehensive strategic partnerships"]
    stated = pd.DataFrame({"date": stated["as_of"], "count": stated["count"], "note": stated["note"].fillna(""),
                           "source": stated["source"], "series": "count stated by a source (counts.csv)"})
    return running, stated.reset_index(drop=True)


def top_tier_count():
    """Chart: how many comprehensive strategic partners Vietnam had, over time."""
    import altair as alt

    from helpers.core.charts import LEVEL_COLOURS, finish

    running, stated = top_tier_frame()
    colour = alt.Color("series:N", title=None, legend=alt.Legend(labelLimit=320),
                       scale=alt.Scale(domain=["course table (partnerships.csv)", "count stated by a source (counts.csv)"],
                                       range=[LEVEL_COLOURS[CSP], "#d1495b"]))
    line = alt.Chart(running).mark_line(interpolate="step-after", strokeWidth=2.5).encode(
        x=alt.X("date:T", title="year"), y=alt.Y("count:Q", title="comprehensive strategic partners"),
        color=colour)
    dots = alt.Chart(running[running["partner"] != ""]).mark_point(filled=True, size=40).encode(
        x="date:T", y="count:Q", color=colour,
        tooltip=[alt.Tooltip("partner:N"), alt.Tooltip("date:T", format="%Y-%m-%d"), alt.Tooltip("count:Q")])
    stated_marks = alt.Chart(stated).mark_point(shape="diamond", size=130, filled=False, strokeWidth=2).encode(
        x="date:T", y="count:Q", color=colour,
        tooltip=[alt.Tooltip("date:T", title="as of", format="%Y-%m"), alt.Tooltip("count:Q"),
                 alt.Tooltip("note:N"), alt.Tooltip("source:N")])
    chart = alt.layer(line, dots, stated_marks, _markers()).properties(width=560, height=300)
    sources = list(data.upgrades().query("level == @CSP")["source"]) + list(stated["source"]) + [READING_CITE]
    return finish(
        chart,
        title="Comprehensive strategic partners: a running count",
        description=("A step line counts Vietnam's comprehensive strategic partners from the course table: "
                     "one in 2008 (China), two in 2012, three in 2016, then a run of upgrades from December "
                     "2022 to fourteen in October 2025. Diamonds mark counts that sources state: 6 in "
                     "September 2023 (the course table gives 5 then: sources disagree), 8 in October 2024 "
                     "and 14 in October 2025. Dashed lines mark the 13th Party Congress and the latest "
                     "event the reading mentions (May 2022)."),
        source=data.source_note(sources),
    )


def milestones_of(category: str) -> pd.DataFrame:
    """The milestones of one category, oldest first: date (written as precisely as the source gives
    it), event, what happened (detail), note and source. Used for the South China Sea record and the
    UN votes on Ukraine."""
    frame = data.milestones()
    if category not in data.CATEGORIES:
        raise KeyError(f"no milestone category {category!r}; categories are: {', '.join(data.CATEGORIES)}")
    frame = frame[frame["category"] == category]
    return pd.DataFrame({"date": [data.date_text(d, p) for d, p in zip(frame["date"], frame["date_precision"])],
                         "event": frame["event"], "what happened": frame["detail"].fillna(""),
                         "note": frame["note"].fillna(""), "source": frame["source"]}).reset_index(drop=True)


def sea_record() -> pd.DataFrame:
    """The South China Sea events behind Yu's "occasional maritime frictions" [yu2022 ¶18]."""
    return milestones_of("South China Sea")


def un_votes() -> pd.DataFrame:
    """Vietnam's votes in the UN General Assembly on the war in Ukraine, 2022: what the reading, which
    reports only statements [yu2022 ¶17], leaves out."""
    return milestones_of("UN vote")


def agreements_table() -> pd.DataFrame:
    """The trade agreements in the milestones table, with when they entered into force and sources."""
    frame = data.milestones()
    frame = frame[frame["category"] == "trade agreement"]
    out = pd.DataFrame({"agreement": frame["event"].str.replace(" signed", "", regex=False),
                        "signed": frame["date"].dt.strftime("%Y-%m-%d"),
                        "in force": frame["detail"].fillna(""),
                        "before the reading?": (frame["date"].dt.date < READING_DATE).map({True: "yes", False: "no"}),
                        "source": frame["source"]})
    return out.reset_index(drop=True)


def milestone_timeline():
    """Chart: milestones of Vietnam's integration by category, with the reading's date marked."""
    import altair as alt

    from helpers.core.charts import finish

    frame = data.milestones()
    frame["detail"] = frame["detail"].fillna("")
    frame["end"] = [data.period_end(d, p) for d, p in zip(frame["date"], frame["date_precision"])]
    frame["when"] = [data.date_text(d, p) for d, p in zip(frame["date"], frame["date_precision"])]
    frame["exact"] = frame["date_precision"] == "day"
    y = alt.Y("category:N", title=None, sort=list(data.CATEGORIES))
    colour = alt.Color("category:N", legend=None)
    tooltip = [alt.Tooltip("event:N"), alt.Tooltip("when:N", title="date, as the source gives it"),
               alt.Tooltip("date_precision:N", title="date given to the"), alt.Tooltip("detail:N")]
    base = alt.Chart(frame)
    points = base.transform_filter("datum.exact").mark_point(filled=True, size=90, opacity=0.85).encode(
        x=alt.X("date:T", title="year"), y=y, color=colour, tooltip=tooltip)
    # a date known only to the month or the year is a bracket over that month or year, not a point on its first day
    spans = base.transform_filter("!datum.exact").mark_rule(strokeWidth=3, opacity=0.85).encode(
        x="date:T", x2="end:T", y=y, color=colour, tooltip=tooltip)
    starts = base.transform_filter("!datum.exact").mark_tick(thickness=2, size=14).encode(
        x="date:T", y=y, color=colour, tooltip=tooltip)
    ends = base.transform_filter("!datum.exact").mark_tick(thickness=2, size=14).encode(
        x="end:T", y=y, color=colour, tooltip=tooltip)
    chart = alt.layer(spans, starts, ends, points, _markers()).properties(width=560, height=300)
    return finish(
        chart,
        title="Milestones of integration, and where the reading stands",
        description=(f"A timeline of milestones from {frame['date'].min().year} to {frame['date'].max().year} in "
                     f"{frame['category'].nunique()} rows, one per category ({', '.join(dict.fromkeys(c for c in data.CATEGORIES if c in set(frame['category'])))}): "
                     "among them normalisation with China (1991) and the United States (1995), ASEAN (1995), "
                     "the WTO (2007), the trade agreements, Party policy (Resolution 8, 2003; Resolution 22, "
                     "2013), the South China Sea record and the UN votes on Ukraine in 2022. A date known "
                     "to the day is a dot; a date known only to the month or the year is a bracket over "
                     "that whole month or year. Dashed lines mark the 13th Party Congress and the latest event the "
                     "reading mentions."),
        source=data.source_note(list(frame["source"]) + [READING_CITE]),
    )


__all__ = ["KEY_TERMS", "data_sources", "P5", "CSP", "READING_DATE", "levels_on", "milestones_of", "sea_record", "un_votes", "level_counts", "p5_at_level", "new_at_top",
           "explorer_months", "explorer_html", "partnership_explorer", "partnership_ladder",
           "top_tier_count", "milestone_timeline", "agreements_table", "ladder_frame", "top_tier_frame", "month_end"]
