"""The shape of the dashboard's secrets, checked so a mistake fails closed.

In TOML a line written after a table header belongs to that table: an
``APP_PASSWORD`` typed below ``[fj.projects]`` becomes a *project* called
"APP_PASSWORD" (its value sent to the API as a key) and the passcode is gone,
so the dashboard opens to everyone. :func:`secrets_problems` finds such
mistakes; the dashboard then shows one configuration error to every viewer and
serves no data, and the CLI refuses to run.

Every rule is a function ``(secrets) -> list[str]`` in :data:`RULES`; add a
rule there (e.g. for a new section) and both the dashboard and the CLI apply
it. Messages name settings and tables, never a value: values are secrets.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from fj.access import check_access
from fj.settings import SETTING_BY_NAME

#: The top-level settings the dashboard reads (fj.settings.SETTINGS; README, "Configuration").
KNOWN_SETTINGS = frozenset(SETTING_BY_NAME)
#: Names of Streamlit's own tables that are never a project name either.
KNOWN_TABLES = frozenset({"auth", "connections", "fj", "projects"})

#: What an FJ API key looks like: ``fjk_`` then letters, digits, ``_`` or ``-``.
KEY_SHAPE = re.compile(r"fjk_[A-Za-z0-9_\-]{4,200}")

#: ``st.login``'s fields: in ``[auth]`` itself, or per provider in ``[auth.<name>]``.
AUTH_SHARED_FIELDS = ("redirect_uri", "cookie_secret")
AUTH_PROVIDER_FIELDS = ("client_id", "client_secret", "server_metadata_url")

Rule = Callable[[Mapping[str, Any]], list[str]]


def looks_like_key(value: object) -> bool:
    """Return True if ``value`` has the shape of an FJ API key (``fjk_…``)."""
    return isinstance(value, str) and KEY_SHAPE.fullmatch(value.strip()) is not None


def _filled(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


def check_projects(secrets: Mapping[str, Any]) -> list[str]:
    """``[fj.projects]``: a table of ``name = "fjk_…"``, holding no misplaced setting."""
    fj_table = secrets.get("fj")
    if fj_table is None:
        return []
    if not isinstance(fj_table, Mapping):
        return ["`fj` must be a table (`[fj.projects]` and so on), not a single value."]
    if "projects" not in fj_table:
        return []
    projects = fj_table["projects"]
    if not isinstance(projects, Mapping):
        return ["`[fj.projects]` must be a table of project names and keys."]
    problems = []
    for name, value in projects.items():
        label = str(name)[:60]
        if label.upper() in KNOWN_SETTINGS or label.lower() in KNOWN_TABLES:
            problems.append(
                f"`{label}` is inside `[fj.projects]`, so it is read as a project, not as "
                "a setting: move it above the `[fj.projects]` line (a TOML table holds "
                "every line after its header)."
            )
        elif isinstance(value, Mapping):
            problems.append(
                f"`[fj.projects]` has a table `{label}`: each project is one line, "
                '`"Project name" = "fjk_…"`.'
            )
        elif not looks_like_key(value):
            problems.append(
                f"The key of project `{label}` in `[fj.projects]` does not look like an "
                "FJ API key (`fjk_` followed by letters and digits)."
            )
    return problems


def check_top_level(secrets: Mapping[str, Any]) -> list[str]:
    """Top-level settings: a key that looks like one, a passcode that is not empty."""
    problems = []
    if "FJ_API_KEY" in secrets and not looks_like_key(secrets["FJ_API_KEY"]):
        problems.append(
            "`FJ_API_KEY` does not look like an FJ API key (`fjk_` followed by letters and digits)."
        )
    if "APP_PASSWORD" in secrets and not _filled(secrets["APP_PASSWORD"]):
        problems.append(
            "`APP_PASSWORD` is set but empty or not text: give it a passphrase, or remove "
            "the line to run without a passcode."
        )
    return problems


def check_auth(secrets: Mapping[str, Any]) -> list[str]:
    """``[auth]`` for ``st.login``: its shared fields and every provider's fields."""
    if "auth" not in secrets:
        return []
    auth = secrets["auth"]
    if not isinstance(auth, Mapping):
        return ["`auth` must be a table (`[auth]`), not a single value."]
    problems = [
        f"`[auth]` has no `{field}`."
        for field in AUTH_SHARED_FIELDS
        if not _filled(auth.get(field))
    ]
    redirect = auth.get("redirect_uri")
    if _filled(redirect) and not str(redirect).strip().endswith("/oauth2callback"):
        problems.append(
            "`[auth]`'s `redirect_uri` must end with `/oauth2callback` "
            "(e.g. `https://<app>.streamlit.app/oauth2callback`)."
        )
    providers = {str(k): v for k, v in auth.items() if isinstance(v, Mapping)}
    if not providers:
        providers = {"": auth}
    for name, provider in providers.items():
        section = f"[auth.{name}]" if name else "[auth]"
        if "_" in name:
            problems.append(f"`{section}`: a provider's name cannot contain `_` (st.login).")
        problems += [
            f"`{section}` has no `{field}`."
            for field in AUTH_PROVIDER_FIELDS
            if not _filled(provider.get(field))
        ]
        url = provider.get("server_metadata_url")
        if _filled(url) and not str(url).strip().lower().startswith(("https://", "http://")):
            problems.append(f"`{section}`'s `server_metadata_url` is not an http(s) URL.")
    return problems


#: Every rule the secrets must pass, in the order their messages are shown.
RULES: list[Rule] = [check_top_level, check_projects, check_auth, check_access]


def secrets_problems(secrets: Mapping[str, Any]) -> list[str]:
    """Return what is wrong with the shape of these secrets (empty when they are fine)."""
    problems: list[str] = []
    for rule in RULES:
        problems += rule(secrets)
    return problems
