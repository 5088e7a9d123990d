"""The renovation inspector on the demo, in a real terminal, in zh and en (nc29): on his home
he types a flat's code without ``/`` — first key by key, then in one burst as a fast typist
does. The search opens with what he typed (one search, not one per key), Enter opens that
flat's card, not the flat highlighted on the home, and Esc brings him home."""

from __future__ import annotations

import shutil

import pytest

from fieldkit.i18n import t
from tests.journeys.demo_pane import demo_pane

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

FLAT = "3-2-202"
NAME = {"zh": "3号楼2单元202室", "en": "Building 3, Entrance 2, Flat 202"}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_flat_code_typed_on_the_home_opens_that_flat(tmp_path, make_demo, lang):
    folder = tmp_path / "demo"
    make_demo(folder, cases=5, lang=lang, floors=2)
    home = t("renovation.home.title", lang)
    find = t("ui.start.find_title", lang)
    with demo_pane(tmp_path, folder, lang, "2") as pane:
        pane.wait_for(home)
        for char in FLAT:  # by hand, key by key
            pane.tmux("send-keys", "-t", pane.name, "-l", char)
            pane._paced(0.15)
        pane.wait_for(find)
        screen = pane.wait_for(f"{FLAT}  {NAME[lang]}")
        assert find in screen and home not in screen
        pane.keys("Enter")
        card = pane.wait_gone(find)  # the flat's card in the search's place
        assert f"{FLAT}  {NAME[lang]}" in card and t("ui.keys.back", lang) in card, card
        pane.keys("Escape")
        pane.wait_for(home)
        pane.tmux("send-keys", "-t", pane.name, "-l", FLAT)  # a fast typist: one burst
        pane.wait_for(find)
        screen = pane.wait_for(f"{FLAT}  {NAME[lang]}")
        assert screen.count(find) == 1 and home not in screen, screen
        pane.keys("Escape")
        pane.wait_for(home)  # one Esc: no second search left under it
