"""Start-up stays light: what `--help`, `--version`, `plugins` and `config` import.

Each command runs in a fresh interpreter, so that nothing an earlier test imported
hides a regression; the modules it loaded are read from `sys.modules`.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

DRIVERS_AND_HEAVY = ("sqlalchemy", "psycopg", "pymysql", "oracledb", "pyarrow", "httpx", "ldap3")
# What `--help` must not even touch: settings machinery, rendering, DI, async.
HELP_ALSO_AVOIDS = ("pydantic", "pydantic_settings", "rich", "pygments", "dependency_injector")

PROBE = """
import contextlib, io, json, sys
from flext_db_oracle.cli.main import run
with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
    code = run(sys.argv[1:])
print(json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""


def _imported(tmp_path: Path, *args: str) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["code"] == 0
    return {name.split(".")[0] for name in report["modules"]}


def test_help_imports_no_driver_and_no_heavy_library(tmp_path: Path) -> None:
    loaded = _imported(tmp_path, "--help")

    assert loaded.isdisjoint(DRIVERS_AND_HEAVY + HELP_ALSO_AVOIDS), sorted(
        loaded & set(DRIVERS_AND_HEAVY + HELP_ALSO_AVOIDS)
    )


@pytest.mark.parametrize("args", [("--version",), ("plugins",), ("config",), ("query", "--help")])
def test_administrative_commands_import_no_driver(tmp_path: Path, args: tuple[str, ...]) -> None:
    loaded = _imported(tmp_path, *args)

    assert loaded.isdisjoint(DRIVERS_AND_HEAVY), sorted(loaded & set(DRIVERS_AND_HEAVY))
