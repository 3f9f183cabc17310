"""The API key never leaves the server's memory: a distinctive key, searched for everywhere.

Every element of every page (each proto serialised), the URL, every log line
at DEBUG (Streamlit's own loggers included) and the stand-in's log, every
error and exception of every fault kind (str, repr and the whole chained
traceback), the reprs of the objects that hold the key, the CSV and JSON
exports, the CLI's output. The real server's output and websocket traffic
are searched by tests/test_viewers.py.
"""

from __future__ import annotations

import logging
import subprocess
import sys
import tomllib
import traceback
from pathlib import Path

import pytest
import streamlit.logger
from streamlit.testing.v1 import AppTest

from fj import FJClient, FJError
from fj.client import mask_key
from fj.export import to_csv
from fj.stub import Fault, Project, StubServer
from fj.tables import sessions_table
from tests.apptest import ROOT, new_app, texts
from ui.source import resolve_source

LEAK = "fjk_LEAKCHECK_7f3a9c2e51d04b68"
#: Pieces of the key that must not show either (the masked form keeps only the last 4).
PIECES = (LEAK, LEAK[4:], LEAK[:-4], "LEAKCHECK_7f3a9c2e")
PROJECT = Project(n=20, seed=7)  # small: the Candidates page reads every session's candidates
PAGES = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "pages").glob("*.py"))


def assert_no_key(text: str, where: str) -> None:
    for piece in PIECES:
        assert piece not in text, f"the key shows in {where}"


@pytest.fixture(autouse=True)
def _fresh(dashboard_env):
    """No key from the machine, short client timeouts, and no cached data from another test."""
    dashboard_env.setenv("FJ_API_RETRIES", "1")
    dashboard_env.setenv("FJ_API_TIMEOUT", "1")


@pytest.fixture
def every_log_line(caplog):
    """caplog at DEBUG for every logger, Streamlit's too (they do not propagate by default)."""
    saved = {name: (lg.level, lg.propagate) for name, lg in streamlit.logger._loggers.items()}
    for lg in streamlit.logger._loggers.values():
        lg.setLevel(logging.DEBUG)
        lg.propagate = True
    caplog.set_level(logging.DEBUG)
    yield caplog
    for name, (level, propagate) in saved.items():
        streamlit.logger._loggers[name].setLevel(level)
        streamlit.logger._loggers[name].propagate = propagate


def logged(caplog) -> str:
    """Every record as text: message, arguments and any traceback."""
    lines = []
    for rec in caplog.records:
        lines.append(rec.getMessage())
        if rec.exc_info:
            lines.append("".join(traceback.format_exception(*rec.exc_info)))
    return "\n".join(lines)


@pytest.fixture
def leak_served(stub_server):
    """The session's stand-in serves LEAK a small project."""
    stub_server.set_project(LEAK, PROJECT)
    return stub_server


def with_source(source: str, server: StubServer, monkeypatch) -> AppTest:
    """An AppTest whose key (LEAK) comes from ``source``, run once."""
    at = new_app()
    if source == "env":
        monkeypatch.setenv("FJ_API_KEY", LEAK)
        monkeypatch.setenv("FJ_API_BASE_URL", server.base_url)
    elif source == "secrets":
        at.secrets["FJ_API_KEY"] = LEAK
        at.secrets["FJ_API_BASE_URL"] = server.base_url
    elif source == "projects table":
        at.secrets["fj"] = {"projects": {"Backend": LEAK}}
        at.secrets["FJ_API_BASE_URL"] = server.base_url
    at.run()
    if source == "typed":
        monkeypatch.setenv("FJ_API_BASE_URL", server.base_url)
        at.run()
        at.text_input(key="fj_typed_key").input(LEAK).run()
    assert at.session_state["fj_view"].data.record_count == 20  # LEAK's project, not the demo
    return at


def walk_every_page(at: AppTest) -> str:
    """Open every page, in the states that show the most (a session chosen, candidates loaded);
    return everything they showed."""
    # The oldest session: its matching is done, so the Session page lists candidates.
    at.session_state["fj_session"] = at.session_state["fj_view"].filtered["session_id"].iloc[-1]
    shown = []
    for page in PAGES:
        at.switch_page(page).run()
        assert not at.exception, page
        for button in at.button:
            if button.label.startswith("Load the candidates"):
                button.click().run()
                assert not at.exception, page
        shown.append(texts(at))
        assert_no_key(shown[-1], f"an element of {page}")
        assert_no_key(repr(dict(at.query_params)), f"the URL of {page}")
    return "\n".join(shown)


@pytest.mark.parametrize("source", ["env", "typed", "projects table"])
def test_no_page_url_or_log_line_shows_the_key(leak_served, monkeypatch, every_log_line, source):
    at = with_source(source, leak_served, monkeypatch)
    walk_every_page(at)
    at.switch_page("pages/data.py").run()
    assert mask_key(LEAK) in at.table[0].value.to_string()  # the masked form is what shows
    assert_no_key(logged(every_log_line), "a log line")
    assert_no_key(repr(leak_served.requests), "the stand-in's request log")
    assert all(LEAK not in r.target for r in leak_served.requests)


