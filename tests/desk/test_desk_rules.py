"""The service rules behind what the desk journey walks: a follow-up typed as a clerk types
it, text bounded where it is typed, no dispatch of a closed case, a case found by its
number or flat, a dispute's history naming the side, flat and (masked) speaker."""

from __future__ import annotations

import pytest

from fieldkit.i18n import UserError, set_language
from fieldkit.services import disputes, history, intake
from fieldkit.services import lifecycle as lc
from fieldkit.services.cases import TEXT_MAX
from fieldkit.services.types import CaseFilter
from tests.desk.helpers import desk_workspace, take


@pytest.mark.parametrize(
    ("typed", "score", "comment"),
    [("5分，很满意", 5, "很满意"), ("4 修得很快", 4, "修得很快"), ("2/5 还在漏", 2, "还在漏"),
     ("3: ok", 3, "ok"), ("5", 5, "")],
)  # fmt: skip
def test_a_follow_up_is_read_as_typed(typed, score, comment):
    assert lc.parse_follow_up(typed) == lc.FollowUp(score, comment)


@pytest.mark.parametrize("typed", ["ok", "10 great", "0 bad", ""])
def test_a_follow_up_without_a_score_is_refused(typed):
    with pytest.raises(UserError) as refused:
        lc.parse_follow_up(typed)
    assert refused.value.key == "ui.case.bad_score"


def test_a_dissatisfied_owner_needs_the_reason():
    set_language("zh")
    with pytest.raises(UserError) as refused:
        lc.parse_follow_up("2")
    assert "业主不满意（2 分），请写上原因" in refused.value.message()


def test_text_is_bounded_and_nothing_is_saved(tmp_path):
    ws, _ = desk_workspace(tmp_path / "ws")
    try:
        with pytest.raises(UserError) as refused:
            take(ws, "repair", "1-1-602", "water_leak", "漏" * (TEXT_MAX + 1))
        assert refused.value.params["count"] == TEXT_MAX + 1
        assert ws.store.open_cases() == []
        case = take(ws, "repair", "1-1-602", "water_leak", "厨房漏水")
        with pytest.raises(UserError):
            ws.add_case_note(case.id, "x" * (TEXT_MAX + 1))
        assert len(ws.store.get_case(case.id).events) == 0
    finally:
        ws.close()


def test_a_closed_case_is_not_dispatched_again(tmp_path):
    set_language("zh")
    ws, _ = desk_workspace(tmp_path / "ws")
    try:
        case = take(ws, "complaint", "1-1-602", "noise", "楼上夜里敲打")
        case = lc.move(ws.store, case, "cancelled", "office", note="重复登记")
        with pytest.raises(UserError) as refused:
            intake.dispatch(ws.store, case, "security", "office", assignee="赵刚")
        assert refused.value.message() == "此工单已撤销，不能再派单或改派。"
        assert ws.store.get_case(case.id).assignee == ""
    finally:
        ws.close()


def test_a_case_is_found_by_its_number_or_flat_whatever_its_status(tmp_path):
    ws, _ = desk_workspace(tmp_path / "ws")
    try:
        first = take(ws, "repair", "1-1-602", "water_leak", "厨房漏水")
        take(ws, "repair", "1-1-502", "water_leak", "卫生间漏水")
        lc.move(ws.store, first, "cancelled", "office", note="业主自行修好")
        for text in (f"#{first.id[-6:]}", first.id[-4:], "1-1-602"):
            page = ws.cases_page(CaseFilter(status="", text=text), 0, 50)
            assert [r.id for r in page.rows] == [first.id], text
    finally:
        ws.close()


def test_a_dispute_history_names_side_flat_speaker_and_who_was_brought_in(tmp_path):
    ws, _ = desk_workspace(tmp_path / "ws")
    try:
        case = take(ws, "dispute", "1-1-502", "leak_dispute", "楼上漏水", other="1-1-602")
        disputes.add_statement(ws.store, case.id, "a", "李秀兰", "天花板发霉")
        disputes.log_referral(ws.store, case.id, "committee", "王主任", reference="JW-118",
                              outcome="约定周六调解")  # fmt: skip
        events = ws.case(case.id).events
        zh = history.sentences("dispute", events, "zh")
        assert "甲方 1-1-502 李**陈述：天花板发霉" in zh  # masked, unless revealed
        assert "甲方 1-1-502 李秀兰陈述：天花板发霉" in history.sentences(
            "dispute", events, "zh", names={"李秀兰"})  # fmt: skip
        assert "居委会介入（由王主任受理，编号 JW-118）：约定周六调解" in zh
        en = history.sentences("dispute", events, "en")
        assert "李** for side 1, 1-1-502, said: 天花板发霉" in en
        assert (
            "Brought in the residents' committee; 王主任 took it there (ref. JW-118): 约定周六调解"
            in en
        )
    finally:
        ws.close()


def test_the_people_to_dispatch_to_keep_their_numbers(tmp_path):
    """A name typed once comes last and stays; switching a case back and forth renumbers
    no one, and a person whose cases were all handed on is still offered."""
    ws, _ = desk_workspace(tmp_path / "ws")
    try:
        first = take(ws, "repair", "1-1-602", "water_leak", "厨房漏水")
        second = take(ws, "repair", "1-1-502", "water_leak", "卫生间漏水")
        intake.dispatch(ws.store, first, "engineering", "office", assignee="张师傅")
        intake.dispatch(ws.store, second, "engineering", "office", assignee="王师傅")
        assert intake.assignees(ws.store, "engineering") == ["张师傅", "王师傅"]
        intake.dispatch(ws.store, first.id, "engineering", "office", assignee="赵师傅")
        assert intake.assignees(ws.store, "engineering") == ["张师傅", "王师傅", "赵师傅"]
        intake.dispatch(ws.store, first.id, "engineering", "office", assignee="张师傅")
        assert intake.assignees(ws.store, "engineering") == ["张师傅", "王师傅", "赵师傅"]
        assert intake.assignees(ws.store, "security") == []
    finally:
        ws.close()
