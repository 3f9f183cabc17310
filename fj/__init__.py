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
from fj.version import __version__

__all__ = [
    "AuthError",
    "BadResponseError",
    "FJClient",
    "FJError",
    "NotFoundError",
    "RateLimitError",
    "ServerError",
    "UnavailableError",
    "mask_key",
    "__version__",
]
