"""The case list's search finds a problem however it was said: 漏水 finds 渗水 and 渗漏,
"leak" finds "seeping", from the shipped groups of words (data, bounded), and never a case
that says none of them."""

from __future__ import annotations

import pytest

from fieldkit.model import Target
from fieldkit.services import search_words
from fieldkit.services.types import CaseFilter


def test_the_shipped_groups_are_read_and_bounded():
    groups = search_words.groups()
    assert ("漏水", "渗水", "渗漏", "滴水", "漏雨", "返潮") in groups
    assert any("噪音" in g and "噪声" in g for g in groups)
    assert any("停电" in g and "断电" in g for g in groups)
    assert any("leak" in g for g in groups) and any("lift" in g and "elevator" in g for g in groups)
    assert len(groups) <= search_words.MAX_GROUPS
    for group in groups:
        assert 2 <= len(group) <= search_words.MAX_WORDS
        assert all(w == w.lower() and len(w) <= search_words.MAX_LENGTH for w in group)


@pytest.mark.parametrize(
    ("data", "says"),
    [
        ({"zh": [["漏水"]]}, "2 to 12 words"),
        ({"zh": [["漏水", "渗水"], ["渗水", "滴水"]]}, "already in a group"),
        ({"en": [["leak", "x" * 21]]}, "1 to 20 characters"),
        ({"en": "leak"}, "not a list of groups"),
    ],
)
def test_a_group_out_of_bounds_is_refused_by_name(data, says):
    with pytest.raises(ValueError, match=says):
        search_words.parse(data)


def test_a_search_is_widened_within_bounds():
    assert search_words.expand("卫生间漏水")[:3] == ("卫生间漏水", "卫生间渗水", "卫生间渗漏")
    assert search_words.expand("  Power Cut ")[0] == "power cut"
    assert search_words.expand("#4f81c6") == ("#4f81c6",)  # a number is matched as typed
    many = tuple(tuple(f"{c}{n}" for n in range(12)) for c in "abcdef")
    forms = search_words.expand("a0 b0 c0 d0", within=many)
    assert len(forms) == search_words.MAX_FORMS and forms[0] == "a0 b0 c0 d0"


def test_the_desk_finds_a_leak_however_it_was_said(tmp_path):
    from fieldkit.services.demo import generate
    from fieldkit.services.workspace import Workspace

    generate(tmp_path / "c", cases=0, floors=2)
    ws = Workspace.open(tmp_path / "c")
    try:
        unit = ws.store.reference("unit")[0]

        def case(zh, en):
            return ws.store.create_case(
                "repair", Target("unit", unit.id), title=zh, extra={"titles": {"zh": zh, "en": en}}
            ).id

        seeping = case("楼上渗水到客厅墙面", "Water seeping through the living-room wall")
        dripping = case("卫生间天花板滴水", "Bathroom ceiling dripping")
        leak = case("厨房水管接头漏水", "Kitchen pipe joint leaking")
        lift = case("电梯运行中异响", "Lift makes a noise")
        noise = case("楼上夜里拖动家具的声音", "Furniture dragged upstairs at night")

        def finds(text):
            return {r.id for r in ws.cases_page(CaseFilter(status="", text=text), 0, 50).rows}

        assert finds("漏水") == {seeping, dripping, leak}
        assert finds("渗漏") == {seeping, dripping, leak}
        assert finds("leak") == {seeping, dripping, leak}
        assert finds("elevator") == {lift}
        assert finds("噪音") == {noise}
        assert finds("停电") == set()
    finally:
        ws.close()
