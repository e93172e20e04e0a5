"""JupyterLab never offers to reach the internet: every browser test fails if a notification
offers news or updates (see `offline_page` in conftest.py, with the course's settings overrides on
the test server). Here, the check itself: with news set back to "ask" for one page, the prompt
appears and the check names it.
"""
from __future__ import annotations

import json

import pytest

import labdriver

pytestmark = pytest.mark.browser

NEWS = "/lab/api/settings/@jupyterlab/apputils-extension:notification"


def test_the_course_settings_give_no_news_prompt(lab_server, offline_page):
    page = offline_page
    labdriver.open_notebook(page, lab_server, "notebooks/00-start-here.ipynb")
    page.wait_for_timeout(2000)  # the prompt, if any, comes once the application is restored
    reply = lab_server.api(NEWS)  # user settings over the schema's defaults, which the overrides set
    defaults = {k: v.get("default") for k, v in reply["schema"]["properties"].items()}
    composite = {**defaults, **reply["settings"]}
    assert composite["fetchNews"] == "false" and composite["checkForUpdates"] is False, composite
    assert labdriver.internet_prompts(page) == []


def test_the_check_sees_the_news_prompt(lab_server, browser):
    before = lab_server.api(NEWS)["raw"]
    context, _ = labdriver.new_offline_context(browser)
    try:
        lab_server.api(NEWS, method="PUT", body={"raw": json.dumps({"fetchNews": "none"})})
        page = context.new_page()
        labdriver.open_notebook(page, lab_server, "notebooks/00-start-here.ipynb")
        page.wait_for_selector(".jp-toast-message", timeout=15_000)
        prompts = labdriver.internet_prompts(page)
        assert any("Would you like to get notified about official Jupyter news?" in p for p in prompts), prompts
    finally:
        context.close()
        lab_server.api(NEWS, method="PUT", body={"raw": before or "{}"})
        labdriver.shutdown_kernels(lab_server)
