"""Viewers of one dashboard server: nobody sees another's data or key; many share one fetch.

Two viewers typing different keys run as two AppTest sessions in one process
(Streamlit's caches are process-wide there too). Twenty viewers at once run in
headless Chromium against a real ``streamlit run`` server fed a 100,000-session
project; that test also searches the server's output, every websocket message
and every page's HTML for the key, and samples the server's memory.
"""

from __future__ import annotations

import contextlib
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

from fj import FJClient
from fj.frame import load_sessions
from fj.stub import Project, StubServer
from fj.stub.server import key_fingerprint
from tests.apptest import kpis, new_app, texts
from tests.servers import CHROMIUM, CHROMIUM_ARGS, clean_env, running_streamlit

VIEWERS, CONTEXTS = 20, 4
SESSIONS = 100_000
CROWD_KEY = "fjk_CROWDCHECK_9d4e2b7a10c3f865"
# Twenty pages render at once: about 45 s of CPU in all (browser, server, stand-in), so a
# busy machine takes minutes.
WAIT_MS = 180_000


#: No key from the machine, no data cached by another test (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("dashboard_env")


# -- two viewers, two typed keys --------------------------------------------------------


def type_key(at, key: str):
    """Type a key in the sidebar's "FJ API key" box (under "Connect your project")."""
    box = at.text_input(key="fj_typed_key")
    assert box.label == "FJ API key"
    return box.input(key)


def sessions_fetched(server: StubServer, key: str) -> int:
    fingerprint = key_fingerprint(key)
    return sum(
        r.key_fingerprint == fingerprint and r.path.endswith("/projects/sessions")
        for r in server.requests
    )


def test_two_viewers_typing_different_keys_see_only_their_own(stub_server, keys, monkeypatch):
    monkeypatch.setenv("FJ_API_BASE_URL", stub_server.base_url)
    with FJClient(keys["test"], stub_server.base_url) as client:
        own_a = len(client.fetch_sessions().frame)
    with FJClient(keys["other"], stub_server.base_url) as client:
        own_b = len(client.fetch_sessions().frame)
    assert own_a != own_b
    stub_server.clear_requests()

    a, b = new_app().run(), new_app().run()  # no key configured: both start on the demo
    type_key(a, keys["test"])
    type_key(b, keys["other"])  # both typed before either runs: "at the same time"
    a.run()
    b.run()
    for _ in range(2):  # and again, now served from the process-wide cache
        assert not a.exception and not b.exception
        assert kpis(a)["Sessions"] == f"{own_a:,}"
        assert kpis(b)["Sessions"] == f"{own_b:,}"
        assert keys["other"] not in texts(a) and keys["test"] not in texts(b)
        assert keys["test"] not in texts(a) and keys["other"] not in texts(b)  # not even one's own
        b.run()
        a.run()
    assert sessions_fetched(stub_server, keys["test"]) == 1
    assert sessions_fetched(stub_server, keys["other"]) == 1

    # B's Refresh fetches B's project again, and only B's.
    next(btn for btn in b.sidebar.button if btn.label == "Refresh").click().run()
    a.run()
    assert sessions_fetched(stub_server, keys["other"]) == 2
    assert sessions_fetched(stub_server, keys["test"]) == 1
    assert kpis(a)["Sessions"] == f"{own_a:,}" and kpis(b)["Sessions"] == f"{own_b:,}"

    # Every page of each viewer: the other's key nowhere, the other's data nowhere.
    for page in ("pages/sessions.py", "pages/data.py"):
        for viewer, other_key, own in ((a, keys["other"], own_a), (b, keys["test"], own_b)):
            viewer.switch_page(page).run()
            assert not viewer.exception
            assert other_key not in texts(viewer)
            assert len(viewer.session_state["fj_view"].filtered) == own

    # A third viewer who typed nothing gets the demo, not what the others loaded.
    c = new_app().run()
    assert any("Demo data" in i.value for i in c.info)
    assert kpis(c)["Sessions"] not in (f"{own_a:,}", f"{own_b:,}")


# -- twenty viewers of one server ----------------------------------------------------------


