"""Bad input: a typed `DbError` from the API, one line and exit code 1 from the CLI,
and the password given in a URL nowhere in output, errors or logs."""

from __future__ import annotations

import logging

import pytest
from flext_db_oracle import DbError, ErrorKind, FlextDbOracleApi, load_settings

from tests.support.cli import CliRunner

PASSWORD = "pw-Sekr3t-4711"
UNREACHABLE = {
    "postgresql": f"postgresql://postgres:{PASSWORD}@127.0.0.1:1/test",
    "mariadb": f"mysql://root:{PASSWORD}@127.0.0.1:1/test",
}


def assert_one_line_failure(done: object, *, expect: str) -> None:
    code, out, err = done.code, done.out, done.err  # type: ignore[attr-defined]
    assert code == 1, err
    # A password written in --url draws a warning line first (it shows in the process list).
    lines = [line for line in err.splitlines() if not line.startswith("warning: a password")]
    assert len(lines) == 1, err
    assert lines[0].startswith("error: ")
    assert expect in err
    assert "Traceback" not in err
    assert PASSWORD not in out + err


@pytest.fixture
def sample_db(cli: CliRunner) -> FlextDbOracleApi:
    assert cli("sample").code == 0
    return FlextDbOracleApi.from_url("sqlite:///flext_db_oracle.db")


def test_unknown_adapter_name(cli: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    error = (
        FlextDbOracleApi.from_settings(load_settings(adapter="nope")).query("select 1").failure()
    )
    assert isinstance(error, DbError)
    assert error.kind is ErrorKind.CONFIGURATION
    assert "unknown database adapter 'nope'" in error.message
    monkeypatch.setenv("FLEXT_DB_ORACLE_ADAPTER", "nope")
    assert_one_line_failure(cli("tables"), expect="unknown database adapter 'nope'")


@pytest.mark.parametrize(
    "url",
    [
        "not a url",
        f"postgresql://postgres:{PASSWORD}@127.0.0.1:notaport/test",
        f"nosuchdialect://u:{PASSWORD}@127.0.0.1/test",
    ],
    ids=["no-scheme", "bad-port", "unknown-scheme"],
)
def test_malformed_url(cli: CliRunner, url: str) -> None:
    # A URL that does not parse fails in the constructor; one that parses but
    # names no installed dialect fails on first use, as a Failure.
    try:
        error = FlextDbOracleApi.from_url(url).connect().failure()
    except DbError as raised:
        error = raised
    assert error.kind is ErrorKind.CONFIGURATION
    assert PASSWORD not in str(error) + repr(error)
    assert_one_line_failure(cli("--url", url, "tables"), expect="configuration error")


def test_missing_table(cli: CliRunner, sample_db: FlextDbOracleApi) -> None:
    assert sample_db.query("select * from no_such_table").failure().kind is ErrorKind.NOT_FOUND
    assert sample_db.get_table_metadata("no_such_table").failure().kind is ErrorKind.NOT_FOUND
    assert_one_line_failure(cli("describe", "no_such_table"), expect="not_found error")
    assert_one_line_failure(cli("query", "select * from no_such_table"), expect="no such table")


def test_sql_syntax_error(cli: CliRunner, sample_db: FlextDbOracleApi) -> None:
    error = sample_db.query("selec * form employees").failure()
    assert error.kind is ErrorKind.QUERY
    assert error.code == "SQLITE_ERROR"
    assert_one_line_failure(cli("query", "selec * form employees"), expect="syntax error")
    assert_one_line_failure(cli("execute", "updat employees"), expect="syntax error")


def test_wrong_bind_names(cli: CliRunner, sample_db: FlextDbOracleApi) -> None:
    sql = "select * from employees where employee_id = :id"
    unused = sample_db.query(sql, {"idd": 100}).failure()
    assert unused.kind is ErrorKind.QUERY
    assert "idd" in unused.message
    missing = sample_db.query(sql, {}).failure()
    assert missing.kind is ErrorKind.QUERY
    assert ":id" in missing.message
    assert_one_line_failure(cli("query", sql, "-p", "idd=100"), expect="idd")
    assert_one_line_failure(cli("query", sql), expect=":id")


@pytest.mark.parametrize("backend", sorted(UNREACHABLE))
def test_unreachable_server(cli: CliRunner, backend: str, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    url = UNREACHABLE[backend]
    error = FlextDbOracleApi.from_url(url).connect().failure()
    assert error.kind is ErrorKind.CONNECTION
    assert error.retryable
    everything = str(error) + repr(error) + str(error.as_dict()) + caplog.text
    assert PASSWORD not in everything
    assert_one_line_failure(cli("--url", url, "health"), expect="connection error")


def test_verbose_adds_detail_but_never_the_password(cli: CliRunner) -> None:
    done = cli("-vv", "--url", UNREACHABLE["postgresql"], "health")
    assert done.code == 1
    assert "Traceback" in done.err  # -v asks for the detail
    assert PASSWORD not in done.out + done.err


def test_password_from_discrete_settings_is_redacted(
    cli: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in {
        "DRIVER": "postgresql",
        "HOST": "127.0.0.1",
        "PORT": "1",
        "USER": "postgres",
        "PASSWORD": PASSWORD,
        "DATABASE": "test",
    }.items():
        monkeypatch.setenv(f"FLEXT_DB_ORACLE_{name}", value)
    config = cli("config", "--format", "json")
    assert config.code == 0
    assert PASSWORD not in config.out
    assert config.json()["url"] == "postgresql://postgres:***@127.0.0.1:1/test"
    assert_one_line_failure(cli("health"), expect="connection error")


def test_json_format_reports_errors_as_json(cli: CliRunner) -> None:
    import json

    done = cli("--format", "json", "query", "select * from nowhere")
    assert done.code == 1
    assert json.loads(done.err)["error"]["kind"] == "not_found"
