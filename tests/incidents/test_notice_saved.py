"""A notice is saved, not sent: the screen and the timeline say what happened (fieldkit
writes the file and copies it; a person prints it and posts it or passes it on)."""

from __future__ import annotations

import pytest

from fieldkit.i18n import set_language
from fieldkit.ui.app import FieldkitApp
from fieldkit.ui.screens.incident_notice import IncidentNoticeScreen
from tests.incidents.helpers import open_lift_entrapment as lift
from tests.incidents.helpers import show_incident
from tests.waits import notices as toasts
from tests.waits import shown

SAVED = {
    "zh": ("已保存通知《", "本应用不会替你发出，请打印张贴"),
    "en": ("Notice saved: “", "fieldkit does not send it: print it"),
}


def timeline_text(screen) -> str:
    timeline = screen.query_one("#timeline")
    return "\n".join(str(timeline.get_option_at_index(n).prompt)
                     for n in range(timeline.option_count))  # fmt: skip


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_a_saved_notice_says_saved_and_who_sends_it(ws, lang):
    set_language(lang)
    incident = lift(ws)
    app = FieldkitApp(ws, lang=lang)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await show_incident(app, pilot, incident.id)
        await pilot.press("f7")
        await shown(pilot, lambda: isinstance(app.screen, IncidentNoticeScreen))
        notice = app.screen
        await shown(pilot, lambda: notice.query_one("#notice-text").text)
        await pilot.press("ctrl+s")
        await shown(pilot, lambda: app.screen is screen)
        await shown(pilot, lambda: SAVED[lang][0] in timeline_text(screen))
        said = " ".join(toasts(app))
        assert SAVED[lang][1] in said, said
        for wrong in ("已发通知", "Notice sent", "发送记录"):
            assert wrong not in timeline_text(screen) and wrong not in said


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_lift_notice_draft_claims_nothing_the_app_does_not_know(ws, lang):
    """nc20: the first draft said 被困人员情况稳定 / the people inside are safe while the plan
    said someone was unwell; the draft says only what calling for help makes true."""
    from fieldkit.services import notices

    text = notices.draft(ws, lift(ws).id, lang).text
    assert ("电梯发生困人" in text) if lang == "zh" else ("trapped in a lift" in text)
    for claim in ("情况稳定", "安全", "平安", "safe", "unharmed", "all well"):
        assert claim not in text, text
