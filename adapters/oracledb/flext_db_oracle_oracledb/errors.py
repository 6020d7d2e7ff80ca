"""python-oracledb errors mapped onto the core taxonomy, by code.

`CODES` is the table: each ORA-, DPY- or DPI- code the adapters know, with its
`ErrorKind` and whether trying again may help. Codes Oracle reserves for
applications (ORA-20000 to ORA-20999, `raise_application_error`) are query
errors. A code the table lacks falls back on the driver's exception class.
Messages are never matched: the driver gives every error its code.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from flext_db_oracle.errors import DbError, ErrorKind

ADAPTER = "oracledb"

_C, _AUTHN, _AUTHZ, _T = (
    ErrorKind.CONNECTION,
    ErrorKind.AUTHENTICATION,
    ErrorKind.AUTHORIZATION,
    ErrorKind.TIMEOUT,
)
_Q, _I, _CFG, _NF = (
    ErrorKind.QUERY,
    ErrorKind.INTEGRITY,
    ErrorKind.CONFIGURATION,
    ErrorKind.NOT_FOUND,
)
_UNS, _INT = ErrorKind.UNSUPPORTED, ErrorKind.INTERNAL

# code -> (kind, retryable)
CODES: dict[str, tuple[ErrorKind, bool]] = {
    # the session or the network went away: a new connection may work
    "ORA-00018": (_C, True),  # maximum number of sessions exceeded
    "ORA-00020": (_C, True),  # maximum number of processes exceeded
    "ORA-00022": (_C, True),  # invalid session ID
    "ORA-00028": (_C, True),  # your session has been killed
    "ORA-00031": (_C, True),  # session marked for kill
    "ORA-00045": (_C, True),  # your session has been terminated
    "ORA-00257": (_C, True),  # archiver error, connect internal only until freed
    "ORA-01012": (_C, True),  # not logged on
    "ORA-01033": (_C, True),  # initialization or shutdown in progress
    "ORA-01034": (_C, True),  # ORACLE not available
    "ORA-01089": (_C, True),  # immediate shutdown or close in progress
    "ORA-01090": (_C, True),  # shutdown in progress
    "ORA-01092": (_C, True),  # instance terminated, disconnection forced
    "ORA-02396": (_C, True),  # exceeded maximum idle time
    "ORA-03113": (_C, True),  # end-of-file on communication channel
    "ORA-03114": (_C, True),  # not connected to ORACLE
    "ORA-03135": (_C, True),  # connection lost contact
    "ORA-12153": (_C, True),  # TNS: not connected
    "ORA-12505": (_C, True),  # listener does not know of the SID (yet)
    "ORA-12514": (_C, True),  # listener does not know of the service (yet)
    "ORA-12516": (_C, True),  # listener could not find an available handler
    "ORA-12518": (_C, True),  # listener could not hand off the connection
    "ORA-12519": (_C, True),  # no appropriate service handler found
    "ORA-12520": (_C, True),  # no handler for the requested server type
    "ORA-12521": (_C, True),  # instance unknown to the listener
    "ORA-12526": (_C, True),  # all instances in restricted mode
    "ORA-12527": (_C, True),  # instances in restricted mode or blocking
    "ORA-12528": (_C, True),  # instances blocking new connections
    "ORA-12537": (_C, True),  # TNS: connection closed
    "ORA-12541": (_C, True),  # no listener
    "ORA-12543": (_C, True),  # destination host unreachable
    "ORA-12545": (_C, False),  # target host or object does not exist
    "ORA-12547": (_C, True),  # lost contact
    "ORA-12560": (_C, True),  # protocol adapter error
    "ORA-12570": (_C, True),  # packet reader failure
    "ORA-12571": (_C, True),  # packet writer failure
    "ORA-12583": (_C, True),  # no reader
    "ORA-12592": (_C, True),  # bad packet
    "ORA-25408": (_C, True),  # cannot safely replay call
    "ORA-56600": (_C, True),  # DRCP: illegal call
    "DPY-1001": (_C, True),  # not connected to database
    "DPY-1002": (_C, False),  # connection pool is not open (closed by the program)
    "DPY-4011": (_C, True),  # the database or network closed the connection
    "DPY-4033": (_C, True),  # exceeded idle time
    "DPY-6000": (_C, True),  # listener refused connection
    "DPY-6001": (_C, True),  # service not registered with the listener (like ORA-12514)
    "DPY-6003": (_C, True),  # SID not registered with the listener (like ORA-12505)
    "DPY-6004": (_C, True),  # HTTPS proxy failure
    "DPY-6005": (_C, True),  # cannot connect to database
    # time limits
    "ORA-00051": (_T, True),  # timeout waiting for a resource
    "ORA-00054": (_T, True),  # resource busy (NOWAIT)
    "ORA-01013": (_T, True),  # user requested cancel (call timeout in thick mode)
    "ORA-03136": (_T, True),  # inbound connection timed out
    "ORA-03156": (_T, True),  # OCI call timed out
    "ORA-12170": (_T, True),  # TNS: connect timeout
    "ORA-30006": (_T, True),  # resource busy; WAIT timeout expired
    "DPY-4005": (_T, True),  # timed out waiting for the pool
    "DPY-4024": (_T, True),  # call timeout exceeded
    "DPI-1067": (_T, True),  # call timeout exceeded (thick)
    # who you are
    "ORA-01004": (_AUTHN, False),  # default username feature not supported
    "ORA-01005": (_AUTHN, False),  # null password given
    "ORA-01017": (_AUTHN, False),  # invalid username/password
    "ORA-01994": (_AUTHN, False),  # password file missing or disabled
    "ORA-12638": (_AUTHN, False),  # credential retrieval failed
    "ORA-28000": (_AUTHN, False),  # account locked
    "ORA-28001": (_AUTHN, False),  # password expired
    "ORA-28009": (_AUTHN, False),  # connection as SYS should be as SYSDBA or SYSOPER
    "ORA-28043": (_AUTHN, False),  # invalid bind credentials for DB-OID connection
    "ORA-28273": (_AUTHN, False),  # no mapping for user nickname to LDAP DN
    # what you may do
    "ORA-01031": (_AUTHZ, False),  # insufficient privileges
    "ORA-01045": (_AUTHZ, False),  # lacks CREATE SESSION privilege
    "ORA-01950": (_AUTHZ, False),  # no privileges on tablespace
    "ORA-28111": (_AUTHZ, False),  # insufficient privilege to evaluate policy predicate
    # missing objects
    "ORA-00942": (_NF, False),  # table or view does not exist
    "ORA-01403": (_NF, False),  # no data found
    "ORA-01918": (_NF, False),  # user does not exist
    "ORA-02289": (_NF, False),  # sequence does not exist
    "ORA-04043": (_NF, False),  # object does not exist
    "ORA-06564": (_NF, False),  # object does not exist (directory)
    "ORA-31603": (_NF, False),  # DBMS_METADATA: object not found
    # constraints
    "ORA-00001": (_I, False),  # unique constraint violated
    "ORA-01400": (_I, False),  # cannot insert NULL
    "ORA-01407": (_I, False),  # cannot update to NULL
    "ORA-01438": (_I, False),  # value larger than the column's precision
    "ORA-02290": (_I, False),  # check constraint violated
    "ORA-02291": (_I, False),  # parent key not found
    "ORA-02292": (_I, False),  # child record found
    "ORA-12899": (_I, False),  # value too large for column
    "DPY-8001": (_I, False),  # nulls not allowed
    # the statement (some are worth a retry: the same statement may pass next time)
    "ORA-00060": (_Q, True),  # deadlock detected
    "ORA-01555": (_Q, True),  # snapshot too old
    "ORA-04061": (_Q, True),  # existing state of package has been invalidated
    "ORA-04068": (_Q, True),  # existing state of packages has been discarded
    "ORA-08177": (_Q, True),  # can't serialize access for this transaction
    "ORA-00900": (_Q, False),  # invalid SQL statement
    "ORA-00904": (_Q, False),  # invalid identifier
    "ORA-00905": (_Q, False),  # missing keyword
    "ORA-00907": (_Q, False),  # missing right parenthesis
    "ORA-00911": (_Q, False),  # invalid character
    "ORA-00917": (_Q, False),  # missing comma
    "ORA-00923": (_Q, False),  # FROM keyword not found where expected
    "ORA-00932": (_Q, False),  # inconsistent datatypes
    "ORA-00933": (_Q, False),  # SQL command not properly ended
    "ORA-00936": (_Q, False),  # missing expression
    "ORA-00955": (_Q, False),  # name is already used by an existing object
    "ORA-01002": (_Q, False),  # fetch out of sequence
    "ORA-01008": (_Q, False),  # not all variables bound
    "ORA-01722": (_Q, False),  # invalid number
    "ORA-01843": (_Q, False),  # invalid month
    "ORA-01861": (_Q, False),  # literal does not match format string
    "ORA-06502": (_Q, False),  # PL/SQL numeric or value error
    "ORA-06550": (_Q, False),  # PL/SQL compilation error
    "ORA-24344": (_Q, False),  # success with compilation error
    "ORA-24381": (_Q, False),  # error(s) in array DML
    "ORA-38902": (_Q, False),  # too many batch errors
    "DPY-1003": (_Q, False),  # the executed statement does not return rows
    "DPY-1004": (_Q, False),  # no statement executed
    "DPY-2006": (_Q, False),  # mixed positional and named binds
    "DPY-4004": (_Q, False),  # invalid number
    "DPY-4008": (_Q, False),  # no bind placeholder named
    "DPY-4010": (_Q, False),  # a bind variable replacement value was not provided
    "DPY-4029": (_Q, False),  # too many batch errors
    "DPY-8000": (_Q, False),  # value too large
    # the set-up
    "ORA-00439": (_UNS, False),  # feature not enabled
    "ORA-03001": (_UNS, False),  # unimplemented feature
    "ORA-12154": (_CFG, False),  # could not resolve the connect identifier
    "ORA-12162": (_CFG, False),  # net service name incorrectly specified
    "ORA-28040": (_CFG, False),  # no matching authentication protocol
    "DPY-2017": (_CFG, False),  # Oracle Client library already initialized
    "DPY-2018": (_CFG, False),  # wallet file missing
    "DPY-2019": (_CFG, False),  # thick mode after a thin connection
    "DPY-2021": (_CFG, False),  # init_oracle_client not called
    "DPY-2023": (_CFG, False),  # invalid connection class
    "DPY-2025": (_CFG, False),  # invalid connect parameters
    "DPY-2027": (_CFG, False),  # invalid pool parameters
    "DPY-2049": (_CFG, False),  # no address in the connect descriptor
    "DPY-2053": (_CFG, False),  # thin mode after thick mode
    "DPY-2059": (_CFG, False),  # no connect descriptor
    "DPY-3001": (_UNS, False),  # feature not supported in thin mode
    "DPY-3010": (_CFG, False),  # server version not supported in thin mode
    "DPY-3015": (_CFG, False),  # password verifier not supported in thin mode
    "DPY-4000": (_CFG, False),  # TNS alias not found
    "DPY-4001": (_CFG, False),  # no credentials given
    "DPY-4017": (_CFG, False),  # invalid connect descriptor
    "DPY-4018": (_CFG, False),  # cannot parse the connect string
    "DPY-4021": (_CFG, False),  # invalid protocol
    "DPY-4026": (_CFG, False),  # file missing (tnsnames.ora)
    "DPY-4027": (_CFG, False),  # no configuration directory
    "DPY-6002": (_CFG, False),  # server certificate DN mismatch
    "DPY-6006": (_CFG, False),  # invalid server name
    "DPY-6008": (_CFG, False),  # server certificate verification failed
    "DPI-1047": (_CFG, False),  # Oracle Client library cannot be loaded
    "DPI-1050": (_CFG, False),  # Oracle Client library too old
    "DPI-1072": (_CFG, False),  # Oracle Client library version unsupported
    "ORA-00600": (_INT, False),  # internal error
    "ORA-07445": (_INT, False),  # exception encountered: core dump
}

_THICK_HINT = (
    "; this needs thick mode: use the thick adapter (oracle+thick://) with Oracle Client "
    "libraries (FLEXT_DB_ORACLE_ORACLEDB_LIB_DIR)"
)
_CLIENT_HINT = (
    "; install Oracle Instant Client 64-bit (Basic or Basic Light, 19c or newer) and set "
    "FLEXT_DB_ORACLE_ORACLEDB_LIB_DIR to its directory (Linux: or LD_LIBRARY_PATH), "
    "or use the thin adapter (oracle:// or oracle+thin://), which needs no client"
)
HINTS: dict[str, str] = {
    "DPY-3001": _THICK_HINT,
    "DPY-3010": _THICK_HINT,
    "DPY-3015": _THICK_HINT,
    "ORA-28040": _THICK_HINT,
    "DPI-1047": _CLIENT_HINT,
    "DPI-1072": _CLIENT_HINT,
    "DPY-2019": (
        "; a process that made a thin connection cannot switch to thick mode: run the thick "
        "adapter in its own process"
    ),
    "DPY-2053": "; a process in thick mode cannot use the thin adapter: run it in its own process",
    "DPY-4000": "; check FLEXT_DB_ORACLE_ORACLEDB_CONFIG_DIR or TNS_ADMIN (tnsnames.ora)",
    "DPY-4027": "; set FLEXT_DB_ORACLE_ORACLEDB_CONFIG_DIR or TNS_ADMIN to the tnsnames.ora folder",
}

_FALLBACK_BY_CLASS = {
    "IntegrityError": _I,
    "ProgrammingError": _Q,
    "DataError": _Q,
    "NotSupportedError": _UNS,
    "OperationalError": _C,
    "InterfaceError": _INT,
    "InternalError": _INT,
}


def classify(code: str) -> tuple[ErrorKind, bool] | None:
    """The table's answer for `code` (`ORA-00942`), or None when it has none."""
    if code in CODES:
        return CODES[code]
    if code.startswith("ORA-") and code[4:].isdigit() and 20000 <= int(code[4:]) <= 20999:
        return _Q, False
    return None


