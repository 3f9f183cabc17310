"""A stateful test of the whole sidebar (issue 18): random sequences of what a viewer does.

A hypothesis ``RuleBasedStateMachine`` drives the dashboard under AppTest (run as a
server runs, see tests/apptest.py) against the stand-in API: numbers in both profile
boxes (reversed, negative, huge, cleared), date presets and custom ranges (reversed
too), facet values picked and unpicked, text search, Clear filters, a typed key that
is good, wrong or cleared, switching projects (one of them failing), Refresh, moving
between pages, opening a chart tab, and opening a link with random parameters. The
model is the filters the viewer set, normalised by ``fj.filters.normalise``. After every
step:

- no exception element on the page;
- the app's filters are the model's: no filter changed that the step did not touch
  (a failed load, a key change or a project switch included);
- the header's "N of M sessions" is the filters applied to the loaded frame;
- the URL the app wrote, opened in a fresh AppTest, gives the same filters, page and chart
  tab; a page with chart tabs draws one chart at most.

The run is derandomised (the same sequences in CI and here) with a fixed number of
examples and steps (30 sequences of up to 10 steps, about 300 steps, each checked
against a fresh session too): about 70 s on a 2-core machine. Failing examples it
found are kept as plain tests in tests/test_view_regressions.py.
"""

from __future__ import annotations

import datetime as dt
import os
import re

import pytest
import streamlit as st
from hypothesis import HealthCheck, settings
from hypothesis import strategies as hs
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)

from fj.filters import DATE_PRESETS, FACETS, PROFILES_LIMIT, Filters, normalise
from fj.stub import Project, StubServer
from tests.apptest import CHART_TABS, new_app
from ui.sidebar import FILTERS_KEY, _data_date_span

pytestmark = [pytest.mark.timeout(900)]

GOOD = "fjk_state_good_6c1f0b9e2d7a4f35"  # 80 sessions
OTHER = "fjk_state_other_1a9d8c7b6e5f4d3c"  # 40 sessions
BROKEN = "fjk_state_broken_0000000000001"  # a key without a project: 404
WRONG = "fjk_state_wrong_00000000000000"  # not known at all: 401
PROJECTS = {"Good": GOOD, "Other": OTHER, "Broken": BROKEN}

PAGES = {
    "pages/overview.py": "",
    "pages/sessions.py": "sessions",
    "pages/session.py": "session",
    "pages/breakdown.py": "breakdown",
    "pages/candidates.py": "candidates",
    "pages/data.py": "data",
}

COUNTS = hs.one_of(
    hs.none(),
    hs.integers(min_value=0, max_value=120),
    hs.integers(min_value=-50, max_value=-1),
    # The box's own maximum: a browser's number box refuses more (AppTest would not, and
    # would wrap 2**60 to 0); counts above it come from links (test_filters, open_a_link).
    hs.sampled_from([10**12, PROFILES_LIMIT]),
)
DAYS = hs.dates(min_value=dt.date(2025, 6, 1), max_value=dt.date(2026, 12, 31))
LINK_VALUES = hs.one_of(
    hs.sampled_from(["7d", "quarter", "custom", "2026-05-01", "2026-02-30", "12", "-1", ""]),
    hs.sampled_from(["total", "roles", "spread", "time", "groups"]),  # chart tabs
    hs.text(alphabet="abcXYZ0189-+ ", max_size=6),
    DAYS.map(str),
)
LINK_NAMES = hs.sampled_from(
    ["date", "from", "to", "role", "location", "exp", "q", "pmin", "pmax", "chart", "tab"]
)


def header_counts(at) -> tuple[int, int] | None:
    for caption in at.caption:
        found = re.match(r"([\d,]+) of ([\d,]+) sessions · ", caption.value)
        if found:
            return tuple(int(g.replace(",", "")) for g in found.groups())
    return None


def as_lists(query) -> dict[str, list[str]]:
    return {k: [v] if isinstance(v, str) else list(v) for k, v in dict(query).items()}


