"""Browser tests: Playwright driving Debian's Chromium against a live server.

Outside CI a missing browser skips these tests with a reason; with
``KEFU_REQUIRE_BROWSER=1`` (set by CI) it is a failure.
"""

import os
import shutil

import pytest

from kefu.core.testing import TEST_PASSWORD

# Playwright's sync API runs an event loop in this thread; the ORM calls the
# tests make for setup are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("KEFU_CHROMIUM", "/usr/bin/chromium")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        if os.environ.get("KEFU_REQUIRE_BROWSER") == "1":
            pytest.fail(f"Chromium not found at {CHROMIUM}; CI requires the browser tests to run.")
        pytest.skip(f"Chromium not found at {CHROMIUM}: install Debian's chromium to run browser tests")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--disable-dev-shm-usage"],
        )
        yield b
        b.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN",
                                  base_url=live_server.url)
    context.set_default_timeout(10_000)
    pg = context.new_page()
    # A script or handler the Content-Security-Policy blocks fails silently in the page; fail the test.
    blocked = []
    pg.on("console", lambda msg: blocked.append(msg.text) if "Content Security Policy" in msg.text else None)
    yield pg
    context.close()
    assert not blocked, f"blocked by the Content-Security-Policy: {blocked}"


def login(page, employee_no: str, password: str = TEST_PASSWORD) -> None:
    page.goto("/iam/login/")
    page.fill("#employee_no", employee_no)
    page.fill("#password", password)
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=whoami]")


@pytest.fixture
def asgi_server(transactional_db):
    """A real ASGI server (uvicorn) for journeys that need WebSockets (see ``asgi.py``)."""
    from .asgi import AsgiServer

    server = AsgiServer().start()
    yield server
    server.stop()
