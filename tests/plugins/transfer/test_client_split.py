"""psql's, mysql's and sqlite3's splitting rules."""

from __future__ import annotations

from pathlib import Path

import pytest
from flext_db_oracle import DbError, ErrorKind
from flext_db_oracle_transfer.scripts import (
    Echo,
    Exit,
    Item,
    Note,
    OnError,
    Reconnect,
    ScriptDialect,
    Statement,
    split_script,
    split_text,
)


def items(text: str, dialect: ScriptDialect) -> list[Item]:
    return list(split_text(text, dialect))


def statements(text: str, dialect: ScriptDialect) -> list[str]:
    return [item.text for item in items(text, dialect) if isinstance(item, Statement)]


@pytest.mark.parametrize("dialect", ["postgresql", "mysql", "sqlite"])
def test_semicolons_in_literals_identifiers_and_comments_are_text(dialect: ScriptDialect) -> None:
    script = "insert into t values ('a;b', 'it''s;') /* x; */;\n-- y;\nselect 1;\n"
    assert statements(script, dialect) == [
        "insert into t values ('a;b', 'it''s;') /* x; */",
        "select 1",
    ]


def test_postgresql_dollar_quoted_function_and_do_block() -> None:
    script = (
        "CREATE FUNCTION f() RETURNS int AS $$ BEGIN RETURN 1; END; $$ LANGUAGE plpgsql;\n"
        "DO $body$\nBEGIN\n  PERFORM 1; -- $$ inside\nEND\n$body$;\n"
        "SELECT $1::int, E'it\\'s;';\n"
    )
    assert statements(script, "postgresql") == [
        "CREATE FUNCTION f() RETURNS int AS $$ BEGIN RETURN 1; END; $$ LANGUAGE plpgsql",
        "DO $body$\nBEGIN\n  PERFORM 1; -- $$ inside\nEND\n$body$",
        "SELECT $1::int, E'it\\'s;'",
    ]


def test_postgresql_nested_block_comments() -> None:
    assert statements("/* a /* b; */ c; */ select 1;", "postgresql") == ["select 1"]


def test_psql_commands() -> None:
    found = items(
        "\\set ON_ERROR_STOP off\n\\echo loading\n\\c chinook;\nselect 1;\n\\pset format csv\n\\q\n"
        "select 2;\n",
        "postgresql",
    )
    assert [type(i) for i in found] == [OnError, Echo, Reconnect, Statement, Note, Exit]
    reconnect = found[2]
    assert isinstance(reconnect, Reconnect) and reconnect.database == "chinook"


def test_psql_command_that_moves_data_is_refused() -> None:
    with pytest.raises(DbError) as refused:
        items("select 1;\n\\copy t from 'x.csv'\n", "postgresql")
    assert refused.value.kind is ErrorKind.UNSUPPORTED
    assert "<script>:2" in refused.value.message


def test_psql_runs_an_unterminated_last_statement() -> None:
    assert statements("select 1;\nselect 2\n", "postgresql") == ["select 1", "select 2"]


def test_mysql_delimiter_backslash_escapes_hash_comments_and_use() -> None:
    script = (
        "USE `shop`;\n"
        "# a comment;\n"
        "SELECT 'it\\'s;', \"q;\", `c;`;\n"
        "DELIMITER //\n"
        "CREATE TRIGGER trg BEFORE INSERT ON t FOR EACH ROW BEGIN SET NEW.a = 1; END//\n"
        "DELIMITER ;\n"
        "SELECT 1--2;\n"
    )
    assert statements(script, "mysql") == [
        "USE `shop`",
        "SELECT 'it\\'s;', \"q;\", `c;`",
        "CREATE TRIGGER trg BEFORE INSERT ON t FOR EACH ROW BEGIN SET NEW.a = 1; END",
        "SELECT 1--2",
    ]


def test_sqlite_trigger_body_ends_at_end_semicolon() -> None:
    script = (
        "CREATE TRIGGER trg AFTER INSERT ON [t] BEGIN\n"
        "  UPDATE t SET n = n + 1;\n  INSERT INTO log VALUES ('end;');\nEND;\n"
        "SELECT 1;\n"
    )
    assert statements(script, "sqlite") == [
        "CREATE TRIGGER trg AFTER INSERT ON [t] BEGIN\n  UPDATE t SET n = n + 1;\n"
        "  INSERT INTO log VALUES ('end;');\nEND",
        "SELECT 1",
    ]


def test_sqlite_refuses_an_incomplete_last_statement() -> None:
    with pytest.raises(DbError, match="incomplete"):
        items("select 1;\nselect 2\n", "sqlite")


def test_sqlite_read_includes_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "inner.sql").write_text("select 1;\n")
    (tmp_path / "main.sql").write_text(".read inner.sql\n.mode csv\nselect 2;\n")
    monkeypatch.chdir(tmp_path)
    found = list(split_script(tmp_path / "main.sql", "sqlite"))
    assert [type(i) for i in found] == [Statement, Note, Statement]


def test_unclosed_dollar_quote_names_its_line() -> None:
    with pytest.raises(DbError, match=r"<script>:2: dollar-quoted body \$\$ is never closed"):
        items("select 1;\ndo $$ begin\n", "postgresql")


@pytest.mark.parametrize(
    ("name", "dialect", "count", "first"),
    [
        ("Chinook_PostgreSql.sql", "postgresql", 59, "DROP DATABASE IF EXISTS chinook"),
        ("Chinook_MySql.sql", "mysql", 60, "DROP DATABASE IF EXISTS `Chinook`"),
        ("Chinook_Sqlite.sql", "sqlite", 57, "DROP TABLE IF EXISTS [Album]"),
    ],
)
def test_chinook_scripts_split(
    chinook_dir: Path, name: str, dialect: ScriptDialect, count: int, first: str
) -> None:
    run = [i for i in split_script(chinook_dir / name, dialect) if isinstance(i, Statement)]
    assert len(run) == count
    assert run[0].text == first
    assert run[-1].text.endswith("(18, 597)")


def test_psql_windows_line_ends() -> None:
    found = items("\\c shop;\r\nselect 1;\r\n", "postgresql")
    assert [type(i) for i in found] == [Reconnect, Statement]
    reconnect = found[0]
    assert isinstance(reconnect, Reconnect) and reconnect.database == "shop"


def test_postgresql_begin_atomic_body_is_one_statement() -> None:
    script = (
        "CREATE FUNCTION add(a int, b int) RETURNS int LANGUAGE sql\n"
        "BEGIN ATOMIC\n  SELECT CASE WHEN a IS NULL THEN 0 ELSE a END + b;\nEND;\n"
        "SELECT add(1, 2);\n"
    )
    assert statements(script, "postgresql") == [
        "CREATE FUNCTION add(a int, b int) RETURNS int LANGUAGE sql\n"
        "BEGIN ATOMIC\n  SELECT CASE WHEN a IS NULL THEN 0 ELSE a END + b;\nEND",
        "SELECT add(1, 2)",
    ]


def test_copy_from_stdin_data_is_refused_not_run_as_sql() -> None:
    with pytest.raises(DbError) as refused:
        items("select 1;\nCOPY t (a) FROM stdin;\n1\n\\.\n", "postgresql")
    assert refused.value.kind is ErrorKind.UNSUPPORTED
    assert "<script>:2" in refused.value.message
