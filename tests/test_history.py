"""History: snapshots recorded in a real database (SQLite file, then a real PostgreSQL server),
activity placed by the documented rule, conservation, idempotence, 304s, two writers, crashes."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa

import fj.frame
from fj import FJClient
from fj.history import (
    SCHEMA_VERSION,
    History,
    HistoryError,
    project_key,
    time_to_profiles,
    url_from_settings,
)
from fj.settings import Settings
from fj.stub import Project, StubServer
from tests.history_data import (
    EXPECTED_BY_ROLE_UTC,
    EXPECTED_DAILY_KOLKATA,
    EXPECTED_DAILY_UTC,
    PROJECT_ID,
    STEPS,
    at,
    frame,
    session,
)

ROOT = Path(__file__).resolve().parents[1]
KEY = "fjk_history_test_key_4242"

pytestmark = pytest.mark.timeout(300)


def daily(history: History, tz: str = "UTC") -> dict[str, int]:
    """Activity by day, the days with a change only."""
    table = history.activity([PROJECT_ID], freq="D", tz=tz)
    pairs = zip(table["period"], table["added"], strict=True)
    return {f"{p:%Y-%m-%d}": int(a) for p, a in pairs if a}


def latest_totals(records: list[dict]) -> int:
    return sum(r["totalProfiles"] for r in records)


@pytest.fixture
def history(history_url):
    with History(history_url) as h:
        yield h


def test_activity_follows_a_project_through_its_life(history):
    """Over the stand-in: sessions appear, grow, stay, shrink, vanish and come back; after each
    fetch the activity equals the hand-computed table, and it sums to the latest totals."""
    parses = {"n": 0}
    original = fj.frame.load_sessions

    def counted(*args, **kwargs):
        parses["n"] += 1
        return original(*args, **kwargs)

    server = StubServer({KEY: Project(sessions=STEPS[0][1])}).start()
    fj.frame.load_sessions = counted
    try:
        etag = None
        with FJClient(KEY, server.base_url, retries=0) as client:
            for i, (observed, records) in enumerate(STEPS):
                server.set_project(KEY, Project(sessions=records))
                before = parses["n"]
                loaded, etag = client.fetch_sessions_if_changed(etag)
                if loaded is None:
                    result = history.record_not_modified(PROJECT_ID, observed_at=observed)
                    assert i == 2, "only the repeated response is answered 304"
                    assert parses["n"] == before, "a 304 re-parses nothing"
                    assert server.requests[-1].status == 304
                    assert result.outcome == "not_modified"
                else:
                    key = project_key(loaded.frame, KEY)
                    assert key == PROJECT_ID
                    history.record(key, loaded.frame, observed_at=observed, etag=etag)
                assert daily(history) == EXPECTED_DAILY_UTC[i], f"after step {i}"
                # conservation: nothing counted twice, nothing lost
                assert history.totals([PROJECT_ID]) == latest_totals(records)
                assert sum(EXPECTED_DAILY_UTC[i].values()) == latest_totals(records)
    finally:
        fj.frame.load_sessions = original
        server.stop()
    info = history.info([PROJECT_ID])
    assert info["checks"] == 5
    assert info["snapshots"] == 4  # the 304 added no snapshot
    assert info["since"] == pd.Timestamp("2026-12-01 12:00", tz="UTC")
    assert daily(history, "Asia/Kolkata") == {k: v for k, v in EXPECTED_DAILY_KOLKATA.items() if v}
    by_role = history.activity([PROJECT_ID], freq="D", tz="UTC", by_role=True)
    got = {
        (f"{p:%Y-%m-%d}", r): int(a)
        for p, r, a in zip(by_role["period"], by_role["role"], by_role["added"], strict=True)
        if a
    }
    assert got == EXPECTED_BY_ROLE_UTC
    weekly = history.activity([PROJECT_ID], freq="W", tz="UTC")
    assert list(weekly["period"]) == [pd.Timestamp("2026-11-30", tz="UTC")]  # a Monday
    assert list(weekly["added"]) == [33]
    monthly = history.activity([PROJECT_ID], freq="M", tz="UTC")
    assert list(monthly["added"]) == [33]


def test_the_same_response_twice_changes_nothing(history):
    observed, records = STEPS[1]
    first = history.record(PROJECT_ID, frame(records), observed_at=observed)
    assert (first.seen, first.new, first.outcome) == (3, 3, "recorded")
    before = _row_counts(history)
    again = history.record(PROJECT_ID, frame(records), observed_at=observed + dt.timedelta(hours=1))
    assert again.outcome == "unchanged"
    assert again.line() == "sessions seen 3, new 0, grown 0, unchanged 3"
    assert _row_counts(history) == before
    # the same records in another order are the same state too
    third = history.record(PROJECT_ID, frame(records[::-1]), observed_at=observed)
    assert third.outcome == "unchanged"
    assert _row_counts(history) == before
    assert daily(history) == {"2026-12-01": 30, "2026-12-02": 3}


def test_counts_of_a_check(history):
    history.record(PROJECT_ID, frame(STEPS[1][1]), observed_at=STEPS[1][0])
    result = history.record(PROJECT_ID, frame(STEPS[3][1]), observed_at=STEPS[3][0])
    # A shrank, C grew, B vanished
    assert (result.seen, result.new, result.grown, result.shrunk, result.vanished,
            result.unchanged) == (2, 0, 1, 1, 1, 0)  # fmt: skip
    assert result.line() == (
        "sessions seen 2, new 0, grown 1, unchanged 0, shrunk 1, vanished 1"
    )


def test_projects_never_see_each_others_history(history):
    other = [session(9, "Designer", 40, "2026-12-01 08:00", "2026-12-01 09:00",
                     project_id="aaaaaaaaaaaaaaaaaaaaaaaa")]  # fmt: skip
    history.record(PROJECT_ID, frame(STEPS[0][1]), observed_at=STEPS[0][0])
    history.record("aaaaaaaaaaaaaaaaaaaaaaaa", frame(other), observed_at=STEPS[0][0])
    assert history.totals([PROJECT_ID]) == 15
    assert history.totals(["aaaaaaaaaaaaaaaaaaaaaaaa"]) == 40
    assert daily(history) == {"2026-12-01": 15}
    assert history.activity(["nobody"], freq="D").empty


def test_a_payload_without_project_id_is_keyed_by_a_fingerprint_never_the_key(history):
    records = [session(1, "Backend Engineer", 4, "2026-12-01 08:00", None, project_id=None)]
    key = project_key(frame(records), KEY)
    assert key.startswith("key:") and KEY not in key and KEY[-8:] not in key
    history.record(key, frame(records), key_fingerprint=key[4:])
    assert history.last_seen(key[4:]) == (key, None)
    with history.engine.connect() as conn:
        dump = repr([list(conn.execute(sa.text(f"SELECT * FROM {t}")))  # noqa: S608
                     for t in ("fj_history_projects", "fj_history_sessions")])  # fmt: skip
    assert KEY not in dump


def test_since_last_week_facts(history):
    now = at("2026-12-08 12:00")
    old = session(1, "Backend Engineer", 40, "2026-11-20 08:00", "2026-11-20 09:00")
    stuck = session(2, "Data Analyst", 0, "2026-11-25 08:00", "2026-11-25 08:00")
    history.record(PROJECT_ID, frame([old, stuck]), observed_at=at("2026-11-26 12:00"))
    grown = session(1, "Backend Engineer", 55, "2026-11-20 08:00", "2026-12-05 09:00")
    fresh = session(3, "QA Engineer", 12, "2026-12-08 08:00", "2026-12-08 10:00")
    history.record(PROJECT_ID, frame([grown, stuck, fresh]), observed_at=at("2026-12-08 11:00"))
    facts = history.since_last_week([PROJECT_ID], now=now)
    assert facts.new_sessions == 1
    assert facts.added == 15 + 12
    assert list(facts.grew["session_id"]) == [grown["_id"]]
    assert list(facts.grew["added"]) == [15]
    assert facts.processing == 1  # the new session rose in the last day
    assert list(facts.stuck["session_id"]) == [stuck["_id"]]
    assert not facts.partial


def test_growth_curve_and_time_to_25_50_100(history):
    created = "2026-12-01 08:00"
    for observed, total, updated in [
        ("2026-12-01 09:00", 10, "2026-12-01 08:30"),
        ("2026-12-01 12:00", 30, "2026-12-01 11:00"),
        ("2026-12-02 12:00", 60, "2026-12-02 02:00"),
    ]:
        rec = session(1, "Backend Engineer", total, created, updated)
        history.record(PROJECT_ID, frame([rec]), observed_at=at(observed))
    curve = history.growth(PROJECT_ID, f"{1:024x}")
    assert list(curve["total"]) == [10, 30, 60]
    expected = ("2026-12-01 08:30", "2026-12-01 11:00", "2026-12-02 02:00")
    assert list(curve["at"]) == [pd.Timestamp(at(t)) for t in expected]
    times = time_to_profiles(curve, pd.Timestamp(at(created))).set_index("profiles")
    assert times.loc[25, "after"] == pd.Timedelta(hours=3)
    assert times.loc[50, "after"] == pd.Timedelta(hours=18)
    assert pd.isna(times.loc[100, "after"])
    assert not times.loc[25, "at_first_sight"]


def test_where_history_lives_never_shows_a_password(tmp_path):
    url = f"sqlite:///{tmp_path / 'h.sqlite'}"
    with History(url) as h:
        assert h.where == f"SQLite file {tmp_path / 'h.sqlite'}"
        with h.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    from tests.servers import free_port

    port = free_port()
    with pytest.raises(HistoryError) as err:
        History(f"postgresql://fj:s3cret-pw@127.0.0.1:{port}/fj")
    message = str(err.value)
    assert message.startswith("History is off:")
    assert f"postgresql database fj on 127.0.0.1:{port}" in message
    assert "s3cret-pw" not in message


def test_an_unwritable_place_turns_history_off_with_a_reason(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(HistoryError, match="History is off"):
        History(f"sqlite:///{blocker / 'sub' / 'history.sqlite'}")


def test_settings_choose_the_database(tmp_path):
    assert url_from_settings(None, None, str(tmp_path)) == (
        f"sqlite:///{tmp_path / 'fj-dashboard' / 'history.sqlite'}", "default"
    )
    assert url_from_settings(None, "sqlite:///x.db") == ("sqlite:///x.db", "FJ_HISTORY_URL")
    assert url_from_settings(None, "off")[0] is None
    section = {"url": "postgresql://u:p@db.example.com/fj"}
    assert url_from_settings(section, "sqlite:///x.db")[0] == section["url"]
    parts = {"dialect": "postgresql", "host": "db.example.com", "port": 5432,
             "database": "fj", "username": "u", "password": "p"}  # fmt: skip
    assert url_from_settings(parts)[0] == "postgresql://u:p@db.example.com:5432/fj"


def test_the_history_location_comes_from_the_settings_reader(tmp_path):
    settings = Settings(
        {"connections": {"fj_history": {"url": "sqlite:///from-secrets.db"}}},
        {"FJ_HISTORY_URL": "off", "XDG_DATA_HOME": str(tmp_path)},
    )
    assert url_from_settings(*settings.history_location())[0] == "sqlite:///from-secrets.db"
    settings = Settings({}, {"FJ_HISTORY_URL": "off", "XDG_DATA_HOME": str(tmp_path)})
    assert url_from_settings(*settings.history_location()) == (None, "FJ_HISTORY_URL")
    settings = Settings({}, {"XDG_DATA_HOME": str(tmp_path)})
    assert url_from_settings(*settings.history_location())[0] == (
        f"sqlite:///{tmp_path / 'fj-dashboard' / 'history.sqlite'}"
    )


def test_a_newer_schema_is_refused(tmp_path):
    url = f"sqlite:///{tmp_path / 'h.sqlite'}"
    History(url).close()
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE fj_history_schema SET version = 99")
    engine.dispose()
    with pytest.raises(HistoryError, match="newer version"):
        History(url)
    # opening an up-to-date database twice migrates nothing
    ok = f"sqlite:///{tmp_path / 'ok.sqlite'}"
    History(ok).close()
    from fj.history import migrate

    with History(ok) as h:
        assert migrate(h.engine) == SCHEMA_VERSION


# -- two writers, and a crash ---------------------------------------------------------------

WRITER = """
import sys, datetime as dt
from fj.history import History
from tests.history_data import frame, session
url, name, steps = sys.argv[1], sys.argv[2], int(sys.argv[3])
with History(url) as h:
    for i in range(steps):
        records = [session(s, "Backend Engineer" if s % 2 else "Data Analyst", i * (s % 5 + 1),
                           "2026-12-01 08:00", None) for s in range(1, 41)]
        h.record("69f0dd1da08d760844569bb1", frame(records),
                 observed_at=dt.datetime(2026, 12, 2, tzinfo=dt.UTC) + dt.timedelta(minutes=i))
