"""The `q` query parameter OIC collections take: `{name:'ORDER', status:'ACTIVATED'}`,
and the monitoring time window.

OIC documents no escape for a quote inside a value, so a value holding `'` (or the
braces and commas that delimit the expression) is refused rather than sent mangled.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Literal

from flext_db_oracle.errors import DbError, ErrorKind

from flext_db_oracle_oic.resources import ADAPTER_NAME, ResourceType

TimeWindow = Literal["1h", "6h", "1d", "2d", "3d", "RETENTIONPERIOD"]
TIME_WINDOWS: tuple[TimeWindow, ...] = ("1h", "6h", "1d", "2d", "3d", "RETENTIONPERIOD")

# Monitoring instance statuses Oracle documents; the server may add others.
INSTANCE_STATUSES = (
    "COMPLETED",
    "FAILED",
    "ABORTED",
    "IN_PROGRESS",
    "RECOVERING",
    "RESUBMITTED",
    "SCHEDULE_WAITING",
    "SCHEDULE_PAUSED",
)
# Integration statuses a `status` filter may name.
INTEGRATION_STATUSES = ("CONFIGURED", "ACTIVATED", "FAILEDACTIVATION", "INPROGRESS")

_KEY = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
_FORBIDDEN_IN_VALUE = frozenset("'{},")


def render_q(resource: ResourceType, filters: Iterable[tuple[str, str]]) -> str | None:
    """The `q` value for `filters` (key, value pairs in order), None when empty."""
    terms: list[str] = []
    seen: set[str] = set()
    for key, value in filters:
        if not _KEY.fullmatch(key) or key not in resource.filter_keys:
            raise DbError(
                ErrorKind.QUERY,
                f"{resource.name} cannot be filtered by {key!r}; "
                f"filters: {', '.join(sorted(resource.filter_keys))}",
                adapter=ADAPTER_NAME,
            )
        if key in seen:
            raise DbError(
                ErrorKind.QUERY,
                f"filter {key!r} given twice; OIC takes one value per filter",
                adapter=ADAPTER_NAME,
            )
        if not value or _FORBIDDEN_IN_VALUE & set(value):
            raise DbError(
                ErrorKind.QUERY,
                f"filter {key}={value!r}: a value must be non-empty and hold none of ' {{ }} ,"
                " (the q syntax has no escape for them)",
                adapter=ADAPTER_NAME,
            )
        seen.add(key)
        terms.append(f"{key}:'{value}'")
    return "{" + ", ".join(terms) + "}" if terms else None


def utc_text(moment: datetime) -> str:
    """`moment` as the UTC `YYYY-MM-DD HH:MM:SS` that `startdate`/`enddate` take; a naive
    time means UTC."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")


def instance_window(
    *,
    since: datetime | None,
    until: datetime | None = None,
    overlap: timedelta = timedelta(0),
    window: TimeWindow | None = None,
) -> list[tuple[str, str]]:
    """The monitoring filters for a time range: `startdate`/`enddate` when a bound is
    given (the start moved back by `overlap`), else the named `timewindow`."""
    if since is None and until is None:
        return [("timewindow", window)] if window is not None else []
    if window is not None:
        raise DbError(
            ErrorKind.QUERY,
            "give either a time window or a since/until range, not both",
            adapter=ADAPTER_NAME,
        )
    terms: list[tuple[str, str]] = []
    if since is not None:
        terms.append(("startdate", utc_text(since - overlap)))
    if until is not None:
        terms.append(("enddate", utc_text(until)))
    return terms
