"""Built-in commands, one module per concern, registered by `flext_db_oracle.cli.builtin`."""
