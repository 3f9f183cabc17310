"""The stand-in FJ API over real loopback HTTP: endpoints, auth, headers, faults, log, CLI."""

import json
import logging
import subprocess
import sys
import time

import pytest
import requests

from fj.stub import Fault, Project, StubServer
from fj.synthetic import (
    candidate_details,
    generate_candidates,
    generate_sessions,
    payload_bytes,
    synthetic_payload,
)

RATE_HEADERS = ("RateLimit-Policy", "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset")


@pytest.fixture
def http():
    with requests.Session() as session:
        yield session


@pytest.fixture
def get(stub_server, keys, http):
    """GET a path under the base URL with the test key (or ``key=``) in the header."""

    def get(path, key=keys["test"], **kw):
        headers = {} if key is None else {"x-fj-api-key": key}
        return http.get(stub_server.base_url + path, headers=headers, timeout=10, **kw)

    return get


@pytest.fixture
def own_server():
    """A private stand-in, for requests the session stub's read-only audit must not see."""
    with StubServer({"fjk_own_key_0001": Project(n=5, seed=1)}) as server:
        yield server


def session_with_profiles(get, minimum=30):
    sessions = get("/projects/sessions").json()["data"]
    # The three newest sessions are still working: pick a done one.
    return next(s for s in sessions[3:] if s["totalProfiles"] >= minimum)


# -- /projects/sessions and auth -----------------------------------------------------------


def test_sessions_are_the_synthetic_project_of_the_key(get, keys):
    response = get("/projects/sessions")
    assert response.status_code == 200
    assert response.content == synthetic_payload(300, seed=7)
    other = get("/projects/sessions", key=keys["other"]).json()["data"]
    assert len(other) == 50
    assert {s["_id"] for s in other}.isdisjoint(s["_id"] for s in response.json()["data"])


def test_explicit_sessions_are_served_as_the_vendor_envelope(stub_server, get):
    sessions = generate_sessions(3, seed=2)
    stub_server.set_project("fjk_explicit_9999", Project(sessions=sessions))
    response = get("/projects/sessions", key="fjk_explicit_9999")
    assert response.content == payload_bytes(sessions)
    assert response.json()["status"] == "SUCCESS"


def test_raw_project_is_served_byte_for_byte(stub_server, get):
    raw = b'{"statusCode":200,"data":[{"_id":1}],"status":"SUCCESS"}'
    stub_server.set_project("fjk_raw_0000", Project(raw=raw))
    assert get("/projects/sessions", key="fjk_raw_0000").content == raw


def test_reset_restores_the_keys_given_at_start(stub_server, get, keys):
    stub_server.set_project("fjk_added_4321", Project(n=2))
    stub_server.set_project(keys["test"], None)
    assert get("/projects/sessions", key="fjk_added_4321").status_code == 200
    assert get("/projects/sessions").status_code == 404
    stub_server.reset()
    assert get("/projects/sessions", key="fjk_added_4321").status_code == 401
    assert get("/projects/sessions").status_code == 200


@pytest.mark.parametrize("key", [None, "fjk_wrong_key_abcdef", ""])
def test_missing_or_unknown_key_is_401_without_the_key(get, key):
    response = get("/projects/sessions", key=key)
    assert response.status_code == 401
    assert response.json() == {
        "statusCode": 401,
        "message": "Invalid API key",
        "status": "FAILURE",
    }
    assert "fjk_" not in response.text
    assert all("fjk_" not in v for v in response.headers.values())


def test_key_without_project_is_404(get, keys):
    response = get("/projects/sessions", key=keys["noproject"])
    assert response.status_code == 404
    assert response.json()["status"] == "FAILURE"
    assert "no project" in response.json()["message"].lower()


def test_project_must_be_given_one_way():
    with pytest.raises(ValueError):
        Project()
    with pytest.raises(ValueError):
        Project(n=3, raw=b"{}")


# -- headers ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "key", "status"),
    [
        ("/projects/sessions", "test", 200),
        ("/projects/sessions", "wrong", 401),
        ("/projects/sessions", "noproject", 404),
        ("/sourcing-session/000000000000000000000000", "test", 404),
    ],
)
def test_every_answer_carries_the_documented_headers(get, keys, path, key, status):
    response = get(path, key=keys.get(key, "fjk_wrong_1"))
    assert response.status_code == status
    headers = response.headers
    assert headers["Content-Type"] == "application/json; charset=utf-8"
    assert int(headers["Content-Length"]) == len(response.content)
    assert headers["X-Request-Id"] and headers["ETag"].startswith('"')
    for name in RATE_HEADERS:
        assert headers[name]


