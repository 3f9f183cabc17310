"""FJClient over real loopback HTTP against the stand-in server (no patching of requests)."""

from __future__ import annotations

import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

import fj
from fj.stub import Fault
from tests.servers import free_port


def fast_client(stub_server, key, **kw) -> fj.FJClient:
    kw.setdefault("backoff", 0.01)
    return fj.FJClient(key, stub_server.base_url, **kw)


def sessions_requests(stub_server):
    return [r for r in stub_server.requests if r.path.endswith("/projects/sessions")]


def test_fetch_sessions_returns_every_record(stub_server, keys):
    with fast_client(stub_server, keys["test"]) as client:
        loaded = client.fetch_sessions()
    assert loaded.record_count == len(loaded.frame) == 300
    assert {"_id", "sessionTitle", "jdDetail", "totalProfiles"} <= set(loaded.sample_record)


def test_key_travels_only_in_the_header(stub_server, keys):
    with fast_client(stub_server, keys["test"]) as client:
        client.fetch_sessions()
    [seen] = sessions_requests(stub_server)
    assert seen.method == "GET"
    assert seen.key_in_header
    assert keys["test"] not in seen.target
    assert "fjk_" not in seen.target


def test_user_agent_names_the_project_and_version():
    seen: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            seen.append(self.headers["User-Agent"])
            body = b'{"status": "SUCCESS", "data": {"session": {}}}'
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with fj.FJClient("fjk_user_agent_1234", f"http://127.0.0.1:{server.server_port}") as c:
            c.get_session("s1")
    finally:
        server.shutdown()
        server.server_close()
    assert seen and seen[0].startswith(f"fj-sourcing-dashboard/{fj.__version__}")


def test_sessions_frame_comes_typed(stub_server, keys):
    with fast_client(stub_server, keys["test"]) as client:
        frame = client.fetch_sessions().frame
    assert len(frame) == 300
    assert str(frame["created_at"].dtype) == "datetime64[ms, UTC]"
    assert str(frame["total_profiles"].dtype) == "Int64"


def test_wrong_key_raises_auth_error_without_the_key(stub_server):
    wrong = "fjk_wrong_key_9f8e7d6c5b4a"
    with fast_client(stub_server, wrong) as client, pytest.raises(fj.AuthError) as info:
        client.fetch_sessions()
    err = info.value
    assert err.status == 401
    assert err.request_id  # the stand-in sends X-Request-Id
    assert "401" in str(err) and "FJ_API_KEY" in str(err)
    assert wrong not in str(err) and wrong not in repr(err)
    assert len(sessions_requests(stub_server)) == 1  # a 401 is not retried


def test_forbidden_is_an_auth_error(stub_server, keys):
    stub_server.inject(Fault(status=403))
    with fast_client(stub_server, keys["test"]) as client, pytest.raises(fj.AuthError) as info:
        client.fetch_sessions()
    assert info.value.status == 403


def test_key_without_project_raises_not_found(stub_server, keys):
    with fast_client(stub_server, keys["noproject"]) as client, pytest.raises(
        fj.NotFoundError
    ) as info:
        client.fetch_sessions()
    assert info.value.status == 404
    assert "No project is associated with this key" in str(info.value)


def test_503_once_then_ok_is_retried_and_succeeds(stub_server, keys):
    stub_server.inject(Fault(status=503), times=1)
    with fast_client(stub_server, keys["test"]) as client:
        loaded = client.fetch_sessions()
    assert len(loaded.frame) == 300
    assert [r.status for r in sessions_requests(stub_server)] == [503, 200]


@pytest.mark.parametrize("status", [500, 502, 504])
def test_other_5xx_once_then_ok_succeeds(stub_server, keys, status):
    stub_server.inject(Fault(status=status), times=1)
    with fast_client(stub_server, keys["test"]) as client:
        assert len(client.fetch_sessions().frame) == 300
    assert [r.status for r in sessions_requests(stub_server)] == [status, 200]


def test_persistent_5xx_raises_server_error_after_the_retries(stub_server, keys):
    stub_server.inject(Fault(status=502), times=10)
    with fast_client(stub_server, keys["test"], retries=2) as client, pytest.raises(
        fj.ServerError
    ) as info:
        client.fetch_sessions()
    assert info.value.status == 502
    assert len(sessions_requests(stub_server)) == 3  # the first try and 2 retries


def test_429_with_retry_after_waits_then_succeeds(stub_server, keys):
    stub_server.inject(Fault(status=429, retry_after="1"), times=1)
    with fast_client(stub_server, keys["test"]) as client:
        assert len(client.fetch_sessions().frame) == 300
    first, second = sessions_requests(stub_server)
    assert (first.status, second.status) == (429, 200)
    # The client honoured Retry-After: the retry came at least ~1 s after the 429.
    assert second.time - first.time >= 0.9


def test_persistent_429_raises_rate_limit_error_with_retry_after(stub_server, keys):
    stub_server.inject(Fault(status=429, retry_after="0"), times=10)
    with fast_client(stub_server, keys["test"], retries=1) as client, pytest.raises(
        fj.RateLimitError
    ) as info:
        client.fetch_sessions()
    assert info.value.status == 429
    assert info.value.retry_after == 0
    assert len(sessions_requests(stub_server)) == 2


