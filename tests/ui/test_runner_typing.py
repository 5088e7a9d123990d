"""What a patroller keys into a round's typed items is neither misread nor lost (nc14):

* a code this compound knows, arriving as a scanner's burst while a text or signature box
  has the keys, is a scan (it jumps to that extinguisher), never the item's answer; the same
  letters typed at a person's pace are typed;
* Backspace in a burst acts where it came, not after the keys that followed it;
* a tick given on a multi item right after the answer before it survives that answer's
  redraw (``1`` then Enter saved, not "tick at least one");
* Esc and Ctrl+Q never drop typed text silently: a valid answer is saved, one the item
  refuses is said and the person chooses to drop it or stay."""

from __future__ import annotations

from itertools import pairwise

import pytest
from textual import events

from fieldkit.i18n import t
from fieldkit.services.workspace import Workspace
from fieldkit.ui.app import FieldkitApp
from fieldkit.ui.dialogs.confirm import ConfirmDialog
from fieldkit.ui.screens.runner import RunnerScreen
from tests.keys import one_read, typed_by_hand
from tests.ui.helpers import open_runner, step_of
from tests.waits import notices, settled, shown


def entry(runner: RunnerScreen):
    return runner.query_one("#entry")


async def at_typed(pilot, runner: RunnerScreen, item: str) -> str:
    """Go to ``item``, its entry box emptied and holding the keys; its step key."""
    step = step_of(runner, item)
    runner.go_to(step.key)
    await shown(pilot, lambda: runner.app.focused is entry(runner))
    entry(runner).value = ""
    return step.key


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_a_known_code_scanned_into_a_text_box_jumps_to_it(compound, lang):
    ws = Workspace.open(compound)
    try:
        app = FieldkitApp(ws, lang=lang)
        async with app.run_test(size=(120, 40)) as pilot:
            runner = await open_runner(app, pilot, ws)
            sign = await at_typed(pilot, runner, "patroller_sign")
            one_read(app, "EXT-1-2-1\r")  # the scanner: one write, code and Enter
            first = step_of(runner, "in_place", pass_no=1)
            await shown(pilot, lambda: runner.current == first.key)
            await settled(pilot)
            assert t("ui.runner.scanned", asset="EXT-1-2-1") in notices(app)
            assert runner.run.value(step_of(runner, "patroller_sign")) is None
            assert app.scanned == ["EXT-1-2-1"]
            # the same letters typed by a person into the signature are the signer's name
            runner.go_to(sign)
            await shown(pilot, lambda: app.focused is entry(runner))
            entry(runner).value = ""
            typed_by_hand(app, "EXT-1-2-1\r")
            await shown(pilot, lambda: runner.run.value(step_of(runner, "patroller_sign")))
            assert runner.run.value(step_of(runner, "patroller_sign")) == "EXT-1-2-1"
            assert app.scanned == ["EXT-1-2-1"]
            draft = ws.store.get_inspection(runner.run.id)
            assert "EXT-1-2-1" in str(draft.to_dict())
    finally:
        ws.close()


async def test_backspace_in_a_burst_acts_where_it_came(compound):
    ws = Workspace.open(compound)
    try:
        app = FieldkitApp(ws, lang="en")
        async with app.run_test(size=(120, 40)) as pilot:
            runner = await open_runner(app, pilot, ws)
            await at_typed(pilot, runner, "patroller_sign")
            one_read(app, "EX\x7fQFK1\x7fZ")
            await shown(pilot, lambda: entry(runner).value == "EQFKZ")
            one_read(app, "\x7f\x7fX\x1b[DY")  # ⌫ ⌫ X ← Y: "EQFYX"
            await shown(pilot, lambda: entry(runner).value == "EQFYX")
    finally:
        ws.close()


