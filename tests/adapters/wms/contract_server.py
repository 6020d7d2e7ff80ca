"""A local Oracle WMS Cloud contract server (loopback only), written from the documented
behaviour in ../shared/specs/oracle-wms-cloud and Oracle's lgfapi v10 guide.

- `/{env}/wms/lgfapi/v10/entity/` lists entities (name -> URL); `entity/{name}/describe/`
  gives `{"parameters": [...], "fields": {name: {type, required, max_length}}}`;
  `entity/{name}/` pages records: `fields`, `ordering`, `page_size`, Django-style filters
  (`field`, `field__gte|gt|lte|lt|in`, `relation__code`), `page_mode=paged` (page_nbr,
  page_count, result_count) or `sequenced` (an id cursor, no counts), `next_page` URLs.
- `/{env}/wms/api/{operation}/` takes Integration API form POSTs and answers XML.
- `/oauth2/v1/token` issues client-credentials tokens that expire; HTTP basic works too.
- `faults` script failures: a status (with headers), a malformed body, or a delay.

A threaded `http.server` rather than an ASGI app: the standard library suffices, it runs
in a thread of the test process, and a handler can sleep or mutate records mid-read.
"""

from __future__ import annotations

import base64
import json
import math
import secrets
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

ENV = "demo_env"
REST = f"/{ENV}/wms/lgfapi/v10/"
INTEGRATION = f"/{ENV}/wms/api/"
TOKEN_PATH = "/oauth2/v1/token"
USER, PASSWORD = "wms-user", "Basic-Pa55-word"
CLIENT_ID, CLIENT_SECRET = "wms-client", "Client-S3cret-value"
EPOCH = datetime(2026, 1, 1, tzinfo=UTC)
_LOOKUPS = {"gte", "gt", "lte", "lt", "in"}
_RESERVED = {"fields", "ordering", "page_size", "page_mode", "page_nbr", "cursor"}


def make_records(count: int, start_id: int = 1) -> list[dict[str, Any]]:
    """Items with ids start_id.., one second apart in mod_ts, in facility F1 or F2."""
    return [
        {
            "id": i,
            "code": f"ITEM{i:06d}",
            "description": f"item number {i}",
            "qty": i % 97,
            "facility_id": {"id": 1 + i % 2, "key": f"F{1 + i % 2}", "code": f"F{1 + i % 2}"},
            "mod_ts": (EPOCH + timedelta(seconds=i)).isoformat(),
        }
        for i in range(start_id, start_id + count)
    ]


DESCRIBE_FIELDS = {
    "id": {"type": "integer", "required": "X"},
    "code": {"type": "string", "required": "X", "max_length": 25, "allow_blank": False},
    "description": {"type": "string", "required": "N", "max_length": 250},
    "qty": {"type": "integer", "required": "N", "default": 0},
    "facility_id": {"type": "relation", "required": "X"},
    "mod_ts": {"type": "datetime", "required": "N"},
}


@dataclass
class Fault:
    """Answer the next `times` requests whose path contains `path` with this instead."""

    path: str
    status: int = 500
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b'{"error": "scripted fault"}'
    delay_s: float = 0.0  # sleep first, then answer normally (status 0) or with status
    times: int = 1
    method: str | None = None


@dataclass
class World:
    """The server's state; tests read and change it between and during requests."""

    entities: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    token_lifetime_s: float = 3600.0
    listing: bool = True
    faults: list[Fault] = field(default_factory=list)
    log: list[tuple[str, str, str]] = field(default_factory=list)  # method, path, query
    authorizations: list[str] = field(default_factory=list)  # Authorization headers seen
    posted: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    after_page: Callable[[str, int], None] | None = None  # (entity, pages served so far)
    tokens: dict[str, float] = field(default_factory=dict)  # token -> expiry (monotonic)
    lock: threading.Lock = field(default_factory=threading.Lock)
    pages_served: int = 0

    def revoke_tokens(self) -> None:
        """Expire every issued token on the server side (clients still hold them)."""
        with self.lock:
            self.tokens.clear()

    def requests(self, method: str, contains: str = "") -> int:
        return sum(1 for m, path, _ in self.log if m == method and contains in path)

    def touch(self, entity: str, record_id: int, moment: datetime) -> None:
        """Change a record: a new mod_ts (and qty), as an update in WMS would."""
        with self.lock:
            for record in self.entities[entity]:
                if record["id"] == record_id:
                    record["mod_ts"] = moment.isoformat()
                    record["qty"] += 1


def _value(record: dict[str, Any], path: list[str]) -> Any:
    value: Any = record
    for part in path:
        value = value.get(part) if isinstance(value, dict) else None
    return value


