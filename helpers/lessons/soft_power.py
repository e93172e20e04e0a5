"""Notebook 01, soft power: its charts, its tables and the "soft or hard?" sorter.

The notebook `notebooks/01-soft-power.ipynb` calls these functions, one or two per cell.
Everything a test needs to reach is a pure function here:

* `readings_table()`: who is speaking to whom, and when, in the two readings of the notebook;
* `brand_finance_chart()`, `lowy_chart()`, `partners_chart()`: the notebook's charts, built from
  `course/data` and finished with a title, a description and the rows' sources;
* `csp_count_on(date)`: how many comprehensive strategic partners Vietnam had on a date;
* `judge(action, resource, method)`: the logic of the sorter, which asks whether an action uses a
  hard-power or a soft-power resource, and in a hard or a soft way [quy2024 ¶6–7];
* `sorter()`: the widget around `judge`.
"""
from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass

from helpers.core.a11y import accessible

READINGS = ("quy2024", "trong2016")

BRAND_FINANCE = "Brand Finance Global Soft Power Index rank"
LOWY_OVERALL = "Lowy Asia Power Index overall rank"
LOWY_DIPLOMATIC = "Lowy Asia Power Index diplomatic influence rank"
CSP = "comprehensive strategic partnership"

# The dates the two readings speak from (their headers): the 2016 conference opened on 22 August
# [trong2016 ¶2]; quy2024 was probably first published on 2 July 2024 (see its date_note).
READING_DATES = {
    "trong2016": dt.date(2016, 8, 22),
    "quy2024": dt.date(2024, 7, 2),
}


# --------------------------------------------------------------------------- the readings

def readings_table():
    """The notebook's two readings: author, outlet, date and who speaks to whom (from their headers)."""
    from helpers.core import readings

    table = readings.catalogue().set_index("reading").loc[list(READINGS)].copy()
    table["outlet"] = [f"{o} (inferred: the text does not name its outlet)" if inferred else o
                       for o, inferred in zip(table["outlet"], table["outlet_inferred"])]
    return table[["title", "authors", "outlet", "date", "speaker", "paragraphs"]]


def readings_view():
    """`readings_table()` for the notebook: one column per reading, full text, left-aligned."""
    table = readings_table().T
    table.index.name = None
    return table.style.set_properties(**{"text-align": "left", "white-space": "normal",
                                         "vertical-align": "top"})


# --------------------------------------------------------------------------- data and charts

def ordinal(n: int) -> str:
    """1 -> '1st', 53 -> '53rd', 11 -> '11th'."""
    n = int(n)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _status_label(status: str) -> str:
    return "implied by a later report" if status == "implied" else status


def index_ranks(indicators: tuple[str, ...] = (BRAND_FINANCE, LOWY_OVERALL, LOWY_DIPLOMATIC)):
    """The rows of the rank indicators, one per indicator and year, with a readable status."""
    import pandas as pd

    from helpers.core import data

    frame = pd.concat([data.indicators(name) for name in indicators], ignore_index=True)
    frame["status_label"] = frame["status"].map(_status_label)
    frame["rank"] = frame["value"].astype(int)
    frame["n_ranked"] = frame["note"].map(n_ranked).astype("Int64")
    return frame


_FIELD_RE = re.compile(r"^of (\d+)\b")


def n_ranked(note: str):
    """The number of nations an index ranked that year, from a rank row's note ("of 193 nations ranked ...").

    The note of each rank row in course/data/indicators.csv starts with the size of the field where the
    sources give it; None where they do not.
    """
    m = _FIELD_RE.match(note or "")
    return int(m.group(1)) if m else None


def share_ahead(frame, year: int) -> float:
    """The percentage of the nations ranked in `year` that stood above Vietnam: (rank - 1) / field x 100.

    A rank number means little without the size of the field: 50th of 60 is near the bottom, 53rd of 193
    in the top third. Raises ValueError if the data do not give the field for that year.
    """
    import pandas as pd

    row = frame.set_index("year").loc[year]
    if pd.isna(row["n_ranked"]):
        raise ValueError(f"the course data do not give the number of nations ranked in {year}")
    return round((int(row["rank"]) - 1) / int(row["n_ranked"]) * 100, 1)


