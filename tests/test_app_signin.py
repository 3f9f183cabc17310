"""Sign-in (st.login) under AppTest: who sees which project, the refusal, the configuration errors.

``AppTest.user`` plays the identity provider: ``{"is_logged_in": False}`` is a signed-out
viewer, ``{"is_logged_in": True, "email": ...}`` a signed-in one. Three projects on the
stand-in: "Backend hiring" (300 sessions), "Data team" (50) and "Secret team" (a key the
stand-in answers with 404, so a leak into any view would also show as an error).
The browser round trip against a real OpenID Connect provider is in tests/e2e/.
"""

from __future__ import annotations

import pytest

from fj.stub.server import key_fingerprint
from tests.apptest import kpis, new_app, texts

pytestmark = pytest.mark.usefixtures("dashboard_env")

AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "a-cookie-secret-of-some-length",
    "client_id": "dashboard",
    "client_secret": "client-secret-value",
    "server_metadata_url": "https://login.example.com/.well-known/openid-configuration",
}
ACCESS = {
    "Backend hiring": ["alice@acme.com", "bob@acme.com"],
    "Data team": ["@acme-recruiting.com", "Bob@Acme.com"],
    "Secret team": ["ceo@acme.com"],
}


def plain(markdown: str) -> str:
    """A message without its Markdown escapes."""
    return markdown.replace("\\", "").replace("\u2060", "")


def signed_in(email: str, name: str = "Someone") -> dict:
    return {"is_logged_in": True, "email": email, "name": name}


SIGNED_OUT = {"is_logged_in": False}


@pytest.fixture
def app(stub_server, keys):
    """An AppTest of the dashboard with sign-in on, three projects and the allow-list."""

    def make(user: dict, *, access: dict | None = ACCESS, auth: dict | None = AUTH, **secrets):
        at = new_app()
        at.secrets["FJ_API_BASE_URL"] = stub_server.base_url
        fj = {
            "projects": {
                "Backend hiring": keys["test"],
                "Data team": keys["other"],
                "Secret team": keys["noproject"],
            }
        }
        if access is not None:
            fj["access"] = access
        at.secrets["fj"] = fj
        if auth is not None:
            at.secrets["auth"] = auth
        for name, value in secrets.items():
            at.secrets[name] = value
        at.user = user
        return at

    return make


def fetched_keys(stub_server, keys) -> set[str]:
    """Which of the session's keys the stand-in was asked for."""
    by_print = {key_fingerprint(k): name for name, k in keys.items()}
    return {by_print.get(r.key_fingerprint, "?") for r in stub_server.requests if r.key_fingerprint}


def project_options(at) -> list[str]:
    boxes = [s for s in at.sidebar.selectbox if s.label == "Project"]
    return list(boxes[0].options) if boxes else []


# -- signed out -------------------------------------------------------------------------


def test_signed_out_sees_the_name_and_one_sign_in_button_and_nothing_else(app, stub_server, keys):
    at = app(SIGNED_OUT).run()
    assert not at.exception
    assert [t.value for t in at.title] == ["FJ Sourcing Dashboard"]
    assert [b.label for b in at.button] == ["Sign in"]
    assert len(at.sidebar) == 0
    assert not at.metric and not at.dataframe and not at.selectbox
    shown = texts(at)
    for project in ACCESS:
        assert project not in shown
    assert stub_server.requests == []  # no API request for a signed-out viewer


def test_one_sign_in_button_per_provider(app):
    auth = {
        "redirect_uri": AUTH["redirect_uri"],
        "cookie_secret": AUTH["cookie_secret"],
        "google": {k: AUTH[k] for k in ("client_id", "client_secret", "server_metadata_url")},
        "microsoft": {k: AUTH[k] for k in ("client_id", "client_secret", "server_metadata_url")},
    }
    at = app(SIGNED_OUT, auth=auth).run()
    assert not at.exception
    assert [b.label for b in at.button] == ["Sign in with Google", "Sign in with Microsoft"]


# -- who sees what ----------------------------------------------------------------------


