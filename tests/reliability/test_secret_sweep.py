"""A known password and a known token through every configuration route, every CLI
command, every output format and verbosity, failing and succeeding calls, and the API's
results, errors (their whole `__cause__`/`__context__` chain) and logs: the secret
appears zero times in everything captured.

PostgreSQL trusts every local connection, so a password given to it succeeds; MariaDB's
root has none, so a password given to it fails (authentication); a closed port fails
(connection). Each route thus covers success and failure.
"""

from __future__ import annotations

import io
import logging
import sys
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from flext_db_oracle import DbError, FlextDbOracleApi
from flext_db_oracle.cli.main import run
from returns.result import Failure

from tests.reliability.support import everything_said_by

pytestmark = pytest.mark.services

SECRET = "Sw33p-Pa55w0rd-7Qx"
TOKEN = "tok-9f8e7d6c5b4a-Zz"
FORMATS = ("table", "json", "csv", "jsonl")
VERBOSITY = ((), ("-v",), ("-vv",))
# Every format quietly, and -v / -vv (tracebacks, debug logs) in table and json.
COMBINATIONS = [(fmt, ()) for fmt in FORMATS] + [
    (fmt, verbosity) for fmt in ("table", "json") for verbosity in VERBOSITY[1:]
]
RUNS = {"cli": 0, "api": 0, "leaks": 0}


@dataclass
class Route:
    name: str
    url: str | None = None  # --url
    env: dict[str, str] = field(default_factory=dict)
    profile: str | None = None  # TOML text of [profiles.p]
    args: tuple[str, ...] = ()
    stdin: str | None = None


def _with(
    url: str, *, password: str | None = None, port: int | None = None, query: str = ""
) -> str:
    parts = urlsplit(url)
    user = parts.username or ""
    auth = f"{user}:{password}@" if password else f"{user}@"
    netloc = f"{auth}{parts.hostname}:{port or parts.port}"
    return urlunsplit(parts._replace(netloc=netloc, query=query))


def _routes(pg: str, my: str, tmp: Path) -> list[Route]:
    secret_file = tmp / "password.txt"
    secret_file.write_text(SECRET + "\n")
    pg_secret = _with(pg, password=SECRET)
    return [
        Route("url-userinfo-postgresql", url=pg_secret),
        Route("url-userinfo-mariadb", url=_with(my, password=SECRET)),
        Route("url-userinfo-closed-port", url=_with(pg, password=SECRET, port=1)),
        Route("url-query-postgresql", url=_with(pg, query=f"password={SECRET}")),
        Route("url-query-mariadb", url=_with(my, query=f"password={SECRET}")),
        Route("env-url", env={"FLEXT_DB_ORACLE_URL": _with(my, password=SECRET)}),
        Route("env-password", env={"FLEXT_DB_ORACLE_URL": my, "FLEXT_DB_ORACLE_PASSWORD": SECRET}),
        Route(
            "env-password-file",
            env={"FLEXT_DB_ORACLE_URL": my, "FLEXT_DB_ORACLE_PASSWORD_FILE": str(secret_file)},
        ),
        Route("profile-url", profile=f'url = "{pg_secret}"'),
        Route("profile-password", profile=f'url = "{my}"\npassword = "{SECRET}"'),
        Route(
            "adapter-settings",
            url=pg,
            env={
                "FLEXT_DB_ORACLE_LDAP_BIND_PASSWORD": TOKEN,
                "FLEXT_DB_ORACLE_WMS_CLIENT_SECRET": TOKEN,
                "FLEXT_DB_ORACLE_OIC_CLIENT_SECRET": TOKEN,
            },
        ),
        Route(
            "profile-adapter-section",
            profile=f'url = "{pg}"\n[profiles.p.ldap]\nbind_password = "{TOKEN}"',
        ),
        Route("ask-password", url=my, args=("--ask-password",), stdin=SECRET + "\n"),
    ]


