"""`python -m fj digest`: printed, emailed to a real local SMTP server, posted to a local
webhook receiver; the same view as the dashboard for the same link parameters.

Every server here is real and local: the session's stand-in FJ API, an aiosmtpd SMTP server
and an http.server receiver, each on a free loopback port.
"""

from __future__ import annotations

import email
import email.policy
import json
import os
import re
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlencode

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from fj.client import FJClient
from fj.filters import Filters
from tests.apptest import new_app
from tests.servers import free_port

ROOT = Path(__file__).resolve().parent.parent
SMTP_USER, SMTP_PASSWORD = "digest-bot", "s3cret-Pa55word"


def run_cli(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None):
    environ = {k: v for k, v in os.environ.items() if not k.startswith("FJ_")}
    environ.update({"PYTHONPATH": str(ROOT)}, **(env or {}))
    return subprocess.run(
        [sys.executable, "-m", "fj", *args],
        capture_output=True,
        cwd=cwd or ROOT,
        env=environ,
        timeout=120,
        check=False,
    )


def error_line(done) -> str:
    """The one line a failure prints (asserting there is exactly one)."""
    lines = done.stderr.decode().strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("error: ")
    return lines[0]


# -- printing ----------------------------------------------------------------------------------


@pytest.mark.timeout(600)
@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_the_demo_summary_in_each_format(fmt, tmp_path):
    done = run_cli("digest", "--demo", "--format", fmt, "--tz", "Asia/Kolkata", cwd=tmp_path)
    assert done.returncode == 0, done.stderr.decode()
    out = done.stdout.decode()
    assert "Demo project" in out
    assert "times in Asia/Kolkata" in out
    assert "vs the week before" in out
    if fmt == "html":
        assert out.startswith("<!DOCTYPE html>")
    elif fmt == "markdown":
        assert out.startswith("**FJ sourcing summary")
    else:
        assert out.startswith("FJ sourcing summary · Demo project\n")


def sessions_counted(text: str) -> tuple[int, int]:
    shown, total = re.search(r"([\d,]+) of ([\d,]+) sessions", text).groups()
    return int(shown.replace(",", "")), int(total.replace(",", ""))


@pytest.mark.timeout(600)
def test_the_same_link_parameters_count_the_same_sessions_as_the_dashboard(
    stub_server, keys, dashboard_env, tmp_path
):
    env = {"FJ_API_KEY": keys["test"], "FJ_API_BASE_URL": stub_server.base_url}
    with FJClient(keys["test"], stub_server.base_url) as client:
        frame = client.fetch_sessions().frame
    roles = frame["role"].value_counts().index[:2].tolist()
    params = {"role": roles, "date": "90d", "pmin": "1", "tz": "Asia/Kolkata"}

    by_options = run_cli(
        "digest", "--role", roles[0], "--role", roles[1], "--since", "90d", "--pmin", "1",
        "--tz", "Asia/Kolkata", env=env, cwd=tmp_path,
    )  # fmt: skip
    assert by_options.returncode == 0, by_options.stderr.decode()
    link = "https://dash.example/?" + urlencode(params, doseq=True)
    by_link = run_cli("digest", "--link", link, env=env, cwd=tmp_path)
    assert by_link.returncode == 0, by_link.stderr.decode()

    for name, value in env.items():
        dashboard_env.setenv(name, value)
    at = new_app()
    for name, value in params.items():
        at.query_params[name] = value
    at.run()
    assert not at.exception
    caption = next(c.value for c in at.caption if " of " in c.value and "sessions" in c.value)

    counted = sessions_counted(caption)
    assert counted[0] > 0 and counted[0] < counted[1]  # the filters did narrow the view
    assert sessions_counted(by_options.stdout.decode()) == counted
    assert sessions_counted(by_link.stdout.decode()) == counted
    filters, _ = Filters.from_query(params)
    assert filters.describe() in by_options.stdout.decode()
    assert keys["test"].encode() not in by_options.stdout + by_options.stderr


def test_a_value_the_project_lacks_is_one_line_and_exit_1(tmp_path):
    done = run_cli("digest", "--demo", "--role", "Astronaut", cwd=tmp_path)
    assert done.returncode == 1
    assert error_line(done) == "error: Ignored role 'Astronaut': no such role in this project."
    assert done.stdout == b""
    bad_tz = run_cli("digest", "--demo", "--tz", "Mars/Olympus", cwd=tmp_path)
    assert bad_tz.returncode == 1
    assert "Unknown timezone 'Mars/Olympus'" in error_line(bad_tz)


def test_key_problems_exit_2(stub_server, tmp_path):
    done = run_cli("digest", cwd=tmp_path)
    assert done.returncode == 2
    assert "No FJ API key" in error_line(done)
    wrong = run_cli(
        "digest",
        env={"FJ_API_KEY": "fjk_wrong_000000", "FJ_API_BASE_URL": stub_server.base_url},
        cwd=tmp_path,
    )
    assert wrong.returncode == 2
    assert "fjk_wrong_000000" not in error_line(wrong)


# -- email: a real SMTP server -----------------------------------------------------------------


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 OK"


def _authenticate(server, session, envelope, mechanism, auth_data):
    ok = auth_data.login == SMTP_USER.encode() and auth_data.password == SMTP_PASSWORD.encode()
    return AuthResult(success=ok, handled=False)  # on failure aiosmtpd answers 535


