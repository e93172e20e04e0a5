"""Notebook 04, deepening relations: the reading's card, the charts, and the depth scorecard.

The notebook `notebooks/04-deepening-relations.ipynb` calls these functions, one or two per cell.
Everything a test needs to reach is a pure function here:

* `reading_card_markdown()`: who is speaking, to whom and when, with the evidence for the date;
* `years_to_csp()`: how long each partner took from strategic to comprehensive strategic
  partnership (the notebook's pandas task works on it);
* `ladder_chart()`, `level_count_chart()`, `years_chart()`: the notebook's charts, from
  `course/data`, each finished with a title, a description and the rows' sources;
* `scorecard(interests, institutions, identity, words_and_deeds)`: the logic of the depth
  scorecard, which rates a relationship on the reading's three conditions and places it in the
  confidence x cooperation table [quytung2009 ¶7-10] [quytung2009 ¶38];
* `scorecard_widget()`: the widget around `scorecard`.
"""
from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass, field

from .a11y import accessible

READING = "quytung2009"
SET_ID = "04-deepening-relations"
CSP = "comprehensive strategic partnership"
SP = "strategic partnership"

# --------------------------------------------------------------------------- the reading


def reading_card_markdown() -> str:
    """The reading's header facts as Markdown: authors and posts, outlet, date and its evidence."""
    from . import readings

    r = readings.reading(READING)
    m = r.meta
    authors = "; ".join(f"{a['name']} ({a.get('affiliation', '')})" for a in m["authors"])
    date = m["date"]
    lines = [
        f"**{m['title']}**",
        "",
        "| | |",
        "|---|---|",
        f"| who is speaking | {authors} |",
        f"| to whom | {m['speaker']} |",
        f"| where | {m['outlet']}{' (inferred)' if m.get('outlet_inferred') else ''} |",
        f"| when | {date.year}{' (inferred: no date is printed)' if m.get('date_inferred') else ''} |",
        f"| length | {len(r.paragraphs)} numbered paragraphs |",
        "",
    ]
    if m.get("date_inferred"):
        lines += ["**How the date was inferred.** " + str(m["date_evidence"]), ""]
    if m.get("outlet_evidence"):
        lines += ["**How the outlet was inferred.** " + str(m["outlet_evidence"]), ""]
    return "\n".join(lines)


def show_reading_card() -> None:
    from IPython.display import Markdown, display

    display(Markdown(reading_card_markdown()))


READING_DATE = dt.date(2009, 3, 1)
"""The reading's inferred date (its header): not before March 2009, not after January 2011."""

# --------------------------------------------------------------------------- data


def years_to_csp(upgrades=None):
    """One row per partner that went from strategic to comprehensive strategic partnership.

    Columns: partner, strategic (year of the first strategic partnership), comprehensive_strategic
    (year of the upgrade), years (the difference in calendar years: several dates are given only
    to the year, so whole years are the honest unit), source. Partners that reached the top level
    without a strategic step first (China, the United States) are left out. Sorted by years.
    """
    import pandas as pd

    from . import data

    steps = data.upgrades() if upgrades is None else upgrades
    first_sp = steps[steps["level"] == SP].groupby("partner")["since"].min()
    first_csp = steps[steps["level"] == CSP].groupby("partner")["since"].min()
    both = pd.concat({"sp": first_sp, "csp": first_csp}, axis=1).dropna()
    both = both[both["csp"] > both["sp"]]
    source = steps.groupby("partner")["source"].first()
    frame = pd.DataFrame({
        "partner": both.index,
        "strategic": both["sp"].dt.year.astype("int64").values,
        "comprehensive_strategic": both["csp"].dt.year.astype("int64").values,
    })
    frame["years"] = frame["comprehensive_strategic"] - frame["strategic"]
    frame["source"] = frame["partner"].map(source).values
    return frame.sort_values(["years", "partner"], kind="stable").reset_index(drop=True)


