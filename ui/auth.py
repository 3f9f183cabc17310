"""Sign-in with the company's login (``st.login``, OpenID Connect) and who sees which project.

Sign-in is on when secrets have an ``[auth]`` section (Streamlit's own ``st.login``
configuration). Then, on every run, :func:`require_sign_in`:

- signed out: shows the app's name and one "Sign in" button per provider, and stops
  the run (no data is fetched, no project is named, no page is listed);
- signed in: reads the allow-list (``[fj.access]``, see ``fj/access.py``) and keeps this
  person's projects for the sidebar (:func:`restrict`); on no list, a refusal with their
  email and a sign-out, and the run stops;
- a configuration mistake (no allow-list, an ``[auth]`` without its fields) is caught
  before, by ``fj/secrets_check.py`` (its rules include ``fj.access.check_access``):
  one error for everyone, no data (fail closed).

Without ``[auth]``, the passcode gate (``ui/gate.py``) applies as before; with both, the
passcode is ignored and the app says so.

Deep links survive the OpenID Connect round trip: Streamlit's ``/oauth2callback``
always redirects to the app's root, so the signed-out screen keeps the page and query
the browser asked for in a short-lived cookie (``fj_return``, written by the browser,
10 minutes), and the first run after sign-in sends the browser there
(:func:`return_target` checks it is one of this app's pages, never another site).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

import streamlit as st

from fj.access import Grant, access_table, grants_for, normalise_email, read_access
from fj.wording import md_escape
from ui import gate
from ui.source import Source, read_secret, resolve_source, secrets, settings

APP_NAME = "FJ Sourcing Dashboard"
RETURN_COOKIE = "fj_return"
RETURN_COOKIE_SECONDS = 600
#: The setting that lets signed-in people type a key (off by default when sign-in is on).
ALLOW_TYPED_KEY = "FJ_ALLOW_TYPED_KEY"
_VIEWER = "fj_viewer"
_RETURN_DONE = "fj_return_done"
_PROVIDER_FIELDS = ("client_id", "client_secret", "server_metadata_url")
_PAGE_SEGMENT = re.compile(r"[A-Za-z0-9_-]{0,64}")


@dataclass(frozen=True)
class Viewer:
    """The signed-in person: who they are and the projects they may see (with why)."""

    email: str
    name: str
    grants: tuple[Grant, ...]

    @property
    def projects(self) -> tuple[str, ...]:
        return tuple(g.project for g in self.grants)


# -- configuration ------------------------------------------------------------------


def sign_in_configured() -> bool:
    """Return True when secrets have an ``[auth]`` section: sign-in is then required."""
    return read_secret("auth") is not None


def providers(auth: Mapping[str, Any]) -> list[str]:
    """Return the provider names of an ``[auth]`` section, ``"default"`` for a flat one."""
    named = [
        str(name)
        for name, value in auth.items()
        if isinstance(value, Mapping) and any(f in value for f in _PROVIDER_FIELDS)
    ]
    if any(f in auth for f in _PROVIDER_FIELDS):
        named.insert(0, "default")
    return named


def typed_keys_allowed() -> bool:
    """Return True when a key may be typed in the sidebar (always, unless sign-in is on)."""
    if not sign_in_configured():
        return True
    return (settings().get(ALLOW_TYPED_KEY) or "").strip().lower() in ("1", "true", "yes", "on")


# -- the gate ------------------------------------------------------------------------


def locked() -> bool:
    """True while this browser session is kept out: not signed in or on no allow-list (with
    ``[auth]``), else the passcode not typed yet (``ui.gate.locked``)."""
    if not sign_in_configured():
        return gate.locked()
    return not st.user.is_logged_in or not _viewer(secrets()).grants


def require_sign_in(pages: Sequence[Any] = ()) -> None:
    """Stop the run unless this viewer may see data: signed in and on the allow-list.

    ``pages`` are the app's ``st.Page`` list, declared hidden when the run stops here.
    Without ``[auth]`` this is the passcode gate. Call it after
    ``ui.secrets_check.require_valid_secrets()``, which stops every run on a configuration
    mistake (``[auth]`` without its fields or without ``[fj.access]``); even without that,
    a viewer whom no rule names sees nothing.
    """
    secret_values = secrets()
    if not sign_in_configured():
        st.session_state.pop(_VIEWER, None)
        gate.require_passcode()
        return
    if not st.user.is_logged_in:
        st.session_state.pop(_VIEWER, None)
        _sign_in_screen(providers(secret_values["auth"]))
        _stop(pages)

    viewer = _viewer(secret_values)
    if not viewer.grants:
        st.session_state.pop(_VIEWER, None)
        _refusal(viewer)
        _stop(pages)
    st.session_state[_VIEWER] = viewer
    _go_to_deep_link()
    _sidebar_identity(viewer)


def _stop(pages: Sequence[Any]) -> None:
    """End a gated run with no page listed.

    Until some run calls ``st.navigation``, a server with a ``pages/`` folder lists its
    files in the sidebar (Streamlit's legacy multipage mode); a gated run never reaches the
    entry point's call, so it declares the pages here, hidden (the URL's page and query stay
    as the browser asked, for the deep link), and runs none of them.
    """
    if pages:
        st.navigation(list(pages), position="hidden")
    st.stop()


def current_viewer() -> Viewer | None:
    """Return the signed-in viewer of this run (None when sign-in is off)."""
    return st.session_state.get(_VIEWER) if sign_in_configured() else None


def restrict(source: Source) -> Source:
    """Return ``source`` with only the projects this viewer may see (all when sign-in is off).

    A key the viewer typed themselves (allowed by ``FJ_ALLOW_TYPED_KEY``) stays: it is theirs.
    """
    if not sign_in_configured():
        return source
    viewer = current_viewer()
    allowed = set(viewer.projects) if viewer is not None else set()
    kept = tuple(p for p in source.projects if p.kind == "typed" or p.name in allowed)
    return Source(projects=kept, base_url=source.base_url, base_url_origin=source.base_url_origin)


def _viewer(secrets: Mapping[str, Any]) -> Viewer:
    email = normalise_email(st.user.get("email")) or ""
    name = str(st.user.get("name") or email)
    if st.user.get("email_verified") is False:
        return Viewer(email, name, ())  # the provider says the address is not theirs
    rules = read_access(access_table(secrets) or {})
    projects = [p.name for p in resolve_source(None).projects]
    return Viewer(email, name, grants_for(rules, email, projects))


def _provider_label(name: str, several: bool) -> str:
    if not several or name == "default":
        return "Sign in"
    return f"Sign in with {name.replace('-', ' ').title()}"


def _sign_in_screen(names: list[str]) -> None:
    st.title(APP_NAME)
    several = len(names) > 1
    for name in names:
        st.button(
            _provider_label(name, several),
            key=f"sign_in_{name}",
            type="primary",
            on_click=st.login,
            args=(name,),
        )
    if read_secret("APP_PASSWORD"):
        st.caption("Sign-in is on, so the passcode (APP_PASSWORD) is not used.")
    _keep_deep_link()


def _refusal(viewer: Viewer) -> None:
    st.title(APP_NAME)
    who = md_escape(viewer.email) if viewer.email else "an account without an email address"
    st.error(
        f"You are signed in as **{who}**, which may not see any project of this dashboard. "
        "Ask the person who shared the link to add you to its allow-list, or sign out and "
        "sign in with another account.",
        icon=":material/block:",
    )
    st.button("Sign out", key="sign_out_refused", on_click=st.logout)
    _clear_deep_link()


def _sidebar_identity(viewer: Viewer) -> None:
    box = st.sidebar.container()
    label = viewer.name if viewer.name and viewer.name != viewer.email else viewer.email
    box.caption(f":material/account_circle: Signed in as **{md_escape(label)}**")
    if label != viewer.email:
        box.caption(md_escape(viewer.email))
    box.button("Sign out", key="sign_out", icon=":material/logout:", on_click=st.logout)
    if read_secret("APP_PASSWORD"):
        box.caption("The passcode (APP_PASSWORD) is ignored: sign-in is on.")


def access_rows() -> list[dict[str, str]]:
    """The Data page's rows on access: who is signed in, each project they see and why."""
    viewer = current_viewer()
    if viewer is None:
        gated = "a passcode" if read_secret("APP_PASSWORD") else "nothing"
        return [
            {
                "": "Sign-in",
                "Value": f"Off: whoever opens the link (guarded by {gated}) sees every "
                "configured project.",
            }
        ]
    rows = [{"": "Signed in as", "Value": viewer.email}]
    for grant in viewer.grants:
        rule = "an address rule" if grant.kind == "email" else "a domain rule"
        rows.append(
            {
                "": f"May see {grant.project}",
                "Value": f"{grant.rule} ({rule} of [fj.access])",
            }
        )
    return rows


