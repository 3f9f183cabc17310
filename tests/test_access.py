"""The allow-list (fj/access.py) and the deep-link cookie check (ui.auth.return_target)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fj.access import Grant, check_access, grants_for, normalise_email, read_access
from ui.auth import return_target

RULES = read_access(
    {
        "Backend hiring": ["Alice@Acme.com", "@acme-recruiting.com"],
        "Data team": ["@acme.com"],
        "Secret team": "ceo@acme.com",  # one address without a list is accepted
    }
)
PROJECTS = ["Backend hiring", "Data team", "Secret team"]


def test_an_address_rule_matches_that_address_in_any_case():
    assert grants_for(RULES, "ALICE@acme.COM", ["Backend hiring"]) == (
        Grant("Backend hiring", "alice@acme.com"),
    )


def test_the_address_rule_is_named_before_a_domain_rule_of_the_same_person():
    grants = grants_for(RULES, "alice@acme.com", PROJECTS)
    assert grants == (
        Grant("Backend hiring", "alice@acme.com"),
        Grant("Data team", "@acme.com"),
    )
    assert [g.kind for g in grants] == ["email", "domain"]


def test_a_domain_rule_matches_exactly_that_domain():
    assert [g.project for g in grants_for(RULES, "x@acme-recruiting.com", PROJECTS)] == [
        "Backend hiring"
    ]
    for lookalike in (
        "x@mail.acme-recruiting.com",
        "x@notacme-recruiting.com",
        "x@acme-recruiting.com.evil.example",
        "acme-recruiting.com@evil.example",
    ):
        assert grants_for(RULES, lookalike, ["Backend hiring"]) == ()


def test_projects_follow_the_configured_order_and_only_configured_ones():
    assert [g.project for g in grants_for(RULES, "ceo@acme.com", ["Secret team", "Data team"])] == [
        "Secret team",
        "Data team",
    ]
    assert grants_for(RULES, "ceo@acme.com", ["Unknown"]) == ()


@pytest.mark.parametrize(
    "email", [None, "", "alice", "@acme.com", "alice@", "a@b@acme.com", "a b@acme.com", 42]
)
def test_what_is_not_one_address_sees_nothing(email):
    assert grants_for(RULES, email, PROJECTS) == ()


@given(st.emails())
def test_any_address_outside_the_lists_sees_nothing(email):
    if email.rpartition("@")[2].lower() not in {"acme.com", "acme-recruiting.com"}:
        assert grants_for(RULES, email, PROJECTS) == ()


def test_normalise_email():
    assert normalise_email("  Bob@Example.COM ") == "bob@example.com"
    assert normalise_email("bob@example..com") is None


def test_check_access_requires_a_list_when_sign_in_is_on():
    assert "no allow-list" in check_access({"auth": {}})[0]
    assert check_access({}) == []
    assert check_access({"auth": {}, "fj": {"access": {"P": ["a@b.com"]}}}) == []


def test_check_access_names_bad_entries_without_their_value():
    problems = check_access({"auth": {}, "fj": {"access": {"P": ["a@b.com", "not an address"]}}})
    assert problems == ["`[fj.access]`: entry 2 of `P` is neither an email address nor `@domain`."]
    assert "must be a list" in check_access({"auth": {}, "fj": {"access": {"P": 3}}})[0]
    assert "empty" in check_access({"auth": {}, "fj": {"access": {}}})[0]
    assert "sign-in is off" in check_access({"fj": {"access": {"P": ["a@b.com"]}}})[0]


# -- the deep link kept through the sign-in round trip ---------------------------------


def test_return_target_keeps_page_and_query_relative():
    assert return_target("sessions%3Frole%3DData%2BEngineer%26date%3D30d") == (
        "./sessions?role=Data+Engineer&date=30d"
    )
    assert return_target("?project=Data+team") == "./?project=Data+team"
    assert return_target("data") == "./data"


@pytest.mark.parametrize(
    "value",
    [
        None,
        "",
        "?",  # the root with nothing: no need to move
        "//evil.example/x",
        "https://evil.example/",
        "javascript:alert(1)",
        "..%2F..%2Fsecrets",
        "sessions/../../x",
        "a" * 5000,
    ],
)
def test_return_target_refuses_anything_but_a_page_of_this_app(value):
    assert return_target(value) is None


def test_return_target_re_encodes_the_query():
    target = return_target("sessions?q=</script><script>alert(1)</script>")
    assert target is not None and "<" not in target and ">" not in target
