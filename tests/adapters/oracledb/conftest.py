"""Oracle adapter tests run with no FLEXT_DB_ORACLE_* or TNS_ADMIN set, in an empty directory."""

from __future__ import annotations

import os
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    for name in list(os.environ):
        if name.startswith("FLEXT_DB_ORACLE_") or name == "TNS_ADMIN":
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    return tmp_path
