"""The OIC resource types read as sources, and how one item becomes one row.

Each source is a collection of the REST API under `/ic/api/integration/v1/` whose
list answers `{items, hasMore, totalResults}`. Its columns are the item fields Oracle
documents; a timestamp becomes an aware `datetime`, a nested object stays a mapping
(family `json`), and a field the server left out is `None`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flext_db_oracle.errors import DbError, ErrorKind
from flext_db_oracle.models import Column, PrimaryKey, TableKind, TableMetadata, TypeFamily

ADAPTER_NAME = "oic"

_STRING = TypeFamily.STRING
_STAMP = TypeFamily.TIMESTAMP_TZ


@dataclass(frozen=True)
class Field:
    name: str
    family: TypeFamily = _STRING


@dataclass(frozen=True)
class ResourceType:
    """One readable collection: its path, documented fields, `q` filter keys and the
    `orderBy` values the server accepts."""

    name: str
    path: str
    description: str
    fields: tuple[Field, ...]
    filter_keys: frozenset[str]
    order_by: tuple[str, ...]
    # The field an incremental read (`since`) compares; None where the API has no time filter.
    change_time_field: str | None = None

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(field.name for field in self.fields)

    def metadata(self) -> TableMetadata:
        return TableMetadata(
            name=self.name,
            kind=TableKind.SOURCE,
            columns=tuple(
                Column(
                    name=field.name,
                    type_name=field.family.value,
                    family=field.family,
                    nullable=field.name != "id",
                    primary_key_position=1 if field.name == "id" else None,
                )
                for field in self.fields
            ),
            primary_key=PrimaryKey(name=None, columns=("id",)),
            foreign_keys=(),
            indexes=(),
            comment=self.description,
        )

    def select(self, requested: Sequence[str]) -> tuple[Field, ...]:
        """The fields named in `requested` (all when empty); an unknown name is a
        `query` error listing the known ones."""
        if not requested:
            return self.fields
        by_name = {field.name: field for field in self.fields}
        unknown = [name for name in requested if name not in by_name]
        if unknown:
            raise DbError(
                ErrorKind.QUERY,
                f"{self.name} has no field {', '.join(map(repr, unknown))}; "
                f"fields: {', '.join(self.columns)}",
                adapter=ADAPTER_NAME,
            )
        return tuple(by_name[name] for name in requested)


INTEGRATIONS = ResourceType(
    name="integrations",
    path="integrations",
    description="Integrations: code, version, status (CONFIGURED, ACTIVATED, ...)",
    fields=(
        Field("id"),
        Field("code"),
        Field("version"),
        Field("name"),
        Field("status"),
        Field("pattern"),
        Field("description"),
        Field("lockedFlag", TypeFamily.BOOLEAN),
        Field("created", _STAMP),
        Field("createdBy"),
        Field("lastUpdated", _STAMP),
        Field("lastUpdatedBy"),
    ),
    filter_keys=frozenset({"name", "status", "type", "style"}),
    order_by=("name", "time"),
)

CONNECTIONS = ResourceType(
    name="connections",
    path="connections",
    description="Connections: adapter type, role and status of each configured endpoint",
    fields=(
        Field("id"),
        Field("name"),
        Field("status"),
        Field("role"),
        Field("adapterType", TypeFamily.JSON),
        Field("securityPolicy"),
        Field("percentageComplete", TypeFamily.INTEGER),
        Field("lockedFlag", TypeFamily.BOOLEAN),
        Field("created", _STAMP),
        Field("createdBy"),
        Field("lastUpdated", _STAMP),
        Field("lastUpdatedBy"),
    ),
    filter_keys=frozenset({"name", "status", "role", "type"}),
    order_by=("name", "time"),
)

INSTANCES = ResourceType(
    name="instances",
    path="monitoring/instances",
    description="Monitoring: integration instances (runs) in a time window, newest first",
    fields=(
        Field("id"),
        Field("integrationId"),
        Field("integrationName"),
        Field("integrationVersion"),
        Field("status"),
        Field("creationDate", _STAMP),
        Field("date", _STAMP),
        Field("lastTrackedTime", _STAMP),
        Field("duration", TypeFamily.INTEGER),
        Field("mepType"),
        Field("parentInstanceId"),
        Field("runId"),
        Field("requestId"),
    ),
    filter_keys=frozenset(
        {
            "timewindow",
            "code",
            "version",
            "status",
            "startdate",
            "enddate",
            "primaryValue",
            "secondaryValue",
            "tertiaryValue",
            "businessIDValue",
            "runId",
            "requestId",
            "id",
            "parentInstanceId",
        }
    ),
    order_by=("lastupdateddate", "creationdate", "executiontime"),
    change_time_field="date",
)

RESOURCES: Mapping[str, ResourceType] = {
    resource.name: resource for resource in (INTEGRATIONS, CONNECTIONS, INSTANCES)
}


def resource_named(name: str) -> ResourceType:
    """The resource type called `name`; unknown is `not_found` naming the known ones."""
    resource = RESOURCES.get(name)
    if resource is None:
        raise DbError(
            ErrorKind.NOT_FOUND,
            f"OIC has no source {name!r}; sources: {', '.join(RESOURCES)}",
            adapter=ADAPTER_NAME,
        )
    return resource


def to_row(item: Mapping[str, Any], fields: Sequence[Field]) -> tuple[Any, ...]:
    """`item` as a row of `fields`, timestamps parsed; a value of the wrong type is a
    `query` error naming the field, never a silently changed value."""
    return tuple(_typed(item.get(field.name), field, item) for field in fields)


def _typed(value: Any, field: Field, item: Mapping[str, Any]) -> Any:
    if value is None:
        return None
    if field.family is _STAMP:
        if isinstance(value, str):
            try:
                return datetime.fromisoformat(value)
            except ValueError:
                pass
        raise _bad_value(field, value, item, "an ISO 8601 timestamp")
    if field.family is TypeFamily.INTEGER and (
        not isinstance(value, int) or isinstance(value, bool)
    ):
        raise _bad_value(field, value, item, "an integer")
    if field.family is TypeFamily.BOOLEAN and not isinstance(value, bool):
        raise _bad_value(field, value, item, "true or false")
    if field.family is _STRING and not isinstance(value, str):
        raise _bad_value(field, value, item, "a string")
    return value


def _bad_value(field: Field, value: Any, item: Mapping[str, Any], expected: str) -> DbError:
    return DbError(
        ErrorKind.QUERY,
        f"OIC returned {value!r} for {field.name} of item {item.get('id')!r}; expected {expected}",
        adapter=ADAPTER_NAME,
        detail={"field": field.name, "item": item.get("id")},
    )
