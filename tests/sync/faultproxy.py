"""A TCP proxy between a device and the server that breaks connections on purpose.

The client under test sends ``Connection: close``, so every request has its own TCP
connection and the proxy picks a fate per request:

- ``pass``: forwarded both ways;
- ``refuse``: the connection is reset before anything reaches the server;
- ``reset``: the request reaches the server (which applies it), the answer is thrown away
  and the device's connection reset;
- ``truncate``: only part of the answer reaches the device;
- ``stall``: the answer is held past the client's read timeout, then the connection dropped.

``offline(True)`` refuses everything, like a laptop out of Wi-Fi range.
"""

from __future__ import annotations

import contextlib
import random
import socket
import struct
import threading
import time
from collections import Counter

FATES = ("pass", "refuse", "reset", "truncate", "stall")


def _reset(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()


class FaultProxy:
    def __init__(
        self,
        upstream: tuple[str, int],
        *,
        weights: dict[str, float] | None = None,
        stall_seconds: float = 1.5,
        seed: int = 0,
    ) -> None:
        self.upstream = upstream
        self.weights = weights or {"pass": 1.0}
        self.stall_seconds = stall_seconds
        self.rng = random.Random(seed)
        self._lock = threading.Lock()
        self._offline = False
        self.fates: Counter[str] = Counter()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self._closed = False
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def offline(self, value: bool) -> None:
        self._offline = value

    def set_weights(self, weights: dict[str, float]) -> None:
        self.weights = weights

    def close(self) -> None:
        self._closed = True
        self.listener.close()

    def _fate(self) -> str:
        if self._offline:
            return "refuse"
        with self._lock:
            names = list(self.weights)
            return self.rng.choices(names, [self.weights[n] for n in names])[0]

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._handle, args=(client,), daemon=True).start()

    def _handle(self, client: socket.socket) -> None:
        fate = self._fate()
        with self._lock:
            self.fates[fate] += 1
        if fate == "refuse":
            _reset(client)
            return
        try:
            upstream = socket.create_connection(self.upstream, timeout=30)
        except OSError:
            _reset(client)
            return
        try:
            upstream.sendall(self._read_request(client))
        except (OSError, ValueError):
            _reset(client)
            upstream.close()
            return
        answer = bytearray()
        try:
            while True:
                chunk = upstream.recv(65536)
                if not chunk:
                    break
                answer += chunk
        except OSError:
            pass
        upstream.close()
        try:
            if fate == "pass":
                client.sendall(answer)
                client.shutdown(socket.SHUT_WR)
                client.close()
            elif fate == "reset":
                _reset(client)
            elif fate == "truncate":
                cut = self.rng.randrange(0, max(1, len(answer) - 1))
                client.sendall(answer[:cut])
                client.close()
            elif fate == "stall":
                time.sleep(self.stall_seconds)
                _reset(client)
        except OSError:
            client.close()

    @staticmethod
    def _read_request(client: socket.socket) -> bytes:
        """One whole HTTP/1.1 request (headers, then Content-Length bytes of body)."""
        data = bytearray()
        while b"\r\n\r\n" not in data:
            chunk = client.recv(65536)
            if not chunk:
                raise ValueError("client closed before sending a request")
            data += chunk
        head, _, body = bytes(data).partition(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value.strip())
        while len(body) < length:
            chunk = client.recv(65536)
            if not chunk:
                raise ValueError("client closed mid-request")
            body += chunk
        return head + b"\r\n\r\n" + body
