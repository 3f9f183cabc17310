"""The stand-in's faults: misbehaviours queued to replay on the next matching requests."""

from __future__ import annotations

import json
from dataclasses import dataclass
from urllib.parse import parse_qs, urlencode

from fj import synthetic
from fj.stub.answers import Response, error_body

BODY_FAULTS = frozenset(
    {"truncated", "html", "not_json", "wrong_status", "no_data", "data_not_list", "empty_data",
     "next_page_always", "next_page_never"}
)  # fmt: skip


@dataclass(frozen=True)
class Fault:
    """A misbehaviour to replay on the next matching request(s); see ``StubServer.inject``."""

    status: int | None = None  # answer this status (with a small JSON error body)
    retry_after: str | None = None  # add a Retry-After header
    delay: float = 0.0  # sleep before answering (read timeouts)
    body: str | None = None  # one of BODY_FAULTS
    reset: bool = False  # send the headers and half the body, then reset the connection
    path: str | None = None  # only for requests whose path ends with this
    serve_page: int | None = None  # answer a /profiles request as if this page had been asked

    def __post_init__(self) -> None:
        if self.body is not None and self.body not in BODY_FAULTS:
            raise ValueError(f"unknown body fault {self.body!r}; one of {sorted(BODY_FAULTS)}")

    def matches(self, path: str) -> bool:
        return self.path is None or path.endswith(self.path)


_HTML_PAGE = (
    b"<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head>"
    b"<body><h1>502 Bad Gateway</h1><p>The upstream server is not responding.</p>"
    b"<hr><center>nginx</center></body></html>"
)


def _faulty_body(kind: str, real: bytes) -> tuple[bytes, str]:
    """Return (body, content type) for a body fault, given the real body."""
    envelope = {"statusCode": 200, "message": synthetic.SUCCESS_MESSAGE, "status": "SUCCESS"}
    if kind == "truncated":
        return real[: len(real) // 2], "application/json; charset=utf-8"
    if kind == "html":
        return _HTML_PAGE, "text/html; charset=utf-8"
    if kind == "not_json":
        return b"Internal error: upstream returned an unexpected answer", "text/plain"
    if kind in ("next_page_always", "next_page_never"):
        # A page of /profiles whose hasNextPage lies; every other field stays true.
        try:
            answer = json.loads(real)
        except ValueError:
            return real, "application/json; charset=utf-8"
        data = answer.get("data") if isinstance(answer, dict) else None
        if isinstance(data, dict):
            more = kind == "next_page_always"
            data["hasNextPage"] = more
            data["nextPage"] = int(data.get("page") or 1) + 1 if more else None
        return json.dumps(answer, separators=(",", ":")).encode(), "application/json; charset=utf-8"
    if kind == "wrong_status":
        envelope |= {"data": [], "message": "Could not fetch project sessions", "status": "FAILURE"}
    elif kind == "data_not_list":
        envelope["data"] = {"sessions": []}
    elif kind == "empty_data":
        envelope["data"] = []
    # "no_data": the envelope as is, without data
    return json.dumps(envelope, separators=(",", ":")).encode(), "application/json; charset=utf-8"


def with_page(query: str, page: int) -> str:
    """Return the query string with its ``page`` parameter set to ``page``."""
    pairs = [(k, v) for k, vs in parse_qs(query).items() for v in vs if k != "page"]
    return urlencode([*pairs, ("page", str(page))])


def apply_fault(fault: Fault, response: Response) -> Response:
    """Return the response changed by the fault's status, body and Retry-After."""
    if fault.body is not None:
        body, content_type = _faulty_body(fault.body, response.body)
        response = Response(fault.status or 200, body, content_type)
    elif fault.status is not None:
        response = Response(fault.status, error_body(fault.status))
    if fault.retry_after is not None:
        response.headers["Retry-After"] = fault.retry_after
    return response
