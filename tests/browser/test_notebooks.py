"""Every notebook in notebooks/ opens in JupyterLab, runs all, and ends clean: no error output, no
"Error displaying widget", every chart drawn, nothing fetched from outside the machine.

A screenshot of each notebook goes to test-artifacts/screenshots/<notebook>.png, pass or fail.
"""
from __future__ import annotations

import pytest

import labdriver

NOTEBOOKS = sorted(p.name for p in (labdriver.REPO / "notebooks").glob("*.ipynb"))

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("nb", NOTEBOOKS or [pytest.param(None, id="no-notebooks")])
def test_notebook_runs_clean_in_the_browser(nb, lab_server, offline_page):
    if nb is None:
        pytest.fail("no notebooks found in notebooks/: nothing to test in the browser", pytrace=False)
    path = f"notebooks/{nb}"
    page = offline_page
    page.vnfr_nb = path
    try:
        labdriver.open_notebook(page, lab_server, path)
        labdriver.run_all(page, path)
        cells = labdriver.inspect_notebook(page, path)
    finally:
        labdriver.screenshot(page, labdriver.artifact_name(path), path)
        page.vnfr_shot = True
    problems = labdriver.format_problems(path, cells)
    assert not problems, problems
    page.offsite.check(path)