# -- deep links through the round trip ---------------------------------------------


def return_target(cookie: str | None) -> str | None:
    """Return the app-relative address kept in the return cookie, or None when unusable.

    The cookie holds ``<page>?<query>`` as the browser was asked for it (page being the
    last path segment: ``sessions``, or empty for the Overview). Only a page name of
    letters, digits, ``_`` and ``-`` is accepted and the query is re-encoded, so the
    result is always a relative link inside this app: never a scheme, a host or a
    script.
    """
    if not isinstance(cookie, str) or not cookie:
        return None
    value = unquote(cookie)
    if len(value) > 4000:
        return None
    page, _, query = value.partition("?")
    if not _PAGE_SEGMENT.fullmatch(page):
        return None
    pairs = parse_qsl(query, keep_blank_values=False)
    if not page and not pairs:
        return None
    clean = urlencode(pairs)
    return f"./{page}" + (f"?{clean}" if clean else "")


def _keep_deep_link() -> None:
    """Keep the page and query the browser asked for, for after sign-in (browser-side)."""
    st.html(
        "<script>(function () {"
        "var page = window.location.pathname.split('/').pop();"
        "var target = page + window.location.search;"
        f"var cookie = '{RETURN_COOKIE}=' + encodeURIComponent(target) + "
        f"'; Path=/; SameSite=Lax; Max-Age=' + (target ? {RETURN_COOKIE_SECONDS} : 0);"
        "document.cookie = cookie;"
        "})();</script>",
        unsafe_allow_javascript=True,
        width="content",
    )


