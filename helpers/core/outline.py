"""A notebook's frame: its learning outcomes and its key terms, each read from its one source.

* Learning outcomes live in the notebook's exercise set, `course/exercises/<set>.yml`, under
  `outcomes:` (a list of `{id, text}`), beside the exercises that assess them (`outcome: ID`).
* Key terms live in the course glossary, `course/data/glossary.csv` (English, Vietnamese, source).
"""
from __future__ import annotations

import html
from functools import lru_cache

import yaml

from helpers import ROOT
from .errors import CourseFileError

EXERCISES = ROOT / "course" / "exercises"


@lru_cache(maxsize=None)
def outcomes(set_id: str) -> list[dict]:
    """The learning outcomes of a set: [{"id": "SP-1", "text": "..."}]."""
    path = EXERCISES / f"{set_id}.yml"
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except FileNotFoundError:
        raise CourseFileError(path, None, "set", f"no exercise set {set_id!r}") from None
    items = doc.get("outcomes") or []
    for i, item in enumerate(items):
        if not isinstance(item, dict) or not item.get("id") or not item.get("text"):
            raise CourseFileError(path, None, "outcomes", f"outcome {i + 1} needs an id and a text")
    return items


def outcomes_markdown(set_id: str) -> str:
    return "\n".join(f"- **{o['id']}** {o['text']}" for o in outcomes(set_id))


def show_outcomes(set_id: str) -> None:
    """Display the learning outcomes of a notebook (Markdown)."""
    from IPython.display import Markdown, display

    display(Markdown("**By the end of this notebook you will be able to:**\n\n" + outcomes_markdown(set_id)))


def key_terms(terms: list[str]):
    """The glossary rows for `terms` (English), in the order given; a missing term is an error."""
    from . import data

    table = data.glossary()
    index = {t.lower(): i for i, t in enumerate(table["english"])}
    missing = [t for t in terms if t.lower() not in index]
    if missing:
        raise KeyError(f"not in course/data/glossary.csv: {', '.join(missing)}")
    return table.iloc[[index[t.lower()] for t in terms]].reset_index(drop=True)


def key_terms_html(terms: list[str]) -> str:
    rows = key_terms(terms)
    cells = "".join(
        "<tr><td>{}</td><td lang=\"vi\">{}</td><td>{}</td></tr>".format(
            html.escape(str(r.english)), html.escape(str(r.vietnamese)), html.escape(str(r.source)))
        for r in rows.itertuples()
    )
    return ("<table class=\"vnfr-key-terms\"><thead><tr><th>English</th><th>Tiếng Việt</th>"
            f"<th>source</th></tr></thead><tbody>{cells}</tbody></table>")


def show_key_terms(terms: list[str]) -> None:
    """Display key terms in English and Vietnamese with their sources."""
    from IPython.display import HTML, display

    display(HTML(key_terms_html(terms)))