def rank_change(frame, start: int, end: int) -> int:
    """Places gained between two years (positive: the rank improved, i.e. its number fell)."""
    ranks = frame.set_index("year")["value"]
    return int(ranks[start] - ranks[end])


def _year_axis(frame):
    """A year axis on a true time scale, so that a missing year shows as a gap."""
    import altair as alt

    years = sorted(int(y) for y in frame["year"].unique())
    return alt.X("year:Q", title="year of the index", scale=alt.Scale(domain=[years[0] - 0.5, years[-1] + 0.5]),
                 axis=alt.Axis(format="d", values=list(range(years[0], years[-1] + 1))))


def brand_finance_chart():
    """Vietnam's rank in the Brand Finance Global Soft Power Index (up is better)."""
    import altair as alt
    import pandas as pd

    from helpers.core import charts, data

    frame = index_ranks((BRAND_FINANCE,))
    first, last = frame.iloc[0], frame.iloc[-1]
    base = alt.Chart(frame).encode(
        x=_year_axis(frame),
        y=alt.Y("rank:Q", title="rank (1 is the top)", scale=alt.Scale(reverse=True, zero=False, domain=[1, 80])),
        tooltip=[alt.Tooltip("year:Q", format="d"), alt.Tooltip("rank:Q"),
                 alt.Tooltip("n_ranked:Q", title="nations ranked"), alt.Tooltip("status_label:N", title="status"),
                 alt.Tooltip("note:N")],
    )
    line = base.mark_line(color=charts.PALETTE[0], strokeDash=[4, 3])
    points = base.mark_point(size=90, strokeWidth=2, color=charts.PALETTE[0]).encode(
        fill=alt.condition("datum.status == 'implied'", alt.value("white"), alt.value(charts.PALETTE[0])),
        shape=alt.Shape("status_label:N", title="status",
                        scale=alt.Scale(domain=["reported", "implied by a later report"],
                                        range=["circle", "diamond"])),
    )
    labels = base.mark_text(dy=-14, fontSize=12).encode(text=alt.Text("rank:Q"))
    fields = ", ".join(f"{int(r.n_ranked)} in {int(r.year)}" for r in frame.itertuples() if not pd.isna(r.n_ranked))
    worst = frame.loc[frame["value"].idxmax()]
    worst_text = f"{ordinal(worst.value)} in {int(worst.year)}"
    if worst.status == "implied":
        worst_text += ", a rank implied only by a later report"
    description = (
        f"Line chart of Vietnam's rank in the Brand Finance Global Soft Power Index, with the rank axis "
        f"reversed so that up is better. The course data hold ranks for {', '.join(str(y) for y in frame['year'])}. "
        f"Vietnam was {ordinal(first.value)} in {int(first.year)} and {ordinal(last.value)} in {int(last.year)}; "
        f"its highest rank number in the data is {worst_text}. There is no figure for 2022 in the data. "
        f"The index ranked a different number of nations each year ({fields}), so a rank number "
        f"cannot be compared across years without the size of the field."
    )
    return charts.finish(
        alt.layer(line, points, labels).properties(width=520, height=280),
        title="Vietnam in the Brand Finance Global Soft Power Index",
        description=description,
        source=data.source_note(frame["source"]),
    )


