"""FJClient: a small read-only client for the FJ Sourcing API.

The endpoints the dashboard reads, over :class:`fj.transport.Transport` (one
``requests.Session``, urllib3's ``Retry``, a total deadline, a size cap; the key only in
the ``x-fj-api-key`` header). Every failure is one exception of :mod:`fj.errors` whose
message says what happened and what to do, and never contains the key. Settings come
as arguments (``FJClient(key, base_url, **Settings(...).client_options())``): the
client never reads the environment.

The client has no method for the endpoints that spend credits (create,
update, fetch-more, reveal contact): a dashboard is read-only.
"""

from __future__ import annotations

import json
from typing import Any, Protocol, runtime_checkable
from urllib.parse import quote

from fj import errors
from fj.envelope import envelope_data
from fj.transport import DEFAULT_BASE_URL, Answer, Transport, mask_key

__all__ = ["DEFAULT_BASE_URL", "FJClient", "ReadClient", "mask_key", "path_segment"]

#: Said after a malformed answer: what the viewer can do about it.
MALFORMED_ADVICE = (
    "The FJ API may be failing or may have changed: try again later, and tell FJ support "
    "if it keeps happening."
)


def path_segment(value: str) -> str:
    """Return ``value`` as one URL path segment: every reserved character percent-encoded,
    dots too, so an id such as ``..`` or ``a/../b`` cannot climb out of its endpoint."""
    if not isinstance(value, str) or not value:
        raise errors.BadResponseError(
            "This session or candidate has no id, so the FJ API cannot be asked about it."
        )
    return quote(value, safe="").replace(".", "%2E")


@runtime_checkable
class ReadClient(Protocol):
    """The read methods the dashboard and the CLI call: :class:`FJClient` has them, and
    so has :class:`fj.demo.DemoClient` (the bundled demo project, no network)."""

    key_name: str

    def fetch_sessions(self, *, dates=None): ...  # -> fj.frame.LoadedSessions
    def fetch_sessions_if_changed(self, etag: str | None, *, dates=None): ...
    def get_session(self, session_id: str) -> dict[str, Any]: ...
    def get_session_profiles(self, session_id: str, page: int = 1, limit: int = 20) -> dict: ...
    def get_candidate_details(self, candidate_id: str, session_id: str) -> dict[str, Any]: ...
    def close(self) -> None: ...
    def __enter__(self) -> ReadClient: ...
    def __exit__(self, *exc: object) -> None: ...


class FJClient:
    """Read-only client for one FJ API key (one project)."""

    def __init__(self, api_key: str, base_url: str | None = None, **options: Any) -> None:
        """``base_url``: the API (production's when None). ``options`` are the transport's
        (:class:`fj.transport.Transport`): ``timeout``, ``retries``, ``backoff``,
        ``max_retry_after``, ``max_bytes``, ``deadline``, and ``key_name``, where the key
        was set, in words, for the errors that ask to check it."""
        self._transport = Transport(api_key, base_url, **options)
        self.key_name = self._transport.key_name
        self.base_url = self._transport.base_url

    def __repr__(self) -> str:
        return f"FJClient(base_url={self.base_url!r}, key={self.masked_key!r})"

    @property
    def masked_key(self) -> str:
        """The key as it may be shown: ``fjk_…`` plus its last 4 characters."""
        return self._transport.masked_key

    def close(self) -> None:
        """Close the underlying HTTP connections."""
        self._transport.close()

    def __enter__(self) -> FJClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the read-only endpoints ---------------------------------------------

    def fetch_sessions(self, *, dates=None):  # -> fj.frame.LoadedSessions
        """Fetch the project's sessions: the typed frame with its data-quality report.

        ``dates``: the plausible range of dates (see :func:`fj.frame.plausible_dates`).
        """
        return self._parse_sessions(self._sessions(), dates)

    def fetch_sessions_if_changed(self, etag: str | None, *, dates=None):
        """Return (sessions, ETag), asking with ``If-None-Match: etag``.

        Sessions are None when the API answered ``304 Not Modified``: nothing was
        downloaded or parsed, and the caller's copy for ``etag`` is still current.
        """
        response = self._sessions({"If-None-Match": etag} if etag else None)
        new_etag = response.headers.get("ETag") or None
        if response.status_code == 304:
            return None, new_etag or etag
        return self._parse_sessions(response, dates), new_etag

    def get_session(self, session_id: str) -> dict[str, Any]:
        """Return one session's details (``data.session``: title, ``profileMatchingStatus``)."""
        answer = self._transport.get(
            f"/sourcing-session/{path_segment(session_id)}", what=f"session {session_id}"
        )
        session = _data(answer, dict).get("session")
        if not isinstance(session, dict):
            raise errors.BadResponseError(
                "The FJ API's session details had no 'session' object.",
                request_id=answer.request_id,
            )
        return session

    def get_session_profiles(self, session_id: str, page: int = 1, limit: int = 20) -> dict:
        """Return one page of a session's candidates (``docs``, ``totalDocs``, ``hasNextPage``)."""
        answer = self._transport.get(
            f"/sourcing-session/{path_segment(session_id)}/profiles",
            params={"page": page, "limit": limit},
            what=f"candidates of session {session_id}",
        )
        return _data(answer, dict)

    def get_candidate_details(self, candidate_id: str, session_id: str) -> dict[str, Any]:
        """Return one candidate's full details within a session."""
        answer = self._transport.get(
            f"/sourcing-session/candidate/{path_segment(candidate_id)}/details",
            params={"sessionId": session_id},
            what=f"candidate {candidate_id}",
        )
        return _data(answer, dict)

    def _sessions(self, headers: dict[str, str] | None = None) -> Answer:
        return self._transport.get(
            "/projects/sessions", what="the project's sessions", headers=headers
        )

    def _parse_sessions(self, response: Answer, dates=None):
        from fj.frame import load_sessions

        try:
            return load_sessions(response.content, dates=dates)
        except errors.BadResponseError as err:
            _json(response)  # not JSON at all: say so in the client's words
            raise _malformed(err, response) from None


def _data(answer: Answer, expect: type) -> Any:
    """Return the ``data`` of an answer's envelope; a malformed one is one clear error."""
    envelope = _json(answer)
    try:
        return envelope_data(envelope, expect=expect)
    except errors.BadResponseError as err:
        raise _malformed(err, answer) from None


def _malformed(err: errors.BadResponseError, answer: Answer) -> errors.BadResponseError:
    return errors.BadResponseError(
        f"{err.message} {MALFORMED_ADVICE}", request_id=answer.request_id
    )


def _json(answer: Answer) -> Any:
    content = answer.content
    try:
        return json.loads(content)
    except RecursionError:
        raise errors.BadResponseError(
            "The FJ API's answer is nested thousands of levels deep: it is not what the API "
            "documents; try again later.",
            request_id=answer.request_id,
        ) from None
    except (UnicodeDecodeError, ValueError):
        start = content[:60].decode("utf-8", "replace").strip()
        kind = "an HTML page" if start.lower().startswith(("<!doctype", "<html")) else "not JSON"
        raise errors.BadResponseError(
            f"The FJ API's answer was {kind} (it starts {start[:30]!r}), or it was cut short: "
            "try again later.",
            request_id=answer.request_id,
        ) from None
