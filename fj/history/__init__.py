"""History: what was sourced when, kept in a real database through SQLAlchemy.

The API keeps no history (``totalProfiles`` is today's count), so every fetch of
``/projects/sessions`` is recorded here, per session, when ``totalProfiles`` or
``updatedAt`` changed since the last recorded values. From that the dashboard
and ``python -m fj activity`` tell how many profiles were added per period.

Where: SQLite by default (a file in WAL mode, so the app and a scheduled
``python -m fj snapshot`` can write at once), at :func:`default_url`; any
SQLAlchemy URL otherwise (PostgreSQL for a hosted app). The schema is created
and migrated here (table ``fj_history_schema`` holds its version).

Keyed by the project: its ``projectId``, or a fingerprint of the key when the
payload has none; the key itself is never stored.

How growth is placed in time: the increase of ``totalProfiles`` between two
snapshots of a session is placed at the later snapshot's ``updatedAt`` (the
API's own time of the change; the time it was seen when the API gives none); a
session seen for the first time contributes its whole count at its
``updatedAt`` (else ``createdAt``, else when it was seen); a decrease is a
negative correction, and a session that disappears is a correction of its
whole count at the time it was found missing. So profiles added, summed over
all periods, equals the latest ``totalProfiles`` summed over the sessions.

The parts, one job each: :mod:`~fj.history.db` (where the database is and how it is
opened), :mod:`~fj.history.schema` (tables and migrations), :mod:`~fj.history.record`
(recording a fetch), :mod:`~fj.history.activity` (profiles added per period, through a
daily rollup), :mod:`~fj.history.facts` (the week's facts, time to N profiles) and
:mod:`~fj.history.store` (:class:`History`, which opens the database and runs them).
"""

from fj.history.activity import FREQS
from fj.history.db import HistoryError, default_path, default_url, url_from_settings
from fj.history.facts import THRESHOLDS, WeekFacts, time_to_profiles
from fj.history.record import RecordResult, key_fingerprint, project_key
from fj.history.schema import SCHEMA_VERSION, migrate
from fj.history.store import History

__all__ = [
    "FREQS",
    "SCHEMA_VERSION",
    "THRESHOLDS",
    "History",
    "HistoryError",
    "RecordResult",
    "WeekFacts",
    "default_path",
    "default_url",
    "key_fingerprint",
    "migrate",
    "project_key",
    "time_to_profiles",
    "url_from_settings",
]
