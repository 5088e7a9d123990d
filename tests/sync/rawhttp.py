"""A request whose body is far larger than anything a client library would hold: sent in
pieces over a plain socket, the answer read as soon as the server gives one (a server that
checks first answers before the body is all sent)."""

from __future__ import annotations

import contextlib
import json
import select
import socket
import ssl
from dataclasses import dataclass

PIECE = 256 * 1024


def in_flight() -> int:
    """The most a client can have sent that nobody read yet: what the kernel's buffers of
    both ends may grow to (loopback receive buffers autotune up to tens of MB), plus one
    piece. An answer counts as early when at most this was sent past what the server read."""
    most = 8 * 1024 * 1024
    try:
        with (
            open("/proc/sys/net/ipv4/tcp_rmem") as rmem,
            open("/proc/sys/net/ipv4/tcp_wmem") as wmem,
        ):
            most = int(rmem.read().split()[2]) + int(wmem.read().split()[2])
    except (OSError, ValueError, IndexError):
        pass
    return most + PIECE


@dataclass
class Answer:
    status: int
    body: dict | None
    #: Bytes of the body sent when the answer came.
    sent: int

    @property
    def code(self) -> str | None:
        return (self.body or {}).get("code")


def send_until_answered(
    port: int,
    method: str,
    path: str,
    size: int,
    *,
    headers: dict[str, str] | None = None,
    chunked: bool = False,
    tls: ssl.SSLContext | None = None,
    wait_first: bool = False,
) -> Answer:
    """``method path`` with ``size`` bytes of body (spaces), declared by ``Content-Length``
    or, with ``chunked``, streamed without one; stops sending once an answer comes. With
    ``tls`` the connection is HTTPS; with ``wait_first`` nothing is sent for up to 10 s
    while the server may answer (a client that sent ``Expect: 100-continue``)."""
    lines = [f"{method} {path} HTTP/1.1", "Host: office", "Connection: close"]
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    lines.append("Transfer-Encoding: chunked" if chunked else f"Content-Length: {size}")
    piece = b" " * PIECE
    if chunked:
        piece = f"{PIECE:x}\r\n".encode() + piece + b"\r\n"
    sent = 0
    with socket.create_connection(("127.0.0.1", port), timeout=120) as plain:
        sock = tls.wrap_socket(plain, server_hostname="127.0.0.1") if tls else plain
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        if wait_first:
            select.select([sock], [], [], 10)
        while sent < size:
            readable, writable, _ = select.select([sock], [sock], [], 120)
            if readable or (tls and sock.pending()):
                break
            if writable:
                try:
                    sock.sendall(piece)
                except OSError:  # a reset, a broken pipe, TLS closed under us
                    break  # the server answered and closed: its answer is waiting
                sent += PIECE
        if sent >= size and chunked:
            with contextlib.suppress(OSError):
                sock.sendall(b"0\r\n\r\n")  # the server may have answered and closed
        raw = _read_answer(sock)
    head, _, body = raw.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1]) if head.startswith(b"HTTP/1.1 ") else 0
    try:
        decoded = json.loads(body) if body else None
    except ValueError:
        decoded = None
    return Answer(status, decoded, sent)


def _read_answer(sock: socket.socket) -> bytes:
    raw = b""
    try:
        while True:
            data = sock.recv(65536)
            if not data:
                break
            raw += data
            head, found, body = raw.partition(b"\r\n\r\n")
            if found:
                for line in head.split(b"\r\n"):
                    name, _, value = line.partition(b":")
                    if name.strip().lower() == b"content-length" and len(body) >= int(value):
                        return raw
    except OSError:  # closed right after the answer (a reset, TLS without its goodbye)
        pass
    return raw
