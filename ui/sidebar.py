"""The sidebar, built once in the entry point: source, freshness, shared filters, timezone.

Widgets created here before ``st.navigation(...).run()`` keep their state on
every page, so the filters apply everywhere; their values go into the URL.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass, replace

import pandas as pd
import streamlit as st

from fj import FJError
from fj.charts import role_colors
from fj.filters import (
    DATE_RANGE,
    FACET_BY_COLUMN,
    FACETS,
    PROFILES_LIMIT,
    FilterOptions,
    Filters,
    normalise,
)
from fj.wording import md_escape
from fj.zones import canonical_zone, zone_names
from ui import auth, history, loader, state
from ui.loader import ProjectData
from ui.source import ALL_PROJECTS, ConfiguredProject, Source, resolve_source

#: How each date preset of fj.filters.DATE_PRESETS reads in the sidebar.
DATE_PRESET_LABELS = {
    "all": "All time",
    "7d": "Last 7 days",
    "30d": "Last 30 days",
    "90d": "Last 90 days",
    "quarter": "This quarter",
    "custom": "Custom range",
}
#: Session-state key of the view's filters (a ``Filters``): the one source of truth.
FILTERS_KEY = "fj_filters"
TZ_AUTO = "auto"
#: Why a project named by a link is not shown: the same words whether it does not exist
#: or the viewer may not see it, so a link cannot probe which projects exist.
NOT_YOURS = "no such project among the ones you can see here."
EXPERIENCE_HELP = (
    "Bands of the years a JD asks for, placed by the lower bound: \"4-8 years\" asks for "
    "at least 4, so it is in 3-5 yrs; \"10+ years\" is in 10+ yrs. The Sessions table "
    "shows each JD's own range under \"Years asked\"."
)
#: The help text of a facet's widget, by frame column.
_FACET_HELP = {"experience": EXPERIENCE_HELP}


@dataclass(frozen=True)
class View:
    """Everything a page needs for this run: the data, the filters and the filtered frame."""

    source: Source
    projects: tuple[ConfiguredProject, ...]
    project_label: str
    data: ProjectData
    filters: Filters
    options: FilterOptions
    filtered: pd.DataFrame  # the sessions the filters select (data.all_sessions: every one)
    tz: str
    now: dt.datetime
    colors: dict[str, str]
    error: FJError | None  # a failed refresh; data is then the last good copy

    @property
    def is_demo(self) -> bool:
        return self.source.is_demo

    @property
    def several_projects(self) -> bool:
        """True on All projects: the sessions carry a ``project`` column to split them by."""
        return "project" in self.filtered.columns


def current_view() -> View | None:
    """Return the view the entry point built for this run (None when nothing could load)."""
    state.leave_legacy_pages_mode()  # Streamlit ran this page file without the entry point
    return st.session_state.get("fj_view")


def clear_filters() -> None:
    """Reset every shared filter (a button callback: runs before the next script run)."""
    _set_filters(Filters())


def narrow(**values: list[str]) -> None:
    """Narrow shared filters to the given groups (drill-down from a chart click).

    Keyword names are frame columns of facets (``role=[...]``); others are ignored.
    """
    current = st.session_state.get(FILTERS_KEY, Filters())
    chosen = {
        FACET_BY_COLUMN[name].name: tuple(groups)
        for name, groups in values.items()
        if name in FACET_BY_COLUMN
    }
    _set_filters(replace(current, **chosen))


def _set_filters(filters: Filters) -> None:
    st.session_state[FILTERS_KEY] = filters
    _put_in_state(filters, overwrite=True)


def build_view() -> View | None:
    """Draw the sidebar, load the data and apply the filters; show a clear message on failure.

    The filters and the timezone are read (and put in the URL) before the data
    loads, so a failed load keeps them as they are.
    """
    sidebar = st.sidebar
    typed = st.session_state.get("fj_typed_key") if auth.typed_keys_allowed() else None
    source = auth.restrict(resolve_source(typed))  # with sign-in: this viewer's projects only
    if not source.projects:
        st.error("None of your projects is configured on this dashboard.", icon=":material/block:")
        return None
    projects = _select_projects(source, sidebar)
    label = ALL_PROJECTS if len(projects) > 1 else projects[0].name
    _init_timezone()
    filters = view_filters()
    state.set_params(filters.to_query())

    outcome = loader.load(projects, source)
    if source.projects[0].kind in ("demo", "typed") and auth.typed_keys_allowed():
        _typed_key_box(sidebar)  # drawn every run, or Streamlit forgets the typed key
    if outcome.data is None:
        _show_error(outcome.error, outcome.failed_project, stale=None)
        _refresh_button(sidebar, projects, source)
        _keep_timezone_in_url()
        return None
    data = outcome.data
    _freshness(sidebar, data, projects, source)

    now = dt.datetime.now(dt.UTC)
    tz = _timezone(sidebar)
    options = data.options
    _filter_widgets(sidebar, options, data.all_sessions, tz, now)
    frame = filters.apply(data.all_sessions, now=now, tz=tz)
    view = View(
        source=source,
        projects=projects,
        project_label=label,
        data=data,
        filters=filters,
        options=options,
        filtered=frame,
        tz=tz,
        now=now,
        colors=role_colors(data.roles_by_weight),
        error=outcome.error,
    )
    if outcome.error is not None:
        stale = data.fetched_at if outcome.stale else None
        _show_error(outcome.error, outcome.failed_project, stale=stale, partial=not outcome.stale)
    return view


def _select_projects(source: Source, sidebar) -> tuple[ConfiguredProject, ...]:
    if len(source.projects) == 1:
        wanted = state.initial_value("project")
        if "fj_project" not in st.session_state and wanted not in (None, source.projects[0].name):
            st.session_state["fj_project"] = source.projects[0].name  # say it once
            state.add_notice(f"Ignored project {wanted!r} from the link: {NOT_YOURS}")
        state.set_params({"project": None})
        return source.projects
    names = [p.name for p in source.projects] + [ALL_PROJECTS]
    if "fj_project" not in st.session_state:
        wanted = state.initial_value("project")
        if wanted is not None and wanted not in names:
            state.add_notice(f"Ignored project {wanted!r} from the link: {NOT_YOURS}")
            wanted = None
        st.session_state["fj_project"] = wanted or names[0]
    name = sidebar.selectbox("Project", names, key="fj_project")
    state.set_params({"project": None if name == names[0] else name})
    if name == ALL_PROJECTS:
        return source.projects
    return tuple(p for p in source.projects if p.name == name)


def _typed_key_box(sidebar) -> None:
    with sidebar.expander("Connect your project"):
        st.text_input(
            "FJ API key",
            type="password",
            key="fj_typed_key",
            placeholder="fjk_…",
            help="Kept in this browser session only: never in the link, never saved. "
            "For a lasting setup, put FJ_API_KEY in .streamlit/secrets.toml.",
        )


def _freshness(sidebar, data: ProjectData, projects, source: Source) -> None:
    age = dt.datetime.now(dt.UTC) - data.fetched_at
    minutes = int(age.total_seconds() // 60)
    local = data.fetched_at.astimezone(_zone(_timezone_name()))
    ago = "just now" if minutes < 1 else f"{minutes} min ago"
    sidebar.caption(f"Data as of {local:%H:%M} ({ago})")
    history.status_line(sidebar, data)
    _refresh_button(sidebar, projects, source)


def _refresh_button(sidebar, projects, source: Source) -> None:
    sidebar.button(
        "Refresh",
        icon=":material/refresh:",
        help="Fetch this project's sessions again (other viewers' data is not touched).",
        on_click=loader.refresh,
        args=(projects, source.base_url),
    )


def _show_error(
    error: FJError | None,
    project: str | None,
    stale: dt.datetime | None,
    *,
    partial: bool = False,
) -> None:
    if error is None:
        return
    where = f" ({md_escape(project)})" if project else ""
    message = f"**{md_escape(error.title)}**{where}: {md_escape(str(error))}"
    if partial:  # some projects loaded; this one never did in this browser session
        st.warning(
            f"{message}  \nThe other projects are shown; this one has not loaded yet.",
            icon=":material/warning:",
        )
    elif stale is None:
        st.error(message, icon=":material/error:")
    else:
        when = stale.astimezone(_zone(_timezone_name()))
        st.warning(
            f"{message}  \nShowing the last data that loaded, from {when:%Y-%m-%d %H:%M}.",
            icon=":material/warning:",
        )


def _timezone_name() -> str:
    chosen = st.session_state.get("fj_tz", st.session_state.get("fj_tz_kept", TZ_AUTO))
    if chosen and chosen != TZ_AUTO:
        return chosen
    return _browser_tz() or "UTC"


def _browser_tz() -> str | None:
    try:
        tz = st.context.timezone
    except Exception:
        return None
    # Browsers may say an old alias ("Asia/Calcutta"): shown and used by its current name.
    return canonical_zone(tz) if tz and _zone(tz) is not None else None


def _zone(name: str) -> zoneinfo.ZoneInfo | None:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


@st.cache_data
def _zones() -> list[str]:
    return zone_names()


def _init_timezone() -> None:
    """Read the timezone of the opening link once, before anything shows a time."""
    if "fj_tz" in st.session_state:
        return
    wanted = state.initial_value("tz")
    if wanted is not None:
        wanted = canonical_zone(wanted)  # an old name in a link (Asia/Calcutta) maps
    if wanted is not None and wanted not in _zones():
        state.add_notice(f"Ignored timezone {wanted!r} from the link: unknown zone.")
        wanted = None
    st.session_state["fj_tz"] = wanted or TZ_AUTO
    st.session_state["fj_tz_kept"] = st.session_state["fj_tz"]


def _keep_timezone_in_url() -> None:
    """On a run that cannot draw the timezone box, keep the chosen zone (and its link)."""
    kept = st.session_state.get("fj_tz_kept", TZ_AUTO)
    st.session_state.setdefault("fj_tz", kept)
    state.set_params({"tz": None if kept == TZ_AUTO else kept})


def _timezone(sidebar) -> str:
    zones = _zones()
    if "fj_tz" not in st.session_state:  # forgotten after a run that did not draw it
        st.session_state["fj_tz"] = st.session_state.get("fj_tz_kept", TZ_AUTO)
    browser = _browser_tz()
    auto_label = f"Your browser's ({browser})" if browser else "UTC (browser's zone unknown)"
    sidebar.selectbox(
        "Timezone",
        [TZ_AUTO, *zones],
        format_func=lambda z: auto_label if z == TZ_AUTO else z,
        key="fj_tz",
        help="Times are shown, and days and weeks are counted, in this zone.",
    )
    chosen = st.session_state["fj_tz"]
    st.session_state["fj_tz_kept"] = chosen
    state.set_params({"tz": None if chosen == TZ_AUTO else chosen})
    return _timezone_name()


def view_filters() -> Filters:
    """Return the view's filters: the one copy every run reads, changed only by the viewer.

    On a browser session's first run they come from the link (values the data
    lacks are kept: they stay in the URL and are reported beside the widgets).
    Afterwards only the viewer changes them, through the widgets, Clear
    filters or a drill-down: a failed load, a project switch or a new key never
    does. The widgets are a view of this copy: a run that did not draw them
    (a failed load) lets Streamlit forget their state, so they are seeded again
    from here before they are drawn.
    """
    ss = st.session_state
    if FILTERS_KEY not in ss:
        from_url, notices = Filters.from_query(state.initial_query())
        for notice in notices:
            state.add_notice(notice)
        ss[FILTERS_KEY] = from_url
        _put_in_state(from_url, overwrite=True)
    _put_in_state(ss[FILTERS_KEY], overwrite=False)
    typed, notices = normalise(
        date=ss["f_date"],
        date_from=ss["f_from"],
        date_to=ss["f_to"],
        q=ss["f_q"],
        profiles_min=ss["f_pmin"],
        profiles_max=ss["f_pmax"],
        **{facet.name: ss[facet.widget] for facet in FACETS},
    )
    for notice in notices:
        state.add_notice(notice, once=True)
    if typed != ss[FILTERS_KEY]:
        ss[FILTERS_KEY] = typed
    # Show what was kept: a swapped range, a count read as the limit, a dropped negative.
    for key, value in (
        ("f_pmin", typed.profiles_min),
        ("f_pmax", typed.profiles_max),
        ("f_from", typed.date_from),
        ("f_to", typed.date_to),
    ):
        if ss[key] != value and (typed.date == "custom" or key in ("f_pmin", "f_pmax")):
            ss[key] = value
    return ss[FILTERS_KEY]


def _filter_widgets(sidebar, options: FilterOptions, frame: pd.DataFrame, tz: str, now) -> None:
    """Draw the filters (their state is set by ``view_filters`` before they are drawn)."""
    ss = st.session_state
    sidebar.subheader("Filters")
    sidebar.selectbox(
        "Created",
        list(DATE_PRESET_LABELS),
        format_func=DATE_PRESET_LABELS.get,
        key="f_date",
        on_change=_start_custom_range,
        args=(frame, tz, now),
    )
    if ss["f_date"] == "custom":
        start, end = sidebar.columns(2)
        for column, label, key in ((start, "From", "f_from"), (end, "To (inclusive)", "f_to")):
            column.date_input(
                label,
                key=key,
                min_value=DATE_RANGE[0],
                max_value=DATE_RANGE[1],
                format="YYYY-MM-DD",
                help="Leave one end empty for a range open on that side.",
            )
    for facet in FACETS:
        offered = getattr(options, facet.name)
        lacking = [v for v in ss[facet.widget] if v not in offered]
        for value in lacking:
            state.add_notice(
                f"The {facet.noun} {value!r} is not in this data: kept in the filter and "
                "the link, it matches no session here.",
                once=True,
            )
        sidebar.multiselect(
            facet.label,
            [*offered, *lacking],
            key=facet.widget,
            placeholder=facet.placeholder,
            help=_FACET_HELP.get(facet.column),
        )
    sidebar.text_input(
        "Search title and JD text", key="f_q", placeholder="e.g. React, Pune, senior"
    )
    low, high = sidebar.columns(2)
    # value=None: an emptied box means "no bound" (without it Streamlit reads an empty box
    # as its minimum, 0: "with at most 0 profiles"; found by tests/test_view_state.py).
    for box, label, key in ((low, "Min profiles", "f_pmin"), (high, "Max profiles", "f_pmax")):
        box.number_input(
            label, min_value=0, max_value=PROFILES_LIMIT, value=None, step=1, key=key
        )
    sidebar.button("Clear filters", on_click=clear_filters, icon=":material/filter_alt_off:")


def _start_custom_range(frame: pd.DataFrame, tz: str, now) -> None:
    """Picking "Custom range" with no dates yet starts at the data's first and last day."""
    ss = st.session_state
    if ss.get("f_date") == "custom" and ss.get("f_from") is None and ss.get("f_to") is None:
        ss["f_from"], ss["f_to"] = _data_date_span(frame, tz, now)


def _widget_values(filters: Filters) -> dict[str, object]:
    values: dict[str, object] = {
        "f_date": filters.date,
        "f_from": filters.date_from,
        "f_to": filters.date_to,
        "f_q": filters.q,
        "f_pmin": filters.profiles_min,
        "f_pmax": filters.profiles_max,
    }
    values.update({facet.widget: list(getattr(filters, facet.name)) for facet in FACETS})
    return values


def _put_in_state(filters: Filters, *, overwrite: bool) -> None:
    ss = st.session_state
    for key, value in _widget_values(filters).items():
        if overwrite or key not in ss:
            ss[key] = value


def _data_date_span(frame: pd.DataFrame, tz: str, now) -> tuple[dt.date, dt.date]:
    created = frame["created_at"].dropna()
    today = pd.Timestamp(now).tz_convert(tz).date()
    if created.empty:
        return (today - dt.timedelta(days=30), today)
    local = created.dt.tz_convert(tz)
    return (local.min().date(), local.max().date())
