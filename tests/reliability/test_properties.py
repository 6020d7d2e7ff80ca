"""Property-based tests (hypothesis) over the public API and the CLI's inputs.

- no exception escapes a `Result`-returning method, and every failure is a `DbError`;
- every value a backend accepts round-trips exactly: an aware datetime as the same
  instant, a Decimal equal in value (and in scale where the column keeps it:
  PostgreSQL's unconstrained NUMERIC);
- URLs, settings and profile files are accepted or refused with a `configuration`
  `DbError`, and never show the password they carry.

Profiles (tests/reliability/conftest.py): `default` 50 examples per property,
`thorough` 10,000 (HYPOTHESIS_PROFILE=thorough, `tox -e properties`).
"""

from __future__ import annotations

import contextlib
import io
import itertools
import math
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from flext_db_oracle import DbError, ErrorKind, FlextDbOracleApi
from flext_db_oracle.cli.main import run
from flext_db_oracle.settings import load_settings
from flext_db_oracle.urls import DatabaseUrl
from hypothesis import assume, given
from hypothesis import strategies as st
from returns.result import Failure, Success

from tests.reliability.support import check_result, everything_said_by

BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgresql", id="postgresql", marks=pytest.mark.services),
    pytest.param("mariadb", id="mariadb", marks=pytest.mark.services),
]

# --- strategies -------------------------------------------------------------------------

SURROGATES = st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF)
ANY_CHAR = st.characters(codec=None, categories=None)
SQL_FRAGMENTS = st.sampled_from(
    [
        "select 1", "SELECT :a", " ", ";", "; drop table prop_victim", "'", '"', "`", "--",
        "/*", "*/", "$$", "$x$", ":", "::int", "\x00", "\n", "\u037e", "\uff1b", "\ufe54",
        "select * from prop_missing", "insert into prop_victim values (1)", "begin", "commit",
        "%s", "%(a)s", "?", "\\", "values (1)", "with x as (select 1) select * from x",
    ]
)  # fmt: skip
SQL_TEXT = st.lists(
    st.one_of(SQL_FRAGMENTS, st.text(max_size=6), SURROGATES, st.text(ANY_CHAR, max_size=4)),
    max_size=6,
).map("".join)
BIND_NAMES = st.one_of(
    st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,10}", fullmatch=True),
    st.text(max_size=8),
    st.text(ANY_CHAR, max_size=4),
    st.integers(),
    st.none(),
)
OFFSETS = st.integers(min_value=-(23 * 60 + 59), max_value=23 * 60 + 59).map(
    lambda minutes: timezone(timedelta(minutes=minutes))
)
MIDDLE_DATETIMES = st.datetimes(min_value=datetime(2, 1, 1), max_value=datetime(9998, 12, 31))
AWARE_DATETIMES = st.builds(lambda d, tz: d.replace(tzinfo=tz), MIDDLE_DATETIMES, OFFSETS)


def _decimal(sign: int, digits: int, exponent: int) -> Decimal:
    return Decimal((sign, tuple(int(c) for c in str(digits)), exponent))


DECIMALS = st.one_of(
    st.builds(
        _decimal, st.integers(0, 1), st.integers(0, 10**40), st.integers(min_value=-35, max_value=8)
    ),
    st.decimals(
        allow_nan=False, allow_infinity=False, places=2, min_value=-(10**6), max_value=10**6
    ),
    st.sampled_from([Decimal("NaN"), Decimal("Infinity"), Decimal("-0"), Decimal("1E+3")]),
)
ANY_VALUE = st.one_of(
    st.integers(),
    st.floats(),
    DECIMALS,
    st.text(ANY_CHAR, max_size=20),
    st.binary(max_size=20),
    st.dates(),
    MIDDLE_DATETIMES,
    AWARE_DATETIMES,
    st.times(),
    st.none(),
    st.booleans(),
    st.builds(object),
    st.builds(complex, st.floats(), st.floats()),
    st.lists(st.integers(), max_size=2),
)
NOT_SQL = st.one_of(
    st.none(), st.binary(max_size=8), st.integers(), st.lists(st.text(), max_size=2)
)
NOT_PARAMS = st.one_of(
    st.lists(st.integers(), max_size=3), st.text(max_size=5), st.integers(), st.tuples(st.none())
)


