"""The real python-oracledb driver against loopback peers that fail: typed errors,
within the configured time, with no password anywhere."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time

import pytest
from flext_db_oracle.errors import ErrorKind
from flext_db_oracle.settings import load_settings
from flext_db_oracle_oracledb.adapter import create_thin
from returns.result import Failure

from tests.adapters.oracledb.listeners import closed_port, listener
from tests.support.cli import CliRunner

PASSWORD = "Tiger-s3cret-pw"

# python-oracledb leaves the socket of a failed handshake to the garbage collector,
# which reports it as unclosed; that is the driver's, not the adapter's.
driver_leaves_socket = pytest.mark.filterwarnings(
    "ignore::pytest.PytestUnraisableExceptionWarning", "ignore::ResourceWarning"
)


def test_closed_port_is_a_retryable_connection_error_within_the_timeout() -> None:
    adapter = create_thin(
        load_settings(
            url=f"oracle://scott:{PASSWORD}@127.0.0.1:{closed_port()}/FREEPDB1",
            connect_timeout_s=2.0,
        )
    )
    started = time.monotonic()
    result = adapter.connection.ping()
    elapsed = time.monotonic() - started
    assert isinstance(result, Failure)
    error = result.failure()
    assert error.kind is ErrorKind.CONNECTION
    assert error.retryable
    assert error.code == "DPY-6005"
    assert error.adapter == "thin"
    assert elapsed < 2.0
    assert PASSWORD not in repr(error) + str(error)


@driver_leaves_socket
def test_silent_listener_is_a_timeout_within_its_bound() -> None:
    timeout_s = 1.0
    with listener("silent") as port:
        adapter = create_thin(
            load_settings(
                url=f"oracle://scott:{PASSWORD}@127.0.0.1:{port}/FREEPDB1",
                connect_timeout_s=timeout_s,
            )
        )
        started = time.monotonic()
        result = adapter.query.fetch_all("SELECT 1 FROM dual")
        elapsed = time.monotonic() - started
        assert isinstance(result, Failure)
        error = result.failure()
        assert error.kind is ErrorKind.TIMEOUT
        assert error.retryable
        assert timeout_s * 0.9 <= elapsed <= timeout_s * 1.2
        assert PASSWORD not in repr(error) + str(error)
        assert "scott@127.0.0.1" in error.message
        # the next call starts afresh (and is bounded the same way)
        again = adapter.connection.ping()
        assert isinstance(again, Failure)
        assert again.failure().kind is ErrorKind.TIMEOUT
        adapter.connection.close()


@driver_leaves_socket
def test_peer_resetting_the_handshake_is_a_typed_connection_error() -> None:
    with listener("reset") as port:
        adapter = create_thin(
            load_settings(
                url=f"oracle://scott:{PASSWORD}@127.0.0.1:{port}/FREEPDB1", connect_timeout_s=5
            )
        )
        result = adapter.connection.ping()
    assert isinstance(result, Failure)
    error = result.failure()
    assert error.kind is ErrorKind.CONNECTION
    assert error.retryable
    assert error.code == "DPY-6005"
    assert error.detail.get("cause_code") == "DPY-4011"
    assert PASSWORD not in repr(error) + str(error)


def test_closed_pool_refuses_further_calls() -> None:
    adapter = create_thin(load_settings(url=f"oracle://u@127.0.0.1:{closed_port()}/svc"))
    assert adapter.connection.close().unwrap() is None
    result = adapter.query.fetch_one("SELECT 1 FROM dual")
    assert isinstance(result, Failure)
    assert result.failure().kind is ErrorKind.CONNECTION
    assert not result.failure().retryable


def _run_python(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Thick mode is per process: run it in a fresh one."""
    import os

    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**{k: v for k, v in os.environ.items() if not k.startswith("FLEXT_DB_ORACLE_")},
             "LD_LIBRARY_PATH": "", **env},
    )  # fmt: skip


def test_thick_mode_without_an_oracle_client_is_a_configuration_error(tmp_path: object) -> None:
    done = _run_python(
        f"""
        from flext_db_oracle.settings import load_settings
        from flext_db_oracle_oracledb.adapter import create_thick
        adapter = create_thick(load_settings(url="oracle+thick://scott:{PASSWORD}@127.0.0.1:1/x"))
        error = adapter.connection.ping().failure()
        print(error.kind.value, error.code, error.retryable)
        print(error.message)
        """,
        FLEXT_DB_ORACLE_ORACLEDB_LIB_DIR=str(tmp_path),
    )
    assert done.returncode == 0, done.stderr
    first, message = done.stdout.splitlines()[:2]
    assert first == "configuration DPI-1047 False"
    assert "Instant Client" in message
    assert "FLEXT_DB_ORACLE_ORACLEDB_LIB_DIR" in message
    assert PASSWORD not in done.stdout + done.stderr


