"""Loopback peers that misbehave like broken Oracle listeners, for the real driver."""

from __future__ import annotations

import gc
import socket
import struct
import threading
from collections.abc import Iterator
from contextlib import contextmanager


def closed_port() -> int:
    """A loopback port nobody listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@contextmanager
def listener(behaviour: str) -> Iterator[int]:
    """A loopback listener; `silent` accepts and never answers, `reset` reads the
    first packet of the handshake and resets the connection."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    server.settimeout(0.2)
    held: list[socket.socket] = []
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                peer, _ = server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            if behaviour == "reset":
                peer.settimeout(5)
                try:
                    peer.recv(64)
                finally:
                    peer.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                    peer.close()
            else:
                held.append(peer)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield server.getsockname()[1]
    finally:
        stop.set()
        thread.join(2)
        for peer in held:
            peer.close()
        server.close()
        # The driver leaves a failed handshake's socket to the garbage collector: collect
        # it here, inside the test that caused it, not during a later one.
        gc.collect()
