"""Overview in a real browser: the KPI cards of the known project, computed by hand."""

import pytest

from tests.e2e.known_project import known_records

pytestmark = pytest.mark.browser


def test_overview_shows_the_known_projects_kpis(open_app, known_app):
    records = known_records()
    profiles = [r["totalProfiles"] for r in records]

    app = open_app(known_app)

    assert app.kpis() == {
        "Sessions": f"{len(records):,}",
        "Total profiles": f"{sum(profiles):,}",
        "Avg profiles / session": f"{sum(profiles) / len(profiles):,.1f}",
        "Sessions with 0 profiles": f"{profiles.count(0):,}",
    }
    app.shot("known-overview")
