"""Where the data comes from: key and base-URL lookup, in the documented order.

Key: ``st.secrets["FJ_API_KEY"]``, then the environment variable ``FJ_API_KEY``,
then a key typed in the sidebar (kept in that browser session only), else the
bundled demo project. Several projects: a ``[fj.projects]`` table of
``name = "key"`` in secrets. The same order for ``FJ_API_BASE_URL``.

A missing secrets.toml is the normal case (CI, a fresh clone), not an error.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import urlsplit

import streamlit as st

from fj.client import DEFAULT_BASE_URL, FJClient, ReadClient, mask_key
from fj.demo import DEMO_PROJECT_NAME, DemoClient

SourceKind = Literal["demo", "secret", "env", "typed", "projects"]

KIND_LABELS: dict[str, str] = {
    "demo": "Bundled demo project (no key configured)",
    "secret": "Key from Streamlit secrets (FJ_API_KEY)",
    "env": "Key from the environment (FJ_API_KEY)",
    "typed": "Key typed in the sidebar (this browser session only)",
    "projects": "Named project key from Streamlit secrets ([fj.projects])",
}

ALL_PROJECTS = "All projects"


@dataclass(frozen=True)
class Project:
    """One project the dashboard can show: a name and the key that selects it."""

    name: str
    kind: SourceKind
    key: str | None = field(default=None, repr=False)  # never in a repr or a log

    @property
    def masked_key(self) -> str:
        return mask_key(self.key) if self.key else "(none)"

    @property
    def key_name(self) -> str:
        """Where this project's key is set, in words, for errors that ask to check it."""
        if self.kind == "projects":
            return f'the key of "{self.name}" in [fj.projects]'
        if self.kind == "typed":
            return "the key typed under Connect your project"
        return "FJ_API_KEY"

    def client(self, base_url: str, **options: Any) -> ReadClient:
        """Return the client that reads this project: the FJ API's for a key (``options``
        go to FJClient), the bundled demo's for the demo project. The one place the demo
        is told apart from the API for reading."""
        if self.kind == "demo":
            return DemoClient()
        return FJClient(self.key or "", base_url, key_name=self.key_name, **options)


@dataclass(frozen=True)
class Source:
    """The projects configured for this viewer and the API base URL."""

    projects: tuple[Project, ...]
    base_url: str
    base_url_origin: str  # "secrets", "environment" or "default"

    @property
    def is_demo(self) -> bool:
        return self.projects[0].kind == "demo"

    @property
    def base_host(self) -> str:
        return urlsplit(self.base_url).netloc

    @property
    def api_host(self) -> str:
        """The host the data is read from, as the Data page shows it."""
        return "none (bundled file)" if self.is_demo else self.base_host

    @property
    def base_url_setting(self) -> str:
        """Where the base URL was set, as the Data page shows it."""
        return "not used" if self.is_demo else self.base_url_origin

    @property
    def reads_from(self) -> str:
        """Where candidates are read, in words: "the FJ API" or the bundled demo project."""
        return "the bundled demo project (no network, no credits)" if self.is_demo else "the FJ API"


def read_secret(name: str, default: Any = None) -> Any:
    """Return ``st.secrets[name]``, or ``default`` when absent or when there is no secrets file."""
    try:
        return st.secrets[name]
    except (FileNotFoundError, KeyError, AttributeError):
        return default
    except Exception:  # a malformed secrets.toml: treat as absent, the Data page says so
        return default


def setting(name: str, default: str | None = None) -> str | None:
    """Return a setting from secrets, else the environment, else ``default``."""
    value = read_secret(name)
    if value is None or value == "":
        value = os.environ.get(name)
    return default if value is None or value == "" else str(value)


def _named_projects() -> list[Project]:
    table = read_secret("fj", {})
    projects = table.get("projects", {}) if isinstance(table, Mapping) else {}
    if not isinstance(projects, Mapping):
        return []
    return [
        Project(name=str(name), kind="projects", key=str(key).strip())
        for name, key in projects.items()
        if isinstance(key, str) and key.strip()
    ]


def resolve_source(typed_key: str | None) -> Source:
    """Return the configured projects, in the documented lookup order."""
    projects = _named_projects()
    known = {p.key for p in projects}
    secret_key = read_secret("FJ_API_KEY")
    env_key = os.environ.get("FJ_API_KEY")
    single: Project | None = None
    if isinstance(secret_key, str) and secret_key.strip():
        single = Project("Project", "secret", secret_key.strip())
    elif env_key and env_key.strip():
        single = Project("Project", "env", env_key.strip())
    elif typed_key and typed_key.strip() and not projects:
        single = Project("Project", "typed", typed_key.strip())
    if single is not None and single.key not in known:
        projects.insert(0, single)
    if not projects:
        projects = [Project(DEMO_PROJECT_NAME, "demo")]

    secret_url = read_secret("FJ_API_BASE_URL")
    if isinstance(secret_url, str) and secret_url.strip():
        base_url, origin = secret_url.strip(), "secrets"
    elif os.environ.get("FJ_API_BASE_URL", "").strip():
        base_url, origin = os.environ["FJ_API_BASE_URL"].strip(), "environment"
    else:
        base_url, origin = DEFAULT_BASE_URL, "default"
    return Source(projects=tuple(projects), base_url=base_url, base_url_origin=origin)
