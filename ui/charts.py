"""Drawing a figure of ``fj.charts`` on a page: its title as text above it, then the chart."""

from __future__ import annotations

import re
import weakref
from collections.abc import Callable
from typing import Any, TypeVar

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from fj.wording import md_escape

T = TypeVar("T")
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
    top = fig.layout.margin.t
    fig.layout.title.text = None
    fig.layout.margin.t = _TOP_MARGIN
    try:
        return st.plotly_chart(fig, key=key, **options)
    finally:  # the figure is left as it came: a figure kept by ``reused`` is shown again
        fig.layout.title.text = title or None
        fig.layout.margin.t = top


def reused(name: str, key: tuple, build: Callable[[], T]) -> T:
    """Return ``build()``, or what it returned for the same ``key`` last time in this browser
    session (one value kept per ``name``).

    For the parts of a fragment a control leaves unchanged: "Stack by role" changes one
    chart of the Overview's three, and the fragment's rerun reuses the other two and the
    series behind them instead of building them again. A frame in ``key`` is the same when
    it is the same object (a view's frame is a new one whenever the view changes; it is
    held weakly, so nothing is kept alive for this), anything else when it is ``==``.
    """
    slot = st.session_state.get(_REUSED + name)
    if slot is not None and _same(slot[0], key):
        return slot[1]
    value = build()
    held = tuple(weakref.ref(k) if isinstance(k, pd.DataFrame) else k for k in key)
    st.session_state[_REUSED + name] = (held, value)
    return value


_REUSED = "fj_reused_"


def _same(held: tuple, key: tuple) -> bool:
    if len(held) != len(key):
        return False
    for kept, part in zip(held, key, strict=True):
        if isinstance(kept, weakref.ref):
            if kept() is not part:
                return False
        elif isinstance(part, pd.DataFrame) or not _equal(kept, part):
            return False
    return True


def _equal(a: object, b: object) -> bool:
    try:
        return bool(a == b)
    except (TypeError, ValueError):  # e.g. NaT, arrays: not the same key
        return False
