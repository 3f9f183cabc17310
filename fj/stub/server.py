"""A local stand-in for the FJ Sourcing API, speaking the same HTTP on loopback.

The live API cannot be reached from our machines, so every HTTP test, the demo
and the benchmarks run against this server instead. It serves the read-only
endpoints with the documented envelope and headers, answers 401/404 like the
real one, replays queued faults (5xx, 429 with Retry-After, slow answers,
malformed bodies, connections reset mid-body) and records every request it
sees, keeping only a fingerprint of the key.

This module is the HTTP server; what it answers is :mod:`fj.stub.answers` (routes,
projects, the drill-down by the demo's rules) and how it misbehaves on purpose is
:mod:`fj.stub.faults`.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import math
import socket
import struct
import sys
import threading
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from fj.stub.answers import (
    BASE_PATH,
    WRITE_ROUTES,
    Project,
    Response,
    drill_down,
    error_body,
    etag_of,
    read_route,
)
from fj.stub.faults import BODY_FAULTS, Fault, apply_fault, with_page

__all__ = [  # what fj.stub.server has always offered
    "BASE_PATH", "BODY_FAULTS", "Fault", "Project", "RequestRecord", "StubServer",
    "error_body", "etag_of", "key_fingerprint", "read_route",
]  # fmt: skip

log = logging.getLogger(__name__)

ADMIN_PATH = "/__stub/"
KEY_HEADER = "x-fj-api-key"
RATE_LIMIT, RATE_WINDOW = 1000, 60  # advertised in the RateLimit-* headers, never enforced

def key_fingerprint(key: str) -> str:
    """Return a short sha256 prefix that tells keys apart without revealing them."""
    return hashlib.sha256(key.encode()).hexdigest()[:12]


@dataclass(frozen=True)
class RequestRecord:
    """One request the stub answered (admin requests excluded); never holds the key."""

    method: str
    path: str  # without the query string
    target: str  # the raw request target, query string included
    key_in_header: bool
    key_fingerprint: str | None
    status: int
    time: float

    @property
    def read_only(self) -> bool:
        """True for a GET to one of the documented read-only endpoints."""
        return self.method == "GET" and read_route(self.path) is not None


class StubServer:
    """The stand-in FJ API on a loopback port; start it, point a client at ``base_url``.

    ``projects`` maps each accepted key to its Project, or to None for a key that is
    valid but has no project (404). Every other key gets 401.
    """

    def __init__(
        self,
        projects: Mapping[str, Project | None],
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        verbose: bool = False,
    ) -> None:
        self._initial = dict(projects)
        self._projects = dict(projects)
        self.verbose = verbose
        self._lock = threading.Lock()
        self._faults: list[list] = []  # [fault, remaining uses], consumed in order
        self._requests: list[RequestRecord] = []
        self._history: list[RequestRecord] = []
        self._rate: dict[str, tuple[int, int]] = {}  # key fingerprint -> (window, count)
        self._httpd = _HTTPServer((host, port), _Handler)
        self._httpd.stub = self
        self._thread: threading.Thread | None = None

    # -- lifecycle --------------------------------------------------------------------
    def start(self) -> StubServer:
        """Serve in a daemon thread; return self."""
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._httpd.serve_forever, name="fj-stub", daemon=True
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the listening socket."""
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join()
            self._thread = None
        self._httpd.server_close()

    def __enter__(self) -> StubServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """Return the server's root URL, e.g. "http://127.0.0.1:8765"."""
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def base_url(self) -> str:
        """Return the API base URL to give a client: ``<url>/api/v1/wl``."""
        return self.url + BASE_PATH

    # -- configuration ----------------------------------------------------------------
    def inject(self, fault: Fault, times: int = 1) -> None:
        """Queue ``fault`` for the next ``times`` requests that match it."""
        if times < 1:
            raise ValueError("times must be >= 1")
        with self._lock:
            self._faults.append([fault, times])

    def clear_faults(self) -> None:
        """Drop every queued fault."""
        with self._lock:
            self._faults.clear()

    def set_project(self, key: str, project: Project | None) -> None:
        """Accept ``key`` from now on, with this project (None: a key without project)."""
        with self._lock:
            self._projects[key] = project

    def clear_requests(self) -> None:
        """Empty the request log (``history`` keeps everything)."""
        with self._lock:
            self._requests.clear()

    def reset(self) -> None:
        """Clear faults and the request log, and restore the keys given at construction."""
        with self._lock:
            self._faults.clear()
            self._requests.clear()
            self._projects = dict(self._initial)

    @property
    def requests(self) -> list[RequestRecord]:
        """Return a copy of the request log, oldest first."""
        with self._lock:
            return list(self._requests)

    @property
    def history(self) -> list[RequestRecord]:
        """Return every request ever answered, oldest first; nothing clears it."""
        with self._lock:
            return list(self._history)

    # -- used by the handler ----------------------------------------------------------
    def _take_fault(self, path: str) -> Fault | None:
        with self._lock:
            for entry in self._faults:
                if entry[0].matches(path):
                    entry[1] -= 1
                    if entry[1] == 0:
                        self._faults.remove(entry)
                    return entry[0]
        return None

    def _record(self, record: RequestRecord) -> None:
        with self._lock:
            self._requests.append(record)
            self._history.append(record)

    def _project(self, key: str) -> tuple[bool, Project | None]:
        with self._lock:
            return key in self._projects, self._projects.get(key)

    def _rate_headers(self, fingerprint: str | None) -> dict[str, str]:
        now = time.time()
        window = int(now // RATE_WINDOW)
        with self._lock:
            seen_window, count = self._rate.get(fingerprint or "", (window, 0))
            count = count + 1 if seen_window == window else 1
            self._rate[fingerprint or ""] = (window, count)
        return {
            "RateLimit-Policy": f"{RATE_LIMIT};w={RATE_WINDOW}",
            "RateLimit-Limit": str(RATE_LIMIT),
            "RateLimit-Remaining": str(max(0, RATE_LIMIT - count)),
            "RateLimit-Reset": str(math.ceil((window + 1) * RATE_WINDOW - now)),
        }

    def _answer(
        self, method: str, path: str, query: str, key: str | None, in_header: bool
    ) -> Response:
        """Return what the real API would answer (before any fault)."""
        route = read_route(path)
        if route is None:
            rest = path[len(BASE_PATH) :] if path.startswith(BASE_PATH + "/") else None
            if rest is not None and any(p.fullmatch(rest) for p in WRITE_ROUTES):
                return Response(405, error_body(405, "The stand-in API is read-only"))
            return Response(404, error_body(404, "Route not found"))
        if method != "GET":
            return Response(405, error_body(405), headers={"Allow": "GET"})
        known, project = self._project(key) if key and in_header else (False, None)
        if not known:
            return Response(401, error_body(401, "Invalid API key"))
        if project is None:
            return Response(404, error_body(404, "No project associated with the API key"))
        name, params = route
        if name == "sessions":
            return Response(200, project.payload(), headers={"ETag": project.etag()})
        return drill_down(project, name, params, parse_qs(query))


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    stub: StubServer

    def handle_error(self, request: object, client_address: object) -> None:
        # A client that gave up (timeout, reset) is normal here: no tracebacks on stderr.
        if isinstance(sys.exc_info()[1], OSError):
            log.debug("client connection error", exc_info=True)
        else:
            log.exception("the stub failed to answer a request")


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "fj-stub/1"
    server: _HTTPServer

    def do_GET(self) -> None:
        self._handle()

    # Every common method is answered (405/404) and recorded, so tests can prove its absence.
    do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = do_GET

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in two writes: without this, Nagle's algorithm and the
        # client's delayed ACK add 40 ms to every keep-alive request.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: object) -> None:
        pass  # quiet: the stub logs method, path and status itself when verbose

    def _handle(self) -> None:
        stub = self.server.stub
        target = self.path
        path, _, query = target.partition("?")
        path = urlsplit(path).path or path
        length = int(self.headers.get("Content-Length") or 0)
        request_body = self.rfile.read(length) if length > 0 else b""
        if path.startswith(ADMIN_PATH):
            self._send(self._admin(path, request_body), head=False)
            return

        key = self.headers.get(KEY_HEADER)
        in_header = key is not None
        if key is None:  # a key in the URL is recorded (to be caught) but never accepted
            key = next((v for vs in parse_qs(query).values() for v in vs if "fjk_" in v), None)
        fingerprint = key_fingerprint(key) if key else None

        fault = stub._take_fault(path)
        if fault is not None and fault.serve_page is not None:  # a server that ignores `page`
            query = with_page(query, fault.serve_page)
        response = stub._answer(self.command, path, query, key, in_header)
        # A fault that breaks the body (a reset, a bad body) replaces the whole answer, so
        # it is never turned into a body-less 304 that would hide it.
        breaks_body = fault is not None and (fault.reset or fault.body is not None)
        if path == BASE_PATH + "/projects/sessions" and response.status == 200 and not breaks_body:
            etag = self.headers.get("If-None-Match")
            if etag and etag == response.headers.get("ETag"):
                response = Response(304, b"", headers={"ETag": etag})
        if fault is not None:
            response = apply_fault(fault, response)
        response.headers |= stub._rate_headers(fingerprint)
        stub._record(
            RequestRecord(self.command, path, target, in_header, fingerprint, response.status,
                          time.time())
        )  # fmt: skip
        if stub.verbose:
            log.info("%s %s %d", self.command, path, response.status)
        if fault is not None and fault.delay > 0:
            time.sleep(fault.delay)
        if fault is not None and fault.reset:
            self._send_and_reset(response)
        else:
            self._send(response, head=self.command == "HEAD")

    def _admin(self, path: str, body: bytes) -> Response:
        stub = self.server.stub
        if path == ADMIN_PATH + "requests" and self.command == "GET":
            records = [dataclasses.asdict(r) for r in stub.requests]
            return Response(200, json.dumps(records).encode())
        if path == ADMIN_PATH + "faults" and self.command == "POST":
            try:
                spec = json.loads(body or b"{}")
                if not isinstance(spec, dict):
                    raise TypeError("a fault is a JSON object")
                times = int(spec.pop("times", 1))
                stub.inject(Fault(**spec), times=times)
            except (ValueError, TypeError) as e:
                return Response(400, error_body(400, f"bad fault: {e}"))
            return Response(200, json.dumps({"queued": times}).encode())
        if path == ADMIN_PATH + "reset" and self.command == "POST":
            stub.reset()
            return Response(200, b'{"reset":true}')
        return Response(404, error_body(404, "Unknown admin endpoint"))

    def _headers(self, response: Response, length: int) -> None:
        self.send_response(response.status)
        headers = {"X-Request-Id": uuid.uuid4().hex, "Content-Type": response.content_type}
        headers |= response.headers
        if "ETag" not in headers:  # the big sessions payload brings its precomputed one
            headers["ETag"] = etag_of(response.body)
        if response.status != 304:
            headers["Content-Length"] = str(length)
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()

    def _send(self, response: Response, head: bool) -> None:
        try:
            self._headers(response, len(response.body))
            if not head and response.status != 304:
                self.wfile.write(response.body)
        except OSError:  # the client went away (e.g. after its read timeout)
            self.close_connection = True

    def _send_and_reset(self, response: Response) -> None:
        self.close_connection = True
        try:
            self._headers(response, len(response.body))
            self.wfile.write(response.body[: len(response.body) // 2])
            # Linger 0: close() sends a TCP RST instead of a FIN.
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
        except OSError:
            pass


