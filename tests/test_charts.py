"""Charts render offline: interactive Vega-Lite 5 for JupyterLab, static SVG for exports."""
from __future__ import annotations

import json
import re

import altair as alt
import pandas as pd
import pytest

import helpers
from helpers.core import charts


@pytest.fixture(scope="module")
def chart():
    helpers.setup()
    base = alt.Chart(pd.DataFrame({"year": [2000, 2010, 2020], "value": [14.3, 71.6, 281.5]}))
    return charts.finish(base.mark_line(point=True).encode(x="year:O", y="value:Q"),
                         title="Exports", description="Exports rise from 14 to 282 billion dollars.",
                         source="T1; T3; T7")


def bundle_of(chart) -> dict:
    out = chart._repr_mimebundle_()
    return out[0] if isinstance(out, tuple) else out


def test_bundle_in_the_kernel_has_vegalite5_and_text_but_no_svg_or_html(chart):
    bundle = bundle_of(chart)
    assert set(bundle) == {charts.VEGALITE_MIME, "text/plain"}  # no vl-convert in the student's kernel
    spec = bundle[charts.VEGALITE_MIME]
    assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/v5")
    assert bundle["text/plain"] == "Exports. Exports rise from 14 to 282 billion dollars. Source: T1; T3; T7."


def exported(chart) -> dict:
    """The chart's output as an export sees it, after add_static_svg."""
    nb = {"cells": [{"cell_type": "markdown", "source": "x"},
                    {"cell_type": "code", "outputs": [{"output_type": "display_data", "data": dict(bundle_of(chart))}]}]}
    assert charts.add_static_svg(nb) == 1
    assert charts.add_static_svg(nb) == 0  # already drawn: not drawn twice
    return nb["cells"][1]["outputs"][0]["data"]


def test_static_svg_is_drawn_locally_with_marks_when_exporting(chart):
    svg = exported(chart)["image/svg+xml"]
    assert svg.startswith("<svg") and "mark-line" in svg and "mark-symbol" in svg
    assert "Source: T1; T3; T7" in svg
    assert charts.mimebundle(bundle_of(chart)[charts.VEGALITE_MIME], static=True)["image/svg+xml"] == svg


def test_nothing_in_the_output_points_at_a_cdn(chart):
    bundle = exported(chart)
    text = json.dumps(bundle[charts.VEGALITE_MIME]) + bundle["image/svg+xml"]
    for host in ("cdn.jsdelivr", "unpkg", "<script"):
        assert host not in text


def test_theme_is_applied(chart):
    spec = bundle_of(chart)[charts.VEGALITE_MIME]
    assert spec["config"]["range"]["category"] == charts.PALETTE


def test_finish_refuses_a_chart_without_description_or_source():
    base = alt.Chart(pd.DataFrame({"x": [1]})).mark_point()
    with pytest.raises(ValueError):
        charts.finish(base, title="t", description="", source="s")
    with pytest.raises(ValueError):
        charts.finish(base, title="t", description="d", source="")


def test_importing_helpers_first_keeps_the_iri_grammar_out_of_the_kernel():
    """The kernel never compiles rfc3987_syntax's grammar (1.2 s here); `make bench` times it."""
    import subprocess
    import sys

    code = "import helpers, altair, sys; print(repr(sys.modules.get('rfc3987_syntax', 'absent')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "None"


def test_a_long_source_is_cut_under_the_title_but_kept_whole_in_the_description():
    helpers.setup()
    long_source = "; ".join(f"Source number {i} (example.org/a/very/long/address/{i}) [S{i}]" for i in range(30))
    base = alt.Chart(pd.DataFrame({"x": [1, 2]})).mark_point().encode(x="x:Q")
    spec = charts.finish(base, title="T", description="D.", source=long_source).to_dict()
    subtitle = " ".join(spec["title"]["subtitle"])
    assert all(f"[S{i}]" in subtitle for i in range(30)) and "example.org" not in subtitle
    assert subtitle.endswith("(titles and addresses: see References)")
    assert "[S29]" in charts.describe(spec)


def test_partners_by_level_has_a_point_per_partner_and_real_sources():
    from helpers.core import data

    helpers.setup()
    spec = charts.partners_by_level().to_dict()
    rows = next(iter(spec["datasets"].values()))
    assert len(rows) == len(data.partnerships())
    assert "[S2]" in charts.describe(spec)  # China's joint statement


def test_a_chart_is_static_svg_in_the_exported_page_though_the_kernel_drew_none(tmp_path):
    """The kernel sends Vega-Lite only; the export (helpers.publishing.publish) draws the SVG outside it."""
    import nbformat
    from nbformat import v4

    from helpers.publishing import publish

    path = tmp_path / "nb" / "chart.ipynb"
    path.parent.mkdir()
    nb = v4.new_notebook(cells=[v4.new_code_cell("import helpers\nfrom helpers import charts\nhelpers.setup()\n"
                                                 "charts.partners_by_level()")],
                         metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
    nbformat.write(nb, path)
    executed = publish.execute_notebook(path)
    data = executed.cells[0].outputs[0]["data"]
    assert charts.VEGALITE_MIME in data and data["image/svg+xml"].startswith("<svg")
    publish.build_site([str(path)], out=tmp_path / "site", cache=False, log=lambda *_: None)
    page = (tmp_path / "site" / "notebooks" / "chart.html").read_text(encoding="utf-8")
    tags = re.findall(r"<svg\b[^>]*>", page)
    assert any('role="img"' in t for t in tags) and "mark-symbol" in page, tags