@pytest.fixture
def smtp_server():
    inbox = _Inbox()
    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=free_port(),
        authenticator=_authenticate,
        auth_require_tls=False,  # loopback only: the test server has no certificate
    )
    controller.start()
    yield controller, inbox
    controller.stop()


def smtp_env(controller, password: str = SMTP_PASSWORD) -> dict[str, str]:
    return {
        "FJ_SMTP_HOST": "127.0.0.1",
        "FJ_SMTP_PORT": str(controller.port),
        "FJ_SMTP_USER": SMTP_USER,
        "FJ_SMTP_PASSWORD": password,
        "FJ_SMTP_STARTTLS": "false",
        "FJ_SMTP_FROM": "fj-digest@example.com",
        "FJ_DASHBOARD_URL": "https://dash.example/fj",
    }


@pytest.mark.timeout(600)
def test_the_email_arrives_with_text_and_html_parts(smtp_server, tmp_path):
    controller, inbox = smtp_server
    env = smtp_env(controller)
    done = run_cli(
        "digest", "--demo", "--since", "30d", "--email-to", "lead@example.com",
        "--email-to", "hm@example.com", env=env, cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr.decode()
    assert done.stdout == b""  # sent, not printed
    assert f"127.0.0.1:{controller.port}" in done.stderr.decode()
    assert SMTP_PASSWORD not in done.stderr.decode()

    [(sender, recipients, raw)] = inbox.messages
    assert sender == "fj-digest@example.com"
    assert recipients == ["lead@example.com", "hm@example.com"]
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert message["Subject"].startswith("FJ sourcing summary: Demo project · the last 30 days: ")
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(("plain",)).get_content().replace("\r\n", "\n")  # SMTP lines
    page = message.get_body(("html",)).get_content()
    printed = run_cli("digest", "--demo", "--since", "30d", env=env, cwd=tmp_path)
    assert text == printed.stdout.decode()  # the same summary as printed
    assert page.startswith("<!DOCTYPE html>")
    assert '<a href="https://dash.example/fj/?date=30d&amp;tz=UTC">' in page


def test_a_wrong_smtp_password_is_one_line_without_the_password(smtp_server, tmp_path):
    controller, inbox = smtp_server
    done = run_cli(
        "digest", "--demo", "--email-to", "lead@example.com",
        env=smtp_env(controller, password="not-the-password"), cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 1
    line = error_line(done)
    assert "refused the login" in line
    assert "not-the-password" not in line
    assert inbox.messages == []


def test_no_smtp_server_listening_is_one_line_and_exit_1(tmp_path):
    port = free_port()
    done = run_cli(
        "digest", "--demo", "--email-to", "lead@example.com",
        env={"FJ_SMTP_HOST": "127.0.0.1", "FJ_SMTP_PORT": str(port),
             "FJ_SMTP_PASSWORD": SMTP_PASSWORD, "FJ_SMTP_USER": SMTP_USER},
        cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 1
    line = error_line(done)
    assert f"127.0.0.1:{port}" in line and "connection refused" in line
    assert SMTP_PASSWORD not in line


def test_email_without_an_smtp_host_says_what_to_set(tmp_path):
    done = run_cli("digest", "--demo", "--email-to", "lead@example.com", cwd=tmp_path)
    assert done.returncode == 1
    assert "set FJ_SMTP_HOST" in error_line(done)


# -- Slack: a local webhook receiver ------------------------------------------------------------


@pytest.fixture
def webhook():
    """A local stand-in for a Slack incoming webhook: keeps each POST; /fail answers 500."""
    received: list[tuple[str, dict, str]] = []

    class Hook(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (http.server's name)
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append((self.path, json.loads(body), self.headers["Content-Type"]))
            status, reply = (500, b"internal_error") if "/fail" in self.path else (200, b"ok")
            self.send_response(status)
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Hook)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", received
    server.shutdown()
    server.server_close()


@pytest.mark.timeout(600)
def test_the_slack_payload_is_received(webhook, tmp_path):
    base, received = webhook
    url = f"{base}/services/T000/B000/SECRETPATH"
    done = run_cli("digest", "--demo", "--slack-webhook", url, cwd=tmp_path)
    assert done.returncode == 0, done.stderr.decode()
    assert "SECRETPATH" not in done.stderr.decode()
    [(path, payload, content_type)] = received
    assert path == "/services/T000/B000/SECRETPATH"
    assert content_type == "application/json"
    printed = run_cli("digest", "--demo", "--format", "markdown", cwd=tmp_path)
    assert payload["blocks"] == [{"type": "markdown", "text": printed.stdout.decode()}]
    assert payload["text"].startswith("FJ sourcing summary: Demo project · last week: ")


def test_a_failing_webhook_is_one_line_without_its_secret(webhook, tmp_path):
    base, received = webhook
    done = run_cli("digest", "--demo", "--slack-webhook", f"{base}/fail/SECRETPATH", cwd=tmp_path)
    assert done.returncode == 1
    line = error_line(done)
    assert "answered 500" in line and "internal_error" in line
    assert "SECRETPATH" not in line
    assert len(received) == 1


def test_no_webhook_listening_is_one_line_and_exit_1(tmp_path):
    url = f"http://127.0.0.1:{free_port()}/services/SECRETPATH"
    done = run_cli("digest", "--demo", "--slack-webhook", url, cwd=tmp_path)
    assert done.returncode == 1
    line = error_line(done)
    assert "Could not post the summary" in line and "SECRETPATH" not in line
