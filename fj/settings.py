"""The settings of the dashboard and the CLI: one table, one reader.

A setting is read from the secrets (a mapping: ``st.secrets`` in the dashboard, the
parsed secrets file in the CLI), then the environment, then its default in
:data:`SETTINGS`. Nothing is read at import time: a :class:`Settings` reads the
secrets and the environment it is given, when it is asked. The rest of ``fj`` takes
its settings as arguments (``FJClient(key, base_url, **settings.client_options())``)
and never reads the environment itself.

The README's Configuration table says the same as :data:`SETTINGS`; a test holds
them together, and ``fj.secrets_check`` takes the known names from here.
"""

from __future__ import annotations

import logging
import math
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from fj.errors import FJError
from fj.frame import DEFAULT_DAYS_AHEAD, DEFAULT_FIRST_YEAR
from fj.paging import DEFAULT_MAX_PAGES
from fj.transport import (
    DEFAULT_BASE_URL,
    DEFAULT_DEADLINE,
    DEFAULT_MAX_BYTES,
    DEFAULT_RETRIES,
    DEFAULT_TIMEOUT,
)

log = logging.getLogger(__name__)

Origin = Literal["secrets", "environment", "default"]
Value = str | int | float | None


@dataclass(frozen=True)
class Setting:
    """One setting: its name, its default and what it does, in words."""

    name: str
    default: Value
    meaning: str


#: Every top-level setting the dashboard or the CLI reads, with its default.
SETTINGS: tuple[Setting, ...] = (
    Setting("FJ_API_KEY", None, "The key of the project to show (else the demo project)."),
    Setting("FJ_API_BASE_URL", DEFAULT_BASE_URL, "The API to call."),
    Setting("APP_PASSWORD", None, "A passcode every viewer types before any page shows."),
    Setting("FJ_ALLOW_TYPED_KEY", None, "With sign-in: allow a key typed in the sidebar."),
    Setting("FJ_CACHE_TTL", 600, "Seconds fetched data is cached for all viewers."),
    Setting("FJ_CACHE_MAX_ENTRIES", 64, "Fetched projects the cache keeps."),
    Setting("FJ_API_TIMEOUT", DEFAULT_TIMEOUT[1], "Read timeout of each API request (s)."),
    Setting("FJ_API_RETRIES", DEFAULT_RETRIES, "Retries of a failed GET, with backoff."),
    Setting("FJ_API_MAX_BYTES", DEFAULT_MAX_BYTES, "The largest answer read (decompressed)."),
    Setting("FJ_API_DEADLINE", DEFAULT_DEADLINE, "The longest one API request may take (s)."),
    Setting(
        "FJ_DATES_FROM_YEAR",
        DEFAULT_FIRST_YEAR,
        "Dates before this year are reported, not charted.",
    ),
    Setting(
        "FJ_DATES_MAX_AHEAD_DAYS", DEFAULT_DAYS_AHEAD, "Dates this many days ahead are reported."
    ),
    Setting(
        "FJ_CANDIDATES_MAX_PAGES", DEFAULT_MAX_PAGES, "Pages of 50 candidates read per session."
    ),
    Setting("FJ_CANDIDATES_MAX_SESSIONS", 100, "Sessions the Candidates page reads."),
    Setting("FJ_CANDIDATES_CACHE_MAX_ENTRIES", 256, "Cached sessions of candidates."),
    Setting("FJ_FAILURE_BACKOFF", 30, "Seconds a failed fetch is remembered."),
    Setting("FJ_HISTORY_URL", None, "Where history is kept (SQLAlchemy URL, or off)."),
    Setting("XDG_DATA_HOME", None, "The folder of the default history file's folder."),
    Setting("FJ_DASHBOARD_URL", None, "The dashboard's address, for links in the summary."),
    Setting("FJ_SMTP_HOST", None, "The SMTP server the summary is sent through."),
    Setting("FJ_SMTP_PORT", 587, "Its port."),
    Setting("FJ_SMTP_USER", None, "Its user name."),
    Setting("FJ_SMTP_PASSWORD", None, "Its password."),
    Setting("FJ_SMTP_STARTTLS", "true", "Whether to use STARTTLS."),
    Setting("FJ_SMTP_FROM", None, "The sender of the summary (default: the user)."),
    Setting("FJ_SLACK_WEBHOOK", None, "The Slack webhook the summary is posted to."),
)
SETTING_BY_NAME: dict[str, Setting] = {s.name: s for s in SETTINGS}

