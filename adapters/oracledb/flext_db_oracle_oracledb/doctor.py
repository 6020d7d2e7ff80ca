"""`flext-db-oracle doctor`: the driver's situation, and the server's when it answers.

Reports thin or thick mode, the driver and Oracle Client versions and, once
connected, the server version, the session's NLS settings and what in this setup
needs thick mode. python-oracledb and the adapter modules are imported in the command
body only: every CLI start-up imports this module.
"""

from __future__ import annotations

from typing import Any

import click
from flext_db_oracle.cli.context import CliContext, pass_cli
from flext_db_oracle.cli.output import write_document
from flext_db_oracle.errors import DbError
from flext_db_oracle.settings import DatabaseSettings, load_adapter_settings

from flext_db_oracle_oracledb.plugin import THICK
from flext_db_oracle_oracledb.settings import OracleDbSettings

# What python-oracledb's thin mode cannot do, and how to tell.
THICK_ONLY = (
    "Oracle Database 11.2 or older (thin mode needs 12.1 or newer)",
    "native network encryption or checksumming (SQLNET.ENCRYPTION_SERVER=REQUIRED)",
    "password verifiers older than 11G (accounts with only a 10G verifier)",
    "external authentication (OS, Kerberos, RADIUS) and FLEXT_DB_ORACLE_ORACLEDB_EXTERNALAUTH",
)


def wants_thick(settings: DatabaseSettings) -> bool:
    """Whether the configured adapter is the thick one."""
    if settings.adapter is not None:
        return settings.adapter == THICK
    try:
        return settings.database_url().scheme.lower() == f"oracle+{THICK}"
    except DbError:
        return False


def _server_needs_thick(version: str) -> list[str]:
    major = int(version.split(".", 1)[0]) if version[:1].isdigit() else 0
    return [THICK_ONLY[0]] if 0 < major < 12 else []


def diagnose(
    settings: DatabaseSettings, *, thick: bool, connect: bool
) -> tuple[dict[str, Any], DbError | None]:
    """The report, and the failure of what was asked for, if any."""
    import oracledb

    from flext_db_oracle_oracledb import sql
    from flext_db_oracle_oracledb.adapter import create_thick, create_thin
    from flext_db_oracle_oracledb.errors import to_db_error

    own = load_adapter_settings(OracleDbSettings, settings)
    report: dict[str, Any] = {"driver": "python-oracledb", "driver_version": oracledb.__version__}
    adapter = (create_thick if thick else create_thin)(settings, own)
    if thick:
        try:
            adapter.pool._open()
        except DbError as error:
            report.update(mode="thin (thick requested)", thick_error=str(error))
            return report, error
    report["mode"] = "thin" if oracledb.is_thin_mode() else "thick"
    if not oracledb.is_thin_mode():
        report["client_version"] = ".".join(str(part) for part in oracledb.clientversion())
    report["thick_mode_needed_for"] = list(THICK_ONLY)
    if not connect:
        return report, None
    report["target"] = adapter.pool.spec.described()
    try:
        connection = adapter.pool.acquire()
    except DbError as error:
        report["connection"] = f"failed: {error}"
        adapter.connection.close()
        return report, error
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql.NLS_SESSION)
            nls = dict(cursor.fetchall())
        report.update(
            connection="ok",
            server_version=str(connection.version),
            nls_session=nls,
            this_server_needs_thick=_server_needs_thick(str(connection.version)),
        )
    except Exception as exc:
        failure = to_db_error(exc, adapter.name)
        report["connection"] = f"failed: {failure}"
        return report, failure
    finally:
        adapter.pool.release(connection)
        adapter.connection.close()
    return report, None


@click.command()
@click.option("--thick/--thin", "thick", default=None, help="driver mode (default: the adapter's)")
@click.option("--no-connect", is_flag=True, help="report the driver only; do not connect")
@pass_cli
def doctor(cli: CliContext, thick: bool | None, no_connect: bool) -> None:
    """Oracle driver check: thin/thick, driver and client versions, server and NLS settings."""
    settings = cli.settings()
    report, failure = diagnose(
        settings, thick=wants_thick(settings) if thick is None else thick, connect=not no_connect
    )
    write_document(cli.format, report, title="oracle doctor")
    if failure is not None:
        raise failure  # one line on stderr, exit 1
