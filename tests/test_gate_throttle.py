"""The passcode: wrong tries are slowed down per browser session and across all of them."""

from __future__ import annotations

import pytest

from tests.apptest import kpis, new_app
from ui import gate

PASSCODE = "correct horse battery staple"


@pytest.fixture
def delays(monkeypatch):
    """The delays the gate waited, in order (without waiting them)."""
    waited: list[float] = []
    monkeypatch.setattr(gate, "_sleep", waited.append)
    monkeypatch.setattr(gate, "_wrong_tries", type(gate._wrong_tries)(maxlen=10_000))
    return waited


def gated_app():
    at = new_app()
    at.secrets["APP_PASSWORD"] = PASSCODE
    return at.run()


def attempt(at, passcode: str) -> None:
    at.text_input[0].input(passcode)
    at.button[0].click().run()


def test_delay_grows_with_this_sessions_wrong_tries_and_is_capped():
    assert gate.try_delay(0, 0) == 0
    own = [gate.try_delay(n, 0) for n in range(1, 9)]
    assert own == [0.5, 1, 2, 4, 8, 8, 8, 8]
    assert gate.try_delay(0, gate.SHARED_FREE_TRIES) == 0  # a few typos anywhere: no wait
    shared = [gate.try_delay(0, gate.SHARED_FREE_TRIES + n) for n in (1, 4, 1000)]
    assert shared == [0.25, 1.0, gate.MAX_DELAY]


def test_wrong_tries_wait_longer_and_longer(dashboard_env, delays):
    at = gated_app()
    for _ in range(4):
        attempt(at, "wrong")
        assert any("not right" in e.value for e in at.error)
    assert delays == [0, 0.5, 1, 2]
    attempt(at, PASSCODE)  # the right one still opens, after the same wait
    assert delays[-1] == 4
    assert kpis(at)["Sessions"]


def test_a_new_session_does_not_reset_the_shared_delay(dashboard_env, delays):
    for _ in range(3):  # an attacker opening fresh sessions, one wrong try each
        attempt(gated_app(), "wrong")
        attempt(gated_app(), "wrong")
    assert delays[:5] == [0] * 5  # five wrong tries anywhere are forgiven
    fresh = gated_app()
    attempt(fresh, "wrong")
    assert delays[-1] > 0  # a brand-new session waits for what the others did
