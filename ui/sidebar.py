"""The sidebar, built once in the entry point: source, freshness, shared filters, timezone.

Widgets created here before ``st.navigation(...).run()`` keep their state on
every page, so the filters apply everywhere; their values go into the URL.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from fj import FJError
from fj.charts import role_colors
from fj.filters import FilterOptions, Filters
from fj.zones import canonical_zone, zone_names
from ui import auth, history, loader, state
from ui.loader import ProjectData
from ui.source import ALL_PROJECTS, Project, Source, resolve_source
from ui.text import md_escape

DATE_PRESETS = {
    "all": "All time",
    "7d": "Last 7 days",
    "30d": "Last 30 days",
    "90d": "Last 90 days",
    "quarter": "This quarter",
    "custom": "Custom range",
}
#: Session-state keys of the filter widgets, and their "no filter" values.
FILTER_DEFAULTS = {
    "f_date": "all",
    "f_range": None,
    "f_roles": [],
    "f_locations": [],
    "f_exp": [],
    "f_q": "",
    "f_pmin": None,
    "f_pmax": None,
}
TZ_AUTO = "auto"
#: Why a project named by a link is not shown: the same words whether it does not exist
#: or the viewer may not see it, so a link cannot probe which projects exist.
NOT_YOURS = "no such project among the ones you can see here."
EXPERIENCE_HELP = (
    "Bands of the years a JD asks for, placed by the lower bound: \"4-8 years\" asks for "
    "at least 4, so it is in 3-5 yrs; \"10+ years\" is in 10+ yrs. The Sessions table "
    "shows each JD's own range under \"Years asked\"."
)


@dataclass(frozen=True)
class View:
    """Everything a page needs for this run: the data, the filters and the filtered frame."""

    source: Source
    projects: tuple[Project, ...]
    project_label: str
    data: ProjectData
    filters: Filters
    options: FilterOptions
    frame: pd.DataFrame  # the filtered sessions
    tz: str
    now: dt.datetime
    colors: dict[str, str]
    error: FJError | None  # a failed refresh; data is then the last good copy

    @property
    def is_demo(self) -> bool:
        return self.source.is_demo


def current_view() -> View | None:
    """Return the view the entry point built for this run (None when nothing could load)."""
    state.ensure_entry_point()
    return st.session_state.get("fj_view")


def clear_filters() -> None:
    """Reset every shared filter (a button callback: runs before the next script run)."""
    for key, value in FILTER_DEFAULTS.items():
        st.session_state[key] = list(value) if isinstance(value, list) else value


def narrow(**values: list[str]) -> None:
    """Narrow shared filters to the given groups (drill-down from a chart click)."""
    keys = {"role": "f_roles", "location": "f_locations", "experience": "f_exp"}
    for name, groups in values.items():
        st.session_state[keys[name]] = list(groups)


def build_view() -> View | None:
    """Draw the sidebar, load the data and apply the filters; show a clear message on failure."""
    sidebar = st.sidebar
    typed = st.session_state.get("fj_typed_key") if auth.typed_keys_allowed() else None
    source = auth.restrict(resolve_source(typed))  # with sign-in: this viewer's projects only
    if not source.projects:
        st.error("None of your projects is configured on this dashboard.", icon=":material/block:")
        return None
    projects = _select_projects(source, sidebar)
    label = ALL_PROJECTS if len(projects) > 1 else projects[0].name

    outcome = loader.load(projects, source)
    if source.projects[0].kind in ("demo", "typed") and auth.typed_keys_allowed():
        _typed_key_box(sidebar)  # drawn every run, or Streamlit forgets the typed key
    if outcome.data is None:
        _show_error(outcome.error, outcome.failed_project, stale=None)
        _refresh_button(sidebar, projects, source)
        return None
    data = outcome.data
    _freshness(sidebar, data, projects, source)

    now = dt.datetime.now(dt.UTC)
    tz = _timezone(sidebar)
    options = data.options
    filters = _filters(sidebar, options, data.frame, tz, now)
    frame = filters.apply(data.frame, now=now, tz=tz)
    view = View(
        source=source,
        projects=projects,
        project_label=label,
        data=data,
        filters=filters,
        options=options,
        frame=frame,
        tz=tz,
        now=now,
        colors=role_colors(data.roles_by_weight),
        error=outcome.error,
    )
    if outcome.error is not None:
        _show_error(outcome.error, outcome.failed_project, stale=data.fetched_at)
    return view


def _select_projects(source: Source, sidebar) -> tuple[Project, ...]:
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


def _show_error(error: FJError | None, project: str | None, stale: dt.datetime | None) -> None:
    if error is None:
        return
    where = f" ({md_escape(project)})" if project else ""
    message = f"**{md_escape(error.title)}**{where}: {md_escape(str(error))}"
    if stale is None:
        st.error(message, icon=":material/error:")
    else:
        when = stale.astimezone(_zone(_timezone_name()))
        st.warning(
            f"{message}  \nShowing the last data that loaded, from {when:%Y-%m-%d %H:%M}.",
            icon=":material/warning:",
        )


def _timezone_name() -> str:
    chosen = st.session_state.get("fj_tz", TZ_AUTO)
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


def _timezone(sidebar) -> str:
    zones = _zones()
    if "fj_tz" not in st.session_state:
        wanted = state.initial_value("tz")
        if wanted is not None:
            wanted = canonical_zone(wanted)
        if wanted is not None and wanted not in zones:
            state.add_notice(f"Ignored timezone {wanted!r} from the link: unknown zone.")
            wanted = None
        st.session_state["fj_tz"] = wanted or TZ_AUTO
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
    state.set_params({"tz": None if chosen == TZ_AUTO else chosen})
    return _timezone_name()


def _filters(sidebar, options: FilterOptions, frame: pd.DataFrame, tz: str, now) -> Filters:
    if "fj_filters_from_url" not in st.session_state:
        st.session_state["fj_filters_from_url"] = True
        clear_filters()
        from_url, notices = Filters.from_query(state.initial_query(), options=options)
        for notice in notices:
            state.add_notice(notice)
        _put_in_state(from_url)
    # Values that the data no longer offers (another project was picked) are dropped.
    for key, offered in (
        ("f_roles", options.roles),
        ("f_locations", options.locations),
        ("f_exp", options.experience),
    ):
        kept = [v for v in st.session_state.get(key, []) if v in offered]
        if kept != st.session_state.get(key):
            st.session_state[key] = kept

    sidebar.subheader("Filters")
    sidebar.selectbox("Created", list(DATE_PRESETS), format_func=DATE_PRESETS.get, key="f_date")
    if st.session_state["f_date"] == "custom":
        if not st.session_state.get("f_range"):
            st.session_state["f_range"] = _data_date_span(frame, tz, now)
        sidebar.date_input("From – to (inclusive)", key="f_range", format="YYYY-MM-DD")
    sidebar.multiselect("Roles", list(options.roles), key="f_roles", placeholder="All roles")
    sidebar.multiselect(
        "Locations", list(options.locations), key="f_locations", placeholder="All locations"
    )
    sidebar.multiselect(
        "Experience",
        list(options.experience),
        key="f_exp",
        placeholder="Any experience",
        help=EXPERIENCE_HELP,
    )
    sidebar.text_input(
        "Search title and JD text", key="f_q", placeholder="e.g. React, Pune, senior"
    )
    low, high = sidebar.columns(2)
    low.number_input("Min profiles", min_value=0, step=1, key="f_pmin")
    high.number_input("Max profiles", min_value=0, step=1, key="f_pmax")
    sidebar.button("Clear filters", on_click=clear_filters, icon=":material/filter_alt_off:")

    filters = _from_state()
    state.set_params(filters.to_query())
    return filters


def _put_in_state(filters: Filters) -> None:
    ss = st.session_state
    ss["f_date"] = filters.date
    ss["f_range"] = (filters.date_from, filters.date_to) if filters.date == "custom" else None
    ss["f_roles"] = list(filters.roles)
    ss["f_locations"] = list(filters.locations)
    ss["f_exp"] = list(filters.experience)
    ss["f_q"] = filters.q
    ss["f_pmin"] = filters.profiles_min
    ss["f_pmax"] = filters.profiles_max


def _from_state() -> Filters:
    ss = st.session_state
    date = ss.get("f_date", "all")
    date_from = date_to = None
    if date == "custom":
        chosen = ss.get("f_range") or ()
        if len(chosen) == 2:
            date_from, date_to = chosen
        elif len(chosen) == 1:
            date_from = date_to = chosen[0]
        else:
            date = "all"
    pmin, pmax = ss.get("f_pmin"), ss.get("f_pmax")
    return Filters(
        date=date,
        date_from=date_from,
        date_to=date_to,
        roles=tuple(ss.get("f_roles", [])),
        locations=tuple(ss.get("f_locations", [])),
        experience=tuple(ss.get("f_exp", [])),
        q=(ss.get("f_q") or "").strip(),
        profiles_min=None if pmin is None else int(pmin),
        profiles_max=None if pmax is None else int(pmax),
    )


def _data_date_span(frame: pd.DataFrame, tz: str, now) -> tuple[dt.date, dt.date]:
    created = frame["created_at"].dropna()
    today = pd.Timestamp(now).tz_convert(tz).date()
    if created.empty:
        return (today - dt.timedelta(days=30), today)
    local = created.dt.tz_convert(tz)
    return (local.min().date(), local.max().date())
