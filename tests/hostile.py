"""A hostile "FJ API" on loopback: the misbehaviours a hosted dashboard must survive.

Not the stand-in (``fj.stub``, which speaks the documented API): a plain
``ThreadingHTTPServer`` whose first path segment picks a case, so a client's base
URL selects it: ``http://127.0.0.1:PORT/<case>/api/v1/wl``. Cases (``CASES``):

- ``redirect-301`` ... ``redirect-308``: a redirect to the same path on ``other``
  (another port: the "other origin"); ``redirect-localhost-30x``: the same, named
  ``localhost`` instead of ``127.0.0.1``.
- ``endless``: a 200 whose body never ends (valid JSON that keeps going).
- ``gzip-bomb``: ``Content-Encoding: gzip``, about 2 MB on the wire that unpack to 2 GiB.
- ``drip``: the headers at once, then the body one byte every 0.2 s.
- ``drip-headers``: the status line and headers one byte every 0.2 s.
- ``lying-length``: ``Content-Length`` of a petabyte, then a short body and close.
- ``year-9999``, ``invalid-utf8``, ``deep-nesting`` (100k levels), ``duplicate-keys``,
  ``odd-ids`` (ids ``.``, ``..``, missing): a 200 with such a body.

Every request is logged (``requests``: method, path, whether an ``x-fj-api-key`` header
arrived); the key itself is never kept.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import threading
import time
import zlib
from dataclasses import dataclass
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

REDIRECTS = (301, 302, 307, 308)
CASES = (
    *[f"redirect-{code}" for code in REDIRECTS],
    *[f"redirect-localhost-{code}" for code in REDIRECTS],
    "endless",
    "gzip-bomb",
    "drip",
    "drip-headers",
    "lying-length",
    "year-9999",
    "invalid-utf8",
    "deep-nesting",
    "duplicate-keys",
    "odd-ids",
)
DRIP_SECONDS = 0.2
DEPTH = 100_000


@dataclass(frozen=True)
class Seen:
    """One request the server received (never the key itself)."""

    method: str
    path: str
    key_arrived: bool


def record(i: int, **fields) -> dict:
    """One plausible session record."""
    return {
        "_id": f"{i:024x}",
        "sessionTitle": f"Session {i}",
        "jdDetail": {"userText": "Job Title: Engineer, Experience: 1-5 years, Location: Pune"},
        "projectId": "69f0dd1da08d760844569bb1",
        "createdAt": "2026-11-02T07:09:10.110Z",
        "updatedAt": "2026-11-02T07:19:10.110Z",
        "totalProfiles": 12,
    } | fields


def envelope(records: list) -> bytes:
    return json.dumps({"statusCode": 200, "status": "SUCCESS", "data": records}).encode()


def _record_bytes(i: int, title: bytes) -> bytes:
    return (
        b'{"_id":"%024x","sessionTitle":"' % i + title + b'","jdDetail":{"userText":"Job '
        b'Title: Engineer"},"createdAt":"2026-11-02T07:09:10.110Z","totalProfiles":3}'
    )


@cache
def bodies() -> dict[str, bytes]:
    """The bodies of the cases that send one whole (built once)."""
    deep = b"[" * DEPTH + b"]" * DEPTH
    return {
        "year-9999": envelope(
            [record(0), record(1, createdAt="9999-12-31T23:59:59.999Z"),
             record(2, createdAt="0001-01-01T00:00:00.000Z")]
        ),  # fmt: skip
        "invalid-utf8": b'{"status":"SUCCESS","data":['
        + _record_bytes(0, b"Caf\xff")
        + b","
        + _record_bytes(1, b"Pu\xed\xa0\x80ne")
        + b","
        + _record_bytes(2, b"plain")
        + b"]}",
        "deep-nesting": b'{"status":"SUCCESS","data":[{"_id":"a","jdDetail":{"userText":"x",'
        b'"deep":' + deep + b"}}]}",
        "duplicate-keys": b'{"status":"SUCCESS","data":[' + json.dumps(record(0)).encode()
        + b'],"data":[{"_id":"x","_id":"","totalProfiles":1}]}',
        "odd-ids": envelope(
            [record(0, _id="."), record(1, _id=".."), {k: v for k, v in record(2).items()
                                                        if k != "_id"}]
        ),  # fmt: skip
    }


@cache
def gzip_bomb() -> bytes:
    """About 2 MB of gzip that unpack to 2 GiB: the envelope's start, then spaces."""
    head = gzip.compress(b'{"status":"SUCCESS","data":[')
    member = zlib.compressobj(9, zlib.DEFLATED, 31)  # 31: gzip framing
    block = b" " * (1 << 20)
    spaces = b"".join([member.compress(block) for _ in range(64)] + [member.flush()])
    return head + spaces * 32  # gzip members one after another are one valid stream


