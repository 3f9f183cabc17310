"""Sign-in end to end: Chromium, the dashboard, and a real OpenID Connect provider on loopback.

The provider is ``oauth2-mock-server`` (npm, pinned in tests/oidc/package.json), started by
``tests/oidc/provider.js``: its ``/authorize`` redirects back at once, and the claims of the
next sign-in are set over HTTP (``POST /test/identity``). Streamlit's own ``st.login`` does
the rest: discovery, the code exchange with PKCE, the ID token's signature, issuer and nonce,
the signed identity cookie.

Two projects on the stand-in API with different sessions, and an allow-list:
"Backend hiring" for alice@acme.com and bob@acme.com, "Data team" for the domain
@datateam.example and bob@acme.com.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
import time
import urllib.request
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from fj.stub import Project, StubServer
from tests.apptest import record
from tests.e2e.conftest import ARTIFACTS, BROWSER_TZ, STARTUP_SECONDS, VIEWPORT, DashboardPage
from tests.servers import ROOT, ServerError, StreamlitServer, clean_env, start_streamlit

pytestmark = [pytest.mark.browser, pytest.mark.timeout(600)]

OIDC_DIR = ROOT / "tests" / "oidc"
COOKIE_SECRET = "e2e-cookie-secret-5b7d0c2a9e41f386"
BACKEND_KEY = "fjk_e2e_backend_3a8f1c0d9b7e"
DATA_KEY = "fjk_e2e_datateam_6e2b9d4a1c0f"
NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)
BACKEND = [
    record(i, title=f"Backend session {i}", role="Backend Engineer", profiles=10 + i,
           created=NOW - dt.timedelta(days=i))
    for i in range(1, 13)
] + [
    record(20 + i, title=f"Backend QA session {i}", role="QA Engineer", profiles=5,
           created=NOW - dt.timedelta(days=i))
    for i in range(1, 4)
]  # fmt: skip
DATA = [
    record(100 + i, title=f"Data team session {i}", role="Data Engineer", profiles=20 + i,
           created=NOW - dt.timedelta(days=i), location="Bengaluru")
    for i in range(1, 8)
]  # fmt: skip
ACCESS = {
    "Backend hiring": ["alice@acme.com", "bob@acme.com"],
    "Data team": ["@datateam.example", "bob@acme.com"],
}
#: Strings that only the projects' data holds: none may reach a signed-out browser.
SECRET_STRINGS = ["Backend session", "Data team session", "Backend hiring", "Data team"]


# -- the provider, the stand-in, the dashboard -----------------------------------------


@pytest.fixture(scope="module")
def oidc() -> Iterator[str]:
    """The OpenID Connect provider's issuer URL (http://127.0.0.1:PORT)."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed: the sign-in browser tests need it (Debian: nodejs)")
    if not (OIDC_DIR / "node_modules" / "oauth2-mock-server").exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=OIDC_DIR, check=True)
    process = subprocess.Popen(
        [node, "provider.js"], cwd=OIDC_DIR, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    line = process.stdout.readline().decode().strip() if process.stdout else ""
    if not line.startswith("READY "):
        process.kill()
        pytest.fail(f"the OIDC provider did not start: {line!r}")
    yield line.split(" ", 1)[1]
    process.terminate()
    process.wait(timeout=10)


def set_identity(issuer: str, **claims) -> None:
    """Make the provider's next sign-ins carry these claims (email, name, ...)."""
    request = urllib.request.Request(
        issuer + "/test/identity",
        data=json.dumps(claims).encode(),
        headers={"content-type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        assert answer.status == 204


@pytest.fixture(scope="module")
def stub() -> Iterator[StubServer]:
    server = StubServer(
        {BACKEND_KEY: Project(sessions=BACKEND), DATA_KEY: Project(sessions=DATA)}
    ).start()
    yield server
    server.stop()


def _toml(value) -> str:
    return json.dumps(value)  # a JSON string or list of strings is valid TOML


@pytest.fixture(scope="module")
def signin_app(oidc, stub, tmp_path_factory) -> Iterator[StreamlitServer]:
    """The dashboard with sign-in on, two projects and the allow-list."""
    secrets = tmp_path_factory.mktemp("signin") / "secrets.toml"
    lines = [
        f"FJ_API_BASE_URL = {_toml(stub.base_url)}",
        "[auth]",
        # Streamlit puts its own port in place of {port}
        'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"',
        f"cookie_secret = {_toml(COOKIE_SECRET)}",
        'client_id = "fj-dashboard"',
        'client_secret = "fj-dashboard-secret"',
        f"server_metadata_url = {_toml(oidc + '/.well-known/openid-configuration')}",
        "[fj.projects]",
        f'"Backend hiring" = {_toml(BACKEND_KEY)}',
        f'"Data team" = {_toml(DATA_KEY)}',
        "[fj.access]",
        *(f"{_toml(project)} = {_toml(people)}" for project, people in ACCESS.items()),
    ]
    secrets.write_text("\n".join(lines) + "\n")
    (ARTIFACTS / "logs").mkdir(parents=True, exist_ok=True)
    app = start_streamlit(
        "dashboard.py",
        env=clean_env(FJ_HISTORY_URL="off"),  # no history database: not what this tests
        log=ARTIFACTS / "logs" / "signin.log",
        secrets=secrets,
    )
    try:
        app.wait_healthy(STARTUP_SECONDS)
    except ServerError as error:
        app.stop()
        pytest.fail(f"dashboard with sign-in: {error}")
    yield app
    app.stop()


# -- the browser -------------------------------------------------------------------------


class Viewer:
    """A fresh browser (own cookies) on the sign-in dashboard, recording what the websocket
    brings it."""

    def __init__(self, browser: Browser, app: StreamlitServer) -> None:
        self.app = app
        self.context = browser.new_context(
            viewport=VIEWPORT, timezone_id=BROWSER_TZ, locale="en-US"
        )
        self.page: Page = self.context.new_page()
        self.frames: list[bytes] = []
        self.page.on("websocket", self._watch)
        self.dash = DashboardPage(self.page, app)

    def _watch(self, ws) -> None:
        def keep(payload):
            self.frames.append(payload if isinstance(payload, bytes) else payload.encode())

        ws.on("framereceived", keep)

    def received(self) -> bytes:
        return b"".join(self.frames)

    def open(self, path: str = "") -> Viewer:
        """Open ``path``; wait until the app is connected and its first run is over."""
        self.page.goto(self.app.url + path)
        app = self.page.get_by_test_id("stApp")
        expect(app).to_have_attribute("data-test-connection-state", "CONNECTED", timeout=SLOW)
        expect(app).to_have_attribute("data-test-script-state", "notRunning", timeout=SLOW)
        return self

    def sign_in(self, issuer: str, email: str, name: str) -> None:
        """Click "Sign in" with the provider set to this identity; wait for the app again."""
        set_identity(issuer, email=email, name=name, email_verified=True)
        self.page.get_by_role("button", name="Sign in").click()
        # /auth/login -> provider /authorize -> /oauth2callback -> the app's root (-> a deep
        # link): wait until a page of the app is back and connected.
        expect(self.page.get_by_text(re.compile(r"Signed in as|may not see"))).to_be_visible(
            timeout=SLOW
        )
        expect(self.page.get_by_test_id("stApp")).to_have_attribute(
            "data-test-script-state", "notRunning", timeout=SLOW
        )

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def viewer(chromium, signin_app, request) -> Iterator[callable]:
    opened: list[Viewer] = []

    def open_() -> Viewer:
        opened.append(Viewer(chromium, signin_app))
        return opened[-1]

    yield open_
    failed = getattr(request.node, "rep_call", None)
    for i, v in enumerate(opened):
        if failed is not None and failed.failed:
            v.page.screenshot(path=ARTIFACTS / f"failed-{request.node.name}-{i}.png")
        v.close()


#: Generous waits: the machines that run these are shared, and a first render after
#: sign-in (a new page load, the charts) can take long there. Never a result, only a wait.
SLOW = 120_000


def expect_sessions(dash: DashboardPage, count: int) -> None:
    """Wait until the Overview's "Sessions" card shows ``count``."""
    label = dash.page.get_by_test_id("stMetricLabel").get_by_text("Sessions", exact=True)
    card = dash.main.get_by_test_id("stMetric").filter(has=label)
    expect(card.get_by_test_id("stMetricValue")).to_have_text(str(count), timeout=SLOW)


# -- the cases ---------------------------------------------------------------------------


def test_signed_out_sees_only_the_sign_in_button_and_no_session_data(viewer, stub):
    stub.clear_requests()
    v = viewer().open("sessions?project=Data+team")
    main = v.dash.main
    expect(main.locator("h1")).to_have_text("FJ Sourcing Dashboard")
    expect(main.get_by_role("button")).to_have_count(1)
    expect(main.get_by_role("button", name="Sign in")).to_be_visible()
    expect(v.page.get_by_test_id("stSidebarNavLink")).to_have_count(0)
    expect(v.page.get_by_test_id("stMetric")).to_have_count(0)
    text = v.page.get_by_test_id("stApp").inner_text()
    received = v.received()
    assert received  # the websocket was watched
    for secret in SECRET_STRINGS:
        assert secret not in text
        assert secret.encode() not in received
    assert stub.requests == []  # no API request for a signed-out viewer
    v.dash.shot("signin-signed-out")


def test_each_person_sees_exactly_their_projects(viewer, oidc, stub):
    alice = viewer().open()
    alice.sign_in(oidc, "alice@acme.com", "Alice Example")
    expect(alice.dash.sidebar.get_by_text("Signed in as")).to_contain_text("Alice Example")
    expect_sessions(alice.dash, len(BACKEND))
    expect(
        alice.dash.sidebar.get_by_test_id("stSelectbox").filter(has_text="Project")
    ).to_have_count(0)
    assert b"Data team session" not in alice.received()
    alice.dash.shot("signin-alice")

    stub.clear_requests()
    bob = viewer().open()
    bob.sign_in(oidc, "bob@acme.com", "Bob Example")
    expect_sessions(bob.dash, len(BACKEND))  # his first project
    project = bob.dash.sidebar.get_by_test_id("stSelectbox").filter(has_text="Project")
    project.click()
    options = bob.page.get_by_role("option").all_inner_texts()
    assert [o.strip() for o in options] == ["Backend hiring", "Data team", "All projects"]
    bob.page.get_by_role("option", name="All projects").click()
    bob.dash.settle()
    expect_sessions(bob.dash, len(BACKEND) + len(DATA))


def test_a_domain_rule_admits_the_domain(viewer, oidc):
    carol = viewer().open()
    carol.sign_in(oidc, "carol@datateam.example", "Carol")
    expect_sessions(carol.dash, len(DATA))
    assert b"Backend session" not in carol.received()


def test_an_email_on_no_list_is_refused(viewer, oidc, stub):
    stub.clear_requests()
    v = viewer().open()
    v.sign_in(oidc, "mallory@example.com", "Mallory")
    alert = v.dash.main.get_by_test_id("stAlert")
    expect(alert).to_contain_text("may not see any project")
    assert "mallory@example.com" in alert.inner_text().replace("\u2060", "")
    expect(v.dash.main.get_by_role("button", name="Sign out")).to_be_visible()
    expect(v.page.get_by_test_id("stMetric")).to_have_count(0)
    for secret in SECRET_STRINGS:
        assert secret.encode() not in v.received()
    assert stub.requests == []
    v.dash.shot("signin-refused")


def test_a_deep_link_lands_where_it_pointed_after_sign_in(viewer, oidc):
    v = viewer().open("sessions?role=QA+Engineer&date=90d")
    v.sign_in(oidc, "alice@acme.com", "Alice Example")
    expect(v.page).to_have_url(re.compile(r"/sessions\?.*role=QA\+Engineer"))
    expect(v.dash.main.locator("h1")).to_have_text("Sessions")
    assert "date=90d" in v.page.url
    v.dash.expect_rows(3)  # the three QA sessions of Backend hiring
    assert v.dash.chosen_roles() == ["QA Engineer"]
    # the return cookie is used once: the root now stays the root
    assert not [c for c in v.context.cookies() if c["name"] == "fj_return"]


def test_sign_out_ends_the_session_and_the_next_load_is_signed_out(viewer, oidc):
    v = viewer().open()
    v.sign_in(oidc, "alice@acme.com", "Alice Example")
    v.dash.sidebar.get_by_role("button", name="Sign out").click(timeout=SLOW)
    expect(v.dash.main.get_by_role("button", name="Sign in")).to_be_visible(timeout=SLOW)
    assert not [c for c in v.context.cookies() if c["name"] == "_streamlit_user"]
    v.open()
    expect(v.dash.main.get_by_role("button", name="Sign in")).to_be_visible()
    expect(v.page.get_by_test_id("stMetric")).to_have_count(0)


def _identity_cookie(secret: str, origin: str, *, age_days: float = 0) -> str:
    """An identity cookie as Streamlit signs it (itsdangerous), signed ``age_days`` ago."""
    from itsdangerous import TimestampSigner, URLSafeTimedSerializer

    class Signer(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(time.time() - age_days * 86400)

    user = {
        "email": "alice@acme.com",
        "name": "Alice Example",
        "origin": origin,  # Streamlit compares it with the websocket's origin
        "is_logged_in": True,
        "provider": "default",
    }
    serializer = URLSafeTimedSerializer(secret, salt="_streamlit_user", signer=Signer)
    return serializer.dumps(json.dumps(user))


@pytest.mark.parametrize(
    ("cookie", "signed_in"),
    [
        ((COOKIE_SECRET, 0), True),  # the control: a cookie as the app signs it works
        (("not-the-app-secret-0123456789", 0), False),  # forged
        ((COOKIE_SECRET, 40), False),  # expired: older than the 30 days (+1) Streamlit keeps
    ],
    ids=["genuine", "forged", "expired"],
)
def test_a_forged_or_expired_identity_cookie_is_signed_out(viewer, signin_app, cookie, signed_in):
    v = viewer()
    secret, age = cookie
    value = _identity_cookie(secret, signin_app.url.rstrip("/"), age_days=age)
    v.context.add_cookies([{"name": "_streamlit_user", "value": value, "url": signin_app.url}])
    v.open()
    if signed_in:
        expect(v.dash.sidebar.get_by_text("Signed in as")).to_be_visible(timeout=SLOW)
        expect_sessions(v.dash, len(BACKEND))
    else:
        expect(v.dash.main.get_by_role("button", name="Sign in")).to_be_visible()
        expect(v.page.get_by_test_id("stMetric")).to_have_count(0)
        for secret_text in SECRET_STRINGS:
            assert secret_text.encode() not in v.received()
