"""The comparison table: per (backend, workload), each contender's median and the ratios.

`conftest.py` prints it at the end of every benchmark run. It also works on a saved
run:

    uv run pytest benchmarks --benchmark-only --benchmark-json=/tmp/bench.json
    uv run python benchmarks/report.py /tmp/bench.json [--markdown]

A ratio above 1.0 means the facade took longer than the other contender. The last
column is the largest interquartile range of the group's three contenders relative to
its median: where it is high, the medians (and so the ratios) moved a lot between
rounds, and a second run may well give a different ratio.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CONTENDERS = ("raw", "sqlalchemy", "facade")
WORKLOADS = ("fetch_all", "execute_many", "stream", "query_one")
BACKENDS = ("sqlite", "postgresql", "mariadb")


@dataclass(frozen=True)
class Line:
    backend: str
    workload: str
    medians: Mapping[str, float]  # seconds, by contender
    spreads: Mapping[str, float]  # IQR / median, by contender: how noisy the median is

    def ratio(self, over: str) -> float | None:
        facade, other = self.medians.get("facade"), self.medians.get(over)
        if facade is None or not other:
            return None
        return facade / other


def collect(benchmarks: Iterable[Mapping[str, Any]]) -> list[Line]:
    """Lines from pytest-benchmark records (`Metadata.as_dict()` or the JSON's entries)."""
    medians: dict[tuple[str, str], dict[str, float]] = {}
    spreads: dict[tuple[str, str], dict[str, float]] = {}
    for bench in benchmarks:
        info = bench.get("extra_info") or {}
        if not {"backend", "workload", "contender"} <= info.keys():
            continue
        key = (info["backend"], info["workload"])
        stats = bench["stats"]
        medians.setdefault(key, {})[info["contender"]] = stats["median"]
        spreads.setdefault(key, {})[info["contender"]] = (
            stats["iqr"] / stats["median"] if stats["median"] else 0.0
        )

    def order(key: tuple[str, str]) -> tuple[int, int, str, str]:
        backend, workload = key
        return (
            BACKENDS.index(backend) if backend in BACKENDS else len(BACKENDS),
            WORKLOADS.index(workload) if workload in WORKLOADS else len(WORKLOADS),
            backend,
            workload,
        )

    return [Line(b, w, medians[b, w], spreads[b, w]) for b, w in sorted(medians, key=order)]


def format_time(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6)):
        if seconds >= scale:
            return f"{seconds / scale:.3g} {unit}"
    return f"{seconds * 1e9:.0f} ns"


def format_ratio(ratio: float | None) -> str:
    return "-" if ratio is None else f"{ratio:.2f}x"


HEADER = (
    "backend",
    "workload",
    "raw",
    "sqlalchemy",
    "facade",
    "facade/raw",
    "facade/sqlalchemy",
    "max IQR/median",
)


def rows(lines: Iterable[Line]) -> list[tuple[str, ...]]:
    return [
        (
            line.backend,
            line.workload,
            *(format_time(line.medians.get(c)) for c in CONTENDERS),
            format_ratio(line.ratio("raw")),
            format_ratio(line.ratio("sqlalchemy")),
            f"{max(line.spreads.values(), default=0.0):.0%}",
        )
        for line in lines
    ]


def render_text(lines: Iterable[Line]) -> str:
    table = [HEADER, *rows(lines)]
    widths = [max(len(row[i]) for row in table) for i in range(len(HEADER))]
    out = []
    for index, row in enumerate(table):
        cells = [
            cell.ljust(width) if col < 2 else cell.rjust(width)
            for col, (cell, width) in enumerate(zip(row, widths, strict=True))
        ]
        out.append("  ".join(cells))
        if index == 0:
            out.append("  ".join("-" * width for width in widths))
    return "\n".join(out)


def render_markdown(lines: Iterable[Line]) -> str:
    out = [
        "| " + " | ".join(HEADER) + " |",
        "|" + "|".join([":--", ":--"] + ["--:"] * (len(HEADER) - 2)) + "|",
    ]
    out += ["| " + " | ".join(row) + " |" for row in rows(lines)]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("json_file", type=Path, help="a file written by --benchmark-json")
    parser.add_argument("--markdown", action="store_true", help="a Markdown table")
    args = parser.parse_args(argv)
    document = json.loads(args.json_file.read_text(encoding="utf-8"))
    lines = collect(document.get("benchmarks", []))
    if not lines:
        sys.stderr.write(
            f"no benchmark records with backend/workload/contender in {args.json_file}\n"
        )
        return 1
    sys.stdout.write((render_markdown if args.markdown else render_text)(lines) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
