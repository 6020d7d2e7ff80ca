"""Oracle Integration (OIC) as a flext-db-oracle record source: adapter `oic`.

`OicSettings` (`FLEXT_DB_ORACLE_OIC_*`) configures it; the registry builds
`flext_db_oracle_oic.adapter.OicAdapter` through `plugin.create_oic`. Sources are
`integrations`, `connections` and `instances` (monitoring); the adapter also offers
activate/deactivate, connection tests and instance details as direct methods.
"""

from flext_db_oracle_oic.settings import OicSettings

__all__ = ["OicSettings"]
