"""Reading OIC collections as rows against the contract server: paging, q filters,
ordering, fields, limits, and the monitoring time window."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import pytest
from flext_db_oracle.errors import DbError, ErrorKind
from flext_db_oracle.models import ReadRequest
from flext_db_oracle.ports import RecordSourcePort, RowStream
from returns.result import Failure, Result

from tests.adapters.oic.conftest import AdapterFactory
from tests.adapters.oic.contract_server import OicContractServer


def rows_of(result: Result[RowStream, DbError]) -> list[Sequence[Any]]:
    with result.unwrap() as stream:
        return [row for batch in stream for row in batch]


def failure_of(result: Result[Any, DbError]) -> DbError:
    assert isinstance(result, Failure), result
    error = result.failure()
    assert isinstance(error, DbError)
    return error


def test_the_adapter_is_a_record_source_and_building_it_sends_nothing(
    server: OicContractServer, make_adapter: AdapterFactory
) -> None:
    adapter: RecordSourcePort = make_adapter()
    names = [ref.name for ref in adapter.list_sources().unwrap()]
    assert names == ["integrations", "connections", "instances"]
    meta = adapter.describe("instances").unwrap()
    assert meta.columns[0].name == "id"
    assert failure_of(adapter.describe("lookups")).kind is ErrorKind.NOT_FOUND
    assert server.requests == []


def test_every_integration_is_read_exactly_once_across_capped_pages(
    server: OicContractServer, make_adapter: AdapterFactory
) -> None:
    adapter = make_adapter(page_size=100)  # the server caps limit at 50
    with adapter.read("integrations", ReadRequest()).unwrap() as stream:
        batches = list(stream)
    ids = [row[0] for batch in batches for row in batch]
    assert len(ids) == len(set(ids)) == len(server.integrations)
    assert set(ids) == set(server.integrations)
    assert [len(batch) for batch in batches] == [50, 50, 20]
    calls = server.calls("GET", "integrations")
    assert [(c.query["offset"], c.query["limit"]) for c in calls] == [
        ("0", "100"),
        ("50", "100"),
        ("100", "100"),
    ]


def test_q_filters_reach_the_server(
    server: OicContractServer, make_adapter: AdapterFactory
) -> None:
    adapter = make_adapter()
    rows = rows_of(adapter.list_integrations([("status", "ACTIVATED")]))
    expected = [i for i in server.integrations.values() if i["status"] == "ACTIVATED"]
    assert len(rows) == len(expected) == 30
    assert {row[4] for row in rows} == {"ACTIVATED"}
    assert server.calls("GET", "integrations")[0].query["q"] == "{status:'ACTIVATED'}"

    named = rows_of(adapter.list_integrations([("name", "Order Sync 0004")]))
    assert [row[0] for row in named] == ["INT_0004|01.00.0000"]


def test_fields_order_and_limit(server: OicContractServer, make_adapter: AdapterFactory) -> None:
    adapter = make_adapter()
    request = ReadRequest(fields=("name", "status"), ordering=("name",), limit=7, page_size=5)
    with adapter.read("integrations", request).unwrap() as stream:
        assert stream.columns == ("name", "status")
        rows = [row for batch in stream for row in batch]
    assert len(rows) == 7
    assert [row[0] for row in rows] == sorted(row[0] for row in rows)
    assert len(server.calls("GET", "integrations")) == 2  # 5 + 2 of the second page


@pytest.mark.parametrize(
    ("request_", "message"),
    [
        (ReadRequest(fields=("colour",)), "no field 'colour'"),
        (ReadRequest(ordering=("created",)), "ordered by one of name, time"),
        (ReadRequest(filters=(("owner", "me"),)), "cannot be filtered by 'owner'"),
    ],
)
def test_bad_requests_fail_before_any_traffic(
    server: OicContractServer, make_adapter: AdapterFactory, request_: ReadRequest, message: str
) -> None:
    error = failure_of(make_adapter().read("integrations", request_))
    assert error.kind is ErrorKind.QUERY
    assert message in error.message
    assert server.requests == []


def test_incremental_reads_only_where_oic_has_a_time_filter(
    server: OicContractServer, make_adapter: AdapterFactory
) -> None:
    error = failure_of(make_adapter().read("integrations", ReadRequest(since=server.now)))
    assert error.kind is ErrorKind.UNSUPPORTED


def test_instances_in_a_named_window_with_a_status(
    server: OicContractServer, make_adapter: AdapterFactory
) -> None:
    rows = rows_of(make_adapter().list_instances(window="1d", status="FAILED"))
    expected = [
        i
        for i in server.instances
        if i["status"] == "FAILED" and i["_updated"] >= server.now - timedelta(days=1)
    ]
    assert [row[0] for row in rows] == [i["id"] for i in expected]
    assert rows
    query = server.calls("GET", "monitoring/instances")[0].query
    assert query["q"] == "{timewindow:'1d', status:'FAILED'}"


def test_every_instance_once_since_a_time_with_overlap(
    server: OicContractServer, make_adapter: AdapterFactory
) -> None:
    since = server.now - timedelta(hours=30)
    request = ReadRequest(since=since, overlap=timedelta(minutes=10), page_size=40)
    rows = rows_of(make_adapter().read("instances", request))
    expected = [i["id"] for i in server.instances if i["_updated"] >= since - timedelta(minutes=10)]
    ids = [row[0] for row in rows]
    assert ids == expected
    assert len(ids) == len(set(ids)) > 40  # several pages
    q = server.calls("GET", "monitoring/instances")[0].query["q"]
    assert q.startswith("{startdate:'") and "enddate" not in q


def test_until_bounds_the_range(server: OicContractServer, make_adapter: AdapterFactory) -> None:
    since, until = server.now - timedelta(hours=10), server.now - timedelta(hours=5)
    rows = rows_of(make_adapter().list_instances(since=since, until=until))
    expected = [i["id"] for i in server.instances if since <= i["_updated"] <= until]
    assert [row[0] for row in rows] == expected


def test_one_instance_with_its_activity_stream(
    server: OicContractServer, make_adapter: AdapterFactory
) -> None:
    adapter = make_adapter()
    first = server.instances[0]["id"]
    detail = adapter.get_instance(first).unwrap()
    assert detail["id"] == first
    assert detail["activityStream"][0]["milestone"] == "Message received"
    assert adapter.activity_stream(first).unwrap() == detail["activityStream"]
    missing = failure_of(adapter.get_instance("999"))
    assert (missing.kind, missing.code) == (ErrorKind.NOT_FOUND, "404")


def test_connections_list_and_get(server: OicContractServer, make_adapter: AdapterFactory) -> None:
    adapter = make_adapter()
    rows = rows_of(adapter.list_connections([("role", "TARGET")]))
    assert {row[0] for row in rows} == {"FTP_DROP", "ATP_ORDERS", "HALF_DONE"}
    adapter_type = rows[0][4]
    assert isinstance(adapter_type, dict)
    assert adapter.get_connection("ERP_CLOUD").unwrap()["role"] == "SOURCE_AND_TARGET"


def test_integration_ids_travel_url_encoded(
    server: OicContractServer, make_adapter: AdapterFactory
) -> None:
    adapter = make_adapter()
    assert adapter.get_integration("INT_0002|01.00.0000").unwrap()["code"] == "INT_0002"
    assert server.requests[-1].raw_path.endswith("/integrations/INT_0002%7C01.00.0000")
    assert adapter.activation_status("INT_0002|01.00.0000").unwrap() == "CONFIGURED"
    missing = failure_of(adapter.get_integration("NOPE|01.00.0000"))
    assert (missing.kind, missing.code) == (ErrorKind.NOT_FOUND, "404")


def test_instances_starting_while_paging_are_not_read_twice(
    server: OicContractServer, make_adapter: AdapterFactory
) -> None:
    before = [i["id"] for i in server.instances]
    adapter = make_adapter()
    with adapter.list_instances(window="RETENTIONPERIOD").unwrap() as stream:
        pages = iter(stream)
        ids = [row[0] for row in next(pages)]
        server.start_instances(7)  # pushes every instance 7 places down
        ids += [row[0] for batch in pages for row in batch]
    # The second page started 7 items early: its first 7 were the end of page one.
    assert ids == before


def test_gen3_integration_instance_is_sent_on_every_call(
    server: OicContractServer, make_adapter: AdapterFactory
) -> None:
    adapter = make_adapter(integration_instance="oic-gen3-east")
    rows_of(adapter.list_connections())
    assert adapter.test_connection("ERP_CLOUD").unwrap()["testStatus"] == "SUCCESS"
    assert adapter.get_instance(server.instances[0]["id"]).unwrap()
    assert {c.query.get("integrationInstance") for c in server.requests} == {"oic-gen3-east"}


def test_a_closed_adapter_fails_typed_and_close_is_idempotent(
    server: OicContractServer, make_adapter: AdapterFactory
) -> None:
    adapter = make_adapter()
    assert adapter.close().unwrap() is None
    assert adapter.close().unwrap() is None
    for result in (
        adapter.read("connections", ReadRequest()),
        adapter.get_integration("A|1"),
        adapter.activate("A|1"),
    ):
        assert failure_of(result).kind is ErrorKind.CONFIGURATION
    assert server.requests == []
