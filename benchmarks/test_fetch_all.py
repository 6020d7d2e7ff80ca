"""Workload 1: `fetch_all` of 10,000 rows x 5 columns (int, varchar, numeric, date, timestamp).

raw: `cursor.execute(); fetchall()`; sqlalchemy: `connection.execute(text()).fetchall()`;
facade: `api.query(sql)`, which also turns the rows into a frozen `QueryResult` of tuples.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any


def test_fetch_all(bench: Any, sizes: ModuleType, check: Any) -> None:
    count = bench.measure("fetch_all", bench.contender.fetch_all)
    check("rows fetched", count, sizes.FETCH_ROWS)