class MemorySampler(threading.Thread):
    """Samples the resident memory of a process and its children until stopped."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.process = psutil.Process(pid)
        self.peak = self.last = 0
        self._done = threading.Event()

    def rss(self) -> int:
        total = 0
        for proc in (self.process, *self.process.children(recursive=True)):
            with contextlib.suppress(psutil.Error):  # a child may exit meanwhile
                total += proc.memory_info().rss
        return total

    def run(self) -> None:
        while not self._done.is_set():
            self.last = self.rss()
            self.peak = max(self.peak, self.last)
            self._done.wait(0.05)

    def stop(self) -> None:
        self._done.set()
        self.join()


def crowd_frame_bytes() -> int:
    """The size of the crowd project's sessions frame in memory."""
    payload = Project(n=SESSIONS, seed=5).payload()
    return int(load_sessions(payload).frame.memory_usage(deep=True).sum())


@pytest.fixture(scope="module")
def crowd_stub() -> Iterator[StubServer]:
    """A stand-in serving CROWD_KEY 100,000 sessions; afterwards, proof it saw only keyed GETs."""
    server = StubServer({CROWD_KEY: Project(n=SESSIONS, seed=5)}).start()
    yield server
    server.stop()
    bad = [
        r
        for r in server.history
        if not r.read_only or not r.key_in_header or "fjk_" in r.target.lower()
    ]
    assert not bad, f"requests that a read-only dashboard must never send: {bad[:5]}"


@pytest.fixture(scope="module")
def crowd_app(crowd_stub, tmp_path_factory) -> Iterator[tuple[str, subprocess.Popen, Path]]:
    """``streamlit run dashboard.py`` on a loopback port with FJ_API_KEY=CROWD_KEY: url, process,
    log of its stdout and stderr (Streamlit's own loggers at debug level)."""
    folder = tmp_path_factory.mktemp("crowd")
    secrets = folder / "secrets.toml"
    secrets.write_text("# no secrets: the key comes from the environment\n")
    env = clean_env(FJ_API_KEY=CROWD_KEY, FJ_API_BASE_URL=crowd_stub.base_url)
    with running_streamlit(
        "dashboard.py",
        env=env,
        log=folder / "server.log",
        secrets=secrets,
        extra_args=["--logger.level", "debug"],
    ) as server:
        yield server.url, server.process, server.log


@pytest.mark.browser
@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium")
def test_twenty_viewers_at_once_share_one_fetch(crowd_stub, crowd_app, record_property):
    from playwright.sync_api import expect, sync_playwright

    url, server, log = crowd_app
    crowd_stub.clear_requests()
    frames: list[bytes] = []

    def keep(payload) -> None:
        frames.append(payload if isinstance(payload, bytes) else payload.encode())

    sampler = MemorySampler(server.pid)
    idle = sampler.rss()
    sampler.start()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        contexts = [browser.new_context() for _ in range(CONTEXTS)]
        pages = []
        for i in range(VIEWERS):
            page = contexts[i % CONTEXTS].new_page()
            page.on("websocket", lambda ws: ws.on("framereceived", keep))
            page.goto(url, wait_until="commit")  # all twenty connect before any has rendered
            pages.append(page)
        try:
            for page in pages:
                values = page.get_by_test_id("stMetric").get_by_test_id("stMetricValue")
                expect(values.first).to_have_text(f"{SESSIONS:,}", timeout=WAIT_MS)
                expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=WAIT_MS)
            shown = [page.content() + page.url for page in pages]
        finally:
            sampler.stop()
            browser.close()
    loaded = sampler.last

    fetched = [r for r in crowd_stub.requests if r.path.endswith("/projects/sessions")]
    assert len(fetched) == 1  # one fetch for twenty viewers (once per TTL)
    assert len(frames) > VIEWERS
    for text in shown:
        assert CROWD_KEY not in text
    assert not any(CROWD_KEY.encode() in frame for frame in frames)
    output = log.read_text("utf-8", "replace")
    assert "Runtime state:" in output  # the server did log at debug level...
    assert CROWD_KEY not in output and CROWD_KEY[4:] not in output  # ...and never the key

    # Each viewer holds its own copy of the frame (st.cache_data hands out copies): memory
    # grows by about two frames per viewer, not more, and nothing else grows with them.
    frame_bytes = crowd_frame_bytes()
    assert (sampler.peak - idle) / VIEWERS < 4 * frame_bytes

    mib = 1 << 20
    record_property("server_rss_idle_mib", round(idle / mib))
    record_property("server_rss_peak_mib", round(sampler.peak / mib))
    record_property("server_rss_after_mib", round(loaded / mib))
    print(
        f"\n{VIEWERS} viewers, {SESSIONS:,} sessions: server RSS idle {idle / mib:.0f} MiB, "
        f"peak {sampler.peak / mib:.0f} MiB, after {loaded / mib:.0f} MiB; "
        f"frame {frame_bytes / mib:.0f} MiB"
    )
