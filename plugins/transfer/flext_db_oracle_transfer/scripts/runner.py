"""Running a script's items on one connection, as the script's own client would.

The facade gets a pool of exactly one connection, so every statement, `USE` and
session setting lands on the same session, as in the client; outside
`--single-transaction` each statement commits by itself (what ran before a failure
stays, as with `psql -v ON_ERROR_STOP=1`). `\\c` and `CONNECT` close that session
and open one on the other database or user of the same server.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pluggy
from flext_db_oracle import FlextDbOracleApi
from flext_db_oracle.errors import DbError, ErrorKind
from flext_db_oracle.models import Principal, QueryResult
from flext_db_oracle.settings import DatabaseSettings
from pydantic import SecretStr
from returns.result import Failure, Result, Success

from flext_db_oracle_transfer.backend import backend_of
from flext_db_oracle_transfer.scripts.model import (
    Echo,
    Exit,
    Item,
    Note,
    OnError,
    Reconnect,
    Statement,
)
from flext_db_oracle_transfer.scripts.source import ScriptDialect
from flext_db_oracle_transfer.scripts.split import split_script


@dataclass
class ScriptReport:
    """What a run did. `status` is the script's own `EXIT` status (0 without one)."""

    statements: int = 0
    failures: list[DbError] = field(default_factory=list)
    seconds: float = 0.0
    status: int = 0

    def summary(self) -> str:
        failed = f", {len(self.failures)} failed" if self.failures else ""
        return f"{self.statements} statement(s) run in {self.seconds:.2f} s{failed}"


def _say_nothing(_text: str) -> None:
    """The default sink for `PROMPT` text and notes."""


@dataclass
class ScriptRunner:
    """Runs scripts against the database `settings` describe.

    `dialect` picks the client whose rules split the script (taken from the server
    when None). `single_transaction` makes the script all or nothing where the
    backend can roll its statements back; `continue_on_error` goes on after a
    failing statement (a script's `WHENEVER SQLERROR` or `ON_ERROR_STOP` overrides
    it from where it stands).
    """

    settings: DatabaseSettings
    dialect: ScriptDialect | None = None
    single_transaction: bool = False
    continue_on_error: bool = False
    echo: Callable[[str], None] = _say_nothing
    note: Callable[[str], None] = _say_nothing
    # Rows a statement returned (a script's SELECT), shown as the client shows them.
    show: Callable[[QueryResult], None] = lambda _result: None
    # The host's plugin manager and signed-in principal (the CLI passes its own), so a
    # script runs with the same hooks and permissions as any other command.
    plugin_manager: pluggy.PluginManager | None = None
    principal: Principal | None = None

    def run(self, path: Path) -> Result[ScriptReport, DbError]:
        """Run the script at `path`; a failure that stops it is `Failure`, naming the
        file and line of the statement."""
        session = _Session(self.settings, self._open)
        try:
            return self._run(path, session)
        finally:
            session.close()

    def _open(self, settings: DatabaseSettings) -> FlextDbOracleApi:
        """A facade on a pool of exactly one connection."""
        api = FlextDbOracleApi.from_settings(
            _one_connection(settings), plugin_manager=self.plugin_manager
        )
        return api.as_principal(self.principal) if self.principal is not None else api

    def _run(self, path: Path, session: _Session) -> Result[ScriptReport, DbError]:
        dialect = self.dialect
        if dialect is None:
            found = backend_of(session.api)
            if isinstance(found, Failure):
                return found
            dialect = found.unwrap()
        if self.single_transaction and dialect == "mysql":
            self.note("MySQL and MariaDB commit DDL implicitly: only DML is rolled back")
        report = ScriptReport()
        started = time.perf_counter()
        try:
            items = split_script(path, dialect)
            if self.single_transaction:
                with session.api.transaction():
                    failure = self._items(items, session, report)
                    if failure is not None:
                        raise failure
            else:
                failure = self._items(items, session, report)
        except DbError as error:
            failure = error
        report.seconds = time.perf_counter() - started
        return Success(report) if failure is None else Failure(failure)

    def _items(
        self, items: Iterable[Item], session: _Session, report: ScriptReport
    ) -> DbError | None:
        """Run `items`; the error that stops the run, or None."""
        stop = not self.continue_on_error
        for item in items:
            if isinstance(item, Statement):
                # `query` runs any statement; a SELECT's rows come back to be shown.
                outcome = session.api.query(item.text)
                report.statements += 1
                if isinstance(outcome, Failure):
                    error = item.location.locate(outcome.failure())
                    report.failures.append(error)
                    if stop or self.single_transaction:
                        return error
                    self.note(str(error))
                elif outcome.unwrap().columns:
                    self.show(outcome.unwrap())
            elif isinstance(item, Reconnect):
                if self.single_transaction:
                    return item.location.error(
                        ErrorKind.UNSUPPORTED,
                        "a script that reconnects cannot run as a single transaction",
                    )
                reconnected = session.reconnect(item)
                if isinstance(reconnected, Failure):
                    return item.location.locate(reconnected.failure())
            elif isinstance(item, OnError):
                stop = item.stop
            elif isinstance(item, Echo):
                self.echo(item.text)
            elif isinstance(item, Note):
                self.note(f"{item.location}: {item.text}")
            elif isinstance(item, Exit):
                report.status = item.status
                break
        return None


class _Session:
    """The one-connection facade a script runs on, replaced on reconnect."""

    def __init__(
        self, settings: DatabaseSettings, open_api: Callable[[DatabaseSettings], FlextDbOracleApi]
    ) -> None:
        self.settings = settings
        self._open = open_api
        self.api = open_api(settings)

    def reconnect(self, target: Reconnect) -> Result[None, DbError]:
        try:
            settings = reconnected_settings(self.settings, target)
        except DbError as error:
            return Failure(error)
        api = self._open(settings)
        reached = api.connect()
        if isinstance(reached, Failure):
            api.disconnect()
            return Failure(reached.failure())
        self.api.disconnect()
        self.api, self.settings = api, settings
        return Success(None)

    def close(self) -> None:
        self.api.disconnect()


def _one_connection(settings: DatabaseSettings) -> DatabaseSettings:
    pool = settings.pool.model_copy(update={"size": 1, "max_overflow": 0})
    return settings.model_copy(update={"pool": pool})


def reconnected_settings(settings: DatabaseSettings, target: Reconnect) -> DatabaseSettings:
    """The same server with the database, user or password `target` names.

    SQL*Plus names a service (`FREEPDB1`) or an easy-connect string
    (`host:port/service`); psql names a database.
    """
    url = settings.database_url()
    update: dict[str, object] = {}
    database = target.database
    if database is not None and "/" in database:
        address, _, database = database.partition("/")
        host, _, port = address.lstrip("/").partition(":")
        update["host"] = host or url.host
        if port:
            if not port.isdigit():
                raise DbError(ErrorKind.CONFIGURATION, f"bad port in connect string: {port!r}")
            update["port"] = int(port)
    if database:
        update["database"] = database
    if target.user is not None:
        update["username"] = target.user
        update["password"] = SecretStr(target.password) if target.password else None
    moved = url.model_copy(update=update)
    return settings.with_url(moved.render(hide_password=False))
