"""A full print run of labels reads back whole at the common office scan settings: 144 flat
labels (12 A4 pages) rendered from the PDF at 150 and at 300 dpi, every page decoded with
zbarimg; and the page header's Latin text is spaced as written (pdftotext reads it back)."""

from __future__ import annotations

import shutil
import subprocess
from collections import Counter

import pytest

from fieldkit.cli import main
from fieldkit.services.demo import generate
from fieldkit.services.labels import LabelIndex
from fieldkit.store import Store

pytestmark = pytest.mark.skipif(
    not all(shutil.which(p) for p in ("zbarimg", "pdftoppm", "pdftotext")),
    reason="zbarimg (zbar-tools), pdftoppm and pdftotext (poppler-utils) are needed",
)


@pytest.fixture(scope="module")
def sheet(tmp_path_factory):
    """144 flats: 3 buildings × 2 entrances × 6 floors × 2 flats a landing."""
    folder = tmp_path_factory.mktemp("sheet")
    generate(folder / "c", cases=5, now=1_800_000_000.0, floors=6)
    with Store.open(folder / "c", readonly=True) as store:
        want = [lb.payload for lb in LabelIndex.load(store).select("CH", None, "unit")]
    out = folder / "flats.pdf"
    import os

    os.environ["FIELDKIT_DATA_DIR"] = str(folder / "c")
    try:
        assert main(["qr", "labels", "--site", "CH", "--kind", "unit", "--out", str(out)]) == 0
    finally:
        del os.environ["FIELDKIT_DATA_DIR"]
    return out, want


def _decoded(png) -> list[str]:
    done = subprocess.run(
        ["zbarimg", "--raw", "--quiet", "-Sdisable", "-Sqrcode.enable", str(png)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        check=False,
    )
    assert done.returncode in (0, 4)
    return done.stdout.split()


@pytest.mark.parametrize("dpi", [150, 300])
def test_every_label_reads_back_at(sheet, tmp_path, dpi):
    pdf, want = sheet
    assert len(want) == 144
    subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-gray", "-png", str(pdf), str(tmp_path / "p")],
        check=True,
        capture_output=True,
    )
    pages = sorted(tmp_path.glob("p-*.png"))
    assert len(pages) == 12
    got = [code for page in pages for code in _decoded(page)]
    assert Counter(got) == Counter(want), f"{len(set(got) & set(want))}/144 at {dpi} dpi"


def test_the_header_reads_as_written(sheet):
    pdf, _ = sheet
    text = subprocess.run(
        ["pdftotext", "-l", "1", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    first = text.splitlines()[0]
    assert "Cuihu Garden (CH)" in first and "翠湖苑" in first, first
    assert "1/12" in first