class HostileServer:
    """A loopback HTTP server acting out ``CASES``; ``other`` is where redirects point."""

    def __init__(self, other_port: int | None = None) -> None:
        self.requests: list[Seen] = []
        self.other_port = other_port
        self._stop = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:  # quiet
                pass

            def do_GET(self) -> None:
                server.requests.append(
                    Seen("GET", self.path, self.headers.get("x-fj-api-key") is not None)
                )
                case = self.path.lstrip("/").split("/", 1)[0]
                with contextlib.suppress(OSError):  # the client gave up: what a case is for
                    server._answer(self, case)

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._httpd.handle_error = lambda request, address: None  # a client hanging up is normal
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    def base_url(self, case: str, host: str = "127.0.0.1") -> str:
        """The API base URL that selects ``case``."""
        return f"http://{host}:{self.port}/{case}/api/v1/wl"

    def start(self) -> HostileServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._httpd.shutdown()
        self._httpd.server_close()

    # -- the cases -----------------------------------------------------------------

    def _answer(self, h: BaseHTTPRequestHandler, case: str) -> None:
        if case.startswith("redirect-"):
            code = int(case.rsplit("-", 1)[1])
            host = "localhost" if "localhost" in case else "127.0.0.1"
            h.send_response(code)
            h.send_header("Location", f"http://{host}:{self.other_port}{h.path}")
            h.send_header("Content-Length", "0")
            h.end_headers()
        elif case == "endless":
            h.send_response(200)
            h.send_header("Content-Type", "application/json")
            h.send_header("Connection", "close")
            h.end_headers()
            h.wfile.write(b'{"status":"SUCCESS","data":[')
            chunk = b",".join([json.dumps(record(i)).encode() for i in range(2000)]) + b","
            while not self._stop.is_set():
                h.wfile.write(chunk)
        elif case == "gzip-bomb":
            body = gzip_bomb()
            h.send_response(200)
            h.send_header("Content-Type", "application/json")
            h.send_header("Content-Encoding", "gzip")
            h.send_header("Content-Length", str(len(body)))
            h.end_headers()
            h.wfile.write(body)
        elif case == "drip":
            body = envelope([record(0)])
            h.send_response(200)
            h.send_header("Content-Type", "application/json")
            h.send_header("Content-Length", str(len(body)))
            h.end_headers()
            self._drip(h, body)
        elif case == "drip-headers":
            body = envelope([record(0)])
            head = (
                f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(body)}\r\n\r\n"
            ).encode()
            self._drip(h, head + body)
            h.close_connection = True
        elif case == "lying-length":
            h.send_response(200)
            h.send_header("Content-Type", "application/json")
            h.send_header("Content-Length", str(10**15))
            h.end_headers()
            h.wfile.write(envelope([record(0)]))
            h.close_connection = True
        elif case in bodies():
            body = bodies()[case]
            h.send_response(200)
            h.send_header("Content-Type", "application/json")
            h.send_header("Content-Length", str(len(body)))
            h.end_headers()
            h.wfile.write(body)
        else:
            h.send_response(404)
            h.send_header("Content-Length", "0")
            h.end_headers()

    def _drip(self, h: BaseHTTPRequestHandler, data: bytes) -> None:
        for i in range(len(data)):
            if self._stop.is_set():
                return
            h.wfile.write(data[i : i + 1])
            h.wfile.flush()
            time.sleep(DRIP_SECONDS)