def _comparable(value: Any, text: str) -> tuple[Any, Any]:
    if isinstance(value, int):
        return value, int(text)
    if isinstance(value, str) and "T" in value:
        parsed = datetime.fromisoformat(text)
        return datetime.fromisoformat(value), parsed if parsed.tzinfo else parsed.replace(
            tzinfo=UTC
        )
    return str(value), text


def _matches(record: dict[str, Any], key: str, text: str) -> bool:
    parts = key.split("__")
    lookup = parts.pop() if len(parts) > 1 and parts[-1] in _LOOKUPS else "exact"
    value = _value(record, parts)
    if value is None:
        return False
    if lookup == "in":
        return str(value) in text.split(",")
    left, right = _comparable(value, text)
    return {
        "exact": left == right,
        "gte": left >= right,
        "gt": left > right,
        "lte": left <= right,
        "lt": left < right,
    }[lookup]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    world: World

    def log_message(self, *_args: Any) -> None:  # keep pytest output clean
        pass

    # --- plumbing ---------------------------------------------------------------------

    def _reply(self, status: int, body: bytes, content_type: str, headers: dict[str, str]) -> None:
        with suppress(BrokenPipeError, ConnectionResetError):
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

    def _json(self, status: int, document: Any) -> None:
        self._reply(status, json.dumps(document).encode(), "application/json", {})

    def _fault(self, method: str) -> bool:
        """Apply the first scripted fault for this request; True when it answered."""
        with self.world.lock:
            fault = next(
                (
                    f
                    for f in self.world.faults
                    if f.times > 0 and f.path in self.path and f.method in {None, method}
                ),
                None,
            )
            if fault is not None:
                fault.times -= 1
        if fault is None:
            return False
        if fault.delay_s:
            time.sleep(fault.delay_s)
        if fault.status == 0:
            return False
        self._reply(fault.status, fault.body, "application/json", fault.headers)
        return True

    def _authorized(self) -> bool:
        header = self.headers.get("Authorization", "")
        self.world.authorizations.append(header)
        if header.startswith("Basic "):
            user, _, password = base64.b64decode(header[6:]).decode().partition(":")
            return (user, password) == (USER, PASSWORD)
        if header.startswith("Bearer "):
            with self.world.lock:
                expiry = self.world.tokens.get(header[7:])
            return expiry is not None and time.monotonic() < expiry
        return False

    def _start(self, method: str) -> tuple[str, list[tuple[str, str]], bytes] | None:
        """Log and read the request (its body too, so that the connection stays usable
        whatever the answer); None when a scripted fault answered it."""
        parts = urlsplit(self.path)
        self.world.log.append((method, parts.path, parts.query))
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self._fault(method):
            return None
        return parts.path, parse_qsl(parts.query, keep_blank_values=True), body

    # --- routes ---------------------------------------------------------------------------

    def do_POST(self) -> None:
        started = self._start("POST")
        if started is None:
            return
        path, _, body = started
        form = dict(parse_qsl(body.decode()))
        if path == TOKEN_PATH:
            self._token(form)
            return
        if not self._authorized():
            self._json(401, {"detail": "Authentication credentials were not provided."})
            return
        if path.startswith(INTEGRATION):
            operation = path.removeprefix(INTEGRATION).strip("/")
            self.world.posted.append((operation, form))
            ok = "facility_code" not in form or form["facility_code"] != "NOPE"
            message = f"{operation} done" if ok else "Invalid facility"
            body = (
                '<?xml version="1.0" encoding="utf-8"?><root>'
                f"<success>{ok}</success><response><message>{message}</message>"
                "<errors/><data/></response></root>"
            ).encode()
            self._reply(200, body, "application/xml", {})
            return
        self._json(404, {"detail": "Not found."})

    def _not_allowed(self, method: str) -> None:
        if self._start(method) is not None:
            self._json(405, {"detail": f'Method "{method}" not allowed.'})

    def do_PUT(self) -> None:
        self._not_allowed("PUT")

    def do_PATCH(self) -> None:
        self._not_allowed("PATCH")

    def do_DELETE(self) -> None:
        self._not_allowed("DELETE")

    def _token(self, form: dict[str, str]) -> None:
        header = self.headers.get("Authorization", "")
        client = base64.b64decode(header[6:]).decode() if header.startswith("Basic ") else ""
        if client != f"{CLIENT_ID}:{CLIENT_SECRET}" or form.get("grant_type") != (
            "client_credentials"
        ):
            self._json(401, {"error": "invalid_client"})
            return
        token = secrets.token_urlsafe(24)
        with self.world.lock:
            self.world.tokens[token] = time.monotonic() + self.world.token_lifetime_s
        self._json(
            200,
            {
                "access_token": token,
                "token_type": "Bearer",
                "expires_in": self.world.token_lifetime_s,
            },
        )

    def do_GET(self) -> None:
        started = self._start("GET")
        if started is None:
            return
        path, query, _ = started
        if not self._authorized():
            self._json(401, {"detail": "Authentication credentials were not provided."})
            return
        if not path.startswith(REST + "entity/"):
            self._json(404, {"detail": "Not found."})
            return
        rest = path.removeprefix(REST + "entity/").strip("/").split("/")
        if rest == [""]:
            self._listing()
        elif len(rest) == 2 and rest[1] == "describe" and rest[0] in self.world.entities:
            fields = {k: v for k, v in DESCRIBE_FIELDS.items() if k in self._sample(rest[0])}
            self._json(200, {"parameters": sorted(fields), "fields": fields})
        elif len(rest) == 1 and rest[0] in self.world.entities:
            self._page(rest[0], query)
        else:
            self._json(404, {"detail": "Not found."})

    def _sample(self, entity: str) -> dict[str, Any]:
        records = self.world.entities[entity]
        return records[0] if records else DESCRIBE_FIELDS

    def _listing(self) -> None:
        if not self.world.listing:
            self._json(404, {"detail": "Not found."})
            return
        base = f"http://{self.headers['Host']}{REST}entity/"
        self._json(200, {name: f"{base}{name}/" for name in sorted(self.world.entities)})

    def _page(self, entity: str, query: list[tuple[str, str]]) -> None:
        params = dict(query)
        bad = [
            key
            for key in params
            if key not in _RESERVED and not key.replace("__", "").replace("_", "").isalnum()
        ]
        if bad:
            self._json(400, {"detail": f"bad filter {bad}"})
            return
        with self.world.lock:
            selected = [
                record
                for record in self.world.entities[entity]
                if all(_matches(record, k, v) for k, v in query if k not in _RESERVED)
            ]
        for key in reversed([k for k in params.get("ordering", "id").split(",") if k]):
            name = key.lstrip("-")
            selected.sort(key=lambda r, n=name: _value(r, n.split("__")), reverse=key[0] == "-")
        size = int(params.get("page_size", "100"))
        base = f"http://{self.headers['Host']}{REST}entity/{entity}/"
        if params.get("page_mode", "paged") == "sequenced":
            document = self._sequenced(selected, params, size, base, query)
        else:
            document = self._paged(selected, params, size, base, query)
        if "fields" in params:
            wanted = params["fields"].split(",")
            document["results"] = [{k: r.get(k) for k in wanted} for r in document["results"]]
        self._json(200, document)
        with self.world.lock:
            self.world.pages_served += 1
            served = self.world.pages_served
        if self.world.after_page is not None:
            self.world.after_page(entity, served)

    @staticmethod
    def _link(base: str, query: list[tuple[str, str]], **changes: str) -> str:
        kept = [(k, v) for k, v in query if k not in changes]
        return f"{base}?{urlencode(kept + list(changes.items()))}"

    def _paged(
        self,
        selected: list[dict[str, Any]],
        params: dict[str, str],
        size: int,
        base: str,
        query: list[tuple[str, str]],
    ) -> dict[str, Any]:
        number = int(params.get("page_nbr", "1"))
        count = max(1, math.ceil(len(selected) / size))
        return {
            "result_count": len(selected),
            "page_count": count,
            "page_nbr": number,
            "next_page": self._link(base, query, page_nbr=str(number + 1))
            if number < count
            else None,
            "previous_page": self._link(base, query, page_nbr=str(number - 1))
            if number > 1
            else None,
            "results": selected[(number - 1) * size : number * size],
        }

    def _sequenced(
        self,
        selected: list[dict[str, Any]],
        params: dict[str, str],
        size: int,
        base: str,
        query: list[tuple[str, str]],
    ) -> dict[str, Any]:
        cursor = int(params.get("cursor", "0"))
        after = sorted((r for r in selected if r["id"] > cursor), key=lambda r: r["id"])
        page = after[:size]
        more = len(after) > size
        return {
            "next_page": self._link(base, query, cursor=str(page[-1]["id"])) if more else None,
            "previous_page": None,
            "results": page,
        }


@contextmanager
def serve(world: World) -> Iterator[str]:
    """Run the server on 127.0.0.1 (a free port) and yield its origin `http://127.0.0.1:N`."""
    handler = type("Handler", (_Handler,), {"world": world})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def main() -> None:
    """`python -m tests.adapters.wms.contract_server N`: serve N items in a process of its
    own (for memory measures of the client alone); prints the origin, stops at EOF on stdin."""
    world = World(entities={"item": make_records(int(sys.argv[1]))})
    with serve(world) as url:
        sys.stdout.write(url + "\n")
        sys.stdout.flush()
        sys.stdin.read()


if __name__ == "__main__":
    main()
