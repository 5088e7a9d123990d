"""A status picker longer than nine lines: every line has its key (1-9, 0, then a, b … as
the intake's category list), the hint names them, and a letter picks its line — 已完工 /
Done was the twelfth line, with no key (a newcomer at the desk, nc)."""

from __future__ import annotations

import pytest

from fieldkit.i18n import set_language
from fieldkit.ui.app import FieldkitApp
from fieldkit.ui.keys import CHOICE_KEYS
from tests.desk.helpers import open_cases, statuses_offered, text_of
from tests.waits import shown

WORDS = {
    "zh": {"done": "已完工：", "shows": "状态：已完工",
           "hint": "按行首的数字或字母键（1–9、0、a–{last}），或 ↑↓ 加回车选择，Esc 不变"},
    "en": {"done": "Done: ", "shows": "Status: Done",
           "hint": "Press the key at the start of a line (1–9, 0, a–{last}) or ↑ ↓ and Enter; "
                   "Esc keeps it as it is"},
}  # fmt: skip


@pytest.fixture
def ws(tmp_path):
    from fieldkit.services.demo import generate
    from fieldkit.services.workspace import Workspace

    generate(tmp_path / "c", floors=2)  # a case in each state of the lifecycles
    workspace = Workspace.open(tmp_path / "c")
    yield workspace
    workspace.close()
    set_language("en")


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_every_status_in_the_picker_has_its_key(ws, lang):
    words = WORDS[lang]
    set_language(lang)
    app = FieldkitApp(ws, lang=lang)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_cases(app, pilot)
        read = await statuses_offered(app, pilot)
        assert len(read) > 11, read  # past 9, 0 and a: the letters after are used too
        keys = [line.split("  ", 1)[0] for line in read]
        assert keys == list(CHOICE_KEYS[: len(read)]), read
        hint = " ".join(text_of(app.screen, "#picker-hint").split())
        assert hint == words["hint"].format(last=keys[-1]), hint
        done = next(line for line in read if line.split("  ", 1)[1].startswith(words["done"]))
        assert keys.index(done.split()[0]) >= 9, read  # under 0 or a letter, not 1-9
        await pilot.press(done.split()[0])
        await shown(pilot, lambda: screen.filter.status == "done" and not screen.waiting)
        assert words["shows"] in text_of(screen, "#case-filters")