def lowy_chart():
    """Vietnam's overall and diplomatic-influence ranks in the Lowy Asia Power Index (up is better)."""
    import altair as alt

    from helpers.core import charts, data

    frame = index_ranks((LOWY_OVERALL, LOWY_DIPLOMATIC))
    frame["measure"] = frame["indicator"].map({LOWY_OVERALL: "overall power",
                                               LOWY_DIPLOMATIC: "diplomatic influence"})
    base = alt.Chart(frame).encode(
        x=_year_axis(frame),
        y=alt.Y("rank:Q", title="rank in Asia (1 is the top)", scale=alt.Scale(reverse=True, domain=[1, 16])),
        color=alt.Color("measure:N", title="measure",
                        scale=alt.Scale(domain=["overall power", "diplomatic influence"],
                                        range=[charts.PALETTE[1], charts.PALETTE[3]])),
        tooltip=[alt.Tooltip("measure:N"), alt.Tooltip("year:Q", format="d"), alt.Tooltip("rank:Q"),
                 alt.Tooltip("note:N")],
    )
    chart = alt.layer(base.mark_line(point=alt.OverlayMarkDef(size=70)),
                      base.mark_text(dy=-12, fontSize=12).encode(text="rank:Q"))
    parts = []
    for measure, rows in frame.groupby("measure", sort=False):
        ranks = ", ".join(f"{int(r.rank)} in {int(r.year)}" for r in rows.itertuples())
        parts.append(f"{measure}: {ranks}")
    description = (
        "Line chart of Vietnam's rank among the countries of the Lowy Institute's Asia Power Index "
        "(25 to 27 countries), rank axis reversed so that up is better. " + "; ".join(parts) + "."
    )
    return charts.finish(
        chart.properties(width=520, height=260),
        title="Vietnam in the Lowy Asia Power Index",
        description=description,
        source=data.source_note(frame["source"]),
    )


def csp_steps():
    """Each comprehensive strategic partnership, in date order, with the running count."""
    from helpers.core import data

    steps = data.upgrades()
    steps = steps[steps["level"] == CSP].sort_values(["counted_from", "since"], kind="stable").reset_index(drop=True)
    steps["count"] = range(1, len(steps) + 1)
    return steps[["partner", "since", "date_precision", "counted_from", "count", "source"]]


def csp_count_on(date, steps=None) -> int:
    """How many comprehensive strategic partners Vietnam had on `date` (per course/data).

    A step counts from `counted_from`, as `data.level_on` counts it: a step known only to the month
    (Russia, July 2012) from the month's last day, one known only to the year from 31 December, so no
    day is credited with a step that may not yet have happened. `steps` is a `csp_steps()`-like table
    to use instead of the course's (tests pass small ones)."""
    import pandas as pd

    steps = csp_steps() if steps is None else steps
    return int((pd.to_datetime(steps["counted_from"]) <= pd.Timestamp(date)).sum())


def partners_chart():
    """Comprehensive strategic partners over time, with the dates of the two readings marked."""
    import altair as alt
    import pandas as pd

    from helpers.core import charts, data

    steps = csp_steps()
    steps["when"] = [data.date_text(d, p) for d, p in zip(steps["since"], steps["date_precision"])]
    # a step known only to the month (or year) is drawn where it is counted: at the end of its period
    line = alt.Chart(steps).mark_line(interpolate="step-after", color=charts.LEVEL_COLOURS[CSP]).encode(
        x=alt.X("counted_from:T", title="date the partnership was agreed (a month-only date at the month's end)",
                scale=alt.Scale(domain=["2008-01-01", "2026-01-01"])),
        y=alt.Y("count:Q", title="comprehensive strategic partners", scale=alt.Scale(domain=[0, 15])),
    )
    points = alt.Chart(steps).mark_circle(size=60, color=charts.LEVEL_COLOURS[CSP]).encode(
        x="counted_from:T", y="count:Q",
        tooltip=[alt.Tooltip("partner:N"), alt.Tooltip("when:N", title="date"), alt.Tooltip("count:Q")],
    )
    marks = pd.DataFrame([
        {"date": pd.Timestamp(READING_DATES["trong2016"]), "label": "trong2016: the speech"},
        {"date": pd.Timestamp(READING_DATES["quy2024"]), "label": "quy2024: the article"},
    ])
    rules = alt.Chart(marks).mark_rule(color="#555", strokeDash=[2, 2]).encode(x="date:T")
    rule_text = alt.Chart(marks).mark_text(align="right", dx=-4, dy=-120, fontSize=11, color="#333").encode(
        x="date:T", text="label:N")
    at_speech = csp_count_on(READING_DATES["trong2016"])
    at_article = csp_count_on(READING_DATES["quy2024"])
    first, last = steps.iloc[0], steps.iloc[-1]
    description = (
        f"Step chart of the number of Vietnam's comprehensive strategic partners, one step per partner. "
        f"It starts with {first.partner} in {first.since.year} and reaches {int(last['count'])} with "
        f"{last.partner} in {last.since.year}. When the 2016 speech was given Vietnam had {at_speech}; "
        f"when quy2024 was first published (probably July 2024) it had {at_article}; "
        f"{int(last['count']) - at_article} more followed by {last.since.year}."
    )
    return charts.finish(
        alt.layer(line, points, rules, rule_text).properties(width=560, height=280),
        title="Vietnam's comprehensive strategic partners over time",
        description=description,
        source=data.source_note(steps["source"]),
    )


