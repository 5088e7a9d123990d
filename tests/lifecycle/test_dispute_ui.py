"""A neighbour dispute from the desk to closed, by keys, in both languages: palette command,
kind 3, the reporting flat scanned, the other flat typed, category, description; then in the
case detail dispatched, both sides' statements taken, the residents' committee logged,
mediated, settled, followed up and closed — checked on screen (who gave a statement
masked, as the contact rows are) and in the store. Both flats' unit cards list the
open dispute."""

from __future__ import annotations

import io

import pytest
from rich.console import Console
from rich.text import Text
from textual.widgets import OptionList

from fieldkit.i18n import set_language, t
from fieldkit.model.personal import mask
from fieldkit.services.cases import status_names
from fieldkit.services.lifecycle import status_label
from fieldkit.ui.app import FieldkitApp
from fieldkit.ui.dialogs.ask import AskDialog
from fieldkit.ui.dialogs.assignee import AssigneeDialog
from fieldkit.ui.dialogs.confirm import ConfirmDialog
from fieldkit.ui.dialogs.form import FormDialog
from fieldkit.ui.dialogs.picker import Picker
from fieldkit.ui.screens.case_detail import CaseDetailScreen
from fieldkit.ui.screens.intake import IntakeScreen
from fieldkit.ui.screens.unit_card import UnitCardScreen
from tests.desk.helpers import options_read
from tests.incidents.helpers import make_compound, open_workspace
from tests.keys import one_read, type_text
from tests.waits import shown


@pytest.fixture
def ws(tmp_path):
    make_compound(tmp_path / "ws")
    workspace = open_workspace(tmp_path / "ws")
    workspace.store.set_device_state(role="office")  # the desk
    yield workspace
    workspace.close()


def _text(screen, selector: str) -> str:
    """What a Static shows, as plain text (tables and styled text included)."""
    content = screen.query_one(selector).content
    if isinstance(content, str):
        return content
    console = Console(width=200, file=io.StringIO(), record=True)
    console.print(content)
    return console.export_text()


def _plain(screen, selector: str) -> str:
    """What a Static written in markup reads as."""
    return Text.from_markup(_text(screen, selector)).plain


async def _form(pilot, app, keys: str, lines: list[str]) -> None:
    await shown(pilot, lambda: isinstance(app.screen, FormDialog))
    form = app.screen
    await pilot.press(*keys)
    for line in lines:
        await type_text(pilot, line)
        await pilot.press("enter")
    await shown(pilot, lambda: app.screen is not form)


