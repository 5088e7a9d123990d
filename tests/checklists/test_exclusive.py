"""An option picked alone (``exclusive: true``): "畅通" and "停放电动车或电池" cannot both be
the answer. The language takes the key on a multi item's option, refuses it elsewhere with a
stable code and its line, and an answer ticking it with another option is refused with a
message that names it; every shipped multi item with such an option uses it."""

from __future__ import annotations

from fieldkit.checklists import check_answer, load_folder, load_text, shipped_dir
from fieldkit.i18n import set_language, t

from .helpers import GOOD, lines_of, place_of

SOUND = "          - {id: sound, label: {zh: 完好, en: Sound}}\n"
OK = "          - {id: ok, label: {zh: 合格, en: OK}}\n"


def test_an_exclusive_option_is_picked_alone():
    text = GOOD.replace(SOUND, SOUND[:-2] + ", exclusive: true}\n")
    result = load_text(text, "x.yaml")
    assert result.diagnostics == ()
    hose = result.checklist.item("hose")
    assert hose.option("sound").exclusive and not hose.option("cracked").exclusive
    assert check_answer(hose, ["sound"]) is None
    assert check_answer(hose, ["cracked", "missing"]) is None
    set_language("zh")  # the option is named in the language of the screen
    problem = check_answer(hose, ["sound", "cracked"])
    assert problem is not None and problem.key == "checklists.answer.exclusive"
    said = t(problem.key, **dict(problem.params))
    assert said.startswith("“完好”不能和其他选项同时勾选"), said
    # the key changes the content hash: a run records which rule it was answered under
    assert result.checklist.content_hash != load_text(GOOD).checklist.content_hash


def test_exclusive_on_a_choice_item_is_an_error_with_its_line():
    text = GOOD.replace(OK, OK[:-2] + ", exclusive: true}\n")
    result = load_text(text, "x.yaml")
    where = place_of(text, "exclusive: true")
    assert [d for d in lines_of(result) if d.endswith("FK234")] == [f"{where}: FK234"]
    set_language("en")
    (diag,) = [d for d in result.diagnostics if d.code == "FK234"]
    assert "option 'ok' of a choice item" in diag.message()


NOTHING_FOUND = {"sound", "clear", "none", "not_yet", "restored", "idle"}


def test_every_shipped_nothing_found_option_is_exclusive():
    seen = 0
    for result in load_folder(shipped_dir()):
        checklist = result.checklist
        for item in checklist.items():
            for option in item.options if item.type == "multi" else ():
                if option.id in NOTHING_FOUND:
                    seen += 1
                    assert option.exclusive, (checklist.id, item.id, option.id)
    assert seen >= 13
