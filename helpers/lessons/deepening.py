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

from helpers.core.a11y import accessible

READING = "quytung2009"
SET_ID = "04-deepening-relations"
CSP = "comprehensive strategic partnership"
SP = "strategic partnership"

# --------------------------------------------------------------------------- the reading


def reading_card_markdown() -> str:
    """The reading's header facts as Markdown: authors and posts, outlet, date and its evidence."""
    from helpers.core import readings

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
    if m.get("date_note"):
        lines += ["**The date of this English text.** " + str(m["date_note"]), ""]
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

    from helpers.core import data

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

    from helpers.core import data

    steps = (data.upgrades() if upgrades is None else upgrades).sort_values(["partner", "since"])
    as_of = pd.Timestamp(as_of) if as_of is not None else steps["since"].max()
    rows = []
    for partner, group in steps.groupby("partner", sort=False):
        records = list(group.itertuples(index=False))
        start_of = lambda r: getattr(r, "counted_from", r.since)  # noqa: E731 (a month/year step counts from its end)
        for i, rec in enumerate(records):
            end = start_of(records[i + 1]) if i + 1 < len(records) else as_of
            rows.append({"partner": partner, "level": rec.level, "named": rec.named, "start": start_of(rec),
                         "end": end, "date_precision": rec.date_precision, "source": rec.source})
    frame = pd.DataFrame(rows)
    first = frame.groupby("partner")["start"].min().sort_values(kind="stable")
    frame["order"] = frame["partner"].map({p: i for i, p in enumerate(first.index)})
    return frame.sort_values(["order", "start"]).reset_index(drop=True)


def level_counts(upgrades=None, years=None):
    """How many partners in the table were at each level at the end of each year (long format)."""
    import pandas as pd

    from helpers.core import data

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

    from helpers.core.charts import LEVEL_COLOURS

    levels = list(levels or LEVEL_COLOURS)
    return alt.Scale(domain=levels, range=[LEVEL_COLOURS[lv] for lv in levels])


READING_LATEST = dt.date(2011, 1, 1)
"""The end of the band in which the reading's argument is dated (before the 11th Congress, an
argument from silence); its English text may be later (see the reading card)."""


def _reading_rule(y_title: str | None = None):
    """A shaded band and label for the reading's inferred date: March 2009 to the end of 2010."""
    import altair as alt
    import pandas as pd

    frame = pd.DataFrame({"date": [pd.Timestamp(READING_DATE)], "end": [pd.Timestamp(READING_LATEST)],
                          "label": ["the reading (inferred: 2009\u201310)"]})
    base = alt.Chart(frame)
    band = base.mark_rect(opacity=0.18, color="#30343f").encode(x="date:T", x2="end:T")
    text = base.mark_text(align="left", dx=4, dy=-6, fontSize=11, color="#30343f").encode(
        x="date:T", y=alt.value(0), text="label:N")
    return band + text


def ladder_chart():
    """Each partner's level over time, a bar per step, coloured by level, with the reading's date."""
    import altair as alt

    from helpers.core import charts, data

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
            f"{as_of:%B %Y}, coloured by level, with a shaded band where the reading is dated (inferred: "
            f"March 2009 to 2010). When the reading was written (about 2009) "
            f"{len(early)} partner{'' if len(early) == 1 else 's'} had reached comprehensive strategic "
            f"partnership ({early_names}); by {as_of:%Y} {n_csp} had. Dates given only to the year are drawn from 1 January. The table is not a "
            "complete list of strategic or comprehensive partners."),
        source=data.source_note(frame["source"]),
    )


def level_count_chart():
    """How many partners in the table were at each level, year by year, with the reading's date."""
    import altair as alt
    import pandas as pd

    from helpers.core import charts, data

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
            f"of {y0}, the reading's inferred year, and {at.loc[final, CSP]} in {final} (to the latest date in the table), "
            f"{recent} of them added since {final - 3}. Strategic partners peak at {at[SP].max()} (first reached in {sp_peak}) and then "
            "fall as they are upgraded. The table "
            "lists every comprehensive strategic partner but only the strategic partners whose dates "
            "the course could confirm."),
        source=data.source_note(sources),
    )


