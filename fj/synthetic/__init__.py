"""Deterministic, realistic synthetic FJ projects: sessions, payloads, candidates.

The stand-in server, the demo project, the tests and the benchmarks all draw
their data from here, so one seed always means the same bytes.

- :mod:`fj.synthetic.sessions`: a project's sessions body (:func:`synthetic_payload`);
- :mod:`fj.synthetic.candidates`: a session's candidates and their details.
"""

from fj.synthetic.candidates import (
    SESSION_STATUSES,
    candidate_details,
    generate_candidates,
    session_status,
)
from fj.synthetic.sessions import (
    DEFAULT_END,
    EXPERIENCE,
    LOCATIONS,
    ROLES,
    SUCCESS_MESSAGE,
    envelope_bytes,
    generate_sessions,
    payload_bytes,
    synthetic_payload,
)

__all__ = [
    "DEFAULT_END", "EXPERIENCE", "LOCATIONS", "ROLES", "SESSION_STATUSES", "SUCCESS_MESSAGE",
    "candidate_details", "envelope_bytes", "generate_candidates", "generate_sessions",
    "payload_bytes", "session_status", "synthetic_payload",
]  # fmt: skip
