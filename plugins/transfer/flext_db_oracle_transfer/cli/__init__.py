"""The transfer plugin's commands: `run`, `export`, `load`."""
