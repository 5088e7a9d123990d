"""A stand-in for Windows' ``msvcrt`` module, for running the store's Windows branch on
Linux (tests/store/test_windows.py puts this folder first on ``sys.path``).

Only what the store calls: ``locking(fd, mode, nbytes)`` locks ``nbytes`` from the file's
current position, and with ``LK_NBLCK`` raises OSError at once when another handle holds
them. Windows' locks belong to the handle, not the process, so two handles of one process
exclude each other and closing one releases only its own; Linux's open file description
locks (``F_OFD_SETLK``) behave the same, so they are what this takes — a real lock of this
OS, not a pretend one.
"""

from __future__ import annotations

import errno
import fcntl
import os
import struct

LK_UNLCK, LK_LOCK, LK_NBLCK, LK_RLCK, LK_NBRLCK = 0, 1, 2, 3, 4


def _flock(kind: int, start: int, length: int) -> bytes:
    # struct flock on Linux x86-64 / arm64: short type, short whence, off_t start, off_t len,
    # pid_t pid (0 for open file description locks)
    return struct.pack("hhqqi4x", kind, os.SEEK_SET, start, length, 0)


def locking(fd: int, mode: int, nbytes: int) -> None:
    start = os.lseek(fd, 0, os.SEEK_CUR)
    if mode == LK_UNLCK:
        fcntl.fcntl(fd, fcntl.F_OFD_SETLK, _flock(fcntl.F_UNLCK, start, nbytes))
        return
    kind = fcntl.F_RDLCK if mode in (LK_RLCK, LK_NBRLCK) else fcntl.F_WRLCK
    wait = mode in (LK_LOCK, LK_RLCK)
    try:
        fcntl.fcntl(fd, fcntl.F_OFD_SETLKW if wait else fcntl.F_OFD_SETLK,
                    _flock(kind, start, nbytes))  # fmt: skip
    except OSError as exc:
        if exc.errno in (errno.EACCES, errno.EAGAIN):
            raise OSError(errno.EDEADLK, "Resource deadlock avoided") from None  # as msvcrt
        raise
