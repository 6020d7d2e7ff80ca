"""Workload 2: `execute_many` inserting 10,000 rows in one transaction, one commit.

Before every round (untimed) the target table is emptied (`TRUNCATE`, or `DELETE` on
SQLite). The rows are the same list of named-bind dicts for all contenders.
raw: `executemany` inside one transaction; sqlalchemy: `engine.begin()` +
`connection.execute(text(), rows)`; facade: `api.execute_many(sql, rows)`.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any


def test_execute_many(bench: Any, sizes: ModuleType, check: Any, insert_rows: Any) -> None:
    count = bench.measure_with_setup(
        "execute_many",
        lambda: bench.contender.execute_many(insert_rows),
        setup=bench.backend.truncate_insert_table,
    )
    check("rows submitted", count, sizes.INSERT_ROWS)
