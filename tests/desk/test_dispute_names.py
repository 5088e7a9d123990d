"""Who gave a dispute's statement is masked on the case as the contact rows above are (nc25
read "郭建华（业主）：…" under a contact row of "郭**"): in the statements and in the history
alike, until ``n`` reveals that one name, for a reason, recorded first as every reveal is."""

from __future__ import annotations

import pytest

from fieldkit.i18n import set_language, t
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


async def _open(pilot, app, case_id: str):
    """The dispute's case open, its sides and contact rows drawn."""
    await pilot.pause()
    drawn = lambda s: s.dispute is not None and bool(s.contacts)  # noqa: E731
    return await open_case(app, pilot, case_id, drawn)


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
            screen = await _open(pilot, app, case.id)
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


async def test_an_owner_who_gave_a_statement_is_one_person_to_reveal(tmp_path):
    """nc28: the owner revealed in full beside their own statement still masked, and the
    name picker offering the same person twice (as owner, then as who gave a statement)."""
    ws, _ = desk_workspace(tmp_path / "ws")
    try:
        case = take(ws, "dispute", "1-1-502", "noise_dispute", "楼上拖家具", other="1-1-602")
        side = disputes.view(ws, case.id).sides[0]
        owner, owner_id = side.owners[0], side.owner_ids[0]
        disputes.add_statement(ws.store, case.id, "a", owner, "每晚十点后拖家具")
        (said,) = disputes.view(ws, case.id).statements
        assert said.person == owner_id  # revealed once, under the registry's own id
        app = FieldkitApp(ws, lang="en")
        async with app.run_test(size=(100, 30)) as pilot:
            screen = await _open(pilot, app, case.id)
            # the key the task needs is on the bar, before the statement's (nc28)
            await shown(pilot, lambda: WORDS["en"]["bar"] in bar(app), bar(app))
            ids = [rid for rid, _, _ in screen.named()]
            assert ids.count(owner_id) == 1 and len(ids) == len(set(ids)), screen.named()
    finally:
        ws.close()
    set_language("en")


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_at_80_columns_the_dispute_says_n_under_its_names(tmp_path, lang):
    """A dispute's bar at 80 columns gives n up for "…" (its moves, note, photo, statement
    and referral come first): the masked names say how to show one, and n does."""
    set_language(lang)
    ws, _ = desk_workspace(tmp_path / "ws")
    try:
        case = take(ws, "dispute", "1-1-502", "noise_dispute", "楼上拖家具", other="1-1-602")
        app = FieldkitApp(ws, lang=lang)
        async with app.run_test(size=(80, 30)) as pilot:
            screen = await _open(pilot, app, case.id)
            said = " ".join(text_of(screen, "#case-dispute").split())
            assert t("cases.detail.names_hint", lang) in said, said
            await pilot.press("n")
            await shown(pilot, lambda: isinstance(app.screen, FormDialog))
    finally:
        ws.close()
        set_language("en")
