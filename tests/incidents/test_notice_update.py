"""An update (续报) tells what is new since the last notice and where things stand, not
the first notice again (newcomers got the same text twice)."""

from __future__ import annotations

import pytest

from fieldkit.i18n import t
from fieldkit.services import incidents as inc
from fieldkit.services import notices
from tests.incidents.helpers import open_lift_entrapment as lift


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_update_says_what_is_new_since_the_last_notice(ws, lang):
    incident = lift(ws)
    inc.add_entry(ws, incident.id, "two people inside, calm")
    first = notices.draft(ws, incident.id, lang)
    notices.send(ws, incident.id, first.text, lang)
    inc.add_entry(ws, incident.id, "lift engineer on site")
    inc.log_call(ws, incident.id, "120", "Dr Li")
    inc.contain(ws, incident.id)

    update = notices.draft(ws, incident.id, lang).text
    first_body = first.text.splitlines()[3]  # what happened, as the first notice said it
    assert first_body not in update
    assert "lift engineer on site" in update
    assert t("incidents.entry.call", lang, service=t("incidents.service_said.120", lang),
             who="Dr Li") in update  # fmt: skip
    assert "two people inside" not in update  # told in the first notice already
    now = {"zh": "目前情况已得到控制，处置仍在进行。",
           "en": "Where things stand: it is under control"}  # fmt: skip
    assert now[lang] in update
    since = {"zh": "的通报以来，1号楼1单元的最新情况如下：",
             "en": "this is what has happened at Building 1 entrance 1:"}  # fmt: skip
    assert since[lang] in update

    notices.send(ws, incident.id, update, lang)
    third = notices.draft(ws, incident.id, lang).text
    assert "lift engineer on site" not in third
    nothing = {"zh": "暂无新的变化。", "en": "Nothing new has happened since."}
    assert nothing[lang] in third


def test_after_the_stand_down_the_update_is_the_all_clear(ws):
    incident = lift(ws)
    notices.send(ws, incident.id, notices.draft(ws, incident.id, "zh").text, "zh")
    inc.stand_down(ws, incident.id)
    text = notices.draft(ws, incident.id, "zh").text
    assert "解除应急状态" in text and "通报以来" not in text