def ladder_frame(upgrades=None, as_of=None):
    """Segments for the ladder chart: partner, level, named, start, end (next step or `as_of`)."""
    import pandas as pd

    from . import data

    steps = (data.upgrades() if upgrades is None else upgrades).sort_values(["partner", "since"])
    as_of = pd.Timestamp(as_of) if as_of is not None else steps["since"].max()
    rows = []
    for partner, group in steps.groupby("partner", sort=False):
        records = list(group.itertuples(index=False))
        for i, rec in enumerate(records):
            end = records[i + 1].since if i + 1 < len(records) else as_of
            rows.append({"partner": partner, "level": rec.level, "named": rec.named, "start": rec.since,
                         "end": end, "date_precision": rec.date_precision, "source": rec.source})
    frame = pd.DataFrame(rows)
    first = frame.groupby("partner")["start"].min().sort_values(kind="stable")
    frame["order"] = frame["partner"].map({p: i for i, p in enumerate(first.index)})
    return frame.sort_values(["order", "start"]).reset_index(drop=True)


def level_counts(upgrades=None, years=None):
    """How many partners in the table were at each level at the end of each year (long format)."""
    import pandas as pd

    from . import data

    steps = data.upgrades() if upgrades is None else upgrades
    if years is None:
        years = range(2000, int(steps["since"].dt.year.max()) + 1)
    rows = []
    for year in years:
        current = data.level_on(pd.Timestamp(year=year, month=12, day=31), steps=steps)
        for level in data.LEVELS:
            rows.append({"year": year, "level": level, "partners": int((current["level"] == level).sum())})
    return pd.DataFrame(rows)


def _level_scale(levels=None):
    import altair as alt

    from .charts import LEVEL_COLOURS

    levels = list(levels or LEVEL_COLOURS)
    return alt.Scale(domain=levels, range=[LEVEL_COLOURS[lv] for lv in levels])


def _reading_rule(y_title: str | None = None):
    """A dashed rule and label at the reading's inferred date."""
    import altair as alt
    import pandas as pd

    frame = pd.DataFrame({"date": [pd.Timestamp(READING_DATE)], "label": ["the reading (c. 2009)"]})
    base = alt.Chart(frame)
    rule = base.mark_rule(strokeDash=[4, 4], color="#30343f").encode(x="date:T")
    text = base.mark_text(align="left", dx=4, dy=-6, fontSize=11, color="#30343f").encode(
        x="date:T", y=alt.value(0), text="label:N")
    return rule + text


def ladder_chart():
    """Each partner's level over time, a bar per step, coloured by level, with the reading's date."""
    import altair as alt

    from . import charts, data

    frame = ladder_frame()
    order = list(dict.fromkeys(frame["partner"]))
    as_of = frame["end"].max()
    bars = alt.Chart(frame).mark_bar(height=11).encode(
        x=alt.X("start:T", title="year", axis=alt.Axis(format="%Y")),
        x2="end:T",
        y=alt.Y("partner:N", sort=order, title=None),
        color=alt.Color("level:N", scale=_level_scale(), title="level", legend=alt.Legend(labelLimit=400)),
        tooltip=[alt.Tooltip("partner:N"), alt.Tooltip("named:N", title="level as named"),
                 alt.Tooltip("start:T", title="from", format="%Y-%m"),
                 alt.Tooltip("date_precision:N", title="date given to the")],
    )
    chart = (bars + _reading_rule()).properties(height=alt.Step(16))
    n_csp = int((frame.groupby("partner")["level"].last() == CSP).sum())
    early = frame[(frame["level"] == CSP) & (frame["start"] <= str(READING_DATE))]
    early_names = ", ".join(f"{r.partner}, {r.start:%Y}" for r in early.itertuples())
    return charts.finish(
        chart,
        title="From one level to the next: Vietnam's partners since 2001",
        description=(
            f"A bar for each partner in the course table, from its first partnership level to "
            f"{as_of:%B %Y}, coloured by level. When the reading was written (about 2009) "
            f"{len(early)} partner{'' if len(early) == 1 else 's'} had reached comprehensive strategic "
            f"partnership ({early_names}); by {as_of:%Y} {n_csp} had. Dates given only to the year are drawn from 1 January. The table is not a "
            "complete list of strategic or comprehensive partners."),
        source=data.source_note(frame["source"]),
    )


