"""Real-browser fixtures: a stand-in FJ API with a known project, dashboards, headless Chromium.

Started once for this folder and stopped after it:

- ``known_stub``: the stand-in API (``fj.stub.StubServer``, in-process) serving ``KNOWN_KEY``
  -> the known project, ``known_records()``: 30 synthetic sessions plus ten hand-written
  ones with hostile or unusual titles (HTML, script, markdown, emoji, right-to-left text,
  a spreadsheet formula, no dates). Every other key gets 401.
- three ``streamlit run dashboard.py`` processes on free loopback ports: ``known_app``
  (FJ_API_KEY=KNOWN_KEY), ``wrong_key_app`` (FJ_API_KEY=WRONG_KEY, which the stub rejects)
  and ``demo_app`` (no key at all: the bundled demo project). None of them reads a
  developer's ``.streamlit/secrets.toml``: ``--secrets.files`` points at an empty file.
- headless Debian ``/usr/bin/chromium`` (Playwright's own browser download does not work
  on our machines).

Each server's stdout and stderr go to ``artifacts/e2e/logs/<name>.log`` (``server_logs``
lists them); screenshots of the pages go to ``artifacts/e2e/`` (``shot``), and a test that
fails leaves ``artifacts/e2e/failed-<test>.png``. Tests get a ``DashboardPage`` from
``open_app``; they compute what they expect from ``known_project.known_records()``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from fj.stub import Project, StubServer
from tests.e2e.known_project import KNOWN_KEY, WRONG_KEY, known_records
from tests.servers import (
    CHROMIUM,
    CHROMIUM_ARGS,
    ROOT,
    ServerError,
    StreamlitServer,
    clean_env,
    start_streamlit,
)

ARTIFACTS = ROOT / "artifacts" / "e2e"
VIEWPORT = {"width": 1400, "height": 2000}  # tall: Streamlit scrolls its own main area
BROWSER_TZ = "Asia/Kolkata"
STARTUP_SECONDS = 90

expect.set_options(timeout=30_000)  # a cold first render takes 5-6 s on 2 cores

# -- the stand-in API and the dashboards ------------------------------------------------


@pytest.fixture(scope="package")
def known_stub() -> Iterator[StubServer]:
    """The stand-in API with the known project; afterwards, proof it only saw keyed GETs."""
    server = StubServer({KNOWN_KEY: Project(sessions=known_records())}).start()
    yield server
    server.stop()
    bad = [r for r in server.history if not r.read_only or not r.key_in_header]
    assert not bad, f"requests a read-only dashboard must never send: {bad[:5]}"


@pytest.fixture(scope="package")
def _dashboards(known_stub: StubServer, tmp_path_factory) -> Iterator[dict[str, StreamlitServer]]:
    """Start the three dashboards side by side (each waits for health when first used)."""
    (ARTIFACTS / "logs").mkdir(parents=True, exist_ok=True)
    for stale in ARTIFACTS.glob("failed-*.png"):
        stale.unlink()
    secrets = tmp_path_factory.mktemp("secrets") / "secrets.toml"
    secrets.write_text("# no secrets: keys come from the environment\n")
    configs = {
        "known": {"FJ_API_KEY": KNOWN_KEY, "FJ_API_BASE_URL": known_stub.base_url},
        "wrong-key": {"FJ_API_KEY": WRONG_KEY, "FJ_API_BASE_URL": known_stub.base_url},
        "demo": {"FJ_API_BASE_URL": known_stub.base_url},  # no key: the bundled demo
    }
    apps = {
        name: start_streamlit(
            "dashboard.py",
            env=clean_env(**settings),
            log=ARTIFACTS / "logs" / f"{name}.log",
            secrets=secrets,
        )
        for name, settings in configs.items()
    }
    yield apps
    for app in apps.values():
        app.stop()


def _healthy(dashboards: dict[str, StreamlitServer], name: str) -> StreamlitServer:
    """Wait until dashboard ``name`` answers /_stcore/health; fail with its log if it never does."""
    try:
        return dashboards[name].wait_healthy(STARTUP_SECONDS)
    except ServerError as error:
        pytest.fail(f"dashboard {name}: {error}")


@pytest.fixture(scope="package")
def known_app(_dashboards) -> StreamlitServer:
    """The dashboard with FJ_API_KEY=KNOWN_KEY, served the known project by the stub."""
    return _healthy(_dashboards, "known")


@pytest.fixture(scope="package")
def wrong_key_app(_dashboards) -> StreamlitServer:
    """The dashboard with FJ_API_KEY=WRONG_KEY, which the stub answers with 401."""
    return _healthy(_dashboards, "wrong-key")


@pytest.fixture(scope="package")
def demo_app(_dashboards) -> StreamlitServer:
    """The dashboard with no key at all: the bundled demo project."""
    return _healthy(_dashboards, "demo")


@pytest.fixture(scope="package")
def server_logs(_dashboards) -> list[Path]:
    """The files holding every dashboard's stdout and stderr."""
    return [app.log for app in _dashboards.values()]


# -- the browser ------------------------------------------------------------------------