def years_chart():
    """Bars: years from strategic to comprehensive strategic partnership, per partner."""
    import altair as alt

    from helpers.core import charts, data

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


# Sources the notebook's text cites as [CODE] for outside facts that are not rows of a chart: the offices
# behind the reading's byline (its date), Resolution 8's partners and objects of struggle, and the words of
# the joint statements behind the `named` labels (China 2008, Korea 2009, Japan 2006) and China's 2023 framing.
CONTEXT_SOURCES = ("G45", "G46", "G47", "G32", "G6", "S2", "S62", "S64", "M64")


def data_references_markdown() -> str:
    """The sources of the notebook's charts and of the outside facts its text cites, one line each, from
    `course/data/sources.csv`."""
    from helpers.core import data

    cells = list(data.partnerships()["source"]) + list(CONTEXT_SOURCES)
    codes = list(dict.fromkeys(c for cell in cells for c in data.split_source(cell)))
    table = data.sources().set_index("code")
    return "\n".join(f"- [{c}] {table.at[c, 'title']}. {table.at[c, 'where']}." for c in codes)


def show_data_references() -> None:
    from IPython.display import Markdown, display

    display(Markdown(data_references_markdown()))


# --------------------------------------------------------------------------- the scorecard

DIMENSIONS = ("interests", "institutions", "identity")
CONDITIONS = ("width", "capacity")
"""The two conditions for depth besides confidence [quytung2009 ¶33]: scored like the three
dimensions, but optional (None = not scored)."""

COOPERATION_MIN = 2
"""Cooperation is "more" only when interests AND institutions are each at this level or above."""
DEGREE1_INSTITUTIONS = 3
"""Degree 1 also needs institutions that bind the partner: institutions at this level or above."""
DEPTH_MIN = 3
"""A relation in depth needs every scored condition at this level or above."""

