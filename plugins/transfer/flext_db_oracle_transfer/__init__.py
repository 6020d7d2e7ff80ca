"""Data movement for flext-db-oracle: scripts, export and bulk load.

Kept light: pyarrow and rich load only when a command or function needs them.
"""
