"""The SQL a load writes per backend, and the value conversions, without a server."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal

import pyarrow as pa
import pytest
from flext_db_oracle import DbError
from flext_db_oracle.models import Column, TypeFamily
from flext_db_oracle_transfer.convert import CONVERSION_ERRORS, column_family, converter_for
from flext_db_oracle_transfer.statements import create_table_sql, truncate_sql, upsert_sql
from flext_db_oracle_transfer.tables import quote
from flext_db_oracle_transfer.writers import csv_field


def test_upsert_per_backend() -> None:
    columns, keys = ["id", "qty"], ["id"]
    assert upsert_sql('"t"', columns, keys, "postgresql") == (
        'INSERT INTO "t" ("id", "qty") VALUES (:p0, :p1)'
        ' ON CONFLICT ("id") DO UPDATE SET "qty" = EXCLUDED."qty"'
    )
    assert upsert_sql("`t`", columns, keys, "mysql") == (
        "INSERT INTO `t` (`id`, `qty`) VALUES (:p0, :p1)"
        " ON DUPLICATE KEY UPDATE `qty` = VALUES(`qty`)"
    )
    assert upsert_sql('"T"', columns, keys, "oracle") == (
        'MERGE INTO "T" t USING (SELECT :p0 AS "id", :p1 AS "qty" FROM dual) s'
        ' ON (t."id" = s."id") WHEN MATCHED THEN UPDATE SET t."qty" = s."qty"'
        ' WHEN NOT MATCHED THEN INSERT ("id", "qty") VALUES (s."id", s."qty")'
    )


def test_upsert_of_key_columns_only_inserts_what_is_missing() -> None:
    assert upsert_sql('"t"', ["id"], ["id"], "sqlite").endswith('ON CONFLICT ("id") DO NOTHING')
    assert "WHEN MATCHED" not in upsert_sql('"t"', ["id"], ["id"], "oracle")


def test_identifiers_are_quoted_with_the_quote_doubled() -> None:
    assert quote('we"ird', "postgresql") == '"we""ird"'
    assert quote("we`ird", "mysql") == "`we``ird`"


def test_truncate_per_backend() -> None:
    assert truncate_sql('"t"', "sqlite") == 'DELETE FROM "t"'
    assert truncate_sql('"t"', "oracle") == 'TRUNCATE TABLE "t"'


def test_create_table_types_per_backend() -> None:
    schema = pa.schema(
        [
            ("id", pa.int64()),
            ("code", pa.string()),
            ("price", pa.decimal128(12, 2)),
            ("at", pa.timestamp("us", tz="UTC")),
            ("data", pa.binary()),
        ]
    )
    assert create_table_sql('"t"', schema, ["id", "code"], "oracle") == (
        'CREATE TABLE "t" ("id" NUMBER(19), "code" VARCHAR2(4000), "price" NUMBER(12, 2),'
        ' "at" TIMESTAMP WITH TIME ZONE, "data" BLOB, PRIMARY KEY ("id", "code"))'
    )
    assert "BYTEA" in create_table_sql('"t"', schema, [], "postgresql")
    with pytest.raises(DbError, match="time zone"):
        create_table_sql("`t`", schema, [], "mysql")


def test_csv_fields() -> None:
    assert [csv_field(v) for v in (None, "", "a,b", 'say "hi"', True, 1.5, Decimal("1.10"))] == [
        "",
        '""',
        '"a,b"',
        '"say ""hi"""',
        "true",
        "1.5",
        "1.10",
    ]
    assert csv_field(b"\x00\xff") == "AP8="
    assert csv_field(b"") == '""'
    assert csv_field(datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)) == ("2024-01-02T03:04:05+00:00")
    assert csv_field({"a": [1, Decimal("2.5")]}) == '"{""a"": [1, ""2.5""]}"'


def column(type_name: str, family: TypeFamily = TypeFamily.OTHER) -> Column:
    return Column(name="c", type_name=type_name, nullable=True, family=family)


@pytest.mark.parametrize(
    ("type_name", "family"),
    [
        ("INTEGER", TypeFamily.INTEGER),
        ("NUMERIC(12, 2)", TypeFamily.DECIMAL),
        ("DOUBLE PRECISION", TypeFamily.FLOAT),
        ("VARCHAR(10)", TypeFamily.STRING),
        ("TIMESTAMP WITH TIME ZONE", TypeFamily.TIMESTAMP_TZ),
        ("DATETIME(6)", TypeFamily.TIMESTAMP),
        ("DATE", TypeFamily.DATE),
        ("TINYINT(1)", TypeFamily.BOOLEAN),
        ("BYTEA", TypeFamily.BINARY),
        ("LONGBLOB", TypeFamily.BINARY),
    ],
)
def test_family_from_the_type_name(type_name: str, family: TypeFamily) -> None:
    assert column_family(column(type_name)) is family
    # An adapter's own family wins over the name.
    assert column_family(column(type_name, TypeFamily.JSON)) is TypeFamily.JSON


@pytest.mark.parametrize(
    ("type_name", "text", "value"),
    [
        ("INTEGER", "42", 42),
        ("NUMERIC(5, 2)", "12.50", Decimal("12.50")),
        ("REAL", "0.1", 0.1),
        ("BOOLEAN", "true", True),
        ("BOOLEAN", "0", False),
        ("BLOB", "AP8=", b"\x00\xff"),
        ("BLOB", "", b""),
        ("DATE", "2024-02-29", date(2024, 2, 29)),
        ("TIME", "10:11:12", time(10, 11, 12)),
        ("TIMESTAMP", "2024-01-01T10:00:00", datetime(2024, 1, 1, 10)),
        (
            "TIMESTAMP WITH TIME ZONE",
            "2024-01-01T10:00:00+02:00",
            datetime(2024, 1, 1, 10, tzinfo=timezone(timedelta(hours=2))),
        ),
    ],
)
def test_text_converts_to_the_column_type(type_name: str, text: str, value: object) -> None:
    convert = converter_for(column(type_name))
    assert convert is not None
    assert convert(text) == value


@pytest.mark.parametrize(
    ("type_name", "text"),
    [
        ("INTEGER", "4.5"),
        ("INTEGER", "many"),
        ("NUMERIC", "1,5"),
        ("BOOLEAN", "maybe"),
        ("BLOB", "not base64!"),
        ("TIMESTAMP", "2024-01-01T10:00:00+02:00"),  # would be shifted: refused
        ("TIMESTAMP WITH TIME ZONE", "2024-01-01T10:00:00"),  # zone unknown: refused
    ],
)
def test_text_that_does_not_convert_is_refused(type_name: str, text: str) -> None:
    convert = converter_for(column(type_name))
    assert convert is not None
    with pytest.raises(CONVERSION_ERRORS):
        convert(text)


def test_sqlite_keeps_timestamps_as_given() -> None:
    convert = converter_for(column("TIMESTAMP"), zones_checked=False)
    assert convert is not None
    assert convert("2024-01-01T10:00:00+02:00").utcoffset() == timedelta(hours=2)


def test_text_columns_take_values_as_they_are() -> None:
    assert converter_for(column("VARCHAR(10)")) is None
