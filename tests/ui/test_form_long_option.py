"""A form's option longer than its line (a second call's dialog: "add this call to", the
case open on the flat, its age and status) wraps at a phrase, under its words: Rich folded
it at a space, so 5 天前 read "（5" on one line and "天前登记" under the option's number."""

from __future__ import annotations

import time

import pytest

from fieldkit.i18n import set_language, t
from fieldkit.services.cases import age_words
from fieldkit.ui.app import FieldkitApp
from fieldkit.ui.dialogs.form import Choice, FormDialog
from tests.incidents.helpers import screen_lines
from tests.waits import shown


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_a_long_option_wraps_at_a_phrase_under_its_words(workspace, lang):
    set_language(lang)
    now = time.time()
    age = age_words(now - 5 * 86400, now, lang)
    detail = t("desk.same.case", lang, ref="502845", title="厨房有燃气味，关了阀门还是有",
               age=age, status=t("ui.case.overdue", lang))  # fmt: skip
    label = t("desk.same.add", lang)
    asked = Choice("same", "desk.same.question", (("x", "desk.same.add"), ("", "desk.same.new")),
                   (detail,))  # fmt: skip
    app = FieldkitApp(workspace, lang=lang)
    async with app.run_test(size=(80, 30)) as pilot:
        app.push_screen(FormDialog("desk.same.title", (asked,), where="2-1-304", count=1))
        await shown(pilot, lambda: any(f"1 {label}" in line for line in screen_lines(app)))
        lines = screen_lines(app)
        first = next(n for n, line in enumerate(lines) if f"1 {label}" in line)
        column = lines[first].index(label)
        below = lines[first + 1]
        assert below[:column].rstrip().endswith("█") and below[column] != " ", lines[first:]
        assert any(age in line for line in lines[first : first + 2]), lines[first:]
        assert f"2 {t('desk.same.new', lang)}" in lines[first + 2], lines[first:]
