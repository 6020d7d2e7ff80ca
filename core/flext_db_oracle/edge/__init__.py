"""The adapter edge kit: what every adapter would otherwise write again.

- `guarded` runs a driver call and turns any exception into `Failure(DbError)`
  through the adapter's error mapper;
- `ConnectionPinning` pins one connection to the current context for a
  transaction, given the driver's acquire/begin/commit/rollback/release;
- `statements` checks and parses statement text once per distinct statement;
- `within_deadline` bounds a blocking driver call the driver cannot bound itself.

An adapter then writes only its driver-specific parts: connect, execute, fetch,
introspect, and its error table.
"""

from flext_db_oracle.edge.calls import ErrorMapper, guarded, guarded_call
from flext_db_oracle.edge.deadlines import within_deadline
from flext_db_oracle.edge.statements import ParsedStatement, parse_statement
from flext_db_oracle.edge.transactions import ConnectionPinning, Pinned, active_transaction

__all__ = [
    "ConnectionPinning",
    "ErrorMapper",
    "ParsedStatement",
    "Pinned",
    "active_transaction",
    "guarded",
    "guarded_call",
    "parse_statement",
    "within_deadline",
]
