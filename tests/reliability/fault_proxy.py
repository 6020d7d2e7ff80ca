"""A TCP fault proxy on loopback, between an adapter and a database server.

An asyncio server on 127.0.0.1 (an ephemeral port) runs in a background thread and
forwards each accepted connection to the upstream server, in one of these modes,
switchable at any time from the test's thread:

- `pass_through()`: bytes flow unchanged;
- `latency(seconds)`: every chunk, either way, waits `seconds` first;
- `black_hole()`: connections are accepted and whatever arrives is swallowed, either
  way, on new and on open connections: nothing ever answers;
- `reset_after(n)`: the server's bytes flow until `n` more have passed on a connection,
  then the client side is closed with an RST (SO_LINGER 0): a reset mid-result;
- `silent_accept()`: new connections are accepted and never read nor answered (open
  ones are black-holed);
- `heal()`: back to `pass_through()`; counters keep counting.

Bounded in time: the proxy closes every connection and stops by itself after
`lifetime_s`, so a call stuck on it ends then at the latest. Only loopback addresses
are accepted as the upstream.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import struct
import threading
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import urlsplit, urlunsplit

Mode = Literal["pass", "latency", "black_hole", "reset", "silent"]
_CHUNK = 65536


@dataclass
class ProxyStats:
    """What the proxy saw: the figures docs/reliability.md reports."""

    accepted: int = 0
    upstream_connections: int = 0
    bytes_up: int = 0
    bytes_down: int = 0
    swallowed_bytes: int = 0
    resets: int = 0
    silent: int = 0
    faults: list[str] = field(default_factory=list)


class FaultProxy:
    """`FaultProxy(("127.0.0.1", 5432)).start()`; `proxy.url_for(url)` points a URL at it."""

    def __init__(self, upstream: tuple[str, int], *, lifetime_s: float = 60.0) -> None:
        host, port = upstream
        if not host.startswith("127.") and host != "localhost":
            raise ValueError(f"the fault proxy only forwards to loopback, not {host!r}")
        self.upstream = (host, port)
        self.lifetime_s = lifetime_s
        self.port = 0
        self.stats = ProxyStats()
        self._mode: Mode = "pass"
        self._delay_s = 0.0
        self._reset_budget = 0
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._server: asyncio.base_events.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self._ready = threading.Event()
        self._stopped = threading.Event()

    # --- life cycle ---------------------------------------------------------------------

    def start(self) -> FaultProxy:
        self._thread = threading.Thread(target=self._run, name="fault-proxy", daemon=True)
        self._thread.start()
        if not self._ready.wait(5):
            raise RuntimeError("the fault proxy did not start within 5 s")
        return self

    def stop(self) -> None:
        """Close every connection and the listener; idempotent."""
        loop = self._loop
        if loop is not None and not self._stopped.is_set():
            with contextlib.suppress(RuntimeError):  # the loop already closed
                loop.call_soon_threadsafe(self._shutdown)
        if self._thread is not None:
            self._thread.join(5)

    def __enter__(self) -> FaultProxy:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def url_for(self, url: str) -> str:
        """`url` with its host and port replaced by the proxy's."""
        parts = urlsplit(url)
        userinfo = parts.netloc.rpartition("@")[0]
        netloc = f"{userinfo}@127.0.0.1:{self.port}" if userinfo else f"127.0.0.1:{self.port}"
        return urlunsplit(parts._replace(netloc=netloc))

    # --- modes ------------------------------------------------------------------------

    @property
    def mode(self) -> Mode:
        return self._mode

    def _set(self, mode: Mode, **values: float) -> None:
        with self._lock:
            self._mode = mode
            self._delay_s = values.get("delay_s", 0.0)
            self._reset_budget = int(values.get("after", 0))
            if mode != "pass":
                self.stats.faults.append(mode)

    def pass_through(self) -> None:
        self._set("pass")

    def heal(self) -> None:
        self._set("pass")

    def latency(self, seconds: float) -> None:
        self._set("latency", delay_s=seconds)

    def black_hole(self) -> None:
        self._set("black_hole")

    def reset_after(self, n_bytes: int) -> None:
        self._set("reset", after=n_bytes)

    def silent_accept(self) -> None:
        self._set("silent")

    # --- the event loop -----------------------------------------------------------------

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        try:
            loop.run_until_complete(self._serve())
            loop.call_later(self.lifetime_s, self._shutdown)
            self._ready.set()
            loop.run_forever()
        finally:
            for task in asyncio.all_tasks(loop):
                task.cancel()
            with contextlib.suppress(Exception):
                loop.run_until_complete(asyncio.sleep(0))
            loop.close()
            self._stopped.set()
            self._ready.set()

    async def _serve(self) -> None:
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    def _shutdown(self) -> None:
        if self._server is not None:
            self._server.close()
        for writer in list(self._writers):
            _abort(writer)
        self._writers.clear()
        assert self._loop is not None
        self._loop.stop()

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._writers.add(writer)
        self.stats.accepted += 1
        mode = self._mode
        try:
            if mode == "silent":
                self.stats.silent += 1
                await asyncio.Event().wait()  # never read, never answer: until shutdown
            elif mode == "black_hole":
                await self._swallow(reader)
            else:
                await self._forward(reader, writer)
        except (asyncio.CancelledError, ConnectionError, OSError):
            pass
        finally:
            self._writers.discard(writer)
            _close(writer)

    async def _swallow(self, reader: asyncio.StreamReader) -> None:
        while chunk := await reader.read(_CHUNK):
            self.stats.swallowed_bytes += len(chunk)

    async def _forward(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await asyncio.open_connection(*self.upstream)
        self._writers.add(up_writer)
        self.stats.upstream_connections += 1
        state = {"down": 0, "armed_at": None}
        try:
            upward = asyncio.ensure_future(self._pump(reader, up_writer, writer, "up", state))
            downward = asyncio.ensure_future(self._pump(up_reader, writer, writer, "down", state))
            _done, pending = await asyncio.wait(
                {upward, downward}, return_when=asyncio.FIRST_COMPLETED
            )
            for task in pending:
                task.cancel()
        finally:
            self._writers.discard(up_writer)
            _close(up_writer)

    async def _pump(
        self,
        source: asyncio.StreamReader,
        sink: asyncio.StreamWriter,
        client: asyncio.StreamWriter,
        direction: str,
        state: dict[str, int | None],
    ) -> None:
        while chunk := await source.read(_CHUNK):
            mode = self._mode
            if mode != "reset":
                state["armed_at"] = None
            if mode in {"black_hole", "silent"}:
                self.stats.swallowed_bytes += len(chunk)
                continue
            if mode == "latency" and self._delay_s > 0:
                await asyncio.sleep(self._delay_s)
            if mode == "reset" and direction == "down":
                if state["armed_at"] is None:
                    state["armed_at"] = self._reset_budget
                budget = int(state["armed_at"] or 0)
                if len(chunk) >= budget:
                    if budget:
                        client.write(chunk[:budget])
                        with contextlib.suppress(ConnectionError):
                            await client.drain()
                    self.stats.resets += 1
                    _reset(client)
                    return
                state["armed_at"] = budget - len(chunk)
            if direction == "up":
                self.stats.bytes_up += len(chunk)
            else:
                self.stats.bytes_down += len(chunk)
            sink.write(chunk)
            await sink.drain()


def _reset(writer: asyncio.StreamWriter) -> None:
    """Close with an RST: SO_LINGER on, timeout 0, then close."""
    sock = writer.get_extra_info("socket")
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()


def _abort(writer: asyncio.StreamWriter) -> None:
    with contextlib.suppress(Exception):
        _reset(writer)


def _close(writer: asyncio.StreamWriter) -> None:
    with contextlib.suppress(Exception):
        writer.close()