ROUTE_NAMES = [
    "url-userinfo-postgresql", "url-userinfo-mariadb", "url-userinfo-closed-port",
    "url-query-postgresql", "url-query-mariadb", "env-url", "env-password",
    "env-password-file", "profile-url", "profile-password", "adapter-settings",
    "profile-adapter-section", "ask-password",
]  # fmt: skip


def _commands(table: str) -> list[tuple[str, ...]]:
    return [
        ("health",),
        ("config",),
        ("plugins",),
        ("tables",),
        ("query", "SELECT 1 AS one"),
        ("query", f"SELECT * FROM {table}"),
        ("query", "SELECT * FROM no_such_table_sweep"),
        ("query", "SELECT :p AS echoed", "-p", f"p={SECRET}x"),  # a bind value is the user's
        ("execute", f"INSERT INTO {table} (id) VALUES (1)"),
        ("execute", "DELETE FROM no_such_table_sweep"),
        ("describe", table),
        ("describe", "no_such_table_sweep"),
    ]


@pytest.fixture
def route_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    import os

    for name in list(os.environ):
        if name.startswith("FLEXT_DB_ORACLE_") and not name.startswith("FLEXT_DB_ORACLE_TEST_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    return monkeypatch


def _leaks(text: str) -> list[str]:
    return [s for s in (SECRET, TOKEN) if s in text]


@pytest.mark.parametrize("route_name", ROUTE_NAMES)
def test_secret_never_appears_in_cli_output_or_logs(
    route_name: str,
    route_env: pytest.MonkeyPatch,
    capfd: pytest.CaptureFixture[str],
    postgresql_url: str,
    mariadb_url: str,
    tmp_path: Path,
    unique_name: object,
) -> None:
    route = {r.name: r for r in _routes(postgresql_url, mariadb_url, tmp_path)}[route_name]
    table = unique_name("sweep")  # type: ignore[operator]
    setup = FlextDbOracleApi.from_url(postgresql_url)
    setup.execute(f"CREATE TABLE {table} (id INT)")
    setup.disconnect()
    for key, value in route.env.items():
        route_env.setenv(key, value)
    base: list[str] = list(route.args)
    if route.url:
        base += ["--url", route.url]
    if route.profile:
        profiles = tmp_path / "profiles.toml"
        profiles.write_text(f"[profiles.p]\n{route.profile}\n")
        route_env.setenv("FLEXT_DB_ORACLE_PROFILES", str(profiles))
        base += ["--profile", "p"]
    records: list[str] = []
    handler = _ListHandler(records)
    root = logging.getLogger()
    root.addHandler(handler)
    previous_level = root.level
    root.setLevel(logging.DEBUG)
    leaks: list[str] = []
    runs = 0
    try:
        for command in _commands(table):
            for fmt, verbosity in COMBINATIONS:
                args = [*verbosity, *base, *command, "--format", fmt]
                if route.stdin is not None:
                    route_env.setattr(sys, "stdin", io.StringIO(route.stdin))
                try:
                    code = run(args)
                except BaseException as exc:
                    code = -1
                    said = everything_said_by(exc)
                    leaks += [f"{args}: raised, {s}" for s in _leaks(said)]
                out, err = capfd.readouterr()
                runs += 1
                if command[0] == "query" and "echoed" in command[1]:
                    out = out.replace(f"{SECRET}x", "<bind value>")  # the user's own data
                leaks += [f"{args} (exit {code}): {s} in output" for s in _leaks(out + err)]
                logged = "\n".join(records)
                leaks += [f"{args}: {s} in logs" for s in _leaks(logged)]
                records.clear()
    finally:
        root.removeHandler(handler)
        root.setLevel(previous_level)
        cleanup = FlextDbOracleApi.from_url(postgresql_url)
        cleanup.execute(f"DROP TABLE IF EXISTS {table}")
        cleanup.disconnect()
    RUNS["cli"] += runs
    RUNS["leaks"] += len(leaks)
    print(f"\nsecret sweep {route_name}: {runs} CLI runs, {len(leaks)} leaks")
    assert not leaks, f"{len(leaks)} of {runs} runs leaked, e.g. {leaks[:3]}"


class _ListHandler(logging.Handler):
    def __init__(self, sink: list[str]) -> None:
        super().__init__(logging.DEBUG)
        self.sink = sink

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.sink.append(f"{record.getMessage()} {record.__dict__!r}")
        except Exception:
            self.sink.append(repr(record.__dict__))


@pytest.mark.parametrize("route_name", [n for n in ROUTE_NAMES if n != "ask-password"])
def test_secret_never_appears_in_api_results_errors_or_chains(
    route_name: str,
    route_env: pytest.MonkeyPatch,
    postgresql_url: str,
    mariadb_url: str,
    tmp_path: Path,
) -> None:
    route = {r.name: r for r in _routes(postgresql_url, mariadb_url, tmp_path)}[route_name]
    for key, value in route.env.items():
        route_env.setenv(key, value)
    said: list[str] = []
    try:
        if route.profile:
            profiles = tmp_path / "profiles.toml"
            profiles.write_text(f"[profiles.p]\n{route.profile}\n")
            db = FlextDbOracleApi.from_env(profile="p", profiles_file=profiles)
        elif route.url:
            db = FlextDbOracleApi.from_url(route.url, connect_timeout_s=3)
        else:
            db = FlextDbOracleApi.from_env()
    except DbError as error:
        said.append(everything_said_by(error))
    else:
        calls = [
            db.connect, db.pool_stats, db.get_schemas, db.get_tables,
            lambda: db.query("SELECT 1"), lambda: db.query("SELECT * FROM no_such_sweep"),
            lambda: db.execute("DELETE FROM no_such_sweep"),
            lambda: db.get_table_metadata("no_such_sweep"),
        ]  # fmt: skip
        for call in calls:
            result = call()
            said += [str(result), repr(result)]
            if isinstance(result, Failure):
                said.append(everything_said_by(result.failure()))
        try:
            runtime = db.runtime
            said += [runtime.shown_url, repr(runtime.settings), repr(runtime.settings.redacted())]
        except DbError as error:
            said.append(everything_said_by(error))
        try:
            with db.transaction():
                raise ValueError("the caller's own failure")
        except BaseException as exc:
            said.append(everything_said_by(exc))
        db.disconnect()
    RUNS["api"] += len(said)
    leaks = [s for text in said for s in _leaks(text)]
    assert not leaks, f"{route_name}: the secret appears {len(leaks)} times"


def test_password_file_is_read(
    route_env: pytest.MonkeyPatch, mariadb_url: str, tmp_path: Path
) -> None:
    """FLEXT_DB_ORACLE_PASSWORD_FILE is honoured: MariaDB's root has no password, so a
    password read from the file makes the connection fail with `authentication`."""
    secret_file = tmp_path / "pw"
    secret_file.write_text(SECRET + "\n")
    route_env.setenv("FLEXT_DB_ORACLE_PASSWORD_FILE", str(secret_file))
    route_env.setenv("FLEXT_DB_ORACLE_URL", mariadb_url)
    db = FlextDbOracleApi.from_env()
    result = db.connect()
    db.disconnect()
    assert isinstance(result, Failure), "the password file was ignored (connected without it)"
    assert result.failure().kind.value == "authentication", result


def test_ask_password_option_exists(
    route_env: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str], mariadb_url: str
) -> None:
    route_env.setattr(sys, "stdin", io.StringIO(SECRET + "\n"))
    code = run(["--ask-password", "--url", mariadb_url, "health"])
    out, err = capfd.readouterr()
    assert "No such option" not in err, "--ask-password is not a CLI option"
    assert code == 1 and "authentication" in err, (code, out, err)
    assert SECRET not in out + err
