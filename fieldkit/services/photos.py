"""Photos attached to a case: listed from its events, opened with this computer's image
viewer, or written out to a file.

Blobs are kept by sha256 with no file name, so a photo is opened from a copy under its own
name in a private folder (mode 0700: a photo may show a person or a flat's inside). The
viewer is ``xdg-open`` on Linux (only in a graphical session: without one it would start a
text browser in the very terminal the app runs in), ``open`` on macOS and the file's
association on Windows. Both calls here may take a while: the UI runs them in a thread.
"""

from __future__ import annotations

import getpass
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fieldkit.i18n import UserError
from fieldkit.services import cases as case_rules
from fieldkit.store.atomic import atomic_write
from fieldkit.store.modes import DIR_MODE
from fieldkit.store.platform import has_modes, is_windows

QUICK_FAILURE = 2.0  # seconds: a viewer that gives up at once says so with its exit code


class PhotoError(UserError, ValueError):
    """What went wrong, for the person; ``key`` is the i18n message."""


@dataclass(frozen=True)
class Photo:
    sha256: str
    name: str
    size: int
    media_type: str
    at: float  # when it was attached
    by: str
    here: bool  # the bytes are on this device (not only the reference)

    @property
    def size_text(self) -> str:
        return size_text(self.size)


def size_text(size: int) -> str:
    """A number of bytes as a person reads it: 512 B, 3 KB, 1.2 MB."""
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


def case_photos(store: Any, case_id: str) -> tuple[Photo, ...]:
    """Every attachment on the case's events, oldest first, each photo once."""
    case = store.get_case(case_id)
    if case is None:
        raise PhotoError("services.case.not_found")
    seen: set[str] = set()
    out = []
    for ev in case.events:
        for ref in ev.attachments:
            if ref.sha256 in seen:
                continue
            seen.add(ref.sha256)
            out.append(
                Photo(
                    sha256=ref.sha256,
                    name=ref.name or ref.sha256[:12],
                    size=ref.size,
                    media_type=ref.media_type,
                    at=case_rules.epoch(ev.at),
                    by=ev.by,
                    here=store.has_blob(ref.sha256),
                )
            )
    return tuple(out)


def viewer() -> list[str] | None:
    """The command that opens a file with the desktop's viewer, or None when there is none."""
    if is_windows():
        return ["explorer"]
    if sys.platform == "darwin":
        found = shutil.which("open")
        return [found] if found else None
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        return None
    found = shutil.which("xdg-open")
    return [found] if found else None


def _safe_name(photo: Photo) -> str:
    name = re.sub(r"[^\w.\-]+", "_", Path(photo.name).name).strip("._") or "photo"
    if "." not in name:
        name += {"image/png": ".png", "image/jpeg": ".jpg"}.get(photo.media_type, ".jpg")
    return name


def _bytes(store: Any, photo: Photo) -> bytes:
    if not store.has_blob(photo.sha256):
        raise PhotoError("cases.photos.not_here", name=photo.name)
    return store.read_blob(photo.sha256)  # checked against its sha256


def view_folder() -> Path:
    """A private folder for the copies a viewer opens."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "user"
    folder = Path(tempfile.gettempdir()) / ("fieldkit-photos-" + re.sub(r"\W", "_", user))
    folder.mkdir(mode=DIR_MODE, exist_ok=True)
    if has_modes():
        os.chmod(folder, DIR_MODE)
    return folder


def open_photo(store: Any, photo: Photo, command: list[str] | None = None) -> str:
    """Open the photo with the system viewer; returns the viewer's name. PhotoError when
    there is none, the photo is not on this device, or the viewer gives up at once."""
    command = command or viewer()
    if not command:
        raise PhotoError("cases.photos.no_viewer")
    data = _bytes(store, photo)
    path = view_folder() / f"{photo.sha256[:12]}-{_safe_name(photo)}"
    if not path.is_file():
        atomic_write(path, data, durable=False)
    try:
        proc = subprocess.Popen(
            [*command, str(path)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=not is_windows(),  # POSIX: the viewer outlives the app
        )
    except OSError:
        raise PhotoError("cases.photos.no_viewer") from None
    try:
        code = proc.wait(QUICK_FAILURE)
    except subprocess.TimeoutExpired:
        code = 0  # still showing it: a viewer that stays in the foreground
    if code != 0 and command[0] != "explorer":  # explorer exits 1 when it worked
        raise PhotoError("cases.photos.no_viewer")
    return Path(command[0]).name


def save_photo(store: Any, photo: Photo, destination: str) -> Path:
    """Write the photo to ``destination`` (a file, or a folder to put it in under its own
    name); never over an existing file."""
    text = destination.strip()
    if not text:
        raise PhotoError("cases.photos.cannot_write", path="", reason="-")
    path = Path(text).expanduser()
    if path.is_dir():
        path = path / _safe_name(photo)
    if path.exists():
        raise PhotoError("cases.photos.exists", path=str(path))
    data = _bytes(store, photo)
    try:
        atomic_write(path, data)
    except OSError as exc:
        raise PhotoError(
            "cases.photos.cannot_write", path=str(path), reason=exc.strerror or str(exc)
        ) from None
    return path
