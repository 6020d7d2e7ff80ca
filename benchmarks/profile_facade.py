"""Profile one workload of one contender with cProfile, on its own isolated database.

    uv run python benchmarks/profile_facade.py sqlite query_one --contender facade
    uv run python benchmarks/profile_facade.py postgresql fetch_all --repeat 50 --sort tottime

Prints the wall time per call and cProfile's top functions; cProfile slows Python code
down, so use it to see *where* time goes, and the benchmarks for *how much*.
"""

from __future__ import annotations

import argparse
import cProfile
import importlib.util
import pstats
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType
from typing import Any

HERE = Path(__file__).resolve().parent


def _contenders() -> ModuleType:
    spec = importlib.util.spec_from_file_location("flext_bench_contenders", HERE / "contenders.py")
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load contenders.py from {HERE}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def main(argv: list[str] | None = None) -> int:
    lib = _contenders()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("backend", choices=lib.BACKENDS)
    parser.add_argument("workload", choices=("fetch_all", "execute_many", "stream", "query_one"))
    parser.add_argument("--contender", choices=lib.CONTENDERS, default="facade")
    parser.add_argument("--repeat", type=int, default=None, help="calls to profile")
    parser.add_argument("--sort", default="cumulative", help="pstats sort key")
    parser.add_argument("--top", type=int, default=40)
    args = parser.parse_args(argv)
    repeat = args.repeat or {"query_one": 5000, "fetch_all": 100}.get(args.workload, 10)

    with tempfile.TemporaryDirectory() as directory:
        backend = lib.open_backend(args.backend, Path(directory))
        try:
            contenders = lib.open_contenders(backend)
            try:
                contender = contenders[args.contender]
                rows = lib.make_rows(lib.INSERT_ROWS)
                calls: dict[str, Any] = {
                    "fetch_all": contender.fetch_all,
                    "stream": contender.stream,
                    "query_one": lambda: contender.query_one(lib.QUERY_ONE_ID),
                    "execute_many": lambda: (
                        backend.truncate_insert_table(),
                        contender.execute_many(rows),
                    ),
                }
                call = calls[args.workload]
                call()  # warm-up
                started = time.perf_counter()
                for _ in range(repeat):
                    call()
                per_call = (time.perf_counter() - started) / repeat
                profiler = cProfile.Profile()
                profiler.enable()
                for _ in range(repeat):
                    call()
                profiler.disable()
            finally:
                for opened in contenders.values():
                    opened.close()
        finally:
            backend.drop()
    sys.stdout.write(
        f"{args.backend} {args.workload} {args.contender}: {per_call * 1e6:.1f} µs per call"
        f" (unprofiled, {repeat} calls)\n"
    )
    pstats.Stats(profiler, stream=sys.stdout).strip_dirs().sort_stats(args.sort).print_stats(
        args.top
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
