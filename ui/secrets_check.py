"""Secrets that fail closed: a misshapen secrets file stops every page with one message.

Checked on every run (the first run of a server included), before the passcode
and before any data is loaded. The rules live in :mod:`fj.secrets_check`, which
the CLI applies too; this module only reads ``st.secrets`` and draws.
"""

from __future__ import annotations

import logging

import streamlit as st

from fj.secrets_check import secrets_problems
from fj.wording import md_escape

log = logging.getLogger(__name__)

UNREADABLE = (
    "The secrets file (`.streamlit/secrets.toml`, or the app's Secrets on Community Cloud) "
    "is not valid TOML."
)


def configuration_problems() -> list[str]:
    """Return what is wrong with this server's secrets (empty when fine or when there are none)."""
    try:
        secrets = st.secrets.to_dict()
    except FileNotFoundError as exc:
        # Streamlit raises the same error class for "no secrets file" (normal: CI, a fresh
        # clone, the demo) and for a file it cannot parse (a mistake: fail closed).
        if getattr(exc, "error_id", None) == "no-secrets-found":
            return []
        return [UNREADABLE]
    except Exception:  # any other failure to read them: closed, not open
        return [UNREADABLE]
    return secrets_problems(secrets)


def require_valid_secrets() -> None:
    """Stop the run with one configuration error, shown to every viewer, if secrets are wrong."""
    problems = configuration_problems()
    if not problems:
        return
    log.error("The secrets are misconfigured; serving no data: %s", " | ".join(problems))
    st.title("FJ Sourcing Dashboard")
    st.error(
        "**This dashboard is not configured correctly, so it shows no data.** "
        "Whoever deployed it must fix its secrets:\n\n"
        + "\n".join(f"- {md_escape(p)}" for p in problems),
        icon=":material/lock:",
    )
    st.stop()