def level_count_chart():
    """How many partners in the table were at each level, year by year, with the reading's date."""
    import altair as alt
    import pandas as pd

    from . import charts, data

    counts = level_counts()
    counts = counts[counts["level"] != "comprehensive partnership"].copy()
    counts["date"] = pd.to_datetime(counts["year"].astype(str) + "-12-31")
    at = counts.pivot(index="year", columns="level", values="partners")
    final = int(counts["year"].max())
    y0 = READING_DATE.year
    recent = int(at.loc[final, CSP] - at.loc[final - 4, CSP])
    sp_peak = int(at[SP].idxmax())
    lines = alt.Chart(counts).mark_line(interpolate="step-after", point=True).encode(
        x=alt.X("date:T", title="end of year", axis=alt.Axis(format="%Y")),
        y=alt.Y("partners:Q", title="partners at this level"),
        color=alt.Color("level:N", scale=_level_scale([CSP, SP]), title="level",
                        legend=alt.Legend(labelLimit=400)),
        tooltip=[alt.Tooltip("year:O"), alt.Tooltip("level:N"), alt.Tooltip("partners:Q")],
    )
    sources = data.partnerships()["source"]
    return charts.finish(
        lines + _reading_rule(),
        title="Comprehensive strategic partners multiplied after the reading",
        description=(
            "Two step lines, one per level, counting the partners in the course table at each level "
            f"at the end of each year from 2000. Comprehensive strategic partners: {at.loc[y0, CSP]} at the end "
            f"of {y0}, the reading's year, and {at.loc[final, CSP]} in {final} (to the latest date in the table), "
            f"{recent} of them added since {final - 3}. Strategic partners peak at {at[SP].max()} (first reached in {sp_peak}) and then "
            "fall as they are upgraded. The table "
            "lists every comprehensive strategic partner but only the strategic partners whose dates "
            "the course could confirm."),
        source=data.source_note(sources),
    )


def years_chart():
    """Bars: years from strategic to comprehensive strategic partnership, per partner."""
    import altair as alt

    from . import charts, data

    frame = years_to_csp()
    bars = alt.Chart(frame).mark_bar(color="#1b6ca8").encode(
        x=alt.X("years:Q", title="years from strategic to comprehensive strategic partnership"),
        y=alt.Y("partner:N", sort="-x", title=None),
        tooltip=[alt.Tooltip("partner:N"), alt.Tooltip("strategic:O", title="strategic partnership"),
                 alt.Tooltip("comprehensive_strategic:O", title="comprehensive strategic"),
                 alt.Tooltip("years:Q")],
    )
    labels = bars.mark_text(align="left", dx=3, fontSize=11, color="#30343f").encode(text="years:Q")
    shortest, longest = frame.iloc[0], frame.iloc[-1]
    return charts.finish(
        (bars + labels).properties(height=alt.Step(18)),
        title="How long the step to the top level took",
        description=(
            f"A bar for each of the {len(frame)} partners that went from strategic to comprehensive "
            "strategic partnership, counted in calendar years (some dates are given only to the "
            f"year). The shortest was {shortest['partner']} ({shortest['years']} years), the longest "
            f"{longest['partner']} ({longest['years']} years). China and the United States are left "
            "out: neither had a strategic partnership first."),
        source=data.source_note(frame["source"]),
    )


def data_references_markdown() -> str:
    """The data sources of the notebook's charts, one line each, from `course/data/sources.csv`."""
    from . import data

    codes = list(dict.fromkeys(c for cell in data.partnerships()["source"] for c in data.split_source(cell)))
    table = data.sources().set_index("code")
    return "\n".join(f"- [{c}] {table.at[c, 'title']}. {table.at[c, 'where']}." for c in codes)


def show_data_references() -> None:
    from IPython.display import Markdown, display

    display(Markdown(data_references_markdown()))


