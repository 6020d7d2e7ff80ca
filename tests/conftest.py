"""Shared fixtures: an isolated database per backend, the facade over it, the CLI runner.

Backends:

- `sqlite`: a file under pytest's temporary directory (always available);
- `postgresql`: a fresh `flext_test_<hex>` database on 127.0.0.1:5432, dropped at the end;
- `mariadb`: a fresh `flext_test_<hex>` database (utf8mb4) on 127.0.0.1:3306, dropped at the end.

The administrative URLs can be changed with `FLEXT_DB_ORACLE_TEST_POSTGRESQL_URL` and
`FLEXT_DB_ORACLE_TEST_MARIADB_URL`. A server that cannot be reached skips its tests, or fails
them when `FLEXT_DB_ORACLE_REQUIRE_SERVICES=1` (CI sets it): see `require_service`.

Each session gets its own databases (each pytest-xdist worker too); tests inside a session
share them, so every test names its tables with `unique_name`.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn
from urllib.parse import urlsplit

import pytest
import structlog
from flext_db_oracle import FlextDbOracleApi

from tests.support.databases import mariadb_database, postgresql_database
from tests.support.services import require_service

# The shared checkout lives beside the repository: <repo>/../shared/datasets/chinook.
CHINOOK_DIR = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "chinook"

BACKENDS = ("sqlite", "postgresql", "mariadb")

# `cli`: run flext-db-oracle in-process (tests/support/cli.py).
pytest_plugins = ["tests.support.cli"]


@pytest.fixture(name="require_service", scope="session")
def require_service_fixture() -> Callable[[str], NoReturn]:
    """`require_service` as a fixture, for tests that prefer one to an import."""
    return require_service


# --- isolated databases --------------------------------------------------------------


@pytest.fixture(scope="session")
def sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("sqlite") / "contract.db"
    return f"sqlite:///{path}"


@pytest.fixture(scope="session")
def postgresql_url() -> Iterator[str]:
    with postgresql_database() as url:
        yield url


@pytest.fixture(scope="session")
def mariadb_url() -> Iterator[str]:
    with mariadb_database() as url:
        yield url


@dataclass(frozen=True)
class ContractTarget:
    """One (adapter, backend) pair the shared contract suite runs over."""

    adapter: str
    backend: str


# The next adapter joins the contract suite by adding its pairs here.
CONTRACT_TARGETS = [
    pytest.param(ContractTarget("sqlalchemy", "sqlite"), id="sqlalchemy-sqlite"),
    pytest.param(
        ContractTarget("sqlalchemy", "postgresql"),
        id="sqlalchemy-postgresql",
        marks=pytest.mark.services,
    ),
    pytest.param(
        ContractTarget("sqlalchemy", "mariadb"), id="sqlalchemy-mariadb", marks=pytest.mark.services
    ),
]


@pytest.fixture(params=CONTRACT_TARGETS)
def target(request: pytest.FixtureRequest) -> ContractTarget:
    """Each (adapter, backend) pair in turn."""
    chosen: ContractTarget = request.param
    return chosen


@pytest.fixture
def backend_url(target: ContractTarget, request: pytest.FixtureRequest) -> str:
    """The URL of this session's database on the target's backend."""
    url: str = request.getfixturevalue(f"{target.backend}_url")
    return url


@pytest.fixture
def api(target: ContractTarget, backend_url: str) -> Iterator[FlextDbOracleApi]:
    """The facade on `backend_url` through the target's adapter, found by the normal
    plugin discovery; closed afterwards."""
    db = FlextDbOracleApi.from_url(backend_url, adapter=target.adapter)
    yield db
    db.disconnect()


@pytest.fixture
def unique_name() -> Callable[[str], str]:
    """`unique_name("orders")` gives `orders_<hex>`: tables that no other test uses."""

    def make(prefix: str = "t") -> str:
        return f"{prefix}_{uuid.uuid4().hex[:10]}"

    return make


# --- what differs between backends ---------------------------------------------------


@dataclass(frozen=True)
class Dialect:
    """DDL spellings and facts per backend, so that one test body serves all of them."""

    name: str
    product: str  # ServerInfo.product
    quote_char: str  # identifier quoting
    blob_type: str
    datetime_type: str  # with microseconds
    float_type: str  # 8-byte floating point
    version_sql: str  # a query whose single value contains ServerInfo.version
    # MariaDB stops recursive CTEs after `max_recursive_iterations` (1000 by default).
    deep_recursive_cte: bool
    # SQLite folds table-name case itself, so "T" and "t" cannot both exist.
    case_sensitive_table_names: bool

    def q(self, identifier: str) -> str:
        """`identifier` quoted for this backend (mixed case, reserved words)."""
        return f"{self.quote_char}{identifier}{self.quote_char}"

    def default_schema(self, url: str) -> str:
        """The schema that `schema=None` means on this backend."""
        if self.name == "sqlite":
            return "main"
        if self.name == "postgresql":
            return "public"
        return urlsplit(url).path.lstrip("/")


DIALECTS: dict[str, Dialect] = {
    "sqlite": Dialect(
        name="sqlite",
        product="SQLite",
        quote_char='"',
        blob_type="BLOB",
        datetime_type="TIMESTAMP",
        float_type="DOUBLE PRECISION",
        version_sql="SELECT sqlite_version()",
        deep_recursive_cte=True,
        case_sensitive_table_names=False,
    ),
    "postgresql": Dialect(
        name="postgresql",
        product="PostgreSQL",
        quote_char='"',
        blob_type="BYTEA",
        datetime_type="TIMESTAMP",
        float_type="DOUBLE PRECISION",
        version_sql="SELECT version()",
        deep_recursive_cte=True,
        case_sensitive_table_names=True,
    ),
    "mariadb": Dialect(
        name="mariadb",
        product="MariaDB",
        quote_char="`",
        blob_type="LONGBLOB",
        datetime_type="DATETIME(6)",
        float_type="DOUBLE",
        version_sql="SELECT version()",
        deep_recursive_cte=False,
        case_sensitive_table_names=True,  # on Linux (lower_case_table_names=0)
    ),
}


@pytest.fixture(scope="session")
def dialects() -> dict[str, Dialect]:
    """The whole per-backend table."""
    return DIALECTS


@pytest.fixture
def dialect(target: ContractTarget) -> Dialect:
    """The row of the table for the current target's backend."""
    return DIALECTS[target.backend]


# --- datasets --------------------------------------------------------------------------


@pytest.fixture(scope="session")
def chinook_dir() -> Path:
    """The Chinook scripts of the shared checkout; a fresh clone of the repo lacks them."""
    if not CHINOOK_DIR.is_dir():
        pytest.skip(
            f"Chinook dataset not found at {CHINOOK_DIR} "
            "(it comes from the shared checkout beside the repository: ../shared/datasets/chinook)"
        )
    return CHINOOK_DIR


# --- logging -----------------------------------------------------------------------------


@pytest.fixture
def stdlib_logging() -> Iterator[None]:
    """The framework's default logging path (stdlib `logging`), whatever an earlier test
    configured in structlog (the CLI does); restored afterwards."""
    was_configured = structlog.is_configured()
    previous = structlog.get_config()
    structlog.reset_defaults()
    yield
    if was_configured:
        structlog.configure(**previous)