# Sources the notebook's text cites as [CODE] for outside facts that are not rows of a chart: Nye in his own
# words, the speakers' offices, Palmerston's office in 1848, the index's method, what the 2016 report leaves out,
# the years of "taking sides".
CONTEXT_SOURCES = ("G39", "G40", "G33", "G35", "G36", "G38", "G37", "G31", "G30", "G6", "G5", "G34", "P31", "P34",
                   "P33", "P32", "G32", "G3", "G41", "G42", "G43", "G44", "G46", "G48", "G49", "G50")


def data_sources():
    """The sources of the rows this notebook charts and of the outside facts its text cites (sources.csv)."""
    from helpers.core import data
    from helpers.core.data import split_source

    cells = list(index_ranks()["source"]) + list(csp_steps()["source"]) + list(CONTEXT_SOURCES)
    codes = list(dict.fromkeys(t for cell in cells for t in split_source(cell)))
    table = data.sources().set_index("code")
    return table.loc[[c for c in codes if c in table.index]]


# --------------------------------------------------------------------------- the sorter

HARD_RESOURCES = ("economic strength", "military strength")
SOFT_RESOURCES = ("culture", "political values", "foreign policy")
RESOURCES = HARD_RESOURCES + SOFT_RESOURCES
METHODS = ("hard", "soft")
# The resources ¶7 says cannot be used to bribe, pressure or impose: "the attraction of culture, value systems,
# institutional models, and trust" [quy2024 ¶7]. Foreign policy is not among them.
NEVER_HARD = ("culture", "political values")
FOREIGN_POLICY_THE_HARD_WAY = (
    "Quy's rule that soft-power sources are used only the soft way names \"culture, value systems, institutional "
    "models, and trust\" [quy2024 ¶7], not foreign policy. A foreign policy can be pursued the hard way, but then "
    "it draws on economic or military strength, to \"bargain, deter, impose\" [quy2024 ¶13]; what makes a foreign "
    "policy a resource of soft power is that others see it \"as legitimate and having moral authority\" "
    "[quy2024 ¶4].")


@dataclass(frozen=True)
class Reading:
    """A second sorting of an action that the reading also supports, with the feedback that explains it."""
    resource: str
    method: str
    why: str


@dataclass(frozen=True)
class Action:
    id: str
    label: str
    resource: str
    method: str
    why: str
    cite: str
    also: tuple[Reading, ...] = ()

    def accepts(self, resource: str, method: str) -> Reading | None:
        """The other reading that matches (resource, method), if the text supports one."""
        return next((r for r in self.also if (r.resource, r.method) == (resource, method)), None)


_FOURTH_SOURCE = ("Quy lists it under his fourth source of Vietnam's soft power, foreign policy, among the "
                  "resources Vietnam now provides as \"a responsible member of the global community\" "
                  "[quy2024 ¶19] [quy2024 ¶21].")