# --- the databases ------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    name: str
    types: dict[str, str]  # DDL type per backend


COLUMNS = {
    "int": Column("c_int", {"sqlite": "INTEGER", "postgresql": "BIGINT", "mariadb": "BIGINT"}),
    "float": Column(
        "c_float", {"sqlite": "REAL", "postgresql": "DOUBLE PRECISION", "mariadb": "DOUBLE"}
    ),
    "decimal": Column(
        "c_dec", {"sqlite": "NUMERIC", "postgresql": "NUMERIC", "mariadb": "DECIMAL(65,30)"}
    ),
    "text": Column("c_text", {"sqlite": "TEXT", "postgresql": "TEXT", "mariadb": "LONGTEXT"}),
    "bytes": Column("c_bytes", {"sqlite": "BLOB", "postgresql": "BYTEA", "mariadb": "LONGBLOB"}),
    "date": Column("c_date", {"sqlite": "DATE", "postgresql": "DATE", "mariadb": "DATE"}),
    "datetime": Column(
        "c_ts", {"sqlite": "TIMESTAMP", "postgresql": "TIMESTAMP(6)", "mariadb": "DATETIME(6)"}
    ),
    "aware": Column(
        "c_tstz", {"sqlite": "TIMESTAMP", "postgresql": "TIMESTAMPTZ", "mariadb": "DATETIME(6)"}
    ),
    "time": Column("c_time", {"sqlite": "TIME", "postgresql": "TIME(6)", "mariadb": "TIME(6)"}),
    "bool": Column("c_bool", {"sqlite": "BOOLEAN", "postgresql": "BOOLEAN", "mariadb": "BOOLEAN"}),
}
STRATEGIES: dict[str, st.SearchStrategy[Any]] = {
    "int": st.one_of(st.integers(-(2**63), 2**63 - 1), st.integers()),
    "float": st.floats(),
    "decimal": DECIMALS,
    "text": st.one_of(st.text(), st.text(ANY_CHAR), st.lists(SURROGATES, min_size=1).map("".join)),
    "bytes": st.binary(),
    "date": st.dates(),
    "datetime": st.datetimes(),
    "aware": AWARE_DATETIMES,
    "time": st.times(),
    "bool": st.booleans(),
}
_ids = itertools.count(1)


@dataclass
class Scratch:
    backend: str
    db: FlextDbOracleApi
    table: str


@pytest.fixture(scope="module", params=BACKENDS)
def scratch(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Scratch]:
    backend: str = request.param
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('props') / 'props.db'}"
    else:
        url = request.getfixturevalue(f"{backend}_url")
    db = FlextDbOracleApi.from_url(url, connect_timeout_s=5)
    table = f"props_{os.getpid()}_{backend}"
    columns = ", ".join(f"{c.name} {c.types[backend]}" for c in COLUMNS.values())
    created = db.execute(f"CREATE TABLE {table} (id BIGINT NOT NULL, {columns})")
    assert isinstance(created, Success), created
    yield Scratch(backend, db, table)
    db.execute(f"DROP TABLE IF EXISTS {table}")
    db.disconnect()


def _same(kind: str, backend: str, sent: Any, got: Any) -> bool:
    if sent is None:
        return got is None
    if kind == "float":
        return (math.isnan(sent) and got is not None and math.isnan(got)) or sent == got
    if kind == "decimal":
        got = Decimal(got) if isinstance(got, int | str) else got
        if not isinstance(got, Decimal):
            return False
        if sent.is_nan():
            return got.is_nan()
        if got != sent:
            return False
        if backend == "postgresql" and sent.is_finite():  # unconstrained NUMERIC keeps scale
            return max(0, -int(sent.as_tuple().exponent)) == max(0, -int(got.as_tuple().exponent))
        return True
    if kind == "aware":
        return isinstance(got, datetime) and got.tzinfo is not None and got == sent
    if kind == "bytes":
        return isinstance(got, bytes | bytearray | memoryview) and bytes(got) == sent
    if kind == "bool":
        return got == sent and not isinstance(got, str)
    return type(got) is type(sent) and got == sent


