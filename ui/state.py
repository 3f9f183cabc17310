"""The view lives in the URL: read it once when a browser session opens, write it every run.

Streamlit clears query params when the user moves between pages, so each run
collects the parameters of the current view (shared filters from the entry
point, view choices from the page) and writes them after the page has run.
The key is never among them.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from fj.wording import md_escape

_INITIAL = "fj_initial_query"
_RUN = "fj_url_params"
_NOTICES = "fj_url_notices"
_RUN_NOTICES = "fj_run_notices"


def leave_legacy_pages_mode() -> None:
    """Rerun at once if Streamlit started this run in its legacy ``pages/`` mode.

    A ``pages/`` folder beside dashboard.py makes a server's very first run
    (before any ``st.navigation`` call in the process) list the files' names
    and, for a link such as ``/sessions``, run ``pages/sessions.py`` without the
    entry point. ``st.navigation`` clears Streamlit's flag for the process; this
    clears it the same way and reruns, so even the first viewer gets the entry
    point, its gate and its navigation. Called first by dashboard.py and by
    every page (``ui.sidebar.current_view``); a no-op on every later run.
    """
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def begin_run() -> None:
    """Snapshot the URL the session was opened with (first run only); start this run's params."""
    if _INITIAL not in st.session_state:
        st.session_state[_INITIAL] = {k: st.query_params.get_all(k) for k in st.query_params}
        st.session_state[_NOTICES] = []
    st.session_state[_RUN] = {}
    st.session_state[_RUN_NOTICES] = []


def initial_query() -> dict[str, list[str]]:
    """Return the query parameters the browser session was opened with (lists of values)."""
    return st.session_state.get(_INITIAL, {})


def initial_value(name: str) -> str | None:
    """Return the last value of one parameter of the opening URL, if any."""
    values = initial_query().get(name) or []
    return values[-1] if values else None


def set_params(params: Mapping[str, str | Sequence[str] | None]) -> None:
    """Record parameters of this run's view (``None`` or empty values are left out)."""
    run: dict[str, Any] = st.session_state.setdefault(_RUN, {})
    for name, value in params.items():
        if value is None or value == "" or (isinstance(value, list | tuple) and not value):
            run.pop(name, None)
        else:
            run[name] = list(value) if isinstance(value, list | tuple) else str(value)


def write_url() -> None:
    """Make the address bar show this run's view, so the link can be shared."""
    wanted = st.session_state.get(_RUN, {})
    current = {k: st.query_params.get_all(k) for k in st.query_params}
    normalised = {k: v if isinstance(v, list) else [v] for k, v in wanted.items()}
    if current != normalised:
        st.query_params.from_dict(wanted)


def fragment(draw: Callable[..., None]) -> Callable[..., None]:
    """``st.fragment`` for a page's part whose controls touch only that part (one chart).

    Changing a control inside it reruns ``draw`` alone, not the sidebar and the rest of
    the page. Such a rerun never reaches the entry point's ``write_url``, so the part
    writes the URL itself: its choices updated this run's parameters, which still hold
    the rest of the view from the last full run.
    """

    @functools.wraps(draw)
    def part(*args, **kwargs) -> None:
        draw(*args, **kwargs)
        write_url()

    return st.fragment(part)


def add_notice(text: str, *, once: bool = False) -> None:
    """Keep a notice shown under the filters: about the opening link for the whole browser
    session, or (``once``) for this run only (a swapped range the viewer typed)."""
    kept = st.session_state.setdefault(_RUN_NOTICES if once else _NOTICES, [])
    if text not in kept:
        kept.append(text)


def notices() -> list[str]:
    """Return the notices of this run: about the opening link, then this run's own."""
    return [*st.session_state.get(_NOTICES, []), *st.session_state.get(_RUN_NOTICES, [])]


def show_notices() -> None:
    """Say, under the filters, which values of the opening link were ignored (end of a run)."""
    for notice in notices():
        st.sidebar.caption(f":material/info: {md_escape(notice)}")


def choice(
    label: str,
    key: str,
    options: Mapping[str, str],
    default: str,
    *,
    param: str,
    widget: str = "segmented",
    container: Any = st,
    applies: bool = True,
) -> str:
    """A view choice of a page (e.g. day/week/month) that is restored from and kept in the URL.

    With ``applies`` false (e.g. on a chart tab it does not change) it is greyed out and
    says so; it keeps its value and its place in the URL.
    """
    state_key = f"view_{key}"
    if state_key not in st.session_state:
        said = f"not one of {', '.join(options)}"
        st.session_state[state_key] = _opening(state_key, param, options, default, said=said)
    draw = container.segmented_control if widget == "segmented" else container.selectbox
    value = draw(
        label, list(options), format_func=options.get, key=state_key, **_where_it_applies(applies)
    )
    value = value or default  # a segmented control can be deselected
    _kept()[state_key] = value
    set_params({param: None if value == default else value})
    return value


def tabs(
    options: Mapping[str, str], key: str, default: str, *, param: str
) -> tuple[dict[str, Any], str]:
    """Tabs of which only the open one is drawn, restored from and kept in the URL.

    ``options`` maps a tab's name in the URL to its label. Returns the tabs' containers
    by name and the name of the open one. A run draws only what the caller puts in the
    open tab: switching tabs reruns (the part it is in, in a fragment), so a filter click
    redraws one chart, not every tab's. ``st.tabs`` binds to the URL itself
    (``bind="query-params"``), but the app writes its whole URL each run
    (``write_url``), so the open tab is kept the way every other view choice is.
    """
    state_key = f"view_{key}"
    labels = dict(options)
    if state_key not in st.session_state:
        said = "the tabs are " + ", ".join(f"{name} ({label})" for name, label in labels.items())
        st.session_state[state_key] = labels[_opening(state_key, param, labels, default, said=said)]
    containers = st.tabs(list(labels.values()), key=state_key, on_change="rerun")
    by_label = dict(zip(labels.values(), labels, strict=True))
    value = by_label.get(st.session_state.get(state_key), default)
    _kept()[state_key] = value
    set_params({param: None if value == default else value})
    return dict(zip(labels, containers, strict=True)), value


#: What a greyed-out view control says: it changes another chart tab's chart.
NOT_THIS_TAB = "Changes another tab's chart, not this one."


def _where_it_applies(applies: bool) -> dict[str, Any]:
    return {} if applies else {"disabled": True, "help": NOT_THIS_TAB}


def set_choice(key: str, value: str) -> None:
    """Change a ``choice`` from a widget callback (before the choice is drawn again)."""
    st.session_state[f"view_{key}"] = value
    _kept()[f"view_{key}"] = value


def _opening(
    state_key: str, param: str, allowed: Mapping[str, str], default: str, *, said: str
) -> str:
    """The value a view choice opens with when its widget has no state: its last value on
    this page (Streamlit forgot it on another page), else the opening link's (a value not in
    ``allowed`` is ignored, with a notice ending in ``said``), else ``default``."""
    if state_key in _kept():
        return _kept()[state_key]
    wanted = initial_value(param)
    if wanted is not None and wanted not in allowed:
        add_notice(f"Ignored {param}={wanted!r} from the link: {said}.")
        wanted = None
    return wanted or default


def _kept() -> dict[str, Any]:
    """The last value of each page's view choice: Streamlit forgets a widget's state when a
    run does not draw it (another page), and the choice must not fall back to the link."""
    return st.session_state.setdefault("fj_view_choices", {})


def toggle(
    label: str,
    key: str,
    default: bool,
    *,
    param: str,
    container: Any = st,
    applies: bool = True,
) -> bool:
    """A view switch of a page (e.g. stacked or not), restored from and kept in the URL as
    ``param=on`` / ``param=off`` (only when it differs from ``default``); ``applies`` as for
    ``choice``."""
    state_key = f"view_{key}"
    if state_key in _kept():
        st.session_state.setdefault(state_key, _kept()[state_key])
    if state_key not in st.session_state:
        wanted = initial_value(param)
        if wanted is not None and wanted not in ("on", "off"):
            add_notice(f"Ignored {param}={wanted!r} from the link: use on or off.")
            wanted = None
        st.session_state[state_key] = default if wanted is None else wanted == "on"
    value = bool(container.toggle(label, key=state_key, **_where_it_applies(applies)))
    _kept()[state_key] = value
    set_params({param: None if value == default else ("on" if value else "off")})
    return value
