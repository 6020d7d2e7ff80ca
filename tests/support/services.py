"""The service policy: a test that needs a missing server skips with its reason,
and fails instead when `FLEXT_DB_ORACLE_REQUIRE_SERVICES=1` (CI sets it)."""

from __future__ import annotations

import os
from typing import NoReturn

import pytest

REQUIRE_SERVICES_ENV = "FLEXT_DB_ORACLE_REQUIRE_SERVICES"


def services_required() -> bool:
    return os.environ.get(REQUIRE_SERVICES_ENV, "").strip().lower() in {"1", "true", "yes"}


def require_service(reason: str) -> NoReturn:
    """Skip with `reason`; fail instead when `FLEXT_DB_ORACLE_REQUIRE_SERVICES=1`."""
    if services_required():
        pytest.fail(f"{reason} ({REQUIRE_SERVICES_ENV}=1 turns this skip into a failure)")
    pytest.skip(reason)
