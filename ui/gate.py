"""Optional passcode for a hosted link: set APP_PASSWORD in secrets to guard every page."""

from __future__ import annotations

import hmac

import streamlit as st

from ui.source import read_secret


def require_passcode() -> None:
    """Stop the run with a passcode prompt unless APP_PASSWORD is unset or was entered."""
    expected = read_secret("APP_PASSWORD")
    if not expected or st.session_state.get("fj_gate_ok"):
        return
    st.title("FJ Sourcing Dashboard")
    with st.form("gate"):
        typed = st.text_input("Passcode", type="password")
        submitted = st.form_submit_button("Open the dashboard")
    if submitted:
        # Constant-time comparison: the time taken says nothing about the passcode.
        if hmac.compare_digest(typed.encode(), str(expected).encode()):
            st.session_state["fj_gate_ok"] = True
            st.rerun()
        st.error("That passcode is not right.")
    st.stop()
