"""Who may see which project: the allow-list in ``[fj.access]``, read and applied.

With sign-in on (an ``[auth]`` section in secrets), each project is seen only by
the people its allow-list names::

    [fj.access]
    "Backend hiring" = ["alice@acme.com", "@acme-recruiting.com"]
    "Data team" = ["bob@acme.com"]

A project is named as in ``[fj.projects]`` (a single ``FJ_API_KEY``'s project is
called ``"Project"``). A rule is either one email address (that address, in any
letter case) or ``@domain`` (every address at exactly that domain; not its
subdomains, so ``@acme.com`` does not admit ``eve@mail.acme.com`` nor
``eve@notacme.com``). There is no wildcard: anyone can get a Google account, so
"everyone who can sign in" is never a safe rule.

Everything here is pure (no Streamlit): ``ui/auth.py`` reads the secrets and the
signed-in identity and asks :func:`grants_for` what to show.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

RuleKind = Literal["email", "domain"]


@dataclass(frozen=True)
class Grant:
    """One project a person may see, and the allow-list rule that let them in."""

    project: str
    rule: str  # as normalised: "alice@acme.com" or "@acme.com"

    @property
    def kind(self) -> RuleKind:
        return "domain" if self.rule.startswith("@") else "email"

    def describe(self) -> str:
        """Say why, in words: 'your address alice@acme.com' or 'your domain @acme.com'."""
        return f"your {'domain' if self.kind == 'domain' else 'address'} {self.rule}"


def normalise_email(value: object) -> str | None:
    """Return the address in lower case, or None when it is not one plausible address."""
    if not isinstance(value, str):
        return None
    email = value.strip().lower()
    local, at, domain = email.partition("@")
    if not at or not local or not domain or "@" in domain or any(c.isspace() for c in email):
        return None
    if domain.startswith(".") or domain.endswith(".") or ".." in domain:
        return None
    return email


def normalise_rule(value: object) -> str | None:
    """Return the rule normalised (lower case, trimmed), or None when it is not a rule."""
    if not isinstance(value, str):
        return None
    rule = value.strip().lower()
    if rule.startswith("@"):
        return rule if normalise_email("x" + rule) is not None else None
    return normalise_email(rule)


def access_table(secrets: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """Return the ``[fj.access]`` table of these secrets, or None when there is none."""
    fj_table = secrets.get("fj")
    if not isinstance(fj_table, Mapping):
        return None
    table = fj_table.get("access")
    return table if isinstance(table, Mapping) else None


def read_access(table: Mapping[str, Any]) -> dict[str, tuple[str, ...]]:
    """Return project -> its valid rules (invalid entries are left out: see check_access)."""
    rules: dict[str, tuple[str, ...]] = {}
    for project, entries in table.items():
        if isinstance(entries, str):
            entries = [entries]
        if not isinstance(entries, list | tuple):
            continue
        kept = (normalise_rule(entry) for entry in entries)
        rules[str(project)] = tuple(rule for rule in kept if rule is not None)
    return rules


def grants_for(
    rules: Mapping[str, Iterable[str]], email: object, projects: Iterable[str]
) -> tuple[Grant, ...]:
    """Return the projects (of ``projects``, in that order) that ``email`` may see.

    For each project the rule that matched is kept: the address itself if it is
    listed, else its domain. An email that is not one plausible address sees nothing.
    """
    address = normalise_email(email)
    if address is None:
        return ()
    domain = "@" + address.rpartition("@")[2]
    grants = []
    for project in projects:
        listed = set(rules.get(project, ()))
        if address in listed:
            grants.append(Grant(project, address))
        elif domain in listed:
            grants.append(Grant(project, domain))
    return tuple(grants)


def check_access(secrets: Mapping[str, Any]) -> list[str]:
    """``[fj.access]``: present when sign-in is on, each project a list of addresses or
    ``@domains``. Messages name projects and positions, never an address."""
    signing_in = "auth" in secrets
    fj_table = secrets.get("fj")
    present = isinstance(fj_table, Mapping) and "access" in fj_table
    if not present:
        if signing_in:
            return [
                "Sign-in is on (`[auth]`) but there is no allow-list: add an `[fj.access]` "
                'table that names who may see each project, e.g. `"Backend hiring" = '
                '["alice@acme.com", "@acme.com"]`. Until then no data is shown.'
            ]
        return []
    table = fj_table["access"]
    if not isinstance(table, Mapping):
        return ["`[fj.access]` must be a table of project names and lists of people."]
    problems = []
    if not table:
        problems.append("`[fj.access]` is empty: nobody may see any project.")
    if not signing_in:
        problems.append(
            "`[fj.access]` is set but sign-in is off (no `[auth]`): the allow-list "
            "cannot be applied to anyone. Add `[auth]`, or remove `[fj.access]`."
        )
    for project, entries in table.items():
        label = str(project)[:60]
        if isinstance(entries, str):
            entries = [entries]
        if not isinstance(entries, list | tuple):
            problems.append(
                f'`[fj.access]`: `{label}` must be a list, e.g. `["alice@acme.com", "@acme.com"]`.'
            )
            continue
        for i, entry in enumerate(entries, start=1):
            if normalise_rule(entry) is None:
                problems.append(
                    f"`[fj.access]`: entry {i} of `{label}` is neither an email address "
                    "nor `@domain`."
                )
    return problems


def unlisted_projects(rules: Mapping[str, Any], projects: Iterable[str]) -> list[str]:
    """Return the allow-list's project names that no configured project has (typos)."""
    names = set(projects)
    return [project for project in rules if project not in names]
