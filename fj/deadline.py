"""A total deadline per HTTP request, enforced by a timer that shuts its sockets.

requests' read timeout restarts on every byte, so a server that drips its headers or
body would hold a request for as long as it likes. :class:`Deadline` bounds the whole
request: the connections it uses (through :class:`DeadlineAdapter`) register their
socket with the deadline of their thread, and when the time is up the timer shuts
them; whatever read is blocked returns at once.
"""

from __future__ import annotations

import contextlib
import math
import socket
import threading
import time
from typing import Any

from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool


class Deadline:
    """The total time one request may take, enforced by a timer that shuts its sockets.

    The read timeout restarts on every byte, so a server that drips its headers or
    body would hold a request for as long as it likes. The connections the request
    uses register their socket with the deadline of their thread (``current``); when
    the time is up the timer shuts them, whatever read is blocked returns at once,
    and the client reports the deadline.
    """

    _local = threading.local()

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.ends = time.monotonic() + seconds
        self.expired = False
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> Deadline:
        Deadline._local.current = self
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()
        Deadline._local.current = None
        with self._lock:
            self._sockets.clear()

    @classmethod
    def current(cls) -> Deadline | None:
        return getattr(cls._local, "current", None)

    @classmethod
    def remaining_now(cls) -> float:
        """Seconds left to the current thread's deadline (infinite without one)."""
        deadline = cls.current()
        return math.inf if deadline is None else max(0.0, deadline.ends - time.monotonic())

    def watch(self, sock: socket.socket | None) -> None:
        if sock is None:
            return
        with self._lock:
            self._sockets.append(sock)
            if self.expired:
                _shut(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                _shut(sock)


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):  # already closed
        sock.shutdown(socket.SHUT_RDWR)


class _Watched:
    """A connection whose socket the current request's deadline can shut."""

    sock: socket.socket | None

    def request(self, *args: Any, **kw: Any) -> None:
        super().request(*args, **kw)  # type: ignore[misc]
        deadline = Deadline.current()
        if deadline is not None:
            deadline.watch(self.sock)


class _WatchedHTTPConnection(_Watched, HTTPConnection):
    """An HTTP connection the deadline can shut."""


class _WatchedHTTPSConnection(_Watched, HTTPSConnection):
    """An HTTPS connection the deadline can shut."""


class _WatchedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _WatchedHTTPConnection


class _WatchedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _WatchedHTTPSConnection


class DeadlineAdapter(HTTPAdapter):
    """requests' adapter (urllib3 Retry mounted) whose connections obey a total deadline."""

    def init_poolmanager(self, *args: Any, **kw: Any) -> None:
        super().init_poolmanager(*args, **kw)
        self.poolmanager.pool_classes_by_scheme = {
            "http": _WatchedHTTPPool,
            "https": _WatchedHTTPSPool,
        }
