"""A hosted link that is safe to share: the client against a hostile server on loopback.

Each case of ``tests/hostile.py`` is fetched in a fresh Python process (so its peak
memory is its own), with small limits: ``max_bytes`` 16 MiB and a 3 s deadline. Each
ends in one ``FJError`` (or, for odd data, a frame whose report names the problem)
within the deadline, with the process's peak RSS less than ``MEMORY_BOUND_MB`` above
what it was before the fetch, and the other port never sees the key.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

import fj
from fj.stub import Fault
from tests.hostile import REDIRECTS, HostileServer, bodies, gzip_bomb
from tests.servers import ROOT

KEY = "fjk_hostile_3f9a1c7e5b2d4068"
MAX_BYTES = 16 << 20
DEADLINE = 3.0
#: Peak RSS growth a fetch may cause: the 16 MiB body, its copy, and the parser's work.
MEMORY_BOUND_MB = 200
#: Seconds past the deadline allowed for the timer to fire and the error to be built.
GRACE = 2.0

FETCH = textwrap.dedent(
    """
    import json, resource, sys, time
    # A safety net, so that a client without the limits cannot take the machine down:
    # at most 1 GiB more address space than the process has now.
    with open("/proc/self/status") as f:
        vm = next(int(l.split()[1]) for l in f if l.startswith("VmSize")) * 1024
    import fj
    from fj.frame import load_sessions  # imported before the baseline is taken
    resource.setrlimit(resource.RLIMIT_AS, (vm + (1 << 30), vm + (1 << 30)))
    base_url, key, max_bytes, deadline, call = sys.argv[1:6]
    client = fj.FJClient(key, base_url, timeout=(2, 1.0), retries=0, backoff=0.01,
                         max_bytes=int(max_bytes), deadline=float(deadline))
    def status(field):  # kB -> MB, from /proc/self/status
        with open("/proc/self/status") as f:
            return next(int(l.split()[1]) for l in f if l.startswith(field)) / 1024
    before = status("VmRSS:")
    started = time.monotonic()
    out = {}
    try:
        if call == "sessions":
            loaded = client.fetch_sessions()
            out["rows"] = len(loaded.frame)
            out["problems"] = loaded.problems[["record", "field", "problem"]].values.tolist()
            out["titles"] = loaded.frame["title"].tolist()
            out["created"] = [str(v) for v in loaded.frame["created_at"]]
        elif call == "profiles":
            client.get_session_profiles("abc")
        else:
            client.get_session("abc")
    except fj.FJError as err:
        out["error"] = type(err).__name__
        out["message"] = str(err)
        out["status"] = err.status
    except BaseException as exc:
        out["error"] = "ESCAPED " + type(exc).__name__
        out["message"] = str(exc)[:300]
    out["seconds"] = time.monotonic() - started
    # The peak resident memory (high-water mark) against the resident memory before.
    out["peak_growth_mb"] = status("VmHWM:") - before
    print(json.dumps(out))
    """
)


@pytest.fixture(scope="module")
def servers():
    bodies(), gzip_bomb()  # built before any client waits for them
    other = HostileServer().start()
    hostile = HostileServer(other_port=other.port).start()
    yield hostile, other
    hostile.stop()
    other.stop()


def fetch(base_url: str, call: str = "sessions", deadline: float = DEADLINE) -> dict:
    """Fetch in a fresh process; return its outcome, time and peak memory growth."""
    done = subprocess.run(
        [sys.executable, "-c", FETCH, base_url, KEY, str(MAX_BYTES), str(deadline), call],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=240,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    outcome = json.loads(done.stdout.strip().splitlines()[-1])
    print(base_url.split("/")[3], call, {k: outcome.get(k) for k in
                                         ("error", "seconds", "peak_growth_mb")})
    assert KEY not in json.dumps(outcome)
    assert outcome["peak_growth_mb"] < MEMORY_BOUND_MB
    assert outcome["seconds"] < DEADLINE + GRACE
    return outcome


def _case_path_requests(server: HostileServer, case: str):
    return [r for r in server.requests if r.path.startswith(f"/{case}/")]


# Every code to both hosts for the sessions; the candidates endpoints share the
# transport, so two codes to both hosts are enough for them.
REDIRECT_CASES = [
    (code, host, call)
    for code in REDIRECTS
    for host in ("127.0.0.1", "localhost")
    for call in ("sessions", "session", "profiles")
    if call == "sessions" or code in (302, 307)
]


@pytest.mark.timeout(300)
@pytest.mark.parametrize(("code", "host", "call"), REDIRECT_CASES)
def test_redirect_to_another_origin_is_an_error_and_the_key_stays(servers, code, host, call):
    hostile, other = servers
    case = f"redirect-{code}" if host == "127.0.0.1" else f"redirect-localhost-{code}"
    outcome = fetch(hostile.base_url(case), call)
    assert outcome["error"] == "BadResponseError" and outcome["status"] == code
    assert f"HTTP {code}" in outcome["message"]
    assert f"{host}:{other.port}" in outcome["message"]  # names where it pointed
    assert "not sent there" in outcome["message"]
    assert any(r.key_arrived for r in _case_path_requests(hostile, case))
    assert not any(r.key_arrived for r in other.requests)  # the key never left
    assert other.requests == []  # nothing followed the redirect at all


@pytest.mark.timeout(300)
@pytest.mark.parametrize("case", ["endless", "gzip-bomb", "lying-length"])
def test_too_large_body_is_one_error_and_memory_is_bounded(servers, case):
    hostile, _ = servers
    outcome = fetch(hostile.base_url(case))
    assert outcome["error"] == "BadResponseError", outcome
    assert "sent more than 16 MiB" in outcome["message"]


@pytest.mark.timeout(300)
@pytest.mark.parametrize("call", ["sessions", "profiles"])
@pytest.mark.parametrize("case", ["drip", "drip-headers"])
def test_slow_drip_ends_at_the_deadline(servers, case, call):
    hostile, _ = servers
    outcome = fetch(hostile.base_url(case), call)
    assert outcome["error"] == "UnavailableError", outcome
    assert f"took longer than {DEADLINE:g} s" in outcome["message"]
    assert outcome["seconds"] >= DEADLINE - 0.1  # it was the deadline that ended it


@pytest.mark.timeout(300)
def test_deep_nesting_is_a_bad_response(servers):
    hostile, _ = servers
    outcome = fetch(hostile.base_url("deep-nesting"))
    assert outcome["error"] == "BadResponseError", outcome
    assert "nested" in outcome["message"]


@pytest.mark.timeout(300)
def test_duplicate_envelope_keys_are_a_bad_response(servers):
    hostile, _ = servers
    outcome = fetch(hostile.base_url("duplicate-keys"))
    assert outcome["error"] == "BadResponseError", outcome
    assert "data more than once" in outcome["message"]


@pytest.mark.timeout(300)
def test_year_9999_is_reported_and_kept_out_of_the_dates(servers):
    hostile, _ = servers
    outcome = fetch(hostile.base_url("year-9999"))
    assert "error" not in outcome and outcome["rows"] == 3  # every session stays
    assert outcome["created"][1] == outcome["created"][2] == "NaT"
    flagged = {(r, f) for r, f, p in outcome["problems"] if "plausible" in p}
    assert flagged == {(1, "createdAt"), (2, "createdAt")}


@pytest.mark.timeout(300)
def test_invalid_utf8_is_replaced_and_reported_per_field(servers):
    hostile, _ = servers
    outcome = fetch(hostile.base_url("invalid-utf8"))
    assert "error" not in outcome
    assert outcome["titles"] == ["Caf\ufffd", "Pu\ufffd\ufffd\ufffdne", "plain"]
    flagged = {(r, f) for r, f, p in outcome["problems"] if "UTF-8" in p}
    assert flagged == {(0, "sessionTitle"), (1, "sessionTitle")}


@pytest.mark.timeout(300)
def test_odd_ids_are_reported(servers):
    hostile, _ = servers
    outcome = fetch(hostile.base_url("odd-ids"))
    assert "error" not in outcome and outcome["rows"] == 3
    assert [2, "_id", "missing"] in outcome["problems"]


@pytest.mark.parametrize("value", ["-5", "soon", "nan", "inf", "1e400"])
def test_garbage_retry_after_still_reads_as_rate_limited(stub_server, keys, value):
    stub_server.inject(Fault(status=429, retry_after=value), times=3)
    client = fj.FJClient(keys["test"], stub_server.base_url, retries=1, backoff=0.01)
    with client, pytest.raises(fj.RateLimitError) as info:
        client.fetch_sessions()
    assert "rate limiting" in str(info.value)