ACTIONS: dict[str, Action] = {a.id: a for a in (
    Action("ukraine-aid", "Vietnam sends humanitarian aid to the Ukrainian people", "economic strength", "soft",
           "Economic strength used to assist others is the soft method of using a hard-power resource "
           "[quy2024 ¶6]; the reading counts this aid among Vietnam's contributions as a responsible member "
           "of the global community [quy2024 ¶21]. Quy also files it under foreign policy [quy2024 ¶19].",
           "quy2024 ¶6",
           also=(Reading("foreign policy", "soft",
                         "Right too, on Quy's own classification: " + _FOURTH_SOURCE + " Read with his ¶6, the "
                         "resource spent is economic strength, used the soft way [quy2024 ¶6]: the two readings "
                         "look at the same act as a policy and as a use of a resource."),)),
    Action("peacekeeping", "Vietnam increases its contributions to UN peacekeeping missions in South Sudan and Abyei",
           "military strength", "soft",
           "Military strength used in \"the building and keeping of peace\" is the soft method of using hard "
           "power [quy2024 ¶6]; the reading lists these missions among Vietnam's contributions [quy2024 ¶21], "
           "under foreign policy [quy2024 ¶19].",
           "quy2024 ¶6",
           also=(Reading("foreign policy", "soft",
                         "Right too, on Quy's own classification: " + _FOURTH_SOURCE + " Read with his ¶6, the "
                         "resource is military strength used in \"the building and keeping of peace\", the soft "
                         "way [quy2024 ¶6]."),)),
    Action("naval-deterrence", "A navy sends warships to deter a rival from a disputed area",
           "military strength", "hard",
           "Military might used to achieve one's objectives is the hard method [quy2024 ¶6]; hard power can "
           "be wielded to \"bargain, deter, impose\" [quy2024 ¶13].", "quy2024 ¶6"),
    Action("tariff-pressure", "A large country raises tariffs on a small partner until it changes a policy",
           "economic strength", "hard",
           "Economic might used to impose one's will is the hard method [quy2024 ¶6]; major countries may "
           "deploy hard power to \"bribe, trade, impose, or deprive\" [quy2024 ¶10].", "quy2024 ¶6"),
    Action("aid-for-votes", "A country offers a loan on condition that the partner votes its way",
           "economic strength", "hard",
           "Economic strength used to bribe or trade is a hard method, even though it looks like aid "
           "[quy2024 ¶6] [quy2024 ¶10].", "quy2024 ¶10"),
    Action("food-festival", "A Vietnamese food festival abroad, with bun cha and banh mi", "culture", "soft",
           "Culture is one of Nye's three resources of soft power [quy2024 ¶4]; the reading names bun cha "
           "and banh mi among Vietnam's cultural attractions [quy2024 ¶16].", "quy2024 ¶16"),
    Action("keep-commitments", "Vietnam carries out its free trade agreements to the letter",
           "foreign policy", "soft",
           "Foreign policy seen as legitimate is a resource of soft power [quy2024 ¶4]; honouring "
           "international commitments attracts investors and FTA partners [quy2024 ¶22].", "quy2024 ¶22"),
    Action("rights-dialogue", "Vietnam explains its human-rights record through dialogue rather than polemic",
           "political values", "soft",
           "Political values are one of Nye's three resources [quy2024 ¶4]; the reading says Vietnam moved "
           "from a \"struggle\" approach to one of \"sharing and persuasion\" on human rights [quy2024 ¶18].",
           "quy2024 ¶18",
           also=(Reading("foreign policy", "soft",
                         "Right too: what ¶18 describes is a change of diplomatic method, from a \"struggle\" "
                         "approach to one of \"sharing and persuasion\" [quy2024 ¶18], which is foreign-policy "
                         "conduct; the values themselves are the political-values reading [quy2024 ¶4]."),)),
    Action("mediation", "A country deploys its armed forces to separate two warring parties and press them towards peace",
           "military strength", "soft",
           "Using \"strong measures to lead parties in conflict to a peaceful solution\" is one of the soft "
           "methods of using hard power [quy2024 ¶6].", "quy2024 ¶6"),
)}


@dataclass(frozen=True)
class Verdict:
    action: str
    resource_ok: bool
    method_ok: bool
    impossible: bool
    message: str

    @property
    def correct(self) -> bool:
        return self.resource_ok and self.method_ok


def kind_of(resource: str) -> str:
    """'hard' for a hard-power resource (economic, military) and 'soft' for a soft-power one."""
    if resource in HARD_RESOURCES:
        return "hard"
    if resource in SOFT_RESOURCES:
        return "soft"
    raise ValueError(f"unknown resource {resource!r}; one of: {', '.join(RESOURCES)}")


