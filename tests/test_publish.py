"""The slides and reader edition builders (helpers.publishing.publish): their pure parts, without a browser.

The browser tests (tests/browser/test_offline_pages.py) open the built files with the network cut.
"""
from __future__ import annotations

import base64
import hashlib
import json
import re

import nbformat
import pytest
from nbformat import v4

from helpers.publishing import nbexec, publish
from helpers.publishing import reader as reader_site
from helpers.core.readings import load_readings


# ------------------------------------------------------------------------------ widget outputs

def _state(*models):
    return {mid: {"model_name": name, "model_module": "@jupyter-widgets/controls", "state": st}
            for mid, name, st in models}


WIDGET_STATE = _state(
    ("box", "VBoxModel", {"children": ["IPY_MODEL_q", "IPY_MODEL_r", "IPY_MODEL_b"]}),
    ("q", "HTMLModel", {"value": "<p>Which is <b>soft</b> power?</p><script>alert(1)</script>"
                                 "<img src=x onerror=alert(2)>"}),
    ("r", "RadioButtonsModel", {"_options_labels": ["culture", "tanks <b>"], "index": None}),
    ("b", "ButtonModel", {"description": "Check"}),
)


def _executed_notebook():
    view = {"model_id": "box", "version_major": 2, "version_minor": 0}
    cell = v4.new_code_cell("ex.show('x')", outputs=[
        v4.new_output("display_data", data={publish.WIDGET_MIME: view, "text/plain": "VBox(...)"}),
        v4.new_output("display_data", data={"text/plain": "No answer recorded yet for sp-x."}),
        v4.new_output("display_data", data={publish.ANSWER_MIME: {"answer": "a"}, "text/plain": "Answer recorded"}),
        v4.new_output("stream", name="stdout", text="kept\n"),
    ])
    nb = v4.new_notebook(cells=[v4.new_markdown_cell("# A title"), cell])
    nb.metadata["widgets"] = {publish.WIDGET_STATE_MIME: {"state": WIDGET_STATE, "version_major": 2}}
    return nb


def test_widget_output_becomes_a_visible_note_with_the_question():
    nb = publish.offline_outputs(_executed_notebook())
    outputs = nb.cells[1].outputs
    assert len(outputs) == 2, outputs  # note + stdout; record and placeholder dropped
    note = outputs[0].data["text/html"]
    assert publish.WIDGET_NOTE in note and outputs[0].data["text/plain"] == publish.WIDGET_NOTE
    assert "Which is <b>soft</b> power?" in note
    assert "<li>culture</li>" in note and "tanks &lt;b&gt;" in note
    assert "script" not in note and "alert" not in note and "onerror" not in note
    assert "Check" not in note  # buttons do nothing without a kernel
    assert outputs[1].text == "kept\n"
    assert "widgets" not in nb.metadata


def test_widget_note_without_saved_state_still_says_what_to_do():
    nb = _executed_notebook()
    del nb.metadata["widgets"]
    out = publish.offline_outputs(nb).cells[1].outputs[0]
    assert publish.WIDGET_NOTE in out.data["text/html"]


# ---------------------------------------------------------------------------------- chart SVGs

def test_inline_svg_is_cleaned_labelled_and_given_unique_ids():
    svg = ('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" class="marks" onload="x()">'
           '<defs><clipPath id="clip1"><rect/></clipPath></defs><g clip-path="url(#clip1)"/>'
           '<script>bad()</script></svg>')
    a = publish.inline_svg(svg, "Partners & levels. Source: S1.")
    b = publish.inline_svg(svg, "")
    assert a.startswith('<svg role="img" aria-label="Partners &amp; levels. Source: S1."')
    assert "onload" not in a and "script" not in a and "<?xml" not in a
    id_a = a.split('id="')[1].split('"')[0]
    id_b = b.split('id="')[1].split('"')[0]
    assert id_a != id_b and f"url(#{id_a})" in a
    assert 'aria-label="Chart"' in b


# ------------------------------------------------------------------------------ citation links

def test_citations_in_text_link_to_paragraph_anchors():
    readings = load_readings()
    n = len(readings["quy2024"].paragraphs)

    def href(rid, p):
        return f"../readings/{rid}.html#p{p}" if rid in readings and p <= n else None

    page = ('<p>See [quy2024 ¶3] and [quy2024 ¶{big}] and [nobody2020 ¶1].</p>'
            '<svg><text>[quy2024 ¶3]</text></svg><a href="x">[quy2024 ¶4]</a><code>[quy2024 ¶5]</code>'
            ).replace("{big}", str(n + 1))
    out = publish.link_citations(page, href)
    assert '<a class="vnfr-cite" href="../readings/quy2024.html#p3">[quy2024 ¶3]</a>' in out
    assert out.count("vnfr-cite") == 1
    assert f"[quy2024 ¶{n + 1}]" in out and "[nobody2020 ¶1]" in out
    assert "<text>[quy2024 ¶3]</text>" in out and "<code>[quy2024 ¶5]</code>" in out


