"""The demo's camera folder: a few pictures where a phone or camera app would save them, so
``c`` (attach the newest photo) works in the demo without any setting. The pictures are
plain PNGs written here, with no imaging library: a grey field with a coloured band, each
a little different, so two attached photos are two different files."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

from fieldkit.store.atomic import atomic_write

CAMERA_DIR = "camera"
#: (name, band colour): one picture per kind of thing a round photographs.
PICTURES = (
    ("IMG_0001.png", (200, 40, 40)),
    ("IMG_0002.png", (40, 140, 60)),
    ("IMG_0003.png", (40, 80, 200)),
)
WIDTH, HEIGHT = 320, 240


def camera_folder(folder: Path) -> Path:
    return folder / CAMERA_DIR


def make(folder: Path) -> Path:
    """Write the pictures into ``folder/camera`` (made if absent; pictures there are kept);
    the newest is the last of :data:`PICTURES`."""
    camera = camera_folder(folder)
    camera.mkdir(parents=True, exist_ok=True)
    for name, band in PICTURES:
        path = camera / name
        if not path.exists():
            atomic_write(path, png(band))
    return camera


def png(band: tuple[int, int, int]) -> bytes:
    """A WIDTH × HEIGHT RGB PNG: grey, with a band of ``band`` across its middle third."""
    grey = bytes((150, 150, 150)) * WIDTH
    coloured = bytes(band) * WIDTH
    rows = b"".join(
        b"\x00" + (coloured if HEIGHT // 3 <= y < 2 * HEIGHT // 3 else grey) for y in range(HEIGHT)
    )

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    head = struct.pack(">IIBBBBB", WIDTH, HEIGHT, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", head) + chunk(b"IDAT", zlib.compress(rows))
            + chunk(b"IEND", b""))  # fmt: skip
