"""The `wms` record-source factory. Light on purpose: httpx loads when it is called."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from flext_db_oracle.errors import DbError, ErrorKind

from flext_db_oracle_wms.settings import WmsSettings

if TYPE_CHECKING:
    from flext_db_oracle.settings import DatabaseSettings

    from flext_db_oracle_wms.source import WmsRecordSource


def create_wms(settings: DatabaseSettings, own: Any) -> WmsRecordSource:  # noqa: ARG001
    """Build the record source from its own settings (no network until the first call);
    the core settings (the factory protocol's first argument) hold nothing WMS needs."""
    from flext_db_oracle_wms.source import WmsRecordSource

    if not isinstance(own, WmsSettings):
        raise DbError(
            ErrorKind.CONFIGURATION,
            "the wms adapter needs its settings (FLEXT_DB_ORACLE_WMS_BASE_URL and auth)",
            adapter="wms",
        )
    return WmsRecordSource(own)
