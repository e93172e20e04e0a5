"""Notebook 05, the capstone: a policy memo on one of Vietnam's partnerships.

The notebook `notebooks/05-capstone.ipynb` calls these functions, one or two per cell. Everything a
test needs to reach is a pure function; the widgets only wrap them. The facts live in
`helpers.lessons.capstone_facts`, the memo's logic in `helpers.lessons.capstone_memo`; this module
carries the rubric, the references and the widgets, and offers the other two under its own name
(`capstone.fact_sheet`, `capstone.memo_outline`), as the notebook calls them.

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

from . import deepening
from .capstone_facts import (  # the notebook calls these as capstone.<name>
    SET_ID, READINGS, CSP, DEFAULT_PARTNER, HIGHLIGHT, OTHERS, THEMES, THEME_OF_READING, ALIASES,
    EU_MEMBERS, ASEAN_MEMBERS, CPTPP_MEMBERS, RCEP_MEMBERS, EAEU_MEMBERS, RELATED_MILESTONES,
    FTAS_IN_READING, FTA_CITE, FTA_LABEL, FTA_NOTES, partners, check_partner, date_text, fact_sheet,
    top_tier_order, years_to_top, partner_summary, fact_sheet_html, partner_pattern,
    reading_mentions, evidence_log, path_frame, LEVEL_LABELS, path_chart, years_chart
)
from .capstone_memo import (  # the notebook calls these as capstone.<name>
    SECTIONS, CONCEPTS, QUESTIONS, concept_index, word_limits, _words, outline_warnings,
    memo_outline, show_scorecard_rules
)
from helpers.core.a11y import accessible

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