async def _move(pilot, app, detail, status: str, *answers: str) -> None:
    await pilot.press("1")
    if status in ("closed", "cancelled") and not answers:  # it asks once more first
        await shown(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        assert f"#{detail.case_id[-6:]}" in _text(app.screen, "#question")
        await pilot.press("y")
    for answer in answers:  # one dialog each (a dispute's call-back: each side in turn)
        await shown(pilot, lambda: isinstance(app.screen, AskDialog))
        asked = app.screen
        await type_text(pilot, answer)
        await pilot.press("enter")
        await shown(pilot, lambda: app.screen is not asked)  # noqa: B023
    await shown(pilot, lambda: detail.case.row.status == status)


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_dispute_from_intake_to_closed(ws, lang):
    set_language(lang)
    app = FieldkitApp(ws, lang=lang)
    async with app.run_test(size=(130, 50)) as pilot:
        await pilot.pause()
        command = next(
            c for c in app.get_system_commands(app.screen) if c.title == t("lifecycle.ui.cmd")
        )
        command.callback()
        await shown(pilot, lambda: isinstance(app.screen, IntakeScreen))
        intake = app.screen
        await pilot.press("3")  # neighbour dispute
        await shown(pilot, lambda: intake.step == "unit")
        one_read(app, "1-1-502\r")  # the reporting flat, scanned
        await shown(pilot, lambda: intake.step == "other")
        assert "1-1-502" in _text(intake, "#intake-so-far")  # the reporting flat stays in view
        await type_text(pilot, "1-1-602")  # the flat upstairs, typed
        await shown(pilot, lambda: any(r.code == "1-1-602" for r in intake.results))
        await pilot.press("enter")
        await shown(pilot, lambda: intake.step == "caller")
        await pilot.press("enter")  # the owner is calling: nobody else to keep
        await shown(pilot, lambda: intake.step == "category")
        assert ("楼上楼下漏水纠纷" if lang == "zh" else "Leak between floors") in _text(
            intake, "#intake-help"
        )
        await pilot.press("2")
        await shown(pilot, lambda: intake.step == "description")
        await type_text(pilot, "stain")
        await pilot.press("enter")
        await shown(pilot, lambda: intake.step == "photo")
        await pilot.press("enter")  # no photo
        await shown(pilot, lambda: intake.step == "urgency")
        await pilot.press("enter", "enter")  # normal, by phone
        await shown(pilot, lambda: not isinstance(app.screen, IntakeScreen))
        (case,) = ws.store.open_cases()
        assert (case.kind, case.status, case.category) == ("dispute", "received", "leak_dispute")
        sides = case.extra["dispute"]
        assert (sides["a"]["where"], sides["b"]["where"]) == ("1-1-502", "1-1-602")

        await shown(pilot, lambda: isinstance(app.screen, CaseDetailScreen))  # opened on saving
        detail = app.screen
        assert detail.case_id == case.id
        await shown(pilot, lambda: detail.dispute is not None)
        on_screen = _text(detail, "#case-dispute")
        assert t("cases.detail.no_statement", side=t("cases.side.b")) in on_screen
        await pilot.press("1")  # needs a department: chosen in the form
        await _form(pilot, app, "5", [])
        await shown(pilot, lambda: isinstance(app.screen, AssigneeDialog))  # who: none named
        await pilot.press("enter")
        await shown(pilot, lambda: detail.case.row.status == "investigating")
        assert ws.store.get_case(case.id).department == "customer_service"

        await pilot.press("s")
        await _form(pilot, app, "11", ["Li Xiulan", "mould", ""])
        await shown(pilot, lambda: len(detail.dispute.statements) == 1)
        await pilot.press("s")
        await _form(pilot, app, "22", ["Chen Jianguo", "not us",
                                       "2026-11-27 20:00"])  # fmt: skip
        await shown(pilot, lambda: len(detail.dispute.statements) == 2)
        await pilot.press("r")
        await _form(pilot, app, "1", ["Wang", "JW-118", "talk Sat", ""])
        await shown(pilot, lambda: len(detail.dispute.referrals) == 1)
        on_screen = _text(detail, "#case-dispute")
        li, chen = mask("name", "Li Xiulan"), mask("name", "Chen Jianguo")
        assert "Li Xiulan" not in on_screen  # masked as the contact rows, until revealed
        assert chen in on_screen and t("cases.relation.tenant") in on_screen
        assert on_screen.index(chen) < on_screen.index(li)  # given first
        assert t("desk.history.late", when="")[:4] in on_screen  # typed after: a late record
        assert t("cases.body.committee") in on_screen and "JW-118" in on_screen

        for code in ("1-1-502", "1-1-602"):  # both flats' cards list it
            app.push_screen(UnitCardScreen(ws.places.by_code[code]))
            await shown(pilot, lambda: getattr(app.screen, "disputes", None) is not None)
            card = app.screen
            await shown(pilot, lambda: card.card is not None)  # noqa: B023
            assert f"#{case.id[-6:]}" in _text(card, "#card-disputes")
            assert "1-1-502 ↔ 1-1-602" in _text(card, "#card-disputes")
            await pilot.press("escape")
            await shown(pilot, lambda: app.screen is detail)

        await _move(pilot, app, detail, "mediating")
        await _move(pilot, app, detail, "settled", "sealed")
        await _move(pilot, app, detail, "followed_up", "5 ok", "4 fine")  # each side
        await _move(pilot, app, detail, "closed")
        assert t("desk.moves.final", status=status_label("dispute", "closed")) in _text(
            detail, "#case-moves"
        )

    stored = ws.store.get_case(case.id)
    assert stored.status == "closed"
    said = [e for e in stored.events if e.type == "statement"]
    assert [(e.data["side"], e.data["relation"], e.data["owner_name"]) for e in said] == [
        ("b", "tenant", "Chen Jianguo"),  # given the evening before it was typed
        ("a", "owner", "Li Xiulan"),
    ]
    (referral,) = [e for e in stored.events if e.type == "referral"]
    assert (referral.data["body"], referral.data["reference"], referral.text) == (
        "committee",
        "JW-118",
        "talk Sat",
    )
    visits = [(e.data["side"], e.data["score"]) for e in stored.events if e.type == "followup"]
    assert visits == [("a", 5), ("b", 4)]
    moves = [e.data["to"] for e in stored.events if e.type == "status"]
    assert moves == ["investigating", "mediating", "settled", "followed_up", "closed"]


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_mediation_that_fails_is_recorded_then_closed(ws, lang):
    """From mediating the desk reads its three ways out, picks "not settled", is asked why
    and where both sides were told to turn, and closes the case."""
    from fieldkit.model import Target
    from fieldkit.services import disputes

    a, b = ws.places.by_code["1-1-502"], ws.places.by_code["1-1-602"]
    case = ws.store.create_case(
        "dispute", Target("unit", a.id), title="noise", department="customer_service",
        extra={"dispute": {"a": disputes.side_record(a.id, "1-1-502"),
                           "b": disputes.side_record(b.id, "1-1-602")}},
    )  # fmt: skip
    ws.store.set_case_status(case.id, "mediating")
    set_language(lang)
    words = {
        "zh": ("1  → 已达成调解", "2  → 调解未成", "3  → 已撤销",
               "“调解未成”：写明调解未成的原因，以及已告知双方的其他解决途径"),
        "en": ("1  → Settled", "2  → Not settled", "3  → Cancelled",
               '"Not settled": why mediation failed, and where both sides were told to turn'),
    }[lang]  # fmt: skip
    app = FieldkitApp(ws, lang=lang)
    async with app.run_test(size=(130, 50)) as pilot:
        await pilot.pause()
        app.push_screen(CaseDetailScreen(case.id))
        await shown(pilot, lambda: isinstance(app.screen, CaseDetailScreen))
        detail = app.screen
        await shown(pilot, lambda: words[1] in _plain(detail, "#case-moves"))
        moves = _plain(detail, "#case-moves")
        assert words[0] in moves and words[2] in moves
        await pilot.press("2")
        await shown(pilot, lambda: isinstance(app.screen, AskDialog))
        assert words[3] in _text(app.screen, "#question")
        await type_text(pilot, "told both sides about the mediation committee")
        await pilot.press("enter")
        await shown(pilot, lambda: detail.case.row.status == "referred")
        await _move(pilot, app, detail, "closed")
    stored = ws.store.get_case(case.id)
    assert [e.data["to"] for e in stored.events if e.type == "status"][-2:] == [
        "referred",
        "closed",
    ]
    referred = next(e for e in stored.events if e.type == "status" and e.data["to"] == "referred")
    assert referred.text == "told both sides about the mediation committee"


async def test_status_filter_offers_the_lifecycle_states(ws):
    """The list's status filter offers the states of the lifecycle file in use that have
    cases, named by it, with how many: never two reading alike (a complaint's "received"
    and a repair's "accepted" are both 已受理, so each says whose), none empty; a number
    picks one."""
    from fieldkit.model import Target
    from fieldkit.services.types import UNFINISHED
    from fieldkit.ui.screens.cases import CasesScreen

    unit = ws.store.reference("unit")[0]
    for kind, status in (("complaint", "received"), ("repair", "accepted"),
                         ("dispute", "mediating"), ("repair", "dispatched")):  # fmt: skip
        case = ws.store.create_case(kind, Target("unit", unit.id), title=f"{kind} {status}")
        if case.status != status:
            ws.store.set_case_status(case.id, status)
    set_language("zh")
    app = FieldkitApp(ws, lang="zh")
    async with app.run_test(size=(120, 30)) as pilot:
        app.push_screen(CasesScreen())
        await shown(pilot, lambda: isinstance(app.screen, CasesScreen) and app.screen.page)
        screen = app.screen
        await pilot.press("o")
        await shown(pilot, lambda: isinstance(app.screen, Picker))
        picker = app.screen
        listed = picker.query_one(OptionList)
        read = options_read(listed)
        assert [value for value, _ in picker.options] == [
            UNFINISHED, "", "received", "accepted", "dispatched", "mediating"
        ]  # fmt: skip
        assert read[0] == "1  未完结（当前）" and read[1] == "2  全部"
        assert "3  已受理（投诉、邻里纠纷）：1 条" in read and "4  已受理（报修）：1 条" in read
        words = [line.split("  ", 1)[1] for line in read]
        assert len(set(words)) == len(words), read  # no two read alike
        assert "按数字键（1–6）" in _text(picker, "#picker-hint")
        await pilot.press("6")  # mediating
        await shown(pilot, lambda: screen.filter.status == "mediating" and not screen.waiting)
        assert "状态：协调调解中" in _text(screen, "#case-filters")
        assert "共 1 条" in _text(screen, "#case-filters")
        assert status_names("zh")["followed_up"] == "已回访 / 已复查"  # two kinds, two names
