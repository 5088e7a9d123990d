"""Who gave a dispute's statement is masked on the case as the contact rows above are (nc25
read "郭建华（业主）：…" under a contact row of "郭**"): in the statements and in the history
alike, until ``n`` reveals that one name, for a reason, recorded first as every reveal is."""

from __future__ import annotations

import pytest

from fieldkit.i18n import set_language
from fieldkit.model.personal import mask
from fieldkit.services import disputes, reveals
from fieldkit.ui.app import FieldkitApp
from fieldkit.ui.dialogs.form import FormDialog
from fieldkit.ui.dialogs.reveal import RevealDialog
from tests.desk.helpers import desk_workspace, open_case, take, text_of
from tests.waits import shown

WORDS = {
    "zh": {"who": "李秀兰", "bar": "n  显示姓名", "which": "显示哪一位的姓名？",
           "why": "为什么要查看姓名"},
    "en": {"who": "Li Xiulan", "bar": "n  show name", "which": "Whose name?",
           "why": "Why do you need the name"},
}  # fmt: skip


def bar(app) -> str:
    from fieldkit.ui.widgets.keybar import KeyBar

    return str(app.screen.query_one(KeyBar).render())


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_a_statement_names_its_giver_masked_until_revealed(tmp_path, lang):
    set_language(lang)
    words = WORDS[lang]
    who = words["who"]
    ws, _ = desk_workspace(tmp_path / "ws")
    try:
        case = take(ws, "dispute", "1-1-502", "noise_dispute", "楼上拖家具", other="1-1-602")
        disputes.add_statement(ws.store, case.id, "a", who, "每晚十点后拖家具")
        app = FieldkitApp(ws, lang=lang)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            screen = await open_case(
                app, pilot, case.id, lambda s: s.dispute is not None and bool(s.contacts)
            )
            await shown(pilot, lambda: words["bar"] in bar(app))
            for part in ("#case-dispute", "#case-events"):
                text = text_of(screen, part)
                assert who not in text and mask("name", who) in text, text
            owner = next(p for p in screen.contacts if p.side == "a")
            assert owner.name in text_of(screen, "#case-dispute")  # the owner, as the row above

            await pilot.press("n")
            await shown(pilot, lambda: isinstance(app.screen, FormDialog))
            form = app.screen
            assert words["which"] in str(form.query_one("#form-choices").render())
            await pilot.press(str(len(screen.named())))  # who gave the statement: last
            await shown(pilot, lambda: isinstance(app.screen, RevealDialog))
            asked = str(app.screen.query_one("#reveal-question").render())
            assert words["why"] in asked, asked
            await pilot.press("1")
            await shown(pilot, lambda: who in text_of(screen, "#case-dispute"))
            assert who in text_of(screen, "#case-events")
        (doc,) = [d for _, d in ws.store.iter_records(["reveal"])]
        assert doc["item"] == "name" and doc["resident_id"].startswith(disputes.SPEAKER)
        assert doc["by"] == ws.actor and doc["reason_code"]
        (row,) = reveals.listing(ws)  # the office's list names whose name it was, masked
        assert row.resident == mask("name", who)
    finally:
        ws.close()
        set_language("en")
