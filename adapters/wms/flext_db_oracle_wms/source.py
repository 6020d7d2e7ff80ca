"""`WmsRecordSource`: Oracle WMS Cloud entities as a record source, plus Integration API writes.

Sources are the entities (`/entity/{name}`); `describe` reads `/entity/{name}/describe/`;
`read` streams `/entity/{name}` page by page. Writes are the Integration API's
form-encoded operations, as direct methods (`run_operation`).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from flext_db_oracle.edge import guarded
from flext_db_oracle.errors import DbError, ErrorKind
from flext_db_oracle.logs import get_logger
from flext_db_oracle.models import ReadRequest, SourceRef, TableMetadata
from flext_db_oracle.ports import RowStream
from flext_db_oracle_http.client import HttpClient
from returns.result import Failure, Result, Success

from flext_db_oracle_wms.catalogue import ENTITIES
from flext_db_oracle_wms.describe import ADAPTER, ENTITY_NAME, entity_metadata, listed_entities
from flext_db_oracle_wms.incremental import (
    CHANGE_FIELD,
    KEY_FIELD,
    IncrementalWindow,
    load_state,
    parse_timestamp,
    save_state,
)
from flext_db_oracle_wms.operations import OperationOutcome, run_operation
from flext_db_oracle_wms.paging import Page, QueryParams, fetch_page, following_pages
from flext_db_oracle_wms.settings import WmsSettings
from flext_db_oracle_wms.stream import EntityStream

_FILTER_KEY = re.compile(r"[a-z][a-z0-9_]*(__[a-z0-9_]+)*")
_RESERVED = frozenset({"fields", "ordering", "page_size", "page_mode", "page_nbr", "page"})
_NOT_OFFERED = frozenset({ErrorKind.NOT_FOUND, ErrorKind.UNSUPPORTED})
_CONTEXT = (("company_code", "company_id"), ("facility_code", "facility_id"))


def _unexpected(exc: BaseException) -> DbError:
    return DbError(ErrorKind.INTERNAL, f"{type(exc).__name__}: {exc}", adapter=ADAPTER)


def _query_error(message: str) -> DbError:
    return DbError(ErrorKind.QUERY, message, adapter=ADAPTER)


def _entity_path(source: str) -> str:
    if not ENTITY_NAME.fullmatch(source):
        raise _query_error(f"{source!r} is not a WMS entity name (lower case, digits, _)")
    return f"entity/{source}/"


class WmsRecordSource:
    """The `wms` record source over one HTTP client. Thread-safe; `close()` it."""

    name = ADAPTER

    def __init__(self, settings: WmsSettings) -> None:
        self.settings = settings
        # One client for both APIs: one pool, one token (the kit keeps credentials on
        # BASE_URL's origin, so the Integration API must live there too, as it does).
        self._client = HttpClient(settings, adapter=ADAPTER)
        self._described: dict[str, TableMetadata] = {}
        self._lock = threading.Lock()

    # --- the port -------------------------------------------------------------------

    def list_sources(self) -> Result[list[SourceRef], DbError]:
        """The server's `/entity/` listing; the shipped catalogue where it lists none."""
        listing = self._client.get_json("entity/")
        if isinstance(listing, Failure):
            if listing.failure().kind in _NOT_OFFERED:
                return Success([SourceRef(name=name) for name in ENTITIES])
            return Failure(listing.failure())
        return guarded(_unexpected, lambda: self._cross_checked(listing.unwrap()))

    def describe(self, source: str) -> Result[TableMetadata, DbError]:
        return guarded(_unexpected, lambda: self._describe(source))

    def read(self, source: str, request: ReadRequest) -> Result[RowStream, DbError]:
        """Rows of `source`; with `request.since`, an incremental read (see `incremental`)."""
        return guarded(_unexpected, lambda: self._open(source, request, None))

    def read_incremental(
        self, source: str, request: ReadRequest, state_file: Path
    ) -> Result[RowStream, DbError]:
        """An incremental read that starts from `state_file`'s mark (else `request.since`)
        and saves the next mark there once every page has been read."""
        return guarded(_unexpected, lambda: self._open(source, request, state_file))

    def close(self) -> Result[None, DbError]:
        self._client.close()
        return Success(None)

    # --- writes -----------------------------------------------------------------------

    def run_operation(
        self, operation: str, values: Mapping[str, Any]
    ) -> Result[OperationOutcome, DbError]:
        """One Integration API operation (a POST: never retried, see the HTTP kit)."""
        return run_operation(self._client, self.settings, operation, values)

    # --- internals ----------------------------------------------------------------------

    def _cross_checked(self, document: Any) -> list[SourceRef]:
        listed = listed_entities(document, "entity/")
        unknown = sorted(set(listed) - set(ENTITIES))
        if unknown:
            get_logger("flext_db_oracle.wms").info("wms.entities_not_in_catalogue", names=unknown)
        return [
            SourceRef(name=name, description=None if name in ENTITIES else "not in the catalogue")
            for name in listed
        ]

    def _describe(self, source: str) -> TableMetadata:
        with self._lock:
            if source in self._described:
                return self._described[source]
        path = _entity_path(source) + "describe/"
        answer = self._client.get_json(path)
        if isinstance(answer, Failure):
            raise answer.failure()
        metadata = entity_metadata(source, answer.unwrap(), path)
        with self._lock:
            self._described[source] = metadata
        return metadata

    def _open(self, source: str, request: ReadRequest, state_file: Path | None) -> RowStream:
        path = _entity_path(source)
        since = request.since
        window: IncrementalWindow | None = None
        if state_file is not None:
            state = load_state(state_file, source)
            previous = state.delivered if state else {}
            since = state.high_water_mark if state else since
            if since is None:
                raise _query_error("the first incremental read needs --since (no state file yet)")
            window = IncrementalWindow(source, since, request.overlap, previous=dict(previous))
        elif since is not None:
            window = IncrementalWindow(source, since, request.overlap)
        fields = self._fields(request, window)
        params = self._params(source, request, fields, window)
        if window is not None:
            window.start_mark = self._newest_change(path, params)
        first = fetch_page(self._client, path, params)
        columns = fields or self._columns_of(source, first)

        def save(done: IncrementalWindow) -> None:
            if state_file is not None:
                save_state(state_file, done.state())

        rest = following_pages(self._client, first, path)
        return EntityStream(
            columns, first, rest, window=window, limit=request.limit, on_complete=save
        )

    def _fields(self, request: ReadRequest, window: IncrementalWindow | None) -> tuple[str, ...]:
        fields = tuple(request.fields)
        for name in fields:
            if not _FILTER_KEY.fullmatch(name):
                raise _query_error(f"{name!r} is not a field name")
        if fields and window is not None:  # the window needs both to decide
            fields += tuple(f for f in (KEY_FIELD, CHANGE_FIELD) if f not in fields)
        return fields

    def _params(
        self,
        source: str,
        request: ReadRequest,
        fields: tuple[str, ...],
        window: IncrementalWindow | None,
    ) -> QueryParams:
        params: QueryParams = []
        for key, value in request.filters:
            if not _FILTER_KEY.fullmatch(key) or key in _RESERVED:
                raise _query_error(f"{key!r} is not a filter (field__lookup, e.g. mod_ts__gte)")
            params.append((key, value))
        params += self._context_filters(source, {key for key, _ in request.filters})
        ordering = tuple(request.ordering)
        if window is not None:
            if ordering and ordering != (KEY_FIELD,):
                raise _query_error("an incremental read is ordered by id; drop --ordering")
            ordering = (KEY_FIELD,)
            params.append((f"{CHANGE_FIELD}__gte", window.lower_bound.isoformat()))
        if fields:
            params.append(("fields", ",".join(fields)))
        if ordering:
            params.append(("ordering", ",".join(ordering)))
        params.append(("page_size", str(request.page_size or self.settings.page_size)))
        params.append(("page_mode", self.settings.page_mode))
        return params

    def _context_filters(self, source: str, given: set[str]) -> QueryParams:
        """Company and facility context, on entities that have those fields."""
        wanted = [
            (value, field)
            for setting, field in _CONTEXT
            if (value := getattr(self.settings, setting)) is not None
            and not any(key.startswith(field) for key in given)
        ]
        if not wanted:
            return []
        known = {column.name for column in self._describe(source).columns}
        return [(f"{field}__code", value) for value, field in wanted if field in known]

    def _newest_change(self, path: str, params: QueryParams) -> datetime | None:
        """The newest `mod_ts` of the selection now: the next run's mark. Asked in `paged`
        mode, whose order the server honours (a `sequenced` cursor runs by id)."""
        dropped = {"fields", "ordering", "page_size", "page_mode"}
        probe = [(k, v) for k, v in params if k not in dropped]
        probe += [
            ("fields", CHANGE_FIELD),
            ("ordering", f"-{CHANGE_FIELD}"),
            ("page_size", "1"),
            ("page_mode", "paged"),
        ]
        page = fetch_page(self._client, path, probe)
        return parse_timestamp(page.records[0].get(CHANGE_FIELD)) if page.records else None

    def _columns_of(self, source: str, first: Page) -> tuple[str, ...]:
        if first.records:
            return tuple(first.records[0])
        return tuple(column.name for column in self._describe(source).columns)
