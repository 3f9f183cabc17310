"""What every page starts with: the demo banner, the view in words, the empty state."""

from __future__ import annotations

import streamlit as st

from fj import FJError
from fj.filters import undated_hidden
from fj.wording import md_escape
from ui.sidebar import View, clear_filters

DEMO_BANNER = "**Demo data**, not your project."

HOW_TO_CONNECT = (
    'To see your project, put `FJ_API_KEY = "fjk_…"` in `.streamlit/secrets.toml` '
    "(or set the `FJ_API_KEY` environment variable) and restart, or type a key under "
    "*Connect your project* in the sidebar."
)


#: Plain words for the numbers the pages show (the Overview links to them).
WHAT_THESE_NUMBERS_MEAN = """\
- **Session**: one sourcing run on the FJ platform: a job description (JD) searched
  for candidates. Its role, location and experience are read from the JD text
  (or its title); *(not stated)* means the JD does not say.
- **Profile**: one candidate profile a session found. A session's *profiles* is its
  count **today**: it grows when more are fetched later, so it is not what the
  session found on its first day.
- **Sourcing time**: from the session's creation to its last update, in minutes;
  roughly how long the search kept finding profiles.
- **Cohort**: the sessions created in the same day, week or month. Charts "by
  creation date" put each session's profiles, as counted today, in its cohort's
  bar; the newest bar is lighter while its period is not over (*so far*).
- **Other**: the roles past the largest few, summed in one bar so the charts stay
  readable; the Breakdown page lists every role.
"""


def glossary() -> None:
    """Draw "What these numbers mean", folded, for a page that shows the numbers."""
    with st.expander("What these numbers mean", icon=":material/help:"):
        st.markdown(WHAT_THESE_NUMBERS_MEAN)


def demo_banner(view: View, how_to_connect: bool = True) -> None:
    """Draw the "Demo data" banner when the view shows the bundled demo project."""
    if view.is_demo:
        # One line, so a phone's first screen shows the numbers; the how-to folds away.
        st.info(DEMO_BANNER, icon=":material/science:")
        if how_to_connect:
            with st.expander("How to connect your project"):
                st.markdown(HOW_TO_CONNECT)


def header(view: View, title: str) -> None:
    """Draw the page title, the demo banner, and what the view shows, in words."""
    st.title(title)
    demo_banner(view)
    total = len(view.data.all_sessions)
    shown = len(view.filtered)
    st.caption(
        f"{shown:,} of {total:,} sessions · {md_escape(view.filters.describe())} · "
        f"project: {md_escape(view.project_label)} · times in {md_escape(view.tz)}"
    )
    hidden = undated_hidden(view.data.all_sessions, view.filters)
    if hidden:
        st.caption(
            f":material/event_busy: The date filter hides {hidden:,} session"
            f"{'s' if hidden != 1 else ''} without a creation date."
        )


def empty_state(view: View) -> bool:
    """Show a friendly message and a way back when nothing matches; return True if empty."""
    if len(view.filtered):
        return False
    if len(view.data.all_sessions) == 0:
        st.info("This project has no sourcing sessions yet.", icon=":material/inbox:")
    else:
        st.info("No sessions match these filters.", icon=":material/filter_alt_off:")
        st.button("Clear filters", on_click=clear_filters, key="empty_clear")
    return True


def show_error(error: FJError, what: str) -> None:
    """Show an fj error as one clear message about ``what`` failed (never a traceback, never
    the key)."""
    st.error(
        f"**{md_escape(error.title)}** ({md_escape(what)}): {md_escape(str(error))}",
        icon=":material/error:",
    )
