"""One fieldkit process per data folder.

The holder keeps an OS lock on ``<data>/fieldkit.lock`` for as long as its store is open
(``fcntl.flock`` on POSIX, ``msvcrt.locking`` on Windows — both released by the OS when the
process dies, so a crash never leaves the folder locked) and writes who it is — pid, host,
command, start time — to ``<data>/fieldkit.lock.json``. A second opener fails at once with
:class:`StoreLocked` naming the holder. The UI and its background sync share the one
process's ``Store`` (it is thread-safe); a separate ``fieldkit sync`` refuses while the app
runs, and ``export``/``doctor`` fall back to a read-only snapshot.
"""

from __future__ import annotations

import os
import socket
import sys
import time
from pathlib import Path

import orjson

from fieldkit.store import platform
from fieldkit.store.atomic import atomic_write
from fieldkit.store.errors import StoreLocked
from fieldkit.store.modes import make_dir, open_file

LOCK_NAME = "fieldkit.lock"
HOLDER_NAME = "fieldkit.lock.json"


def _try_lock(fd: int) -> bool:
    """Take an exclusive, non-blocking lock on an open file; False if someone holds it."""
    if platform.is_windows():
        import msvcrt

        try:
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def holder_info(folder: Path) -> dict:
    """Who holds (or last held) the folder, as written by the holder; {} if unknown."""
    try:
        info = orjson.loads((folder / HOLDER_NAME).read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return {}
    return info if isinstance(info, dict) else {}


class FolderLock:
    """An acquired lock; ``release()`` (or process exit) frees it."""

    def __init__(self, folder: Path, fd: int) -> None:
        self.folder = folder
        self._fd: int | None = fd

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    @property
    def held(self) -> bool:
        return self._fd is not None


def acquire(folder: Path, command: str | None = None) -> FolderLock:
    """Lock ``folder`` for this process or raise :class:`StoreLocked` naming the holder."""
    make_dir(folder)
    fd = open_file(folder / LOCK_NAME, os.O_RDWR | os.O_CREAT)
    if not _try_lock(fd):
        os.close(fd)
        raise StoreLocked(str(folder), holder_info(folder))
    info = {
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "command": command or " ".join([Path(sys.argv[0]).name, *sys.argv[1:]]).strip(),
        "since": time.strftime("%Y-%m-%d %H:%M:%S"),
    }
    atomic_write(folder / HOLDER_NAME, orjson.dumps(info), durable=False)
    return FolderLock(folder, fd)


def is_locked(folder: Path) -> bool:
    """True if another process holds the folder (probes without keeping the lock)."""
    path = folder / LOCK_NAME
    if not path.exists():
        return False
    fd = os.open(path, os.O_RDWR)
    try:
        return not _try_lock(fd)
    finally:
        os.close(fd)
