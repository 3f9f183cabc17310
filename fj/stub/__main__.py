"""Run the stand-in FJ API until interrupted: ``python -m fj.stub --key fjk_test``.

Prints one line, ``FJ_API_BASE_URL=<base url>``, to point the dashboard or a
script at it. Admin endpoints: GET /__stub/requests, POST /__stub/faults,
POST /__stub/reset.
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from pathlib import Path

from fj.stub.server import Project, StubServer


def main(argv: list[str] | None = None) -> int:
    """Serve until SIGINT or SIGTERM; return the exit status."""
    parser = argparse.ArgumentParser(prog="python -m fj.stub", description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765, help="0 picks a free port")
    parser.add_argument("--key", action="append", required=True, help="an accepted API key")
    parser.add_argument("--no-project-key", action="append", default=[],
                        help="a valid key with no project (404)")  # fmt: skip
    parser.add_argument("--sessions", type=int, default=300, help="synthetic sessions")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--file", type=Path, help="serve this response body as-is instead")
    parser.add_argument("--verbose", action="store_true", help="log method, path and status")
    args = parser.parse_args(argv)

    if args.verbose:
        logging.basicConfig(level=logging.INFO, format="%(message)s")
    if args.file is not None:
        project = Project(raw=args.file.read_bytes())
    else:
        project = Project(n=args.sessions, seed=args.seed)
    projects: dict[str, Project | None] = dict.fromkeys(args.key, project)
    projects |= dict.fromkeys(args.no_project_key)

    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    project.payload()  # render before announcing the URL, so the first request is fast
    with StubServer(projects, args.host, args.port, verbose=args.verbose) as server:
        sys.stdout.write(f"FJ_API_BASE_URL={server.base_url}\n")
        sys.stdout.flush()
        while not stop.wait(0.5):
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