def test_429_without_retry_after_backs_off_and_retries(stub_server, keys):
    stub_server.inject(Fault(status=429), times=1)
    with fast_client(stub_server, keys["test"]) as client:
        assert len(client.fetch_sessions().frame) == 300


def test_long_retry_after_is_capped(stub_server, keys):
    stub_server.inject(Fault(status=429, retry_after="3600"), times=1)
    with fast_client(stub_server, keys["test"], max_retry_after=0.2) as client:
        assert len(client.fetch_sessions().frame) == 300
    first, second = sessions_requests(stub_server)
    # Waited about the 0.2 s cap, not the hour asked for nor the 10 s default cap.
    assert second.time - first.time < 5


def test_server_slower_than_read_timeout_raises_unavailable(stub_server, keys):
    stub_server.inject(Fault(delay=2.0), times=5)
    with fast_client(stub_server, keys["test"], timeout=0.3, retries=0) as client, pytest.raises(
        fj.UnavailableError
    ) as info:
        client.fetch_sessions()
    assert "timeout" in str(info.value)


def test_connection_refused_raises_unavailable():
    port = free_port()  # nothing listens on it
    client = fj.FJClient("fjk_whatever_12345678", f"http://127.0.0.1:{port}/api/v1/wl",
                         retries=1, backoff=0.01)
    with pytest.raises(fj.UnavailableError) as info:
        client.fetch_sessions()
    assert "Could not connect" in str(info.value)


def test_connection_reset_mid_body_raises_unavailable(stub_server, keys):
    stub_server.inject(Fault(reset=True), times=5)
    with fast_client(stub_server, keys["test"], retries=0) as client, pytest.raises(
        fj.UnavailableError
    ):
        client.fetch_sessions()


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ("truncated", "not JSON"),
        ("not_json", "not JSON"),
        ("html", "an HTML page"),
        ("wrong_status", "did not report success"),
        ("no_data", "no 'data'"),
        ("data_not_list", "expected a list"),
    ],
)
def test_malformed_answers_raise_bad_response(stub_server, keys, body, words):
    stub_server.inject(Fault(body=body))
    with fast_client(stub_server, keys["test"]) as client, pytest.raises(
        fj.BadResponseError
    ) as info:
        client.fetch_sessions()
    assert words in str(info.value)
    assert keys["test"] not in str(info.value)


def test_empty_project_is_an_empty_list(stub_server, keys):
    stub_server.inject(Fault(body="empty_data"))
    with fast_client(stub_server, keys["test"]) as client:
        assert len(client.fetch_sessions().frame) == 0


def test_repr_and_logs_show_the_key_masked(stub_server, keys, caplog):
    client = fast_client(stub_server, keys["test"])
    assert keys["test"] not in repr(client)
    assert repr(client).endswith(f"key='fjk_…{keys['test'][-4:]}')")
    with caplog.at_level(logging.DEBUG):
        client.fetch_sessions()
    assert caplog.records, "the client logs each request"
    assert all(keys["test"] not in r.getMessage() for r in caplog.records)
    assert any(f"fjk_…{keys['test'][-4:]}" in r.getMessage() for r in caplog.records)


def test_the_client_reads_no_environment(monkeypatch, stub_server, keys):
    """The library takes its settings as arguments: a hostile FJ_API_BASE_URL in the
    environment changes nothing; the caller's base URL (or production's) is used."""
    monkeypatch.setenv("FJ_API_BASE_URL", "http://attacker.invalid/api/v1/wl")
    monkeypatch.setenv("FJ_API_DEADLINE", "1")
    monkeypatch.setenv("FJ_API_MAX_BYTES", "1")
    client = fj.FJClient("fjk_x", "http://127.0.0.1:1/api/v1/wl/")
    assert client.base_url == "http://127.0.0.1:1/api/v1/wl"
    assert fj.FJClient("fjk_x").base_url == "https://prod.api.futurejobs.ai/api/v1/wl"
    assert "attacker" not in repr(client)
    with fast_client(stub_server, keys["test"]) as client:  # limits of 1 byte, 1 s: not read
        assert len(client.fetch_sessions().frame) == 300


def test_a_base_url_that_is_not_http_is_refused():
    with pytest.raises(fj.FJError, match="FJ_API_BASE_URL"):
        fj.FJClient("fjk_x", "ftp://example.invalid")


def test_client_has_no_credit_spending_methods():
    public = {name for name in dir(fj.FJClient) if not name.startswith("_")}
    assert not {n for n in public if any(w in n for w in ("create", "update", "fetch_more",
                                                          "reveal", "post", "patch"))}


def test_session_details_and_candidates_are_read(stub_server, keys):
    with fast_client(stub_server, keys["test"]) as client:
        session_id = client.fetch_sessions().frame["session_id"].iloc[0]
        session = client.get_session(session_id)
        page = client.get_session_profiles(session_id, page=1, limit=5)
    assert session["_id"] == session_id
    assert session["profileMatchingStatus"] in {"processing", "fetching_more", "done"}
    assert page["page"] == 1 and len(page["docs"]) <= 5


def test_unknown_session_is_not_found(stub_server, keys):
    with fast_client(stub_server, keys["test"]) as client, pytest.raises(fj.NotFoundError):
        client.get_session("0" * 24)
