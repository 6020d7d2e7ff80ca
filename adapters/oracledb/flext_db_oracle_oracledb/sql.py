"""Every SQL statement the Oracle adapters send, in one place.

A test walks `STATEMENTS` (and the builders below with sample identifiers):
each must parse with sqlglot's Oracle dialect, and each dictionary query must
qualify against the dictionary views' columns as Oracle documents them. User
identifiers are always binds (`:owner`, `:name`) in these; the only text built
from user input is in the builders, from identifiers validated by `names`.

The dictionary queries come in pairs: `ALL_*` views (what the user may see in any
schema) and `USER_*` views (the user's own schema), the fallback where access to
the `ALL_*` views is revoked.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

# The session's formats, set once per new session: ISO text for TIMESTAMP WITH
# TIME ZONE (read back by `types.aware_timestamp`) and the session time zone.
SESSION_SETUP = (
    "ALTER SESSION SET NLS_TIMESTAMP_TZ_FORMAT = 'YYYY-MM-DD\"T\"HH24:MI:SS.FF6TZH:TZM' "
    "TIME_ZONE = '{time_zone}'"
)

CURRENT_SCHEMA = "SELECT SYS_CONTEXT('USERENV', 'CURRENT_SCHEMA') AS current_schema FROM dual"

SERVER_BANNER = "SELECT banner_full FROM v$version WHERE ROWNUM = 1"

NLS_SESSION = "SELECT parameter, value FROM nls_session_parameters ORDER BY parameter"

DDL = "SELECT DBMS_METADATA.GET_DDL(:object_type, :name, :owner) AS ddl FROM dual"


@dataclass(frozen=True)
class DictionaryQuery:
    """One dictionary question, asked of the `ALL_*` views or of the `USER_*` views."""

    all_views: str
    user_views: str


SCHEMAS = DictionaryQuery(
    all_views="SELECT username FROM all_users ORDER BY username",
    user_views="SELECT username FROM user_users ORDER BY username",
)

# Tables (without the containers of materialized views, nested tables, IOT
# overflow and mapping tables, secondary objects and the recycle bin), views, materialized views.
TABLES = DictionaryQuery(
    all_views="""
SELECT t.table_name AS name, 'table' AS kind
FROM all_tables t
WHERE t.owner = :owner
  AND t.nested = 'NO' AND t.secondary = 'N' AND t.dropped = 'NO'
  AND (t.iot_type IS NULL OR t.iot_type NOT IN ('IOT_OVERFLOW', 'IOT_MAPPING'))
  AND NOT EXISTS (
    SELECT 1 FROM all_mviews m WHERE m.owner = t.owner AND m.mview_name = t.table_name
  )
UNION ALL
SELECT v.view_name AS name, 'view' AS kind FROM all_views v WHERE v.owner = :owner
UNION ALL
SELECT m.mview_name AS name, 'materialized_view' AS kind FROM all_mviews m WHERE m.owner = :owner
ORDER BY name
""",
    user_views="""
SELECT t.table_name AS name, 'table' AS kind
FROM user_tables t
WHERE t.nested = 'NO' AND t.secondary = 'N' AND t.dropped = 'NO'
  AND (t.iot_type IS NULL OR t.iot_type NOT IN ('IOT_OVERFLOW', 'IOT_MAPPING'))
  AND NOT EXISTS (SELECT 1 FROM user_mviews m WHERE m.mview_name = t.table_name)
UNION ALL
SELECT v.view_name AS name, 'view' AS kind FROM user_views v
UNION ALL
SELECT m.mview_name AS name, 'materialized_view' AS kind FROM user_mviews m
ORDER BY name
""",
)

# The object a user's name designates: `:folded` (unquoted names fold to upper
# case) is preferred over `:exact` (a quoted mixed-case name), one round trip.
FIND_OBJECT = DictionaryQuery(
    all_views="""
SELECT o.object_name, o.object_type
FROM all_objects o
WHERE o.owner = :owner AND o.object_name IN (:folded, :exact)
  AND o.object_type IN ('TABLE', 'VIEW', 'MATERIALIZED VIEW')