#: Where the CLI looks for the secrets file, first found wins (the dashboard's own place).
SECRETS_FILES = (Path(".streamlit/secrets.toml"), Path.home() / ".streamlit" / "secrets.toml")


def read_secrets_file(paths: tuple[Path, ...] = SECRETS_FILES) -> dict[str, Any]:
    """Return the first secrets file of ``paths``, parsed ({} when there is none)."""
    for path in paths:
        if path.is_file():
            try:
                return tomllib.loads(path.read_text(encoding="utf-8"))
            except (OSError, tomllib.TOMLDecodeError) as exc:
                raise FJError(f"Could not read {path}: {exc}") from None
    return {}


class Settings:
    """Reads settings: the secrets first, then the environment, then the default.

    ``secrets`` is a plain mapping; ``environ`` the environment (``os.environ`` when
    not given, read at each lookup). A value that is empty or only spaces counts as
    not set; values come back as stripped text.
    """

    def __init__(
        self, secrets: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None
    ) -> None:
        self.secrets: Mapping[str, Any] = secrets if secrets is not None else {}
        self._environ = environ

    def lookup(self, name: str) -> tuple[str | None, Origin]:
        """Return (value, where it was set); (None, "default") when it is set nowhere."""
        environ = os.environ if self._environ is None else self._environ
        found = ((self.secrets.get(name), "secrets"), (environ.get(name), "environment"))
        for value, origin in found:
            if value is not None and not isinstance(value, Mapping) and str(value).strip():
                return str(value).strip(), origin  # type: ignore[return-value]
        return None, "default"

    def get(self, name: str, default: Value = None) -> str | None:
        """Return the setting as text: secrets, else environment, else ``default``, else the
        table's default (None when it has none)."""
        value, _ = self.lookup(name)
        if value is not None:
            return value
        if default is None and name in SETTING_BY_NAME:
            default = SETTING_BY_NAME[name].default
        return None if default is None else str(default)

    def number(self, name: str, default: float | None = None, kind: type = int) -> Any:
        """Return a positive number setting, or the default when it is absent, not a number
        (with a warning), 0 or below: a typo in a setting must not stop the dashboard."""
        if default is None:
            default = SETTING_BY_NAME[name].default
        value, _ = self.lookup(name)
        if value is None:
            return kind(default)
        try:
            number = kind(value)
        except ValueError:
            log.warning("The setting %s is not a number: using %s instead", name, default)
            return kind(default)
        return number if math.isfinite(number) and number > 0 else kind(default)

    def client_options(self) -> dict[str, Any]:
        """Return FJClient's timeout, retries, max_bytes and deadline from FJ_API_TIMEOUT,
        FJ_API_RETRIES, FJ_API_MAX_BYTES and FJ_API_DEADLINE.

        FJ_API_TIMEOUT is the read timeout in seconds (at most 600; the connect timeout is
        the smaller of it and fj's default); FJ_API_RETRIES how often a failed GET is tried
        again (0 to 10). A value that is not a number leaves fj's default.
        """
        connect = DEFAULT_TIMEOUT[0]
        read = self.number("FJ_API_TIMEOUT", kind=float)
        if read > 600:
            read = DEFAULT_TIMEOUT[1]
        retries_text = self.get("FJ_API_RETRIES") or ""
        retries = int(retries_text) if retries_text.isdigit() else DEFAULT_RETRIES
        return {
            "timeout": (min(connect, read), read),
            "retries": min(retries, 10),
            "max_bytes": self.number("FJ_API_MAX_BYTES"),
            "deadline": self.number("FJ_API_DEADLINE", kind=float),
        }

    def history_location(self) -> tuple[Mapping[str, Any] | None, str | None, str | None]:
        """Return what places the history database: the ``[connections.fj_history]`` table
        of secrets, FJ_HISTORY_URL and XDG_DATA_HOME (see ``fj.history.url_from_settings``)."""
        connections = self.secrets.get("connections")
        section = connections.get("fj_history") if isinstance(connections, Mapping) else None
        return section, self.get("FJ_HISTORY_URL"), self.get("XDG_DATA_HOME")
