"""The offline editions in a real browser with the network cut: a slide deck and the reader edition
open from disk (file://), show their text and charts, and fetch nothing from anywhere. (The live
slideshow inside JupyterLab is tested in test_slideshow_browser.py.)

Builds only what the tests need: 00-start-here into a temporary folder; a small notebook written
here checks the widget note.
"""
from __future__ import annotations

import time
from pathlib import Path

import nbformat
import pytest
from nbformat import v4

import labdriver
from helpers.publishing import publish

pytestmark = pytest.mark.browser

START = labdriver.REPO / "notebooks" / "00-start-here.ipynb"
MARKS = ("svg.marks .mark-line path, svg.marks .mark-symbol path, svg.marks .mark-rect path, "
         "svg.marks .mark-area path, svg.marks .mark-rule line, svg.marks .mark-arc path, "
         "svg.marks .mark-point path, svg.marks .mark-text text")


def sample_notebook() -> nbformat.NotebookNode:
    """A small course-like notebook: a title slide, a chart slide, an exercise widget slide."""
    slide = {"slideshow": {"slide_type": "slide"}}
    cells = [
        v4.new_markdown_cell("# Sample lecture\n\nHow the offline editions show a notebook. See [quy2024 ¶3].",
                             metadata=slide),
        v4.new_code_cell("import helpers\nhelpers.setup()"),
        v4.new_markdown_cell("## A chart", metadata=slide),
        v4.new_code_cell("import altair as alt, pandas as pd\n"
                         "alt.Chart(pd.DataFrame({'year': [2000, 2010, 2020], 'n': [1, 3, 2]}), title='A sample chart')"
                         ".mark_line(point=True).encode(x='year:O', y='n:Q')"),
        v4.new_markdown_cell("## An exercise", metadata=slide),
        v4.new_code_cell("import ipywidgets as w\n"
                         "w.VBox([w.HTML('<p>Which is a source of soft power?</p>'),"
                         " w.RadioButtons(options=['culture', 'tanks'], value=None)])"),
    ]
    return v4.new_notebook(cells=cells, metadata={"kernelspec": {
        "name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}})


def first_heading(path: Path) -> str:
    nb = nbformat.read(path, as_version=4)
    return publish.notebook_title(nb, path.stem)


@pytest.fixture(scope="module")
def source_notebook() -> Path:
    """00-start-here, the notebook a lecturer opens first."""
    assert START.is_file(), f"{START} is missing: the offline editions are tested on the course's own notebook"
    return START


@pytest.fixture(scope="module")
def built(source_notebook, tmp_path_factory) -> dict:
    out = tmp_path_factory.mktemp("offline")
    t0 = time.monotonic()
    decks = publish.build_slides([str(source_notebook)], out=out / "slides", log=lambda *_: None)
    pages = publish.build_site([str(source_notebook)], out=out / "site", log=lambda *_: None)
    return {"deck": decks[0], "site": out / "site", "slides": out / "slides", "pages": pages,
            "title": first_heading(source_notebook), "name": source_notebook.stem,
            "seconds": time.monotonic() - t0}


@pytest.fixture
def file_page(browser, request):
    """A page for files on disk: file:// is allowed, every other request is aborted and recorded;
    the test fails if any was attempted or a script error was raised."""
    offsite: list[str] = []
    errors: list[str] = []
    context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")

    def guard(route):
        url = route.request.url
        if url.startswith("file:") or labdriver.is_local(url):
            route.continue_()
        else:
            offsite.append(url)
            route.abort("blockedbyclient")

    context.route("**/*", guard)
    page = context.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("websocket", lambda ws: offsite.append(ws.url))
    yield page
    failed = getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed
    if failed:
        try:
            labdriver.SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(labdriver.SCREENSHOTS / f"{request.node.name}-failed.png"), full_page=True)
        except Exception:
            pass
    context.close()
    if not failed:
        assert not offsite, f"{request.node.name}: the page tried to fetch from outside:\n  " + "\n  ".join(offsite)
        assert not errors, f"{request.node.name}: script errors on the page:\n  " + "\n  ".join(errors)


def _visible_chart_with_marks(page, scope: str = "") -> int:
    return page.evaluate("""([scope, marks]) => {
      let n = 0;
      for (const svg of document.querySelectorAll(scope + ' svg.marks')) {
        const r = svg.getBoundingClientRect();
        if (r.width > 50 && r.height > 50 && svg.querySelector(marks.split(', ').map(s => s.replace('svg.marks ', '')).join(', '))) n++;
      }
      return n;
    }""", [scope, MARKS])


# ------------------------------------------------------------------------------ exported slides

def test_built_files_reference_nothing_off_the_machine(built):
    loads = [r for r in publish.offsite_references(built["slides"]) + publish.offsite_references(built["site"])
             if r.kind == "load"]
    assert not loads, "\n".join(map(str, loads))
    assert (built["slides"] / "reveal.js" / "dist" / "reveal.js").is_file()


def test_slide_deck_opens_and_advances_offline(built, file_page):
    page = file_page
    page.goto(built["deck"].as_uri())
    page.wait_for_function("() => window.Reveal && Reveal.isReady()", timeout=15_000)
    current = page.locator(".reveal .slides section.present").last
    assert built["title"].lower() in current.inner_text().lower(), current.inner_text()[:300]
    assert current.locator("h1").first.is_visible()
    first = page.evaluate("() => Reveal.getIndices()")
    total = page.evaluate("() => Reveal.getTotalSlides()")
    assert total >= 2, f"the deck has {total} slide(s): are the cells given slide metadata?"
    page.keyboard.press("ArrowRight")
    page.wait_for_function("(f) => JSON.stringify(Reveal.getIndices()) !== JSON.stringify(f)", arg=first,
                           timeout=5_000)
    assert page.evaluate("() => Reveal.getIndices().h + Reveal.getIndices().v") > first["h"] + first["v"]
    # Walk the deck until a slide shows a chart drawn as SVG with marks.
    for _ in range(total + 5):
        if _visible_chart_with_marks(page, ".reveal .slides section.present"):
            break
        if page.evaluate("() => Reveal.isLastSlide()"):
            break
        page.keyboard.press("ArrowRight")
        page.wait_for_timeout(150)
    assert _visible_chart_with_marks(page, ".reveal .slides section.present"), \
        "no slide shows a chart SVG with marks"
    labdriver.SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(labdriver.SCREENSHOTS / f"slides-{built['name']}.png"))


# -------------------------------------------------------------------------------- reader edition

def test_reader_edition_opens_offline(built, file_page):
    page = file_page
    site = built["site"]
    page.goto((site / "index.html").as_uri())
    assert page.locator("h1").first.inner_text().strip() == publish.COURSE_TITLE
    link = page.locator(f'a[href="notebooks/{built["name"]}.html"]')
    assert link.count() == 1 and link.is_visible()
    assert page.locator('a[href^="readings/"]').count() == 5
    assert page.locator('a[href="glossary.html"]').is_visible()

    link.click()
    page.wait_for_load_state()
    assert built["title"] in page.locator("main").inner_text()
    assert _visible_chart_with_marks(page) >= 1, "the notebook page shows no chart SVG with marks"
    assert page.locator(".jupyter-widgets, .widget-radio").count() == 0
    widget_notes = page.locator(".vnfr-widget-note")
    if widget_notes.count():
        assert widget_notes.first.is_visible()
        assert publish.WIDGET_NOTE in widget_notes.first.inner_text()
    labdriver.SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(labdriver.SCREENSHOTS / f"site-{built['name']}.png"), full_page=True)

    page.goto((site / "readings" / "quy2024.html").as_uri() + "#p3")
    facts = page.locator(".vnfr-facts").inner_text()
    assert "Who is speaking" in facts and "Date" in facts and "2024" in facts
    para = page.locator("#p3")
    assert para.is_visible() and "¶3" in para.inner_text() and "Nye" in para.inner_text()
    assert page.evaluate("() => document.querySelector(':target') && document.querySelector(':target').id") == "p3"

    page.goto((site / "glossary.html").as_uri())
    assert page.locator("table.vnfr-glossary tbody tr").count() >= 1
    assert page.get_by_text("soft power", exact=True).first.is_visible()


def test_widget_note_replaces_widgets_in_the_reader_edition(tmp_path, file_page):
    """A widget needs a kernel: the page says so plainly and shows the question and its choices."""
    path = tmp_path / "widget-note.ipynb"
    nbformat.write(sample_notebook(), path)
    publish.build_site([str(path)], out=tmp_path / "site", cache=False, log=lambda *_: None)
    page = file_page
    page.goto((tmp_path / "site" / "notebooks" / "widget-note.html").as_uri())
    note = page.locator(".vnfr-widget-note")
    assert note.count() == 1 and note.is_visible()
    text = note.inner_text()
    assert publish.WIDGET_NOTE in text and "Which is a source of soft power?" in text and "tanks" in text
    assert _visible_chart_with_marks(page) == 1
    cite = page.locator("a.vnfr-cite").first
    assert cite.get_attribute("href") == "../readings/quy2024.html#p3"
