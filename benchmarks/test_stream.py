"""Workload 3: streaming 100,000 rows in batches of 1,000.

raw: the driver's server-side cursor where it has one (psycopg named cursor, pymysql
`SSCursor`; sqlite3 steps lazily anyway) with `fetchmany(1000)`; sqlalchemy:
`stream_results=True` and `result.partitions(1000)`; facade: `api.stream(sql,
batch_size=1000)` iterated to the end.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any


def test_stream(bench: Any, sizes: ModuleType, check: Any) -> None:
    count = bench.measure("stream", bench.contender.stream)
    check("rows streamed", count, sizes.STREAM_ROWS)
