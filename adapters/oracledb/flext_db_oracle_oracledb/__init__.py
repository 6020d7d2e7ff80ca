"""Oracle Database adapters on python-oracledb: `thin` (pure Python) and `thick`
(Oracle Client libraries), registered through `flext_db_oracle_oracledb.plugin`."""
