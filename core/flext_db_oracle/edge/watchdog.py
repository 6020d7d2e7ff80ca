"""A watchdog for calls a server may never answer: one daemon thread fires each
armed callback when its deadline passes, unless it was disarmed first.

A statement timeout set on the server bounds slow statements; it cannot bound a
connection whose packets vanish (a black-holed route, a frozen peer). Adapters arm
the watchdog around a statement with a callback that closes the socket, so the
blocked driver call returns with an error at the deadline instead of never.
Arming and disarming cost a lock and a heap push, and only when a timeout is set.
"""

from __future__ import annotations

import heapq
import itertools
import threading
import time
from collections.abc import Callable
from contextlib import suppress


class Watchdog:
    def __init__(self) -> None:
        self._deadlines: list[tuple[float, int]] = []
        self._callbacks: dict[int, Callable[[], None]] = {}
        self._tokens = itertools.count()
        self._wake = threading.Condition()
        self._thread: threading.Thread | None = None

    def arm(self, seconds: float, on_expire: Callable[[], None]) -> int:
        """Call `on_expire()` (in the watchdog's thread) in `seconds` unless disarmed."""
        token = next(self._tokens)
        with self._wake:
            self._callbacks[token] = on_expire
            heapq.heappush(self._deadlines, (time.monotonic() + seconds, token))
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="flext-db-oracle-watchdog", daemon=True
                )
                self._thread.start()
            self._wake.notify()
        return token

    def disarm(self, token: int) -> bool:
        """Cancel `token`; False when its callback already fired."""
        with self._wake:
            return self._callbacks.pop(token, None) is not None

    def _run(self) -> None:
        while True:
            with self._wake:
                while not self._deadlines:
                    self._wake.wait()
                deadline, token = self._deadlines[0]
                delay = deadline - time.monotonic()
                if delay > 0:
                    self._wake.wait(delay)
                    continue
                heapq.heappop(self._deadlines)
                callback = self._callbacks.pop(token, None)
            if callback is not None:
                with suppress(Exception):  # closing an already dead socket fails: fine
                    callback()


WATCHDOG = Watchdog()
