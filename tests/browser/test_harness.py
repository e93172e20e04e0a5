"""The harness itself: on throwaway notebooks written into the temporary course copy (never the
repository), a clean notebook with a widget and a chart passes, and a broken one is reported with
its notebook, cell and problem.
"""
from __future__ import annotations

import json

import pytest

import labdriver

pytestmark = pytest.mark.browser


def _notebook(cells: list[tuple[str, str, list[str]]]) -> dict:
    out = []
    for kind, source, tags in cells:
        cell = {"cell_type": kind, "metadata": {"tags": tags} if tags else {}, "source": source}
        if kind == "code":
            cell.update(outputs=[], execution_count=None)
        out.append(cell)
    return {"nbformat": 4, "nbformat_minor": 5, "cells": out, "metadata": {
        "kernelspec": {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}}}


GOOD = _notebook([
    ("markdown", "# Harness check", []),
    ("code", "print('hello')", []),
    ("code", "import ipywidgets as w\nw.IntSlider(value=3, description='n')", []),
    ("code", "import altair as alt, pandas as pd\nalt.renderers.enable('mimetype')\n"
             "alt.Chart(pd.DataFrame({'x': [1, 2, 3], 'y': [1, 3, 2]})).mark_line().encode(x='x', y='y')", []),
    ("code", "alt.Chart(pd.DataFrame({'x': [1, 2], 'y': [2, 1]})).mark_point().encode(x='x', y='y')"
             ".properties(usermeta={'embedOptions': {'renderer': 'svg'}})", []),
    ("code", "1 / 0  # meant to fail", ["raises-exception"]),
])

BAD = _notebook([
    ("code", "x = 1", []),
    ("code", "import sys\nprint('Traceback: pretend', file=sys.stderr)", []),
    ("code", "import altair as alt, pandas as pd\n"
             "alt.renderers.enable('html')  # loads Vega from a CDN: never drawn offline\n"
             "alt.Chart(pd.DataFrame({'x': [1, 2]})).mark_point().encode(x='x')", []),
    ("code", "from IPython.display import display  # Vega-Lite 6: JupyterLab 4.6 has no renderer for it\n"
             "display({'application/vnd.vegalite.v6+json': {'mark': 'point', 'data': {'values': [{'x': 1}]},"
             " 'encoding': {'x': {'field': 'x'}}}, 'text/plain': 'a chart'}, raw=True)", []),
    ("code", "1 / 0", []),
])


def _write(server, rel: str, nb: dict) -> str:
    path = server.root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(nb))
    return rel


def test_clean_notebook_passes(lab_server, offline_page):
    nb = _write(lab_server, "_harness/good.ipynb", GOOD)
    page = offline_page
    page.vnfr_nb = nb
    labdriver.open_notebook(page, lab_server, nb)
    labdriver.run_all(page, nb)
    labdriver.screenshot(page, "_harness-good", nb)
    cells = labdriver.check_notebook(page, nb)
    assert sum(c.charts for c in cells) == 2, cells
    assert sum(c.widgets for c in cells) == 1, cells
    page.offsite.check(nb)


def test_broken_notebook_is_reported_by_cell(lab_server, offline_page):
    nb = _write(lab_server, "_harness/bad.ipynb", BAD)
    page = offline_page
    page.vnfr_nb = nb
    labdriver.open_notebook(page, lab_server, nb)
    labdriver.run_all(page, nb)
    with pytest.raises(AssertionError) as err:
        labdriver.check_notebook(page, nb)
    message = str(err.value)
    assert "_harness/bad.ipynb, cell 1 ('import sys'): stderr" in message, message
    assert "_harness/bad.ipynb, cell 4 ('1 / 0'): error output: ZeroDivisionError" in message, message
    assert "_harness/bad.ipynb, cell 2 ('import altair as alt, pandas as pd'): chart (text/html) not drawn" \
        in message, message
    assert "_harness/bad.ipynb, cell 3 ('from IPython.display import display  # Vega-Lite 6: JupyterLab 4.6 " \
        "has no renderer for it'): chart output (application/vnd.vegalite.v6+json) not drawn: JupyterLab " \
        "showed text/plain instead" in message, message
    assert any("cdn.jsdelivr.net" in u for u in page.offsite.urls), page.offsite.urls
    page.offsite.urls.clear()


def test_offsite_requests_are_blocked_and_named(offline_page):
    page = offline_page
    page.set_content("<p>probe</p>")
    result = page.evaluate("() => fetch('https://cdn.jsdelivr.net/npm/vega@5').then(() => 'fetched', () => 'blocked')")
    assert result == "blocked"
    with pytest.raises(AssertionError, match="cdn.jsdelivr.net/npm/vega@5"):
        page.offsite.check("probe")
    page.offsite.urls.clear()
