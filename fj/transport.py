"""The FJ API's transport: one HTTP GET, bounded and mapped to one fj error.

One ``requests.Session`` with urllib3's ``Retry`` mounted through an ``HTTPAdapter``
(capped Retry-After, GET only); a total deadline per request enforced by a timer that
shuts the request's sockets; a cap on the body's decompressed size; redirects never
followed. The key travels only in the ``x-fj-api-key`` header, and every failure
becomes one exception of :mod:`fj.errors` whose message says what happened and what
to do, and never contains the key. The endpoints are :mod:`fj.client`'s.
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests
from requests.structures import CaseInsensitiveDict
from requests.utils import requote_uri
from urllib3.exceptions import InvalidHeader, ReadTimeoutError
from urllib3.util.retry import Retry

from fj import errors
from fj.deadline import Deadline, DeadlineAdapter
from fj.version import __version__

log = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://prod.api.futurejobs.ai/api/v1/wl"
#: Seconds to wait for a connection, and for each read of the response.
DEFAULT_TIMEOUT: tuple[float, float] = (5.0, 30.0)
DEFAULT_RETRIES = 3
#: The longest a server's Retry-After is honoured per attempt, in seconds, so a
#: page never hangs for minutes; the value asked for is still reported.
MAX_RETRY_AFTER = 10.0
#: The largest body accepted, counted on the decompressed bytes as they arrive
#: (far above a real project: 1M sessions are about 400 MB).
DEFAULT_MAX_BYTES = 512 * 1024 * 1024
#: The longest one request may take in all (connect, retries, headers, body): the
#: read timeout restarts on every byte, so a slow drip needs a total bound.
DEFAULT_DEADLINE = 120.0
#: Bytes read (after decompression) per step of the body.
CHUNK_BYTES = 256 * 1024
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
        try:
            seconds = super().get_retry_after(response)
        except InvalidHeader:  # "-5", "soon": no figure, so the usual backoff
            return None
        if seconds is None:
            return None
        return min(max(seconds, 0.0), self.max_retry_after, Deadline.remaining_now())

    def get_backoff_time(self) -> float:
        return min(super().get_backoff_time(), Deadline.remaining_now())


class _TooLarge(Exception):
    """Internal: the body passed max_bytes."""


class _TooSlow(Exception):
    """Internal: the deadline passed while the answer was read."""


@dataclass(frozen=True)
class Answer:
    """A response read whole within the client's bounds: status, headers and body."""

    status_code: int
    headers: CaseInsensitiveDict = field(repr=False)
    content: bytes = field(repr=False)

    @property
    def request_id(self) -> str | None:
        """The answer's ``X-Request-Id`` (at most 100 characters), for support."""
        value = self.headers.get("X-Request-Id")
        return value[:100] if value else None


class Transport:
    """GETs of one FJ API key against one base URL, within the timeouts, retries, size
    and deadline it is given (the settings are the caller's: see :mod:`fj.settings`)."""

    def __init__(
        self,
        api_key: str,
        base_url: str | None = None,
        timeout: float | tuple[float, float] = DEFAULT_TIMEOUT,
        retries: int = DEFAULT_RETRIES,
        *,
        backoff: float = 0.5,
        max_retry_after: float = MAX_RETRY_AFTER,
        max_bytes: int = DEFAULT_MAX_BYTES,
        deadline: float = DEFAULT_DEADLINE,
        key_name: str = "FJ_API_KEY",
    ) -> None:
        # Where the key came from, in words, for the errors that ask to check it.
        self.key_name = key_name
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
        self.base_url = _clean_base_url(base_url or DEFAULT_BASE_URL)
        if not max_bytes > 0 or not deadline > 0:
            raise ValueError("max_bytes and deadline must be positive")
        self.max_bytes = int(max_bytes)
        self.deadline = float(deadline)
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
        adapter = DeadlineAdapter(max_retries=retry)
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
        return f"Transport(base_url={self.base_url!r}, key={mask_key(self._key)!r})"

    @property
    def masked_key(self) -> str:
        """The key as it may be shown: ``fjk_…`` plus its last 4 characters."""
        return mask_key(self._key)

    def close(self) -> None:
        """Close the underlying HTTP connections."""
        self._session.close()

    def get(
        self,
        path: str,
        *,
        what: str,
        params: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> Answer:
        url = self.base_url + path
        host = urlsplit(self.base_url).netloc
        started = time.perf_counter()
        # No single wait may outlast the whole request's deadline.
        timeout = (min(self.timeout[0], self.deadline), min(self.timeout[1], self.deadline))
        with Deadline(self.deadline) as deadline:
            try:
                answer = self._fetch(url, params, headers, timeout)
                if deadline.expired:  # headers cut short by the deadline can look complete
                    raise _TooSlow()
            except Exception as exc:
                raise self._transport_error(exc, deadline, host, what) from None
        elapsed = time.perf_counter() - started
        request_id = answer.request_id
        log.info(
            "GET %s -> %s in %.2fs, %d bytes (key %s, request id %s)",
            path,
            answer.status_code,
            elapsed,
            len(answer.content),
            mask_key(self._key),
            request_id or "-",
        )
        if 300 <= answer.status_code < 400 and answer.status_code != 304:  # 304: not modified
            raise self._redirect_error(answer, url, what, request_id)
        if answer.status_code >= 400:
            raise _status_error(
                answer.status_code, what, request_id, answer, self.retries, self.key_name
            )
        return answer

    def _fetch(
        self,
        url: str,
        params: dict[str, Any] | None,
        headers: dict[str, str] | None,
        timeout: tuple,
    ) -> Answer:
        """GET ``url`` without following redirects; read the body within max_bytes."""
        # Redirects are never followed: requests would send our x-fj-api-key header to
        # whatever host a Location names (it strips only Authorization).
        prepared = self._session.prepare_request(
            requests.Request("GET", url, params=params, headers=headers)
        )
        # requests decodes %2E back to "." (an "unreserved" character): put the encoded
        # dots of our path segments back, so an id ".." stays one segment on the wire.
        path = url[len(self.base_url) :]
        if "%2E" in path:
            head, found, tail = prepared.url.partition(requote_uri(path))
            if found:
                prepared.url = head + path + tail
        environment = self._session.merge_environment_settings(prepared.url, {}, True, None, None)
        with self._session.send(
            prepared, timeout=timeout, allow_redirects=False, **environment
        ) as response:
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > self.max_bytes:
                raise _TooLarge()
            body = bytearray()
            # iter_content decompresses as it goes (urllib3 bounds each step's output), so
            # the limit holds for what a gzip bomb would unpack too.
            for chunk in response.iter_content(CHUNK_BYTES):
                body += chunk
                if len(body) > self.max_bytes:
                    del body
                    raise _TooLarge()
            content = bytes(body)
            del body
            return Answer(response.status_code, response.headers, content)

    def _transport_error(
        self, exc: Exception, deadline: Deadline, host: str, what: str
    ) -> errors.FJError:
        """Map a failure of the request or of reading its body to one fj error."""
        if deadline.expired:
            return errors.UnavailableError(
                f"The FJ API at {host} took longer than {self.deadline:g} s in all to send "
                f"{what}, so the dashboard stopped waiting: it may be overloaded; try again "
                "in a minute, or raise FJ_API_DEADLINE."
            )
        if isinstance(exc, _TooLarge):
            return errors.BadResponseError(
                f"The FJ API at {host} sent more than {_size(self.max_bytes)} for {what}, "
                "the most the dashboard accepts, so it stopped reading: the API may be "
                "failing; try again later, or raise FJ_API_MAX_BYTES if the project is "
                "really this large."
            )
        reason = getattr(exc.args[0] if exc.args else None, "reason", None)
        if isinstance(exc, requests.exceptions.Timeout) or (
            # When Retry runs out on read timeouts, requests raises ConnectionError
            # wrapping MaxRetryError(ReadTimeoutError): still a timeout to the user.
            isinstance(exc, requests.exceptions.ConnectionError)
            and isinstance(reason, ReadTimeoutError)
        ):
            return errors.UnavailableError(
                f"The FJ API at {host} did not answer in time while loading {what} "
                f"(timeout after {self.timeout[1]:g} s): it may be overloaded; "
                "try again in a minute."
            )
        if isinstance(
            exc,
            requests.exceptions.ChunkedEncodingError | requests.exceptions.ContentDecodingError,
        ):
            return errors.UnavailableError(
                f"The connection to the FJ API at {host} broke while receiving {what}: "
                "try again in a minute."
            )
        if isinstance(exc, requests.exceptions.ConnectionError):
            return errors.UnavailableError(
                f"Could not connect to the FJ API at {host} to load {what} "
                "(connection refused or reset): check FJ_API_BASE_URL and your network, "
                "or try again later."
            )
        if isinstance(exc, requests.exceptions.RequestException | OSError):
            return errors.UnavailableError(
                f"The request to the FJ API at {host} for {what} failed "
                f"({type(exc).__name__}): try again later."
            )
        raise exc  # a bug of ours, not the network: let it be seen

    def _redirect_error(
        self, answer: Answer, url: str, what: str, request_id: str | None
    ) -> errors.FJError:
        location = answer.headers.get("Location", "")
        try:
            target = urlsplit(urljoin(url, location))
            where = target.hostname or ""
            if target.port:
                where += f":{target.port}"
        except ValueError:
            where = ""
        where = where.replace(self._key, mask_key(self._key))[:100] or "an unreadable address"
        return errors.BadResponseError(
            f"The FJ API answered HTTP {answer.status_code} (a redirect to {where}) while "
            f"loading {what}; the dashboard does not follow redirects, so the key was not "
            "sent there: check FJ_API_BASE_URL (the documented API never redirects).",
            status=answer.status_code,
            request_id=request_id,
        )


def _status_error(
    status: int,
    what: str,
    request_id: str | None,
    response: Answer,
    retries: int,
    key_name: str = "FJ_API_KEY",
) -> errors.FJError:
    retry_after = _retry_after(response)
    if status == 401:
        return errors.AuthError(
            f"The FJ API rejected the key (401): check {key_name}"
            + (
                " (in .streamlit/secrets.toml, the environment, or the sidebar)."
                if key_name == "FJ_API_KEY"
                else "."
            ),
            status=status,
            request_id=request_id,
        )
    if status == 403:
        return errors.AuthError(
            f"The FJ API refused this key access to {what} (403): check that {key_name} "
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
            f"{subject} (404): check that {key_name} is the key of the project you want.",
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


def _retry_after(response: Answer) -> float | None:
    value = response.headers.get("Retry-After")
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        return None  # an HTTP date or garbage: reported without a figure
    return max(0.0, seconds) if math.isfinite(seconds) else None


def _size(n: int) -> str:
    for unit, scale in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= scale:
            return f"{n / scale:g} {unit}"
    return f"{n} bytes"


def _clean_base_url(url: str) -> str:
    url = url.strip().rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise errors.FJError(
            f"FJ_API_BASE_URL must be an http(s) URL such as {DEFAULT_BASE_URL}, got {url[:80]!r}."
        )
    return url
