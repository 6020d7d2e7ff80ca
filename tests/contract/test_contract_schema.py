"""Contract of the schema port, through the facade, on every backend."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from flext_db_oracle import (
    Column,
    ErrorKind,
    FlextDbOracleApi,
    ForeignKey,
    PrimaryKey,
    TableKind,
    TableMetadata,
    TableRef,
)
from returns.result import Failure


@dataclass(frozen=True)
class Catalogue:
    parent: str
    child: str
    view: str
    mixed: str
    unique_index: str
    plain_index: str


@pytest.fixture
def catalogue(api: FlextDbOracleApi, dialect, unique_name) -> Catalogue:
    """Tables with a composite key, a composite foreign key, indexes, a view, a quoted
    mixed-case name and a reserved word as a column name."""
    q = dialect.q
    names = Catalogue(
        parent=unique_name("parent"),
        child=unique_name("child"),
        view=unique_name("v_child"),
        mixed=unique_name("MixedCase"),
        unique_index=unique_name("ux_order"),
        plain_index=unique_name("ix_note"),
    )
    statements = [
        f"CREATE TABLE {names.parent} ("
        " a INTEGER NOT NULL,"
        " b VARCHAR(20) NOT NULL,"
        " label VARCHAR(50) DEFAULT 'x',"
        " qty INTEGER DEFAULT 7 NOT NULL,"
        " PRIMARY KEY (b, a))",
        f"CREATE TABLE {names.child} ("
        " id INTEGER NOT NULL PRIMARY KEY,"
        " pa INTEGER,"
        " pb VARCHAR(20),"
        f" {q('order')} INTEGER NOT NULL,"
        f" note {dialect.float_type},"
        f" FOREIGN KEY (pb, pa) REFERENCES {names.parent} (b, a))",
        f"CREATE UNIQUE INDEX {names.unique_index} ON {names.child} ({q('order')})",
        f"CREATE INDEX {names.plain_index} ON {names.child} (note)",
        f"CREATE VIEW {names.view} AS SELECT id, {q('order')} FROM {names.child}",
        f"CREATE TABLE {q(names.mixed)} ({q('Id')} INTEGER PRIMARY KEY, {q('select')} VARCHAR(10))",
    ]
    for statement in statements:
        api.execute(statement).unwrap()
    return names


def _by_name(columns: tuple[Column, ...] | list[Column]) -> dict[str, Column]:
    return {column.name: column for column in columns}


def test_get_tables_lists_tables_and_views_with_their_kind(
    api: FlextDbOracleApi, catalogue: Catalogue
) -> None:
    refs = api.get_tables().unwrap()

    ours = {ref.name: ref.kind for ref in refs if ref.name in vars(catalogue).values()}
    assert ours == {
        catalogue.parent: TableKind.TABLE,
        catalogue.child: TableKind.TABLE,
        catalogue.mixed: TableKind.TABLE,
        catalogue.view: TableKind.VIEW,
    }
    assert all(isinstance(ref, TableRef) for ref in refs)
    assert [ref.name for ref in refs] == sorted(ref.name for ref in refs)


def test_get_tables_of_the_default_schema_by_name(
    api: FlextDbOracleApi, catalogue: Catalogue, dialect, backend_url
) -> None:
    schema = dialect.default_schema(backend_url)

    refs = api.get_tables(schema).unwrap()

    assert catalogue.child in {ref.name for ref in refs}
    assert {ref.schema_name for ref in refs} == {schema}
    meta = api.get_table_metadata(catalogue.child, schema).unwrap()
    assert meta.schema_name == schema
    assert meta.name == catalogue.child


def test_get_schemas_includes_the_default_schema(
    api: FlextDbOracleApi, dialect, backend_url
) -> None:
    schemas = api.get_schemas().unwrap()

    assert schemas
    assert dialect.default_schema(backend_url) in schemas


def test_composite_primary_key_columns_types_and_defaults(
    api: FlextDbOracleApi, catalogue: Catalogue
) -> None:
    meta = api.get_table_metadata(catalogue.parent).unwrap()

    assert isinstance(meta, TableMetadata)
    assert meta.kind is TableKind.TABLE
    assert [c.name for c in meta.columns] == ["a", "b", "label", "qty"]
    assert meta.primary_key is not None
    assert meta.primary_key.columns == ("b", "a")  # key order, not column order
    columns = _by_name(meta.columns)
    assert columns["b"].primary_key_position == 1
    assert columns["a"].primary_key_position == 2
    assert columns["label"].primary_key_position is None
    assert not columns["label"].is_primary_key
    assert columns["a"].nullable is False
    assert columns["b"].nullable is False
    assert columns["label"].nullable is True
    assert columns["qty"].nullable is False
    assert "INT" in columns["a"].type_name.upper()
    assert columns["b"].type_name.upper().startswith("VARCHAR(20)")
    assert columns["label"].type_name.upper().startswith("VARCHAR(50)")
    assert columns["label"].default is not None
    assert "'x'" in columns["label"].default
    assert columns["qty"].default == "7"
    assert columns["a"].default is None
    assert meta.foreign_keys == ()


def test_composite_foreign_key_and_indexes(api: FlextDbOracleApi, catalogue: Catalogue) -> None:
    meta = api.get_table_metadata(catalogue.child).unwrap()

    assert meta.primary_key == PrimaryKey(name=meta.primary_key.name, columns=("id",))
    assert len(meta.foreign_keys) == 1
    fk = meta.foreign_keys[0]
    assert isinstance(fk, ForeignKey)
    assert fk.columns == ("pb", "pa")
    assert fk.referred_table == catalogue.parent
    assert fk.referred_columns == ("b", "a")
    indexes = {ix.name: ix for ix in meta.indexes}
    assert indexes[catalogue.unique_index].columns == ("order",)
    assert indexes[catalogue.unique_index].unique is True
    assert indexes[catalogue.plain_index].columns == ("note",)
    assert indexes[catalogue.plain_index].unique is False


def test_a_reserved_word_column_is_described_and_usable(
    api: FlextDbOracleApi, catalogue: Catalogue, dialect
) -> None:
    columns = _by_name(api.get_table_metadata(catalogue.child).unwrap().columns)
    order = dialect.q("order")
    api.execute(
        f"INSERT INTO {catalogue.parent} (a, b) VALUES (:a, :b)", {"a": 1, "b": "one"}
    ).unwrap()
    api.execute(
        f"INSERT INTO {catalogue.child} (id, pa, pb, {order}) VALUES (:id, :pa, :pb, :o)",
        {"id": 10, "pa": 1, "pb": "one", "o": 5},
    ).unwrap()

    assert columns["order"].nullable is False
    assert api.query_one(f"SELECT {order} FROM {catalogue.view}").unwrap() == (5,)


def test_the_foreign_key_is_enforced(api: FlextDbOracleApi, catalogue: Catalogue, dialect) -> None:
    # On SQLite too: the adapter turns PRAGMA foreign_keys on for every connection.
    result = api.execute(
        f"INSERT INTO {catalogue.child} (id, pa, pb, {dialect.q('order')}) VALUES (1, 9, 'no', 1)"
    )

    assert isinstance(result, Failure)
    assert result.failure().kind is ErrorKind.INTEGRITY


def test_a_view_is_described_as_a_view(api: FlextDbOracleApi, catalogue: Catalogue) -> None:
    meta = api.get_table_metadata(catalogue.view).unwrap()

    assert meta.kind is TableKind.VIEW
    assert [c.name for c in meta.columns] == ["id", "order"]
    assert meta.primary_key is None
    assert meta.foreign_keys == ()


def test_get_columns_matches_the_metadata(api: FlextDbOracleApi, catalogue: Catalogue) -> None:
    columns = api.get_columns(catalogue.child).unwrap()

    assert columns == list(api.get_table_metadata(catalogue.child).unwrap().columns)
    assert [c.name for c in columns] == ["id", "pa", "pb", "order", "note"]
    assert _by_name(columns)["id"].primary_key_position == 1


def test_a_quoted_mixed_case_name_is_kept_exactly(
    api: FlextDbOracleApi, catalogue: Catalogue
) -> None:
    meta = api.get_table_metadata(catalogue.mixed).unwrap()

    assert meta.name == catalogue.mixed
    assert [c.name for c in meta.columns] == ["Id", "select"]
    assert meta.primary_key is not None
    assert meta.primary_key.columns == ("Id",)
    assert meta.columns[0].nullable is False  # a key column, though not declared NOT NULL
    assert meta.columns[1].nullable is True


@pytest.mark.parametrize("spelling", [str.lower, str.upper], ids=["lower", "upper"])
def test_lookup_ignores_case_when_unambiguous(
    api: FlextDbOracleApi, catalogue: Catalogue, spelling
) -> None:
    asked = spelling(catalogue.mixed)
    assert asked != catalogue.mixed

    meta = api.get_table_metadata(asked).unwrap()
    columns = api.get_columns(asked).unwrap()

    assert meta.name == catalogue.mixed
    assert [c.name for c in columns] == ["Id", "select"]


def test_lookup_does_not_guess_between_names_differing_in_case(
    api: FlextDbOracleApi, dialect, unique_name
) -> None:
    if not dialect.case_sensitive_table_names:
        pytest.skip(f"{dialect.product} cannot hold two tables whose names differ only in case")
    name = unique_name("Twin")
    api.execute(f"CREATE TABLE {dialect.q(name)} (id INTEGER)").unwrap()
    api.execute(f"CREATE TABLE {dialect.q(name.lower())} (id INTEGER)").unwrap()

    ambiguous = api.get_table_metadata(name.upper())

    assert isinstance(ambiguous, Failure)
    assert ambiguous.failure().kind is ErrorKind.NOT_FOUND
    assert api.get_table_metadata(name).unwrap().name == name  # exact names still work


@pytest.mark.parametrize(
    "call",
    [
        pytest.param(lambda db, missing: db.get_table_metadata(missing), id="metadata"),
        pytest.param(lambda db, missing: db.get_columns(missing), id="columns"),
        pytest.param(lambda db, missing: db.get_tables(missing), id="tables-of-schema"),
        pytest.param(lambda db, missing: db.get_table_metadata("x", missing), id="metadata-schema"),
    ],
)
def test_missing_table_or_schema_is_not_found(api: FlextDbOracleApi, unique_name, call) -> None:
    missing = unique_name("missing")

    result = call(api, missing)

    assert isinstance(result, Failure)
    assert result.failure().kind is ErrorKind.NOT_FOUND
    assert missing in result.failure().message