# ------------------------------------------------------------------------------ offline check

def test_offsite_references_finds_what_a_page_would_fetch(tmp_path):
    page = tmp_path / "p.html"
    page.write_text("""<!DOCTYPE html><html><head>
<script src="https://cdn.example.org/require.js"></script>
<link rel="stylesheet" href="//fonts.example.com/css">
<style>@import url(https://fonts.googleapis.com/css?family=Lato); .a { background: url('local.png') }</style>
<script type="module">import mermaid from 'https://cdn.example.net/mermaid.mjs';</script>
</head><body>
<img srcset="a.png 1x, https://img.example.org/b.png 2x">
<img src="data:image/png;base64,AAAA"><script src="reveal.js/dist/reveal.js"></script>
<a href="https://www.en.tapchicongsan.org.vn">source</a>
<svg xmlns="http://www.w3.org/2000/svg"><image href="http://127.0.0.1:8888/x.png"/></svg>
<iframe src="http://localhost:8888/lab"></iframe>
</body></html>""")
    (tmp_path / "s.css").write_text("@font-face { src: url(https://fonts.example.com/x.woff2); }")
    refs = publish.offsite_references(tmp_path)
    loads = sorted(r.url for r in refs if r.kind == "load")
    assert loads == sorted(["https://cdn.example.org/require.js", "//fonts.example.com/css",
                            "https://fonts.googleapis.com/css?family=Lato", "https://cdn.example.net/mermaid.mjs",
                            "https://img.example.org/b.png", "https://fonts.example.com/x.woff2"]), refs
    links = [r.url for r in refs if r.kind == "link"]
    assert links == ["https://www.en.tapchicongsan.org.vn"]
    with pytest.raises(publish.PublishError, match="6 reference"):
        publish.check_offline(tmp_path)


def test_the_exporters_templates_have_no_cdn(tmp_path):
    """The nbconvert templates, rendered on a notebook with a widget, a chart and math."""
    nb = _executed_notebook()
    nb.cells.append(v4.new_markdown_cell("Math: $x^2$ and a [link](https://example.org)."))
    nb.cells.append(v4.new_code_cell("chart", outputs=[v4.new_output("display_data", data={
        "image/svg+xml": '<svg xmlns="http://www.w3.org/2000/svg" class="marks"><g class="mark-line"/></svg>',
        "application/vnd.vegalite.v5+json": {"mark": "line"}, "text/plain": "A chart."})]))
    for kind in ("slides", "page"):
        exp = nbexec._exporter(kind)
        resources = {"metadata": {"name": "t"}, "vnfr": {"up": "../", "course_title": "C", "prev": None, "next": None}}
        body, _ = exp.from_notebook_node(publish.offline_outputs(nbformat.from_dict(json.loads(json.dumps(nb)))),
                                         resources=resources)
        (tmp_path / f"{kind}.html").write_text(body)
        assert publish.WIDGET_NOTE in body
        svg_tag = re.search(r"<svg\b[^>]*>", body).group(0)
        assert 'role="img"' in svg_tag and 'aria-label="A chart."' in svg_tag, svg_tag
        assert "require.js" not in body and "mathjax" not in body.lower() and "unpkg" not in body
    publish.check_offline(tmp_path)
    assert 'src="reveal.js/dist/reveal.js"' in (tmp_path / "slides.html").read_text()


def test_exported_slides_leave_out_the_code_the_live_slideshow_hides():
    from helpers.publishing import slideshow

    nb = slideshow.adapt_notebook(json.loads(json.dumps(_executed_notebook())))
    nb["cells"].append(v4.new_code_cell("answer = 6 * 7"))
    nb["cells"].append(v4.new_markdown_cell("Markdown stays."))
    assert slideshow.input_hidden_on_slides(nb["cells"][1])
    body = publish.export_slides(nbformat.from_dict(nb), "t")
    inputs = re.findall(r'class="jp-InputArea jp-Cell-inputArea"', body)
    assert len(inputs) == 3, inputs  # title, `answer = ...` and the Markdown cell; not `ex.show('x')`
    assert '<span class="n">show</span>' not in body and '<span class="n">answer</span>' in body
    assert "Markdown stays." in body
    assert publish.WIDGET_NOTE in body  # the exercise's output is still there


# ------------------------------------------------------------------------------- the readings

