"""The FJ API's success envelope (``{"status": "SUCCESS", "data": ...}``), checked once.

Every endpoint answers in it. :func:`envelope_data` returns its ``data`` or raises one
:class:`~fj.errors.BadResponseError` that says what was found instead; the client (for
every endpoint) and the sessions frame (:mod:`fj.frame`) both use it, so the same
failure reads the same wherever it is met.
"""

from __future__ import annotations

import json
from typing import Any

from fj.errors import BadResponseError


def envelope_data(envelope: Any, *, expect: type = list) -> Any:
    """Return the ``data`` of a success envelope, a ``list`` or a ``dict`` as ``expect``
    says; raise BadResponseError saying what was found for anything else."""
    wanted = "a list" if expect is list else "an object"
    if not isinstance(envelope, dict):
        raise BadResponseError(
            f"The API response was {json_kind(envelope)}, expected an object with 'status' "
            "and 'data'."
        )
    if "status" not in envelope:
        raise BadResponseError(
            "The API response has no 'status'; expected an object with 'status' and 'data'."
        )
    status = envelope["status"]
    if status != "SUCCESS":
        message = envelope.get("message")
        said = f" The API said: {shown(message)}." if isinstance(message, str) and message else ""
        raise BadResponseError(f"The API did not report success: status was {shown(status)}.{said}")
    if "data" not in envelope:
        raise BadResponseError(f"The API response has no 'data'; expected {wanted}.")
    data = envelope["data"]
    if not isinstance(data, expect):
        raise BadResponseError(f"The API response's data was {json_kind(data)}, expected {wanted}.")
    return data


def shown(value: Any, limit: int = 60) -> str:
    """Return a value as a short, quoted, escaped snippet for a message."""
    text = (
        repr(value)
        if isinstance(value, str)
        else json.dumps(value, ensure_ascii=False, default=repr)
    )
    return text if len(text) <= limit else text[: limit - 1] + "…"


def json_kind(value: Any) -> str:
    """Return a JSON value's type in words: 'an object', 'a list', 'a string', ..."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "a string"
    return "a number"
