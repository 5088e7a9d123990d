"""Pilot: an earlier inspection opened from a flat's card, read-only, in zh and en. The flat
has a site patrol synced from the office (the demo's, by 李强, which raised the wiring
violation) and today's patrol by this device (张伟) that found the wiring again: Tab reaches
the last inspections, Enter opens the chosen one — title, place, who and when, each answer,
the finding with its note and photo, the case it went on with "found again" — Enter on the
case opens it, Esc goes back to the card on the same line; the synced one opens the same."""

from __future__ import annotations

from datetime import timedelta

import pytest
from textual.widgets import OptionList

from fieldkit.i18n import set_language
from fieldkit.model import localtime, new_id
from fieldkit.model.qr import encode
from fieldkit.services import demo_renovation
from fieldkit.services.cases import iso
from fieldkit.services.demo import STREAM, generate
from fieldkit.services.workspace import Workspace
from fieldkit.ui.app import FieldkitApp
from fieldkit.ui.screens.case_detail import CaseDetailScreen
from fieldkit.ui.screens.inspection import InspectionScreen
from fieldkit.ui.screens.unit_card import UnitCardScreen
from tests.desk.helpers import text_of as shown_text
from tests.registry.test_renovation import PATROL, fill
from tests.waits import settled, shown

from .test_card_ui import options_of, scan, text_of

WORDS = {
    "zh": {"title": "检查记录  装修现场巡查", "by": "检查人", "when": "提交时间",
           "wiring": "电线穿管敷设、按图施工：不合格", "load": "承重墙、柱、梁、楼板没有改动：合格",
           "fault": "1. 电线未穿管或未按图施工", "note": "备注：卫生间又拉了明线",
           "photo": "照片：wiring.jpg", "again": "再次发现：仍未整改", "bar": "查看这次检查",
           "help": "在最近检查上按回车，打开那次检查查看"},
    "en": {"title": "Inspection  Renovation site patrol", "by": "Inspector", "when": "Submitted",
           "wiring": "Wiring in conduit and as drawn: Fail",
           "load": "Load-bearing walls, columns, beams, slabs untouched: Pass",
           "fault": "1. Wiring not in conduit, or not as drawn", "note": "Note: 卫生间又拉了明线",
           "photo": "Photos: wiring.jpg", "again": "Found again: still not put right",
           "bar": "open inspection", "help": "on one of the last inspections, open it to read"},
}  # fmt: skip


@pytest.fixture(scope="module")
def flat(tmp_path_factory):
    """The demo flat with the open wiring violation, found again today by this device."""
    folder = tmp_path_factory.mktemp("earlier") / "c"
    generate(folder, cases=5, floors=18, person="李强")
    demo_renovation.add_to(folder)
    ws = Workspace.open(folder)
    ws.store.set_device_state(role="renovation")
    ws.sign_in("张伟")
    (violation,) = [c for c in ws.store.open_cases() if c.kind == "violation"]
    unit = ws.target(violation.target.id)
    run = ws.start_run(PATROL, unit)
    run.answer("wiring", "fail")
    run.note("wiring", "卫生间又拉了明线")
    photo = tmp_path_factory.mktemp("camera") / "wiring.jpg"
    photo.write_bytes(b"\xff\xd8\xff wiring")
    run.attach("wiring", photo)
    fill(run, photo.parent, fail={"wiring"})
    (proposed,) = run.proposed_cases()
    assert run.submit([proposed]) == [violation.id]  # found again: no case of its own
    _long_history(ws, unit.id)
    yield ws, unit, violation, run.id
    ws.close()


#: Earlier patrols pulled from the office, older than the demo's: a long history to list.
EARLIER = 120


def _long_history(ws, unit_id: str) -> None:
    pulled = [ws.store.get_inspection(e[1]) for e in ws.store.target_history(unit_id)
              if e[0] == "inspection"]  # fmt: skip
    first = min((i for i in pulled if i.device != ws.store.device_id),
                key=lambda i: i.submitted_at or "")  # fmt: skip
    changes = []
    for n in range(EARLIER):
        record = first.to_dict()
        at = iso(localtime.epoch(localtime.today() - timedelta(days=30 + n), 10))
        record.update(id=new_id(), started_at=at, submitted_at=at, cases=[])
        changes.append({"entity": "inspection", "record": record})
    ws.store.apply_remote(changes, None, STREAM)


