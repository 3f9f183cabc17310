"""The exception tree of the fj client: catch ``FJError``, show ``str(e)``.

Each message says what happened and what to do, in words a hiring manager
can act on. No message ever contains the API key: the client builds every
message itself and never echoes request headers.
"""

from __future__ import annotations


class FJError(Exception):
    """Base of every error raised by :mod:`fj`."""

    #: Short name of the problem, for UIs that want a heading.
    title = "FJ API error"

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        request_id: str | None = None,
        retry_after: float | None = None,
    ) -> None:
        self.message = message
        self.status = status
        self.request_id = request_id
        self.retry_after = retry_after
        super().__init__(message)

    def __str__(self) -> str:
        if self.request_id:
            return f"{self.message} (request id {self.request_id})"
        return self.message


class AuthError(FJError):
    """The API rejected the key (401) or refused access with it (403)."""

    title = "API key rejected"


class NotFoundError(FJError):
    """404: no project is tied to the key, or the session is not in its workspace."""

    title = "Not found"


class RateLimitError(FJError):
    """429 still returned after the client's retries."""

    title = "Rate limited"


class ServerError(FJError):
    """A 5xx still returned after the client's retries."""

    title = "FJ API is failing"


class UnavailableError(FJError):
    """The API could not be reached: timeout, refused or reset connection."""

    title = "FJ API unreachable"


class BadResponseError(FJError):
    """A response that is not what the API documents: not JSON, wrong envelope, wrong shape."""

    title = "Unexpected response"


__all__ = [
    "AuthError",
    "BadResponseError",
    "FJError",
    "NotFoundError",
    "RateLimitError",
    "ServerError",
    "UnavailableError",
]