def _fits_the_column(scratch: Scratch, kind: str, value: Any) -> bool:
    """MariaDB's DECIMAL(65,30) rounds to its declared scale, as SQL says: values beyond
    the column's declared precision are outside the property."""
    if kind == "decimal" and scratch.backend == "mariadb" and isinstance(value, Decimal):
        return not value.is_finite() or (
            int(value.as_tuple().exponent) >= -30 and value.adjusted() < 35
        )
    return True


def _round_trip(scratch: Scratch, kind: str, value: Any) -> None:
    assume(_fits_the_column(scratch, kind, value))
    column = COLUMNS[kind].name
    row_id = next(_ids)
    written = check_result(
        scratch.db.execute(
            f"INSERT INTO {scratch.table} (id, {column}) VALUES (:id, :v)",
            {"id": row_id, "v": value},
        )
    )
    if isinstance(written, Failure):
        assert written.failure().kind in {ErrorKind.QUERY, ErrorKind.INTEGRITY}, written
        return
    read = check_result(
        scratch.db.query_one(f"SELECT {column} FROM {scratch.table} WHERE id = :id", {"id": row_id})
    )
    assert isinstance(read, Success), f"accepted but not readable: {read}"
    got = read.unwrap()[0]
    assert _same(kind, scratch.backend, value, got), (
        f"{scratch.backend} {kind}: wrote {value!r}, read {got!r}"
    )


def _round_trip_test(kind: str) -> Callable[..., None]:
    @given(value=st.one_of(STRATEGIES[kind], st.none()))
    def test(scratch: Scratch, value: Any) -> None:
        _round_trip(scratch, kind, value)

    test.__name__ = f"test_{kind}_values_round_trip_exactly_or_fail_typed"
    return test


for _kind in COLUMNS:
    globals()[f"test_{_kind}_values_round_trip_exactly_or_fail_typed"] = _round_trip_test(_kind)


@given(value=st.one_of(st.builds(object), st.builds(complex, st.floats(), st.floats())))
def test_values_no_column_holds_are_typed_query_errors(scratch: Scratch, value: Any) -> None:
    result = check_result(
        scratch.db.execute(
            f"INSERT INTO {scratch.table} (id, c_text) VALUES (:id, :v)", {"id": 0, "v": value}
        )
    )
    assert isinstance(result, Failure), f"{value!r} was stored ({scratch.backend})"
    assert result.failure().kind is ErrorKind.QUERY


# --- no exception escapes ----------------------------------------------------------------------


def _close(result: object) -> None:
    if isinstance(result, Success):
        with contextlib.suppress(DbError):
            result.unwrap().close()


@given(sql=SQL_TEXT)
def test_any_sql_text_returns_a_result(scratch: Scratch, sql: str) -> None:
    db = scratch.db
    for call in (db.query, db.query_one, db.execute, db.stream):
        result = check_result(call(sql))
        if call == db.stream:
            _close(result)
    check_result(db.execute_many(sql, [{}]))


@given(sql=st.one_of(SQL_TEXT, NOT_SQL), params=st.one_of(
    st.dictionaries(BIND_NAMES, ANY_VALUE, max_size=3), NOT_PARAMS, st.none()))  # fmt: skip
def test_any_binds_and_argument_types_return_a_result(
    scratch: Scratch, sql: Any, params: Any
) -> None:
    db = scratch.db
    for call in (db.query, db.query_one, db.execute, db.stream):
        result = check_result(call(sql, params))
        if call == db.stream:
            _close(result)
    check_result(db.execute_many(sql, [params]))
    check_result(db.execute_many(sql, params))


