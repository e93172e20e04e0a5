"""The reader edition (`python -m helpers site`): an index page, every notebook as a page, every
reading with its paragraph anchors (citations link to them) and the glossary.
"""
from __future__ import annotations

import html
import re
import shutil
import time
from pathlib import Path

from .nbexec import (
    COURSE_SUBTITLE, COURSE_TITLE, SITE_TEMPLATES, _exporter, course_notebooks, default_build,
    execute_notebook, notebook_title, offline_outputs
)
from .offline import check_offline


# ------------------------------------------------------------------------------ citation links

CITE_LINK_RE = re.compile(r"\[([a-z][a-z0-9-]*\d{4}) ¶(\d+)(?:[–-](\d+))?\]")
_SKIP_TAGS = {"a", "svg", "script", "style", "code", "pre", "textarea", "title", "head"}
_TAG_RE = re.compile(r"(<!--.*?-->|<[^>]*>)", re.S)


def link_citations(page: str, href_for) -> str:
    """Turn `[quy2024 ¶12]` in the text of an HTML page into a link to that paragraph.

    `href_for(reading_id, number)` returns the address, or None to leave the citation as text.
    Text inside links, SVG, scripts, styles and code is left alone.
    """
    out = []
    depth = 0
    for part in _TAG_RE.split(page):
        if part.startswith("<"):
            m = re.match(r"<(/?)([a-zA-Z][\w:-]*)", part)
            if m and m.group(2).lower() in _SKIP_TAGS and not part.endswith("/>"):
                depth += -1 if m.group(1) else 1
                depth = max(depth, 0)
            out.append(part)
        elif depth or "¶" not in part:
            out.append(part)
        else:
            def repl(m):
                href = href_for(m.group(1), int(m.group(2)))
                if not href:
                    return m.group(0)
                return f'<a class="vnfr-cite" href="{html.escape(href)}">{m.group(0)}</a>'
            out.append(CITE_LINK_RE.sub(repl, part))
    return "".join(out)


# ---------------------------------------------------------------------------------------- site

def site_environment():
    import jinja2

    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(SITE_TEMPLATES)),
                              autoescape=jinja2.select_autoescape(["html", "j2"], default=True),
                              trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined)


def markdown_renderer():
    """Mistune (the Markdown library nbconvert uses), with raw HTML escaped."""
    import mistune

    return mistune.create_markdown(escape=True, plugins=["table", "strikethrough"])


FOOTNOTE_REF_RE = re.compile(r"\[\^([^\]\s]+)\]")


def render_paragraph(text: str, md=None) -> str:
    """One reading paragraph as HTML (Markdown, raw HTML escaped, `[^3]` as a superscript)."""
    md = md or markdown_renderer()
    out = md(text)
    return FOOTNOTE_REF_RE.sub(lambda m: f'<sup class="fnref">{html.escape(m.group(1))}</sup>', out)


def reading_context(r) -> dict:
    """The facts shown above a reading: who speaks, to whom, when (and whether the date is inferred)."""
    m = r.meta
    md = markdown_renderer()
    from markupsafe import Markup

    sections = []
    current = None
    for p in r.paragraphs:
        if current is None or p.section != current["title"]:
            current = {"title": p.section, "paragraphs": []}
            sections.append(current)
        current["paragraphs"].append({
            "number": p.number,
            "html": Markup(render_paragraph(p.text, md)),
            "footnotes": [Markup(render_paragraph(f, md)) for f in p.footnotes],
        })
    return {
        "id": r.id,
        "title": m["title"],
        "authors": [{"name": a["name"], "affiliation": a.get("affiliation", "")} for a in m["authors"]],
        "outlet": m["outlet"],
        "date": m["date"].isoformat(),
        "date_inferred": bool(m.get("date_inferred")),
        "date_evidence": m.get("date_evidence") or "",
        "date_note": m.get("date_note") or "",
        "language": m.get("language", ""),
        "original_language": m.get("original_language") or "",
        "speaker": m["speaker"],
        "url": m.get("url", ""),
        "note": m.get("note") or "",
        "paragraph_count": len(r.paragraphs),
        "sections": sections,
    }


def glossary_rows(readings: dict) -> list[dict]:
    from helpers.core import data

    rows = []
    frame = data.glossary().fillna("")
    for rec in frame.to_dict("records"):
        cites = []
        for m in CITE_LINK_RE.finditer(_bracket_cites(str(rec.get("cite", "")))):
            rid, n = m.group(1), int(m.group(2))
            ok = rid in readings and 1 <= n <= len(readings[rid].paragraphs)
            cites.append({"text": m.group(0), "href": f"readings/{rid}.html#p{n}" if ok else ""})
        rows.append({"english": rec["english"], "vietnamese": rec["vietnamese"], "definition": rec.get("definition", ""),
                     "note": rec.get("note", ""), "cite_text": rec.get("cite", ""), "cites": cites,
                     "source": rec.get("source", ""), "anchor": "t-" + re.sub(r"[^a-z0-9]+", "-", rec["english"].lower()).strip("-")})
    return rows


