"""Who called, when it was not the owner: a tenant or a relative gives a number that is not
the registry's. The desk keeps their name and phone on the case (optional, bounded, a
mainland mobile or landline), the office sends them masked to the roles that may not see
them, as it does the registry's, and the call-back rings the caller first — revealed with a
reason and recorded, like an owner's number. A case taken before callers were kept reads as
it always did."""

from __future__ import annotations

import pytest

from fieldkit.i18n import set_language, t
from fieldkit.model import Target
from fieldkit.model.personal import keep_real, mask_record
from fieldkit.services import callback, intake, reveals
from fieldkit.services.callback import CallerError, clean_phone, parse_caller
from fieldkit.ui.app import FieldkitApp
from fieldkit.ui.dialogs.ask import AskDialog
from fieldkit.ui.dialogs.reveal import RevealDialog
from fieldkit.ui.screens.case_detail import CaseDetailScreen
from tests.desk.helpers import desk_workspace, flat, notes, open_case, owned_flat, take, text_of
from tests.waits import shown


@pytest.mark.parametrize(
    ("typed", "kept"),
    [("13812345678", "13812345678"), ("138 1234 5678", "13812345678"),
     ("+86 138-1234-5678", "13812345678"), ("021-62345678", "021-62345678"),
     ("(0571) 8888 8888", "0571-88888888"), ("010 6234567", "010-6234567"),
     ("62345678", "62345678"), ("", "")],
)  # fmt: skip
def test_a_mobile_or_a_landline_is_kept_one_way(typed, kept):
    assert clean_phone(typed) == kept


@pytest.mark.parametrize(
    "typed",
    [
        "1381234",
        "23812345678",
        "138123456789",
        "12345",
        "0123",
        "phone",
        "1" * 40,
        "021-62345678转801",
    ],  # an extension: the mask shows the last four digits
)
def test_a_number_nobody_can_ring_is_refused_in_both_languages(typed):
    with pytest.raises(CallerError) as refused:
        clean_phone(typed)
    zh, en = refused.value.message("zh"), refused.value.message("en")
    assert "不对" in zh and "11 位手机号" in zh and "021-62345678" in zh
    assert "is not a phone number we can call" in en and "area code" in en


def test_the_caller_line_is_read_as_a_name_and_a_number():
    assert parse_caller("王女士 13812345678") == ("王女士", "13812345678")
    assert parse_caller("13812345678，租户陈丽") == ("租户陈丽", "13812345678")
    assert parse_caller("Chen Li (tenant) 021 6234 5678") == ("Chen Li (tenant)", "021-62345678")
    assert parse_caller("业主的女儿") == ("业主的女儿", "")
    assert parse_caller("   ") == ("", "")
    with pytest.raises(CallerError) as two:
        parse_caller("王女士 13812345678 13912345678")
    assert two.value.key == "desk.caller.two_phones"
    with pytest.raises(CallerError) as long:
        parse_caller("王" * 31)
    assert long.value.key == "desk.caller.name_too_long"


def test_the_caller_is_kept_on_the_case_and_a_bad_one_saves_nothing(tmp_path):
    ws, _ = desk_workspace(tmp_path / "ws")
    try:
        unit = flat(ws, "1-1-602")
        request = intake.Request(
            "repair", Target("unit", unit.id), "water_leak", "卫生间漏水",
            caller_name="陈丽", caller_phone="138 1234 5678", where=unit.code,
        )  # fmt: skip
        case = intake.take(ws.store, request, by=ws.actor, lifecycles=ws.lifecycles)
        assert case.extra["caller"] == {"name": "陈丽", "phone": "13812345678"}
        before = len(ws.store.open_cases())
        with pytest.raises(CallerError):
            bad = intake.Request("repair", Target("unit", unit.id), "water_leak", "漏水",
                                 caller_phone="12345")  # fmt: skip
            intake.take(ws.store, bad, by=ws.actor, lifecycles=ws.lifecycles)
        assert len(ws.store.open_cases()) == before
    finally:
        ws.close()


def test_the_caller_is_masked_for_the_roles_the_registry_is_masked_for():
    body = {"id": "c1", "kind": "repair", "extra": {
        "caller": {"name": "陈丽", "phone": "13812345678"}, "where": "1-1-602"}}  # fmt: skip
    assert mask_record("case", body, "desk")["extra"]["caller"] == body["extra"]["caller"]
    patrol = mask_record("case", body, "patrol")["extra"]["caller"]
    assert patrol == {"name": "陈*", "phone": "138****5678"}
    renovation = mask_record("case", body, "renovation")["extra"]["caller"]
    assert renovation == {"name": "陈丽", "phone": "138****5678"}
    # the patrol device writes the case back with the masks it was sent: the office keeps
    # the real caller, and a patrol device can never change it
    sent = {**body, "extra": {**body["extra"], "caller": {"name": "x", "phone": "139"}}}
    kept, overridden = keep_real("case", sent, body, "patrol")
    assert kept["extra"]["caller"] == body["extra"]["caller"] and overridden


def test_an_older_case_without_a_caller_reads_as_before(tmp_path):
    ws, _ = desk_workspace(tmp_path / "ws")
    try:
        case = take(ws, "repair", owned_flat(ws), "water_leak", "厨房水管漏水")
        assert "caller" not in case.extra and callback.caller_of(case) == {}
        (owner,) = callback.contacts(ws, case.id)
        assert not owner.caller
    finally:
        ws.close()


