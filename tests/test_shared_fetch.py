"""A slow API for one key: its next viewers wait at most the deadline, and fetch only once."""

from __future__ import annotations

import threading
import time

import pytest

from fj import UnavailableError
from tests.hostile import HostileServer
from ui.loader import fetch_shared
from ui.source import ConfiguredProject

KEY = "fjk_shared_fetch_0e4c2b7a9d"
DEADLINE = 2


@pytest.mark.timeout(120)
def test_second_viewer_shares_the_first_fetch_and_its_deadline(dashboard_env):
    dashboard_env.setenv("FJ_API_DEADLINE", str(DEADLINE))
    server = HostileServer().start()
    try:
        base_url = server.base_url("drip")  # one byte every 0.2 s: never done in time
        project = ConfiguredProject("Project", "env", KEY)
        outcomes: dict[str, object] = {}

        def viewer(name: str) -> None:
            started = time.monotonic()
            try:
                fetch_shared(project, base_url)
            except Exception as exc:  # noqa: BLE001 - the outcome is what the test checks
                outcomes[name] = exc
            outcomes[name + " seconds"] = time.monotonic() - started

        first = threading.Thread(target=viewer, args=("first",))
        first.start()
        while not server.requests:  # the first fetch is under way
            time.sleep(0.05)
        second = threading.Thread(target=viewer, args=("second",))
        second.start()
        first.join(60)
        second.join(60)
    finally:
        server.stop()
    assert isinstance(outcomes["first"], UnavailableError)
    assert isinstance(outcomes["second"], UnavailableError)
    assert "took longer than" in str(outcomes["second"])  # the first fetch's own error
    # One request in all: the second viewer did not queue behind the first to fetch again
    # (which, behind a slow API, is twice the deadline).
    assert len(server.requests) == 1
    print({k: v for k, v in outcomes.items() if k.endswith("seconds")})
