"""Thin or thick: python-oracledb chooses once per process.

Thick mode starts with `init_oracle_client`, which must come before any thin
connection: after one, the driver refuses (DPY-2019), and thick mode cannot be left.
"""

from __future__ import annotations

import threading

from flext_db_oracle.errors import DbError, ErrorKind

from flext_db_oracle_oracledb.errors import to_db_error
from flext_db_oracle_oracledb.settings import OracleDbSettings

_lock = threading.Lock()


def ensure_thick(own: OracleDbSettings, adapter: str) -> None:
    """Load the Oracle Client libraries (once); a failure is a `configuration` DbError
    naming its cause (DPI-1047: no client library) and what to install."""
    import oracledb

    with _lock:
        if not oracledb.is_thin_mode():
            return
        try:
            oracledb.init_oracle_client(
                lib_dir=str(own.lib_dir) if own.lib_dir else None,
                config_dir=str(own.config_dir) if own.config_dir else None,
                driver_name="flext-db-oracle",
            )
        except Exception as exc:
            error = to_db_error(exc, adapter)
            raise DbError(
                ErrorKind.CONFIGURATION,
                f"thick mode unavailable: {error.message}",
                code=error.code,
                retryable=False,
                adapter=adapter,
            ) from None


def ensure_thin(adapter: str) -> None:
    """Refuse the thin adapter in a process already in thick mode."""
    import oracledb

    if not oracledb.is_thin_mode():
        raise DbError(
            ErrorKind.CONFIGURATION,
            "this process is in python-oracledb thick mode (an earlier thick adapter), which "
            "cannot be left: use the thick adapter here, or run the thin one in its own process",
            code="DPY-2053",
            adapter=adapter,
        )
