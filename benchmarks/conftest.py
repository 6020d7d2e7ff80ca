"""Fixtures for the benchmarks and the facade-vs-raw-vs-SQLAlchemy summary.

Run with `uv run pytest benchmarks --benchmark-only`. The main suite (`uv run pytest`,
`testpaths = ["tests"]`) never collects this directory.

Per backend (sqlite, postgresql, mariadb) the `backend` fixture creates an isolated
database once per session and drops it at the end; a server that cannot be reached
skips its benchmarks with the reason. The three contenders of a backend (raw driver,
SQLAlchemy Core, facade) stay open for the whole session, so every measurement runs
on warm connections and pools. See `contenders.py` for what each contender does.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
EXECUTE_MANY_ROUNDS = 8


def _load(name: str) -> ModuleType:
    """Import a sibling module (the directory is not a package on `sys.path`)."""
    qualified = f"flext_db_oracle_benchmarks_{name}"
    if qualified in sys.modules:
        return sys.modules[qualified]
    spec = importlib.util.spec_from_file_location(qualified, HERE / f"{name}.py")
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {name}.py from {HERE}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[qualified] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module


lib = _load("contenders")
report = _load("report")


@pytest.fixture(scope="session", params=lib.BACKENDS)
def backend(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Any:
    try:
        opened = lib.open_backend(request.param, tmp_path_factory.mktemp(request.param))
    except lib.BackendUnavailableError as exc:
        pytest.skip(str(exc))
    try:
        yield opened
    finally:
        opened.drop()


@pytest.fixture(scope="session")
def contenders(backend: Any) -> Iterator[dict[str, Any]]:
    opened: dict[str, Any] = lib.open_contenders(backend)
    try:
        yield opened
    finally:
        for contender in opened.values():
            contender.close()


@pytest.fixture(scope="session")
def insert_rows() -> list[dict[str, Any]]:
    """The rows `execute_many` inserts, built once (their construction is not measured)."""
    rows: list[dict[str, Any]] = lib.make_rows(lib.INSERT_ROWS)
    return rows


@dataclass
class Bench:
    """One (backend, workload, contender) measurement, labelled for the report."""

    benchmark: Any
    backend: Any
    name: str
    contender: Any

    def _label(self, workload: str) -> None:
        self.benchmark.group = f"{self.backend.name} | {workload}"
        self.benchmark.name = self.name
        self.benchmark.extra_info.update(
            backend=self.backend.name, workload=workload, contender=self.name
        )

    def measure(self, workload: str, target: Callable[[], Any]) -> Any:
        """Time `target` (pytest-benchmark calibrates rounds) after one warm-up call."""
        self._label(workload)
        target()
        return self.benchmark(target)

    def measure_with_setup(
        self, workload: str, target: Callable[[], Any], setup: Callable[[], None]
    ) -> Any:
        """Time `target` for a fixed number of rounds, `setup` (untimed) before each."""
        self._label(workload)
        return self.benchmark.pedantic(
            target, setup=setup, rounds=EXECUTE_MANY_ROUNDS, warmup_rounds=1
        )


@pytest.fixture(params=lib.CONTENDERS)
def bench(
    request: pytest.FixtureRequest, benchmark: Any, backend: Any, contenders: dict[str, Any]
) -> Bench:
    return Bench(benchmark, backend, request.param, contenders[request.param])


@pytest.fixture(scope="session")
def sizes() -> ModuleType:
    """The workload sizes and statements (`contenders.py`), for the checks in the tests."""
    return lib


def check(what: str, actual: object, expected: object) -> None:
    if actual != expected:
        pytest.fail(f"{what}: got {actual!r}, expected {expected!r}")


@pytest.fixture(name="check", scope="session")
def check_fixture() -> Callable[[str, object, object], None]:
    return check


@pytest.hookimpl(trylast=True)
def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    """After pytest-benchmark's own tables: medians per contender and the facade's ratios."""
    session = getattr(config, "_benchmarksession", None)
    if session is None or session.disabled:
        return
    records = [
        bench.as_dict(include_data=False) for bench in session.benchmarks if not bench.has_error
    ]
    lines = report.collect(records)
    if not lines:
        return
    terminalreporter.write_sep("=", "medians and ratios (facade / other; > 1 = facade slower)")
    terminalreporter.write_line(report.render_text(lines))
