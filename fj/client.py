"""FJClient: a small read-only client for the FJ Sourcing API.

One ``requests.Session`` with urllib3's ``Retry`` mounted through an
``HTTPAdapter``; the key travels only in the ``x-fj-api-key`` header; every
failure becomes one exception of :mod:`fj.errors` whose message says what
happened and what to do, and never contains the key.

The client has no method for the endpoints that spend credits (create,
update, fetch-more, reveal contact): a dashboard is read-only.
"""

from __future__ import annotations

import json
import logging
import os
import time
from typing import Any
from urllib.parse import quote, urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import ReadTimeoutError
from urllib3.util.retry import Retry

from fj import errors
from fj.version import __version__

log = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://prod.api.futurejobs.ai/api/v1/wl"
#: Seconds to wait for a connection, and for each read of the response.
DEFAULT_TIMEOUT: tuple[float, float] = (5.0, 30.0)
DEFAULT_RETRIES = 3
#: The longest a server's Retry-After is honoured per attempt, in seconds, so a
#: page never hangs for minutes; the value asked for is still reported.
MAX_RETRY_AFTER = 10.0
USER_AGENT = f"fj-sourcing-dashboard/{__version__} (+python-requests/{requests.__version__})"

RETRY_STATUSES = (429, 500, 502, 503, 504)


def mask_key(key: str | None) -> str:
    """Return the key as it may be shown or logged: ``fjk_…`` and at most its last 4."""
    if not key:
        return "(no key)"
    return "fjk_…" + (key[-4:] if len(key) >= 12 else "")


class _RetriedTimeout(Exception):
    """Internal: read timeouts that exhausted the retries."""


class _CappedRetry(Retry):
    """urllib3 Retry that honours Retry-After up to ``MAX_RETRY_AFTER`` seconds."""

    max_retry_after = MAX_RETRY_AFTER

    def new(self, **kw: Any) -> _CappedRetry:
        # urllib3 makes a new Retry per attempt: carry the cap over.
        retry = super().new(**kw)
        retry.max_retry_after = self.max_retry_after
        return retry

    def get_retry_after(self, response: Any) -> float | None:
        seconds = super().get_retry_after(response)
        if seconds is None:
            return None
        return min(seconds, self.max_retry_after)