ORDER BY CASE WHEN o.object_name = :folded THEN 0 ELSE 1 END,
  CASE o.object_type WHEN 'MATERIALIZED VIEW' THEN 0 ELSE 1 END
""",
    user_views="""
SELECT o.object_name, o.object_type
FROM user_objects o
WHERE o.object_name IN (:folded, :exact)
  AND o.object_type IN ('TABLE', 'VIEW', 'MATERIALIZED VIEW')
ORDER BY CASE WHEN o.object_name = :folded THEN 0 ELSE 1 END,
  CASE o.object_type WHEN 'MATERIALIZED VIEW' THEN 0 ELSE 1 END
""",
)

TABLE_COMMENT = DictionaryQuery(
    all_views="""
SELECT c.comments FROM all_tab_comments c WHERE c.owner = :owner AND c.table_name = :name
UNION ALL
SELECT m.comments FROM all_mview_comments m WHERE m.owner = :owner AND m.mview_name = :name
""",
    user_views="""
SELECT c.comments FROM user_tab_comments c WHERE c.table_name = :name
UNION ALL
SELECT m.comments FROM user_mview_comments m WHERE m.mview_name = :name
""",
)

COLUMNS = DictionaryQuery(
    all_views="""
SELECT c.column_name, c.data_type, c.data_length, c.char_length, c.char_used,
  c.data_precision, c.data_scale, c.nullable, c.data_default, cc.comments
FROM all_tab_columns c
LEFT JOIN all_col_comments cc
  ON cc.owner = c.owner AND cc.table_name = c.table_name AND cc.column_name = c.column_name
WHERE c.owner = :owner AND c.table_name = :name
ORDER BY c.column_id
""",
    user_views="""
SELECT c.column_name, c.data_type, c.data_length, c.char_length, c.char_used,
  c.data_precision, c.data_scale, c.nullable, c.data_default, cc.comments
FROM user_tab_columns c
LEFT JOIN user_col_comments cc
  ON cc.table_name = c.table_name AND cc.column_name = c.column_name
WHERE c.table_name = :name
ORDER BY c.column_id
""",
)

# Primary, unique, foreign-key and check constraints with their columns in order;
# a foreign key's referenced columns come from the constraint it references.
CONSTRAINTS = DictionaryQuery(
    all_views="""
SELECT k.constraint_name, k.constraint_type, k.search_condition, cc.column_name,
  cc.position, r.owner AS r_owner, r.table_name AS r_table_name, rc.column_name AS r_column_name
FROM all_constraints k
LEFT JOIN all_cons_columns cc
  ON cc.owner = k.owner AND cc.constraint_name = k.constraint_name
LEFT JOIN all_constraints r
  ON r.owner = k.r_owner AND r.constraint_name = k.r_constraint_name
LEFT JOIN all_cons_columns rc
  ON rc.owner = r.owner AND rc.constraint_name = r.constraint_name AND rc.position = cc.position
WHERE k.owner = :owner AND k.table_name = :name AND k.constraint_type IN ('P', 'U', 'R', 'C')
ORDER BY k.constraint_name, cc.position
""",
    user_views="""
SELECT k.constraint_name, k.constraint_type, k.search_condition, cc.column_name,
  cc.position, r.owner AS r_owner, r.table_name AS r_table_name, rc.column_name AS r_column_name
FROM user_constraints k
LEFT JOIN user_cons_columns cc ON cc.constraint_name = k.constraint_name
LEFT JOIN all_constraints r
  ON r.owner = k.r_owner AND r.constraint_name = k.r_constraint_name
LEFT JOIN all_cons_columns rc
  ON rc.owner = r.owner AND rc.constraint_name = r.constraint_name AND rc.position = cc.position
WHERE k.table_name = :name AND k.constraint_type IN ('P', 'U', 'R', 'C')
ORDER BY k.constraint_name, cc.position
""",
)

INDEXES = DictionaryQuery(
    all_views="""