def test_reading_page_has_header_facts_and_paragraph_anchors():
    readings = load_readings()
    env = publish.site_environment()
    for r in readings.values():
        ctx = publish.reading_context(r)
        page = env.get_template("reading.html.j2").render(course_title="C", up="../", r=ctx)
        for p in r.paragraphs:
            assert f'id="p{p.number}"' in page
        assert "Who is speaking, to whom" in page and ctx["speaker"].replace("'", "&#39;").replace('"', "&#34;") in page
        assert r.meta["date"].isoformat() in page
        assert ("<strong>inferred</strong>" in page) == bool(r.meta.get("date_inferred"))
        assert 'href="http' not in page  # the original address is shown as text


def test_paragraph_markdown_escapes_html_and_marks_footnotes():
    out = publish.render_paragraph('A <script>x()</script> *claim*.[^3]')
    assert "<script>" not in out and "&lt;script&gt;" in out
    assert "<em>claim</em>" in out and '<sup class="fnref">3</sup>' in out


def test_glossary_rows_link_citations_that_exist():
    readings = load_readings()
    rows = publish.glossary_rows(readings)
    assert rows and all(r["english"] and r["vietnamese"] for r in rows)
    cites = [c for r in rows for c in r["cites"]]
    assert cites
    for c in cites:  # the course's glossary cites only paragraphs that exist: every one is a link
        m = publish.CITE_LINK_RE.match(c["text"])
        assert c["href"] == f"readings/{m.group(1)}.html#p{int(m.group(2))}", c
    # a citation of a reading (or paragraph) that does not exist is left as text, not a dead link
    without = {rid: r for rid, r in readings.items() if rid != "quy2024"}
    hrefs = {c["text"]: c["href"] for r in publish.glossary_rows(without) for c in r["cites"]}
    quy = [h for text, h in hrefs.items() if text.startswith("[quy2024 ")]
    assert quy and set(quy) == {""}
    assert any(h.startswith("readings/") for text, h in hrefs.items() if not text.startswith("[quy2024 "))
    assert reader_site._bracket_cites("quy2024 ¶12; hien2018 ¶3") == "[quy2024 ¶12] [hien2018 ¶3]"
    assert reader_site._bracket_cites("[quy2024 ¶12]") == "[quy2024 ¶12]"


# --------------------------------------------------------------------------- build plumbing

def test_reveal_download_is_checked_against_the_pinned_hash(tmp_path):
    npm_dir = tmp_path / "npm"
    npm_dir.mkdir()
    bogus = npm_dir / f"reveal.js-{publish.REVEAL_VERSION}.tgz"
    bogus.write_bytes(b"not reveal.js")
    with pytest.raises(publish.PublishError, match="integrity"):
        publish.fetch_reveal(tmp_path)
    assert not bogus.exists()
    algo, _, value = publish.REVEAL_INTEGRITY.partition("-")
    assert algo == "sha512" and len(base64.b64decode(value)) == hashlib.sha512().digest_size


def test_unknown_notebook_is_named(tmp_path):
    with pytest.raises(publish.PublishError, match="no notebook 'nope'"):
        publish.course_notebooks(["nope"], folder=tmp_path)
    with pytest.raises(publish.PublishError, match="no notebooks"):
        publish.course_notebooks(None, folder=tmp_path)


def test_commands_are_registered():
    from helpers import __main__ as cli

    assert cli.COMMANDS["slides"] == "helpers.publishing.publish:slides_main"
    assert cli.COMMANDS["site"] == "helpers.publishing.publish:site_main"
    with pytest.raises(SystemExit) as exc:
        cli.main(["site", "--help"])
    assert exc.value.code == 0


def test_site_build_end_to_end(tmp_path):
    """One tiny notebook through a real kernel: every page written, nothing fetched from outside."""
    path = tmp_path / "nb" / "tiny.ipynb"
    path.parent.mkdir()
    nb = v4.new_notebook(cells=[v4.new_markdown_cell("# Tiny notebook\n\nSee [quy2024 ¶2]."),
                                v4.new_code_cell("print('hello from the kernel')")],
                         metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
    nbformat.write(nb, path)
    out = tmp_path / "site"
    pages = publish.build_site([str(path)], out=out, cache=False, log=lambda *_: None)
    names = {p.relative_to(out).as_posix() for p in pages}
    assert {"index.html", "glossary.html", "notebooks/tiny.html"} <= names
    assert {f"readings/{rid}.html" for rid in load_readings()} <= names
    page = (out / "notebooks" / "tiny.html").read_text()
    assert "hello from the kernel" in page and 'href="../readings/quy2024.html#p2"' in page
    index = (out / "index.html").read_text()
    assert "Tiny notebook" in index and publish.COURSE_TITLE.replace("'", "&#39;") in index
    assert not [r for r in publish.offsite_references(out) if r.kind == "load"]