print(name, "done", flush=True)
"""


def _python(code: str, *args: str, **kw) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", code, *args], cwd=ROOT,
                            env=os.environ | {"PYTHONPATH": str(ROOT)}, **kw)  # fmt: skip


def test_two_writers_at_once_lose_nothing(history, history_url):
    """The app and a scheduled command recording the same growing project at the same time:
    every change is written once, each session's chain of changes adds up, and the history
    ends on the last state."""
    steps = 25
    writers = [_python(WRITER, history_url, name, str(steps), stdout=subprocess.PIPE)
               for name in ("app", "command")]  # fmt: skip
    outs = [w.communicate(timeout=240)[0] for w in writers]
    assert [w.returncode for w in writers] == [0, 0], outs
    final = sum((steps - 1) * (s % 5 + 1) for s in range(1, 41))
    assert history.totals([PROJECT_ID]) == final
    assert int(history.activity([PROJECT_ID], freq="M")["added"].sum()) == final
    _assert_consistent(history)


CRASHER = """
import sys, datetime as dt
from fj.history import History
from tests.history_data import frame, session
url = sys.argv[1]
frames = [frame([session(s, "Backend Engineer", s % 7 + k, "2026-12-01 08:00", None)
                 for s in range(1, 20001)]) for k in (1, 2)]
