"""SQL*Plus's splitting rules, one case each."""

from __future__ import annotations

from pathlib import Path

import pytest
from flext_db_oracle import DbError, ErrorKind
from flext_db_oracle.redaction import redact
from flext_db_oracle_transfer.scripts import (
    Echo,
    Exit,
    Item,
    Note,
    OnError,
    Reconnect,
    Statement,
    split_script,
    split_text,
)


def items(text: str) -> list[Item]:
    return list(split_text(text, "oracle"))


def statements(text: str) -> list[str]:
    return [item.text for item in items(text) if isinstance(item, Statement)]


def test_semicolon_at_line_end_ends_a_statement_and_is_not_sent() -> None:
    assert statements("select 1 from dual;\nselect 2\nfrom dual;\n") == [
        "select 1 from dual",
        "select 2\nfrom dual",
    ]


def test_semicolon_inside_literals_quoted_identifiers_and_comments_is_text() -> None:
    script = (
        "insert into t values ('a;\n', \"x;\" , q'[b;]') -- c;\n;\nselect 1 /* ;\n; */ from dual;\n"
    )
    assert statements(script) == [
        "insert into t values ('a;\n', \"x;\" , q'[b;]') -- c;",
        "select 1 /* ;\n; */ from dual",
    ]


def test_slash_alone_on_a_line_runs_the_buffer() -> None:
    assert statements("select 1 from dual\n/\n") == ["select 1 from dual"]


def test_plsql_block_keeps_its_semicolons_and_ends_at_slash() -> None:
    script = "begin\n  null;\n\n  dbms_output.put_line('x');\nend;\n/\nselect 1 from dual;\n"
    assert statements(script) == [
        "begin\n  null;\n\n  dbms_output.put_line('x');\nend;",
        "select 1 from dual",
    ]


@pytest.mark.parametrize(
    "head",
    [
        "CREATE OR REPLACE PROCEDURE p IS",
        "create procedure p is",
        "CREATE OR REPLACE FUNCTION f RETURN NUMBER IS",
        "CREATE OR REPLACE PACKAGE BODY pkg IS",
        "CREATE OR REPLACE EDITIONABLE TRIGGER trg BEFORE INSERT ON t FOR EACH ROW",
        "CREATE OR REPLACE\nPROCEDURE p IS",
        "DECLARE\n  n NUMBER;",
        "CREATE TYPE point AS OBJECT (x NUMBER);",
    ],
)
def test_stored_code_is_one_block_up_to_the_slash(head: str) -> None:
    script = f"{head}\nBEGIN\n  NULL;\nEND;\n/\n"
    assert statements(script) == [f"{head}\nBEGIN\n  NULL;\nEND;"]


def test_slash_after_a_terminated_statement_runs_it_again() -> None:
    found = items("create table t (n number);\n/\n")
    assert [(i.text, i.rerun) for i in found if isinstance(i, Statement)] == [
        ("create table t (n number)", False),
        ("create table t (n number)", True),
    ]


def test_blank_line_ends_a_sql_statement_without_running_it() -> None:
    found = items("select *\n\nfrom dual;\n")
    # SQL*Plus drops "select *" and then runs "from dual" on its own.
    assert [i.text for i in found if isinstance(i, Statement)] == ["from dual"]
    assert any(isinstance(i, Note) and i.location.line == 1 for i in found)


def test_slash_after_a_blank_line_runs_the_statement_the_blank_line_ended() -> None:
    assert statements("select 1\nfrom dual\n\n/\n") == ["select 1\nfrom dual"]


def test_sqlblanklines_on_keeps_blank_lines_in_statements() -> None:
    assert statements("set sqlblanklines on\nselect 1\n\nfrom dual;\n") == ["select 1\n\nfrom dual"]


def test_dot_ends_the_buffer_without_running_it() -> None:
    found = items("begin\n  null;\nend;\n.\n")
    assert not [i for i in found if isinstance(i, Statement)]


def test_comments_and_remarks_before_statements_are_not_statements() -> None:
    script = "-- a\nREM b\n/* c\n; */\n/* d */\nselect 1 from dual;\n"
    found = items(script)
    assert [(i.text, i.location.line) for i in found if isinstance(i, Statement)] == [
        ("select 1 from dual", 6)
    ]


def test_connect_exit_prompt_whenever_are_directives() -> None:
    found = items(
        "WHENEVER SQLERROR CONTINUE\nPROMPT Creating; tables\n"
        "CONNECT scott/tiger@db:1522/FREEPDB1;\nselect 1 from dual;\n"
        "whenever sqlerror exit sql.sqlcode rollback\nexit;\nselect 2 from dual;\n"
    )
    kinds = [type(i) for i in found]
    assert kinds == [OnError, Echo, Reconnect, Statement, OnError, Exit]
    on_error, echo, reconnect, _, stop, _ = found
    assert isinstance(on_error, OnError) and not on_error.stop
    assert isinstance(stop, OnError) and stop.stop
    assert isinstance(echo, Echo) and echo.text == "Creating; tables"
    assert isinstance(reconnect, Reconnect)
    assert (reconnect.user, reconnect.database) == ("scott", "db:1522/FREEPDB1")
    assert "tiger" not in repr(reconnect)
    assert redact("password tiger") == "password ***"


