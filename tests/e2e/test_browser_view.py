"""The view never breaks, in a real browser (issue 18): what AppTest cannot see.

- min profiles typed above max in the real number boxes: swapped with a notice;
- a fresh server with APP_PASSWORD: its very first page never lists file names, and a
  deep link (page path and every parameter, ``session=`` included) lands where it asked
  once the passcode is typed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ARTIFACTS, STARTUP_SECONDS
from tests.e2e.known_project import KNOWN_KEY, ROLE, known_records
from tests.servers import StreamlitServer, clean_env, start_streamlit

pytestmark = [pytest.mark.browser, pytest.mark.timeout(600)]

PASSCODE = "correct horse battery staple"
#: What Streamlit's legacy pages mode would list in the sidebar: the files' names
#: ("dashboard" too, but the gate's title says "FJ Sourcing Dashboard").
FILE_NAMES = ("overview", "sessions", "session", "breakdown", "candidates", "data")


def query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


@pytest.fixture(scope="module")
def gated_app(known_stub, tmp_path_factory) -> Iterator[StreamlitServer]:
    """A dashboard behind APP_PASSWORD, started for this module: its first request is ours."""
    secrets = tmp_path_factory.mktemp("gated") / "secrets.toml"
    secrets.write_text(f'APP_PASSWORD = "{PASSCODE}"\n')
    app = start_streamlit(
        "dashboard.py",
        env=clean_env(FJ_API_KEY=KNOWN_KEY, FJ_API_BASE_URL=known_stub.base_url),
        log=ARTIFACTS / "logs" / "gated.log",
        secrets=secrets,
    )
    try:
        yield app.wait_healthy(STARTUP_SECONDS)
    finally:
        app.stop()


def pass_gate(app) -> None:
    box = app.main.get_by_label("Passcode")
    box.fill(PASSCODE)
    app.main.get_by_role("button", name="Open the dashboard").click()
    app.settle()


def test_min_above_max_typed_in_the_sidebar_is_swapped_not_a_crash(open_app, known_app):
    app = open_app(known_app)
    for label, value in (("Max profiles", "50"), ("Min profiles", "200")):
        box = app.sidebar.get_by_label(label)
        box.fill(value)
        box.press("Enter")
        app.settle()
    expect(app.page.get_by_test_id("stException")).to_have_count(0)
    expect(app.main.locator("h1")).to_have_text("Overview")
    expect(app.sidebar.get_by_label("Min profiles")).to_have_value("50")
    expect(app.sidebar.get_by_label("Max profiles")).to_have_value("200")
    expect(app.sidebar.get_by_text("Min profiles 200 was above max profiles 50")).to_be_visible()
    params = query(app.page.url)
    assert params["pmin"] == ["50"] and params["pmax"] == ["200"]
    assert "with 50 to 200 profiles" in app.caption()


def test_the_passcode_page_of_a_fresh_server_lists_no_file_and_deep_links_survive_it(
    open_app, gated_app
):
    # The first request this server ever serves: Streamlit's legacy pages mode would list
    # the pages/ files in the sidebar here.
    app = open_app(gated_app, f"sessions?date=90d&pmin=1&role={ROLE.replace(' ', '+')}")
    expect(app.main.get_by_label("Passcode")).to_be_visible()
    expect(app.page.get_by_test_id("stSidebarNav")).to_have_count(0)
    expect(app.page.get_by_test_id("stSidebarNavLink")).to_have_count(0)
    shown = app.page.locator("body").inner_text().lower()
    assert not [name for name in FILE_NAMES if re.search(rf"\b{name}\b", shown)], shown
    app.shot("gate-first-request")

    pass_gate(app)
    expect(app.main.locator("h1")).to_have_text("Sessions")
    assert urlsplit(app.page.url).path.rstrip("/").endswith("/sessions")
    params = query(app.page.url)
    assert params["date"] == ["90d"] and params["pmin"] == ["1"] and params["role"] == [ROLE]
    assert f"role is {ROLE}" in app.caption()

    # Another viewer, straight to one session.
    record = next(r for r in known_records() if r.get("createdAt"))
    other = open_app(gated_app, "breakdown?by=location")
    expect(other.page.get_by_test_id("stSidebarNavLink")).to_have_count(0)
    pass_gate(other)
    expect(other.main.locator("h1")).to_have_text("Breakdown")
    assert query(other.page.url)["by"] == ["location"]
    third = open_app(gated_app, f"session?session={record['_id']}")
    pass_gate(third)
    expect(third.main.locator("h1")).to_have_text("Session")
    expect(third.main.get_by_text(f"Session {record['_id']}")).to_be_visible()
    assert query(third.page.url)["session"] == [record["_id"]]
