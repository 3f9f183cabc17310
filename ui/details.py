"""The detail panel of one session, as the Sessions page shows it for a selected row."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from fj.filters import FACETS
from fj.tables import readable_time
from fj.wording import md_escape

_FIELDS = ("Session ID", "Created", "Updated", "Sourcing time (min)", "Profiles")
_PARSED = (*(facet.title for facet in FACETS), "Years asked")
_TIMES = ("Created", "Updated")


def session_details(row: pd.Series) -> None:
    """Draw one row of the sessions table in full: title, times, parsed fields, JD text."""
    with st.container(border=True):
        st.subheader("Session details")
        title = row.get("Title")
        # API text is drawn with st.text: never read as Markdown or HTML.
        st.text(title if isinstance(title, str) else "(no title)")
        left, right = st.columns(2)
        for column, names in ((left, _FIELDS), (right, _PARSED)):
            with column:
                for name in names:
                    value = row.get(name)
                    if name in _TIMES:
                        shown = readable_time(value)  # in the zone the table's times are in
                    else:
                        shown = "–" if value is None or pd.isna(value) else str(value)
                    st.markdown(f"**{name}:** {md_escape(shown)}")
        st.markdown("**Job description**")
        jd = row.get("JD text")
        st.text(jd if isinstance(jd, str) else "(no JD text)")
