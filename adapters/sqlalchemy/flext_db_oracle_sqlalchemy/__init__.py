"""SQLAlchemy 2 Core adapter: the connection, query and schema ports for any SQLAlchemy URL.

Import `flext_db_oracle_sqlalchemy.adapter` for the adapter itself; this package
root stays light so that plugin discovery imports no SQLAlchemy.
"""
