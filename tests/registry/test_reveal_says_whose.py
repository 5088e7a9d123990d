"""The reveal dialog says plainly what it shows and of whom (ren26): the resident it names
is masked, and only the one item picked is shown — the question and the notice say "the
phone of 朱*" and that the rest stays masked, in zh and en."""

from __future__ import annotations

import pytest

from fieldkit.i18n import set_language
from fieldkit.model.personal import mask
from fieldkit.ui.app import FieldkitApp
from fieldkit.ui.dialogs.reveal import RevealDialog
from tests.registry.test_reveal_ui import cared_for, dialog_text, first_resident_line, open_card
from tests.waits import notices, shown

WORDS = {
    "zh": {"only": "只显示 {name} 的电话这一项，其余各项仍打码。",
           "shown": "已显示电话（{name}，仅此一项，其余仍打码），本次查看已记录。"},
    "en": {"only": "Only the phone number of {name} is shown; the rest stays masked.",
           "shown": "The phone number is shown for {name} (that one item; the rest stays masked)"},
}  # fmt: skip


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_the_dialog_and_the_notice_say_which_item_of_whom(workspace, lang):
    workspace.store.set_device_state(role="office")
    resident, unit = cared_for(workspace)
    name = mask("name", resident.name)
    words = {k: v.format(name=name) for k, v in WORDS[lang].items()}
    app = FieldkitApp(workspace, lang=lang)
    async with app.run_test(size=(120, 50)) as pilot:
        card = await open_card(pilot, app, workspace, unit)
        await pilot.press("r")
        await shown(pilot, lambda: isinstance(app.screen, RevealDialog))
        dialog = app.screen
        await pilot.press("2")  # the phone
        await shown(pilot, lambda: words["only"] in dialog_text(dialog))
        await pilot.press("1")  # emergency contact
        await shown(pilot, lambda: resident.phone in first_resident_line(card))
        assert any(words["shown"] in n for n in notices(app)), notices(app)
        assert name in first_resident_line(card)  # the name itself stays masked
    set_language("en")