def _driver_errors(exc: BaseException) -> Iterator[tuple[BaseException, Any]]:
    """Each exception in the cause chain with its driver `_Error` (or None)."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        args = getattr(current, "args", ())
        error = args[0] if args and hasattr(args[0], "full_code") else None
        yield current, error
        current = current.__cause__ or current.__context__


def codes_of(error: Any) -> list[str]:
    """The codes one driver error carries: the Oracle one (`ORA-03113`) first, then the
    driver's (`DPY-4011`), which python-oracledb puts over some Oracle errors."""
    codes: list[str] = []
    if getattr(error, "code", 0):
        codes.append(f"ORA-{error.code:05d}")
    full_code = getattr(error, "full_code", "") or ""
    if full_code and full_code not in codes:
        codes.append(full_code)
    return codes


def to_db_error(exc: BaseException, adapter: str = ADAPTER) -> DbError:
    """Map any exception raised by python-oracledb (or around it) to a `DbError`."""
    if isinstance(exc, DbError):
        return exc
    chain = list(_driver_errors(exc))
    top_exc, top_error = chain[0]
    if top_error is None:
        return _from_python_error(exc, adapter)
    codes = codes_of(top_error)
    code = codes[0] if codes else None
    found = next((hit for c in codes if (hit := classify(c)) is not None), None)
    kind, retryable = found or (
        _FALLBACK_BY_CLASS.get(type(top_exc).__name__, _INT),
        bool(getattr(top_error, "isrecoverable", False)),
    )
    detail: dict[str, Any] = {}
    if len(codes) > 1:
        detail["driver_code"] = codes[1]
    # "cannot connect" (DPY-6005) says why in its cause: a timeout or a closed link
    for cause_exc, cause_error in chain[1:]:
        if cause_error is not None and (cause_codes := codes_of(cause_error)):
            detail.setdefault("cause_code", cause_codes[0])
            cause = classify(cause_codes[0])
            if cause is not None and cause[0] is _T:
                kind, retryable = cause
        elif isinstance(cause_exc, TimeoutError):
            kind, retryable = _T, True
    offset = getattr(top_error, "offset", 0)
    if offset:
        detail["offset"] = offset
    message = str(top_error.message).split("\nHelp:", 1)[0]
    message += next((HINTS[c] for c in codes if c in HINTS), "")
    return DbError(kind, message, code=code, retryable=retryable, adapter=adapter, detail=detail)


def _from_python_error(exc: BaseException, adapter: str) -> DbError:
    name = type(exc).__name__
    if isinstance(exc, TimeoutError):
        return DbError(_T, f"{name}: {exc}", adapter=adapter)
    if isinstance(exc, OSError):
        return DbError(_C, f"{name}: {exc}", adapter=adapter)
    if isinstance(exc, (TypeError, ValueError)):
        return DbError(_Q, f"{name}: {exc}", adapter=adapter)
    return DbError(_INT, f"{name}: {exc}", adapter=adapter)
