"""A fault found again while its violation is open (ren26): the round's review says it is
already open (case, since when, deadline), the submit adds the finding to that case instead
of raising a second one, and the notice says it is found again, with the first date and
the deadline; the round's closing remark (备注) is on the notice where the owner reads it."""

from __future__ import annotations

from datetime import timedelta

from fieldkit.model import localtime
from fieldkit.services import cases as case_rules
from fieldkit.services.history import events_of, sentences
from fieldkit.services.renovation import FOUND_AGAIN, again_words, notice, send_notice
from tests.registry.test_renovation import PATROL, fill, live  # noqa: F401  (the fixture)

FLAT = "3-2-302"


def _round(ws, tmp_path, note: str, remark: str):
    unit = ws.lookup_scan(FLAT).target
    run = ws.start_run(PATROL, unit)
    run.answer("wiring", "fail")
    run.note("wiring", note)
    if remark:
        run.answer("note", remark)
    fill(run, tmp_path, fail={"wiring"})
    return run


def test_a_fault_found_again_goes_on_its_open_case_and_the_notice_says_so(live, tmp_path):  # noqa: F811
    ws = live
    first = _round(ws, tmp_path, "卧室明线入墙", "业主不在家，已告知施工队长")
    (case_id,) = first.submit(first.proposed_cases())
    text = notice(ws, [case_id])
    send_notice(ws, [case_id])
    case = ws.store.get_case(case_id)
    assert "巡查备注（原文）：业主不在家，已告知施工队长" in text["zh"]  # the round's 备注
    assert "Inspector's remarks (as written): 业主不在家，已告知施工队长" in text["en"]
    assert "再次发现" not in text["zh"] and "Found again" not in text["en"]

    again = _round(ws, tmp_path, "卫生间又拉了明线", "Foreman says the electrician comes Monday")
    (proposed,) = again.proposed_cases()
    assert proposed.again is not None and proposed.again.id == case_id
    since = localtime.fmt(case.created_at, "date")
    due = localtime.fmt(case.due, "due")
    review = {lang: again_words(proposed.again, lang) for lang in ("zh", "en")}
    assert review["zh"] == (f"此违规已在工单 #{case_id[-6:]} 登记（{since} 发现，整改期限 {due}）："
                            "本次发现记入该工单（复查：仍未整改），不另开工单。")  # fmt: skip
    assert (
        f"Already open as case #{case_id[-6:]} (found {since}, to be put right by {due})"
        in (review["en"])
    )
    assert again.submit([proposed]) == [case_id]
    open_now = [c for c in ws.store.open_cases(again.target.id) if c.kind == "violation"]
    assert [c.id for c in open_now] == [case_id]  # no second case
    kept = ws.store.get_case(case_id)
    assert kept.due == case.due  # the owner still has until the deadline the notice gave
    assert [e.type for e in kept.events].count(FOUND_AGAIN) == 1
    history = {lang: sentences("violation", events_of(kept.to_dict()), lang)
               for lang in ("zh", "en")}  # fmt: skip
    assert any(line.startswith("再次发现：仍未整改 — 卫生间又拉了明线") for line in history["zh"])
    assert any(line.startswith("Found again: still not put right") for line in history["en"])
    assert case_id in ws.store.get_inspection(again.id).cases  # the round names the case

    text = notice(ws, [case_id])
    first_day = localtime.local(localtime.epoch(localtime.today()))
    assert "1. 电线未穿管或未按图施工" in text["zh"] and "2. " not in text["zh"]
    zh_first = f"{first_day.year}年{first_day.month}月{first_day.day}日"
    assert f"再次发现：此项已于 {zh_first} 发现并发出整改通知" in text["zh"]
    assert "这是就此项发出的第二次整改通知" in text["zh"]
    assert "this is the second notice about it" in text["en"]
    # what this round noted; the first round's notes are on the first notice (nc33)
    assert "卧室明线入墙" not in text["zh"] and "业主不在家" not in text["zh"]
    assert "现场记录（原文）：卫生间又拉了明线" in text["zh"]
    assert "巡查备注（原文）：Foreman says the electrician comes Monday" in text["zh"]


def test_a_fault_found_again_after_its_deadline_gets_the_rounds_deadline(live, tmp_path):  # noqa: F811
    ws = live
    first = _round(ws, tmp_path, "明线", "")
    (case_id,) = first.submit(first.proposed_cases())
    past = localtime.epoch(localtime.today() - timedelta(days=1))
    ws.store.update_case(case_id, by="test", due=case_rules.iso(past))
    again = _round(ws, tmp_path, "还是明线", "")
    again.submit(again.proposed_cases())
    kept = ws.store.get_case(case_id)
    assert localtime.fmt(kept.due, "due") > localtime.fmt(past, "due")
    said = notice(ws, [case_id])["zh"]
    assert "本次检查仍未整改。" in said  # no notice was given before: no "第二次"
