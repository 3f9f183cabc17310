"""Secrets that fail closed: a misshapen secrets file gives one configuration error, no data."""

from __future__ import annotations

import pytest

from fj.__main__ import main
from fj.secrets_check import looks_like_key, secrets_problems
from tests.apptest import new_app, texts

KEY = "fjk_secrets_check_4d2a9b7c1e"
PASSCODE = "correct horse battery staple"

AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "a-long-random-cookie-secret",
    "client_id": "dashboard",
    "client_secret": "s3cret",
    "server_metadata_url": "https://login.example.com/.well-known/openid-configuration",
}


def test_good_secrets_have_no_problem():
    assert secrets_problems({}) == []
    assert secrets_problems({"FJ_API_KEY": KEY, "APP_PASSWORD": PASSCODE}) == []
    assert secrets_problems({"fj": {"projects": {"Backend": KEY, "Data team": KEY + "x"}}}) == []
    access = {"fj": {"access": {"Project": ["alice@acme.com", "@acme.com"]}}}
    assert secrets_problems({"auth": AUTH} | access) == []
    shared = {k: AUTH[k] for k in ("redirect_uri", "cookie_secret")}
    provider = {k: AUTH[k] for k in ("client_id", "client_secret", "server_metadata_url")}
    both = {"auth": shared | {"google": provider, "okta": provider}}
    assert secrets_problems(both | access) == []


def test_misplaced_app_password_inside_projects_is_a_problem():
    # What TOML makes of `APP_PASSWORD = ...` written below `[fj.projects]`.
    problems = secrets_problems({"fj": {"projects": {"Backend": KEY, "APP_PASSWORD": PASSCODE}}})
    assert len(problems) == 1 and "APP_PASSWORD" in problems[0]
    assert PASSCODE not in problems[0]  # a message names settings, never a value


@pytest.mark.parametrize("name", ["FJ_API_BASE_URL", "FJ_CACHE_TTL", "fj_api_timeout"])
def test_any_known_setting_inside_projects_is_a_problem(name):
    problems = secrets_problems({"fj": {"projects": {name: "http://127.0.0.1:1"}}})
    assert problems and name in problems[0]


@pytest.mark.parametrize(
    "value", ["hunter2", "", "fjk_", "fjk_ab cd", "Bearer fjk_1234abcd", 12345, ["fjk_1234"]]
)
def test_project_value_that_is_not_a_key_is_a_problem(value):
    problems = secrets_problems({"fj": {"projects": {"Backend": value}}})
    assert problems and "Backend" in problems[0]
    assert not looks_like_key(value)


def test_wrong_shapes_of_tables_are_problems():
    assert secrets_problems({"fj": "x"})
    assert secrets_problems({"fj": {"projects": "fjk_1234abcd"}})
    assert secrets_problems({"fj": {"projects": {"Backend": {"key": KEY}}}})
    assert secrets_problems({"auth": "yes"})
    assert secrets_problems({"FJ_API_KEY": "my key"})
    assert secrets_problems({"APP_PASSWORD": ""})  # an empty passcode would open the gate


@pytest.mark.parametrize("missing", list(AUTH))
def test_auth_without_a_required_field_is_a_problem(missing):
    auth = {k: v for k, v in AUTH.items() if k != missing}
    problems = secrets_problems({"auth": auth, "fj": {"access": {"Project": ["a@acme.com"]}}})
    assert len(problems) == 1 and missing in problems[0]


def test_named_provider_without_its_fields_is_a_problem():
    shared = {k: AUTH[k] for k in ("redirect_uri", "cookie_secret")}
    problems = secrets_problems({"auth": shared | {"google": {"client_id": "x"}}})
    assert {"client_secret" in p for p in problems} >= {True}
    assert any("[auth.google]" in p and "server_metadata_url" in p for p in problems)
    bad_url = shared | {"okta": {**{k: AUTH[k] for k in ("client_id", "client_secret")},
                                  "server_metadata_url": "file:///etc/passwd"}}
    assert any("not an http(s) URL" in p for p in secrets_problems({"auth": bad_url}))


def test_sign_in_rules_are_among_the_checks():
    access = {"fj": {"access": {"Project": ["alice@acme.com"]}}}
    # [auth] without an allow-list fails closed (fj.access.check_access)
    assert any("no allow-list" in p for p in secrets_problems({"auth": AUTH}))
    wrong = AUTH | {"redirect_uri": "https://app.example.com/callback"}
    assert any("/oauth2callback" in p for p in secrets_problems({"auth": wrong} | access))
    provider = {k: AUTH[k] for k in ("client_id", "client_secret", "server_metadata_url")}
    shared = {k: AUTH[k] for k in ("redirect_uri", "cookie_secret")}
    named = {"auth": shared | {"my_idp": provider}} | access
    assert any("cannot contain `_`" in p for p in secrets_problems(named))


def test_misplaced_app_password_stops_every_page_with_no_data(served, keys):
    at = new_app()
    at.secrets["fj"] = {"projects": {"Backend": keys["test"], "APP_PASSWORD": PASSCODE}}
    at.secrets["FJ_API_BASE_URL"] = served.base_url
    at.run()
    assert not at.exception
    assert len(at.error) == 1 and "not configured correctly" in at.error[0].value
    assert "APP_PASSWORD" in at.error[0].value.replace("\\", "")
    assert not at.metric and not at.dataframe and not at.text_input  # no data, no passcode box
    assert PASSCODE not in texts(at) and keys["test"] not in texts(at)
    assert served.requests == []  # nothing was fetched
    for page in ("pages/sessions.py", "pages/data.py"):
        at.switch_page(page).run()
        assert len(at.error) == 1 and not at.dataframe
    assert served.requests == []


def test_cli_refuses_misshapen_secrets(tmp_path, monkeypatch, capsys):
    (tmp_path / ".streamlit").mkdir()
    (tmp_path / ".streamlit" / "secrets.toml").write_text(
        f'FJ_API_KEY = "{KEY}"\n[fj.projects]\nBackend = "{KEY}"\nAPP_PASSWORD = "{PASSCODE}"\n'
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("FJ_API_KEY", raising=False)
    assert main(["sessions"]) == 1
    err = capsys.readouterr().err
    assert "APP_PASSWORD" in err and PASSCODE not in err
