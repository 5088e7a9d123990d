"""A caller's name masked as the desk reads it (nc: 欧阳娜娜 read 欧***, Tom (tenant) read
"Tom (***"): the surname whole, one-character or compound, each other character hidden; a
name in Latin letters by its initials unless it is pinyin, surname first; a note in
brackets left out. One helper (``personal.mask``) masks every name, so the case shows the
caller as the export and the office's copies do."""

from __future__ import annotations

import pytest

from fieldkit.i18n import set_language
from fieldkit.model import Target
from fieldkit.model.personal import mask, mask_record
from fieldkit.services import callback, intake
from fieldkit.ui.app import FieldkitApp
from fieldkit.ui.screens.case_detail import CaseDetailScreen
from tests.desk.helpers import desk_workspace, flat, owned_flat, text_of
from tests.waits import shown


@pytest.mark.parametrize(
    ("name", "masked"),
    [("张伟", "张*"), ("张小明", "张**"), ("张 伟", "张*"), ("欧阳娜", "欧阳*"),
     ("欧阳娜娜", "欧阳**"), ("司马光", "司马*"), ("王芳（租户）", "王*（租户）"),
     ("张先生", "张**"),
     ("Tom", "T***"), ("Tom Smith", "T*** S***"), ("Tom (tenant)", "T*** (tenant)"),
     ("Tom (Mr Lee's son)", "T***"), ("王芳（王建国的女儿）", "王*"),
     ("Mr. Smith", "Mr S***"), ("Wang Fang", "Wang F***"), ("Ouyang Nana", "Ouyang N***"),
     ("Zoë Smith", "Z*** S***"), ("张", "*")],
)  # fmt: skip
def test_each_name_is_masked_as_a_person_would_expect(name, masked):
    assert mask("name", name) == masked
    assert mask("name", masked) == masked  # masked again (the office, an older device): same


def test_a_mask_an_older_release_made_masks_to_the_same():
    for older, now in (("欧***", "欧***"), ("Tom S***", "T*** S***"), ("Guo J***", "Guo J***")):
        assert mask("name", older) == now


CASES = {
    "zh": ("欧阳娜娜", "来电人", "欧阳**  138****5678"),
    "en": ("Tom (tenant)", "Caller", "T*** (tenant)  138****5678"),
}


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_the_case_shows_the_caller_masked_as_the_office_sends_them(tmp_path, lang):
    name, row, masked = CASES[lang]
    set_language(lang)
    ws, _ = desk_workspace(tmp_path / "ws")
    try:
        code = owned_flat(ws)
        request = intake.Request(
            "repair", Target("unit", flat(ws, code).id), "water_leak", "卫生间漏水",
            where=code, caller_name=name, caller_phone="13812345678",
        )  # fmt: skip
        case = intake.take(ws.store, request, by=ws.actor, lifecycles=ws.lifecycles)
        body = {"id": case.id, "kind": "repair", "extra": {"caller": callback.caller_of(case)}}
        sent = mask_record("case", body, "patrol")  # to a role that may not see it
        assert sent["extra"]["caller"]["name"] == masked.split("  ")[0]
        app = FieldkitApp(ws, lang=lang)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            app.push_screen(CaseDetailScreen(case.id))
            screen = app.screen
            await shown(pilot, lambda: any(p.caller for p in screen.contacts))
            head = text_of(screen, "#case-head")
            line = next(line for line in head.splitlines() if line.split()[0] == row)
            assert line.rstrip().endswith(f"{code}  {masked}"), head
        assert callback.caller_of(case)["name"] == name  # kept as typed, masked when shown
    finally:
        ws.close()
        set_language("en")