# --------------------------------------------------------------------------- the scorecard

DIMENSIONS = ("interests", "institutions", "identity")

CRITERIA = {
    "interests": {
        "title": "Interests: how entwined are they?",
        "criteria": (
            "In politics and security: the level of common interest and each side's place in the "
            "other's strategy, commitments in legally binding documents, and mechanisms that make "
            "the commitments real [quytung2009 ¶17]. In economics: the degree of common interest, "
            "the tightness of commitments and the effectiveness of mechanisms [quytung2009 ¶18], "
            "seen in big joint projects, interdependence in strategic products and complementarity "
            "[quytung2009 ¶19]."),
        "levels": (
            "no common interests: the relation cannot be developed or kept up [quytung2009 ¶11]",
            "some shared interests, short-term and easily changed [quytung2009 ¶21]",
            "shared interests with some commitments, but little interdependence [quytung2009 ¶17]",
            "entwined interests: big joint projects and interdependence in trade [quytung2009 ¶19]",
            "\u201cone party could not be without the other\u201d: entwinement anchors the relation "
            "[quytung2009 ¶19]",
        ),
    },
    "institutions": {
        "title": "Institutions: how tight are the mechanisms?",
        "criteria": (
            "The vitality and age of the cooperative mechanisms, their levels of structure, the "
            "stability of their rules, mechanisms for solving conflicts and managing crises, and "
            "mutual trust and commitment to follow and upgrade them [quytung2009 ¶26]. A loose "
            "institution means the relation is not in depth; a tight one favours depth "
            "[quytung2009 ¶27]."),
        "levels": (
            "no mechanism for managing the relation [quytung2009 ¶22]",
            "loose: contacts between officials, little structure [quytung2009 ¶23] [quytung2009 ¶27]",
            "regular mechanisms with some rules, but of limited effect [quytung2009 ¶26]",
            "tight: joint commissions or cabinet meetings, stable rules, crisis management "
            "[quytung2009 ¶24] [quytung2009 ¶26]",
            "the mechanisms outlast changes of government and officials [quytung2009 ¶26]",
        ),
    },
    "identity": {
        "title": "Identity and values: how much is shared?",
        "criteria": (
            "Awareness of common identity and values among the elites [quytung2009 ¶30], public "
            "understanding of them and contacts between peoples [quytung2009 ¶31], and in the end "
            "a \u201cwe-feeling\u201d among both people and elites [quytung2009 ¶32]."),
        "levels": (
            "no shared identity or values recognised [quytung2009 ¶28]",
            "a few common values recognised by some leaders [quytung2009 ¶30]",
            "the elites share an awareness of common identity and values [quytung2009 ¶30]",
            "the public shares it too: close people-to-people contacts [quytung2009 ¶31]",
            "a \u201cwe-feeling\u201d in people and elites, as between Britain and the US "
            "[quytung2009 ¶31] [quytung2009 ¶32]",
        ),
    },
}

WORDS_AND_DEEDS = {
    1: "always: the partner matches words with deeds, and this is verified in reality",
    2: "sometimes: the partner matches words with deeds only sometimes",
    3: "often not: words do not match deeds, above all on the partner's own security and development",
    4: "never: the partner always acts inconsistently and cheats",
}
"""The track-record half of the four degrees of confidence [quytung2009 ¶40-43]."""

DEGREES = {
    1: ("Degree 1", "high sense of confidence", "quytung2009 ¶40"),
    2: ("Degree 2", "less confidence", "quytung2009 ¶41"),
    3: ("Degree 3", "suspicion", "quytung2009 ¶42"),
    4: ("Degree 4", "deep suspicion", "quytung2009 ¶43"),
}

HIGH, LOW = "High level of confidence", "Low level of confidence"
MORE, LESS = "More cooperation", "Less cooperation"
TABLE = {
    (HIGH, MORE): (1, "Good friend/reliable partner"),
    (LOW, MORE): (2, "Bad friend/temporary partner"),
    (HIGH, LESS): (3, "Good partner/potential friend"),
    (LOW, LESS): (4, "Bad partner/enemy"),
}
"""The confidence x cooperation table, in the reading's own words [quytung2009 ¶38]."""

