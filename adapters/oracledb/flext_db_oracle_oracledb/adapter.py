"""The `thin` and `thick` adapters: one pool shared by the three ports.

The factories only read settings: the pool opens on first use, and thick mode
loads the Oracle Client then, not at registration.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flext_db_oracle.ports import ConnectionPort, QueryPort, SchemaPort
from flext_db_oracle.settings import DatabaseSettings, load_adapter_settings

from flext_db_oracle_oracledb.connect import build_spec
from flext_db_oracle_oracledb.connection import OracleConnection
from flext_db_oracle_oracledb.mode import ensure_thick, ensure_thin
from flext_db_oracle_oracledb.pool import SessionPool
from flext_db_oracle_oracledb.query import OracleQuery
from flext_db_oracle_oracledb.schema import OracleSchema
from flext_db_oracle_oracledb.settings import OracleDbSettings

THIN = "thin"  # the plugin module names them too, without importing this one
THICK = "thick"


@dataclass
class OracleAdapter:
    pool: SessionPool
    connection: ConnectionPort
    query: QueryPort
    schema: SchemaPort
    name: str


class _ModedPool(SessionPool):
    """A pool that puts the process in its driver mode before its first session."""

    def __init__(self, *args: Any, thick: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._thick = thick

    def _open(self) -> Any:
        if self._thick:
            ensure_thick(self.own, self.adapter)
        else:
            ensure_thin(self.adapter)
        return super()._open()


def _own(settings: DatabaseSettings, own: OracleDbSettings | None) -> OracleDbSettings:
    return own if own is not None else load_adapter_settings(OracleDbSettings, settings)


def _build(
    name: str, settings: DatabaseSettings, own: OracleDbSettings | None, *, thick: bool
) -> OracleAdapter:
    options = _own(settings, own)
    spec = build_spec(settings, options, thick=thick)
    pool = _ModedPool(spec, settings, options, adapter=name, thick=thick)
    return OracleAdapter(
        pool=pool,
        connection=OracleConnection(pool, name),
        query=OracleQuery(pool, name),
        schema=OracleSchema(pool, name),
        name=name,
    )


def create_thin(settings: DatabaseSettings, own: OracleDbSettings | None = None) -> OracleAdapter:
    """The thin adapter: pure Python, no Oracle Client."""
    return _build(THIN, settings, own, thick=False)


def create_thick(settings: DatabaseSettings, own: OracleDbSettings | None = None) -> OracleAdapter:
    """The thick adapter: Oracle Client libraries (`lib_dir`), loaded once per process."""
    return _build(THICK, settings, own, thick=True)
