"""Streaming keeps memory to about one page, whatever the number of records."""

from __future__ import annotations

import gc
import subprocess
import sys
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flext_db_oracle.models import ReadRequest
from flext_db_oracle.settings import DatabaseSettings
from flext_db_oracle_oic.plugin import create_oic
from flext_db_oracle_oic.settings import OicSettings

from tests.adapters.oic import contract_server as oic

ROOT = Path(__file__).resolve().parents[3]


@contextmanager
def _server_process(integrations: int) -> Iterator[str]:
    """The contract server in a process of its own, so only the client is traced."""
    command = [
        sys.executable,
        "-m",
        "tests.adapters.oic.contract_server",
        f"--integrations={integrations}",
        "--instances=0",
        "--max-limit=250",
    ]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        yield process.stdout.readline().split()[0]
    finally:
        process.terminate()
        process.wait(timeout=10)


def _live_memory_per_page(records: int) -> list[int]:
    """Live traced memory (bytes, garbage collected) of the client after each page of
    a stream of `records` integrations."""
    with _server_process(records) as base_url:
        settings = OicSettings(
            base_url=base_url, username=oic.USERNAME, password=oic.PASSWORD, page_size=250
        )
        adapter = create_oic(DatabaseSettings(), settings)
        samples: list[int] = []
        tracemalloc.start()
        try:
            with adapter.read("integrations", ReadRequest()).unwrap() as stream:
                for _batch in stream:
                    gc.collect()
                    samples.append(tracemalloc.get_traced_memory()[0])
        finally:
            tracemalloc.stop()
            adapter.close()
    return samples


def test_memory_stays_flat_over_10000_records() -> None:
    samples = _live_memory_per_page(10_000)
    assert len(samples) == 40
    early, late = max(samples[2:10]), max(samples[-8:])
    # Keeping the rows read would add megabytes between page 10 and page 40; what does
    # grow is urllib's URL cache (about 1 KiB per distinct URL, at most 128 of them),
    # which httpx's cookie handling fills.
    assert late - early < 64 * 1024, (early, late)
