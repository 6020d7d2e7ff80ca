"""Thick mode on a live server, in a process of its own (a process that made a thin
connection cannot switch to thick)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.adapters.oracledb.live.conftest import MODE_ENV, OracleTarget

LIVE_DIR = Path(__file__).parent


def test_thick_mode_in_its_own_process(oracle_target: OracleTarget) -> None:
    if os.environ.get(MODE_ENV) == "thick":
        pytest.skip("this is the thick process")
    if not os.environ.get("FLEXT_DB_ORACLE_ORACLEDB_LIB_DIR"):
        pytest.skip(
            "thick mode needs the Oracle Client libraries: set FLEXT_DB_ORACLE_ORACLEDB_LIB_DIR "
            "to an Oracle Instant Client directory"
        )
    done = subprocess.run(
        [sys.executable, "-m", "pytest", str(LIVE_DIR), "-q", "-p", "no:cacheprovider",
         "--deselect", f"{LIVE_DIR / Path(__file__).name}::test_thick_mode_in_its_own_process"],
        env={**os.environ, MODE_ENV: "thick"},
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert oracle_target.password not in done.stdout + done.stderr
