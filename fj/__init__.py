"""fj: a small read-only client and data layer for the FJ Sourcing API.

Plain Python (no Streamlit): use it from a notebook, a script, the CLI or the
dashboard alike.
"""

from fj.errors import (
    AuthError,
    BadResponseError,
    FJError,
    NotFoundError,
    RateLimitError,
    ServerError,
    UnavailableError,
)

__version__ = "0.1.0"

__all__ = [
    "AuthError",
    "BadResponseError",
    "FJError",
    "NotFoundError",
    "RateLimitError",
    "ServerError",
    "UnavailableError",
    "__version__",
]
