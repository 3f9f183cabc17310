"""Run ``streamlit run <script>`` on a free loopback port, for the tests and the benchmarks.

- ``free_port()``: a loopback port nothing listens on right now.
- ``clean_env(**settings)``: this process's environment without the variables that would
  configure the app from the machine (``FJ_*``, ``STREAMLIT_*``, ``APP_PASSWORD``), plus
  ``settings``.
- ``start_streamlit(script, env=...)``: start the server (headless, 127.0.0.1, no file
  watcher unless asked, from ``cwd``, by default the project's directory) and return a
  ``StreamlitServer`` at once, so that several can start side by side;
  ``StreamlitServer.wait_healthy()`` then polls ``/_stcore/health`` and raises
  ``ServerError`` (with the tail of the server's log, when it has one) if the server exits or
  never answers "ok"; ``stop()`` ends it.
- ``running_streamlit(...)``: the same as a context manager that starts, waits for health,
  yields the server and stops it.

With ``log`` the server's stdout and stderr go to that file; without, nowhere.
``secrets`` points ``--secrets.files`` at a file, so a developer's
``.streamlit/secrets.toml`` is not read. ``CHROMIUM`` and ``CHROMIUM_ARGS`` are the
browser and flags the browser tests and the page benchmark drive it with.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOG_TAIL = 3000  # characters of the server's log shown in a ServerError

#: Debian's Chromium (Playwright's own browser download does not work on our machines),
#: and the flags every headless run uses; without the background-networking ones
#: Chromium keeps dialling out.
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class ServerError(RuntimeError):
    """A Streamlit server exited or did not become healthy in time."""


def free_port() -> int:
    """Return a loopback port that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def clean_env(**settings: str) -> dict[str, str]:
    """Return os.environ without FJ_*, STREAMLIT_* and APP_PASSWORD, plus ``settings``."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("FJ_", "STREAMLIT_")) and k != "APP_PASSWORD"
    }
    return env | settings


def stop_process(process: subprocess.Popen, timeout: float = 10) -> None:
    """Terminate ``process``; kill it if it has not exited within ``timeout`` seconds."""
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@dataclass
class StreamlitServer:
    """A ``streamlit run`` process on a loopback port."""

    url: str  # with a trailing slash
    process: subprocess.Popen
    log: Path | None  # the server's stdout and stderr, if kept

    def log_tail(self) -> str:
        """Return the end of the server's log ("" without one)."""
        if self.log is None or not self.log.exists():
            return ""
        return self.log.read_text("utf-8", "replace")[-LOG_TAIL:]

    def wait_healthy(self, timeout: float = 90) -> StreamlitServer:
        """Poll /_stcore/health until it answers "ok"; raise ServerError if it never does."""
        deadline = time.monotonic() + timeout
        while True:
            code = self.process.poll()
            if code is not None:
                self._fail(f"exited with code {code}")
            try:
                with urllib.request.urlopen(self.url + "_stcore/health", timeout=2) as answer:
                    if answer.read().strip() == b"ok":
                        return self
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                self._fail(f"not healthy within {timeout:g} s")
            time.sleep(0.1)

    def _fail(self, what: str) -> None:
        command = " ".join(str(arg) for arg in self.process.args[2:5])  # streamlit run <script>
        tail = self.log_tail()
        raise ServerError(f"{command} on {self.url} {what}" + (f":\n{tail}" if tail else ""))

    def stop(self) -> None:
        """Terminate the server; kill it if it has not exited within 10 s."""
        stop_process(self.process)


def start_streamlit(
    script: str | Path,
    *,
    env: Mapping[str, str],
    log: Path | None = None,
    secrets: Path | None = None,
    watch_files: bool = False,
    extra_args: Sequence[str] = (),
    cwd: Path = ROOT,
) -> StreamlitServer:
    """Start ``streamlit run script`` on a free loopback port; do not wait for it."""
    port = free_port()
    args = [
        sys.executable, "-m", "streamlit", "run", str(script),
        "--server.port", str(port),
        "--server.address", "127.0.0.1",
        "--server.headless", "true",
    ]  # fmt: skip
    if not watch_files:
        args += ["--server.fileWatcherType", "none"]
    if secrets is not None:
        args += ["--secrets.files", str(secrets)]
    args += extra_args
    with contextlib.ExitStack() as stack:
        out = stack.enter_context(log.open("wb")) if log is not None else subprocess.DEVNULL
        process = subprocess.Popen(
            args,
            cwd=cwd,
            env=dict(env),
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    return StreamlitServer(f"http://127.0.0.1:{port}/", process, log)


@contextlib.contextmanager
def running_streamlit(
    script: str | Path, *, timeout: float = 90, **options
) -> Iterator[StreamlitServer]:
    """Start ``streamlit run script`` (``options`` as for start_streamlit), wait until it is
    healthy, yield it, and stop it afterwards."""
    server = start_streamlit(script, **options)
    try:
        yield server.wait_healthy(timeout)
    finally:
        server.stop()