@pytest.fixture(scope="package")
def chromium() -> Iterator[Browser]:
    """Headless Debian chromium, one for the whole folder."""
    if not Path(CHROMIUM).exists():
        pytest.fail("No chromium: install Debian's (./scripts/test.sh does it).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class DashboardPage:
    """A browser tab on a dashboard, with the moves and readings the tests need."""

    def __init__(self, page: Page, app: StreamlitServer) -> None:
        self.page = page
        self.app = app

    def goto(self, path: str = "") -> DashboardPage:
        """Open ``path`` (e.g. "sessions?role=X") and wait until the page has run."""
        self.page.goto(self.app.url + path)
        expect(self.page.get_by_test_id("stApp")).to_have_attribute(
            "data-test-connection-state", "CONNECTED"
        )
        self.settle()
        return self

    def settle(self) -> None:
        """Wait until no script run is going on and no placeholder waits for lazy code."""
        expect(self.page.get_by_test_id("stApp")).to_have_attribute(
            "data-test-script-state", "notRunning"
        )
        expect(self.page.get_by_test_id("stStatusWidget")).to_have_count(0)
        expect(self.page.get_by_test_id("stSkeleton")).to_have_count(0)

    @property
    def main(self):
        return self.page.get_by_test_id("stMain")

    @property
    def sidebar(self):
        return self.page.get_by_test_id("stSidebar")

    def kpis(self) -> dict[str, str]:
        """Return the Overview's KPI cards (its first four), label -> value as shown."""
        cards = self.main.get_by_test_id("stMetric")
        expect(cards.nth(3)).to_be_visible()
        labels = cards.get_by_test_id("stMetricLabel").all_inner_texts()[:4]
        values = cards.get_by_test_id("stMetricValue").all_inner_texts()[:4]
        return {label.strip(): value.strip() for label, value in zip(labels, values, strict=True)}

    @property
    def grid(self):
        """The ARIA grid inside the first table of the page (only its visible rows exist)."""
        return self.main.get_by_test_id("stDataFrame").first.locator("table[role=grid]")

    def expect_rows(self, count: int) -> None:
        """Wait until the table holds ``count`` rows (aria-rowcount counts the header too)."""
        expect(self.grid).to_have_attribute("aria-rowcount", str(count + 1))

    def select_row(self, index: int) -> None:
        """Select the table's row ``index`` (0 = first) by its row marker; the table is a canvas."""
        table = self.main.get_by_test_id("stDataFrame").first
        # Rows and the header are 35 px high; the row markers are the first 35 px.
        table.click(position={"x": 17, "y": 35 * (index + 1) + 17})
        expect(self.main.get_by_text("Session details")).to_be_visible()
        self.settle()

    def caption(self) -> str:
        """Return the page's first caption: "N of M sessions · <filters> · project · zone"."""
        return self.main.get_by_test_id("stCaptionContainer").first.inner_text()

    def roles_box(self):
        return self.sidebar.get_by_test_id("stMultiSelect").filter(has_text="Roles")

    def pick_role(self, role: str) -> None:
        """Pick one role in the sidebar's Roles multiselect."""
        self.roles_box().click()
        self.page.keyboard.type(role)  # the option list is virtual: narrow it first
        self.page.get_by_role("option", name=role, exact=True).click()
        self.page.keyboard.press("Escape")

    def chosen_roles(self) -> list[str]:
        """Return the roles shown as chosen in the Roles multiselect."""
        tags = self.roles_box().locator("[data-tag]")
        return tags.evaluate_all("tags => tags.map(t => t.getAttribute('aria-label'))")

    def go_to(self, title: str) -> None:
        """Switch page with the sidebar navigation and wait for the new page's title."""
        links = self.sidebar.get_by_test_id("stSidebarNavLink")
        links.filter(has=self.page.get_by_text(title, exact=True)).click()
        expect(self.main.locator("h1")).to_have_text(title)
        self.settle()

    def nav_titles(self) -> list[str]:
        """Return the titles of the pages in the sidebar navigation, in order."""
        labels = self.sidebar.get_by_test_id("stSidebarNavLink").locator("span[label]")
        return labels.evaluate_all("spans => spans.map(s => s.getAttribute('label'))")

    def shot(self, name: str) -> Path:
        """Save a screenshot of the viewport as artifacts/e2e/<name>.png."""
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        # Software rendering of a tall page on a busy 2-core machine can take a while.
        self.page.screenshot(path=path, timeout=180_000)
        return path


@pytest.fixture
def open_app(chromium: Browser, request) -> Iterator[Callable[..., DashboardPage]]:
    """Open a dashboard in a fresh browser context (no cookies, no session): a new viewer."""
    contexts = []

    def open_(
        app: StreamlitServer,
        path: str = "",
        *,
        viewport: dict[str, int] = VIEWPORT,
        color_scheme: str = "light",
    ) -> DashboardPage:
        context = chromium.new_context(
            viewport=viewport,
            color_scheme=color_scheme,
            timezone_id=BROWSER_TZ,
            locale="en-US",
            accept_downloads=True,
        )
        contexts.append(context)
        return DashboardPage(context.new_page(), app).goto(path)

    yield open_
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        for i, context in enumerate(contexts):
            for j, page in enumerate(context.pages):
                page.screenshot(path=ARTIFACTS / f"failed-{request.node.name}-{i}{j}.png")
    for context in contexts:
        context.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the item, so fixtures can tell a failed test."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report