async def test_thirty_codes_in_one_burst_each_jump_none_typed(compound):
    """Thirty label scans back to back from a text box: each is a scan, in order, and no key
    of any of them lands in the box."""
    ws = Workspace.open(compound)
    try:
        app = FieldkitApp(ws, lang="zh")
        async with app.run_test(size=(120, 40)) as pilot:
            runner = await open_runner(app, pilot, ws)
            await at_typed(pilot, runner, "patroller_sign")
            codes = [f"EXT-1-2-{n % 3 + 1}" for n in range(30)]
            one_read(app, "".join(code + "\r" for code in codes))
            await shown(pilot, lambda: len(app.scanned) == 30)
            await settled(pilot)
            assert app.scanned == codes
            assert runner.current == step_of(runner, "in_place", pass_no=30 % 3 or 3).key
            assert runner.run.value(step_of(runner, "patroller_sign")) is None
    finally:
        ws.close()


async def test_a_tick_right_after_the_answer_before_it_is_kept(compound):
    ws = Workspace.open(compound)
    try:
        app = FieldkitApp(ws, lang="en")
        async with app.run_test(size=(120, 40)) as pilot:
            runner = await open_runner(app, pilot, ws)
            pin = step_of(runner, "pin_seal", pass_no=1)
            runner.go_to(pin.key)
            await pilot.pause()
            one_read(app, "p1")  # pass the pin, tick "Sound" on the next item at once
            body = step_of(runner, "body_damage", pass_no=1)
            await shown(pilot, lambda: runner.run.value(pin) == "pass")  # saved, redrawn
            await settled(pilot)
            assert runner.current == body.key
            help_line = str(runner.query_one("#item-help").render())
            assert "1*) Sound" in help_line, help_line  # the tick is still shown
            await pilot.press("enter")
            await settled(pilot)
            assert runner.run.value(body) == ["sound"]
            assert t("ui.runner.pick_first", "en") not in notices(app)
    finally:
        ws.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_sound_with_a_dent_is_refused_and_says_why(compound, lang):
    ws = Workspace.open(compound)
    try:
        app = FieldkitApp(ws, lang=lang)
        async with app.run_test(size=(120, 40)) as pilot:
            runner = await open_runner(app, pilot, ws)
            body = step_of(runner, "body_damage", pass_no=1)
            runner.go_to(body.key)
            await pilot.pause()
            await pilot.press("1", "2", "enter")
            await settled(pilot)
            sound = body.item.option("sound").label.get(lang)
            said = t("checklists.answer.exclusive", lang, option=sound)
            assert said in notices(app)
            assert runner.run.value(body) is None and runner.current == body.key
    finally:
        ws.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_ctrl_q_saves_a_valid_typed_answer(compound, lang):
    ws = Workspace.open(compound)
    app = FieldkitApp(ws, lang=lang)
    async with app.run_test(size=(120, 40)) as pilot:
        runner = await open_runner(app, pilot, ws)
        inspection = runner.run.id
        unlisted = step_of(runner, "unlisted_units")
        runner.go_to(unlisted.key)
        await pilot.pause()
        await pilot.press("f")  # units not on the list: where they are is asked next
        await settled(pilot)
        note = await at_typed(pilot, runner, "unlisted_where")
        typed_by_hand(app, "hose cut near the coupling")
        await shown(pilot, lambda: entry(runner).value == "hose cut near the coupling")
        await pilot.press("ctrl+q")
        await shown(pilot, lambda: not app.is_running)
    ws = Workspace.open(ws.data_dir)  # as the next start reads it
    try:
        draft = ws.store.get_inspection(inspection)
        assert draft.answers[note].value == "hose cut near the coupling", draft.answers
    finally:
        ws.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_leaving_with_a_refused_typed_answer_asks(compound, lang):
    ws = Workspace.open(compound)
    try:
        app = FieldkitApp(ws, lang=lang)
        async with app.run_test(size=(120, 40)) as pilot:
            runner = await open_runner(app, pilot, ws)
            spares = await at_typed(pilot, runner, "spares_used")
            typed_by_hand(app, "two")
            await shown(pilot, lambda: entry(runner).value == "two")
            for leave in ("escape", "ctrl+q"):
                await pilot.press(leave)
                await shown(pilot, lambda: isinstance(app.screen, ConfirmDialog))
                question = str(app.screen.query_one("#question").render())
                assert "“two”" in question, question
                await pilot.press("n")  # stay: the text is as it was, the app open
                await shown(pilot, lambda: app.screen is runner)
                assert entry(runner).value == "two" and app.is_running
            await pilot.press("escape")
            await shown(pilot, lambda: isinstance(app.screen, ConfirmDialog))
            await pilot.press("y")  # drop it and leave the round
            await shown(pilot, lambda: runner not in app.screen_stack)
            await settled(pilot)
            assert ws.store.get_inspection(runner.run.id).answers.get(spares) is None
    finally:
        ws.close()


