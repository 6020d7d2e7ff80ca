"""Every statement the Oracle adapters send parses with sqlglot's Oracle dialect, and
every dictionary query qualifies against the dictionary views' documented columns."""

from __future__ import annotations

import pytest
import sqlglot
from flext_db_oracle_oracledb import sql
from sqlglot import exp
from sqlglot.optimizer.qualify import qualify
from sqlglot.tokens import TokenType

from tests.adapters.oracledb.dictionary_schema import DICTIONARY_VIEWS

# Oracle pseudo-columns: they belong to the query, not to any view.
PSEUDO_COLUMNS = frozenset({"CONNECT_BY_ISLEAF", "LEVEL", "ROWNUM"})


def _without_pseudo_columns(tree: exp.Expression) -> exp.Expression:
    def replace(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Column) and not node.table and node.name.upper() in PSEUDO_COLUMNS:
            return exp.Literal.number(1)
        return node

    return tree.transform(replace)


def check_against_dictionary(statement: str) -> exp.Expression:
    """Parse `statement`; a view missing from the dictionary schema is a LookupError, a
    column missing from its view an OptimizeError."""
    tree = sqlglot.parse_one(statement, read="oracle")
    unknown = {table.name.upper() for table in tree.find_all(exp.Table)} - set(DICTIONARY_VIEWS)
    if unknown:
        raise LookupError(f"views not in the dictionary schema: {sorted(unknown)}")
    qualify(
        _without_pseudo_columns(tree),
        schema=DICTIONARY_VIEWS,
        dialect="oracle",
        validate_qualify_columns=True,
    )
    return tree


@pytest.mark.parametrize("key", sorted(sql.STATEMENTS))
def test_statement_parses_and_qualifies(key: str) -> None:
    tree = check_against_dictionary(sql.STATEMENTS[key])
    assert not isinstance(tree, exp.Command), f"{key} fell back to an unparsed command"


def test_every_dictionary_query_is_in_the_walk() -> None:
    walked = set(sql.STATEMENTS.values())
    for query in sql.DICTIONARY.values():
        assert query.all_views in walked
        assert query.user_views in walked


@pytest.mark.parametrize(
    "statement",
    [
        "SELECT c.colum_name FROM all_tab_columns c",
        "SELECT s.sequence_owner FROM user_sequences s",
        "SELECT t.table_name FROM all_table t",
    ],
)
def test_a_misspelt_view_or_column_fails_the_check(statement: str) -> None:
    with pytest.raises((LookupError, sqlglot.errors.OptimizeError)):
        check_against_dictionary(statement)


def test_bulk_insert_statement_parses() -> None:
    statement = sql.insert_rows('"HR"."EMPLOYEES"', ['"ID"', '"Name"'])
    tree = sqlglot.parse_one(statement, read="oracle")
    assert isinstance(tree, exp.Insert)
    assert tree.this.this.name == "EMPLOYEES"
    assert [column.name for column in tree.this.expressions] == ["ID", "Name"]


def test_session_setup_is_one_alter_session_with_literal_values() -> None:
    # sqlglot has no grammar for ALTER SESSION: check its tokens instead.
    statement = sql.session_setup("Europe/Paris")
    tokens = sqlglot.tokenize(statement, read="oracle")
    assert [t.text.upper() for t in tokens[:3]] == ["ALTER", "SESSION", "SET"]
    rest = tokens[3:]
    assert len(rest) % 3 == 0
    for name, equals, value in zip(rest[::3], rest[1::3], rest[2::3], strict=True):
        assert name.token_type is TokenType.VAR
        assert equals.token_type is TokenType.EQ
        assert value.token_type is TokenType.STRING
    assert [t.text for t in rest[::3]] == ["NLS_TIMESTAMP_TZ_FORMAT", "TIME_ZONE"]
    assert rest[-1].text == "Europe/Paris"
