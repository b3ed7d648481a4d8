"""Playwright on Debian's Chromium against pytest-django's live server, with the demo city loaded.

Never `playwright install`: the browser is the system's /usr/bin/chromium (`make install` puts it
there). Screenshots go to docs/screenshots/ when KAOHE_SCREENSHOTS=1 (`make screenshots`), else to
a temporary directory, so that an ordinary test run leaves the repository untouched.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Locator

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--lang=zh-CN"]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"

# Playwright's sync API runs an event loop in this thread; the test body's own ORM calls are
# ordinary synchronous code, so Django's async-safety guard does not apply to them.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _click_and_let_the_page_load(click):
    """A click that opens a page returns once the new page starts to arrive; its body may still be
    parsing, so a `count()` or `is_visible()` read at once can see half a table. Every click in
    these tests therefore waits for the page it led to (at once when it led nowhere)."""

    def clicked(self, *args, **kwargs):
        click(self, *args, **kwargs)
        if not kwargs.get("trial"):
            self.page.wait_for_load_state()

    return clicked


Locator.click = _click_and_let_the_page_load(Locator.click)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if CHROMIUM.exists():
        return
    skip = pytest.mark.skip(reason=f"{CHROMIUM} is absent: run `make install` (as root) to install Chromium")
    for item in items:
        if Path(str(item.fspath)).is_relative_to(Path(__file__).parent):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser() -> Iterator:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture
def demo(transactional_db):
    """The demo city (examples/suining_city.json) with its four logins: the 2026 cycle in its year-end phase
    (returned), after two years of demo history with final results."""
    from io import StringIO

    from django.core.management import call_command

    from kaohe.indicators.models import Cycle
    from kaohe.web.management.commands.load_demo import CYCLE_NAME

    call_command("load_demo", stdout=StringIO())
    return Cycle.objects.get(name=CYCLE_NAME)


@pytest.fixture
def page(browser, live_server) -> Iterator:
    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900},
                                  base_url=live_server.url)
    context.set_default_timeout(15_000)
    pg = context.new_page()
    yield pg
    context.close()


@pytest.fixture
def shoot(tmp_path):
    """Save what the window shows under a name (docs/screenshots/ with KAOHE_SCREENSHOTS=1)."""
    folder = SCREENSHOTS if os.environ.get("KAOHE_SCREENSHOTS") == "1" else tmp_path

    def take(pg, name: str) -> Path:
        path = folder / f"{name}.png"
        pg.screenshot(path=str(path))
        assert path.stat().st_size > 0
        return path

    return take


PASSWORDS = {"office": "office-demo-2026", "leader": "leader-demo-2026", "stat": "stat-demo-2026",
             "county": "county-demo-2026"}


def log_in(pg, username: str) -> None:
    pg.goto("/login/")
    pg.fill("#id_username", username)
    pg.fill("#id_password", PASSWORDS[username])
    pg.get_by_role("button", name="登录").click()
    pg.wait_for_url(lambda url: "/login/" not in url)
