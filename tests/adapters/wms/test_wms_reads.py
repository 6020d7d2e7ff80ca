"""Entities, describe and reads against the WMS contract server, in both auth schemes."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import pytest
from flext_db_oracle.errors import DbError, ErrorKind
from flext_db_oracle.models import ReadRequest, TableKind, TypeFamily
from flext_db_oracle_wms.catalogue import ENTITIES
from flext_db_oracle_wms.source import WmsRecordSource
from returns.result import Failure

from tests.adapters.wms.conftest import SettingsFactory
from tests.adapters.wms.contract_server import REST, Fault, World


def read_all(source: WmsRecordSource, entity: str, request: ReadRequest) -> list[dict[str, Any]]:
    with source.read(entity, request).unwrap() as stream:
        columns = stream.columns
        return [dict(zip(columns, row, strict=True)) for batch in stream for row in batch]


def batches(source: WmsRecordSource, entity: str, request: ReadRequest) -> list[Sequence[Any]]:
    with source.read(entity, request).unwrap() as stream:
        return list(stream)


def test_entities_come_from_the_server_listing_cross_checked(source: WmsRecordSource) -> None:
    refs = source.list_sources().unwrap()
    assert [ref.name for ref in refs] == ["item", "location"]
    assert all(ref.description is None for ref in refs)  # both are in the shipped catalogue


def test_entities_the_catalogue_lacks_are_marked(source: WmsRecordSource, world: World) -> None:
    world.entities["zz_custom_view"] = []
    refs = {ref.name: ref.description for ref in source.list_sources().unwrap()}
    assert refs["zz_custom_view"] == "not in the catalogue"


def test_without_a_listing_the_catalogue_answers(source: WmsRecordSource, world: World) -> None:
    world.listing = False
    names = [ref.name for ref in source.list_sources().unwrap()]
    assert names == list(ENTITIES)
    assert len(names) == 178  # the spec's entity count


def test_describe_gives_typed_columns(source: WmsRecordSource) -> None:
    metadata = source.describe("item").unwrap()
    assert metadata.kind is TableKind.SOURCE
    columns = {column.name: column for column in metadata.columns}
    assert columns["id"].family is TypeFamily.INTEGER
    assert columns["id"].is_primary_key
    assert not columns["id"].nullable
    assert columns["code"].length == 25
    assert columns["mod_ts"].family is TypeFamily.TIMESTAMP_TZ
    assert metadata.primary_key is not None and metadata.primary_key.columns == ("id",)


def test_describe_of_an_unknown_entity_is_not_found(source: WmsRecordSource) -> None:
    failure = source.describe("no_such_entity")
    assert isinstance(failure, Failure)
    assert failure.failure().kind is ErrorKind.NOT_FOUND
    assert failure.failure().code == "404"


@pytest.mark.parametrize("name", ["../etc", "Item", "item/1", ""])
def test_a_name_that_is_no_entity_name_is_refused_before_sending(
    source: WmsRecordSource, world: World, name: str
) -> None:
    failure = source.read(name, ReadRequest())
    assert isinstance(failure, Failure)
    assert failure.failure().kind is ErrorKind.QUERY
    assert world.requests("GET", "/entity/") == 0


@pytest.mark.parametrize("mode", ["paged", "sequenced"])
def test_every_record_is_read_exactly_once_across_pages(
    make_settings: SettingsFactory, world: World, mode: str
) -> None:
    source = WmsRecordSource(make_settings(page_mode=mode))
    got = batches(source, "item", ReadRequest(page_size=250))
    source.close()
    ids = [row[0] for batch in got for row in batch]
    assert sorted(ids) == list(range(1, 3001))
    assert len(ids) == len(set(ids))
    assert [len(batch) for batch in got] == [250] * 12  # one page, one batch
    assert world.requests("GET", "/entity/item/") == 12


def test_fields_filters_and_ordering_reach_the_server(source: WmsRecordSource) -> None:
    request = ReadRequest(
        fields=("id", "code"),
        filters=(("id__lt", "100"), ("qty__gte", "50")),
        ordering=("-id",),
        page_size=10,
    )
    rows = read_all(source, "item", request)
    expected = [i for i in range(99, 0, -1) if i % 97 >= 50]
    assert [row["id"] for row in rows] == expected
    assert set(rows[0]) == {"id", "code"}


def test_limit_stops_the_read_early(source: WmsRecordSource, world: World) -> None:
    rows = read_all(source, "item", ReadRequest(page_size=100, limit=150))
    assert len(rows) == 150
    assert world.requests("GET", "/entity/item/") == 2


def test_facility_context_filters_entities_that_have_the_field(
    make_settings: SettingsFactory,
) -> None:
    source = WmsRecordSource(make_settings(facility_code="F2"))
    rows = read_all(source, "item", ReadRequest(page_size=1000))
    source.close()
    assert len(rows) == 1500
    assert {row["facility_id"]["code"] for row in rows} == {"F2"}


@pytest.mark.parametrize("key", ["page_nbr", "id__lt;x", "fields", "Bad"])
def test_a_bad_filter_key_is_a_query_error(source: WmsRecordSource, key: str) -> None:
    failure = source.read("item", ReadRequest(filters=((key, "1"),)))
    assert isinstance(failure, Failure)
    assert failure.failure().kind is ErrorKind.QUERY


def test_an_empty_read_takes_its_columns_from_describe(source: WmsRecordSource) -> None:
    with source.read("item", ReadRequest(filters=(("id__lt", "0"),))).unwrap() as stream:
        assert "mod_ts" in stream.columns
        assert list(stream) == []


def test_a_next_page_that_does_not_advance_is_an_error(
    source: WmsRecordSource, world: World, origin: str
) -> None:
    second = f"{origin}{REST}entity/location/?page_size=2&page_mode=paged&page_nbr=2"
    stuck = json.dumps({"results": [], "next_page": second}).encode()
    world.faults.append(Fault(path="page_nbr=2", status=200, body=stuck))
    stream = source.read("location", ReadRequest(page_size=2)).unwrap()
    with stream, pytest.raises(DbError, match="does not advance") as raised:
        list(stream)
    assert raised.value.kind is ErrorKind.CONNECTION
    assert world.requests("GET", "/entity/location/") == 2