class ViewMachine(RuleBasedStateMachine):
    """One viewer's browser session, step by step; ``self.model`` is what they chose."""

    server: StubServer  # set by the test below
    monkeypatch: pytest.MonkeyPatch

    def __init__(self) -> None:
        super().__init__()
        st.cache_data.clear()
        st.cache_resource.clear()
        self.model = Filters()
        self.page = "pages/overview.py"
        self.mode = "typed"
        self.at = None

    # -- how the browser session starts -----------------------------------------------

    def _open(self, query: dict[str, list[str]] | None = None, page: str | None = None):
        at = new_app()
        if self.mode == "projects":
            at.secrets["fj"] = {"projects": dict(PROJECTS)}
        at.secrets["FJ_API_BASE_URL"] = self.server.base_url
        for name, values in (query or {}).items():
            at.query_params[name] = values
        at.run()
        if page and page != "pages/overview.py":
            at.switch_page(page).run()
        return at

    @initialize(mode=hs.sampled_from(["typed", "projects"]))
    def start(self, mode: str) -> None:
        self.mode = mode
        self.at = self._open()

    # -- the filters ------------------------------------------------------------------

    def _loaded(self) -> bool:
        return self.at.session_state["fj_view"] is not None

    def _typed(self, **changes) -> None:
        """What the model expects after the viewer typed ``changes`` into the widgets."""
        current = {
            "date": self.model.date,
            "date_from": self.model.date_from,
            "date_to": self.model.date_to,
            "q": self.model.q,
            "profiles_min": self.model.profiles_min,
            "profiles_max": self.model.profiles_max,
            **{f.name: list(getattr(self.model, f.name)) for f in FACETS},
        }
        current.update(changes)
        self.model, _ = normalise(**current)

    @precondition(lambda self: self._loaded())
    @rule(which=hs.sampled_from(["f_pmin", "f_pmax"]), value=COUNTS)
    def type_a_profile_count(self, which: str, value: int | None) -> None:
        self.at.number_input(key=which).set_value(value).run()
        self._typed(**{"profiles_min" if which == "f_pmin" else "profiles_max": value})

    @precondition(lambda self: self._loaded())
    @rule(preset=hs.sampled_from([p for p in DATE_PRESETS if p != "custom"]))
    def pick_a_date_preset(self, preset: str) -> None:
        self.at.selectbox(key="f_date").set_value(preset).run()
        self._typed(date=preset)

    @precondition(lambda self: self._loaded())
    @rule(start=hs.one_of(hs.none(), DAYS), end=hs.one_of(hs.none(), DAYS))
    def type_a_custom_range(self, start, end) -> None:
        if self.at.selectbox(key="f_date").value != "custom":
            view = self.at.session_state["fj_view"]
            span = _data_date_span(view.data.all_sessions, view.tz, view.now)
            self.at.selectbox(key="f_date").set_value("custom").run()
            self._typed(date="custom", date_from=span[0], date_to=span[1])
            self.check_the_view()
        self.at.date_input(key="f_from").set_value(start)
        self.at.date_input(key="f_to").set_value(end).run()
        self._typed(date="custom", date_from=start, date_to=end)

    @precondition(lambda self: self._loaded())
    @rule(data=hs.data(), facet=hs.sampled_from(FACETS))
    def pick_facet_values(self, data, facet) -> None:
        box = self.at.multiselect(key=facet.widget)
        chosen = data.draw(hs.lists(hs.sampled_from(box.options), max_size=3, unique=True))
        box.set_value(chosen).run()
        self._typed(**{facet.name: chosen})

    @precondition(lambda self: self._loaded())
    @rule(q=hs.sampled_from(["react", "", "  pune ", "zzz-none", "Data"]))
    def search(self, q: str) -> None:
        self.at.text_input(key="f_q").input(q).run()
        self._typed(q=q)

    @precondition(lambda self: self._loaded())
    @rule()
    def clear_filters(self) -> None:
        next(b for b in self.at.sidebar.button if b.label == "Clear filters").click().run()
        self.model = Filters()

    # -- the data source ----------------------------------------------------------------

    @precondition(lambda self: self.mode == "typed")
    @rule(key=hs.sampled_from([GOOD, WRONG, "", OTHER]))
    def type_a_key(self, key: str) -> None:
        self.at.text_input(key="fj_typed_key").input(key).run()

    @precondition(lambda self: self.mode == "projects")
    @rule(name=hs.sampled_from([*PROJECTS, "All projects"]))
    def switch_project(self, name: str) -> None:
        self.at.selectbox(key="fj_project").set_value(name).run()

    @rule()
    def refresh(self) -> None:
        next(b for b in self.at.sidebar.button if b.label == "Refresh").click().run()

    @precondition(lambda self: self._loaded())
    @rule(page=hs.sampled_from(sorted(PAGES)))
    def move_to_a_page(self, page: str) -> None:
        self.at.switch_page(page).run()
        self.page = page

    @precondition(lambda self: self._loaded() and self.page in CHART_TABS)
    @rule(data=hs.data())
    def open_a_chart_tab(self, data) -> None:
        key, labels = CHART_TABS[self.page]
        self.at.session_state[key] = data.draw(hs.sampled_from(labels))
        self.at.run()

    @rule(
        query=hs.dictionaries(LINK_NAMES, hs.lists(LINK_VALUES, min_size=1, max_size=2)),
        page=hs.sampled_from(sorted(PAGES)),
    )
    def open_a_link(self, query, page) -> None:
        self.at = self._open(query, page)
        self.model, _ = Filters.from_query(query)
        self.page = page

    # -- after every step ---------------------------------------------------------------

    @invariant()
    def check_the_view(self) -> None:
        if self.at is None:
            return
        at = self.at
        assert not at.exception, [e.value for e in at.exception]
        assert at.session_state[FILTERS_KEY] == self.model
        query = as_lists(at.query_params)
        assert Filters.from_query(query) == (self.model, [])
        view = at.session_state["fj_view"]
        if view is not None:
            assert view.filters == self.model
            counts = header_counts(at)
            if counts is not None:
                expected = self.model.apply(view.data.all_sessions, now=view.now, tz=view.tz)
                assert counts == (len(expected), len(view.data.all_sessions))
        tabs = CHART_TABS.get(self.page)
        if tabs:  # the Overview and the Breakdown draw their open tab's chart, no other
            assert len(at.get("plotly_chart")) <= 1
        # The link the app wrote gives the same view in a fresh browser session.
        again = self._open(query, self.page)
        assert not again.exception
        assert again.session_state[FILTERS_KEY] == self.model
        assert as_lists(again.query_params) == query or again.session_state["fj_view"] is None
        if tabs and tabs[0] in at.session_state and tabs[0] in again.session_state:
            assert again.session_state[tabs[0]] == at.session_state[tabs[0]]  # the same tab


@pytest.fixture
def state_server(dashboard_env):
    server = StubServer(
        {GOOD: Project(n=80, seed=11), OTHER: Project(n=40, seed=12), BROKEN: None}
    ).start()
    dashboard_env.setenv("FJ_API_RETRIES", "0")
    dashboard_env.setenv("FJ_API_TIMEOUT", "2")
    yield server
    server.stop()
    assert all(r.read_only and (r.key_fingerprint is None or r.key_in_header)
               for r in server.history)  # fmt: skip


def test_the_sidebar_never_breaks_whatever_the_viewer_does(state_server, dashboard_env):
    ViewMachine.server = state_server
    ViewMachine.TestCase.settings = settings(
        max_examples=int(os.environ.get("FJ_STATE_EXAMPLES", 30)),
        stateful_step_count=int(os.environ.get("FJ_STATE_STEPS", 10)),
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    ViewMachine.TestCase().runTest()
