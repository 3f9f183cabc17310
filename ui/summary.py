"""The Overview's "Copy summary": the summary of the view on screen, ready to paste."""

from __future__ import annotations

import streamlit as st

from fj.digest import summarize
from ui.sidebar import View
from ui.source import settings

FORMATS = {"text": "Plain text (email)", "markdown": "Markdown (Slack, chat)"}


def copy_summary(view: View) -> None:
    """Draw an expander holding the view's summary in a code block (which has a copy button).

    The summary is built only while the expander is open. It says what the
    Overview shows: the view's KPIs, their change, the top roles and the
    sessions worth a look, with the link to the view when ``FJ_DASHBOARD_URL``
    is set. Session statuses are not fetched here, so it lists no running sessions.
    """
    box = st.expander(
        "Copy summary", icon=":material/content_copy:", key="view_summary", on_change="rerun"
    )
    if not box.open:
        return
    with box:
        chosen = st.segmented_control(
            "Format", list(FORMATS), format_func=FORMATS.get, default="text", key="view_summary_as"
        )
        summary = summarize(
            view.data.all_sessions,
            view.filters,
            now=view.now,
            tz=view.tz,
            project=view.project_label,
            dashboard_url=settings().get("FJ_DASHBOARD_URL"),
        )
        st.code(
            summary.markdown() if chosen == "markdown" else summary.text(),
            language=None,
            wrap_lines=True,
        )
        st.caption(
            "Use the copy button at the top right of the box. `python -m fj digest` sends the "
            "same summary by email or to Slack on a schedule (see the README)."
        )
