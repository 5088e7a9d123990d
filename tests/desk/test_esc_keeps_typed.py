"""Esc on a dialog never drops what was typed in it without asking: with text typed there it
asks (n goes back to the text as it was, y drops it); with only the text the dialog opened
with (a timeline line being corrected, an answer handed back, a form's given value) Esc
closes at once, as it loses nothing."""

from __future__ import annotations

import pytest

from fieldkit.i18n import set_language, t
from fieldkit.ui.app import FieldkitApp
from fieldkit.ui.dialogs.ask import AskDialog
from fieldkit.ui.dialogs.confirm import ConfirmDialog
from fieldkit.ui.dialogs.form import Field, FormDialog
from tests.desk.helpers import desk_workspace
from tests.waits import shown


@pytest.fixture
def ws(tmp_path):
    workspace, _refs = desk_workspace(tmp_path / "ws")
    yield workspace
    workspace.close()


async def _open(pilot, app, dialog):
    answers: list[object] = []
    app.push_screen(dialog, answers.append)
    await shown(pilot, lambda: app.screen is dialog)
    return answers


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_esc_asks_before_dropping_text_typed_in_a_question(ws, lang):
    set_language(lang)
    app = FieldkitApp(ws, lang=lang)
    async with app.run_test(size=(120, 40)) as pilot:
        asked = AskDialog("ui.case.ask_note", counted=True)
        answers = await _open(pilot, app, asked)
        await pilot.press(*"leak", "escape")
        await shown(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        assert t("ui.dialog.drop_typed", count=4) in str(app.screen.query_one("#question").render())
        await pilot.press("n")  # back to the text, as it was
        await shown(pilot, lambda: app.screen is asked)
        assert asked.query_one("#answer").value == "leak" and answers == []
        await pilot.press("escape", "y")  # dropped, as asked
        await shown(pilot, lambda: answers == [None])

        corrected = AskDialog("ui.case.ask_note", "line 0")
        answers = await _open(pilot, app, corrected)
        await pilot.press("escape")  # only the text it opened with: closed at once
        await shown(pilot, lambda: answers == [None])

        corrected = AskDialog("ui.case.ask_note", "line 0")
        answers = await _open(pilot, app, corrected)
        await pilot.press("end", "backspace", "9", "escape")  # changed here: asked first
        await shown(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("escape")  # Esc on the question: back to the text too
        await shown(pilot, lambda: app.screen is corrected)
        assert corrected.query_one("#answer").value == "line 9" and answers == []


async def test_esc_on_a_form_asks_only_for_what_was_typed_in_it(ws):
    set_language("en")
    app = FieldkitApp(ws, lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        fields = (Field("who", "cases.form.referral_who", value="Wang"),
                  Field("reference", "cases.form.referral_reference", required=False))  # fmt: skip
        form = FormDialog("cases.form.referral_title", (), fields)
        answers = await _open(pilot, app, form)
        await pilot.press("escape")  # the given name, untouched: nothing typed to lose
        await shown(pilot, lambda: answers == [None])

        form = FormDialog("cases.form.referral_title", (), fields)
        answers = await _open(pilot, app, form)
        await pilot.press("enter", *"JW-118", "escape")  # a reference typed in the second field
        await shown(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("n")
        await shown(pilot, lambda: app.screen is form)
        assert form.query_one("#field-reference").value == "JW-118" and answers == []
