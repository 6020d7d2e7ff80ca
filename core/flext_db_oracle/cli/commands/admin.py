"""`health`, `plugins` and `config`: what DevOps asks first."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from flext_db_oracle.cli.context import CliContext, pass_cli
from flext_db_oracle.cli.group import FlextGroup
from flext_db_oracle.cli.output import write_document, write_rows
from flext_db_oracle.errors import DbError, ErrorKind
from flext_db_oracle.plugins import build_registry, collect_plugin_settings, describe_plugins
from flext_db_oracle.settings import find_profiles_file, load_adapter_settings, section_of
from flext_db_oracle.urls import DatabaseUrl


@click.command()
@pass_cli
def health(cli: CliContext) -> None:
    """Reach the server: adapter, product, version, round trip and pool. Exit 1 when down.

    A SQLite file that does not exist yet is reported, not created.
    """
    _require_sqlite_file(cli.settings().database_url())
    api = cli.api()
    server = cli.unwrap(api.test_connection())
    pool = cli.unwrap(api.pool_stats())
    write_document(
        cli.format,
        {
            "status": "ok",
            "url": cli.shown_url(),
            **server.model_dump(),
            "pool": pool.model_dump(),
        },
        title="health",
    )


def _require_sqlite_file(url: DatabaseUrl) -> None:
    if url.backend != "sqlite" or url.database in {None, ":memory:"} or "mode=memory" in str(url):
        return
    path = Path(str(url.database))
    if not path.exists():
        raise DbError(
            ErrorKind.NOT_FOUND,
            f"no SQLite database at {path.resolve()} (health does not create one; the first "
            "write does, e.g. `flext-db-oracle sample`)",
        )


@click.command()
@pass_cli
def plugins(cli: CliContext) -> None:
    """List discovered plugins: distribution, version and what each registered."""
    root = click.get_current_context().find_root().command
    commands = root.commands_by_plugin if isinstance(root, FlextGroup) else {}
    infos = describe_plugins(cli.plugin_manager, build_registry(cli.plugin_manager), commands)
    if cli.format == "table":
        write_rows(
            "table",
            ["plugin", "distribution", "version", "adapters", "commands"],
            [
                (
                    i.name,
                    i.distribution or "(registered by hand)",
                    i.version,
                    i.adapters,
                    i.commands,
                )
                for i in infos
            ],
        )
    else:
        rows = [i.as_dict() for i in infos]
        columns = ["name", "distribution", "version", "adapters", "commands", "hooks"]
        write_rows(cli.format, columns, [[r[c] for c in columns] for r in rows])


@click.command()
@pass_cli
def config(cli: CliContext) -> None:
    """Show the effective settings (secrets masked) and where they came from.

    \b
    Adapters' own settings follow the core's, by section: FLEXT_DB_ORACLE_<SECTION>_*
    variables and [profiles.NAME.<section>] tables.
    """
    settings = cli.settings()
    document: dict[str, Any] = settings.redacted()
    document["profile"] = cli.profile
    profiles_file = find_profiles_file()
    document["profiles_file"] = str(profiles_file) if profiles_file else None
    models = {
        section_of(entry.settings_model): entry.settings_model
        for entry in build_registry(cli.plugin_manager)
        if entry.settings_model is not None
    }
    for model in collect_plugin_settings(cli.plugin_manager).values():
        models.setdefault(section_of(model), model)
    for section, model in sorted(models.items()):
        # SecretStr fields dump as "**********" in JSON mode: nothing secret is shown.
        document[section] = load_adapter_settings(model, settings).model_dump(mode="json")
    write_document(cli.format, document, title="configuration")
