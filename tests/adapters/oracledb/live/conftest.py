"""The live Oracle suite: enabled by ORACLE_DSN (with ORACLE_USER and ORACLE_PASSWORD),
skipped without it. CI exempts exactly this suite from its skip-to-failure switch, so it
skips with `pytest.skip` directly (not `require_service`).

    ORACLE_DSN=localhost:1521/FREEPDB1 ORACLE_USER=test ORACLE_PASSWORD=... \\
        uv run pytest tests/adapters/oracledb/live

Thin mode and SQLAlchemy's `oracle+oracledb` run in this process; thick mode runs in a
process of its own (python-oracledb cannot switch a process from thin to thick), started
by `test_thick_mode_in_its_own_process` when FLEXT_DB_ORACLE_ORACLEDB_LIB_DIR names the
Oracle Client libraries. See docs/oracle.md.
"""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import quote

import pytest
from flext_db_oracle import FlextDbOracleApi
from flext_db_oracle.settings import load_settings

# Set by the thick run's own process (see test_live_modes.py).
MODE_ENV = "FLEXT_DB_ORACLE_LIVE_MODE"
_EASY_CONNECT = re.compile(r"^(?://)?(?P<host>[^:/]+)(?::(?P<port>\d+))?/(?P<service>[^:/?]+)$")


@dataclass(frozen=True)
class OracleTarget:
    dsn: str
    user: str
    password: str

    def sqlalchemy_url(self) -> str | None:
        """SQLAlchemy's own URL for a simple Easy Connect DSN (None for other DSNs)."""
        match = _EASY_CONNECT.match(self.dsn)
        if match is None:
            return None
        port = match["port"] or "1521"
        credentials = f"{quote(self.user, safe='')}:{quote(self.password, safe='')}"
        return (
            f"oracle+oracledb://{credentials}@{match['host']}:{port}/"
            f"?service_name={match['service']}"
        )


@pytest.fixture(scope="session")
def oracle_target() -> OracleTarget:
    dsn = os.environ.get("ORACLE_DSN")
    if not dsn:
        pytest.skip(
            "ORACLE_DSN not set: the live Oracle suite needs a server "
            "(ORACLE_DSN=host:1521/service, ORACLE_USER, ORACLE_PASSWORD; see docs/oracle.md)"
        )
    return OracleTarget(
        dsn=dsn,
        user=os.environ.get("ORACLE_USER", "system"),
        password=os.environ.get("ORACLE_PASSWORD", ""),
    )


def live_modes() -> list[str]:
    """`thin` and SQLAlchemy's dialect here; `thick` alone in the thick process."""
    return ["thick"] if os.environ.get(MODE_ENV) == "thick" else ["thin", "sqlalchemy"]


def open_api(target: OracleTarget, mode: str) -> FlextDbOracleApi:
    if mode == "sqlalchemy":
        url = target.sqlalchemy_url()
        if url is None:
            pytest.skip(f"SQLAlchemy run needs ORACLE_DSN as host:port/service, not {target.dsn!r}")
        return FlextDbOracleApi.from_settings(load_settings(url=url, adapter="sqlalchemy"))
    settings = load_settings(
        url=target.dsn, user=target.user, password=target.password, adapter=mode
    )
    return FlextDbOracleApi.from_settings(settings)


@pytest.fixture(params=live_modes())
def mode(request: pytest.FixtureRequest) -> str:
    value: str = request.param
    return value


@pytest.fixture
def live_api(oracle_target: OracleTarget, mode: str) -> Iterator[FlextDbOracleApi]:
    api = open_api(oracle_target, mode)
    yield api
    api.disconnect()


@pytest.fixture
def oracle_api(oracle_target: OracleTarget) -> Iterator[FlextDbOracleApi]:
    """The Oracle adapter itself (thin, or thick in the thick process): for what only
    python-oracledb gives (exact types, dictionary, procedures)."""
    api = open_api(oracle_target, live_modes()[0])
    yield api
    api.disconnect()


@pytest.fixture
def table_name() -> Callable[[str], str]:
    """`table_name("t")` gives `T_<hex>`: a table no other run uses."""

    def make(prefix: str = "t") -> str:
        return f"{prefix}_{uuid.uuid4().hex[:10]}".upper()

    return make


@pytest.fixture
def dropped(oracle_api: FlextDbOracleApi) -> Iterator[list[str]]:
    """Names of objects to drop at the end (`TABLE X`, `SEQUENCE Y`...), in reverse order."""
    objects: list[str] = []
    yield objects
    for spec in reversed(objects):
        kind, _, name = spec.partition(" ")
        extra = " CASCADE CONSTRAINTS PURGE" if kind == "TABLE" else ""
        oracle_api.execute(f"DROP {kind} {name}{extra}")