SELECT i.index_name, i.uniqueness, ic.column_name, ic.column_position
FROM all_indexes i
JOIN all_ind_columns ic ON ic.index_owner = i.owner AND ic.index_name = i.index_name
WHERE i.table_owner = :owner AND i.table_name = :name AND i.index_type <> 'LOB'
ORDER BY i.index_name, ic.column_position
""",
    user_views="""
SELECT i.index_name, i.uniqueness, ic.column_name, ic.column_position
FROM user_indexes i
JOIN user_ind_columns ic ON ic.index_name = i.index_name
WHERE i.table_name = :name AND i.index_type <> 'LOB'
ORDER BY i.index_name, ic.column_position
""",
)

SEQUENCES = DictionaryQuery(
    all_views="""
SELECT s.sequence_name, s.min_value, s.max_value, s.increment_by, s.cycle_flag, s.last_number
FROM all_sequences s
WHERE s.sequence_owner = :owner
ORDER BY s.sequence_name
""",
    user_views="""
SELECT s.sequence_name, s.min_value, s.max_value, s.increment_by, s.cycle_flag, s.last_number
FROM user_sequences s
ORDER BY s.sequence_name
""",
)

# A schema's synonyms with what each finally names: the chain (a synonym of a
# synonym...) is followed by CONNECT BY and its last link kept. NOCYCLE stops a
# looping chain; a link to a remote database (db_link) ends the chain.
SYNONYMS = DictionaryQuery(
    all_views="""
SELECT CONNECT_BY_ROOT s.synonym_name AS synonym_name, s.table_owner, s.table_name, s.db_link
FROM all_synonyms s
WHERE CONNECT_BY_ISLEAF = 1
START WITH s.owner = :owner
CONNECT BY NOCYCLE PRIOR s.table_owner = s.owner AND PRIOR s.table_name = s.synonym_name
  AND PRIOR s.db_link IS NULL
ORDER BY synonym_name
""",
    user_views="""
SELECT CONNECT_BY_ROOT s.synonym_name AS synonym_name, s.table_owner, s.table_name, s.db_link
FROM user_synonyms s
WHERE CONNECT_BY_ISLEAF = 1
START WITH s.synonym_name IS NOT NULL
CONNECT BY NOCYCLE PRIOR s.table_owner = SYS_CONTEXT('USERENV', 'CURRENT_SCHEMA')
  AND PRIOR s.table_name = s.synonym_name AND PRIOR s.db_link IS NULL
ORDER BY synonym_name
""",
)

DICTIONARY: dict[str, DictionaryQuery] = {
    "schemas": SCHEMAS,
    "tables": TABLES,
    "find_object": FIND_OBJECT,
    "table_comment": TABLE_COMMENT,
    "columns": COLUMNS,
    "constraints": CONSTRAINTS,
    "indexes": INDEXES,
    "sequences": SEQUENCES,
    "synonyms": SYNONYMS,
}

STATEMENTS: dict[str, str] = {
    "current_schema": CURRENT_SCHEMA,
    "server_banner": SERVER_BANNER,
    "nls_session": NLS_SESSION,
    "ddl": DDL,
    **{f"{key}.all": query.all_views for key, query in DICTIONARY.items()},
    **{f"{key}.user": query.user_views for key, query in DICTIONARY.items()},
}


def session_setup(time_zone: str) -> str:
    """`SESSION_SETUP` for a time zone already checked by `types.parse_time_zone`."""
    return SESSION_SETUP.format(time_zone=time_zone)


def insert_rows(qualified_table: str, quoted_columns: Sequence[str]) -> str:
    """An array-DML INSERT; the identifiers come quoted from `names.quote`. Rows are
    sequences, bound by position whatever the placeholders' names."""
    binds = ", ".join(f":c{position}" for position in range(1, len(quoted_columns) + 1))
    return f"INSERT INTO {qualified_table} ({', '.join(quoted_columns)}) VALUES ({binds})"
