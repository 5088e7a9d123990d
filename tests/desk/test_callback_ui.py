"""The call back (c on the case detail) as the desk reads it, in zh and en: it offers the
owner's phone number only — the least data for the purpose, never the ID number — asks
why at once, shows the number and records the reveal first."""

from __future__ import annotations

import pytest

from fieldkit.i18n import set_language
from fieldkit.services import callback, registry
from fieldkit.ui.app import FieldkitApp
from fieldkit.ui.dialogs.reveal import RevealDialog
from tests.desk.helpers import desk_workspace, notes, open_case, owned_flat, take
from tests.waits import shown

WORDS = {
    "zh": {"why": "为什么要查看电话", "id": "身份证", "shown": "已显示电话"},
    "en": {"why": "Why do you need the phone number", "id": "ID number",
           "shown": "The phone number is shown"},
}  # fmt: skip


def dialog_text(dialog) -> str:
    return " ".join(
        str(dialog.query_one(f"#reveal-{part}").render()) for part in ("question", "lines")
    )


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_a_call_back_offers_the_phone_only(tmp_path, lang):
    set_language(lang)
    ws, _ = desk_workspace(tmp_path / "ws")
    try:
        case = take(ws, "repair", owned_flat(ws), "water_leak", "厨房水管漏水")
        (contact,) = callback.contacts(ws, case.id)
        owner = registry.index_for(ws).resident(contact.resident_id)
        app = FieldkitApp(ws, lang=lang)
        async with app.run_test(size=(140, 50)) as pilot:
            await pilot.pause()
            await open_case(app, pilot, case.id, lambda s: bool(s.contacts))
            await pilot.press("c")
            await shown(pilot, lambda: isinstance(app.screen, RevealDialog))
            dialog = app.screen
            text = dialog_text(dialog)
            assert WORDS[lang]["why"] in text, text  # straight to why: nothing else to pick
            assert WORDS[lang]["id"] not in text and owner.id_number[-4:] not in text
            await pilot.press("1")
            await shown(pilot, lambda: any(WORDS[lang]["shown"] in n for n in notes(app)))
        (doc,) = [d for _, d in ws.store.iter_records(["reveal"])]
        assert doc["item"] == "phone" and doc["resident_id"] == owner.id
    finally:
        ws.close()
        set_language("en")