@given(value=ANY_VALUE)
def test_any_value_bound_to_a_select_returns_a_result(scratch: Scratch, value: Any) -> None:
    check_result(scratch.db.query("SELECT :v AS v", {"v": value}))
    check_result(scratch.db.execute_many("SELECT :v", [{"v": value}], on_error="collect"))


IDENTIFIERS = st.one_of(
    st.text(max_size=12), st.text(ANY_CHAR, max_size=6), st.none(), st.integers(),
    st.sampled_from(['t"; drop table x; --', "t`; drop table x; --", "a\x00b", "", " ", "."]),
)  # fmt: skip


@given(
    table=IDENTIFIERS,
    schema=st.one_of(st.none(), IDENTIFIERS),
    columns=st.lists(IDENTIFIERS, max_size=3),
)
def test_any_identifier_returns_a_result(
    scratch: Scratch, table: Any, schema: Any, columns: list[Any]
) -> None:
    db = scratch.db
    check_result(db.get_table_metadata(table, schema))
    check_result(db.get_columns(table, schema))
    check_result(db.get_tables(schema))
    check_result(db.get_ddl(table, schema))
    result = check_result(
        db.bulk_insert(table, columns, [tuple(range(len(columns)))], schema=schema)
    )
    assert isinstance(result, Failure) or table == scratch.table, "bulk_insert into nothing"


# --- URLs, settings, profile files ------------------------------------------------------------

SECRETISH = st.from_regex(r"[A-Za-z0-9]{10,16}", fullmatch=True).map(lambda s: f"Pw{s}")
URL_PIECES = st.one_of(
    st.text(max_size=8), st.sampled_from(["@", ":", "/", "?", "#", "%", "%zz", "[", "]"])
)


@given(
    scheme=st.sampled_from(
        ["postgresql", "mysql", "mariadb", "sqlite", "oracle", "nosuch", "", "1x"]
    ),
    user=st.one_of(st.none(), URL_PIECES),
    password=SECRETISH,
    junk=st.lists(URL_PIECES, max_size=4).map("".join),
    port=st.one_of(st.none(), st.integers(-5, 70000), st.just("x")),
    query=st.one_of(st.just(""), st.sampled_from(["?password=", "?sslmode=", "?nosuch=", "?"])),
)  # fmt: skip
def test_any_url_is_parsed_or_refused_without_showing_its_password(
    scheme: str, user: str | None, password: str, junk: str, port: Any, query: str
) -> None:
    auth = f"{user}:{password}@" if user is not None else ""
    where = "127.0.0.1" + (f":{port}" if port is not None else "")
    tail = f"{query}{password}" if query == "?password=" else query.replace("=", "=require")
    url = f"{scheme}://{auth}{where}/db{junk}{tail}"
    try:
        parsed = DatabaseUrl.parse(url)
    except DbError as error:
        assert error.kind is ErrorKind.CONFIGURATION
        assert password not in everything_said_by(error), f"password shown for {url!r}"
    except Exception as exc:
        pytest.fail(f"DatabaseUrl.parse({url!r}) raised {type(exc).__name__}: {exc}")
    else:
        assert password not in parsed.render(), f"render() shows the password of {url!r}"
        assert password not in repr(parsed)
    try:
        settings = load_settings(url=url)
    except DbError as error:
        assert error.kind is ErrorKind.CONFIGURATION, error
        assert password not in everything_said_by(error), f"password shown for {url!r}"
        return
    except Exception as exc:
        pytest.fail(f"load_settings(url={url!r}) raised {type(exc).__name__}: {exc}")
    assert password not in repr(settings.redacted()), f"redacted() shows it for {url!r}"
    assert password not in repr(settings)


