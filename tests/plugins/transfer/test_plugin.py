"""The transfer plugin arrives through its entry point and keeps the CLI's start light."""

from __future__ import annotations

import subprocess
import sys

from tests.support.cli import CliRunner

PROBE = """
import sys
from flext_db_oracle.cli.main import run
run(["--help"])
heavy = [m for m in ("pyarrow", "polars", "pandas", "rich.progress") if m in sys.modules]
print("HEAVY", heavy)
"""


def test_commands_come_from_the_transfer_entry_point(cli: CliRunner) -> None:
    done = cli("plugins", "--format", "json")
    assert done.code == 0, done.err
    transfer = next(p for p in done.json() if p["name"] == "transfer")
    assert transfer["distribution"] == "flext-db-oracle-transfer"
    assert transfer["commands"] == ["export", "load", "run"]
    for command in ("run", "export", "load"):
        assert cli(command, "--help").code == 0


def test_help_imports_no_heavy_module() -> None:
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True)
    assert "HEAVY []" in done.stdout
