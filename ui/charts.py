"""Drawing a figure of ``fj.charts`` on a page: its title as text above it, then the chart."""

from __future__ import annotations

import re
from typing import Any

import plotly.graph_objects as go
import streamlit as st

from ui.text import md_escape

_TAGS = re.compile(r"<[^>]+>")
#: Room above the plot for Streamlit's chart toolbar, which shows on hover.
_TOP_MARGIN = 32


def show(fig: go.Figure, *, key: str, **options: Any) -> Any:
    """Draw ``fig`` with ``st.plotly_chart``, its title moved above it as text; return the event.

    A title inside the figure is cut on a phone and covered by the chart's
    toolbar; as text it wraps and stays readable. The first line of the
    title is bold, a second line (after ``<br>``) a caption. ``options`` go
    to ``st.plotly_chart`` (``on_select``, ``selection_mode``...).
    """
    title = fig.layout.title.text or ""
    head, _, sub = title.partition("<br>")
    if head:
        st.markdown(f"**{md_escape(_TAGS.sub('', head))}**")
    if sub:
        st.caption(md_escape(_TAGS.sub("", sub)))
    fig.layout.title.text = None
    fig.layout.margin.t = _TOP_MARGIN
    return st.plotly_chart(fig, key=key, **options)