WORDS = {
    "zh": {"row": "来电人", "which": "显示哪一位的电话", "shown": "已显示电话",
           "ask": "回访：先回电给来电人 陈*  138****5678（非业主本人）"},
    "en": {"row": "Caller", "which": "Whose number", "shown": "The phone number is shown",
           "ask": "Call-back: ring the caller first, Chen L***  138****5678 (not the owner)"},
}  # fmt: skip


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_the_call_back_rings_the_caller_first(tmp_path, lang):
    """The case lists the caller (masked) above the owner; c offers both, the caller first;
    the caller's number is shown for a reason and the reveal recorded first; the call-back
    move asks to ring the caller."""
    set_language(lang)
    ws, _ = desk_workspace(tmp_path / "ws")
    try:
        code = owned_flat(ws)
        unit = flat(ws, code)
        request = intake.Request(
            "repair", Target("unit", unit.id), "water_leak", "卫生间漏水", where=code,
            caller_name="陈丽" if lang == "zh" else "Chen Li", caller_phone="13812345678",
        )  # fmt: skip
        case = intake.take(ws.store, request, by=ws.actor, lifecycles=ws.lifecycles)
        app = FieldkitApp(ws, lang=lang)
        async with app.run_test(size=(140, 50)) as pilot:
            await pilot.pause()
            app.push_screen(CaseDetailScreen(case.id))
            screen = app.screen
            await shown(pilot, lambda: len(screen.contacts) == 2)
            head = text_of(screen, "#case-head")
            masked = "陈*" if lang == "zh" else "Chen L***"
            assert f"{WORDS[lang]['row']}" in head and f"{masked}  138****5678" in head, head
            labels = [line.split("  ")[0].strip() for line in head.splitlines()]
            assert labels.index(WORDS[lang]["row"]) < labels.index(t("desk.detail.owner", lang))
            assert "13812345678" not in head
            await pilot.press("c")
            await shown(pilot, lambda: not isinstance(app.screen, CaseDetailScreen))
            await pilot.press("1")  # the caller, listed first
            await shown(pilot, lambda: isinstance(app.screen, RevealDialog))
            await pilot.press("1")  # the first reason
            await shown(pilot, lambda: any(WORDS[lang]["shown"] in n for n in notes(app)))
            await shown(pilot, lambda: "13812345678" in text_of(screen, "#case-head"))
        (doc,) = [d for _, d in ws.store.iter_records(["reveal"])]
        assert doc["item"] == "phone" and doc["resident_id"] == callback.CALLER + case.id
        assert "13812345678" not in str(doc)  # the log never holds the value
    finally:
        ws.close()
        set_language("en")


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_the_follow_up_visit_says_to_ring_the_caller(tmp_path, lang):
    set_language(lang)
    ws, _ = desk_workspace(tmp_path / "ws")
    try:
        code = owned_flat(ws)
        unit = flat(ws, code)
        request = intake.Request(
            "repair", Target("unit", unit.id), "water_leak", "卫生间漏水", where=code,
            caller_name="陈丽" if lang == "zh" else "Chen Li", caller_phone="13812345678",
        )  # fmt: skip
        case = intake.take(ws.store, request, by=ws.actor, lifecycles=ws.lifecycles)
        case = intake.dispatch(ws.store, case, "engineering", "office", assignee="张师傅")
        from fieldkit.services import lifecycle as lc

        case = lc.move(ws.store, case, "in_progress", "office")
        case = lc.move(ws.store, case, "done", "office", note="换了水管接头")
        app = FieldkitApp(ws, lang=lang)
        async with app.run_test(size=(140, 50)) as pilot:
            await pilot.pause()
            screen = await open_case(app, pilot, case.id, lambda s: len(s.contacts) == 2)
            n = screen.case.next_statuses.index("followed_up") + 1
            await pilot.press(str(n))
            await shown(pilot, lambda: isinstance(app.screen, AskDialog))
            question = str(app.screen.query_one("#question").render())
            assert WORDS[lang]["ask"] in question, question
            # nc15: a call nobody answered had no outcome; it is noted, the case stays
            assert ("未接通" if lang == "zh" else "no answer") in question
            from textual.widgets import Input

            app.screen.query_one(Input).value = "未接通 晚上再打" if lang == "zh" else "no answer"
            await pilot.press("enter")
            said = "稍后再打" if lang == "zh" else "until you call back"
            await shown(pilot, lambda: any(said in str(n.message) for n in app._notifications))
            await shown(pilot, lambda: any(e.kind == "note" for e in screen.case.events))
            assert screen.case.row.status == "done"
            (note,) = [e.text for e in screen.case.events if e.kind == "note"]
            assert note == (
                "回访电话未接通：晚上再打" if lang == "zh" else "Call-back not answered."
            )
    finally:
        ws.close()
        set_language("en")


def test_the_office_log_names_the_caller_it_revealed(tmp_path):
    ws, _ = desk_workspace(tmp_path / "ws")
    try:
        unit = flat(ws, "1-1-602")
        request = intake.Request("repair", Target("unit", unit.id), "water_leak", "漏水",
                                 caller_name="陈丽", caller_phone="13812345678")  # fmt: skip
        case = intake.take(ws.store, request, by=ws.actor, lifecycles=ws.lifecycles)
        who = callback.CALLER + case.id
        assert reveals.reveal(ws, who, "phone", reason_code="follow_up") == "13812345678"
        (row,) = reveals.listing(ws)
        assert row.resident == "陈*" and row.item == "phone"
    finally:
        ws.close()