def test_typed_by_hand_spaces_keys_as_a_person_does():
    """The helper's keys are further apart than any scanner's (a sanity check of the test
    tool itself: a burst helper here would make the tests above prove nothing)."""
    from fieldkit.ui.scan import DEFAULT_MAX_GAP

    posted: list[events.Key] = []

    class Sink:
        def post_message(self, event):
            posted.append(event)

    typed_by_hand(Sink(), "ab\r")
    gaps = [b.time - a.time for a, b in pairwise(posted)]
    assert len(posted) == 3 and min(gaps) > 4 * DEFAULT_MAX_GAP


async def test_fast_typing_that_cannot_begin_a_code_is_not_held(compound):
    """Keys no code of this compound begins with reach the box at once, however fast they
    come; a key that could begin one waits for the rest of a possible burst, then is typed."""
    ws = Workspace.open(compound)
    try:
        app = FieldkitApp(ws, lang="zh")
        async with app.run_test(size=(120, 40)) as pilot:
            runner = await open_runner(app, pilot, ws)
            await at_typed(pilot, runner, "patroller_sign")
            starts = app.scan.starts()
            assert starts is not None and "x" not in starts and "z" not in starts
            one_read(app, "xz")
            await pilot.pause()
            assert app.scan.held == [] and entry(runner).value == "xz"
            one_read(app, "e")  # could begin EXT-…: held a moment, then typed
            await shown(pilot, lambda: entry(runner).value == "xze")
            assert app.scanned == []
    finally:
        ws.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_home_and_end_in_an_empty_box_stay_in_the_box(compound, lang):
    """nc33 emptied the deadline box with ctrl+u, pressed End to be sure, then Backspace
    and typed the date: End on the empty box had jumped to the round's last item, and the
    date was saved as its note. Home and End are the box's; ↑ ↓ still move through items."""
    ws = Workspace.open(compound)
    try:
        app = FieldkitApp(ws, lang=lang)
        async with app.run_test(size=(120, 40)) as pilot:
            runner = await open_runner(app, pilot, ws)
            key = await at_typed(pilot, runner, "patroller_sign")
            await pilot.press("ctrl+u", "home", "backspace")
            await settled(pilot)
            assert runner.current == key and app.focused is entry(runner)
            await pilot.press(*"Li", "space", *"Ming", "enter")
            sign = step_of(runner, "patroller_sign")
            await shown(pilot, lambda: runner.run.value(sign) == "Li Ming")
            answered = [s.item.id for s in runner.run.steps() if runner.run.value(s) is not None]
            assert answered == ["patroller_sign"]  # nothing else answered
            await pilot.press("escape")  # the last item: Enter opened the review
            await shown(pilot, lambda: app.screen is runner)
            runner.go_to(key)
            await shown(pilot, lambda: app.focused is entry(runner))
            await pilot.press("up")  # ↑ still moves to the item before
            await shown(pilot, lambda: runner.current != key)
    finally:
        ws.close()
