"""Device files only their owner can read: files 0600, folders 0700.

A data folder holds residents' names and phone numbers and the device's token, so where
the OS has modes (POSIX) every file fieldkit writes there is created 0600 and every folder
0700, whatever the umask. A file is created with that mode (a umask only takes bits away,
so it is never wider) and then set to exactly that mode on its open descriptor, before a
byte is written; a folder likewise right after ``mkdir``. So there is no moment at which
another user could open either. Folders an older version left readable, and their
files, are tightened when the store is opened (:func:`tighten`).

On Windows (:func:`fieldkit.store.platform.is_windows`) access goes by the ACLs of the
user's profile folder, where the data folder is, and ``chmod`` only sets the read-only flag:
no mode is set or relied on there (:func:`~fieldkit.store.platform.has_modes`).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from fieldkit.store.platform import has_modes

FILE_MODE = 0o600
DIR_MODE = 0o700


def open_file(path: Path | str, flags: int = os.O_WRONLY | os.O_CREAT | os.O_EXCL) -> int:
    """``os.open`` of a file that is (or becomes) mode 0600; the descriptor."""
    fd = os.open(path, flags | getattr(os, "O_BINARY", 0), FILE_MODE)
    if has_modes():
        try:
            if stat.S_IMODE(os.fstat(fd).st_mode) != FILE_MODE:
                os.fchmod(fd, FILE_MODE)
        except PermissionError:
            if flags & os.O_EXCL:  # our own new file: setting its mode cannot fail
                os.close(fd)
                raise
            # an existing file someone else owns (root ran fieldkit once): leave it
        except BaseException:
            os.close(fd)
            raise
    return fd


def make_dir(path: Path) -> None:
    """Make ``path`` (mode 0700) if missing; its parents as usual (they are not ours)."""
    if path.is_dir():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.mkdir(path, DIR_MODE)
    except FileExistsError:
        if not path.is_dir():
            raise
        return
    if has_modes():
        os.chmod(path, DIR_MODE)


def tighten(root: Path) -> list[Path]:
    """Set ``root`` and every folder under it to 0700, and the files of each folder that
    was open to 0600 (a folder already 0700 was made by this version, so its files are
    0600: they are not looked at, which keeps this cheap with thousands of photos); what
    was changed."""
    if not has_modes() or not root.is_dir():
        return []
    changed: list[Path] = []
    for folder, _dirs, files in os.walk(root):
        here = Path(folder)
        if _set(here, DIR_MODE, changed):
            for name in files:
                _set(here / name, FILE_MODE, changed)
    return changed


def _set(path: Path, mode: int, changed: list[Path]) -> bool:
    """Set ``path`` to ``mode`` unless it is already; whether it had to be."""
    try:
        info = os.lstat(path)
        if stat.S_ISLNK(info.st_mode) or stat.S_IMODE(info.st_mode) == mode:
            return False
        os.chmod(path, mode)
    except (FileNotFoundError, PermissionError):
        return False  # gone meanwhile, or not ours: nothing to do here
    changed.append(path)
    return True