def body(screen) -> str:
    return "\n".join(
        shown_text(screen, f"#inspection-{part}")
        for part in ("head", "answers-title", "answers", "findings-title", "findings")
    )


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_an_earlier_inspection_opens_from_the_card(flat, lang):
    ws, unit, violation, today_id = flat
    words = WORDS[lang]
    app = FieldkitApp(ws, lang=lang)
    async with app.run_test(size=(120, 50)) as pilot:
        await pilot.pause()
        scan(app, encode("unit", "CH", unit.code))
        await shown(pilot, lambda: isinstance(app.screen, UnitCardScreen))
        card = app.screen
        await shown(pilot, lambda: card.card is not None and len(card.card.inspections) >= 2)
        listed = card.query_one("#card-inspections", OptionList)
        assert app.focused is card.query_one("#card-violations")  # the card opens on them
        await pilot.press("tab")
        await shown(pilot, lambda: app.focused is listed)
        assert words["bar"] in text_of(card, "KeyBar")  # the bar says what Enter does here
        assert any(words["help"] in line for line in _help(card))
        assert listed.highlighted == 0  # newest first: today's round

        await pilot.press("enter")
        await shown(pilot, lambda: isinstance(app.screen, InspectionScreen))
        opened = app.screen
        await shown(pilot, lambda: opened.view is not None)
        ours = ws.store.get_inspection(today_id)
        when = localtime.fmt(ours.submitted_at)
        text = body(opened)
        assert words["title"] in text_of(opened, "#inspection-title")
        assert today_id[-6:] in text_of(opened, "#inspection-title")
        assert words["by"] in text and "张伟" in text
        assert words["when"] in text and when in text
        assert unit.code in text
        assert words["wiring"] in text and words["load"] in text
        assert words["fault"] in text and words["note"] in text and words["photo"] in text
        (line,) = options_of(opened, "#inspection-cases")
        assert f"#{violation.id[-6:]}" in line and words["again"] in line

        await pilot.press("enter")  # the case, as the card's violations open it
        await shown(pilot, lambda: isinstance(app.screen, CaseDetailScreen))
        assert app.screen.case_id == violation.id
        await pilot.press("escape")
        await shown(pilot, lambda: app.screen is opened)
        await pilot.press("escape")
        await shown(pilot, lambda: app.screen is card)
        await settled(pilot)
        assert app.focused is listed and listed.highlighted == 0  # the same line

        await pilot.press("down")  # the one synced from the office: it raised the violation
        await shown(pilot, lambda: listed.highlighted == 1)
        row = card.card.inspections[1]
        synced = ws.store.get_inspection(row.id)
        assert synced.device != ws.store.device_id and violation.id in synced.cases
        await pilot.press("enter")
        await shown(pilot, lambda: isinstance(app.screen, InspectionScreen))
        other = app.screen
        await shown(pilot, lambda: other.view is not None)
        text = body(other)
        assert "李强" in text and localtime.fmt(synced.submitted_at) in text
        assert words["wiring"] in text and words["fault"] in text
        (line,) = options_of(other, "#inspection-cases")
        assert f"#{violation.id[-6:]}" in line and words["again"] not in line
        await pilot.press("escape")
        await shown(pilot, lambda: app.screen is card)
        await settled(pilot)
        assert app.focused is listed and listed.highlighted == 1  # the same line again
    set_language("en")


MORE = {
    "zh": "更早的检查还有 {count} 次 — 按回车再列出 50 次",
    "en": "{count} earlier inspections — Enter lists the next 50",
}
ALL = {
    "zh": "更早的检查还有 {count} 次 — 按回车全部列出",
    "en": "{count} earlier inspections — Enter lists them all",
}


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_a_long_history_is_listed_fifty_at_a_time(flat, lang):
    ws, unit, _, _ = flat
    app = FieldkitApp(ws, lang=lang)
    async with app.run_test(size=(120, 50)) as pilot:
        await pilot.pause()
        scan(app, encode("unit", "CH", unit.code))
        await shown(pilot, lambda: isinstance(app.screen, UnitCardScreen))
        card = app.screen
        await shown(pilot, lambda: card.card is not None)
        total = len(card.card.inspections)
        assert total > EARLIER
        lines = options_of(card, "#card-inspections")
        assert len(lines) == 51 and lines[-1] == MORE[lang].format(count=total - 50)
        listed = card.query_one("#card-inspections", OptionList)
        listed.focus()
        listed.highlighted = 50
        await pilot.press("enter")  # the next fifty, the first of them chosen
        await shown(pilot, lambda: len(options_of(card, "#card-inspections")) == 101)
        assert options_of(card, "#card-inspections")[-1] == ALL[lang].format(count=total - 100)
        assert listed.highlighted == 50 and app.screen is card
        await pilot.press("enter")
        await shown(pilot, lambda: isinstance(app.screen, InspectionScreen))
        await shown(pilot, lambda: app.screen.view is not None)
        assert card.card.inspections[50].id[-6:] in text_of(app.screen, "#inspection-title")
    set_language("en")


def _help(screen) -> list[str]:
    from fieldkit.i18n import t

    return [t(key) for _, key in screen.HELP_KEYS]
