"""What the dashboard tells from history beside activity: the week's facts (new, grown,
still processing, stuck at zero) and a session's time to its first 25 / 50 / 100 profiles."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import sqlalchemy as sa

from fj.history.db import DAY_MS, rows_frame, ts
from fj.history.schema import changes_table, sessions_table

#: Profiles counts whose first crossing the Session page reports.
THRESHOLDS = (25, 50, 100)


@dataclass(frozen=True)
class WeekFacts:
    """What changed in the 7 days before ``now``, from history."""

    now: pd.Timestamp
    since: pd.Timestamp  # now - 7 days
    history_since: pd.Timestamp | None
    new_sessions: int  # created (else first seen) in the window
    added: int  # profiles added in the window (activity summed over it)
    grew: pd.DataFrame  # session_id, title, role, total, added: sessions that grew
    processing: int  # sessions whose count rose in the last day (by the API's updatedAt)
    stuck: pd.DataFrame  # session_id, title, since: at 0 profiles for more than a day

    @property
    def partial(self) -> bool:
        """True when history started inside the window (the facts cover less than a week)."""
        return self.history_since is None or self.history_since > self.since


def week_facts(
    read: Callable[[sa.Select], list],
    ids: list[int],
    now_ms: int,
    *,
    history_since: pd.Timestamp | None,
) -> WeekFacts:
    """Return the facts of the 7 days before ``now_ms`` for these project ids (``read`` runs a
    query and returns its rows)."""
    week_ms, day_ms = now_ms - 7 * DAY_MS, now_ms - DAY_MS
    s, c = sessions_table, changes_table
    born = sa.func.coalesce(s.c.created_ms, s.c.first_seen_ms)
    new = read(
        sa.select(sa.func.count(s.c.id)).where(
            s.c.project_id.in_(ids), s.c.present, born >= week_ms
        )
    )[0][0]
    added = read(
        sa.select(sa.func.coalesce(sa.func.sum(c.c.delta), 0)).where(
            c.c.project_id.in_(ids), c.c.placed_ms >= week_ms
        )
    )[0][0]
    grew_q = (
        sa.select(s.c.session_id, s.c.title, s.c.role, s.c.total,
                  sa.func.sum(c.c.delta).label("added"))
        .join(s, s.c.id == c.c.session)
        .where(c.c.project_id.in_(ids), c.c.placed_ms >= week_ms,
               c.c.kind.in_(("grew", "shrank", "returned")))
        .group_by(s.c.session_id, s.c.title, s.c.role, s.c.total)
        .having(sa.func.sum(c.c.delta) > 0)
    )  # fmt: skip
    grew = rows_frame(read(grew_q), ["session_id", "title", "role", "total", "added"]).sort_values(
        "added", ascending=False, kind="stable", ignore_index=True
    )
    processing = read(
        sa.select(sa.func.count(sa.distinct(c.c.session))).where(
            c.c.project_id.in_(ids), c.c.placed_ms >= day_ms,
            c.c.kind.in_(("new", "grew", "returned")), c.c.delta > 0,
        )
    )[0][0]  # fmt: skip
    stuck = rows_frame(
        read(
            sa.select(s.c.session_id, s.c.title, born.label("since_ms"))
            .where(s.c.project_id.in_(ids), s.c.present, s.c.total == 0, born < day_ms)
            .order_by(born)
        ),
        ["session_id", "title", "since_ms"],
    )
    stuck["since"] = pd.to_datetime(stuck.pop("since_ms").astype("int64"), unit="ms", utc=True)
    return WeekFacts(
        now=ts(now_ms),
        since=ts(week_ms),
        history_since=history_since,
        new_sessions=int(new),
        added=int(added),
        grew=grew,
        processing=int(processing),
        stuck=stuck,
    )


def time_to_profiles(
    growth: pd.DataFrame, created_at: pd.Timestamp | None, thresholds=THRESHOLDS
) -> pd.DataFrame:
    """Return, per threshold, when the session first had that many profiles and how long after
    its creation; ``at_first_sight`` when it already had them when history first saw it (the
    time is then an upper bound)."""
    rows = []
    for n in thresholds:
        hit = growth[growth["total"] >= n]
        if hit.empty:
            rows.append({"profiles": n, "reached": pd.NaT, "after": pd.NaT,
                         "at_first_sight": False})  # fmt: skip
            continue
        first = hit.iloc[0]
        known = created_at is not None and pd.notna(created_at)
        after = first["at"] - created_at if known else pd.NaT
        rows.append({"profiles": n, "reached": first["at"], "after": after,
                     "at_first_sight": hit.index[0] == growth.index[0]})  # fmt: skip
    return pd.DataFrame(rows)