def test_an_address_rule_shows_exactly_that_project(app, stub_server, keys):
    at = app(signed_in("alice@acme.com", "Alice")).run()
    assert not at.exception
    assert kpis(at)["Sessions"] == "300"
    assert project_options(at) == []  # one project: no selector
    assert fetched_keys(stub_server, keys) == {"test"}
    sidebar = " ".join(c.value for c in at.sidebar.caption)
    assert "Signed in as **Alice**" in sidebar
    assert "Sign out" in [b.label for b in at.sidebar.button]


def test_a_domain_rule_admits_every_address_of_the_domain_in_any_case(app, stub_server, keys):
    at = app(signed_in("Carol@ACME-Recruiting.com")).run()
    assert not at.exception
    assert kpis(at)["Sessions"] == "50"
    assert fetched_keys(stub_server, keys) == {"other"}


@pytest.mark.parametrize(
    "email",
    [
        "eve@mail.acme-recruiting.com",  # a subdomain is another domain
        "eve@notacme-recruiting.com",  # a lookalike domain
        "alice@acme.com.evil.example",  # a listed address as a prefix
        "alice@acme.co",
    ],
)
def test_lookalike_addresses_are_refused(app, stub_server, email):
    at = app(signed_in(email)).run()
    assert not at.exception
    assert any("may not see any project" in e.value for e in at.error)
    assert stub_server.requests == []


def test_all_projects_covers_only_the_viewers_projects(app, stub_server, keys):
    at = app(signed_in("bob@acme.com", "Bob")).run()
    assert project_options(at) == ["Backend hiring", "Data team", "All projects"]
    at.sidebar.selectbox(key="fj_project").select("All projects").run()
    assert not at.exception
    assert kpis(at)["Sessions"] == "350"  # 300 + 50, not Secret team's
    assert fetched_keys(stub_server, keys) == {"test", "other"}
    assert "Secret team" not in texts(at)


def test_a_link_naming_another_project_gets_a_notice_not_its_data(app, stub_server, keys):
    at = app(signed_in("bob@acme.com"))
    at.query_params["project"] = "Secret team"
    at.run()
    assert not at.exception
    notices = " ".join(c.value for c in at.sidebar.caption)
    assert "Ignored project" in notices and "Secret team" in notices
    assert kpis(at)["Sessions"] == "300"  # the first of Bob's projects
    assert "noproject" not in fetched_keys(stub_server, keys)


def test_a_link_naming_another_project_with_one_project_gets_a_notice(app, stub_server, keys):
    at = app(signed_in("alice@acme.com"))
    at.query_params["project"] = "Data team"
    at.run()
    assert not at.exception
    assert "Ignored project" in " ".join(c.value for c in at.sidebar.caption)
    assert fetched_keys(stub_server, keys) == {"test"}


def test_an_email_on_no_list_is_refused_with_the_email_and_a_sign_out(app, stub_server):
    at = app(signed_in("mallory@example.com")).run()
    assert not at.exception
    assert len(at.error) == 1
    assert "mallory@" in at.error[0].value and "may not see any project" in at.error[0].value
    assert [b.label for b in at.button] == ["Sign out"]
    assert len(at.sidebar) == 0 and not at.metric
    assert stub_server.requests == []


def test_an_unverified_email_is_refused(app, stub_server):
    at = app(signed_in("alice@acme.com") | {"email_verified": False}).run()
    assert any("may not see any project" in e.value for e in at.error)
    assert stub_server.requests == []


def test_sign_out_ends_the_session(app):
    at = app(signed_in("alice@acme.com")).run()
    at.sidebar.button(key="sign_out").click().run()
    assert at.user.get("is_logged_in") is False
    at.run()
    assert [b.label for b in at.button] == ["Sign in"]
    assert not at.metric


def test_the_data_page_says_which_projects_and_which_rule_never_a_key(app, keys):
    at = app(signed_in("bob@acme.com")).run()
    at.switch_page("pages/data.py").run()
    assert not at.exception
    access = at.table[1].value if len(at.table) > 1 else None
    assert access is not None
    rows = dict(zip(access.iloc[:, 0], access.iloc[:, 1], strict=True))
    assert rows["Signed in as"] == "bob@acme.com"
    assert rows["May see Backend hiring"].startswith("bob@acme.com (an address rule")
    assert rows["May see Data team"].startswith("bob@acme.com (an address rule")
    assert "May see Secret team" not in rows
    shown = texts(at)
    for key in keys.values():
        assert key not in shown


