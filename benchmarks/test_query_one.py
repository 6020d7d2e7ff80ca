"""Workload 4: one row by primary key, repeated: the per-call overhead.

raw: `execute(); fetchone()` on an open connection; sqlalchemy: `engine.connect()`
(pool checkout) + `execute(text(), {"id": ...}).first()`; facade: `api.query_one(sql,
{"id": ...})`.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any


def test_query_one(bench: Any, sizes: ModuleType, check: Any) -> None:
    row = bench.measure("query_one", lambda: bench.contender.query_one(sizes.QUERY_ONE_ID))
    check("row id", row[0] if row else None, sizes.QUERY_ONE_ID)