EXAMPLES = {
    "Britain and the United States (the reading's example of shared identity)":
        {"interests": 4, "institutions": 4, "identity": 4, "words_and_deeds": 1},
    "The wartime Allies and the Soviet Union after 1945 (the reading's example of interests that lapsed)":
        {"interests": 1, "institutions": 1, "identity": 0, "words_and_deeds": 3},
    "Hypothetical: a new partner with fast-growing trade and few mechanisms":
        {"interests": 3, "institutions": 1, "identity": 1, "words_and_deeds": 2},
    "Hypothetical: a partner that keeps its word but does little with us":
        {"interests": 1, "institutions": 1, "identity": 2, "words_and_deeds": 1},
    "Hypothetical: busy cooperation under suspicion":
        {"interests": 3, "institutions": 2, "identity": 0, "words_and_deeds": 3},
}
"""Pre-filled examples for the scorecard. Their scores are the course's illustrative judgements,
not data: the first two are the reading's own examples [quytung2009 ¶21] [quytung2009 ¶31]."""


@dataclass
class Scorecard:
    """What the scorecard concludes about one relationship."""

    scores: dict
    degree: int
    confidence: str
    cooperation: str
    cell: int
    cell_label: str
    depth: str
    verdict: str
    notes: list = field(default_factory=list)
    citations: list = field(default_factory=list)