class FJClient:
    """Read-only client for one FJ API key (one project)."""

    def __init__(
        self,
        api_key: str,
        base_url: str | None = None,
        timeout: float | tuple[float, float] = DEFAULT_TIMEOUT,
        retries: int = DEFAULT_RETRIES,
        *,
        backoff: float = 0.5,
        max_retry_after: float = MAX_RETRY_AFTER,
    ) -> None:
        if not api_key or not api_key.strip():
            raise errors.AuthError("No FJ API key was given: set FJ_API_KEY.")
        if not all("!" <= c <= "~" for c in api_key.strip()):
            # Such a key cannot travel in a header: http.client and requests would fail
            # with errors that quote the whole header value, i.e. the key.
            raise errors.AuthError(
                "The FJ API key contains a space, a line break or a character that is not "
                "plain ASCII (often picked up when copying it): paste it again, or check "
                "FJ_API_KEY."
            )
        self._key = api_key.strip()
        self.base_url = _clean_base_url(
            base_url or os.environ.get("FJ_API_BASE_URL") or DEFAULT_BASE_URL
        )
        self.timeout = timeout if isinstance(timeout, tuple) else (timeout, timeout)
        self.retries = retries
        retry = _CappedRetry(
            total=retries,
            connect=retries,
            read=min(retries, 1),  # a read that timed out once rarely succeeds on the next try
            status=retries,
            other=0,
            allowed_methods=frozenset({"GET"}),
            status_forcelist=RETRY_STATUSES,
            backoff_factor=backoff,
            backoff_jitter=backoff / 2,
            respect_retry_after_header=True,
            raise_on_status=False,  # the last response is mapped to an fj error below
        )
        retry.max_retry_after = max_retry_after
        self._session = requests.Session()
        adapter = HTTPAdapter(max_retries=retry)
        self._session.mount("http://", adapter)
        self._session.mount("https://", adapter)
        self._session.headers.update(
            {
                "x-fj-api-key": self._key,
                "User-Agent": USER_AGENT,
                "Accept": "application/json",
            }
        )

    def __repr__(self) -> str:
        return f"FJClient(base_url={self.base_url!r}, key={mask_key(self._key)!r})"

    @property
    def masked_key(self) -> str:
        """The key as it may be shown: ``fjk_…`` plus its last 4 characters."""
        return mask_key(self._key)

    def close(self) -> None:
        """Close the underlying HTTP connections."""
        self._session.close()

    def __enter__(self) -> FJClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the read-only endpoints ---------------------------------------------

    def get_project_sessions_bytes(self) -> bytes:
        """Return the raw body of ``GET /projects/sessions`` (for the fast frame parser)."""
        return self._get("/projects/sessions", what="the project's sessions").content

    def get_project_sessions(self) -> list[dict[str, Any]]:
        """Return the project's session records, as the API sends them."""
        return unwrap_envelope(_json(self.get_project_sessions_bytes()), expect=list)

    def load_sessions(self):  # -> fj.frame.LoadedSessions
        """Return the project's sessions as a typed frame with its data-quality report."""
        return self._parse_sessions(self._get("/projects/sessions", what="the project's sessions"))

    def load_sessions_if_changed(self, etag: str | None):  # -> (LoadedSessions | None, str | None)
        """Return (sessions, ETag), asking with ``If-None-Match: etag``.

        Sessions are None when the API answered ``304 Not Modified``: nothing was
        downloaded or parsed, and the caller's copy for ``etag`` is still current.
        """
        headers = {"If-None-Match": etag} if etag else None
        response = self._get("/projects/sessions", what="the project's sessions", headers=headers)
        new_etag = response.headers.get("ETag") or None
        if response.status_code == 304:
            return None, new_etag or etag
        return self._parse_sessions(response), new_etag

    def _parse_sessions(self, response: requests.Response):
        from fj.frame import load_sessions

        try:
            return load_sessions(response.content)
        except errors.BadResponseError as err:
            _json(response.content)  # not JSON at all: say so in the client's words
            raise errors.BadResponseError(
                f"{err.message} The FJ API may be failing or may have changed: try again "
                "later, and tell FJ support if it keeps happening.",
                request_id=_request_id(response),
            ) from None

    def sessions_frame(self):  # -> pd.DataFrame
        """Return the project's sessions as the typed DataFrame of :mod:`fj.schema`."""
        return self.load_sessions().frame

    def get_session(self, session_id: str) -> dict[str, Any]:
        """Return one session's details (``data.session``: title, ``profileMatchingStatus``)."""
        body = self._get(
            f"/sourcing-session/{quote(session_id, safe='')}", what=f"session {session_id}"
        )
        data = unwrap_envelope(_json(body.content), expect=dict)
        session = data.get("session")
        if not isinstance(session, dict):
            raise errors.BadResponseError(
                "The FJ API's session details had no 'session' object.",
                request_id=_request_id(body),
            )
        return session

    def get_session_profiles(self, session_id: str, page: int = 1, limit: int = 20) -> dict:
        """Return one page of a session's candidates (``docs``, ``totalDocs``, ``hasNextPage``)."""
        body = self._get(
            f"/sourcing-session/{quote(session_id, safe='')}/profiles",
            params={"page": page, "limit": limit},
            what=f"candidates of session {session_id}",
        )
        return unwrap_envelope(_json(body.content), expect=dict)

    def get_candidate_details(self, candidate_id: str, session_id: str) -> dict[str, Any]:
        """Return one candidate's full details within a session."""
        body = self._get(
            f"/sourcing-session/candidate/{quote(candidate_id, safe='')}/details",
            params={"sessionId": session_id},
            what=f"candidate {candidate_id}",
        )
        return unwrap_envelope(_json(body.content), expect=dict)

    # -- transport -------------------------------------------------------------

    def _get(
        self,
        path: str,
        *,
        what: str,
        params: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> requests.Response:
        url = self.base_url + path
        host = urlsplit(self.base_url).netloc
        started = time.perf_counter()
        try:
            try:
                response = self._session.get(
                    url, params=params, headers=headers, timeout=self.timeout
                )
                content = response.content  # read the body here so a reset mid-body is caught
            except requests.exceptions.ConnectionError as exc:
                # When Retry runs out on read timeouts, requests raises ConnectionError
                # wrapping MaxRetryError(ReadTimeoutError): still a timeout to the user.
                if isinstance(getattr(exc.args[0] if exc.args else None, "reason", None),
                              ReadTimeoutError):
                    raise _RetriedTimeout() from exc
                raise
        except (requests.exceptions.Timeout, _RetriedTimeout) as exc:
            raise errors.UnavailableError(
                f"The FJ API at {host} did not answer in time while loading {what} "
                f"(timeout after {self.timeout[1]:g} s): it may be overloaded; "
                "try again in a minute."
            ) from exc
        except (
            requests.exceptions.ChunkedEncodingError,
            requests.exceptions.ContentDecodingError,
        ) as exc:
            raise errors.UnavailableError(
                f"The connection to the FJ API at {host} broke while receiving {what}: "
                "try again in a minute."
            ) from exc
        except requests.exceptions.ConnectionError as exc:
            raise errors.UnavailableError(
                f"Could not connect to the FJ API at {host} to load {what} "
                "(connection refused or reset): check FJ_API_BASE_URL and your network, "
                "or try again later."
            ) from exc
        except requests.exceptions.RequestException as exc:
            raise errors.UnavailableError(
                f"The request to the FJ API at {host} for {what} failed "
                f"({type(exc).__name__}): try again later."
            ) from exc
        elapsed = time.perf_counter() - started
        request_id = _request_id(response)
        log.info(
            "GET %s -> %s in %.2fs, %d bytes (key %s, request id %s)",
            path,
            response.status_code,
            elapsed,
            len(content),
            mask_key(self._key),
            request_id or "-",
        )
        if response.status_code >= 400:
            raise _status_error(response.status_code, what, request_id, response, self.retries)
        return response


def unwrap_envelope(obj: Any, *, expect: type) -> Any:
    """Return the ``data`` of a success envelope, or raise BadResponseError saying why not."""
    if not isinstance(obj, dict):
        raise errors.BadResponseError(
            f"The FJ API's answer was a JSON {type(obj).__name__}, not the documented envelope "
            "object: the API may have changed; try again later or contact FJ support."
        )
    status = obj.get("status")
    if status != "SUCCESS":
        raise errors.BadResponseError(
            f"The FJ API did not report success (status was {status!r}, message "
            f"{str(obj.get('message', ''))[:200]!r}): try again later."
        )
    if "data" not in obj:
        raise errors.BadResponseError(
            "The FJ API's answer had no 'data' field: the API may have changed; try again later."
        )
    data = obj["data"]
    if not isinstance(data, expect):
        found = "null" if data is None else type(data).__name__
        raise errors.BadResponseError(
            f"The FJ API's 'data' was a {found}, expected a "
            f"{'list' if expect is list else 'object'}: the API may have changed."
        )
    return data


def _json(content: bytes) -> Any:
    try:
        return json.loads(content)
    except (UnicodeDecodeError, ValueError):
        start = content[:60].decode("utf-8", "replace").strip()
        kind = "an HTML page" if start.lower().startswith(("<!doctype", "<html")) else "not JSON"
        raise errors.BadResponseError(
            f"The FJ API's answer was {kind} (it starts {start[:30]!r}), or it was cut short: "
            "try again later."
        ) from None


def _status_error(
    status: int, what: str, request_id: str | None, response: requests.Response, retries: int
) -> errors.FJError:
    retry_after = _retry_after(response)
    if status == 401:
        return errors.AuthError(
            "The FJ API rejected the key (401): check FJ_API_KEY "
            "(in .streamlit/secrets.toml, the environment, or the sidebar).",
            status=status,
            request_id=request_id,
        )
    if status == 403:
        return errors.AuthError(
            f"The FJ API refused this key access to {what} (403): check that FJ_API_KEY "
            "belongs to this project's workspace.",
            status=status,
            request_id=request_id,
        )
    if status == 404:
        subject = (
            "No project is associated with this key"
            if what == "the project's sessions"
            else f"The FJ API found no {what} for this key"
        )
        return errors.NotFoundError(
            f"{subject} (404): check that FJ_API_KEY is the key of the project you want.",
            status=status,
            request_id=request_id,
        )
    if status == 429:
        wait = f"; the API asked to wait {retry_after:g} s" if retry_after else ""
        return errors.RateLimitError(
            f"The FJ API is rate limiting requests (429) after {retries} retries{wait}: "
            "wait a minute, then refresh.",
            status=status,
            request_id=request_id,
            retry_after=retry_after,
        )
    if status >= 500:
        return errors.ServerError(
            f"The FJ API is failing (HTTP {status}) while loading {what}, even after "
            f"{retries} retries: try again in a few minutes.",
            status=status,
            request_id=request_id,
            retry_after=retry_after,
        )
    return errors.FJError(
        f"The FJ API answered HTTP {status} while loading {what}: check FJ_API_BASE_URL.",
        status=status,
        request_id=request_id,
    )


def _request_id(response: requests.Response) -> str | None:
    value = response.headers.get("X-Request-Id")
    return value[:100] if value else None


def _retry_after(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None  # an HTTP date: reported without a figure


def _clean_base_url(url: str) -> str:
    url = url.strip().rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise errors.FJError(
            f"FJ_API_BASE_URL must be an http(s) URL such as {DEFAULT_BASE_URL}, "
            f"got {url[:80]!r}."
        )
    return url

