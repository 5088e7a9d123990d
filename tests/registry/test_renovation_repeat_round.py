"""A site patrol that finds again a fault already open on the flat (ren28), as the inspector
reads it: where the deadline is asked it says the open case's deadline stands and asks for
none; a date typed anyway is refused, not dropped; a review mixing new and repeated faults
says which deadline each one gets."""

from __future__ import annotations

import time

import pytest

from fieldkit.i18n import set_language
from fieldkit.model import localtime
from fieldkit.model.qr import encode
from fieldkit.services import cases as case_rules
from fieldkit.services.renovation import DEADLINE_ITEM, deadline_note, deadline_text
from fieldkit.ui.app import FieldkitApp
from fieldkit.ui.screens.runner import RunnerScreen
from fieldkit.ui.screens.unit_card import UnitCardScreen
from fieldkit.ui.widgets.keybar import KeyBar
from tests.registry.test_renovation import PATROL, fill, live  # noqa: F401  (the fixture)
from tests.waits import settled, shown

from .test_card_ui import options_of, scan, text_of

FLAT = "3-2-302"
WORDS = {
    "zh": {"kept": "沿用原整改期限 {due}（工单 #{ref}）", "refused": "沿用原整改期限，这里不另填",
           "asks": "整改期限 *", "row": "装修现场巡查（发现问题 1 项）",
           "notice": "已记录违规。按 n 开具整改通知书。", "elsewhere": "在这户的户卡上"},
    "en": {"kept": "Keeps its deadline, {due} (case #{ref})", "refused": "no new one is set here",
           "asks": "Put right by *", "row": "Renovation site patrol  (1 problem found)",
           "notice": "Violations recorded. Press n to write the rectification notice.",
           "elsewhere": "on the flat's card"},
}  # fmt: skip


def _first_round(ws, tmp_path) -> str:
    unit = ws.lookup_scan(FLAT).target
    run = ws.start_run(PATROL, unit)
    fill(run, tmp_path, fail={"wiring"})
    (case_id,) = run.submit(run.proposed_cases())
    return case_id


async def _answer(pilot, runner, fail: set[str], until: str) -> None:
    """Answer the round by keys, failing the items in ``fail``, up to the step ``until``."""
    for _ in range(120):
        await settled(pilot)
        step = runner.step()
        if step.item.id == until:
            return
        kind = step.item.type
        if kind in ("choice", "multi"):  # the key bar names the keys the options use
            count = len(step.item.options)
            bar = {shown for shown, _ in runner.query_one(KeyBar).keys}
            assert (f"1-{count}" if count > 1 else "1") in bar and "1-9" not in bar, bar
        if kind == "check":
            await pilot.press("f" if step.item.id in fail else "p")
        elif kind == "choice":
            await pilot.press("1")
        elif kind == "multi":
            await pilot.press("1", "enter")
        elif kind == "number":
            low = (step.item.expect or step.item.range or [0])[0]
            await pilot.press(*str(int(low)), "enter")
        elif kind == "photo":
            await pilot.press("c")
            await shown(pilot, lambda s=step: runner.run.value(s) is not None)
            await pilot.press("enter")
        else:
            await pilot.press(*"Li", "enter")
    raise AssertionError(f"never reached {until}")


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_a_round_that_finds_only_open_faults_asks_no_deadline(live, tmp_path, lang):  # noqa: F811
    ws = live
    case_id = _first_round(ws, tmp_path)
    due = ws.store.get_case(case_id).due
    words = WORDS[lang]
    kept = words["kept"].format(due=deadline_text(case_rules.epoch(due)), ref=case_id[-6:])
    camera = tmp_path / "camera"
    camera.mkdir()
    (camera / "IMG_0001.jpg").write_bytes(b"\xff\xd8 wires")
    app = FieldkitApp(ws, lang=lang, watch_folder=camera)
    async with app.run_test(size=(120, 50)) as pilot:
        await pilot.pause()
        scan(app, encode("unit", "CH", ws.lookup_scan(FLAT).target.code))
        await shown(pilot, lambda: isinstance(app.screen, UnitCardScreen))
        card = app.screen
        await shown(pilot, lambda: card.card is not None and card.checklists)
        checklists = card.query_one("#card-checklists")
        checklists.focus()
        checklists.highlighted = 0  # the site patrol
        await pilot.press("enter")
        await shown(pilot, lambda: isinstance(app.screen, RunnerScreen) and app.screen.run)
        runner = app.screen
        await _answer(pilot, runner, {"wiring"}, DEADLINE_ITEM)
        said = text_of(runner, "#item-help")
        assert kept in said, said  # where the deadline is asked: the open case's stands
        assert words["asks"] not in text_of(runner, "#question")  # not required
        assert runner.query_one("#entry").value == ""  # no date offered to be dropped

        await pilot.press(*localtime.today().isoformat(), "enter")  # typed anyway: refused
        await shown(pilot, lambda: any(words["refused"] in str(n.message)
                                       for n in app._notifications))  # fmt: skip
        assert runner.run.value(runner.step()) is None
        runner.query_one("#entry").value = ""
        await pilot.press("enter")  # an empty box moves on
        await shown(pilot, lambda: runner.step().item.id != DEADLINE_ITEM)
        await _answer(pilot, runner, set(), "note")
        assert not runner.run.missing()
        runner.action_finish()
        await shown(pilot, lambda: app.screen.name == "finish")
        await pilot.press("ctrl+s")
        await shown(pilot, lambda: app.screen is card)
        await shown(pilot, lambda: len(card.card.inspections) == 2)
        told = [str(n.message) for n in app._notifications]
        assert words["notice"] in told and not any(words["elsewhere"] in n for n in told), told
        newest = options_of(card, "#card-inspections")[0]
        assert newest.endswith(words["row"]), newest  # found, not raised: it went on the case
        # focused as when the card opened: on its open violation; the new round is chosen
        await shown(pilot, lambda: app.focused is card.query_one("#card-violations"))
        assert card.query_one("#card-inspections").highlighted == 0
        assert card.chosen_inspection == f"{PATROL}:{runner.run.id}"
    assert runner.run.submitted
    assert ws.store.get_case(case_id).due == due  # the owner keeps the notice's deadline
    set_language("en")


def test_a_review_mixing_new_and_open_faults_says_whose_deadline_is_which(live, tmp_path):  # noqa: F811
    ws = live
    case_id = _first_round(ws, tmp_path)
    run = ws.start_run(PATROL, ws.lookup_scan(FLAT).target)
    fill(run, tmp_path, fail={"wiring", "outer_face"})
    typed = run.inspection.answers[DEADLINE_ITEM].value
    proposed = run.proposed_cases()
    assert {c.again.id if c.again else None for c in proposed} == {case_id, None}
    now = time.time()
    said = {lang: deadline_note(PATROL, run.inspection.answers, proposed, now, lang)
            for lang in ("zh", "en")}  # fmt: skip
    assert said["zh"].startswith(f"整改期限 {typed} 用于本次新发现的违规；已登记的违规沿用")
    assert said["en"].startswith(f"The deadline {typed} is for the faults found for the first")
    assert run.kept_deadlines() == []  # a new fault: the deadline is asked
    assert run.required(run.step(DEADLINE_ITEM))

    run.answer("outer_face", "pass")  # the new fault put back: the typed date goes unused
    assert run.kept_deadlines() and not run.required(run.step(DEADLINE_ITEM))
    said = deadline_note(PATROL, run.inspection.answers, run.proposed_cases(), now, "zh")
    assert said.startswith(f"填写的整改期限 {typed} 不会用到：这次发现的违规都已登记")
