"""fj: a small read-only client and data layer for the FJ Sourcing API.

Plain Python (no Streamlit): use it from a notebook, a script, the CLI or the
dashboard alike.
"""

from fj.client import FJClient, mask_key
from fj.errors import (
    AuthError,
    BadResponseError,
    FJError,
    NotFoundError,
    RateLimitError,
    ServerError,
    UnavailableError,
)
from fj.frame import LoadedSessions, load_sessions, sessions_frame
from fj.version import __version__

__all__ = [
    "AuthError",
    "BadResponseError",
    "FJClient",
    "FJError",
    "LoadedSessions",
    "NotFoundError",
    "RateLimitError",
    "ServerError",
    "UnavailableError",
    "load_sessions",
    "mask_key",
    "sessions_frame",
    "__version__",
]
