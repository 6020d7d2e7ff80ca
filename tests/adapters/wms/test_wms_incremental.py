"""Incremental reads: overlap, de-duplication by id, the state file, changes between pages."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import unquote

import pytest
from flext_db_oracle.errors import ErrorKind
from flext_db_oracle.models import ReadRequest
from flext_db_oracle_wms.source import WmsRecordSource
from returns.result import Failure

from tests.adapters.wms.conftest import SettingsFactory
from tests.adapters.wms.contract_server import EPOCH, World


def ids_of(source: WmsRecordSource, request: ReadRequest, state: Path) -> list[int]:
    with source.read_incremental("item", request, state).unwrap() as stream:
        position = stream.columns.index("id")
        return [row[position] for batch in stream for row in batch]


@pytest.mark.parametrize("mode", ["paged", "sequenced"])
def test_records_changed_between_pages_are_read_once_now_or_in_the_next_run(
    make_settings: SettingsFactory, world: World, tmp_path: Path, mode: str
) -> None:
    state = tmp_path / "item.state.json"
    changed_at = EPOCH + timedelta(seconds=5000)

    def change_while_reading(entity: str, served: int) -> None:
        if entity == "item" and served == 2:  # after the probe and the first page
            world.touch("item", 1005, changed_at)  # already read on page 1
            world.touch("item", 2500, changed_at)  # not read yet
            world.touch("item", 10, changed_at)  # enters the selection below the cursor

    world.after_page = change_while_reading
    source = WmsRecordSource(make_settings(page_mode=mode))
    request = ReadRequest(
        since=EPOCH + timedelta(seconds=1000), overlap=timedelta(seconds=60), page_size=100
    )
    first = ids_of(source, request, state)
    world.after_page = None
    # Run 1: each selected record exactly once (2500 in its new version), 10 not yet.
    assert first == list(range(1000 - 60, 3001))
    # Run 2 starts from the newest change seen before run 1 began, minus the overlap:
    # it brings the two changes run 1 could not see, and nothing it already delivered.
    second = ids_of(source, ReadRequest(overlap=timedelta(seconds=60), page_size=100), state)
    assert second == [10, 1005]
    # Run 3: nothing changed since.
    assert ids_of(source, ReadRequest(overlap=timedelta(seconds=60), page_size=100), state) == []
    source.close()
    saved = json.loads(state.read_text())
    assert saved["source"] == "item"
    assert datetime.fromisoformat(saved["high_water_mark"]) == changed_at


def test_a_naive_since_means_utc(source: WmsRecordSource, world: World, tmp_path: Path) -> None:
    request = ReadRequest(since=datetime(2026, 1, 1, 0, 50), page_size=10)  # 00:50 UTC
    assert ids_of(source, request, tmp_path / "s.json") == [3000]
    sent = [unquote(query) for _, path, query in world.log if path.endswith("/entity/item/")]
    assert all("mod_ts__gte=2026-01-01T00:50:00+00:00" in query for query in sent)
    assert any("ordering=id" in query for query in sent)


def test_the_first_run_needs_since(source: WmsRecordSource, tmp_path: Path) -> None:
    failure = source.read_incremental("item", ReadRequest(), tmp_path / "none.json")
    assert isinstance(failure, Failure)
    assert failure.failure().kind is ErrorKind.QUERY


def test_incremental_reads_are_ordered_by_id(source: WmsRecordSource) -> None:
    failure = source.read("item", ReadRequest(since=EPOCH, ordering=("-mod_ts",)))
    assert isinstance(failure, Failure)
    assert failure.failure().kind is ErrorKind.QUERY


def test_requested_fields_gain_id_and_mod_ts(source: WmsRecordSource) -> None:
    request = ReadRequest(since=EPOCH + timedelta(seconds=2990), fields=("code",))
    with source.read("item", request).unwrap() as stream:
        assert stream.columns == ("code", "id", "mod_ts")
        assert sum(len(batch) for batch in stream) == 11


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not a state file"),
        (
            '{"source": "order_hdr", "high_water_mark": "2026-01-01T00:00:00+00:00"}',
            "belongs to entity",
        ),
    ],
)
def test_a_bad_state_file_is_a_configuration_error(
    source: WmsRecordSource, tmp_path: Path, content: str, message: str
) -> None:
    state = tmp_path / "bad.json"
    state.write_text(content)
    failure = source.read_incremental("item", ReadRequest(), state)
    assert isinstance(failure, Failure)
    assert failure.failure().kind is ErrorKind.CONFIGURATION
    assert message in failure.failure().message


def test_a_read_stopped_early_keeps_the_previous_mark(
    source: WmsRecordSource, tmp_path: Path
) -> None:
    state = tmp_path / "s.json"
    request = ReadRequest(since=EPOCH, page_size=100, limit=150)
    assert len(ids_of(source, request, state)) == 150
    assert not state.exists()