@pytest.mark.parametrize(
    "fault",
    [Fault(status=s) for s in (401, 403, 404, 429, 500, 502, 503)]
    + [Fault(status=429, retry_after="1"), Fault(delay=1.5), Fault(reset=True)]
    + [
        Fault(body=b)
        for b in ("truncated", "html", "not_json", "wrong_status", "no_data", "data_not_list")
    ],  # fmt: skip
    ids=repr,
)
def test_no_error_or_exception_shows_the_key(leak_served, every_log_line, fault):
    leak_served.inject(fault, times=10)
    caught: list[BaseException] = []
    with FJClient(LEAK, leak_served.base_url, timeout=(0.5, 0.5), retries=1) as client:
        for call in (client.fetch_sessions, lambda: client.get_session("0" * 24)):
            with pytest.raises(FJError) as info:
                call()
            caught.append(info.value)
    for exc in caught:
        assert_no_key(str(exc), "an error message")
        assert_no_key(repr(exc), "an exception's repr")
        assert_no_key("".join(traceback.format_exception(exc)), "a traceback (causes included)")
    assert_no_key(logged(every_log_line), "a log line")


def test_a_refused_connection_or_a_bad_key_never_shows_it(every_log_line):
    with StubServer({}) as server:
        closed = server.base_url
    errors: list[BaseException] = []
    for key, url in ((LEAK, closed), (LEAK[:10] + "\n" + LEAK[10:], closed),
                     (LEAK + "\u200b", closed)):  # fmt: skip
        with pytest.raises(FJError) as info:
            FJClient(key, url, timeout=(1, 1), retries=0).fetch_sessions()
        errors.append(info.value)
    for exc in errors:
        assert_no_key("".join(traceback.format_exception(exc)) + repr(exc), "an error")
    assert_no_key(logged(every_log_line), "a log line")


def test_the_dashboard_shows_every_fault_without_the_key(leak_served, monkeypatch):
    monkeypatch.setenv("FJ_API_KEY", LEAK)
    monkeypatch.setenv("FJ_API_BASE_URL", leak_served.base_url)
    at = new_app().run()
    for fault in (Fault(status=401), Fault(status=503), Fault(body="html"), Fault(reset=True)):
        leak_served.inject(fault, times=5)
        next(b for b in at.sidebar.button if b.label == "Refresh").click().run()
        leak_served.clear_faults()
        assert at.warning, fault  # the failure is shown...
        assert_no_key(texts(at), f"the page after {fault}")  # ...without the key


def test_reprs_of_what_holds_the_key_hide_it(leak_served, monkeypatch):
    at = with_source("env", leak_served, monkeypatch)
    view = at.session_state["fj_view"]
    monkeypatch.setenv("FJ_API_KEY", LEAK)
    with FJClient(LEAK, leak_served.base_url) as client:
        shown = {
            "the client": repr(client) + str(client) + client.masked_key,
            "the source": repr(resolve_source(None)),
            "a project": repr(view.projects[0]) + str(view.projects),
            "the view": repr(view),
        }
    for what, text in shown.items():
        assert_no_key(text, f"the repr of {what}")
    assert mask_key(LEAK) in shown["the client"]


def test_exports_hold_no_key(leak_served, monkeypatch):
    at = with_source("env", leak_served, monkeypatch)
    view = at.session_state["fj_view"]
    table = sessions_table(view.filtered, view.tz)
    for excel in (False, True):
        assert_no_key(to_csv(table, tz=view.tz, excel=excel).decode("utf-8-sig"), "a CSV export")
    assert_no_key(view.filtered.to_json(orient="records", date_format="iso"), "a JSON export")


def run_cli(*args: str, key: str, base_url: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {"PATH": "/usr/bin:/bin", "FJ_API_KEY": key, "FJ_API_BASE_URL": base_url,
           "HOME": str(cwd)}  # fmt: skip
    return subprocess.run(
        [sys.executable, "-m", "fj", "sessions", *args, "-v"],
        capture_output=True,
        env=env | {"PYTHONPATH": str(ROOT)},
        cwd=cwd,
        timeout=60,
        check=False,
    )


def test_the_cli_exports_and_their_log_hold_no_key(leak_served, tmp_path):
    done = run_cli("--format", "csv", key=LEAK, base_url=leak_served.base_url, cwd=tmp_path)
    assert done.returncode == 0, done.stderr.decode()
    assert done.stdout.count(b"\n") == 21  # the header and every session
    assert b"GET /projects/sessions -> 200" in done.stderr  # -v logs each request
    assert_no_key(done.stdout.decode() + done.stderr.decode(), "the CLI's CSV and log")
    written = tmp_path / "sessions.json"
    done = run_cli("--format", "json", "--output", str(written), key=LEAK,
                   base_url=leak_served.base_url, cwd=tmp_path)  # fmt: skip
    assert done.returncode == 0, done.stderr.decode()
    assert written.read_text("utf-8").startswith("[{")
    assert_no_key(written.read_text("utf-8") + done.stderr.decode(), "the CLI's JSON and log")


def test_the_cli_error_for_a_rejected_key_does_not_repeat_it(stub_server, tmp_path):
    done = run_cli(key=LEAK, base_url=stub_server.base_url, cwd=tmp_path)  # unknown key: 401
    assert done.returncode == 2
    assert b"rejected the key (401)" in done.stderr
    assert_no_key(done.stdout.decode() + done.stderr.decode(), "the CLI's error")


def test_the_stand_ins_verbose_log_keeps_only_a_fingerprint(every_log_line):
    with StubServer({LEAK: PROJECT}, verbose=True) as server:
        with FJClient(LEAK, server.base_url) as client:
            client.fetch_sessions()
        records = server.history
    assert records and all(
        r.read_only and r.key_in_header and LEAK not in r.target for r in records
    )
    assert any("/projects/sessions" in r.getMessage() for r in every_log_line.records)
    assert_no_key(repr(records) + logged(every_log_line), "the stand-in's log")


def test_viewers_never_see_a_traceback():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text("utf-8"))
    assert config["client"]["showErrorDetails"] == "none"
