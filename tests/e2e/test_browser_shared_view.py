"""The view lives in the link: a sidebar filter narrows every page and goes into the URL."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from tests.e2e.known_project import ROLE, known_records, stated_role

pytestmark = pytest.mark.browser


def _query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def test_picking_a_role_narrows_the_table_and_its_link_restores_the_view(open_app, known_app):
    records = known_records()
    with_role = [r for r in records if stated_role(r) == ROLE]
    assert 1 < len(with_role) < len(records)  # the filter must change the count

    app = open_app(known_app, "sessions")
    app.expect_rows(len(records))
    assert "role" not in _query(app.page.url)

    app.pick_role(ROLE)
    app.expect_rows(len(with_role))
    expect(app.page).to_have_url(re.compile(r"[?&]role="))
    app.settle()
    link = app.page.url
    assert urlsplit(link).path == "/sessions"
    assert _query(link)["role"] == [ROLE]
    assert app.caption().startswith(f"{len(with_role)} of {len(records)} sessions")
    app.shot("known-sessions-role")

    colleague = open_app(known_app, link.removeprefix(known_app.url))  # a new browser context
    colleague.expect_rows(len(with_role))
    assert colleague.chosen_roles() == [ROLE]
    assert _query(colleague.page.url)["role"] == [ROLE]


def test_switching_pages_keeps_the_filters(open_app, known_app):
    records = known_records()
    with_role = [r for r in records if stated_role(r) == ROLE]
    shown = f"{len(with_role)} of {len(records)} sessions"

    app = open_app(known_app, "sessions")
    app.pick_role(ROLE)
    app.expect_rows(len(with_role))

    for title, path in (("Overview", "/"), ("Breakdown", "/breakdown"), ("Data", "/data")):
        app.go_to(title)
        expect(app.page).to_have_url(re.compile(r"[?&]role="))
        assert urlsplit(app.page.url).path == path
        assert _query(app.page.url)["role"] == [ROLE]
        assert app.caption().startswith(shown)
        assert app.chosen_roles() == [ROLE]
        if title == "Overview":
            assert app.kpis()["Sessions"] == str(len(with_role))
            assert app.kpis()["Total profiles"] == f"{sum(r['totalProfiles'] for r in with_role):,}"
        app.shot(f"known-{title.lower()}-role")

    app.go_to("Sessions")
    app.expect_rows(len(with_role))
    assert _query(app.page.url)["role"] == [ROLE]
