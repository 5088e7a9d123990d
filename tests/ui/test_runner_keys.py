"""Every key in the runner answers: the key bar lists the keys that answer the item shown,
and a key that cannot answer it says which does (zh and en)."""

from __future__ import annotations

import threading

import pytest
from textual.message import Message

from fieldkit.i18n import t
from fieldkit.services.workspace import Workspace
from fieldkit.ui.app import FieldkitApp
from fieldkit.ui.widgets.keybar import KeyBar
from tests.keys import one_read
from tests.ui.test_round import answer_current, open_round
from tests.waits import PATIENCE, notices, settled, shown


@pytest.fixture
def small_dir(tmp_path):
    from fieldkit.services.demo import generate

    generate(tmp_path / "small", cases=10, floors=3)
    return tmp_path / "small"


def _bar(runner) -> str:
    return str(runner.query_one(KeyBar).render())


def _hint(runner) -> str:
    return str(runner.query_one("#item-help").render())


#: The keys that answer each type of item, as the bar shows them (key, then its words).
ANSWER = {
    "check": (("p", "ui.keys.pass"), ("f", "ui.keys.fail"), ("n", "ui.runner.bar.na")),
    "choice": (("1-9", "ui.runner.bar.option"),),
    "multi": (("1-9", "ui.runner.bar.toggle"), ("enter", "ui.keys.save")),
    "photo": (("a", "ui.keys.photo"), ("c", "ui.runner.newest_photo_bar")),
}


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_the_key_bar_follows_the_item_and_wrong_keys_say_why(small_dir, tmp_path, lang):
    camera = tmp_path / "camera"
    camera.mkdir()
    (camera / "IMG_0001.jpg").write_bytes(b"\xff\xd8 photo")
    ws = Workspace.open(small_dir)
    app = FieldkitApp(ws, lang=lang, watch_folder=camera)
    seen: set[str] = set()
    pass_key = f" p  {t('ui.keys.pass', lang)} "
    async with app.run_test(size=(120, 40)) as pilot:
        runner = await open_round(app, pilot)
        for _ in range(60):
            step = runner.step()
            kind = step.item.type
            bar, hint = _bar(runner), _hint(runner)
            for key, words in ANSWER.get(kind, ()):
                if key == "1-9":  # named as many as the options (ren28: "1-9" for 8)
                    count = len(step.item.options)
                    key = f"1-{count}" if count > 1 else "1"
                assert f" {key}  {t(words, lang)} " in bar, (kind, bar)
                # said once, in the bar: not again on the line above it
                assert f"{key} {t(words, lang)}" not in hint, (kind, hint)
                assert t(words, lang) not in hint.splitlines(), (kind, hint)
            if kind != "check":
                assert pass_key not in bar, (kind, bar)
            if kind in ("number", "text", "date", "signature"):
                # typing goes into the box: t and s would be typed, so the bar lists neither
                assert f" {t('ui.keys.save', lang)} " in bar
                assert " t  " not in bar and " s  " not in bar, (kind, bar)
                # ? would be typed too: help is F1 there, and the bar says so (nc30)
                assert f" F1  {t('ui.keys.help', lang)} " in bar, (kind, bar)
                assert " ?  " not in bar, (kind, bar)
                if "typed_help" not in seen:
                    from fieldkit.ui.screens.help import HelpScreen

                    seen.add("typed_help")
                    await pilot.press("f1")
                    await shown(pilot, lambda: isinstance(app.screen, HelpScreen))
                    await pilot.press("escape")
                    await shown(pilot, lambda: app.screen is runner)
            else:
                assert f" t  {t('ui.runner.bar.note', lang)} " in bar
            if kind in ("choice", "multi") and kind not in seen:
                app.clear_notifications()
                await pilot.press("p")  # not how a choice is answered
                how = t(f"ui.runner.how.{kind}", lang)
                await shown(pilot, lambda how=how: how in notices(app))
                assert runner.run.value(step) is None
                if kind == "multi":
                    app.clear_notifications()
                    await pilot.press("enter")  # nothing ticked yet
                    await shown(pilot, lambda: t("ui.runner.pick_first", lang) in notices(app))
            if kind == "check" and "check" not in seen:
                app.clear_notifications()
                await pilot.press("1")  # not how a check is answered: the message names p f n
                said = t("ui.runner.how.check", lang)
                assert all(f"{k} " in said for k, _ in ANSWER["check"])
                await shown(pilot, lambda s=said: s in notices(app))
                assert runner.run.value(step) is None
            seen.add(kind)
            if {"check", "choice", "multi", "number", "photo"} <= seen:
                break
            await answer_current(pilot, runner, str(camera / "IMG_0001.jpg"))
        assert {"check", "choice", "multi", "number", "photo"} <= seen, seen
    ws.close()


def test_help_says_up_goes_back():
    assert t("ui.keys.next", "zh") == "上一项 / 下一项"
    assert t("ui.keys.next", "en") == "previous / next item"


class Held(Message):
    """The reply of a save that waited (a slow disk): nothing handles it."""


async def test_keys_typed_while_the_saves_wait_each_answer_the_next_item(small_dir):
    """Where an answer moves to is worked out when the next key needs it, not while its
    save starts (``RunnerScreen._move``): keys typed while the saves are held up behind a
    slow one still land each on the item after the last, nothing is saved early, and once
    the saves run every answer is on its own item."""
    ws = Workspace.open(small_dir)
    app = FieldkitApp(ws)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            runner = await open_round(app, pilot)
            view, at = runner.run, runner.current
            typed = [("1", "here"), ("1", "portable"), ("p", "pass"), ("1", "green")]
            expected = {}
            for _, value in typed:
                expected[at] = value
                at = view.next_after(at, value)
            gate = threading.Event()

            def slow(_ws: Workspace) -> Held:
                gate.wait(PATIENCE)
                return Held()

            app.saves.put(runner, slow)  # every save after it waits its turn
            one_read(app, "".join(key for key, _ in typed))  # faster than any draw
            await shown(pilot, lambda: len(runner.pending) == len(typed), settle=False)
            assert runner.current == at
            assert [view.value(view.step(k)) for k in expected] == [None] * len(expected)
            gate.set()
            await settled(pilot)
            saved = runner.run
            assert {k: saved.value(saved.step(k)) for k in expected} == expected
            assert runner.current == at
    finally:
        ws.close()
