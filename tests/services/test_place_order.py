"""The place search (/ on the start screen) lists codes as people count them: EXT-1-1-2
right after EXT-1-1-1, the tenth floor after the ninth."""

from __future__ import annotations

from fieldkit.services.demo import generate
from fieldkit.services.places import natural
from fieldkit.services.workspace import Workspace


def test_codes_are_listed_as_people_count(tmp_path):
    generate(tmp_path / "ws", cases=0, floors=12)
    ws = Workspace.open(tmp_path / "ws", command="tests")
    try:
        found = [t.code for t in ws.search("EXT-1-1-")]
        assert found[:11] == [f"EXT-1-1-{n}" for n in range(1, 12)]
        flats = [t.code for t in ws.search("1-1-") if t.kind == "unit"]
        assert flats.index("1-1-901") < flats.index("1-1-1001")
    finally:
        ws.close()


def test_natural_order_compares_numbers_as_numbers():
    codes = ["3-2-1502", "EXT-1-1-10", "3-2-902", "EXT-1-1-2", "B2", "b10"]
    assert sorted(codes, key=natural) == ["3-2-902", "3-2-1502", "B2", "b10", "EXT-1-1-2",
                                          "EXT-1-1-10"]  # fmt: skip
