"""Optional passcode for a hosted link: set APP_PASSWORD in secrets to guard every page.

Wrong tries are slowed down: each try waits a short delay that doubles with every wrong
try of this browser session (0.5, 1, 2, ... capped at 8 s), and grows with the wrong tries
of all sessions in the last ten minutes (so opening new sessions does not reset it).
"""

from __future__ import annotations

import hmac
import threading
import time
from collections import deque

import streamlit as st

from ui.source import read_secret

#: The first delay after a wrong try, and the longest any try waits, in seconds.
FIRST_DELAY = 0.5
MAX_DELAY = 8.0
#: Wrong tries of every session in this many seconds count towards everyone's delay.
WINDOW = 600.0
#: Wrong tries in the window that every session tolerates before its tries slow down.
SHARED_FREE_TRIES = 5

_wrong_tries: deque[float] = deque(maxlen=10_000)  # server-wide: monotonic times
_wrong_tries_lock = threading.Lock()
_sleep = time.sleep  # the tests replace it to read the delays


def try_delay(session_wrong: int, recent_wrong: int) -> float:
    """Return the seconds a passcode try waits after ``session_wrong`` wrong tries in this
    session and ``recent_wrong`` in all sessions within the window."""
    own = 0.0 if session_wrong <= 0 else FIRST_DELAY * 2 ** min(session_wrong - 1, 10)
    shared = FIRST_DELAY * max(0, recent_wrong - SHARED_FREE_TRIES) / 2
    return min(MAX_DELAY, max(own, shared))


def _recent_wrong(now: float) -> int:
    with _wrong_tries_lock:
        while _wrong_tries and now - _wrong_tries[0] > WINDOW:
            _wrong_tries.popleft()
        return len(_wrong_tries)


def locked() -> bool:
    """True while APP_PASSWORD is set and this browser session has not typed it."""
    return bool(read_secret("APP_PASSWORD")) and not st.session_state.get("fj_gate_ok")


def require_passcode() -> None:
    """Stop the run with a passcode prompt unless APP_PASSWORD is unset or was entered.

    The URL is left as it is: once the passcode is right, the rerun lands on
    the page and the parameters the link asked for.
    """
    if not locked():
        return
    expected = read_secret("APP_PASSWORD")
    st.title("FJ Sourcing Dashboard")
    with st.form("gate"):
        typed = st.text_input("Passcode", type="password")
        submitted = st.form_submit_button("Open the dashboard")
    if submitted:
        wrong = st.session_state.get("fj_gate_wrong", 0)
        _sleep(try_delay(wrong, _recent_wrong(time.monotonic())))
        # Constant-time comparison: the time taken says nothing about the passcode.
        if hmac.compare_digest(typed.encode(), str(expected).encode()):
            st.session_state["fj_gate_ok"] = True
            st.session_state.pop("fj_gate_wrong", None)
            st.rerun()
        st.session_state["fj_gate_wrong"] = wrong + 1
        with _wrong_tries_lock:
            _wrong_tries.append(time.monotonic())
        st.error("That passcode is not right.")
        st.caption("Each wrong try makes the next one wait a little longer.")
    st.stop()