def test_the_data_page_names_the_domain_rule(app):
    at = app(signed_in("dana@acme-recruiting.com")).run()
    at.switch_page("pages/data.py").run()
    rows = dict(zip(at.table[1].value.iloc[:, 0], at.table[1].value.iloc[:, 1], strict=True))
    assert rows["May see Data team"].startswith("@acme-recruiting.com (a domain rule")


# -- configuration ----------------------------------------------------------------------


def test_auth_without_an_allow_list_is_a_configuration_error_and_serves_no_data(app, stub_server):
    for user in (SIGNED_OUT, signed_in("alice@acme.com")):
        at = app(user, access=None).run()
        assert not at.exception
        assert len(at.error) == 1 and "no allow-list" in plain(at.error[0].value)
        assert not at.button and not at.metric and len(at.sidebar) == 0
    assert stub_server.requests == []


def test_an_allow_list_without_auth_is_a_configuration_error(app, stub_server):
    at = app(SIGNED_OUT, auth=None).run()
    assert any("sign-in is off" in plain(e.value) for e in at.error)
    assert not at.metric
    assert stub_server.requests == []


def test_a_malformed_allow_list_entry_is_named_without_its_value(app, stub_server):
    at = app(signed_in("alice@acme.com"), access={"Backend hiring": ["alice at acme"]}).run()
    assert len(at.error) == 1
    assert "entry 1 of" in plain(at.error[0].value)
    assert "alice at acme" not in plain(at.error[0].value)
    assert stub_server.requests == []


def test_auth_missing_its_fields_is_a_configuration_error(app):
    at = app(SIGNED_OUT, auth={"client_id": "x"}).run()
    assert not at.exception
    message = plain(at.error[0].value)
    assert "redirect_uri" in message and "cookie_secret" in message and "client_secret" in message
    assert not at.button


def test_typed_keys_are_off_when_sign_in_is_on(stub_server, keys):
    at = new_app()
    at.secrets["FJ_API_BASE_URL"] = stub_server.base_url
    at.secrets["auth"] = AUTH
    at.secrets["fj"] = {"access": {"Demo project": ["alice@acme.com"]}}
    at.user = signed_in("alice@acme.com")
    at.session_state["fj_typed_key"] = keys["test"]
    at.run()
    assert not at.exception
    assert not [e for e in at.sidebar.expander if e.label == "Connect your project"]
    assert any("Demo data" in i.value for i in at.info)  # the typed key was not used
    assert stub_server.requests == []


def test_a_setting_allows_typed_keys_with_sign_in(stub_server, keys):
    at = new_app()
    at.secrets["FJ_API_BASE_URL"] = stub_server.base_url
    at.secrets["FJ_ALLOW_TYPED_KEY"] = "true"
    at.secrets["auth"] = AUTH
    at.secrets["fj"] = {"access": {"Demo project": ["alice@acme.com"]}}
    at.user = signed_in("alice@acme.com")
    at.session_state["fj_typed_key"] = keys["other"]
    at.run()
    assert not at.exception
    assert [e for e in at.sidebar.expander if e.label == "Connect your project"]
    assert kpis(at)["Sessions"] == "50"


def test_the_passcode_is_ignored_with_a_notice_when_sign_in_is_on(app):
    at = app(SIGNED_OUT, APP_PASSWORD="shared-passcode").run()
    assert not at.text_input  # no passcode prompt
    assert any("passcode" in c.value for c in at.caption)
    at = app(signed_in("alice@acme.com"), APP_PASSWORD="shared-passcode").run()
    assert not at.exception and kpis(at)["Sessions"] == "300"
    assert any("passcode" in c.value and "ignored" in c.value for c in at.sidebar.caption)


def test_without_auth_the_passcode_gate_still_applies(stub_server, keys):
    at = new_app()
    at.secrets["FJ_API_KEY"] = keys["test"]
    at.secrets["FJ_API_BASE_URL"] = stub_server.base_url
    at.secrets["APP_PASSWORD"] = "shared-passcode"
    at.run()
    assert [t.label for t in at.text_input] == ["Passcode"]
    assert not at.metric
