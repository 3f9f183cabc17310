"""The local stand-in for the FJ Sourcing API: ``StubServer`` and its faults.

Run it as a process with ``python -m fj.stub --key fjk_test`` (see ``--help``).
"""

from fj.stub.server import BASE_PATH, Fault, Project, RequestRecord, StubServer

__all__ = ["BASE_PATH", "Fault", "Project", "RequestRecord", "StubServer"]