def test_request_ids_are_unique(get):
    ids = {get("/projects/sessions").headers["X-Request-Id"] for _ in range(5)}
    assert len(ids) == 5


def test_rate_limit_remaining_counts_down_per_key(stub_server, get):
    stub_server.set_project("fjk_rate_5555", Project(n=1))
    remaining = [
        int(get("/projects/sessions", key="fjk_rate_5555").headers["RateLimit-Remaining"])
        for _ in range(3)
    ]
    # A new rate window may start between two requests, but not twice in a row.
    assert remaining[0] - remaining[1] == 1 or remaining[1] - remaining[2] == 1


def test_if_none_match_with_the_current_etag_gives_304(stub_server, keys, http):
    url = stub_server.base_url + "/projects/sessions"
    headers = {"x-fj-api-key": keys["test"]}
    etag = http.get(url, headers=headers).headers["ETag"]
    assert http.get(url, headers=headers).headers["ETag"] == etag
    response = http.get(url, headers=headers | {"If-None-Match": etag})
    assert response.status_code == 304
    assert response.content == b""
    other = http.get(url, headers=headers | {"If-None-Match": '"stale"'})
    assert other.status_code == 200


# -- drill-down endpoints -----------------------------------------------------------------


def test_session_endpoint_gives_title_and_matching_status(get):
    sessions = get("/projects/sessions").json()["data"]
    statuses = []
    for s in sessions[:5]:
        response = get(f"/sourcing-session/{s['_id']}")
        assert response.status_code == 200
        session = response.json()["data"]["session"]
        assert session["_id"] == s["_id"] and session["sessionTitle"] == s["sessionTitle"]
        statuses.append(session["profileMatchingStatus"])
    assert statuses == ["processing", "fetching_more", "fetching_more", "done", "done"]


def test_session_of_another_project_is_404(get, keys):
    other_id = get("/projects/sessions", key=keys["other"]).json()["data"][0]["_id"]
    assert get(f"/sourcing-session/{other_id}").status_code == 404
    assert get(f"/sourcing-session/{other_id}", key=keys["other"]).status_code == 200


def test_drill_down_needs_a_key_with_a_project(get, keys):
    session_id = get("/projects/sessions").json()["data"][0]["_id"]
    assert get(f"/sourcing-session/{session_id}", key=None).status_code == 401
    assert get(f"/sourcing-session/{session_id}", key=keys["noproject"]).status_code == 404


