"""`auth whoami` and `auth check`: sign in with the configured auth adapter."""

from __future__ import annotations

import click

from flext_db_oracle.cli.context import CliContext, pass_cli
from flext_db_oracle.cli.output import write_document
from flext_db_oracle.errors import DbError, ErrorKind
from flext_db_oracle.models import Permission, Principal


@click.group()
def auth() -> None:
    """Sign in with the configured auth adapter (FLEXT_DB_ORACLE_AUTH_ADAPTER).

    \b
    Who acts is --user NAME (or FLEXT_DB_ORACLE_AUTH_USER); the password is prompted
    for on a terminal, or read from standard input with --password-stdin:
      printf '%s\\n' "$PASSWORD" | flext-db-oracle auth whoami --user alice --password-stdin
    """


def _principal(cli: CliContext) -> Principal:
    principal = cli.api().principal
    if principal is None:
        raise DbError(
            ErrorKind.CONFIGURATION,
            "no auth adapter is configured (set FLEXT_DB_ORACLE_AUTH_ADAPTER, e.g. ldap)",
        )
    return principal


@auth.command()
@pass_cli
def whoami(cli: CliContext) -> None:
    """Authenticate and show the principal: groups, roles and permissions."""
    principal = _principal(cli)
    write_document(cli.format, principal.model_dump(mode="json"), title="principal")


@auth.command()
@click.argument("action", type=click.Choice([p.value for p in Permission]))
@pass_cli
def check(cli: CliContext, action: str) -> None:
    """Exit 0 when the signed-in principal may ACTION (read, write, ddl or admin), 1 when not."""
    _principal(cli)
    cli.unwrap(cli.api().authorize(Permission(action)))
    click.echo(f"allowed: {action}")
