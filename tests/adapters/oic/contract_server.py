"""A local Oracle Integration (OIC) REST server for tests, on 127.0.0.1 only.

Written from Oracle's documented behaviour (see docs/oic.md for the facts used):
`/ic/api/integration/v1/` with integrations (list with `q`, get, activate/deactivate
through `POST` + `X-HTTP-Method-Override: PATCH`, activation status), connections (list,
get, test) and monitoring instances (list with `timewindow`, `status`, `startdate`/
`enddate`; get one with its activity stream); `offset`/`limit`/`hasMore`/`totalResults`
paging, with `limit` capped by the server; HTTP basic auth, and OAuth2 client
credentials at `/oauth2/v1/token` (client id and secret as basic auth) issuing bearer
tokens that expire.

Tests script failures with `inject(method, path, Fault(...))`: a status with headers
(429 + Retry-After, 5xx), a malformed body, or a delay longer than the client's timeout.
Every request is recorded (method, path, query, auth scheme) for assertions.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import json
import re
import secrets
import threading
import time
from collections import deque
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

API = "/ic/api/integration/v1/"
TOKEN_PATH = "/oauth2/v1/token"

USERNAME = "oic.operator@example.com"
PASSWORD = "pw-Zq81-basic-secret"
CLIENT_ID = "oic-client-4f1d"
CLIENT_SECRET = "cs-Hk29-oauth-secret"
SCOPE = "https://oic.example.com:443urn:opc:resource:consumer:all"

_WINDOWS = {
    "1h": timedelta(hours=1),
    "6h": timedelta(hours=6),
    "1d": timedelta(days=1),
    "2d": timedelta(days=2),
    "3d": timedelta(days=3),
}
_Q_TERM = re.compile(r"\s*([A-Za-z][A-Za-z0-9_]*)\s*:\s*'([^']*)'\s*")
_OIC_TIME = "%Y-%m-%dT%H:%M:%S.000+0000"


@dataclass(frozen=True)
class Fault:
    """What to answer instead of the normal response (or before it, for `delay_s`)."""

    status: int = 200
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes | None = None  # None: a JSON error document for the status
    delay_s: float = 0.0
    then_normal: bool = False  # after the delay, answer normally


@dataclass(frozen=True)
class Recorded:
    method: str
    path: str
    query: Mapping[str, str]
    auth: str | None  # "basic", "bearer" or None: never the credential itself
    body: Any
    raw_path: str  # as sent, still percent-encoded


def oic_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime(_OIC_TIME)


def _integrations(count: int, base: datetime) -> dict[str, dict[str, Any]]:
    names = ("Order Sync", "Invoice Export", "Customer Load", "Shipment Notice")
    found: dict[str, dict[str, Any]] = {}
    for number in range(count):
        code = f"INT_{number:04d}"
        version = "01.00.0000" if number % 5 else "02.01.0000"
        status = ("ACTIVATED", "CONFIGURED", "CONFIGURED", "FAILEDACTIVATION")[number % 4]
        item = {
            "id": f"{code}|{version}",
            "code": code,
            "version": version,
            "name": f"{names[number % len(names)]} {number:04d}",
            "status": status,
            "pattern": "Orchestration",
            "description": f"integration number {number}",
            "lockedFlag": False,
            "created": oic_time(base - timedelta(days=30, minutes=number)),
            "createdBy": "builder",
            "lastUpdated": oic_time(base - timedelta(minutes=number)),
            "lastUpdatedBy": "builder",
            "links": [{"href": f"{API}integrations/{code}%7C{version}", "rel": "self"}],
        }
        found[item["id"]] = item
    return found


def _connections() -> dict[str, dict[str, Any]]:
    rows = (
        ("ERP_CLOUD", "Oracle ERP Cloud", "CONFIGURED", "SOURCE_AND_TARGET", "erp"),
        ("REST_SAMPLE", "REST sample", "CONFIGURED", "TRIGGER", "rest"),
        ("FTP_DROP", "FTP drop", "CONFIGURED", "TARGET", "ftp"),
        ("ATP_ORDERS", "ATP orders", "CONFIGURED", "TARGET", "atpdatabase"),
        ("HALF_DONE", "Half configured", "INCOMPLETE", "TARGET", "rest"),
    )
    found: dict[str, dict[str, Any]] = {}
    for number, (ident, name, status, role, adapter) in enumerate(rows):
        found[ident] = {
            "id": ident,
            "name": name,
            "status": status,
            "role": role,
            "adapterType": {
                "name": adapter,
                "displayName": adapter.upper(),
                "type": "PREINSTALLED",
            },
            "securityPolicy": "BASIC_AUTH",
            "percentageComplete": 100 if status == "CONFIGURED" else 60,
            "lockedFlag": False,
            "created": oic_time(datetime(2026, 1, 1, tzinfo=UTC) + timedelta(hours=number)),
            "createdBy": "builder",
            "lastUpdated": oic_time(datetime(2026, 2, 1, tzinfo=UTC) + timedelta(hours=number)),
            "lastUpdatedBy": "builder",
        }
    return found


def _instances(count: int, now: datetime) -> list[dict[str, Any]]:
    """`count` runs spread evenly over the last 80 hours, newest first."""
    statuses = ("COMPLETED", "COMPLETED", "FAILED", "COMPLETED", "ABORTED", "IN_PROGRESS")
    spacing = timedelta(hours=80) / max(count, 1)
    found = []
    for number in range(count):
        updated = now - spacing * (number + 1)
        code = f"INT_{number % 7:04d}"
        found.append(
            {
                "id": str(500_000 + number),
                "integrationId": code,
                "integrationName": f"Integration {code}",
                "integrationVersion": "01.00.0000",
                "status": statuses[number % len(statuses)],
                "creationDate": oic_time(updated - timedelta(seconds=30)),
                "date": oic_time(updated),
                "lastTrackedTime": oic_time(updated),
                "duration": 30_000 + number,
                "mepType": "ASYNC_ONE_WAY",
                "_updated": updated,
            }
        )
    return found


class OicContractServer:
    """The server and its state; start with `start()` or use as a context manager."""

    def __init__(
        self,
        *,
        integrations: int = 120,
        instances: int = 240,
        max_limit: int = 50,
        token_lifetime_s: int = 3600,
    ) -> None:
        self.now = datetime.now(UTC).replace(microsecond=0)
        self.integrations = _integrations(integrations, self.now)
        self.connections = _connections()
        self.instances = _instances(instances, self.now)
        self.max_limit = max_limit
        self.token_lifetime_s = token_lifetime_s
        # Activation runs in the background: activationStatus answers
        # ACTIVATION_INPROGRESS this many times before the outcome.
        self.activation_polls = 0
        self.failing_activation: set[str] = set()  # ids whose activation fails
        self._activating: dict[str, int] = {}
        self.tokens: dict[str, float] = {}  # token -> expiry (monotonic)
        self.requests: list[Recorded] = []
        self._faults: dict[tuple[str, str], deque[Fault]] = {}
        self._lock = threading.Lock()
        self._http = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._http.daemon_threads = True
        # A short poll interval makes shutdown quick (the default waits up to 0.5 s).
        self._thread = threading.Thread(
            target=self._http.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    # --- lifecycle -----------------------------------------------------------------

    @property
    def origin(self) -> str:
        host, port = self._http.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def base_url(self) -> str:
        return self.origin + API

    @property
    def token_url(self) -> str:
        return self.origin + TOKEN_PATH

    def start(self) -> OicContractServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._http.shutdown()
        self._http.server_close()

    def __enter__(self) -> OicContractServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # --- scripting and inspection ------------------------------------------------------

    def inject(self, method: str, path: str, *faults: Fault) -> None:
        """Answer the next requests `method path` (path relative to the API base, or
        the token path) with `faults`, in order, then normally again."""
        with self._lock:
            self._faults.setdefault((method, path), deque()).extend(faults)

    def start_instances(self, count: int) -> list[str]:
        """`count` new runs, newest of all (they push the others down the list)."""
        with self._lock:
            first = 500_000 + len(self.instances)
            fresh = _instances(count, datetime.now(UTC) + timedelta(hours=80))
            for number, item in enumerate(fresh):
                item["id"] = str(first + number)
            self.instances[:0] = fresh
            return [item["id"] for item in fresh]

    def expire_tokens(self) -> None:
        with self._lock:
            self.tokens = dict.fromkeys(self.tokens, 0.0)

    def calls(self, method: str, path: str) -> list[Recorded]:
        with self._lock:
            return [r for r in self.requests if r.method == method and r.path == path]

    # --- the API ---------------------------------------------------------------------

    def next_fault(self, method: str, path: str) -> Fault | None:
        with self._lock:
            queue = self._faults.get((method, path))
            return queue.popleft() if queue else None

    def record(self, entry: Recorded) -> None:
        with self._lock:
            self.requests.append(entry)

    def authorized(self, header: str | None) -> bool:
        scheme, _, value = (header or "").partition(" ")
        if scheme == "Basic":
            return _basic(value) == (USERNAME, PASSWORD)
        if scheme == "Bearer":
            with self._lock:
                expiry = self.tokens.get(value)
            return expiry is not None and expiry > time.monotonic()
        return False

    def issue_token(self, header: str | None, form: Mapping[str, str]) -> tuple[int, Any]:
        scheme, _, value = (header or "").partition(" ")
        if scheme != "Basic" or _basic(value) != (CLIENT_ID, CLIENT_SECRET):
            return 401, {"error": "invalid_client"}
        if form.get("grant_type") != "client_credentials":
            return 400, {"error": "unsupported_grant_type"}
        if form.get("scope") != SCOPE:
            return 400, {"error": "invalid_scope"}
        token = secrets.token_urlsafe(24)
        with self._lock:
            self.tokens[token] = time.monotonic() + self.token_lifetime_s
        return 200, {
            "access_token": token,
            "token_type": "Bearer",
            "expires_in": self.token_lifetime_s,
        }

    def route(
        self, method: str, path: str, query: Mapping[str, str], headers: Any, body: Any
    ) -> tuple[int, Any]:
        parts = [unquote(part) for part in path.split("/")]
        with self._lock:
            if method == "GET":
                return self._get(parts, query)
            if method == "POST":
                return self._post(parts, headers, body)
        return _problem(405, f"{method} is not supported here")

    def _get(self, parts: list[str], query: Mapping[str, str]) -> tuple[int, Any]:
        if parts[0] == "integrations":
            return self._get_integrations(parts[1:], query)
        match parts:
            case ["connections"]:
                filters = _parse_q(query.get("q"), {"name", "status", "role", "type"})
                if isinstance(filters, tuple):
                    return filters
                items = [
                    item
                    for item in self.connections.values()
                    if all(item.get(key) == value for key, value in filters.items())
                ]
                return self._page(items, query)
            case ["connections", ident]:
                item = self.connections.get(ident)
                return (200, item) if item else _problem(404, f"connection {ident} not found")
            case ["monitoring", "instances"]:
                return self._list_instances(query)
            case ["monitoring", "instances", ident, *rest] if rest in ([], ["activityStream"]):
                found = self._instance(ident)
                if found is None:
                    return _problem(404, f"instance {ident} not found")
                if rest:
                    return 200, {"activityStream": _activity(found)}
                return 200, {**_public(found), "activityStream": _activity(found)}
        return _problem(404, "no such resource")

    def _get_integrations(self, parts: list[str], query: Mapping[str, str]) -> tuple[int, Any]:
        if not parts:
            filters = _parse_q(query.get("q"), {"name", "status", "type", "style"})
            if isinstance(filters, tuple):
                return filters
            items = [
                item
                for item in self.integrations.values()
                if all(item.get(key) == value for key, value in filters.items())
            ]
            order = query.get("orderBy", "time")
            if order not in {"name", "time"}:
                return _problem(400, f"orderBy {order!r} is not name or time")
            if order == "name":
                items.sort(key=lambda i: i["name"])
            else:
                items.sort(key=lambda i: i["lastUpdated"], reverse=True)
            return self._page(items, query)
        item = self.integrations.get(parts[0])
        if item is None:
            return _problem(404, f"integration {parts[0]} not found")
        if parts[1:] == ["activationStatus"]:
            return 200, {"activationStatus": self._activation_progress(item)}
        if parts[1:] == ["activationErrors"]:
            failed = item["status"] == "FAILEDACTIVATION"
            message = f"<br> Integration {item['code']} cannot be activated.<br> bad mapping"
            return 200, {
                "code": item["code"],
                "version": item["version"],
                "hasErrors": failed,
                "errorMessage": message if failed else "",
            }
        return (200, item) if len(parts) == 1 else _problem(404, "no such resource")

    def _post(self, parts: list[str], headers: Any, body: Any) -> tuple[int, Any]:
        match parts:
            case ["integrations", ident]:
                item = self.integrations.get(ident)
                if item is None:
                    return _problem(404, f"integration {ident} not found")
                if headers.get("X-HTTP-Method-Override") != "PATCH":
                    return _problem(405, "send X-HTTP-Method-Override: PATCH to update")
                wanted = body.get("status") if isinstance(body, dict) else None
                allowed = {"ACTIVATED": "CONFIGURED", "CONFIGURED": "ACTIVATED"}
                if wanted not in allowed:
                    return _problem(400, f"status {wanted!r} is not ACTIVATED or CONFIGURED")
                if item["status"] != allowed[wanted]:
                    return _problem(412, f"integration {ident} is {item['status']}")
                item["lastUpdated"] = oic_time(datetime.now(UTC))
                if wanted == "ACTIVATED" and (
                    self.activation_polls or ident in self.failing_activation
                ):
                    item["status"] = "INPROGRESS"
                    self._activating[ident] = self.activation_polls
                else:
                    item["status"] = wanted
                return 200, item
            case ["connections", ident, "test"]:
                item = self.connections.get(ident)
                if item is None:
                    return _problem(404, f"connection {ident} not found")
                if item["status"] != "CONFIGURED":
                    return _problem(409, f"connection {ident} is not configured")
                return 200, {**item, "testStatus": "SUCCESS"}
        return _problem(404, "no such resource")

    def _activation_progress(self, item: dict[str, Any]) -> str:
        ident = item["id"]
        if ident not in self._activating:
            return str(item["status"])
        if self._activating[ident] > 0:
            self._activating[ident] -= 1
            return "ACTIVATION_INPROGRESS"
        del self._activating[ident]
        item["status"] = "FAILEDACTIVATION" if ident in self.failing_activation else "ACTIVATED"
        return str(item["status"])

    def _list_instances(self, query: Mapping[str, str]) -> tuple[int, Any]:
        keys = {"timewindow", "code", "version", "status", "startdate", "enddate", "id"}
        filters = _parse_q(query.get("q"), keys)
        if isinstance(filters, tuple):
            return filters
        try:
            start, end = self._range(filters)
        except ValueError as bad:
            return _problem(400, str(bad))
        matches = {"code": "integrationId", "version": "integrationVersion", "status": "status"}
        items = [
            item
            for item in self.instances
            if start <= item["_updated"] <= end
            and all(item[matches[k]] == v for k, v in filters.items() if k in matches)
            and ("id" not in filters or item["id"] == filters["id"])
        ]
        return self._page(items, query)

    def _range(self, filters: Mapping[str, str]) -> tuple[datetime, datetime]:
        if "startdate" in filters or "enddate" in filters:
            start = _utc(filters["startdate"]) if "startdate" in filters else datetime.min
            end = _utc(filters["enddate"]) if "enddate" in filters else datetime.now(UTC)
            return start.replace(tzinfo=UTC), end
        window = filters.get("timewindow", "1h")
        if window == "RETENTIONPERIOD":
            return datetime.min.replace(tzinfo=UTC), datetime.now(UTC)
        if window not in _WINDOWS:
            raise ValueError(f"timewindow {window!r} is not one of 1h, 6h, 1d, 2d, 3d")
        return self.now - _WINDOWS[window], datetime.now(UTC)

    def _instance(self, ident: str) -> dict[str, Any] | None:
        return next((i for i in self.instances if i["id"] == ident), None)

    def _page(self, items: list[dict[str, Any]], query: Mapping[str, str]) -> tuple[int, Any]:
        try:
            offset = int(query.get("offset", "0"))
            limit = min(int(query.get("limit", str(self.max_limit))), self.max_limit)
        except ValueError:
            return _problem(400, "offset and limit must be integers")
        if offset < 0 or limit < 1:
            return _problem(400, "offset must be >= 0 and limit >= 1")
        page = [_public(item) for item in items[offset : offset + limit]]
        return 200, {
            "items": page,
            "hasMore": offset + len(page) < len(items),
            "totalResults": len(items),
            "limit": limit,
            "offset": offset,
        }


def _public(item: Mapping[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in item.items() if not key.startswith("_")}


def _activity(instance: Mapping[str, Any]) -> list[dict[str, Any]]:
    steps = ("Message received", "Invoke ERP", "Map response", "Message processed")
    return [
        {"milestone": step, "message": f"{step} for {instance['id']}", "position": number}
        for number, step in enumerate(steps)
    ]


def _utc(text: str) -> datetime:
    try:
        return datetime.strptime(text, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
    except ValueError:
        raise ValueError(f"{text!r} is not a UTC date time like 2026-01-31 23:59:00") from None


def _parse_q(text: str | None, keys: set[str]) -> dict[str, str] | tuple[int, Any]:
    """`{key:'value', ...}` as a dict, or a 400 answer."""
    if text is None:
        return {}
    body = text.strip()
    if not (body.startswith("{") and body.endswith("}")):
        return _problem(400, f"q {text!r} is not {{key:'value', ...}}")
    found: dict[str, str] = {}
    for term in filter(str.strip, body[1:-1].split(",")):
        match = _Q_TERM.fullmatch(term)
        if match is None or match[1] not in keys:
            return _problem(400, f"q term {term.strip()!r} is not understood")
        found[match[1]] = match[2]
    return found


def _basic(value: str) -> tuple[str, str] | None:
    try:
        user, _, password = base64.b64decode(value, validate=True).decode().partition(":")
    except ValueError:
        return None
    return user, password


def _problem(status: int, detail: str) -> tuple[int, Any]:
    return status, {"type": "about:blank", "title": HTTPStatus(status).phrase, "detail": detail}


def _handler_for(server: OicContractServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: the test output stays readable."""

        def do_GET(self) -> None:
            self._serve("GET")

        def do_POST(self) -> None:
            self._serve("POST")

        def _serve(self, method: str) -> None:
            url = urlsplit(self.path)
            query = {key: values[-1] for key, values in parse_qs(url.query).items()}
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            header = self.headers.get("Authorization")
            if url.path == TOKEN_PATH:
                path = TOKEN_PATH
                form = {k: v[-1] for k, v in parse_qs(raw.decode()).items()}
                body: Any = {k: v for k, v in form.items() if k != "client_secret"}
            elif url.path.startswith(API):
                path = url.path.removeprefix(API)
                try:
                    body = json.loads(raw) if raw else None
                except ValueError:
                    self._send(400, _problem(400, "body is not JSON")[1])
                    return
            else:
                self._send(*_problem(404, "outside the API"))
                return
            scheme = header.partition(" ")[0].lower() if header else None
            server.record(Recorded(method, unquote(path), query, scheme, body, url.path))
            fault = server.next_fault(method, unquote(path))
            if fault is not None:
                time.sleep(fault.delay_s)
                if not fault.then_normal:
                    self._send(fault.status, fault.body, fault.headers)
                    return
            if path == TOKEN_PATH:
                self._send(*server.issue_token(header, form))
            elif not server.authorized(header):
                self._send(
                    401,
                    _problem(401, "authentication required")[1],
                    {"WWW-Authenticate": 'Bearer realm="oic"'},
                )
            else:
                self._send(*server.route(method, path, query, self.headers, body))

        def _send(
            self, status: int, document: Any, headers: Mapping[str, str] | None = None
        ) -> None:
            if document is None:
                payload = json.dumps(_problem(status, "scripted fault")[1]).encode()
            elif isinstance(document, bytes):
                payload = document
            else:
                payload = json.dumps(document).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(payload)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            # A client that gave up (a timeout test) needs no answer.
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(payload)

    return Handler


def running(**options: Any) -> Iterator[OicContractServer]:
    """A started server for a fixture; stopped afterwards."""
    with OicContractServer(**options) as server:
        yield server


def main(argv: list[str] | None = None) -> None:
    """Serve until interrupted: `python -m tests.adapters.oic.contract_server`. Prints
    the API base and token URLs on the first line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--integrations", type=int, default=120)
    parser.add_argument("--instances", type=int, default=240)
    parser.add_argument("--max-limit", type=int, default=50)
    options = parser.parse_args(argv)
    server = OicContractServer(
        integrations=options.integrations,
        instances=options.instances,
        max_limit=options.max_limit,
    )
    print(server.base_url, server.token_url, flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        server._http.serve_forever(poll_interval=0.02)
    server._http.server_close()


if __name__ == "__main__":
    main()
