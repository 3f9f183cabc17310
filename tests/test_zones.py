"""Timezones by their current names: a browser that says "Asia/Calcutta" is shown Asia/Kolkata."""

from __future__ import annotations

import pandas as pd
import pytest

from fj.tables import readable_time
from fj.zones import canonical_zone, zone_names
from tests.apptest import new_app


@pytest.mark.parametrize(
    ("name", "current"),
    [
        ("Asia/Calcutta", "Asia/Kolkata"),
        ("Asia/Kolkata", "Asia/Kolkata"),
        ("Asia/Saigon", "Asia/Ho_Chi_Minh"),
        ("Europe/Kiev", "Europe/Kyiv"),
        ("US/Eastern", "America/New_York"),
        ("Etc/UTC", "UTC"),
        ("UTC", "UTC"),
        ("Europe/Oslo", "Europe/Oslo"),  # a country's own zone stays, even where tz merged it
        ("Mars/Olympus", "Mars/Olympus"),  # unknown: left for the caller to refuse
    ],
)
def test_aliases_map_to_their_current_names(name, current):
    assert canonical_zone(name) == current


def test_the_zones_to_choose_from_hold_no_aliases():
    names = zone_names()
    assert "Asia/Kolkata" in names and "UTC" in names and "America/New_York" in names
    assert not {"Asia/Calcutta", "US/Eastern", "Asia/Saigon", "Etc/UTC"} & set(names)
    assert names == sorted(names)
    assert all(canonical_zone(n) == n for n in names)


@pytest.mark.parametrize(
    ("zone", "shown"),
    [
        ("Asia/Kolkata", "2026-11-28 15:59 IST"),
        ("UTC", "2026-11-28 10:29 UTC"),
        ("Asia/Dubai", "2026-11-28 14:29 UTC+04"),
        ("America/New_York", "2026-11-28 05:29 EST"),
    ],
)
def test_times_read_in_the_viewers_zone(zone, shown):
    stamp = pd.Timestamp("2026-11-28 10:29:26.513000+00:00").tz_convert(zone)
    assert readable_time(stamp) == shown


def test_a_missing_time_reads_as_a_dash():
    assert readable_time(pd.NaT) == readable_time(None) == "–"


@pytest.mark.usefixtures("dashboard_env")
def test_a_browser_that_says_calcutta_is_shown_and_counted_in_asia_kolkata():
    at = new_app()
    at.context = {"timezone": "Asia/Calcutta"}
    at.run()
    assert not at.exception
    select = at.selectbox(key="fj_tz")
    assert select.format_func(select.value) == "Your browser's (Asia/Kolkata)"
    assert "Asia/Calcutta" not in select.options
    assert at.session_state["fj_view"].tz == "Asia/Kolkata"


@pytest.mark.usefixtures("dashboard_env")
def test_a_link_with_an_old_zone_name_opens_in_its_current_name():
    at = new_app()
    at.query_params["tz"] = "Asia/Calcutta"
    at.run()
    assert not at.exception
    assert at.selectbox(key="fj_tz").value == "Asia/Kolkata"
    assert at.session_state["fj_view"].tz == "Asia/Kolkata"
    assert not any("Calcutta" in c.value for c in at.sidebar.caption)