def _check_score(name: str, value, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValueError(f"{name} must be a whole number from {low} to {high}, got {value!r}")
    return value


def scorecard(interests: int, institutions: int, identity: int, words_and_deeds: int) -> Scorecard:
    """Rate a relationship on the reading's three conditions and place it in its table.

    `interests`, `institutions`, `identity`: 0 to 4 each (see CRITERIA). `words_and_deeds`: 1 to 4,
    the partner's track record (see WORDS_AND_DEEDS). The rules, which are the course's reading of
    the article, not the authors' own formula:

    * degree of confidence: the track record gives it, but Degree 1 also needs institutions that
      bind the partner [quytung2009 ¶40], so with institutions below 3 it is Degree 2; and Degree 4
      has no institutions at all [quytung2009 ¶43], so with institutions of 3 or more it is Degree 3,
      suspicion where violations go unpunished [quytung2009 ¶42];
    * confidence is high at Degrees 1 and 2, low at Degrees 3 and 4;
    * cooperation rests on interests and institutions together [quytung2009 ¶7]: "more" when
      their sum is 4 or more;
    * the cell follows the table [quytung2009 ¶38]; depth needs cell 1 and Degree 1
      [quytung2009 ¶39], and every condition at 3 or more, because depth comes from their combined
      effect [quytung2009 ¶32] and a loose institution cannot carry it [quytung2009 ¶27].
    """
    scores = {
        "interests": _check_score("interests", interests, 0, 4),
        "institutions": _check_score("institutions", institutions, 0, 4),
        "identity": _check_score("identity", identity, 0, 4),
    }
    degree = _check_score("words_and_deeds", words_and_deeds, 1, 4)
    notes: list[str] = []
    cites = ["quytung2009 ¶7", "quytung2009 ¶38"]
    if degree == 1 and institutions < 3:
        degree = 2
        notes.append("The record is good, but Degree 1 also needs institutions that bind the partner; "
                     "with loose institutions the card records Degree 2 [quytung2009 ¶40].")
        cites.append("quytung2009 ¶40")
    elif degree == 4 and institutions >= 3:
        degree = 3
        notes.append("Deep suspicion (Degree 4) is where no institutions exist; with institutions whose "
                     "violations go unpunished, the card records suspicion, Degree 3 [quytung2009 ¶42] "
                     "[quytung2009 ¶43].")
        cites += ["quytung2009 ¶42", "quytung2009 ¶43"]
    confidence = HIGH if degree <= 2 else LOW
    cooperation = MORE if interests + institutions >= 4 else LESS
    cell, label = TABLE[(confidence, cooperation)]
    name, words, degree_cite = DEGREES[degree]
    cites.append(degree_cite)
    weak = [d for d in DIMENSIONS if scores[d] < 3]

    if cell == 1 and degree == 1 and not weak:
        depth = "a relation in depth"
        verdict = ("All three conditions are strong and confidence is at Degree 1: by the authors' "
                   "standards this is a relation in depth, one that is not \u201cthin\u201d or "
                   "\u201cfragile\u201d [quytung2009 ¶32] [quytung2009 ¶39].")
        cites += ["quytung2009 ¶32", "quytung2009 ¶39"]
    elif cell == 1:
        depth = "on the way to depth"
        if weak:
            missing = "still weak on " + (" and ".join(weak) if len(weak) < 3 else "interests, institutions and identity")
        else:
            missing = "confidence is below Degree 1"
        verdict = ("A good friend and reliable partner, but not yet in depth: "
                   f"{missing}. Depth needs the combined strength of interests, institutions and "
                   "values [quytung2009 ¶32] and the highest level of confidence [quytung2009 ¶39].")
        cites += ["quytung2009 ¶32", "quytung2009 ¶39"]
    elif cell == 2:
        depth = "fragile"
        verdict = ("Cooperation runs ahead of confidence: a temporary partner. Without confidence "
                   "there is no substantial cooperation and sensitive matters cannot be addressed "
                   "[quytung2009 ¶36]; confidence grows from common interests and from mechanisms "
                   "that verify that words match deeds [quytung2009 ¶44].")
        cites += ["quytung2009 ¶36", "quytung2009 ¶44"]
    elif cell == 3:
        depth = "potential"
        verdict = ("Confidence runs ahead of cooperation: a potential friend. Depth must be built "
                   "on a given width of relations [quytung2009 ¶34]: more shared interests and "
                   "mechanisms to manage them [quytung2009 ¶22].")
        cites += ["quytung2009 ¶34", "quytung2009 ¶22"]
    else:
        depth = "shallow"
        verdict = ("Little cooperation and little confidence. Without common interests a relation "
                   "cannot be developed and kept up in the long term [quytung2009 ¶11].")
        cites.append("quytung2009 ¶11")
    return Scorecard(scores=scores, degree=degree, confidence=confidence, cooperation=cooperation,
                     cell=cell, cell_label=label, depth=depth, verdict=verdict, notes=notes,
                     citations=list(dict.fromkeys(cites)))


def scorecard_html(card: Scorecard) -> str:
    """The scorecard's result as HTML: the table with the chosen cell marked, and the verdict."""
    def td(conf, coop):
        n, label = TABLE[(conf, coop)]
        chosen = n == card.cell
        style = ("background:#1b6ca8;color:#fff;font-weight:bold" if chosen else "background:#f4f4f4")
        mark = " \u2190 this relationship" if chosen else ""
        return f'<td style="padding:6px 10px;{style}">{n}. {html.escape(label)}{mark}</td>'

    name, words, _ = DEGREES[card.degree]
    rows = "".join(
        f'<tr><th style="text-align:left;padding:6px 10px">{html.escape(coop)}</th>{td(HIGH, coop)}{td(LOW, coop)}</tr>'
        for coop in (MORE, LESS))
    table = (
        '<table style="border-collapse:separate;border-spacing:3px">'
        f'<thead><tr><th></th><th style="padding:6px 10px">{HIGH}</th><th style="padding:6px 10px">{LOW}</th></tr></thead>'
        f"<tbody>{rows}</tbody></table>"
        '<div style="font-size:90%;color:#555">The table in the reading\'s own words [quytung2009 ¶38].</div>')
    scores = ", ".join(f"{d} {card.scores[d]}/4" for d in DIMENSIONS)
    notes = "".join(f"<li>{html.escape(n)}</li>" for n in card.notes)
    return (
        f"<div><p><b>Scores:</b> {html.escape(scores)}. <b>Confidence:</b> {name} ({html.escape(words)}). "
        f"<b>Cooperation:</b> {html.escape(card.cooperation.lower())}.</p>{table}"
        f"<p><b>Verdict: {html.escape(card.depth)}.</b> {html.escape(card.verdict)}</p>"
        + (f"<ul>{notes}</ul>" if notes else "")
        + f'<p style="font-size:90%;color:#555">Cited: {html.escape("; ".join(card.citations))}. '
        "The rules that turn scores into a cell are the course's reading of the article, not the "
        "authors' own formula.</p></div>")


def criteria_html(dimension: str, level: int) -> str:
    """The reading's criteria for one condition, with the chosen level's description."""
    c = CRITERIA[dimension]
    return (f'<div style="font-size:92%;margin:0 0 10px 0"><b>{html.escape(c["title"])}</b> '
            f'{html.escape(c["criteria"])}<br><i>Level {level}: {html.escape(c["levels"][level])}</i></div>')


def scorecard_widget(example: str | None = None):
    """The depth scorecard: three sliders, a track-record menu, examples, and the verdict."""
    import ipywidgets as w

    style = {"description_width": "150px"}
    layout = w.Layout(width="520px")
    sliders = {d: w.IntSlider(value=2, min=0, max=4, step=1, description=d.capitalize(), style=style,
                              layout=layout, continuous_update=False) for d in DIMENSIONS}
    record = w.Dropdown(options=[(f"{k}. {v}", k) for k, v in WORDS_AND_DEEDS.items()], value=2,
                        description="Words and deeds", style=style, layout=w.Layout(width="760px"))
    blank = "\u2014 your own scores \u2014"
    examples = w.Dropdown(options=[blank] + list(EXAMPLES), value=blank, description="Example",
                          style=style, layout=w.Layout(width="760px"))
    criteria = {d: w.HTML() for d in DIMENSIONS}
    result = w.HTML()
    note = w.HTML('<div style="font-size:90%;color:#555">The examples\' scores are the course\'s '
                  "illustrative judgements, not data. Move the sliders to make your own.</div>")

    def refresh(_=None):
        for d in DIMENSIONS:
            criteria[d].value = criteria_html(d, sliders[d].value)
        card = scorecard(sliders["interests"].value, sliders["institutions"].value,
                         sliders["identity"].value, record.value)
        result.value = scorecard_html(card)

    def load_example(change):
        values = EXAMPLES.get(change["new"])
        if not values:
            return
        for d in DIMENSIONS:
            sliders[d].value = values[d]
        record.value = values["words_and_deeds"]
        refresh()

    for s in sliders.values():
        s.observe(refresh, names="value")
    record.observe(refresh, names="value")
    examples.observe(load_example, names="value")
    box = w.VBox([examples, note] + [x for d in DIMENSIONS for x in (sliders[d], criteria[d])]
                 + [record, result])
    box.sliders, box.record, box.examples, box.result = sliders, record, examples, result
    if example:
        examples.value = example
    refresh()
    return accessible(box)


def scorecard_text(interests: int, institutions: int, identity: int, words_and_deeds: int) -> str:
    """The scorecard's verdict as plain text (for slides and for reading without widgets)."""
    card = scorecard(interests, institutions, identity, words_and_deeds)
    name, words, _ = DEGREES[card.degree]
    return (f"Cell {card.cell} of the table: {card.cell_label} ({card.confidence.lower()}, "
            f"{card.cooperation.lower()}; {name}, {words}). Verdict: {card.depth}. {card.verdict}")


__all__ = ["READING", "SET_ID", "reading_card_markdown", "show_reading_card", "years_to_csp", "ladder_frame",
           "level_counts", "ladder_chart", "level_count_chart", "years_chart", "data_references_markdown",
           "show_data_references", "CRITERIA", "WORDS_AND_DEEDS", "DEGREES", "TABLE", "EXAMPLES", "Scorecard",
           "scorecard", "scorecard_html", "criteria_html", "scorecard_widget", "scorecard_text"]
