"""Pilot tests of the unit card, in both languages: a scanned door label opens it on any
screen; residents masked; permit hours today and whether now is inside them; violations
with deadlines; `r` on a patrol device reveals nothing (the reveal dialog:
test_reveal_ui.py); Enter starts the renovation patrol."""

from __future__ import annotations

import re

import pytest

from fieldkit.i18n import set_language
from fieldkit.model import localtime
from fieldkit.model.qr import encode
from fieldkit.services import registry
from fieldkit.services.demo import generate
from fieldkit.services.demo_registry import open_violations
from fieldkit.services.workspace import Workspace
from fieldkit.store import Store
from fieldkit.ui.app import FieldkitApp
from fieldkit.ui.screens.case_detail import CaseDetailScreen
from fieldkit.ui.screens.runner import RunnerScreen
from fieldkit.ui.screens.unit_card import UnitCardScreen
from tests.keys import one_read
from tests.waits import shown

WORDS = {
    "en": {
        "hours": "Permitted hours today: 08:00–12:00, 14:00–18:00",
        "closed": "No noisy work allowed today.",
        "inside": "now: work allowed",
        "outside": "now: outside permitted hours",
        "deadline": "fix by",
        "care": "elderly, living alone",
        "scan_again": "Scan it again",
        "no_reveal": "may not show any of this resident's details",
    },
    "zh": {
        "hours": "今日允许施工时段：08:00–12:00、14:00–18:00",
        "closed": "今日不允许进行有噪音的施工。",
        "inside": "现在：可以施工",
        "outside": "现在：不在允许施工时段",
        "deadline": "整改期限",
        "care": "独居老人",
        "scan_again": "再扫一次",
        "no_reveal": "巡逻岗的设备不能查看这位住户的任何完整信息",
    },
}
MASKED_PHONE = re.compile(r"1\d\d\*{4}\d{4}")


@pytest.fixture
def today_dir(tmp_path):
    """A compound whose permits run around today (the card judges hours by the clock)."""
    folder = tmp_path / "today"
    generate(folder, cases=5, floors=3)
    with Store.open(folder) as store:
        permits = store.reference("renovation_permit")
        store.apply_remote(open_violations({"renovation_permit": permits}), None, "test")
    return folder


@pytest.fixture
def ws(today_dir):
    workspace = Workspace.open(today_dir)
    yield workspace
    workspace.close()


def scan(app, code: str) -> None:
    one_read(app, f"{code}\r")


def text_of(screen, selector: str) -> str:
    return str(screen.query_one(selector).render())


def options_of(screen, selector: str) -> list[str]:
    options = screen.query_one(selector)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


def expected_hours(words) -> tuple[str, str]:
    now = localtime.now()  # the compound's clock: the card judges the hours by it
    if now.weekday() >= 5:
        return words["closed"], words["outside"]
    minutes = now.hour * 60 + now.minute
    inside = 8 * 60 <= minutes < 12 * 60 or 14 * 60 <= minutes < 18 * 60
    return words["hours"], words["inside" if inside else "outside"]


def flat_with(ws, predicate):
    index = registry.index_for(ws)
    for unit_id in index.units:
        if predicate(unit_id, index):
            return ws.target(unit_id)
    raise AssertionError("no such flat in the demo")


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_scan_opens_the_card_with_permit_hours_and_masked_residents(ws, lang):
    words = WORDS[lang]
    violation = next(c for c in ws.store.open_cases() if c.kind == "violation")
    target = ws.target(violation.target.id)
    app = FieldkitApp(ws, lang=lang)
    async with app.run_test(size=(120, 50)) as pilot:
        await pilot.pause()
        scan(app, encode("unit", "CH", target.code))
        await shown(pilot, lambda: isinstance(app.screen, UnitCardScreen))
        card = app.screen
        await shown(pilot, lambda: card.card is not None and card.checklists)
        assert card.target.id == target.id
        permit = text_of(card, "#card-permit")
        hours, now_word = expected_hours(words)
        assert hours in permit and now_word in permit
        violations = options_of(card, "#card-violations")
        assert len(violations) == 1
        assert violation.id[-6:] in violations[0] and words["deadline"] in violations[0]
        lines = options_of(card, "#card-residents")
        assert lines and all(MASKED_PHONE.search(line) for line in lines)
        assert card.checklists[0].id.startswith("renovation.")
        # with a violation open the card opens on it: ↑ ↓ move its mark, Enter opens it
        await shown(pilot, lambda: card.query_one("#card-violations").has_focus)
        await pilot.press("enter")
        await shown(pilot, lambda: isinstance(app.screen, CaseDetailScreen))
        assert app.screen.case_id == violation.id
        await pilot.press("escape")
        await shown(pilot, lambda: app.screen is card)
        await pilot.press("tab")  # the next stop: the checklists (nothing hidden between)
        assert card.query_one("#card-checklists").has_focus
        await pilot.press("enter")
        await shown(pilot, lambda: isinstance(app.screen, RunnerScreen))
        assert app.screen.checklist_id == card.checklists[0].id
        assert app.screen.target_arg.id == target.id
    set_language("en")


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_special_care_and_a_patrol_device_reveals_nothing(ws, lang):
    words = WORDS[lang]
    target = flat_with(
        ws,
        lambda uid, ix: any("elderly_alone" in r.special_care for r in ix.residents.get(uid, ())),
    )
    app = FieldkitApp(ws, lang=lang)
    async with app.run_test(size=(120, 50)) as pilot:
        await pilot.pause()
        scan(app, target.code)  # a plain painted code opens the card too
        await shown(pilot, lambda: isinstance(app.screen, UnitCardScreen))
        card = app.screen
        await shown(pilot, lambda: card.card is not None)
        assert words["care"] in text_of(card, "#card-care")
        card.query_one("#card-residents").focus()
        await pilot.press("r")  # a device without enrolment is patrol: nothing in full
        await shown(pilot, lambda: any(words["no_reveal"] in n.message for n in app._notifications))
        assert isinstance(app.screen, UnitCardScreen)  # no dialog
        assert [doc for _, doc in ws.store.iter_records(["reveal"])] == []
    set_language("en")


async def test_bad_scans_on_the_card_change_nothing(ws):
    target = ws.lookup_scan("3-2-302").target
    app = FieldkitApp(ws, lang="en")
    async with app.run_test(size=(120, 50)) as pilot:
        await pilot.pause()
        scan(app, encode("unit", "CH", target.code))
        await shown(pilot, lambda: isinstance(app.screen, UnitCardScreen))
        depth = len(app.screen_stack)
        good = encode("unit", "CH", "3-2-302")
        scan(app, good[:-1] + ("0" if good[-1] != "0" else "1"))
        scan(app, encode("unit", "XY", "3-2-302"))
        await shown(pilot, lambda: len(app.scanned) == 3)
        await pilot.pause(0.2)
        assert len(app.screen_stack) == depth
        on_screen = [n.message for n in app._notifications]
        assert any(WORDS["en"]["scan_again"] in m for m in on_screen)
        assert any("XY" in m for m in on_screen)