def judge(action_id: str, resource: str, method: str) -> Verdict:
    """Judge a student's sorting of an action by resource and method, with feedback citing quy2024.

    The rules are the reading's: hard-power resources (economic, military strength) can be used in a
    hard or a soft way [quy2024 ¶6]; culture and values are used only in a soft way and "cannot be used
    to bribe, pressure, or impose" [quy2024 ¶7], so using them the hard way is flagged `impossible`.
    Foreign policy is not in that sentence: used the hard way it is judged wrong, with feedback that it
    then draws on hard power [quy2024 ¶13], but not flagged impossible. An action the reading files in
    two places (e.g. aid to Ukraine: economic strength used the soft way [quy2024 ¶6], and foreign
    policy [quy2024 ¶19] [quy2024 ¶21]) is right in either, with feedback on the other reading.
    """
    if action_id not in ACTIONS:
        raise KeyError(f"no action {action_id!r}; actions are: {', '.join(ACTIONS)}")
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; one of: hard, soft")
    kind = kind_of(resource)
    action = ACTIONS[action_id]
    other = action.accepts(resource, method)
    if other is not None:
        return Verdict(action_id, True, True, False, f"Right: {resource}, used the {method} way. {other.why}")
    resource_ok = resource == action.resource
    method_ok = method == action.method
    impossible = resource in NEVER_HARD and method == "hard"
    lines = []
    if impossible:
        lines.append(f"In this reading a soft-power resource such as {resource} cannot be used the hard way: "
                     "\"The attraction of culture, value systems, institutional models, and trust cannot be used "
                     "to bribe, pressure, or impose on other nations\" [quy2024 ¶7].")
    elif kind == "soft" and method == "hard":
        lines.append(FOREIGN_POLICY_THE_HARD_WAY)
    if resource_ok and method_ok:
        lines.insert(0, f"Right: {action.resource}, used the {action.method} way.")
    else:
        wrong = []
        if not resource_ok:
            wrong.append(f"the resource is {action.resource} ({kind_of(action.resource)} power), not {resource}")
        if not method_ok:
            wrong.append(f"the method is {action.method}, not {method}")
        lines.insert(0, "Not quite: " + "; ".join(wrong) + ".")
    lines.append(action.why)
    return Verdict(action_id, resource_ok, method_ok, impossible, " ".join(lines))


def verdict_html(verdict: Verdict) -> str:
    colour = "#1b6ca8" if verdict.correct else "#d1495b"
    return (f'<div role="status" style="border-left:4px solid {colour};padding:4px 10px;">'
            f"{html.escape(verdict.message)}</div>")


def sorter():
    """The "soft or hard?" sorter: choose an action, say its resource and method, check."""
    import ipywidgets as w

    action = w.Dropdown(options=[(a.label, a.id) for a in ACTIONS.values()], description="action",
                        layout=w.Layout(width="95%"), style={"description_width": "70px"})
    resource = w.ToggleButtons(options=list(RESOURCES), value=None, description="resource",
                               style={"description_width": "70px", "button_width": "140px"})
    method = w.ToggleButtons(options=list(METHODS), value=None, description="method",
                             style={"description_width": "70px"})
    check = w.Button(description="Check", button_style="primary", icon="check")
    out = w.HTML(value="<i>Choose a resource and a method, then press Check.</i>")

    def on_check(_=None):
        if resource.value is None or method.value is None:
            out.value = "<i>Choose both a resource and a method first.</i>"
            return
        out.value = verdict_html(judge(action.value, resource.value, method.value))

    def on_change(_change):
        out.value = "<i>Choose a resource and a method, then press Check.</i>"

    check.on_click(on_check)
    action.observe(on_change, names="value")
    box = w.VBox([action, resource, method, check, out])
    box.check = on_check  # for tests: the callback without a browser
    return accessible(box, [out])


__all__ = ["readings_table", "readings_view", "index_ranks", "rank_change", "brand_finance_chart", "lowy_chart",
           "csp_steps", "csp_count_on", "partners_chart", "data_sources", "ACTIONS", "RESOURCES",
           "METHODS", "NEVER_HARD", "judge", "kind_of", "verdict_html", "sorter", "n_ranked", "share_ahead"]
