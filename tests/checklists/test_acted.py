"""An option put right on the spot (``acted: true``, 发现常开，已关闭): the language takes it
on a choice or multi option that does not fail, keeps it in the content hash, and refuses it
beside ``fails: true`` with a stable code at its line (FK235)."""

from __future__ import annotations

from fieldkit.checklists import load_text
from fieldkit.i18n import set_language

from .helpers import GOOD, lines_of, place_of

OK = "          - {id: ok, label: {zh: 合格, en: OK}}\n"


def test_an_option_put_right_on_the_spot_is_kept():
    text = GOOD.replace(OK, OK[:-2] + ", acted: true}\n")
    result = load_text(text, "x.yaml")
    assert result.diagnostics == ()
    option = next(o for i in result.checklist.items() for o in i.options if o.id == "ok")
    assert option.acted and option.to_dict()["acted"] is True
    assert result.checklist.content_hash != load_text(GOOD).checklist.content_hash


def test_acted_beside_fails_is_an_error_with_its_line():
    failing = next(line for line in GOOD.splitlines(keepends=True)
                   if "fails: true" in line and line.strip().startswith("- {"))  # fmt: skip
    text = GOOD.replace(failing, failing.rstrip()[:-1] + ", acted: true}\n")
    result = load_text(text, "x.yaml")
    where = place_of(text, "acted: true")
    assert [d for d in lines_of(result) if d.endswith("FK235")] == [f"{where}: FK235"]
    set_language("en")
    (diag,) = [d for d in result.diagnostics if d.code == "FK235"]
    assert "also has fails: true" in diag.message()
