"""Fixtures for the browser tests: one JupyterLab server and one Chromium per test session (per
pytest-xdist worker), one browser page per test, every request off this machine blocked.
"""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import labdriver  # noqa: E402


def pytest_collection_modifyitems(items):
    here = Path(__file__).resolve().parent
    for item in items:
        if here in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def course_copy(tmp_path_factory) -> Path:
    """A temporary copy of notebooks/, seeds/ and course/: the tests never touch the repository's."""
    return labdriver.copy_course(tmp_path_factory.mktemp("course"))


@pytest.fixture(scope="session")
def lab_server(course_copy, tmp_path_factory):
    """A `jupyter lab` serving the course copy, with VNFR_ROOT pointing at it; stopped at the end."""
    try:
        server = labdriver.start_lab(course_copy, tmp_path_factory.mktemp("lab-state"))
    except RuntimeError as exc:
        pytest.fail(f"JupyterLab did not start: {exc}", pytrace=False)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless, driven by Playwright (sync API)."""
    if not labdriver.CHROMIUM.exists():
        pytest.fail(labdriver.CHROMIUM_MISSING, pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = labdriver.launch_chromium(pw)
        yield chromium
        chromium.close()


@pytest.fixture
def offline_page(browser, request):
    """A fresh page whose requests off this machine are aborted; `page.offsite` lists them.

    The page is screenshotted on failure (test-artifacts/screenshots/<test>-failed.png) unless the
    test saved its own shot, and the test fails if anything was fetched from outside or if
    JupyterLab showed a notification offering to fetch news or updates.
    """
    context, offsite = labdriver.new_offline_context(browser)
    page = context.new_page()
    page.offsite = offsite
    page.vnfr_nb = None  # tests set the notebook path so screenshots can show all of it
    page.vnfr_shot = False
    console_errors: list[str] = []
    page.on("pageerror", lambda exc: console_errors.append(str(exc)))
    page.vnfr_page_errors = console_errors
    yield page
    failed = getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed
    prompts = labdriver.internet_prompts(page)
    if failed and not page.vnfr_shot:
        try:
            name = labdriver.artifact_name(page.vnfr_nb or request.node.name, "failed")
            labdriver.screenshot(page, name, page.vnfr_nb)
        except Exception:
            pass
    context.close()
    if "lab_server" in request.fixturenames:
        labdriver.shutdown_kernels(request.getfixturevalue("lab_server"))
    if not failed:
        offsite.check(request.node.name)
        assert not prompts, (f"{request.node.name}: JupyterLab offered to reach the internet (the course's "
                             f"settings overrides should turn news and update checks off):\n  " + "\n  ".join(prompts))
