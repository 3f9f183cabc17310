"""Where the data comes from: key and base-URL lookup, in the documented order.

Key: ``st.secrets["FJ_API_KEY"]``, then the environment variable ``FJ_API_KEY``,
then a key typed in the sidebar (kept in that browser session only), else the
bundled demo project. Several projects: a ``[fj.projects]`` table of
``name = "key"`` in secrets. The same order for ``FJ_API_BASE_URL``.

Every setting is read by :mod:`fj.settings` (secrets, then environment, then default):
:func:`settings` is the dashboard's reader. A missing secrets.toml is the normal case
(CI, a fresh clone), not an error.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import urlsplit

import streamlit as st

from fj.client import DEFAULT_BASE_URL, FJClient, ReadClient, mask_key
from fj.demo import DEMO_PROJECT_NAME, DemoClient
from fj.settings import Settings

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
class ConfiguredProject:
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

    projects: tuple[ConfiguredProject, ...]
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


def secrets() -> Mapping[str, Any]:
    """Return ``st.secrets`` as a plain mapping: {} when there is no secrets file (the
    normal case) or it cannot be read (``ui.secrets_check`` stops every page then)."""
    try:
        return st.secrets.to_dict()
    except Exception:  # no file: FileNotFoundError; a malformed one: a parse error
        return {}


def settings() -> Settings:
    """Return the dashboard's settings: ``st.secrets``, then the environment, then the
    defaults of ``fj.settings.SETTINGS``."""
    return Settings(secrets())


def read_secret(name: str, default: Any = None) -> Any:
    """Return the secret ``name`` (a value or a table), or ``default`` when it is absent."""
    return secrets().get(name, default)


def _named_projects(secret_values: Mapping[str, Any]) -> list[ConfiguredProject]:
    table = secret_values.get("fj", {})
    projects = table.get("projects", {}) if isinstance(table, Mapping) else {}
    if not isinstance(projects, Mapping):
        return []
    return [
        ConfiguredProject(name=str(name), kind="projects", key=str(key).strip())
        for name, key in projects.items()
        if isinstance(key, str) and key.strip()
    ]


def resolve_source(typed_key: str | None) -> Source:
    """Return the configured projects, in the documented lookup order."""
    config = settings()
    projects = _named_projects(config.secrets)
    known = {p.key for p in projects}
    key, key_origin = config.lookup("FJ_API_KEY")
    single: ConfiguredProject | None = None
    if key is not None:
        single = ConfiguredProject("Project", "secret" if key_origin == "secrets" else "env", key)
    elif typed_key and typed_key.strip() and not projects:
        single = ConfiguredProject("Project", "typed", typed_key.strip())
    if single is not None and single.key not in known:
        projects.insert(0, single)
    if not projects:
        projects = [ConfiguredProject(DEMO_PROJECT_NAME, "demo")]
    base_url, origin = config.lookup("FJ_API_BASE_URL")
    return Source(
        projects=tuple(projects), base_url=base_url or DEFAULT_BASE_URL, base_url_origin=origin
    )
