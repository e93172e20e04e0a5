"""Notebook 05, the capstone: the memo builder's logic.

`memo_outline(...)`: the skeleton of the memo from the fact sheet's facts, the concepts the student
chose with their citations, the word limits of the bank, and the depth scorecard of notebook 04
(`helpers.lessons.deepening.scorecard`, reused, not rewritten). The widget that wraps it is
`helpers.lessons.capstone.memo_builder`.
"""
from __future__ import annotations

from . import deepening
from .capstone_facts import SET_ID, THEMES, _ordinal, evidence_log, partner_summary

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
