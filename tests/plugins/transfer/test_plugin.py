"""The transfer plugin arrives through its entry point and keeps the CLI's start light."""

from __future__ import annotations

import subprocess
import sys

from tests.support.cli import CliRunner

PROBE = """
import sys
from flext_db_oracle.cli.main import run
run(["--help"])
heavy = ("pyarrow", "polars", "pandas", "rich.progress", "flext_db_oracle_transfer.scripts")
heavy = [name for name in heavy if name in sys.modules]
print("HEAVY", heavy)
"""


def test_commands_come_from_the_transfer_entry_point(cli: CliRunner) -> None:
    done = cli("plugins", "--format", "json")
    assert done.code == 0, done.err
    transfer = next(p for p in done.json() if p["name"] == "transfer")
    assert transfer["distribution"] == "flext-db-oracle-transfer"
    assert transfer["commands"] == ["export", "load", "run"]
    for command in ("run", "export", "load"):
        shown = cli(command, "--help")
        assert shown.code == 0
        assert "--url" in shown.out  # the common options reach plugin commands too


def test_help_imports_no_heavy_module() -> None:
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True)
    assert "HEAVY []" in done.stdout
