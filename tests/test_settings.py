"""One settings reader (fj.settings): secrets, then the environment, then the default; the
rest of the library reads no environment and takes its settings as arguments."""

from __future__ import annotations

import ast
import logging
import re
from pathlib import Path

import pytest

from fj.secrets_check import KNOWN_SETTINGS
from fj.settings import SETTING_BY_NAME, SETTINGS, Settings, read_secrets_file
from fj.transport import DEFAULT_DEADLINE, DEFAULT_MAX_BYTES, DEFAULT_RETRIES, DEFAULT_TIMEOUT

ROOT = Path(__file__).resolve().parents[1]


def test_secrets_win_over_the_environment_which_wins_over_the_default():
    both = Settings({"FJ_CACHE_TTL": 5}, {"FJ_CACHE_TTL": "7"})
    assert both.get("FJ_CACHE_TTL") == "5"
    assert both.lookup("FJ_CACHE_TTL") == ("5", "secrets")
    env_only = Settings({}, {"FJ_CACHE_TTL": "7"})
    assert env_only.lookup("FJ_CACHE_TTL") == ("7", "environment")
    assert env_only.number("FJ_CACHE_TTL") == 7
    neither = Settings({}, {})
    assert neither.lookup("FJ_CACHE_TTL") == (None, "default")
    assert neither.get("FJ_CACHE_TTL") == "600"  # the table's default
    assert neither.number("FJ_CACHE_TTL") == 600
    assert neither.get("FJ_CACHE_TTL", 9) == "9"  # a caller's default beats the table's
    assert neither.get("FJ_DASHBOARD_URL") is None  # no default at all


def test_an_empty_or_blank_value_counts_as_not_set():
    settings = Settings({"FJ_API_BASE_URL": "  "}, {"FJ_API_BASE_URL": " http://x.test/api "})
    assert settings.lookup("FJ_API_BASE_URL") == ("http://x.test/api", "environment")
    assert Settings({"FJ_API_KEY": ""}, {"FJ_API_KEY": ""}).get("FJ_API_KEY") is None


def test_a_table_in_secrets_is_not_a_setting():
    # A `[FJ_DASHBOARD_URL]` table is a mistake, not a value to turn into text.
    assert Settings({"FJ_DASHBOARD_URL": {"a": 1}}, {}).get("FJ_DASHBOARD_URL") is None


def test_the_environment_is_read_when_asked_not_when_built(monkeypatch):
    monkeypatch.delenv("FJ_DASHBOARD_URL", raising=False)
    settings = Settings({})
    monkeypatch.setenv("FJ_DASHBOARD_URL", "https://dash.example.com")
    assert settings.get("FJ_DASHBOARD_URL") == "https://dash.example.com"


@pytest.mark.parametrize("value", ["10m", "ten", "0x10", "nan", "inf", "0", "-3"])
def test_a_number_that_is_not_one_leaves_the_default(value, caplog):
    with caplog.at_level(logging.WARNING):
        assert Settings({}, {"FJ_CACHE_TTL": value}).number("FJ_CACHE_TTL") == 600
    assert Settings({}, {"FJ_API_DEADLINE": value}).number("FJ_API_DEADLINE", kind=float) == 120


def test_client_options_come_from_the_settings_within_bounds():
    assert Settings({}, {}).client_options() == {
        "timeout": DEFAULT_TIMEOUT,
        "retries": DEFAULT_RETRIES,
        "max_bytes": DEFAULT_MAX_BYTES,
        "deadline": DEFAULT_DEADLINE,
    }
    settings = Settings(
        {"FJ_API_TIMEOUT": 2.5, "FJ_API_RETRIES": 0},
        {"FJ_API_MAX_BYTES": "1048576", "FJ_API_DEADLINE": "9", "FJ_API_RETRIES": "5"},
    )
    assert settings.client_options() == {
        "timeout": (2.5, 2.5), "retries": 0, "max_bytes": 1 << 20, "deadline": 9.0
    }  # fmt: skip
    wild = Settings({}, {"FJ_API_TIMEOUT": "900", "FJ_API_RETRIES": "99"}).client_options()
    assert wild["timeout"] == DEFAULT_TIMEOUT and wild["retries"] == 10


def test_the_cli_reads_the_first_secrets_file(tmp_path):
    first, second = tmp_path / "a.toml", tmp_path / "b.toml"
    second.write_text('FJ_API_KEY = "fjk_second_1234"\n')
    assert read_secrets_file((first, second)) == {"FJ_API_KEY": "fjk_second_1234"}
    first.write_text('FJ_API_KEY = "fjk_first_1234"\n')
    assert read_secrets_file((first, second))["FJ_API_KEY"] == "fjk_first_1234"
    assert read_secrets_file((tmp_path / "none.toml",)) == {}


def test_the_library_reads_the_environment_only_in_the_settings_module():
    """fj/ takes its settings as arguments: no os.environ / os.getenv outside fj/settings.py."""
    readers = []
    for path in sorted((ROOT / "fj").rglob("*.py")):
        if path.name == "settings.py" and path.parent.name == "fj":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr in ("environ", "getenv", "environb"):
                readers.append(f"{path.relative_to(ROOT)}:{node.lineno}")
            imported = {a.name for a in getattr(node, "names", ())}
            if isinstance(node, ast.ImportFrom) and node.module == "os" and imported & {
                "environ",
                "getenv",
            }:
                readers.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert readers == []


def test_the_dashboard_reads_settings_only_through_the_reader():
    """ui/ and pages/ read no os.environ; st.secrets is read in ui/source.py (the reader's
    input) and ui/secrets_check.py (the validator) only."""
    found = []
    for path in sorted([*(ROOT / "ui").glob("*.py"), *(ROOT / "pages").glob("*.py")]):
        text = path.read_text(encoding="utf-8")
        if re.search(r"\bos\.(environ|getenv)\b", text):
            found.append(f"{path.name}: os.environ")
        if "st.secrets" in text and path.name not in ("source.py", "secrets_check.py"):
            found.append(f"{path.name}: st.secrets")
    assert found == []


def test_every_setting_is_documented_and_checked():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert [s.name for s in SETTINGS if f"`{s.name}" not in readme and s.name not in readme] == []
    table = readme.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"`((?:FJ|APP)_[A-Z_]+)`", table))
    assert documented - set(SETTING_BY_NAME) == set()
    assert set(SETTING_BY_NAME) == KNOWN_SETTINGS