def _cookie(name: str) -> str | None:
    try:
        value = st.context.cookies.get(name)
    except Exception:  # no browser behind this run (e.g. AppTest)
        return None
    return value if isinstance(value, str) else None


def _clear_deep_link() -> None:
    if _cookie(RETURN_COOKIE):
        st.html(
            f"<script>document.cookie = '{RETURN_COOKIE}=; Path=/; Max-Age=0';</script>",
            unsafe_allow_javascript=True,
            width="content",
        )


def _go_to_deep_link() -> None:
    """On the first run after sign-in, at the app's root: go where the link pointed."""
    if st.session_state.get(_RETURN_DONE):
        return
    st.session_state[_RETURN_DONE] = True
    target = return_target(_cookie(RETURN_COOKIE))
    if target is None:
        return
    _clear_deep_link()
    if len(st.query_params) or not _at_root():
        return  # the viewer opened another link meanwhile: that one wins
    literal = json.dumps(target).replace("</", "<\\/")  # safe inside a script element
    st.html(
        f"<script>window.location.replace({literal});</script>",
        unsafe_allow_javascript=True,
        width="content",
    )
    st.stop()


def _at_root() -> bool:
    """Return True when the browser is at the app's root (where Streamlit lands a sign-in)."""
    path = urlsplit(st.context.url or "").path.strip("/")
    return path == (st.get_option("server.baseUrlPath") or "").strip("/")