with History(url) as h:
    for i in range(1000):
        h.record("69f0dd1da08d760844569bb1", frames[i % 2],
                 observed_at=dt.datetime(2026, 12, 2, tzinfo=dt.UTC) + dt.timedelta(minutes=i))
        if i == 0:
            print("first", flush=True)
"""


def test_a_writer_killed_mid_write_leaves_the_database_consistent(history, history_url):
    proc = _python(CRASHER, history_url, stdout=subprocess.PIPE)
    assert proc.stdout.readline().strip() == b"first"
    time.sleep(0.7)  # well inside the next writes (each rewrites 20,000 sessions)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    proc.stdout.close()
    _assert_consistent(history)
    # the lock died with the writer: the next write goes through
    result = history.record(PROJECT_ID, frame(STEPS[0][1]), observed_at=at("2026-12-09 00:00"))
    assert result.outcome == "recorded"
    _assert_consistent(history)
    if history.engine.dialect.name == "sqlite":
        with history.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"


def _row_counts(history: History) -> tuple[int, ...]:
    with history.engine.connect() as conn:
        return tuple(conn.execute(sa.text(f"SELECT COUNT(*) FROM {t}")).scalar()  # noqa: S608
                     for t in ("fj_history_snapshots", "fj_history_sessions",
                               "fj_history_changes"))  # fmt: skip


def _assert_consistent(history: History) -> None:
    """Every session's changes add up to its recorded count, in order; every snapshot has its
    changes; the sum of activity equals the latest totals."""
    with history.engine.connect() as conn:
        changes = pd.DataFrame(
            conn.execute(sa.text("SELECT session, id, total, delta FROM fj_history_changes "
                                 "ORDER BY session, id")).all(),
            columns=["session", "id", "total", "delta"],
        )  # fmt: skip
        sessions = pd.DataFrame(
            conn.execute(sa.text("SELECT id, total FROM fj_history_sessions")).all(),
            columns=["session", "total"],
        )
        orphans = conn.execute(sa.text(
            "SELECT COUNT(*) FROM fj_history_snapshots s WHERE NOT EXISTS "
            "(SELECT 1 FROM fj_history_changes c WHERE c.snapshot_id = s.id)"
        )).scalar()  # fmt: skip
    assert orphans == 0
    running = changes.groupby("session")["delta"].cumsum()
    assert (running == changes["total"]).all(), "each change's delta follows the previous count"
    sums = changes.groupby("session")["delta"].sum()
    merged = sessions.set_index("session")["total"]
    assert (sums.reindex(merged.index, fill_value=0) == merged).all()
    assert int(changes["delta"].sum()) == int(merged.sum())
