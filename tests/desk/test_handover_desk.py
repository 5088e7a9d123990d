"""The desk's shift as its handover tells it, on a real store: the intake listed, a dispatch
and a reassignment as sentences naming the person, a reopening said as such, and a
statement typed this shift for the evening before listed — at the time it names, saying it
was recorded late. The case's history reads in time order with the same mark."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest

from fieldkit.i18n import set_language
from fieldkit.model import localtime
from fieldkit.services import disputes, history, intake
from fieldkit.services import lifecycle as lc
from fieldkit.services.handover import document, handover, render
from tests.desk.helpers import desk_workspace, take

WORDS = {
    "zh": {"took": "登记报修：漏水渗水", "sent": "派给工程部 张师傅",
           "again": "改派给工程部 王师傅（原为工程部 张师傅）",
           "reopened": "重新打开：已完工 → 已派工 — 还在漏", "late": "（补记，",
           "said": "甲方 1-1-502 李**陈述：昨晚十点后一直有拖家具的声音"},
    "en": {"took": "New repair: Water leak",
           "sent": "Dispatched to Engineering, 张师傅",
           "again": "Reassigned to Engineering, 王师傅 (was Engineering, 张师傅)",
           "reopened": "Reopened: Done → Dispatched — 还在漏", "late": " (recorded late, on ",
           "said": "李** for side 1, 1-1-502, said: 昨晚十点后一直有拖家具的声音"},
}  # fmt: skip


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_handover_tells_the_shift_as_it_was_done(tmp_path, lang):
    set_language(lang)
    ws, _ = desk_workspace(tmp_path / "ws")
    w = WORDS[lang]
    try:
        repair = take(ws, "repair", "1-1-602", "water_leak", "卫生间顶上滴水")
        intake.dispatch(ws.store, repair, "engineering", "office", assignee="张师傅", by="刘洋")
        intake.dispatch(ws.store, repair.id, "engineering", "office", assignee="王师傅",
                        by="刘洋")  # fmt: skip
        lc.move(ws.store, repair.id, "in_progress", "office")
        lc.move(ws.store, repair.id, "done", "office", note="换了接头")
        lc.follow_up(ws.store, repair.id, lc.FollowUp(2, "还在漏"), "office")
        quarrel = take(ws, "dispute", "1-1-502", "noise_dispute", "楼上拖家具", other="1-1-602")
        yesterday = localtime.now() - timedelta(hours=20)  # typed on the compound's clock
        disputes.add_statement(ws.store, quarrel.id, "a", "李秀兰", "昨晚十点后一直有拖家具的声音",
                               when=yesterday.strftime("%Y-%m-%d %H:%M"))  # fmt: skip
        shift = handover(ws.store, now=datetime.now(UTC), shift_hours=8, lang=lang)
    finally:
        ws.close()
    lines = [d.text for d in shift.done]
    for said in (w["took"], w["sent"], w["again"], w["reopened"]):
        assert said in lines, (said, lines)
    assert lines.index(w["sent"]) < lines.index(w["again"]) < lines.index(w["reopened"])
    (late,) = [d for d in shift.done if d.text.startswith(w["said"])]
    assert w["late"] in late.text and late.typed is not None
    assert localtime.fmt(late.at, "short") == yesterday.strftime("%m-%d %H:%M")
    text = render(shift, "text", lang)
    assert yesterday.strftime("%m-%d %H:%M") in text and w["said"] in text  # its stated time
    assert "修改了工单信息" not in text and "details changed" not in text
    # the repair's steps read as its number and title once, then each step under it
    done = text.split("\n\n")[1]  # the section of what was done (the due list may name it too)
    repair_lines = [line for line in done.splitlines() if f"#{repair.id[-6:]}" in line]
    # the owner's words once, as the title: the taking does not repeat them (nc21)
    taken = f"#{repair.id[-6:]} 1-1-602 卫生间顶上滴水 — {w['took']}"  # with its flat
    assert len(repair_lines) == 1 and taken in repair_lines[0], text
    assert repair_lines[0].count("卫生间顶上滴水") == 1, repair_lines
    below = done.splitlines()[done.splitlines().index(repair_lines[0]) + 1 :]
    steps = below[: len([d for d in shift.done if d.ref == repair.id[-6:]]) - 1]
    assert all("↳" in line for line in steps), text
    assert [w["sent"], w["again"], w["reopened"]] == [
        said for said in (w["sent"], w["again"], w["reopened"]) for line in steps if said in line
    ], steps
    # and on paper: a step under its case, not a line of its own with no case (nc30)
    from fieldkit.reports.document import Section

    (done_grid,) = next(b for b in document(shift, lang).blocks if isinstance(b, Section)).blocks
    rows = [row for row in done_grid.rows if row[1] == repair.id[-6:] or (not row[1] and row[3])]
    first = next(i for i, row in enumerate(rows) if row[1] == repair.id[-6:])
    assert rows[first][3] == w["took"] and rows[first + 1][3] == "↳ " + w["sent"], rows


def test_the_history_puts_a_late_statement_where_it_happened(tmp_path):
    set_language("zh")
    ws, _ = desk_workspace(tmp_path / "ws")
    try:
        quarrel = take(ws, "dispute", "1-1-502", "noise_dispute", "楼上拖家具", other="1-1-602")
        disputes.add_statement(ws.store, quarrel.id, "b", "陈建国", "不是我们家",
                               when=time.strftime("%Y-%m-%d %H:%M", time.localtime(
                                   time.time() - 86400)))  # fmt: skip
        disputes.add_statement(ws.store, quarrel.id, "a", "李秀兰", "又吵了")  # now: not late
        events = ws.case(quarrel.id).events
    finally:
        ws.close()
    assert [e.kind for e in events] == ["statement", "raised", "statement"]  # time order
    lines = history.sentences("dispute", events, "zh", names={"陈建国"})  # revealed
    assert lines[0].startswith("乙方 1-1-602 陈建国陈述：不是我们家（补记，")
    assert "补记" not in lines[2]
