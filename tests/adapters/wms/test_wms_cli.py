"""`flext-db-oracle wms ...` against the contract server, configured by variables."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.adapters.wms.contract_server import PASSWORD, REST, USER, World
from tests.support.cli import CliRunner


@pytest.fixture
def wms_env(cli: CliRunner, origin: str, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    """The `cli` runner with FLEXT_DB_ORACLE_WMS_* pointing at the contract server."""
    monkeypatch.setenv("FLEXT_DB_ORACLE_WMS_BASE_URL", origin + REST)
    monkeypatch.setenv("FLEXT_DB_ORACLE_WMS_USERNAME", USER)
    monkeypatch.setenv("FLEXT_DB_ORACLE_WMS_PASSWORD", PASSWORD)
    monkeypatch.setenv("FLEXT_DB_ORACLE_WMS_RETRY__INITIAL_BACKOFF_S", "0.01")
    return cli


def test_plugins_lists_wms(cli: CliRunner) -> None:
    done = cli("plugins", "--format", "json")
    assert done.code == 0, done.err
    wms = next(p for p in done.json() if p["name"] == "wms")
    assert wms["distribution"] == "flext-db-oracle-wms"
    assert "record_source:wms" in wms["adapters"]
    assert "wms" in wms["commands"]


def test_read_streams_every_record_as_jsonl(wms_env: CliRunner) -> None:
    done = wms_env(
        "wms", "read", "item", "--fields", "id,code", "--page-size", "400", "--format", "jsonl"
    )
    assert done.code == 0, done.err
    records = [json.loads(line) for line in done.out.splitlines()]
    assert [r["id"] for r in records] == list(range(1, 3001))
    assert set(records[0]) == {"id", "code"}
    assert done.err == ""  # no progress bar when not on a terminal


def test_read_with_filters_as_csv(wms_env: CliRunner) -> None:
    done = wms_env(
        "wms",
        "read",
        "item",
        "--filter",
        "id__lt=6",
        "--filter",
        "qty__gte=3",
        "--fields",
        "id",
        "--fields",
        "qty",
        "--ordering",
        "-id",
        "--format",
        "csv",
    )
    assert done.code == 0, done.err
    assert list(csv.reader(io.StringIO(done.out))) == [
        ["id", "qty"],
        ["5", "5"],
        ["4", "4"],
        ["3", "3"],
    ]


def test_incremental_read_with_a_state_file(
    wms_env: CliRunner, world: World, tmp_path: Path
) -> None:
    state = tmp_path / "item.json"
    args = ("wms", "read", "item", "--state", str(state), "--overlap", "0", "--format", "jsonl")
    first = wms_env(*args, "--since", "2026-01-01T00:49:50")  # naive: UTC; ids 2990..3000
    assert first.code == 0, first.err
    assert [json.loads(line)["id"] for line in first.out.splitlines()] == list(range(2990, 3001))
    again = wms_env(*args)
    assert (again.code, again.out) == (0, "")
    assert json.loads(state.read_text())["high_water_mark"] == "2026-01-01T00:50:00Z"


def test_entities_and_describe(wms_env: CliRunner) -> None:
    entities = wms_env("wms", "entities", "--format", "json")
    assert entities.code == 0, entities.err
    assert [row["entity"] for row in entities.json()] == ["item", "location"]
    described = wms_env("wms", "describe", "item", "--format", "json")
    assert described.code == 0, described.err
    fields = {row["field"]: row for row in described.json()}
    assert fields["code"]["max_length"] == 25
    assert fields["mod_ts"]["family"] == "timestamp_tz"


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("wms", "read", "item", "--since", "yesterday"), 2, "not ISO 8601"),
        (("wms", "read", "item", "--filter", "nonsense"), 2, "is not NAME=VALUE"),
        (("wms", "read", "nope"), 1, "not_found error [404]"),
        (("wms", "read", "Bad Name"), 1, "query error"),
    ],
)
def test_bad_input_is_one_readable_line(
    wms_env: CliRunner, args: tuple[str, ...], code: int, message: str
) -> None:
    done = wms_env(*args)
    assert done.code == code
    assert message in done.err
    assert "Traceback" not in done.err


def test_missing_settings_are_a_configuration_error(cli: CliRunner) -> None:
    done = cli("wms", "entities")
    assert done.code == 1
    assert done.err.startswith("error: configuration error")
    assert "FLEXT_DB_ORACLE_WMS_" in done.err


def test_no_secret_in_cli_output_even_verbose(wms_env: CliRunner, world: World) -> None:
    world.entities["item"] = world.entities["item"][:5]
    outputs = [
        wms_env("-vv", "wms", "read", "item", "--format", "json"),
        wms_env("-vv", "wms", "read", "missing_entity"),
        wms_env("config", "--format", "json"),
    ]
    for done in outputs:
        assert PASSWORD not in done.out + done.err


def test_the_plugin_and_its_commands_load_no_http_library() -> None:
    code = (
        "import sys, flext_db_oracle_wms.plugin, flext_db_oracle_wms.cli; "
        "print(sorted(m for m in ('httpx', 'httpcore', 'tenacity') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_run_posts_an_integration_api_operation(wms_env: CliRunner, world: World) -> None:
    done = wms_env(
        "wms", "run", "update_oblpn_tracing_nbr",
        "--value", "oblpn_nbr=LPN1", "--value", "tracking_nbr=1Z9",
        "--value", "company_code=C1", "--value", "facility_code=F1", "--format", "json",
    )  # fmt: skip
    assert done.code == 0, done.err
    assert done.json()["success"] is True
    assert world.posted == [
        (
            "update_oblpn_tracing_nbr",
            {
                "oblpn_nbr": "LPN1",
                "tracking_nbr": "1Z9",
                "company_code": "C1",
                "facility_code": "F1",
            },
        )
    ]
    refused = wms_env("wms", "run", "drop_everything")
    assert (refused.code, refused.err.startswith("error: query error")) == (1, True)


def test_config_shows_the_wms_section_configured_or_not(
    cli: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    bare = cli("config", "--format", "json")
    assert bare.code == 0, bare.err
    assert bare.json()["wms"]["base_url"] == ""
    monkeypatch.setenv("FLEXT_DB_ORACLE_WMS_BASE_URL", "http://127.0.0.1:1/e/wms/lgfapi/v10/")
    monkeypatch.setenv("FLEXT_DB_ORACLE_WMS_USERNAME", USER)
    monkeypatch.setenv("FLEXT_DB_ORACLE_WMS_PASSWORD", PASSWORD)
    shown = cli("config", "--format", "json")
    assert shown.code == 0, shown.err
    assert shown.json()["wms"]["password"] == "**********"
    assert PASSWORD not in shown.out + shown.err


def test_progress_shows_on_a_terminal_only(
    wms_env: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    done = wms_env("wms", "read", "item", "--fields", "id", "--format", "jsonl")
    assert done.code == 0, done.err
    assert len(done.out.splitlines()) == 3000  # the rows are untouched by the bar
    assert "reading item" in done.err