def test_profile_pages_cover_every_candidate_once(get):
    session = session_with_profiles(get)
    expected = generate_candidates(session)
    docs, page = [], 1
    while True:
        response = get(f"/sourcing-session/{session['_id']}/profiles?page={page}&limit=7")
        data = response.json()["data"]
        assert data["totalDocs"] == len(expected) and data["limit"] == 7 and data["page"] == page
        assert data["totalPages"] == -(-len(expected) // 7)
        docs += data["docs"]
        if not data["hasNextPage"]:
            assert data["nextPage"] is None
            break
        assert data["nextPage"] == page + 1
        page += 1
    assert docs == expected


def test_profiles_default_to_page_1_of_20(get):
    session = session_with_profiles(get, minimum=25)
    data = get(f"/sourcing-session/{session['_id']}/profiles").json()["data"]
    assert (data["page"], data["limit"], len(data["docs"])) == (1, 20, 20)


def test_a_page_past_the_end_is_empty(get):
    session = session_with_profiles(get)
    data = get(f"/sourcing-session/{session['_id']}/profiles?page=99&limit=100").json()["data"]
    assert data["docs"] == [] and data["hasNextPage"] is False


@pytest.mark.parametrize("query", ["page=0", "limit=0", "limit=101", "page=x", "limit=-5"])
def test_invalid_page_or_limit_is_400(get, query):
    session = session_with_profiles(get)
    response = get(f"/sourcing-session/{session['_id']}/profiles?{query}")
    assert response.status_code == 400
    assert response.json()["status"] == "FAILURE"


def test_a_processing_session_has_no_profiles_yet(get):
    newest = get("/projects/sessions").json()["data"][0]
    data = get(f"/sourcing-session/{newest['_id']}/profiles").json()["data"]
    assert data["docs"] == [] and data["totalDocs"] == 0


def test_candidate_details_are_the_full_profile(get):
    session = session_with_profiles(get)
    candidate = get(f"/sourcing-session/{session['_id']}/profiles").json()["data"]["docs"][3]
    response = get(f"/sourcing-session/candidate/{candidate['_id']}/details",
                   params={"sessionId": session["_id"]})  # fmt: skip
    assert response.status_code == 200
    assert response.json()["data"] == candidate_details(session, candidate)


def test_candidate_details_need_a_known_session_and_candidate(get):
    session = session_with_profiles(get)
    candidate_id = generate_candidates(session)[0]["_id"]
    path = f"/sourcing-session/candidate/{candidate_id}/details"
    assert get(path).status_code == 400
    assert get(path, params={"sessionId": "0" * 24}).status_code == 404
    unknown = "/sourcing-session/candidate/ffffffffffffffffffffffff/details"
    assert get(unknown, params={"sessionId": session["_id"]}).status_code == 404


# -- faults -------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [403, 429, 500, 502, 503, 504])
def test_status_fault_answers_that_status_with_a_json_error(stub_server, get, status):
    stub_server.inject(Fault(status=status))
    response = get("/projects/sessions")
    assert response.status_code == status
    assert response.json()["statusCode"] == status
    assert response.json()["status"] == "FAILURE"
    assert "Retry-After" not in response.headers


def test_retry_after_fault_sets_the_header(stub_server, get):
    stub_server.inject(Fault(status=429, retry_after="7"))
    response = get("/projects/sessions")
    assert (response.status_code, response.headers["Retry-After"]) == (429, "7")


def test_delay_fault_trips_a_client_read_timeout(stub_server, keys, http):
    stub_server.inject(Fault(delay=1.5))
    with pytest.raises(requests.exceptions.ReadTimeout):
        http.get(stub_server.base_url + "/projects/sessions",
                 headers={"x-fj-api-key": keys["test"]}, timeout=0.2)  # fmt: skip


def test_delay_fault_still_answers_a_patient_client(stub_server, get):
    stub_server.inject(Fault(delay=0.2))
    assert get("/projects/sessions").content == synthetic_payload(300, seed=7)


def test_truncated_body_is_the_first_half_of_the_real_payload(stub_server, get):
    stub_server.inject(Fault(body="truncated"))
    response = get("/projects/sessions")
    real = synthetic_payload(300, seed=7)
    assert response.status_code == 200
    assert response.content == real[: len(real) // 2]
    with pytest.raises(ValueError):
        response.json()


def check_html(response):
    assert response.headers["Content-Type"].startswith("text/html")
    assert response.text.startswith("<!DOCTYPE html>")


def check_not_json(response):
    with pytest.raises(ValueError):
        json.loads(response.content)


@pytest.mark.parametrize(
    ("body", "check"),
    [
        ("html", check_html),
        ("not_json", check_not_json),
        ("wrong_status", lambda r: r.json()["status"] == "FAILURE" or pytest.fail()),
        ("no_data", lambda r: "data" not in r.json() or pytest.fail()),
        ("data_not_list", lambda r: isinstance(r.json()["data"], dict) or pytest.fail()),
        ("empty_data", lambda r: r.json()["data"] == [] or pytest.fail()),
    ],
)
def test_body_faults_come_with_status_200(stub_server, get, body, check):
    stub_server.inject(Fault(body=body))
    response = get("/projects/sessions")
    assert response.status_code == 200
    check(response)


def test_body_fault_takes_a_given_status(stub_server, get):
    stub_server.inject(Fault(body="html", status=502))
    response = get("/projects/sessions")
    assert response.status_code == 502
    check_html(response)


def test_unknown_body_fault_is_refused():
    with pytest.raises(ValueError, match="unknown body fault"):
        Fault(body="garbage")


def test_reset_fault_breaks_the_connection_mid_body(stub_server, get):
    stub_server.inject(Fault(reset=True))
    with pytest.raises((requests.exceptions.ConnectionError,
                        requests.exceptions.ChunkedEncodingError)):  # fmt: skip
        get("/projects/sessions")
    assert get("/projects/sessions").status_code == 200  # the server lives on
    assert [r.status for r in stub_server.requests] == [200, 200]


def test_fault_serves_the_next_times_requests_then_stops(stub_server, get):
    stub_server.inject(Fault(status=503), times=2)
    assert [get("/projects/sessions").status_code for _ in range(3)] == [503, 503, 200]


def test_faults_are_consumed_in_order(stub_server, get):
    stub_server.inject(Fault(status=500))
    stub_server.inject(Fault(status=429), times=2)
    stub_server.inject(Fault(body="empty_data"))
    seen = [get("/projects/sessions") for _ in range(5)]
    assert [r.status_code for r in seen] == [500, 429, 429, 200, 200]
    assert seen[3].json()["data"] == [] and len(seen[4].json()["data"]) == 300


def test_fault_with_a_path_waits_for_a_matching_request(stub_server, get):
    stub_server.inject(Fault(status=500, path="/profiles"))
    session = session_with_profiles(get)
    assert get(f"/sourcing-session/{session['_id']}").status_code == 200
    assert get(f"/sourcing-session/{session['_id']}/profiles").status_code == 500
    assert get(f"/sourcing-session/{session['_id']}/profiles").status_code == 200


def test_cleared_faults_do_not_fire(stub_server, get):
    stub_server.inject(Fault(status=500), times=3)
    stub_server.clear_faults()
    assert get("/projects/sessions").status_code == 200


def test_faults_apply_before_the_key_is_checked(stub_server, get):
    stub_server.inject(Fault(status=503))
    assert get("/projects/sessions", key=None).status_code == 503


# -- request log --------------------------------------------------------------------------


def test_request_log_records_each_request_without_the_key(stub_server, get, keys):
    get("/projects/sessions")
    get("/projects/sessions", key=keys["other"])
    get("/projects/sessions", key=None)
    session_id = get("/projects/sessions").json()["data"][9]["_id"]
    get(f"/sourcing-session/{session_id}/profiles", params={"page": 2, "limit": 5})
    log = stub_server.requests
    assert [r.status for r in log] == [200, 200, 401, 200, 200]
    assert all(r.method == "GET" for r in log)
    assert log[0].path == log[0].target == "/api/v1/wl/projects/sessions"
    assert log[4].path == f"/api/v1/wl/sourcing-session/{session_id}/profiles"
    assert log[4].target == log[4].path + "?page=2&limit=5"
    assert [r.key_in_header for r in log] == [True, True, False, True, True]
    prints = [r.key_fingerprint for r in log]
    assert prints[0] == prints[3] != prints[1] and prints[2] is None
    assert all(keys["test"] not in repr(r) and keys["other"] not in repr(r) for r in log)
    assert log[0].time <= log[-1].time


def test_clearing_the_log_keeps_the_history(stub_server, get):
    get("/projects/sessions")
    before = len(stub_server.history)
    stub_server.clear_requests()
    assert stub_server.requests == []
    get("/projects/sessions")
    assert len(stub_server.requests) == 1
    assert len(stub_server.history) == before + 1


def test_request_records_are_frozen(stub_server, get):
    get("/projects/sessions")
    record = stub_server.requests[0]
    with pytest.raises(AttributeError):
        record.status = 500


def test_credit_spending_and_unknown_requests_are_refused_and_recorded(own_server, http):
    key = {"x-fj-api-key": "fjk_own_key_0001"}
    base = own_server.base_url
    answers = [
        http.post(base + "/sourcing-session", headers=key, json={"title": "x"}),
        http.patch(base + "/sourcing-session/update-session/abc", headers=key, json={}),
        http.post(base + "/sourcing-session/abc/fetch-more", headers=key),
        http.post(base + "/sourcing-session/contact/reveal", headers=key),
        http.post(base + "/projects/sessions", headers=key),
        http.delete(base + "/projects/sessions", headers=key),
        http.get(base + "/projects/nothing-here", headers=key),
        http.get(own_server.url + "/elsewhere", headers=key),
    ]
    assert [a.status_code for a in answers] == [405] * 6 + [404, 404]
    log = own_server.requests
    assert [r.method for r in log] == ["POST", "PATCH", "POST", "POST", "POST", "DELETE", "GET",
                                       "GET"]  # fmt: skip
    assert [r.status for r in log] == [405] * 6 + [404, 404]
    assert not any(r.read_only for r in log)


def test_a_key_in_the_url_is_recorded_and_refused(own_server, http):
    response = http.get(own_server.base_url + "/projects/sessions",
                        params={"apiKey": "fjk_own_key_0001"})  # fmt: skip
    assert response.status_code == 401
    [record] = own_server.requests
    assert record.key_in_header is False
    assert record.key_fingerprint is not None
    assert "fjk_own_key_0001" not in record.key_fingerprint


def test_quiet_by_default_and_verbose_logs_no_key(caplog, http):
    key = "fjk_verbose_key_777"
    with caplog.at_level(logging.DEBUG, logger="fj.stub"):
        with StubServer({key: Project(n=2)}) as quiet:
            http.get(quiet.base_url + "/projects/sessions", headers={"x-fj-api-key": key})
        assert not caplog.records
        with StubServer({key: Project(n=2)}, verbose=True) as loud:
            http.get(loud.base_url + "/projects/sessions", headers={"x-fj-api-key": key})
    assert [r.getMessage() for r in caplog.records] == ["GET /api/v1/wl/projects/sessions 200"]


# -- admin endpoints ----------------------------------------------------------------------


def test_admin_lists_the_log_and_is_not_logged_itself(stub_server, get, http):
    get("/projects/sessions")
    listed = http.get(stub_server.url + "/__stub/requests").json()
    assert len(listed) == 1 and listed[0]["status"] == 200
    assert listed[0]["path"] == "/api/v1/wl/projects/sessions"
    assert len(stub_server.requests) == 1


def test_admin_queues_faults_and_resets(stub_server, get, http):
    queued = http.post(stub_server.url + "/__stub/faults",
                       json={"status": 429, "retry_after": "2", "times": 2})  # fmt: skip
    assert queued.json() == {"queued": 2}
    first = get("/projects/sessions")
    assert (first.status_code, first.headers["Retry-After"]) == (429, "2")
    http.post(stub_server.url + "/__stub/reset")
    assert get("/projects/sessions").status_code == 200
    assert len(stub_server.requests) == 1


@pytest.mark.parametrize("spec", [{"colour": "red"}, {"body": "garbage"}, "not a dict"])
def test_admin_refuses_a_bad_fault(stub_server, http, spec):
    response = http.post(stub_server.url + "/__stub/faults", json=spec)
    assert response.status_code == 400


# -- the CLI ------------------------------------------------------------------------------


@pytest.fixture
def run_cli(tmp_path):
    processes = []

    def run(*args):
        process = subprocess.Popen(
            [sys.executable, "-m", "fj.stub", "--port", "0", *args],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        processes.append(process)
        line = process.stdout.readline().strip()
        assert line.startswith("FJ_API_BASE_URL=http://127.0.0.1:"), line
        base_url = line.split("=", 1)[1]
        for _ in range(100):  # poll until it answers
            try:
                requests.get(base_url + "/projects/sessions", timeout=1)
                break
            except requests.ConnectionError:
                time.sleep(0.05)
        return process, base_url

    yield run
    for process in processes:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_cli_serves_a_synthetic_project_until_terminated(run_cli):
    process, base_url = run_cli("--key", "fjk_cli_one_1111", "--key", "fjk_cli_two_2222",
                                "--no-project-key", "fjk_cli_none_3333",
                                "--sessions", "20", "--seed", "3")  # fmt: skip
    url = base_url + "/projects/sessions"
    for key in ("fjk_cli_one_1111", "fjk_cli_two_2222"):
        response = requests.get(url, headers={"x-fj-api-key": key}, timeout=10)
        assert response.content == synthetic_payload(20, seed=3)
    assert (
        requests.get(url, headers={"x-fj-api-key": "fjk_cli_none_3333"}, timeout=10).status_code
        == 404
    )
    assert requests.get(url, headers={"x-fj-api-key": "fjk_nope"}, timeout=10).status_code == 401
    process.terminate()
    assert process.wait(timeout=10) == 0
    stdout, stderr = process.communicate()
    assert stderr == "" and stdout == ""  # quiet: no per-request lines, no key anywhere


def test_cli_serves_a_file_as_is_and_logs_when_verbose(run_cli, tmp_path):
    payload = tmp_path / "payload.json"
    payload.write_bytes(b'{"statusCode":200,"data":[],"message":"ok","status":"SUCCESS"}')
    process, base_url = run_cli("--key", "fjk_cli_file_4444", "--file", str(payload),
                                "--verbose")  # fmt: skip
    response = requests.get(base_url + "/projects/sessions",
                            headers={"x-fj-api-key": "fjk_cli_file_4444"}, timeout=10)  # fmt: skip
    assert response.content == payload.read_bytes()
    process.terminate()
    assert process.wait(timeout=10) == 0
    stderr = process.communicate()[1]
    assert "GET /api/v1/wl/projects/sessions 200" in stderr
    assert "fjk_" not in stderr