def test_abbreviated_commands_are_recognised() -> None:
    found = items("conn a/b\npro hello\nquit\n")
    assert [type(i) for i in found] == [Reconnect, Echo, Exit]


@pytest.mark.parametrize(("word", "status"), [("", 0), ("FAILURE", 1), ("3", 3)])
def test_exit_status(word: str, status: int) -> None:
    (found,) = items(f"exit {word}\n")
    assert isinstance(found, Exit) and found.status == status


def test_display_settings_are_ignored_with_a_note() -> None:
    found = items("set pagesize 0 feedback off\nspool out.log\nselect 1 from dual;\n")
    assert [type(i) for i in found] == [Note, Note, Statement]


def test_sql_set_statements_are_statements() -> None:
    assert statements("set transaction read only;\nset role all;\n") == [
        "set transaction read only",
        "set role all",
    ]


def test_execute_is_an_anonymous_block() -> None:
    assert statements("exec dbms_stats.gather_schema_stats('HR')\n") == [
        "BEGIN dbms_stats.gather_schema_stats('HR'); END;"
    ]


def test_substitution_variables_are_refused_unless_define_is_off() -> None:
    with pytest.raises(DbError) as refused:
        items("select '&name' from dual;\n")
    assert refused.value.kind is ErrorKind.UNSUPPORTED
    assert "<script>:1" in refused.value.message
    assert statements("set define off\nselect 'R&B' from dual;\n") == ["select 'R&B' from dual"]


def test_commands_that_change_what_runs_are_refused() -> None:
    with pytest.raises(DbError, match="DEFINE is not supported"):
        items("define x = 1\n")


def test_unterminated_last_statement_is_not_run() -> None:
    found = items("select 1 from dual;\nselect 2 from dual\n")
    assert [i.text for i in found if isinstance(i, Statement)] == ["select 1 from dual"]
    assert isinstance(found[-1], Note)


def test_unclosed_literal_is_an_error_naming_the_line() -> None:
    with pytest.raises(DbError, match="never closed"):
        items("select 1 from dual;\nselect 'oops from dual;\n")


def test_includes_at_relative_to_cwd_and_double_at_relative_to_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "main.sql").write_text("@@inner\n@outer.sql\nselect 3 from dual;\n")
    (sub / "inner.sql").write_text("select 1 from dual;\n")
    (tmp_path / "outer.sql").write_text("select 2 from dual;\n")
    monkeypatch.chdir(tmp_path)
    found = [i for i in split_script(sub / "main.sql", "oracle") if isinstance(i, Statement)]
    assert [(i.text, i.location.path.name) for i in found] == [
        ("select 1 from dual", "inner.sql"),
        ("select 2 from dual", "outer.sql"),
        ("select 3 from dual", "main.sql"),
    ]


def test_an_include_loop_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "a.sql").write_text("@@b\n")
    (tmp_path / "b.sql").write_text("@@a.sql\n")
    with pytest.raises(DbError, match="includes itself"):
        list(split_script(tmp_path / "a.sql", "oracle"))


def test_a_missing_include_names_the_including_line(tmp_path: Path) -> None:
    (tmp_path / "a.sql").write_text("select 1 from dual;\n@@missing\n")
    with pytest.raises(DbError) as missing:
        list(split_script(tmp_path / "a.sql", "oracle"))
    assert missing.value.kind is ErrorKind.NOT_FOUND
    assert "a.sql:2" in missing.value.message


def test_chinook_oracle_splits_into_what_sqlplus_runs(chinook_dir: Path) -> None:
    found = list(split_script(chinook_dir / "Chinook_Oracle.sql", "oracle"))
    run = [i for i in found if isinstance(i, Statement)]
    # 3 GRANTs, 11 CREATE TABLEs, 11 foreign keys, 24 INSERTs and the COMMIT;
    # CONNECT and exit are SQL*Plus's own commands.
    assert len(run) == 50
    assert run[0].text == "GRANT UNLIMITED TABLESPACE TO chinook"
    assert run[0].location.line == 19
    assert run[-1].text == "commit"
    assert [type(i) for i in found if not isinstance(i, Statement)] == [Reconnect, Exit]
    assert not any(i.rerun for i in run)
    inserts = [i for i in run if i.text.startswith("INSERT INTO Track")]
    assert len(inserts) == 4
    assert inserts[-1].text.endswith("0.99)")


def test_windows_line_ends() -> None:
    assert statements("select 1 from dual;\r\nbegin\r\n  null;\r\nend;\r\n/\r\n") == [
        "select 1 from dual",
        "begin\n  null;\nend;",
    ]


def test_a_script_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "latin1.sql"
    path.write_bytes("select 'caf\u00e9' from dual;\n".encode("latin-1"))
    with pytest.raises(DbError) as refused:
        list(split_script(path, "oracle"))
    assert refused.value.kind is ErrorKind.QUERY
    assert "not UTF-8" in refused.value.message