def _bracket_cites(text: str) -> str:
    """'quy2024 ¶12; hien2018 ¶3' and '[quy2024 ¶12]' both become bracketed citations."""
    text = text.strip()
    if not text or "[" in text:
        return text
    return " ".join(f"[{t.strip()}]" for t in re.split(r"[;,]\s*(?=[a-z])", text) if t.strip())


def build_site(notebooks: list[str] | None = None, out: Path | str | None = None,
               cache: Path | None | bool = True, log=print) -> list[Path]:
    """The reader edition in `out`: index.html, notebooks/*.html, readings/*.html, glossary.html.
    Returns the pages written."""
    from helpers.core.readings import load_readings

    out = Path(out or default_build() / "site")
    cache_dir = default_build() / "cache" if cache is True else (Path(cache) if cache else None)
    paths = course_notebooks(notebooks)
    env = site_environment()
    readings = load_readings()
    for sub in ("notebooks", "readings"):
        (out / sub).mkdir(parents=True, exist_ok=True)
    shutil.copy2(SITE_TEMPLATES / "site.css", out / "site.css")
    written: list[Path] = []

    def href_for(prefix):
        def f(rid, n):
            r = readings.get(rid)
            return f"{prefix}readings/{rid}.html#p{n}" if r and 1 <= n <= len(r.paragraphs) else None
        return f

    # notebooks: execute all first (titles are needed for the prev/next links)
    executed = []
    for path in paths:
        t0 = time.monotonic()
        nb = execute_notebook(path, cache_dir)
        executed.append((path, nb, notebook_title(nb, path.stem), time.monotonic() - t0))
    entries = [{"href": f"notebooks/{p.stem}.html", "title": title, "name": p.stem} for p, _, title, _ in executed]
    exp = _exporter("page")
    for i, (path, nb, title, secs) in enumerate(executed):
        t0 = time.monotonic()
        nb = offline_outputs(nb)
        nb.metadata["title"] = f"{title} · {COURSE_TITLE}"
        nav = {"up": "../", "course_title": COURSE_TITLE,
               "prev": {"href": f"{executed[i - 1][0].stem}.html", "title": executed[i - 1][2]} if i else None,
               "next": {"href": f"{executed[i + 1][0].stem}.html", "title": executed[i + 1][2]} if i + 1 < len(executed) else None}
        body, _ = exp.from_notebook_node(nb, resources={"metadata": {"name": path.stem}, "vnfr": nav})
        page = out / "notebooks" / f"{path.stem}.html"
        page.write_text(link_citations(body, href_for("../")), encoding="utf-8")
        written.append(page)
        log(f"site: {page} ({secs + time.monotonic() - t0:.1f} s)")

    reading_entries = []
    for r in readings.values():
        ctx = reading_context(r)
        page = out / "readings" / f"{r.id}.html"
        page.write_text(env.get_template("reading.html.j2").render(
            course_title=COURSE_TITLE, up="../", r=ctx), encoding="utf-8")
        written.append(page)
        reading_entries.append({"href": f"readings/{r.id}.html", **{k: ctx[k] for k in (
            "id", "title", "authors", "outlet", "date", "date_inferred", "speaker", "paragraph_count")}})

    glossary = glossary_rows(readings)
    page = out / "glossary.html"
    page.write_text(env.get_template("glossary.html.j2").render(
        course_title=COURSE_TITLE, up="", terms=glossary), encoding="utf-8")
    written.append(page)

    page = out / "index.html"
    all_notebooks = [{"href": f"notebooks/{p.stem}.html", "title": p.stem, "name": p.stem}
                     for p in sorted((out / "notebooks").glob("*.html"))]
    titles = {e["name"]: e["title"] for e in entries}
    for e in all_notebooks:
        e["title"] = titles.get(e["name"], _title_from_page(out / e["href"]) or e["name"])
    page.write_text(env.get_template("index.html.j2").render(
        course_title=COURSE_TITLE, subtitle=COURSE_SUBTITLE, up="", notebooks=all_notebooks,
        readings=reading_entries, glossary_count=len(glossary)), encoding="utf-8")
    written.append(page)
    log(f"site: {page}")
    check_offline(out)
    return written


def _title_from_page(page: Path) -> str | None:
    m = re.search(r"<title>(.*?)(?: · [^<]*)?</title>", page.read_text(encoding="utf-8", errors="replace")[:4000], re.S)
    return html.unescape(m.group(1)).strip() if m else None