CRITERIA = {
    "interests": {
        "title": "Interests: how entwined are they?",
        "criteria": (
            "In politics and security: the level of common interest and each side's place in the "
            "other's strategy, commitments in legally binding documents, and mechanisms that make "
            "the commitments real [quytung2009 ¶17]. In economics: the degree of common interest, "
            "the tightness of commitments and the effectiveness of mechanisms [quytung2009 ¶18], "
            "seen in big joint projects, interdependence in strategic products and complementarity "
            "[quytung2009 ¶19]. Economic interest weighs most [quytung2009 ¶20]."),
        "levels": (
            "no common interests: the relation cannot be developed or kept up [quytung2009 ¶11]",
            "some shared interests, short-term and easily changed [quytung2009 ¶21]",
            "common interests written into documents, but few mechanisms that make the commitments "
            "real (the course's level; the measures are those of [quytung2009 ¶17])",
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
    "width": {
        "title": "Width: how wide is the relation that depth must rest on?",
        "criteria": (
            "Depth rests on a given width, in all three aspects, interests, institutions and values "
            "[quytung2009 ¶34]; width lets the two sides find key areas, effective mechanisms and "
            "trustworthy partners, and it must go on complementing depth [quytung2009 ¶35]."),
        "levels": (
            "contacts in one field only: no width to build depth on [quytung2009 ¶34]",
            "a few fields, growing in only one of interests, institutions and values [quytung2009 ¶34]",
            "several fields, growing in two of the three aspects [quytung2009 ¶34]",
            "wide in all three aspects, so that key areas and effective mechanisms can be chosen "
            "[quytung2009 ¶35]",
            "width that keeps complementing depth: sound cooperation leads to new cooperation "
            "[quytung2009 ¶34] [quytung2009 ¶35]",
        ),
    },
    "capacity": {
        "title": "Capacity: can Vietnam manage a relation in depth?",
        "criteria": (
            "National strength and standing, a level of development and institutions that carry out "
            "commitments, with every ministry, locality, business and organisation involved, not the "
            "foreign service alone [quytung2009 ¶45]: a national policy-making apparatus, "
            "coordination across agencies, and qualified staff [quytung2009 ¶46]. The authors found "
            "it weak in practice [quytung2009 ¶56–58] [quytung2009 ¶63]."),
        "levels": (
            "the relation is left to the foreign service alone, with no coordination [quytung2009 ¶45]",
            "weak understanding and implementation, as the Party itself admitted [quytung2009 ¶56] "
            "[quytung2009 ¶58]",
            "some coordination, but a gap \u201cbetween the design and the performance\u201d "
            "[quytung2009 ¶63]",
            "an apparatus that defines interests and priorities and coordinates the agencies "
            "[quytung2009 ¶46]",
            "State, people and businesses work together, with qualified staff [quytung2009 ¶45] "
            "[quytung2009 ¶46]",
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
        {"interests": 4, "institutions": 4, "identity": 4, "words_and_deeds": 1, "width": 4, "capacity": 4},
    "The wartime Allies and the Soviet Union after 1945 (the reading's example of interests that lapsed)":
        {"interests": 1, "institutions": 1, "identity": 0, "words_and_deeds": 3},
    "Hypothetical: a new partner with fast-growing trade and young mechanisms":
        {"interests": 3, "institutions": 2, "identity": 1, "words_and_deeds": 2},
    "Hypothetical: a partner bound by tight agreements that keeps its word but shares few interests":
        {"interests": 1, "institutions": 3, "identity": 2, "words_and_deeds": 1},
    "Hypothetical: busy cooperation under suspicion":
        {"interests": 3, "institutions": 2, "identity": 0, "words_and_deeds": 3},
}
"""Pre-filled examples for the scorecard. Their scores are the course's illustrative judgements,
not data: the first two are the reading's own examples [quytung2009 ¶21] [quytung2009 ¶31]."""

RULES = (
    f"**Cooperation** is \u201cmore\u201d only when interests **and** institutions are each at "
    f"**{COOPERATION_MIN} or more**: cooperation entails both [quytung2009 ¶7], mechanisms cannot "
    "operate where no one finds an interest [quytung2009 ¶22], and without common interests a "
    "relation cannot be developed [quytung2009 ¶11]. Otherwise it is \u201cless\u201d. (A sum "
    "would let a strong score hide a zero.)",
    "**The degree of confidence** is the partner's record of matching words with deeds "
    "[quytung2009 ¶40–43], with one correction: Degree 1 also needs institutions that bind the "
    f"partner [quytung2009 ¶40], so a perfect record with institutions below **{DEGREE1_INSTITUTIONS}** "
    "counts as Degree 2. Degree 4 is kept as you choose it; where you have scored institutions, the "
    "card asks whether their violations go unpunished, which would be Degree 3 [quytung2009 ¶42] "
    "[quytung2009 ¶43].",
    "**Confidence is high only at Degree 1**, the \u201chigh sense of confidence\u201d [quytung2009 ¶40]; "
    "Degree 2, which the reading calls \u201cless confidence\u201d [quytung2009 ¶41], and Degrees 3 and 4 "
    "go in the low-confidence column. Only \u201clevel 1\u201d serves depth [quytung2009 ¶39].",
    "**The cell** follows the table [quytung2009 ¶38].",
    f"**\u201cA relation in depth\u201d** needs cell 1 at Degree 1, interests, institutions and identity "
    f"each at **{DEPTH_MIN} or more** (depth is their combined effect [quytung2009 ¶32]; a loose "
    f"institution cannot carry it [quytung2009 ¶27]), and the other two conditions for depth, width "
    f"and capacity [quytung2009 ¶33], scored at **{DEPTH_MIN} or more** as well. Cell 1 short of that is "
    "\u201con the way to depth\u201d. With no common interests (interests 0) the verdict is "
    "\u201cshallow\u201d whatever the cell [quytung2009 ¶11].",
)
"""The scorecard's rules, with every threshold, as the student reads them (one source for the
notebooks' text, the card and the tests). They are the course's reading of the article."""


def rules_markdown() -> str:
    """The scorecard's rules as a Markdown list, thresholds included."""
    return ("The authors give criteria, not a formula, so these rules are **the course's reading of "
            "the article**; argue with them in your memo if you read the text otherwise.\n\n"
            + "\n".join(f"- {r}" for r in RULES))


def show_rules() -> None:
    from IPython.display import Markdown, display

    display(Markdown(rules_markdown()))


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
    reasons: list = field(default_factory=list)


def _check_score(name: str, value, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValueError(f"{name} must be a whole number from {low} to {high}, got {value!r}")
    return value


def cooperation_of(interests: int, institutions: int) -> str:
    """MORE when interests and institutions are each at COOPERATION_MIN or more, else LESS."""
    return MORE if min(interests, institutions) >= COOPERATION_MIN else LESS


def degree_of(words_and_deeds: int, institutions: int) -> int:
    """The degree of confidence: the record, with Degree 1 needing binding institutions."""
    if words_and_deeds == 1 and institutions < DEGREE1_INSTITUTIONS:
        return 2
    return words_and_deeds


def confidence_of(degree: int) -> str:
    """HIGH at Degree 1 only [quytung2009 ¶40]; LOW at Degrees 2 to 4 [quytung2009 ¶41-43]."""
    return HIGH if degree == 1 else LOW


def scorecard(interests: int, institutions: int, identity: int, words_and_deeds: int,
              width: int | None = None, capacity: int | None = None) -> Scorecard:
    """Rate a relationship on the reading's conditions and place it in its table.

    `interests`, `institutions`, `identity`: 0 to 4 each (see CRITERIA). `words_and_deeds`: 1 to 4,
    the partner's track record (see WORDS_AND_DEEDS). `width`, `capacity`: 0 to 4, or None when
    not scored. The rules are `RULES` (the course's reading of the article, not the authors'
    formula): `cooperation_of`, `degree_of`, `confidence_of`, then the verdict on depth.
    """
    scores = {
        "interests": _check_score("interests", interests, 0, 4),
        "institutions": _check_score("institutions", institutions, 0, 4),
        "identity": _check_score("identity", identity, 0, 4),
    }
    for name, value in (("width", width), ("capacity", capacity)):
        scores[name] = None if value is None else _check_score(name, value, 0, 4)
    record = _check_score("words_and_deeds", words_and_deeds, 1, 4)
    notes: list[str] = []
    cites = ["quytung2009 ¶7", "quytung2009 ¶38"]
    degree = degree_of(record, institutions)
    if degree != record:
        notes.append("The record is good, but Degree 1 also needs institutions that bind the partner; "
                     f"with institutions below {DEGREE1_INSTITUTIONS} the card records Degree 2 "
                     "[quytung2009 ¶40].")
        cites.append("quytung2009 ¶40")
    if degree == 2:
        notes.append("Degree 2 is what the reading calls \u201cless confidence\u201d [quytung2009 ¶41]: "
                     "the card puts it in the low-confidence column, since the table's high level of "
                     "confidence is Degree 1 [quytung2009 ¶40]. It is the mildest kind of low "
                     "confidence, not suspicion; if you read the table otherwise, argue it.")
        cites.append("quytung2009 ¶41")
    if degree == 4 and institutions >= 1:
        notes.append("Deep suspicion (Degree 4) is where no institutions force the partner to act "
                     f"consistently [quytung2009 ¶43], but you scored institutions {institutions}. If "
                     "they exist but their violations go unpunished, the reading calls it suspicion, "
                     "Degree 3 [quytung2009 ¶42]: check the record or the institutions score.")
        cites += ["quytung2009 ¶42", "quytung2009 ¶43"]
    confidence = confidence_of(degree)
    cooperation = cooperation_of(interests, institutions)
    cell, label = TABLE[(confidence, cooperation)]
    name, words, degree_cite = DEGREES[degree]
    cites.append(degree_cite)

    low_one = [d for d in ("interests", "institutions") if scores[d] < COOPERATION_MIN]
    reasons = [
        (f"Cooperation: more, because interests ({interests}) and institutions "
         f"({institutions}) are both at {COOPERATION_MIN} or more." if cooperation == MORE else
         f"Cooperation: less, because {' and '.join(f'{d} ({scores[d]})' for d in low_one)} "
         f"{'is' if len(low_one) == 1 else 'are'} below {COOPERATION_MIN}."),
        (f"Confidence: {'high' if confidence == HIGH else 'low'}: {name} ({words})"
         + (", the only degree the card counts as high." if degree == 1 else
            "; only Degree 1 counts as high.")),
    ]
    weak = [d for d in DIMENSIONS if scores[d] < DEPTH_MIN]
    unscored = [c for c in CONDITIONS if scores[c] is None]
    weak += [c for c in CONDITIONS if scores[c] is not None and scores[c] < DEPTH_MIN]

    if interests == 0:
        depth = "shallow"
        verdict = ("There are no common interests: without them a relation cannot be developed and "
                   "kept up in the long term [quytung2009 ¶11], and mechanisms cannot operate "
                   "[quytung2009 ¶22]. Whatever the confidence, this relation is not on the way to depth.")
        cites += ["quytung2009 ¶11", "quytung2009 ¶22"]
    elif cell == 1 and degree == 1 and not weak and not unscored:
        depth = "a relation in depth"
        verdict = ("All three conditions, width and capacity are strong and confidence is at Degree 1: "
                   "by the authors' standards this is a relation in depth, one that is not "
                   "\u201cthin\u201d or \u201cfragile\u201d [quytung2009 ¶32] [quytung2009 ¶33] "
                   "[quytung2009 ¶39].")
        cites += ["quytung2009 ¶32", "quytung2009 ¶33", "quytung2009 ¶39"]
    elif cell == 1:
        depth = "on the way to depth"
        parts = []
        if weak:
            parts.append(f"still below {DEPTH_MIN} on " + ", ".join(weak))
        if unscored:
            parts.append(" and ".join(unscored) + " not yet scored")
        verdict = ("A good friend and reliable partner, but not yet in depth: "
                   f"{'; '.join(parts)}. Depth needs the combined strength of interests, institutions "
                   "and values [quytung2009 ¶32], width and capacity [quytung2009 ¶33], and the "
                   "highest level of confidence [quytung2009 ¶39].")
        cites += ["quytung2009 ¶32", "quytung2009 ¶33", "quytung2009 ¶39"]
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
    reasons.append(f"Depth needs cell 1 at Degree 1 and interests, institutions, identity, width and "
                   f"capacity each at {DEPTH_MIN} or more; verdict: {depth}.")
    return Scorecard(scores=scores, degree=degree, confidence=confidence, cooperation=cooperation,
                     cell=cell, cell_label=label, depth=depth, verdict=verdict, notes=notes,
                     citations=list(dict.fromkeys(cites)), reasons=reasons)


def _scores_text(card: Scorecard) -> str:
    parts = [f"{d} {card.scores[d]}/4" for d in DIMENSIONS]
    parts += [f"{c} {card.scores[c]}/4" if card.scores.get(c) is not None else f"{c} not scored"
              for c in CONDITIONS]
    return ", ".join(parts)


def scorecard_html(card: Scorecard) -> str:
    """The scorecard's result as HTML: the table with the chosen cell marked, the reasons, the verdict."""
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
    notes = "".join(f"<li>{html.escape(n)}</li>" for n in card.notes)
    reasons = "".join(f"<li>{html.escape(r)}</li>" for r in card.reasons)
    return (
        f"<div><p><b>Scores:</b> {html.escape(_scores_text(card))}. <b>Confidence:</b> {name} "
        f"({html.escape(words)}). <b>Cooperation:</b> {html.escape(card.cooperation.lower())}.</p>{table}"
        f"<p><b>Why:</b></p><ul>{reasons}</ul>"
        f"<p><b>Verdict: {html.escape(card.depth)}.</b> {html.escape(card.verdict)}</p>"
        + (f"<ul>{notes}</ul>" if notes else "")
        + f'<p style="font-size:90%;color:#555">Cited: {html.escape("; ".join(card.citations))}. '
        "The rules that turn scores into a cell are the course's reading of the article, not the "
        "authors' own formula.</p></div>")


def criteria_html(dimension: str, level: int | None) -> str:
    """The reading's criteria for one condition, with the chosen level's description."""
    c = CRITERIA[dimension]
    chosen = "not scored" if level is None else f"Level {level}: {c['levels'][level]}"
    return (f'<div style="font-size:92%;margin:0 0 10px 0"><b>{html.escape(c["title"])}</b> '
            f'{html.escape(c["criteria"])}<br><i>{html.escape(chosen)}</i></div>')


NOT_YET = ("No placement yet: set the scores, then choose the partner's record on words and deeds. "
           "The card starts with no scores, so that the verdict is yours.")


def scorecard_widget(example: str | None = None):
    """The depth scorecard: sliders, a track-record menu, width and capacity, examples, the verdict.

    It starts with no record chosen and width and capacity unscored, and shows no placement until a
    record is chosen (neutral defaults).
    """
    import ipywidgets as w

    style = {"description_width": "150px"}
    layout = w.Layout(width="520px")
    sliders = {d: w.IntSlider(value=0, min=0, max=4, step=1, description=d.capitalize(), style=style,
                              layout=layout, continuous_update=False) for d in DIMENSIONS}
    extra = {c: w.Dropdown(options=[("not scored", None)] + [(str(i), i) for i in range(5)], value=None,
                           description=c.capitalize(), style=style, layout=layout) for c in CONDITIONS}
    record = w.Dropdown(options=[("\u2014 choose the partner's record \u2014", None)]
                        + [(f"{k}. {v}", k) for k, v in WORDS_AND_DEEDS.items()], value=None,
                        description="Words and deeds", style=style, layout=w.Layout(width="760px"))
    blank = "\u2014 your own scores \u2014"
    examples = w.Dropdown(options=[blank] + list(EXAMPLES), value=blank, description="Example",
                          style=style, layout=w.Layout(width="760px"))
    criteria = {d: w.HTML() for d in DIMENSIONS + CONDITIONS}
    result = w.HTML()
    note = w.HTML('<div style="font-size:90%;color:#555">The examples\' scores are the course\'s '
                  "illustrative judgements, not data. Move the sliders to make your own.</div>")

    def refresh(_=None):
        for d in DIMENSIONS:
            criteria[d].value = criteria_html(d, sliders[d].value)
        for c in CONDITIONS:
            criteria[c].value = criteria_html(c, extra[c].value)
        if record.value is None:
            result.value = f"<p><i>{html.escape(NOT_YET)}</i></p>"
            return
        card = scorecard(sliders["interests"].value, sliders["institutions"].value,
                         sliders["identity"].value, record.value, extra["width"].value, extra["capacity"].value)
        result.value = scorecard_html(card)

    def load_example(change):
        values = EXAMPLES.get(change["new"])
        if not values:
            return
        for d in DIMENSIONS:
            sliders[d].value = values[d]
        for c in CONDITIONS:
            extra[c].value = values.get(c)
        record.value = values["words_and_deeds"]
        refresh()

    for s in [*sliders.values(), *extra.values()]:
        s.observe(refresh, names="value")
    record.observe(refresh, names="value")
    examples.observe(load_example, names="value")
    box = w.VBox([examples, note] + [x for d in DIMENSIONS for x in (sliders[d], criteria[d])]
                 + [record] + [x for c in CONDITIONS for x in (extra[c], criteria[c])] + [result])
    box.sliders, box.extra, box.record, box.examples, box.result = sliders, extra, record, examples, result
    if example:
        examples.value = example
    refresh()
    return accessible(box)


def scorecard_text(interests: int, institutions: int, identity: int, words_and_deeds: int,
                   width: int | None = None, capacity: int | None = None) -> str:
    """The scorecard's verdict as plain text (for slides and for reading without widgets)."""
    card = scorecard(interests, institutions, identity, words_and_deeds, width, capacity)
    name, words, _ = DEGREES[card.degree]
    return (f"Cell {card.cell} of the table: {card.cell_label} ({card.confidence.lower()}, "
            f"{card.cooperation.lower()}; {name}, {words}). Why: {' '.join(card.reasons)} "
            f"Verdict: {card.depth}. {card.verdict}"
            + (" Notes: " + " ".join(card.notes) if card.notes else ""))


__all__ = ["READING", "SET_ID", "reading_card_markdown", "show_reading_card", "years_to_csp", "ladder_frame",
           "level_counts", "ladder_chart", "level_count_chart", "years_chart", "data_references_markdown",
           "show_data_references", "CRITERIA", "CONDITIONS", "COOPERATION_MIN", "DEGREE1_INSTITUTIONS", "DEPTH_MIN", "RULES",
           "rules_markdown", "show_rules", "cooperation_of", "degree_of", "confidence_of", "WORDS_AND_DEEDS", "DEGREES", "TABLE", "EXAMPLES", "Scorecard",
           "scorecard", "scorecard_html", "criteria_html", "scorecard_widget", "scorecard_text"]
