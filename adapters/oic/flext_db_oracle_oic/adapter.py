"""The `oic` record source: OIC collections read as rows, and the actions OIC offers
(activate, deactivate, test a connection) as direct methods.

Reads are GETs, retried by the HTTP kit on connect errors, 429 and 5xx. Activate,
deactivate and test are POSTs: never retried, except the one resend the kit makes
after a 401 refreshed an expired token (the server refused the request, so it had no
effect).
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Mapping
from datetime import datetime
from itertools import chain
from typing import Any, Protocol
from urllib.parse import quote

from flext_db_oracle.edge import guarded
from flext_db_oracle.errors import DbError, ErrorKind
from flext_db_oracle.models import ReadRequest, SourceRef, TableMetadata
from flext_db_oracle.ports import RowStream
from returns.result import Failure, Result, Success

from flext_db_oracle_oic.filters import TimeWindow, instance_window, render_q
from flext_db_oracle_oic.paging import Page, iterate_pages, parse_page
from flext_db_oracle_oic.resources import (
    ADAPTER_NAME,
    CONNECTIONS,
    INSTANCES,
    INTEGRATIONS,
    RESOURCES,
    ResourceType,
    resource_named,
)
from flext_db_oracle_oic.settings import OicSettings
from flext_db_oracle_oic.stream import OicRowStream


class JsonApi(Protocol):
    """What the adapter needs from HTTP (`transport.OicHttp` over the kit)."""

    def get_json(
        self, path: str, params: Mapping[str, str | int] | None = None
    ) -> Result[Any, DbError]: ...

    def post_json(
        self,
        path: str,
        body: Any = None,
        *,
        params: Mapping[str, str | int] | None = None,
        as_patch: bool = False,
    ) -> Result[Any, DbError]: ...

    def close(self) -> None: ...


class OicAdapter:
    """One OIC instance. Build it with `create_oic` (the registry's factory)."""

    name = ADAPTER_NAME

    def __init__(self, settings: OicSettings, api: JsonApi) -> None:
        self._settings = settings
        self._api = api
        self._closed = False

    # --- RecordSourcePort -----------------------------------------------------------

    def list_sources(self) -> Result[list[SourceRef], DbError]:
        return Success(
            [SourceRef(name=r.name, description=r.description) for r in RESOURCES.values()]
        )

    def describe(self, source: str) -> Result[TableMetadata, DbError]:
        return guarded(_bug, lambda: resource_named(source).metadata())

    def read(self, source: str, request: ReadRequest) -> Result[RowStream, DbError]:
        return guarded(_bug, lambda: self._open(resource_named(source), request))

    def close(self) -> Result[None, DbError]:
        if not self._closed:
            self._closed = True
            self._api.close()
        return Success(None)

    # --- integrations ---------------------------------------------------------------

    def list_integrations(
        self, filters: Iterable[tuple[str, str]] = (), *, order_by: str | None = None
    ) -> Result[RowStream, DbError]:
        """Integrations matching `q` filters (`name`, `status`, ...), `orderBy` name or time."""
        ordering = (order_by,) if order_by else ()
        return self.read(INTEGRATIONS.name, ReadRequest(filters=tuple(filters), ordering=ordering))

    def get_integration(self, integration_id: str) -> Result[dict[str, Any], DbError]:
        return _path("integrations/{}", integration_id).bind(self._get_object)

    def activation_status(self, integration_id: str) -> Result[str, DbError]:
        """CONFIGURED, ACTIVATION_INPROGRESS, ACTIVATED or FAILEDACTIVATION."""
        return _path("integrations/{}/activationStatus", integration_id).bind(
            lambda path: self._get_object(path).bind(
                lambda doc: _text_field(doc, "activationStatus", path)
            )
        )

    def activate(self, integration_id: str) -> Result[dict[str, Any], DbError]:
        """Ask OIC to activate; 412 (a `query` error) when the state does not allow it."""
        return self._set_status(integration_id, "ACTIVATED")

    def deactivate(self, integration_id: str) -> Result[dict[str, Any], DbError]:
        return self._set_status(integration_id, "CONFIGURED")

    def wait_until_activated(
        self, integration_id: str, *, timeout_s: float, interval_s: float = 1.0
    ) -> Result[str, DbError]:
        """Poll the activation status (GETs) until the activation OIC runs in the
        background ends: `Success("ACTIVATED")`, a `query` error with code
        `FAILEDACTIVATION` (OIC's activation errors in its message), or a `timeout`."""
        deadline = time.monotonic() + timeout_s
        while True:
            polled = self.activation_status(integration_id)
            if isinstance(polled, Failure):
                return polled
            status = polled.unwrap()
            if status == "ACTIVATED":
                return Success(status)
            if status == "FAILEDACTIVATION":
                return Failure(self._activation_failure(integration_id))
            if time.monotonic() + interval_s > deadline:
                return Failure(
                    DbError(
                        ErrorKind.TIMEOUT,
                        f"integration {integration_id} still {status} after {timeout_s:g} s",
                        retryable=False,
                        adapter=ADAPTER_NAME,
                        detail={"status": status},
                    )
                )
            time.sleep(interval_s)

    # --- connections ----------------------------------------------------------------

    def list_connections(
        self, filters: Iterable[tuple[str, str]] = ()
    ) -> Result[RowStream, DbError]:
        return self.read(CONNECTIONS.name, ReadRequest(filters=tuple(filters)))

    def get_connection(self, connection_id: str) -> Result[dict[str, Any], DbError]:
        return _path("connections/{}", connection_id).bind(self._get_object)

    def test_connection(self, connection_id: str) -> Result[dict[str, Any], DbError]:
        """Ping the connection's endpoint through OIC (409: not configured, 412: locked)."""
        return _path("connections/{}/test", connection_id).bind(
            lambda path: self._post_object(path, None, as_patch=False)
        )

    # --- monitoring -----------------------------------------------------------------

    def list_instances(
        self,
        *,
        status: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        window: TimeWindow | None = None,
        code: str | None = None,
        version: str | None = None,
        limit: int | None = None,
    ) -> Result[RowStream, DbError]:
        """Instances in a time window (`window`, OIC's default 1h, or `since`/`until`),
        newest first, optionally of one status or integration."""
        return guarded(
            _bug,
            lambda: instances_request(
                status=status,
                since=since,
                until=until,
                window=window,
                code=code,
                version=version,
                limit=limit,
            ),
        ).bind(lambda request: self.read(INSTANCES.name, request))

    def get_instance(self, instance_id: str) -> Result[dict[str, Any], DbError]:
        """One instance with its details; its activity stream is under `activityStream`."""
        return _path("monitoring/instances/{}", instance_id).bind(self._get_object)

    def activity_stream(self, instance_id: str) -> Result[list[Any], DbError]:
        """The instance's activity stream (the older, deprecated endpoint of its own)."""

        def steps(path: str, document: dict[str, Any]) -> Result[list[Any], DbError]:
            found = document.get("activityStream", document.get("activity-stream"))
            if not isinstance(found, list):
                return Failure(_unexpected(path, "no activityStream list"))
            return Success(found)

        return _path("monitoring/instances/{}/activityStream", instance_id).bind(
            lambda path: self._get_object(path).bind(lambda document: steps(path, document))
        )

    # --- plumbing -------------------------------------------------------------------

    def _open(self, resource: ResourceType, request: ReadRequest) -> RowStream:
        fields = resource.select(request.fields)
        filters = list(request.filters)
        if request.since is not None:
            if resource.change_time_field is None:
                raise DbError(
                    ErrorKind.UNSUPPORTED,
                    f"OIC cannot read {resource.name} incrementally (no time filter); "
                    f"only {INSTANCES.name} can",
                    adapter=ADAPTER_NAME,
                )
            filters += instance_window(since=request.since, overlap=request.overlap)
        params = self._params(q=render_q(resource, filters), orderBy=_order(resource, request))
        page_size = request.page_size or self._settings.page_size
        if request.limit is not None:
            page_size = max(1, min(page_size, request.limit))
        what = f"GET {resource.path}"

        def fetch(offset: int, limit: int) -> Result[Page, DbError]:
            paged: dict[str, str | int] = {**params, "offset": offset, "limit": limit}
            return self._api.get_json(resource.path, paged).bind(
                lambda document: guarded(_bug, lambda: parse_page(document, what))
            )

        pages = iterate_pages(fetch, page_size, what)
        # The first page is fetched now, so that a refused login or a bad filter is the
        # Failure of `read` itself rather than an exception during iteration.
        first = next(pages)
        # Instances are listed newest first: one that starts while we page pushes the
        # rest down, so an instance can come again on the next page. Drop repeats by id.
        return OicRowStream(
            chain([first], pages),
            fields,
            limit=request.limit,
            deduplicate=resource.change_time_field is not None,
        )

    def _set_status(self, integration_id: str, status: str) -> Result[dict[str, Any], DbError]:
        return _path("integrations/{}", integration_id).bind(
            lambda path: self._post_object(path, {"status": status}, as_patch=True)
        )

    def _activation_failure(self, integration_id: str) -> DbError:
        path = f"integrations/{quote(integration_id, safe='')}/activationErrors"
        errors = self._get_object(path).value_or({})
        said = _plain(str(errors.get("errorMessage") or ""))
        return DbError(
            ErrorKind.QUERY,
            f"activation of integration {integration_id} failed"
            + (f": {said}" if said else f" (see GET {path})"),
            code="FAILEDACTIVATION",
            retryable=False,
            adapter=ADAPTER_NAME,
        )

    def _get_object(self, path: str) -> Result[dict[str, Any], DbError]:
        return self._api.get_json(path, self._params()).bind(lambda doc: _object(doc, path))

    def _post_object(
        self, path: str, body: Any, *, as_patch: bool
    ) -> Result[dict[str, Any], DbError]:
        posted = self._api.post_json(path, body, params=self._params(), as_patch=as_patch)
        # An action may answer with an empty body: then there is nothing more to show.
        return posted.bind(lambda doc: Success({}) if doc is None else _object(doc, path))

    def _params(self, **extra: str | None) -> dict[str, str]:
        params = {key: value for key, value in extra.items() if value is not None}
        if self._settings.integration_instance:
            params["integrationInstance"] = self._settings.integration_instance
        return params


def instances_request(
    *,
    status: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    window: TimeWindow | None = None,
    code: str | None = None,
    version: str | None = None,
    limit: int | None = None,
) -> ReadRequest:
    """The `ReadRequest` of `instances` for a time range or window and optional
    status, integration code and version. Raises `DbError` for a window with a range."""
    filters = instance_window(since=since, until=until, window=window)
    for key, value in (("status", status), ("code", code), ("version", version)):
        if value is not None:
            filters.append((key, value))
    return ReadRequest(filters=tuple(filters), limit=limit)


def _order(resource: ResourceType, request: ReadRequest) -> str | None:
    if not request.ordering:
        return None
    if len(request.ordering) > 1 or request.ordering[0] not in resource.order_by:
        raise DbError(
            ErrorKind.QUERY,
            f"{resource.name} can be ordered by one of {', '.join(resource.order_by)} "
            f"(OIC's orderBy), not {', '.join(request.ordering)}",
            adapter=ADAPTER_NAME,
        )
    return request.ordering[0]


def _plain(message: str) -> str:
    """OIC's activation errors carry HTML line breaks: one readable line instead."""
    return " ".join(re.sub(r"<[^>]+>", " ", message).split())


def _path(template: str, identifier: str) -> Result[str, DbError]:
    """`template` with `identifier` as one URL-encoded path segment:
    `HELLO|01.00.0000` becomes `HELLO%7C01.00.0000`. An empty one is a `query` error."""
    if not identifier:
        return Failure(
            DbError(ErrorKind.QUERY, "an OIC identifier must not be empty", adapter=ADAPTER_NAME)
        )
    return Success(template.format(quote(identifier, safe="")))


def _object(document: Any, path: str) -> Result[dict[str, Any], DbError]:
    if isinstance(document, dict):
        return Success(document)
    return Failure(_unexpected(path, f"a {type(document).__name__} instead of an object"))


def _text_field(document: Mapping[str, Any], name: str, path: str) -> Result[str, DbError]:
    value = document.get(name)
    if isinstance(value, str):
        return Success(value)
    return Failure(_unexpected(path, f"{name} is {value!r}"))


def _unexpected(path: str, problem: str) -> DbError:
    return DbError(
        ErrorKind.QUERY,
        f"OIC answered {path} with an unexpected document: {problem}",
        adapter=ADAPTER_NAME,
    )


def _bug(exc: BaseException) -> DbError:
    """An exception that is no `DbError` is this adapter's bug: typed, never raised."""
    return DbError(ErrorKind.INTERNAL, f"{type(exc).__name__}: {exc}", adapter=ADAPTER_NAME)
