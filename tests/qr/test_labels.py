"""Printed label sheets scan back exactly: PDF (rendered with pdftoppm) and PNG pages, every
page read with zbarimg; `fieldkit qr decode`; bad input gets a sentence and exit 2."""

from __future__ import annotations

import shutil
import subprocess
from collections import Counter

import pytest

from fieldkit.cli import main
from fieldkit.services.labels import LabelIndex
from fieldkit.store import Store

needs_zbar = pytest.mark.skipif(
    not (shutil.which("zbarimg") and shutil.which("pdftoppm")),
    reason="zbarimg (zbar-tools) and pdftoppm (poppler-utils) are needed: make system-deps",
)


@pytest.fixture
def device(compound, monkeypatch):
    monkeypatch.setenv("FIELDKIT_DATA_DIR", str(compound))
    return compound


def expected(folder, building=None, kind=None) -> list[str]:
    with Store.open(folder, readonly=True) as store:
        return [lb.payload for lb in LabelIndex.load(store).select("CH", building, kind)]


def zbar(path) -> list[str]:
    done = subprocess.run(
        ["zbarimg", "--raw", "--quiet", "-Sdisable", "-Sqrcode.enable", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode in (0, 4), done.stderr
    return done.stdout.split()


@needs_zbar
def test_pdf_sheet_scans_back_exactly(device, tmp_path, capsys):
    out = tmp_path / "labels.pdf"
    assert main(["qr", "labels", "--site", "CH", "--out", str(out)]) == 0
    want = expected(device)
    # flats and 2 assets per landing, 6 stairwells, the car park and perimeter routes, 5 night
    # patrol points and 3 roof doors
    assert len(want) == 3 * 2 * 2 * 6 + 6 + 2 + 5 + 3
    assert f"{len(want)} label(s) on 8 page(s)" in capsys.readouterr().out
    assert b"STSong-Light" in out.read_bytes()
    pages = tmp_path / "pages"
    pages.mkdir()
    subprocess.run(
        ["pdftoppm", "-r", "200", "-gray", "-png", str(out), str(pages / "p")],
        check=True,
        capture_output=True,
    )
    rendered = sorted(pages.glob("p-*.png"))
    assert len(rendered) == 8
    got = [code for page in rendered for code in zbar(page)]
    assert Counter(got) == Counter(want)


@needs_zbar
def test_png_sheets_of_one_building_scan_back_exactly(device, tmp_path, capsys):
    out = tmp_path / "b2.png"
    assert main(["qr", "labels", "--site", "ch", "--building", "2", "--out", str(out)]) == 0
    files = sorted(tmp_path.glob("b2-*.png"))
    assert [f.name for f in files] == ["b2-1.png", "b2-2.png", "b2-3.png"]
    want = expected(device, building="2")
    assert len(want) == 27  # its roof door too
    assert Counter(code for f in files for code in zbar(f)) == Counter(want)


@needs_zbar
def test_decode_command_names_each_label(device, tmp_path, capsys):
    out = tmp_path / "routes.pdf"
    assert main(["qr", "labels", "--site", "CH", "--kind", "checkpoint", "--out", str(out)]) == 0
    capsys.readouterr()
    assert main(["qr", "decode", str(out)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert sorted(line.split("\t")[0] for line in lines) == sorted(
        expected(device, kind="checkpoint")
    )
    stairwells = [line for line in lines if "stairwell" in line.lower()]
    assert len(stairwells) == 6
    others = {
        line.split("\t")[1].split()[-1]: line.split("\t")[2]
        for line in lines
        if line not in stairwells
    }
    assert others == {  # the night patrol's points, roof doors, the non-stairwell routes
        "GATE-N": "North gate lodge", "GATE-S": "South gate lodge",
        "PARK-B1": "Car park entrance (B1)", "PARK-B1-E": "Car park east bay (B1)",
        "PUMP": "Fire pump room", "ROOF-1": "Roof door, Building 1",
        "ROOF-2": "Roof door, Building 2", "ROOF-3": "Roof door, Building 3",
        "R-PARK": "Car park and fire lanes", "R-WALL": "Compound perimeter",
    }  # fmt: skip


@needs_zbar
def test_decode_reports_foreign_and_missing_codes(device, tmp_path, capsys):
    import segno

    segno.make("HELLO-WORLD", error="m", micro=False).save(tmp_path / "junk.png", scale=8)
    assert main(["qr", "decode", str(tmp_path / "junk.png")]) == 1
    assert "not a fieldkit label" in capsys.readouterr().out
    blank = tmp_path / "blank.png"
    from PIL import Image

    Image.new("L", (200, 200), 255).save(blank)
    assert main(["qr", "decode", str(blank)]) == 1
    assert "no QR code found" in capsys.readouterr().out
    text = tmp_path / "notes.txt"
    text.write_text("not an image")
    assert main(["qr", "decode", str(text)]) == 2
    assert "Cannot read" in capsys.readouterr().err
    assert main(["qr", "decode", str(tmp_path / "missing.png")]) == 2
    assert "There is no file" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--site", "XX", "--out", "{tmp}/a.pdf"], "No site 'XX' on this device. Sites here: CH."),
        (["--site", "CH", "--building", "9", "--out", "{tmp}/a.pdf"], "Buildings: 1, 2, 3."),
        (["--site", "CH", "--out", "{tmp}/a.docx"], "end the file name with .pdf or .png"),
        (["--site", "CH", "--out", "{tmp}/nowhere/a.pdf"], "does not exist"),
    ],
)
def test_bad_label_requests_say_what_is_wrong(device, tmp_path, capsys, args, message):
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    assert main(["qr", "labels", *args]) == 2
    assert message in capsys.readouterr().err
    assert not list(tmp_path.glob("a*"))


def test_no_reference_data_yet(tmp_path, capsys):
    assert main(["qr", "labels", "--site", "CH", "--out", str(tmp_path / "a.pdf")]) == 2
    assert "no reference data" in capsys.readouterr().err


def test_help_in_chinese(capsys):
    with pytest.raises(SystemExit):
        main(["--lang", "zh", "qr", "labels", "--help"])
    assert "二维码标签页" in capsys.readouterr().out
