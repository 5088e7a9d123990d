"""Reading QR codes from a photo or a scanned sheet with zbar's ``zbarimg`` (Debian's
zbar-tools), for a laptop without a scanner and for checking printed label sheets.

A PDF is first rendered to PNG pages with poppler's ``pdftoppm`` (poppler-utils). Both are
plain command-line tools, so nothing here links against a native library.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from fieldkit.i18n import UserError


class ZbarError(UserError):
    """Cannot read the image. ``key``/``params`` name the message (qr.decode.*)."""


def _tool(name: str, package: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise ZbarError("qr.decode.no_tool", tool=name, package=package)
    return path


def read_image(image: Path) -> list[str]:
    """Every QR code zbar finds in ``image``, in the order it reports them."""
    if not image.is_file():
        raise ZbarError("qr.decode.no_file", path=str(image))
    zbarimg = _tool("zbarimg", "zbar-tools")
    done = subprocess.run(
        [zbarimg, "--raw", "--quiet", "-Sdisable", "-Sqrcode.enable", str(image)],
        capture_output=True,
        timeout=120,
    )
    if done.returncode == 4:  # zbarimg: the image was read but held no code
        return []
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ZbarError(
            "qr.decode.unreadable", path=str(image), reason=reason[-1] if reason else ""
        )
    text = done.stdout.decode("utf-8", "replace")
    return [line for line in text.splitlines() if line.strip()]


def read_pdf(pdf: Path, dpi: int = 200) -> list[list[str]]:
    """The codes on each page of a PDF, page by page. 200 dpi puts our 1/20-inch label
    modules on exactly 10 pixels each (see ``labelsheet.MODULE_MM``)."""
    if not pdf.is_file():
        raise ZbarError("qr.decode.no_file", path=str(pdf))
    pdftoppm = _tool("pdftoppm", "poppler-utils")
    with tempfile.TemporaryDirectory(prefix="fieldkit-qr-") as folder:
        done = subprocess.run(
            [pdftoppm, "-r", str(dpi), "-gray", "-png", str(pdf), f"{folder}/page"],
            capture_output=True,
            timeout=300,
        )
        if done.returncode != 0:
            reason = done.stderr.decode("utf-8", "replace").strip().splitlines()
            raise ZbarError(
                "qr.decode.unreadable", path=str(pdf), reason=reason[-1] if reason else ""
            )
        rendered = sorted(Path(folder).glob("page*.png"), key=lambda p: (len(p.name), p.name))
        return [read_image(page) for page in rendered]


def read_codes(path: Path) -> list[str]:
    """Every code in an image or (page by page) a PDF."""
    if path.suffix.lower() == ".pdf":
        return [code for page in read_pdf(path) for code in page]
    return read_image(path)