def test_cli_health_on_a_closed_port_is_one_line_and_exit_1(
    cli: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FLEXT_DB_ORACLE_PASSWORD", PASSWORD)
    url = f"oracle://scott@127.0.0.1:{closed_port()}/FREEPDB1"
    done = cli("--url", url, "health")
    assert done.code == 1
    lines = done.err.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("error: connection error [DPY-6005]")
    assert PASSWORD not in done.out + done.err


@driver_leaves_socket
def test_cli_health_on_a_silent_listener_times_out(
    cli: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FLEXT_DB_ORACLE_CONNECT_TIMEOUT_S", "1")
    monkeypatch.setenv("FLEXT_DB_ORACLE_USER", "scott")
    monkeypatch.setenv("FLEXT_DB_ORACLE_PASSWORD", PASSWORD)
    with listener("silent") as port:
        started = time.monotonic()
        done = cli("--url", f"127.0.0.1:{port}/FREEPDB1", "health")  # Easy Connect
        elapsed = time.monotonic() - started
    assert done.code == 1
    assert done.err.startswith("error: timeout error")
    assert len(done.err.strip().splitlines()) == 1
    assert elapsed < 1.2 + 1.0  # the bound, plus the CLI's start-up
    assert PASSWORD not in done.out + done.err


def test_help_imports_neither_driver_nor_adapter_modules() -> None:
    done = _run_python(
        """
        import sys
        from flext_db_oracle.cli.main import run
        code = run(["--help"])
        heavy = ("oracledb", "flext_db_oracle_oracledb.query", "flext_db_oracle_oracledb.pool")
        print(code, [name for name in heavy if name in sys.modules])
        """
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "0 []"


def test_doctor_without_connecting_reports_the_driver(cli: CliRunner) -> None:
    done = cli("--format", "json", "doctor", "--no-connect")
    assert done.code == 0, done.err
    report = done.json()
    assert report["mode"] == "thin"
    assert report["driver"] == "python-oracledb"
    assert report["driver_version"]
    assert any("11.2" in item for item in report["thick_mode_needed_for"])


def test_doctor_on_a_closed_port_says_why_and_exits_1(cli: CliRunner) -> None:
    url = f"oracle://scott:{PASSWORD}@127.0.0.1:{closed_port()}/FREEPDB1"
    done = cli("--url", url, "--format", "json", "doctor")
    assert done.code == 1
    report = done.json()
    assert report["connection"].startswith("failed: connection error [DPY-6005]")
    assert report["target"] == "scott@127.0.0.1:" + url.rsplit(":", 1)[1]
    assert PASSWORD not in done.out + done.err


def test_bad_input_is_refused_before_the_network() -> None:
    adapter = create_thin(load_settings(url=f"oracle://u@127.0.0.1:{closed_port()}/svc"))
    results = [
        adapter.query.fetch_all("SELECT 1 FROM dual; DROP TABLE t"),
        adapter.query.fetch_one("SELECT :a FROM dual"),
        adapter.query.execute_many("INSERT INTO t VALUES (:a)", [{"a": 1}, {"b": 2}]),
        adapter.query.bulk_insert("t", ['x" FROM dual --'], [(1,)]),
        adapter.query.bulk_insert("t", ["a", "b"], [(1,)]),
        adapter.query.call_procedure("p; DROP TABLE t"),
        adapter.schema.get_columns("a b"),
        adapter.schema.get_ddl("t", object_type="TABLE'--"),
    ]
    kinds = [result.failure().kind if isinstance(result, Failure) else None for result in results]
    assert kinds == [ErrorKind.QUERY] * len(results)
    assert adapter.connection.pool_stats().unwrap().description == "not opened yet"


def test_arrow_results_without_pyarrow_say_what_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # `import pyarrow` now fails
    adapter = create_thin(load_settings(url=f"oracle://u@127.0.0.1:{closed_port()}/svc"))
    for result in (
        adapter.query.fetch_arrow("SELECT 1 FROM dual"),
        adapter.query.stream_arrow("SELECT 1 FROM dual"),
    ):
        assert isinstance(result, Failure)
        assert result.failure().kind is ErrorKind.CONFIGURATION
        assert "flext-db-oracle-oracledb[arrow]" in result.failure().message
