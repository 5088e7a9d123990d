"""Crash-safe file replacement: the primitives every store file and blob is written with.

A new generation is written to a temp file in the same folder, flushed and fsynced, and
moved over the old name with ``os.replace`` (atomic on POSIX and Windows); then the folder
is fsynced so the rename itself survives a power cut. Folder fsync is POSIX-only: on Windows
opening a folder is not possible and ``os.replace`` is already durable through NTFS's
journal, so that step is skipped there (:func:`fieldkit.store.platform.is_windows`). Every
replace goes through :func:`replace`, which waits out a reader holding the target on
Windows. Temp files are named ``.<name>.<random>.tmp``; :func:`remove_stale_temps` deletes
the ones a killed process left behind.
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from pathlib import Path

from fieldkit.store import platform
from fieldkit.store.modes import open_file

TEMP_SUFFIX = ".tmp"
Data = bytes | Sequence[bytes | memoryview]  # a file's bytes, whole or in parts


def temp_path(path: Path) -> Path:
    return path.with_name(f".{path.name}.{os.urandom(4).hex()}{TEMP_SUFFIX}")


def is_temp(path: Path) -> bool:
    return path.name.startswith(".") and path.name.endswith(TEMP_SUFFIX)


def fsync_dir(folder: Path) -> None:
    """Make renames in ``folder`` durable; a no-op where folders cannot be opened."""
    if platform.is_windows():
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_temp(path: Path, data: Data, durable: bool = True) -> Path:
    """Write ``data`` (bytes, or a list of parts written one after another) to a fresh temp
    file beside ``path`` (mode 0600, fsynced if ``durable``); the file it becomes keeps that
    mode."""
    tmp = temp_path(path)
    fd = open_file(tmp)
    try:
        for part in [data] if isinstance(data, bytes | bytearray | memoryview) else data:
            view = memoryview(part)
            while view:
                written = os.write(fd, view)
                view = view[written:]
        if durable:
            os.fsync(fd)
    except BaseException:
        os.close(fd)
        tmp.unlink(missing_ok=True)
        raise
    os.close(fd)
    return tmp


def replace(src: Path, dst: Path) -> None:
    """``os.replace``, retried briefly on Windows, where a reader holding ``dst`` open
    (an export reading a snapshot, a virus scanner) makes it fail for a moment."""
    for attempt in range(20):
        try:
            os.replace(src, dst)
            return
        except PermissionError:
            if not platform.is_windows() or attempt == 19:
                raise
            time.sleep(0.01 * (attempt + 1))


def atomic_write(path: Path, data: Data, keep_previous: bool = False, durable: bool = True) -> None:
    """Replace ``path`` with ``data`` so a crash leaves the old or the new bytes, never a mix.

    With ``keep_previous`` the current generation is also kept as ``<name>.prev``, by a hard
    link made before the replace, so ``path`` itself is never missing: a file found missing
    at open was lost, not caught between two renames by a kill (which the store would have
    to report as damage). Where the folder takes no hard links (FAT), the current file is
    renamed to ``.prev`` instead, and a kill between the renames leaves only ``.prev``,
    the last acknowledged generation. ``durable=False`` skips both fsyncs, for files that
    only inform (the lock holder's name): still atomic, not power-cut proof.
    """
    tmp = write_temp(path, data, durable)
    try:
        if keep_previous and path.exists():
            _keep_previous(path)
        replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    if durable:
        fsync_dir(path.parent)


def _keep_previous(path: Path) -> None:
    prev = prev_path(path)
    prev.unlink(missing_ok=True)
    try:
        os.link(path, prev)
    except OSError:  # no hard links in this folder: the rename leaves a moment with no path
        replace(path, prev)


def prev_path(path: Path) -> Path:
    return path.with_name(path.name + ".prev")


def remove_stale_temps(folder: Path) -> list[Path]:
    """Delete temp files a killed writer left in ``folder``; return what was removed."""
    removed = []
    try:
        entries = list(os.scandir(folder))
    except FileNotFoundError:
        return removed
    for entry in entries:
        path = Path(entry.path)
        if entry.is_file() and is_temp(path):
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed
