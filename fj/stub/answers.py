"""What the stand-in answers: its routes, the project a key sees, and the drill-down.

A session's status, candidates and a candidate's details come from
:class:`fj.demo.ServedSessions`, the rules the demo client answers by too.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
import threading
from dataclasses import dataclass
from http import HTTPStatus

from fj import synthetic
from fj.demo import ServedSessions

BASE_PATH = "/api/v1/wl"

# Read-only endpoints (relative to BASE_PATH), in match order.
READ_ROUTES = (
    ("sessions", re.compile(r"/projects/sessions")),
    ("candidate", re.compile(r"/sourcing-session/candidate/([^/]+)/details")),
    ("profiles", re.compile(r"/sourcing-session/([^/]+)/profiles")),
    ("session", re.compile(r"/sourcing-session/([^/]+)")),
)
# Endpoints that spend the customer's credits: known, never served.
WRITE_ROUTES = (
    re.compile(r"/sourcing-session"),
    re.compile(r"/sourcing-session/update-session/[^/]+"),
    re.compile(r"/sourcing-session/[^/]+/fetch-more"),
    re.compile(r"/sourcing-session/contact/reveal"),
)


def read_route(path: str) -> tuple[str, tuple[str, ...]] | None:
    """Return (endpoint name, path parameters) when ``path`` is a read-only API endpoint."""
    if not path.startswith(BASE_PATH + "/"):
        return None
    rest = path[len(BASE_PATH) :]
    for name, pattern in READ_ROUTES:
        if m := pattern.fullmatch(rest):
            return name, m.groups()
    return None


class Project:
    """The sessions one key sees: explicit records, n synthetic ones, or raw response bytes.

    The payload is rendered once, on first use, and cached (1M sessions are servable).
    """

    def __init__(
        self,
        sessions: list[dict] | None = None,
        n: int | None = None,
        seed: int = 0,
        raw: bytes | None = None,
    ) -> None:
        if sum(x is not None for x in (sessions, n, raw)) != 1:
            raise ValueError("give exactly one of sessions, n or raw")
        self._sessions, self.n, self.seed, self._raw = sessions, n, seed, raw
        self._lock = threading.Lock()
        self._payload: bytes | None = None
        self._etag: str | None = None
        self._served: ServedSessions | None = None

    def __repr__(self) -> str:
        if self.n is not None:
            return f"Project(n={self.n}, seed={self.seed})"
        if self._raw is not None:
            return f"Project(raw=<{len(self._raw)} bytes>)"
        return f"Project(sessions=<{len(self._sessions or [])} records>)"

    def payload(self) -> bytes:
        """Return the ``GET /projects/sessions`` body."""
        with self._lock:
            if self._payload is None:
                if self._raw is not None:
                    self._payload = self._raw
                elif self.n is not None:
                    self._payload = synthetic.synthetic_payload(self.n, self.seed)
                else:
                    self._payload = synthetic.payload_bytes(self._sessions or [])
                self._etag = etag_of(self._payload)
            return self._payload

    def etag(self) -> str:
        """Return the payload's ETag."""
        self.payload()
        assert self._etag is not None
        return self._etag

    def served_sessions(self) -> ServedSessions:
        """Return the rules that answer about this project's sessions (built once)."""
        with self._lock:
            if self._served is None:
                self._served = ServedSessions(self._records())
            return self._served

    def _records(self) -> list:
        if self._sessions is not None:
            return self._sessions
        if self.n is not None:
            return synthetic.generate_sessions(self.n, self.seed)
        try:  # a raw payload may be anything; drill-down works when it happens to be valid
            data = json.loads(self._raw or b"")["data"]
        except (ValueError, TypeError, KeyError):
            return []
        return data if isinstance(data, list) else []


def etag_of(body: bytes) -> str:
    """Return a strong ETag for a response body."""
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def error_body(status: int, message: str | None = None) -> bytes:
    """Return the small JSON error body the stub sends with a non-2xx status."""
    if message is None:
        try:
            message = HTTPStatus(status).phrase
        except ValueError:
            message = "Error"
    body = {"statusCode": status, "message": message, "status": "FAILURE"}
    return json.dumps(body, separators=(",", ":")).encode()


@dataclass
class Response:
    status: int
    body: bytes
    content_type: str = "application/json; charset=utf-8"
    headers: dict[str, str] = dataclasses.field(default_factory=dict)


def drill_down(project: Project, name: str, params: tuple[str, ...], query: dict) -> Response:
    """Answer the session, profiles and candidate-details endpoints."""

    def ok(data: object, message: str) -> Response:
        return Response(200, synthetic.envelope_bytes(data, message))

    if name == "candidate":
        session_ids = query.get("sessionId", [])
        if not session_ids:
            return Response(400, error_body(400, "sessionId is required"))
        session_id, candidate_id = session_ids[0], params[0]
    else:
        session_id = params[0]
    served = project.served_sessions()
    if served.status(session_id) is None:
        return Response(404, error_body(404, "Sourcing session not found"))
    if name == "session":
        session = served.session(session_id)
        return ok({"session": session}, "Sourcing session fetched successfully")
    if name == "candidate":
        details = served.candidate_details(session_id, candidate_id)
        if details is None:
            return Response(404, error_body(404, "Candidate not found"))
        return ok(details, "Candidate details fetched successfully")
    try:
        page = int(query.get("page", ["1"])[0])
        limit = int(query.get("limit", ["20"])[0])
    except ValueError:
        return Response(400, error_body(400, "page and limit must be integers"))
    if page < 1 or not 1 <= limit <= 100:
        return Response(400, error_body(400, "page must be >= 1 and limit between 1 and 100"))
    return ok(served.profiles_page(session_id, page, limit), "Profiles fetched successfully")
