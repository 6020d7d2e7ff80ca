"""The Oracle adapters' own settings: `FLEXT_DB_ORACLE_ORACLEDB_*` or `[profiles.NAME.oracledb]`.

What the core settings cannot say about Oracle lives here; the core's `host`,
`port`, `database` (the service name), `user` and `password` stay where they are.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from flext_db_oracle.redaction import register_secret
from flext_db_oracle.settings import AdapterSettings, adapter_settings_config
from pydantic import Field, SecretStr, model_validator

from flext_db_oracle_oracledb.types import parse_time_zone

SECTION = "oracledb"


class OracleDbSettings(AdapterSettings):
    """Oracle-only options for the `thin` and `thick` adapters."""

    model_config = adapter_settings_config(SECTION)

    sid: str | None = Field(
        default=None,
        description="connect by SID instead of service name (old databases only)",
    )
    lib_dir: Path | None = Field(
        default=None, description="thick mode: directory of the Oracle Client libraries"
    )
    config_dir: Path | None = Field(
        default=None, description="directory of tnsnames.ora / sqlnet.ora (else TNS_ADMIN)"
    )
    wallet_location: Path | None = Field(
        default=None, description="directory of the wallet (mTLS, Autonomous Database)"
    )
    wallet_password: SecretStr | None = Field(default=None, description="the wallet's password")
    externalauth: bool = Field(
        default=False, description="thick mode: OS or wallet authentication, no password"
    )
    cclass: str | None = Field(default=None, description="DRCP connection class")
    purity: Literal["default", "new", "self"] = Field(default="default", description="DRCP purity")
    pool_boundary: Literal["statement", "transaction"] | None = Field(
        default=None, description="implicit connection pooling boundary (DRCP or PRCP)"
    )
    call_timeout_s: float | None = Field(
        default=None, gt=0, description="bound on every round trip of an operation"
    )
    pool_min: int = Field(default=0, ge=0, description="sessions the pool keeps open")
    pool_increment: int = Field(default=1, ge=1, description="sessions the pool opens at once")
    ping_interval_s: int = Field(
        default=60,
        ge=-1,
        description="ping a pooled session idle this long before handing it out; -1 never",
    )
    max_lifetime_session_s: int | None = Field(
        default=None,
        ge=0,
        description="close pooled sessions older than this (else pool.recycle_s)",
    )
    stmtcachesize: int = Field(default=50, ge=0, description="statement cache per session")
    arraysize: int = Field(default=1000, ge=1, description="rows per fetch round trip")
    prefetchrows: int | None = Field(
        default=None,
        ge=0,
        description="rows returned with the execute; unset: as many as arraysize (or the "
        "stream's batch size), so a result that fits comes back in one round trip",
    )
    lob_inline_limit: int | None = Field(
        default=None,
        ge=0,
        description="unset: CLOB/BLOB as str/bytes in one round trip (up to 1 GB); a number: "
        "values up to that size, LOB locators (streamed) above it",
    )
    session_time_zone: str = Field(
        default="UTC",
        description="session TIME_ZONE (TIMESTAMP WITH LOCAL TIME ZONE comes back in it)",
    )
    number_as: Literal["exact", "float"] = Field(
        default="exact", description="NUMBER as int/Decimal (exact) or float"
    )
    batch_chunk_rows: int = Field(
        default=10_000, ge=1, le=65_535, description="rows per array-DML round trip"
    )
    direct_path_load: bool = Field(
        default=False, description="bulk_insert through direct path load (thin mode only)"
    )
    module: str = Field(default="flext-db-oracle", max_length=64, description="V$SESSION.MODULE")
    action: str | None = Field(default=None, max_length=64, description="V$SESSION.ACTION")
    client_identifier: str | None = Field(
        default=None, max_length=64, description="V$SESSION.CLIENT_IDENTIFIER"
    )
    mode: Literal["default", "sysdba", "sysoper", "sysbackup", "sysdg", "syskm", "sysasm"] = Field(
        default="default", description="privileged connection mode"
    )

    @model_validator(mode="after")
    def _check(self) -> OracleDbSettings:
        if self.wallet_password is not None:
            register_secret(self.wallet_password.get_secret_value())
        parse_time_zone(self.session_time_zone)  # a ValueError names the bad value
        if self.pool_boundary is not None and self.cclass is None:
            raise ValueError(
                "pool_boundary (FLEXT_DB_ORACLE_ORACLEDB_POOL_BOUNDARY) needs cclass "
                "(FLEXT_DB_ORACLE_ORACLEDB_CCLASS): implicit pooling runs over DRCP"
            )
        return self
