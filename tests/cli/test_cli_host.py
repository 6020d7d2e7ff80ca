"""The CLI as a well-behaved guest: its logging set-up does not leak into the host
process, built-ins survive autoload off, settings reach it, decimals stay exact."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
import structlog
from click.testing import CliRunner
from flext_db_oracle import FlextDbOracleApi
from flext_db_oracle.cli.main import build_cli
from flext_db_oracle.plugins import create_plugin_manager

from tests.support.cli import CliRunner as InProcess


def test_two_cli_runs_in_one_process_leave_logging_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.chdir(tmp_path)
    structlog.reset_defaults()
    root = logging.getLogger()
    before = (structlog.is_configured(), root.level, list(root.handlers))
    manager = create_plugin_manager()
    runner = CliRunner()

    first = runner.invoke(
        build_cli(manager),
        ["-vv", "query", "select 1"],
        obj=_state(manager),
        catch_exceptions=False,
    )
    assert first.exit_code == 0, first.output
    assert (structlog.is_configured(), root.level, list(root.handlers)) == before
    # The run above wrote its logs to a stream CliRunner has closed since. A slow
    # statement logged now must neither fail nor go there.
    caplog.set_level(logging.WARNING, logger="flext_db_oracle.statement")
    db = FlextDbOracleApi.from_url(f"sqlite:///{tmp_path / 'after.db'}", slow_statement_ms=0)
    try:
        assert db.query("SELECT 1 AS one").unwrap().scalar() == 1
    finally:
        db.disconnect()
    assert any("slow statement" in r.getMessage() for r in caplog.records)
    second = runner.invoke(build_cli(manager), ["query", "select 2"], obj=_state(manager))
    assert second.exit_code == 0, second.output


def _state(manager: object) -> object:
    from flext_db_oracle.cli.context import CliContext

    return CliContext(plugin_manager=manager)  # type: ignore[arg-type]


def test_with_autoload_off_the_built_ins_are_still_listed(tmp_path: Path) -> None:
    env = {**os.environ, "FLEXT_DB_ORACLE_DISABLE_AUTOLOAD": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "flext_db_oracle", "plugins", "--format", "json"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    plugins = {p["name"]: p for p in json.loads(done.stdout)}
    assert "query" in plugins["builtin-commands"]["commands"]
    assert "database:sqlalchemy" in plugins["sqlalchemy"]["adapters"]


def test_the_stream_batch_size_setting_is_used_when_the_cli_is_given_none(
    cli: InProcess, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FLEXT_DB_ORACLE_STREAM_BATCH_SIZE", "0")  # invalid: proves it is read
    done = cli("query", "select 1")
    assert done.code == 1
    assert "stream_batch_size" in done.err


@pytest.mark.services
def test_json_output_keeps_decimal_digits_exactly(cli: InProcess, postgresql_url: str) -> None:
    sql = "select cast(12.50 as numeric(10, 2)) as amount, cast(0.1 as numeric) as tenth"
    for fmt in ("json", "jsonl"):
        done = cli("--url", postgresql_url, "query", sql, "--format", fmt)
        assert done.code == 0, done.err
        assert '"amount": 12.50' in done.out  # not 12.5, not "12.50", not a float rounding
        assert '"tenth": 0.1' in done.out


def test_decimals_are_json_numbers_with_their_exact_digits() -> None:
    from flext_db_oracle.cli.output import dumps

    text = dumps({"amount": Decimal("12.50"), "big": Decimal("12345678901234567.89")})

    assert text == '{"amount": 12.50, "big": 12345678901234567.89}'
    assert json.loads(text, parse_float=Decimal) == {
        "amount": Decimal("12.50"),
        "big": Decimal("12345678901234567.89"),
    }
