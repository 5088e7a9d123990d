"""Reading a PDF as its reader would: its text (``pdftotext``), the fonts in it
(``pdffonts``) and its first page as a picture (``pdftoppm``), from poppler-utils, which
``scripts/system-deps.sh`` installs."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

needs_poppler = pytest.mark.skipif(
    not all(shutil.which(tool) for tool in ("pdftotext", "pdffonts", "pdftoppm")),
    reason="poppler-utils (pdftotext, pdffonts, pdftoppm) is not installed",
)

#: Three or more single Latin letters in a row, each followed by a space: "S u m m a r y",
#: what Latin set in a CJK font's spacing comes out as.
SPACED = re.compile(r"(?<![A-Za-z])(?:[A-Za-z] ){3,}[A-Za-z](?![A-Za-z])")


def text(pdf: Path, layout: bool = False) -> str:
    """The PDF's text, pages separated by form feeds."""
    args = ["pdftotext", "-enc", "UTF-8", *(["-layout"] if layout else []), str(pdf), "-"]
    return subprocess.run(args, capture_output=True, text=True, check=True, timeout=60).stdout


def pages(pdf: Path) -> list[str]:
    return [page for page in text(pdf, layout=True).split("\f") if page.strip()]


def fonts(pdf: Path) -> list[dict[str, str]]:
    """Each font the PDF uses: name, type and whether it is embedded (``emb``)."""
    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True,
                         timeout=60).stdout.splitlines()  # fmt: skip
    rows = []
    for line in out[2:]:
        parts = line.split()
        # name type [type...] encoding emb sub uni object gen
        rows.append({"name": parts[0], "emb": parts[-5], "type": " ".join(parts[1:-6])})
    return rows


def first_page(pdf: Path, out: Path, dpi: int = 60) -> Path:
    """The first page as a PNG."""
    stem = out.with_suffix("")
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-f", "1", "-l", "1", "-singlefile",
                    str(pdf), str(stem)], check=True, timeout=60)  # fmt: skip
    return stem.with_suffix(".png")


def inked(png: Path) -> float:
    """The share of the page that is not white (a blank page is 0)."""
    from PIL import Image

    with Image.open(png) as image:
        grey = image.convert("L")
        dark = sum(grey.histogram()[:200])
        return dark / (grey.width * grey.height)


def assert_readable(pdf: Path, wanted: list[str]) -> str:
    """Every font embedded, every ``wanted`` text there whole, no spaced-out Latin; the
    first page drawn. Returns the text."""
    found = fonts(pdf)
    assert found, "no fonts: the text was not drawn"
    assert all(f["emb"] == "yes" for f in found), found
    words = text(pdf)
    flat = re.sub(r"\s+", " ", words)
    missing = [w for w in wanted if w not in words and w not in flat]
    assert not missing, (missing, words[:3000])
    assert not SPACED.search(words), SPACED.search(words).group(0)
    png = first_page(pdf, pdf.with_name(pdf.stem + "-page1.png"))
    share = inked(png)
    assert share > 0.02, f"the first page is nearly blank ({share:.1%} inked)"
    return words
