"""Incremental reads by `mod_ts`: an overlap window, de-duplication by `id`, a state file.

A read from `since` asks for `mod_ts__gte = since - overlap`, ordered by `id` (an order
that a change of `mod_ts` does not disturb). Before the first page it asks the server for
the newest `mod_ts` (the start mark): whatever changes while the pages are read is newer,
so the next run starts from the start mark minus the overlap and sees it. Records read at
or after that point are remembered as `id -> mod_ts` (the overlap window only, not the
whole entity), so the next run skips a version it already delivered and returns a record
that changed since. Within a run, a record served again after an offset shift (an id not
above the highest seen) is skipped; memory stays constant.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from flext_db_oracle.errors import DbError, ErrorKind
from pydantic import AwareDatetime, BaseModel, ConfigDict

from flext_db_oracle_wms.describe import ADAPTER

CHANGE_FIELD = "mod_ts"
KEY_FIELD = "id"


def as_utc(moment: datetime) -> datetime:
    """An aware datetime; a naive one is read as UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def parse_timestamp(value: Any) -> datetime:
    if not isinstance(value, str):
        raise DbError(
            ErrorKind.CONNECTION,
            f"record without a {CHANGE_FIELD} timestamp: {value!r}",
            retryable=False,
            adapter=ADAPTER,
        )
    try:
        return as_utc(datetime.fromisoformat(value))
    except ValueError:
        raise DbError(
            ErrorKind.CONNECTION,
            f"{CHANGE_FIELD} {value!r} is not an ISO 8601 timestamp",
            retryable=False,
            adapter=ADAPTER,
        ) from None


class IncrementalState(BaseModel):
    """What a state file keeps between runs of one entity."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    source: str
    high_water_mark: AwareDatetime
    delivered: dict[str, str] = {}


def load_state(path: Path, source: str) -> IncrementalState | None:
    """The state in `path` (None when the file does not exist yet)."""
    if not path.exists():
        return None
    try:
        state = IncrementalState.model_validate_json(path.read_bytes())
    except (OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not a state file"
        raise DbError(
            ErrorKind.CONFIGURATION, f"cannot read state file {path}: {reason}", adapter=ADAPTER
        ) from None
    if state.source != source:
        raise DbError(
            ErrorKind.CONFIGURATION,
            f"state file {path} belongs to entity {state.source!r}, not {source!r}",
            adapter=ADAPTER,
        )
    return state


def save_state(path: Path, state: IncrementalState) -> None:
    """Write `state` atomically: a crash leaves the old file or the new one, never half."""
    partial = path.with_name(path.name + ".partial")
    try:
        partial.write_text(json.dumps(state.model_dump(mode="json"), indent=1), encoding="utf-8")
        partial.replace(path)
    except OSError as exc:
        raise DbError(
            ErrorKind.CONFIGURATION,
            f"cannot write state file {path}: {exc.strerror}",
            adapter=ADAPTER,
        ) from None


@dataclass
class IncrementalWindow:
    """One incremental run: decides which records to emit and computes the next state."""

    source: str
    since: datetime
    overlap: timedelta
    start_mark: datetime | None = None
    previous: dict[str, str] = field(default_factory=dict)
    delivered: dict[str, str] = field(default_factory=dict)
    _highest_id: int | None = None

    @property
    def lower_bound(self) -> datetime:
        """What this run asks for: `mod_ts >= lower_bound`."""
        return as_utc(self.since) - self.overlap

    @property
    def next_mark(self) -> datetime:
        return self.start_mark if self.start_mark is not None else as_utc(self.since)

    def admit(self, record: dict[str, Any]) -> bool:
        """Whether to emit `record` (records arrive in ascending `id` order)."""
        key = record.get(KEY_FIELD)
        if not isinstance(key, int) or isinstance(key, bool):
            raise DbError(
                ErrorKind.CONNECTION,
                f"record without an integer {KEY_FIELD}: {key!r}",
                retryable=False,
                adapter=ADAPTER,
            )
        if self._highest_id is not None and key <= self._highest_id:
            return False  # served again after an offset shift: already emitted in this run
        self._highest_id = key
        stamp = record.get(CHANGE_FIELD)
        if parse_timestamp(stamp) >= self.next_mark - self.overlap:
            self.delivered[str(key)] = str(stamp)
        return self.previous.get(str(key)) != stamp

    def state(self) -> IncrementalState:
        return IncrementalState(
            source=self.source, high_water_mark=self.next_mark, delivered=self.delivered
        )