SETTING_VALUES = st.one_of(
    st.integers(-3, 10**6), st.floats(), st.text(max_size=6), st.none(), st.booleans(),
    st.dictionaries(st.sampled_from(["size", "timeout_s", "max_overflow", "nope"]),
                    st.one_of(st.integers(-2, 5), st.floats(), st.text(max_size=3)), max_size=2),
)  # fmt: skip
SETTING_NAMES = st.sampled_from(
    [
        "connect_timeout_s", "statement_timeout_s", "stream_batch_size", "slow_statement_ms",
        "log_level", "log_format", "row_shape", "pool", "adapter", "driver", "host", "port",
        "user", "database", "retry", "password_file",
    ]
)  # fmt: skip


@given(values=st.dictionaries(SETTING_NAMES, SETTING_VALUES, max_size=4))
def test_any_settings_are_accepted_or_refused_as_configuration(values: dict[str, Any]) -> None:
    try:
        load_settings(url="sqlite://", **values)
    except DbError as error:
        assert error.kind is ErrorKind.CONFIGURATION, error
    except Exception as exc:
        pytest.fail(f"load_settings(**{values!r}) raised {type(exc).__name__}: {exc}")


TOML_LINES = st.sampled_from(
    [
        "[profiles.p]", "[profiles]", "profiles = 5", "x = 5", 'url = "sqlite://"',
        'url = "postgresql://u:PROFILEPW@127.0.0.1:1/db"', "connect_timeout_s = -1",
        "connect_timeout_s = 0.5", "[profiles.p.pool]", "size = 0", 'size = "x"',
        "[profiles.p.ldap]", 'bind_password = "PROFILEPW"', "[[profiles.p]]", "p = 1", "= =",
        'password = "PROFILEPW"', "[profiles.p.nosuch]", "a = [1, 2",
    ]
)  # fmt: skip


@given(
    lines=st.lists(TOML_LINES, max_size=6),
    raw=st.one_of(st.none(), st.binary(max_size=12)),
)
def test_any_profile_file_is_loaded_or_refused_naming_the_file(
    tmp_path_factory: pytest.TempPathFactory, lines: list[str], raw: bytes | None
) -> None:
    path = tmp_path_factory.mktemp("profile") / "profiles.toml"
    path.write_bytes(raw if raw is not None else "\n".join(lines).encode())
    try:
        load_settings(profile="p", profiles_file=path)
    except DbError as error:
        assert error.kind is ErrorKind.CONFIGURATION, error
        assert str(path) in error.message, f"the error does not name the file: {error}"
        assert "PROFILEPW" not in everything_said_by(error)
    except Exception as exc:
        pytest.fail(f"profile file {path.read_bytes()!r}: {type(exc).__name__}: {exc}")


# --- the CLI ------------------------------------------------------------------------------------


def _cli(args: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = run(args)
    return code, out.getvalue(), err.getvalue()


@given(
    command=st.sampled_from(["query", "execute", "describe"]),
    text=SQL_TEXT,
    params=st.lists(st.text(max_size=8), max_size=2),
    fmt=st.sampled_from(["table", "json", "csv", "jsonl"]),
)
def test_any_cli_input_exits_with_a_typed_outcome(
    tmp_path_factory: pytest.TempPathFactory,
    command: str,
    text: str,
    params: list[str],
    fmt: str,
) -> None:
    url = f"sqlite:///{tmp_path_factory.getbasetemp() / 'cli_props.db'}"
    args = ["--url", url, command, text, "--format", fmt]
    if command != "describe":
        for param in params:
            args += ["-p", param]
    try:
        code, _out, err = _cli(args)
    except Exception as exc:
        pytest.fail(f"run({args!r}) raised {type(exc).__name__}: {exc}")
    assert code in {0, 1, 2}, (args, code, err)
    assert "internal error" not in err, f"untyped failure for {args!r}: {err}"


def test_profiles_ship_the_agreed_sizes() -> None:
    from hypothesis import settings

    assert settings.get_profile("default").max_examples <= 100
    assert settings.get_profile("thorough").max_examples >= 10_000


_ = (date, time, UTC, Path)  # types named in the strategies' documentation
