"""Every key in the runner answers: the key bar lists the keys that answer the item shown,
and a key that cannot answer it says which does (zh and en)."""

from __future__ import annotations

import pytest

from fieldkit.i18n import t
from fieldkit.services.workspace import Workspace
from fieldkit.ui.app import FieldkitApp
from fieldkit.ui.widgets.keybar import KeyBar
from tests.ui.test_round import answer_current, open_round, wait_for


@pytest.fixture
def small_dir(tmp_path):
    from fieldkit.services.demo import generate

    generate(tmp_path / "small", cases=10, floors=3)
    return tmp_path / "small"


def _bar(runner) -> str:
    return str(runner.query_one(KeyBar).render())


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_the_key_bar_follows_the_item_and_wrong_keys_say_why(small_dir, tmp_path, lang):
    camera = tmp_path / "camera"
    camera.mkdir()
    (camera / "IMG_0001.jpg").write_bytes(b"\xff\xd8 photo")
    ws = Workspace.open(small_dir)
    app = FieldkitApp(ws, lang=lang, watch_folder=camera)
    seen: set[str] = set()
    async with app.run_test(size=(120, 40)) as pilot:
        runner = await open_round(app, pilot)
        for _ in range(60):
            step = runner.step()
            kind = step.item.type
            bar = _bar(runner)
            if kind == "check":
                assert "p f n" in bar
            else:
                assert "p f n" not in bar, (kind, bar)
            if kind in ("choice", "multi") and kind not in seen:
                app.clear_notifications()
                await pilot.press("p")  # not how a choice is answered
                how = t("ui.keys.multi" if kind == "multi" else "ui.keys.option", lang)
                await wait_for(pilot, lambda how=how: any(how in n.message
                                                          for n in app._notifications))  # fmt: skip
                assert runner.run.value(step) is None
                if kind == "multi":
                    app.clear_notifications()
                    await pilot.press("enter")  # nothing ticked yet
                    await wait_for(
                        pilot,
                        lambda: any(
                            t("ui.runner.pick_first", lang) == n.message for n in app._notifications
                        ),
                    )
            seen.add(kind)
            if {"check", "choice", "multi"} <= seen:
                break
            await answer_current(pilot, runner, str(camera / "IMG_0001.jpg"))
        assert {"check", "choice", "multi"} <= seen, seen
    ws.close()


def test_help_says_up_goes_back():
    assert t("ui.keys.next", "zh") == "上一项 / 下一项"
    assert t("ui.keys.next", "en") == "previous / next item"
