"""Resource types: documented fields as columns, items as typed rows."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from flext_db_oracle.errors import DbError, ErrorKind
from flext_db_oracle.models import TableKind, TypeFamily
from flext_db_oracle_oic.resources import INSTANCES, INTEGRATIONS, resource_named, to_row


def test_metadata_describes_the_fields() -> None:
    meta = INTEGRATIONS.metadata()
    assert meta.kind is TableKind.SOURCE
    assert meta.primary_key is not None
    assert meta.primary_key.columns == ("id",)
    by_name = {column.name: column for column in meta.columns}
    assert by_name["lastUpdated"].family is TypeFamily.TIMESTAMP_TZ
    assert not by_name["id"].nullable


def test_rows_are_typed_and_missing_fields_are_none() -> None:
    item = {"id": "A|01", "status": "CONFIGURED", "lastUpdated": "2026-01-02T03:04:05.000+0000"}
    row = to_row(item, INTEGRATIONS.select(["id", "status", "lastUpdated", "name"]))
    assert row == ("A|01", "CONFIGURED", datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC), None)


@pytest.mark.parametrize(
    ("field", "value"),
    [("date", "yesterday"), ("duration", "12"), ("duration", True), ("status", 3)],
)
def test_a_value_of_the_wrong_type_is_an_error_not_a_change(field: str, value: object) -> None:
    with pytest.raises(DbError, match=field) as raised:
        to_row({"id": "1", field: value}, INSTANCES.select([field]))
    assert raised.value.kind is ErrorKind.QUERY


def test_unknown_field_and_source() -> None:
    with pytest.raises(DbError, match="no field 'colour'"):
        INTEGRATIONS.select(["colour"])
    with pytest.raises(DbError, match="no source 'lookups'") as raised:
        resource_named("lookups")
    assert raised.value.kind is ErrorKind.NOT_FOUND
