"""`query_arrow`: the adapter's native columnar fetch where it has one, rows elsewhere."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow as pa
from flext_db_oracle import FlextDbOracleApi, hookimpl
from flext_db_oracle.registry import AdapterRegistry
from flext_db_oracle_dataframes import query_arrow
from returns.result import Result, Success


def test_without_a_native_path_the_table_is_built_from_the_rows(tmp_path: Path) -> None:
    db = FlextDbOracleApi.from_url(f"sqlite:///{tmp_path / 'arrow.db'}")
    try:
        db.execute("CREATE TABLE t (id INTEGER, name TEXT)").unwrap()
        db.execute_many("INSERT INTO t VALUES (:i, :n)", [{"i": 1, "n": "a"}, {"i": 2, "n": "b"}])
        assert db.query_arrow("SELECT id FROM t").failure().kind.value == "unsupported"
        table = query_arrow(db, "SELECT id, name FROM t ORDER BY id").unwrap()
    finally:
        db.disconnect()

    assert table.column_names == ["id", "name"]
    assert table.to_pylist() == [{"id": 1, "name": "a"}, {"id": 2, "name": "b"}]


class ColumnarQuery:
    """A query port with the optional native Arrow fetch (as the Oracle adapters have)."""

    name = "columnar"

    def __init__(self) -> None:
        self.calls: list[tuple[str, Any]] = []

    def fetch_arrow(self, sql: str, params: Any = None) -> Result[Any, Any]:
        self.calls.append((sql, params))
        return Success(pa.table({"n": [1, 2, 3]}))


class ColumnarPlugin:
    def __init__(self, query: ColumnarQuery) -> None:
        self.query = query

    @hookimpl
    def register_adapters(self, registry: AdapterRegistry) -> None:
        query = self.query

        class Connection:
            def close(self) -> Result[None, Any]:
                return Success(None)

        class Adapter:
            name = "columnar"
            schema = None

            def __init__(self, settings: Any, own: Any) -> None:
                self.query = query
                self.connection = Connection()

        registry.add_database("columnar", Adapter, schemes=("columnar",))


def test_with_a_native_path_the_adapter_builds_the_table() -> None:
    query = ColumnarQuery()
    db = FlextDbOracleApi.from_url("columnar://db/x", plugins=(ColumnarPlugin(query),))

    table = query_arrow(db, "SELECT n FROM numbers WHERE n < :m", {"m": 9}).unwrap()
    db.disconnect()

    assert table.num_rows == 3
    assert query.calls == [("SELECT n FROM numbers WHERE n < :m", {"m": 9})]
