"""Experience as a few ordered bands: placed by the lower bound, old links still work."""

from __future__ import annotations

import pytest

from fj.demo import DEMO_FILE
from fj.filters import Filters, filter_options
from fj.frame import load_sessions
from fj.jd import BAND_LABELS
from tests.apptest import kpis, new_app


@pytest.fixture(scope="module")
def demo():
    return load_sessions(DEMO_FILE.read_bytes()).frame


def test_the_demo_offers_the_few_bands_in_order_not_the_raw_ranges(demo):
    options = filter_options(demo)
    bands = [b for b in options.experience if b != "(not stated)"]
    assert bands == [b for b in BAND_LABELS if b in bands] and len(bands) <= len(BAND_LABELS)
    assert len(demo["exp_range"].cat.categories) > 10  # the ranges the JDs wrote stay
    for band, low in zip(BAND_LABELS, [0, 3, 6, 10], strict=True):
        years = demo.loc[demo["experience"] == band, "exp_min_years"]
        assert (years >= low).all(), band
    # "5+ yrs" and "5-9 yrs" sessions are now in one band: picking it finds both.
    five = demo[demo["exp_range"].isin(["5+ yrs", "5-9 yrs"])]
    assert five["experience"].nunique() == 1


@pytest.mark.parametrize(
    ("link", "band", "notice"),
    [
        ("5-9 yrs", "3-5 yrs", "Read experience '5-9 yrs' from the link as 3-5 yrs."),
        ("10-15 yrs", "10+ yrs", "as 10+ yrs"),
        ("6-9 yrs", "6-9 yrs", None),
    ],
)
def test_an_old_link_with_a_range_selects_its_band_and_says_so(demo, link, band, notice):
    filters, notices = Filters.from_query({"exp": link}, options=filter_options(demo))
    assert filters.experience == (band,)
    if notice:
        assert len(notices) == 1 and notice in notices[0]
    else:
        assert notices == []


def test_a_link_with_a_band_the_project_lacks_is_ignored_with_a_notice(demo):
    options = filter_options(demo.iloc[:0])
    filters, notices = Filters.from_query({"exp": "5-9 yrs"}, options=options)
    assert filters.experience == ()
    assert notices and "Ignored experience band '5-9 yrs'" in notices[0]


@pytest.mark.usefixtures("dashboard_env")
def test_the_dashboard_opens_an_old_experience_link_on_its_band():
    at = new_app()
    at.query_params["exp"] = "5-9 yrs"
    at.run()
    assert not at.exception
    assert at.multiselect(key="f_exp").value == ["3-5 yrs"]
    notices = " ".join(c.value for c in at.sidebar.caption).replace("\\", "")
    assert "Read experience '5-9 yrs' from the link as 3-5 yrs" in notices
    frame = at.session_state["fj_view"].data.all_sessions
    assert kpis(at)["Sessions"] == f"{(frame['experience'] == '3-5 yrs').sum():,}"
    assert at.query_params["exp"] in ("3-5 yrs", ["3-5 yrs"])
