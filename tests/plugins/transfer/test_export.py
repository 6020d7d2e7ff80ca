"""Export: formats, standard output, CSV's NULL and empty string, no half file on failure."""

from __future__ import annotations

import json
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from flext_db_oracle import DbError, ErrorKind, FlextDbOracleApi, hookimpl
from flext_db_oracle.models import ReadRequest, SourceRef
from flext_db_oracle_transfer import writers
from flext_db_oracle_transfer.export import export
from returns.result import Failure, Success

from tests.support.cli import CliRunner


@pytest.fixture
def db(tmp_path: Path) -> Any:
    url = f"sqlite:///{tmp_path / 'export.db'}"
    with FlextDbOracleApi.from_url(url) as api:
        api.execute('CREATE TABLE "Items" (id INTEGER PRIMARY KEY, name TEXT, price NUMERIC(8, 2))')
        api.execute_many(
            'INSERT INTO "Items" VALUES (:id, :name, :price)',
            [
                {
                    "id": i,
                    "name": "" if i == 2 else None if i == 3 else f"n{i}",
                    "price": Decimal(i) / 4,
                }
                for i in range(1, 2_001)
            ],
        ).unwrap()
        yield url, api


def test_csv_keeps_null_and_empty_string_apart(db: Any, tmp_path: Path) -> None:
    _url, api = db
    out = tmp_path / "items.csv"
    summary = export(api, out, table="items", batch_size=500).unwrap()  # case-insensitive
    assert summary.rows == 2_000
    lines = out.read_text().splitlines()
    assert lines[:4] == ["id,name,price", "1,n1,0.25", '2,"",0.5', "3,,0.75"]


def test_parquet_keeps_decimals(db: Any, tmp_path: Path) -> None:
    _url, api = db
    out = tmp_path / "items.parquet"
    export(api, out, sql='SELECT id, price FROM "Items" ORDER BY id').unwrap()
    table = pq.read_table(out)
    assert str(table.schema.field("price").type).startswith("decimal128")
    assert table.column("price").to_pylist()[:2] == [Decimal("0.25"), Decimal("0.5")]


def test_unknown_extension_needs_a_file_format(db: Any, tmp_path: Path) -> None:
    _url, api = db
    error = export(api, tmp_path / "items.txt", table="Items").failure()
    assert error.kind is ErrorKind.CONFIGURATION
    assert "--file-format" in error.message


def test_a_table_name_is_looked_up_never_pasted(db: Any, tmp_path: Path) -> None:
    _url, api = db
    error = export(api, tmp_path / "x.csv", table='Items" ; DROP TABLE "Items').failure()
    assert error.kind is ErrorKind.NOT_FOUND
    assert api.query('SELECT COUNT(*) FROM "Items"').unwrap().scalar() == 2_000


class _Exploding:
    """Lets `limit` batches through, then fails as a writer would halfway."""

    def __init__(self, writer: Any, failure: BaseException, limit: int = 1) -> None:
        self._writer = writer
        self._failure = failure
        self._left = limit

    def write(self, batch: Sequence[Sequence[Any]]) -> None:
        if not self._left:
            raise self._failure
        self._left -= 1
        self._writer.write(batch)

    def close(self) -> None:
        self._writer.close()


@pytest.mark.parametrize("file_format", ["csv", "jsonl", "parquet"])
@pytest.mark.parametrize("failure", [RuntimeError("disk on fire"), KeyboardInterrupt()])
def test_a_failed_export_leaves_no_file(
    db: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    file_format: str,
    failure: BaseException,
) -> None:
    _url, api = db
    real = writers.open_writer

    def exploding(*args: Any, **kwargs: Any) -> _Exploding:
        return _Exploding(real(*args, **kwargs), failure)

    monkeypatch.setattr("flext_db_oracle_transfer.export.open_writer", exploding)
    out_dir = tmp_path / "out"
    out = out_dir / f"items.{file_format}"
    if isinstance(failure, KeyboardInterrupt):
        with pytest.raises(KeyboardInterrupt):
            export(api, out, table="Items", batch_size=100)
    else:
        error = export(api, out, table="Items", batch_size=100).failure()
        assert "disk on fire" in error.message
    assert list(out_dir.iterdir()) == []


def test_cli_export_to_stdout_and_file(db: Any, tmp_path: Path, cli: CliRunner) -> None:
    url, _api = db
    piped = cli("--url", url, "export", "--sql", 'SELECT id, name FROM "Items" WHERE id < 4',
                "--out", "-", "--file-format", "jsonl")  # fmt: skip
    assert piped.code == 0, piped.err
    assert [json.loads(line) for line in piped.out.splitlines()] == [
        {"id": 1, "name": "n1"},
        {"id": 2, "name": ""},
        {"id": 3, "name": None},
    ]
    out = tmp_path / "items.parquet"
    saved = cli("--url", url, "--format", "json", "export", "Items", "--out", str(out))
    assert saved.code == 0, saved.err
    assert saved.json()["rows"] == 2_000
    assert pq.read_metadata(out).num_rows == 2_000


def test_cli_export_usage_errors(db: Any, cli: CliRunner) -> None:
    url, _api = db
    assert cli("--url", url, "export", "--out", "x.csv").code == 2
    assert cli("--url", url, "export", "Items", "--source", "wms:item", "--out", "x.csv").code == 2
    assert cli("--url", url, "export", "Items", "--out", "-", "--file-format", "parquet").code == 2
    missing = cli("--url", url, "export", "nope", "--out", "x.csv")
    assert missing.code == 1
    assert len(missing.err.strip().splitlines()) == 1


class _Pages:
    """A record source's stream: two pages."""

    columns = ("sku", "qty")

    def __init__(self) -> None:
        self.closed = False

    def __iter__(self) -> Any:
        return iter([[("a", 1), ("b", 2)], [("", None)]])

    def __enter__(self) -> _Pages:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self.closed = True


class _Items:
    name = "fake"

    def list_sources(self) -> Any:
        return Success([SourceRef(name="item")])

    def describe(self, source: str) -> Any:
        return Failure(DbError(ErrorKind.UNSUPPORTED, "not needed here"))

    def read(self, source: str, request: ReadRequest) -> Any:
        if source != "item":
            return Failure(DbError(ErrorKind.NOT_FOUND, f"no source {source}"))
        return Success(_Pages())

    def close(self) -> Any:
        return Success(None)


class _FakeSourcePlugin:
    @hookimpl
    def register_adapters(self, registry: Any) -> None:
        registry.add_record_source("fake", lambda _settings, _own: _Items())


def test_a_record_source_exports_like_a_table(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'x.db'}"
    with FlextDbOracleApi.from_url(url, plugins=(_FakeSourcePlugin(),)) as api:
        out = tmp_path / "items.csv"
        assert export(api, out, source="fake:item").unwrap().rows == 3
        assert out.read_text() == 'sku,qty\na,1\nb,2\n"",\n'
        missing = export(api, tmp_path / "none.csv", source="fake:nothing").failure()
        assert missing.kind is ErrorKind.NOT_FOUND
        assert not (tmp_path / "none.csv").exists()
        assert export(api, out, source="item").failure().kind is ErrorKind.QUERY
