"""Reading the server's answers about entities: the `/entity/` listing and `/describe/`."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from flext_db_oracle.errors import DbError, ErrorKind
from flext_db_oracle.models import Column, PrimaryKey, TableKind, TableMetadata, TypeFamily

ADAPTER = "wms"
ENTITY_NAME = re.compile(r"[a-z][a-z0-9_]*")
_REQUIRED = {True, "X", "Y", "x", "y"}
# WMS describe types, by the word they contain, in this order.
_FAMILIES = (
    ("datetime", TypeFamily.TIMESTAMP_TZ),
    ("date", TypeFamily.DATE),
    ("bool", TypeFamily.BOOLEAN),
    ("int", TypeFamily.INTEGER),
    ("decimal", TypeFamily.DECIMAL),
    ("float", TypeFamily.FLOAT),
    ("text", TypeFamily.TEXT),
    ("char", TypeFamily.STRING),
    ("string", TypeFamily.STRING),
)


def shape_error(what: str, path: str) -> DbError:
    return DbError(
        ErrorKind.CONNECTION,
        f"unexpected answer from {path}: {what}",
        retryable=False,
        adapter=ADAPTER,
        detail={"path": path},
    )


def listed_entities(document: Any, path: str) -> list[str]:
    """Entity names of the `/entity/` listing: a name-to-URL object, a list, or `results`."""
    if isinstance(document, Mapping) and isinstance(document.get("results"), list):
        document = document["results"]
    if isinstance(document, Mapping):
        names = list(document)
    elif isinstance(document, list):
        names = [item for item in document if isinstance(item, str)]
    else:
        raise shape_error("the entity listing is neither an object nor a list", path)
    return sorted(name for name in names if ENTITY_NAME.fullmatch(name))


def family_of(type_name: str) -> TypeFamily:
    lowered = type_name.lower()
    return next((family for word, family in _FAMILIES if word in lowered), TypeFamily.OTHER)


def _column(name: str, facts: Mapping[str, Any]) -> Column:
    type_name = str(facts.get("type") or "unknown")
    length = facts.get("max_length")
    default = facts.get("default")
    return Column(
        name=name,
        type_name=type_name,
        nullable=facts.get("required") not in _REQUIRED,
        family=family_of(type_name),
        length=length if isinstance(length, int) else None,
        length_semantics="char" if isinstance(length, int) else None,
        default=None if default is None else str(default),
        primary_key_position=1 if name == "id" else None,
    )


def entity_metadata(entity: str, document: Any, path: str) -> TableMetadata:
    """`TableMetadata` of a `/describe/` answer (`fields`: an object by name, or a list)."""
    fields = document.get("fields") if isinstance(document, Mapping) else None
    if isinstance(fields, list):
        fields = {str(f.get("name")): f for f in fields if isinstance(f, Mapping)}
    if not isinstance(fields, Mapping):
        raise shape_error("describe has no 'fields'", path)
    columns = tuple(
        _column(str(name), facts if isinstance(facts, Mapping) else {})
        for name, facts in fields.items()
    )
    has_id = any(column.name == "id" for column in columns)
    return TableMetadata(
        name=entity,
        kind=TableKind.SOURCE,
        columns=columns,
        primary_key=PrimaryKey(name=None, columns=("id",)) if has_id else None,
        foreign_keys=(),
        indexes=(),
    )
