"""What a host or a deployer could get wrong, in a real browser.

- A host forcing ``client.showErrorDetails=full`` (Community Cloud sets it itself): a page
  that raises sends no stack trace and no file path over the websocket, because
  dashboard.py pins the option. The exception comes from a test-only launcher that
  replaces ``fj.metrics.kpis`` before Streamlit starts; nothing in the app can raise it.
- A misplaced ``APP_PASSWORD`` (below ``[fj.projects]``) in a real secrets file: every
  viewer gets the configuration error, no passcode box and no data.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, expect

from fj.stub import Project, StubServer
from tests.e2e.conftest import ARTIFACTS, STARTUP_SECONDS
from tests.servers import ROOT, StreamlitServer, clean_env, free_port, running_streamlit

pytestmark = pytest.mark.browser

MARK = "boom-7f3e9a"  # the unexpected exception's message
LAUNCH = textwrap.dedent(
    f"""
    import sys
    import fj.metrics
    def kpis(*args, **kwargs):
        raise RuntimeError("{MARK} in " + __file__ + " " + sys.prefix)
    fj.metrics.kpis = kpis  # test only: the Overview's first call now raises
    from streamlit.web.cli import main
    sys.argv = ["streamlit", "run", *sys.argv[1:]]
    main()
    """
)


@pytest.fixture(scope="module")
def raising_app(tmp_path_factory) -> Iterator[StreamlitServer]:
    """The dashboard on the demo project, forced to full error details, whose Overview raises."""
    secrets = tmp_path_factory.mktemp("raise") / "secrets.toml"
    secrets.write_text("# none\n")
    log = ARTIFACTS / "logs" / "raising.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    port = free_port()
    args = [
        sys.executable, "-c", LAUNCH, "dashboard.py",
        "--server.port", str(port), "--server.address", "127.0.0.1",
        "--server.headless", "true", "--server.fileWatcherType", "none",
        "--secrets.files", str(secrets),
        "--client.showErrorDetails", "full",  # what a host could force
    ]  # fmt: skip
    with log.open("wb") as out:
        process = subprocess.Popen(
            args, cwd=ROOT, env=clean_env(), stdin=subprocess.DEVNULL, stdout=out,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
    server = StreamlitServer(f"http://127.0.0.1:{port}/", process, log)
    try:
        yield server.wait_healthy(STARTUP_SECONDS)
    finally:
        server.stop()


@pytest.mark.timeout(300)
def test_an_unexpected_exception_sends_no_stack_trace_even_if_the_host_forces_it(
    chromium: Browser, raising_app
):
    context = chromium.new_context(viewport={"width": 1400, "height": 1400})
    page = context.new_page()
    frames: list[bytes] = []
    page.on(
        "websocket",
        lambda ws: ws.on(
            "framereceived", lambda data: frames.append(data if isinstance(data, bytes)
                                                         else data.encode())
        ),
    )
    try:
        page.goto(raising_app.url)
        expect(page.get_by_test_id("stException")).to_be_visible(timeout=60_000)
        expect(page.get_by_test_id("stApp")).to_have_attribute(
            "data-test-script-state", "notRunning", timeout=60_000
        )
        shown = page.get_by_test_id("stMain").inner_text()
    finally:
        context.close()
    sent = b"".join(frames)
    assert sent, "no websocket frames were seen"
    assert MARK.encode() not in sent and MARK not in shown  # not even the message
    for leak in (b"Traceback", b'File "', b"line ", sys.prefix.encode(), b"site-packages",
                 b"fj/metrics", b"overview.py"):
        assert leak not in sent, leak
    # Streamlit's session-start message always names the main script; no other path is
    # sent. A fresh server's first run is rerun once out of legacy pages mode
    # (ui.state.leave_legacy_pages_mode), so up to two session-start messages.
    entry = str(ROOT / "dashboard.py").encode()
    assert sent.count(str(ROOT).encode()) == sent.count(entry) <= 2
    assert "Traceback" not in shown and str(ROOT) not in shown


@pytest.mark.timeout(300)
def test_misplaced_app_password_gives_every_viewer_the_configuration_error(
    chromium: Browser, tmp_path
):
    key = "fjk_e2e_misplaced_3c8b1f0a6d"
    stub = StubServer({key: Project(n=20, seed=3)}).start()
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(
        f'FJ_API_BASE_URL = "{stub.base_url}"\n\n[fj.projects]\n"Backend" = "{key}"\n'
        'APP_PASSWORD = "a-long-shared-passphrase"\n'
    )
    try:
        with running_streamlit(
            "dashboard.py", env=clean_env(), secrets=secrets, timeout=STARTUP_SECONDS,
            log=ARTIFACTS / "logs" / "misplaced.log",
        ) as app:  # fmt: skip
            for path in ("", "sessions", "data"):
                context = chromium.new_context()
                page = context.new_page()
                page.goto(app.url + path)
                error = page.get_by_test_id("stAlertContentError")
                expect(error).to_contain_text("not configured correctly", timeout=60_000)
                expect(error).to_contain_text("APP_PASSWORD")
                text = page.get_by_test_id("stMain").inner_text()
                assert "a-long-shared-passphrase" not in text and key not in text
                expect(page.get_by_test_id("stTextInput")).to_have_count(0)  # no passcode box
                expect(page.get_by_test_id("stDataFrame")).to_have_count(0)
                expect(page.get_by_test_id("stMetric")).to_have_count(0)
                context.close()
    finally:
        stub.stop()
    assert stub.history == []  # no data was fetched for anyone
