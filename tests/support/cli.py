from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flext_db_oracle.cli.main import run


@dataclass
class Invocation:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


CliRunner = Callable[..., Invocation]


@pytest.fixture
def cli(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> CliRunner:
    """Run `flext-db-oracle ARGS` in-process, in an empty directory (so the embedded
    default database is a fresh file there) and with no FLEXT_DB_ORACLE_* settings."""
    for name in list(os.environ):
        if name.startswith("FLEXT_DB_ORACLE_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)

    def invoke(*args: str) -> Invocation:
        capsys.readouterr()
        code = run(list(args))
        captured = capsys.readouterr()
        return Invocation(code, captured.out, captured.err)

    return invoke
