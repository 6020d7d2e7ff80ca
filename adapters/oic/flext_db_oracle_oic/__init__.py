"""Oracle Integration (OIC) as a flext-db-oracle record source: adapter `oic`.

`flext_db_oracle_oic.settings.OicSettings` (`FLEXT_DB_ORACLE_OIC_*`) configures it; the
registry builds `flext_db_oracle_oic.adapter.OicAdapter` through `plugin.create_oic`.
Sources are `integrations`, `connections` and `instances` (monitoring); the adapter also
offers activate/deactivate, connection tests and instance details as direct methods.
Nothing is imported here, so that loading the plugin stays light.
"""
