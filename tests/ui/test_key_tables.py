"""Each screen's keys come from one table (``fieldkit.ui.keys``): what it binds, what help
lists and what its key bar shows cannot drift. Checked for every screen class, and on the
screens a person walks to from home: the key bar and help show the table, and every key
the bar offers is bound there and then."""

from __future__ import annotations

import importlib
import pkgutil

import pytest

import fieldkit.ui.screens as screens_package
from fieldkit.i18n import t
from fieldkit.ui.app import FieldkitApp
from fieldkit.ui.keys import KeyTable
from fieldkit.ui.screens.base import FieldScreen
from fieldkit.ui.screens.help import HelpScreen
from fieldkit.ui.widgets.keybar import KeyBar
from tests.waits import settled

#: What the app itself acts on, as the tables write it (FieldkitApp.BINDINGS, Textual's
#: command palette and focus keys, and the scan capture).
APP_KEYS = {"?", "ctrl+q", "ctrl+l", "ctrl+p", "!", "tab", "scan", "F1", "F2"}


def _screen_classes() -> list[type[FieldScreen]]:
    for module in pkgutil.iter_modules(screens_package.__path__):
        importlib.import_module(f"{screens_package.__name__}.{module.name}")
    found, todo = [], list(FieldScreen.__subclasses__())
    while todo:
        cls = todo.pop()
        if cls.KEYS is not FieldScreen.KEYS:  # not a base for screens (RevealingScreen)
            found.append(cls)
        todo.extend(cls.__subclasses__())
    return sorted(found, key=lambda c: c.__name__)


def _binding_keys(table: KeyTable) -> list[tuple[str, str]]:
    return [(b.key, b.action) for b in table.bindings()]


@pytest.mark.parametrize("cls", _screen_classes(), ids=lambda c: c.__name__)
def test_a_screen_binds_lists_and_shows_only_its_table(cls):
    table = cls.KEYS
    assert table.keys, f"{cls.__name__} has no key table"
    own = cls.__dict__.get("BINDINGS", [])
    if "KEYS" in cls.__dict__:  # its bindings are the table's, and nothing else
        assert [(b.key, b.action) for b in own] == _binding_keys(table)
    else:  # it keeps its parent's keys (the incident plan is the runner)
        assert not own
    listed_in_help = [k.shown for k in table.keys if k.help]
    for entry in table.keys:
        for _keys, action in entry.binds:
            name = action.split("(")[0]
            owner = FieldkitApp if name.startswith("app.") else cls
            assert hasattr(owner, "action_" + name.removeprefix("app.")), (cls, action)
        if entry.binds:  # a key that acts is in help (home's r was not)
            assert entry.shown in listed_in_help, (cls.__name__, entry.shown)
        if entry.by == "app":
            assert entry.shown in APP_KEYS, (cls.__name__, entry.shown)
        if entry.help or entry.bar:
            assert table.works(entry.shown), (cls.__name__, entry.shown)


#: The home's states that hold together (``HomeScreen.key_states``): its bar for each.
HOME_STATES = [("desk",), ("desk", "drafts"), ("rounds", "walks"), ("rounds", "walks", "drafts"),
               ("rounds", "coordinator"), ("rounds", "coordinator", "drafts")]  # fmt: skip


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("cls", _screen_classes(), ids=lambda c: c.__name__)
def test_a_key_bar_fits_a_120_column_terminal(cls, lang):
    """A key cut off at the right edge is a key nobody learns of: each bar, in each state
    its screen lists keys for (one at a time; the home's as they come together), fits."""
    from rich.cells import cell_len

    from fieldkit.i18n import set_language
    from fieldkit.ui.screens.home import HomeScreen
    from fieldkit.ui.screens.runner import ANSWER_KEYS, RunnerScreen

    #: The runner's (``RunnerScreen.key_states``): typed items, a plan's steps, each kind.
    RUNNER_STATES = [
        ("typed",),
        ("step", "keyed"),
        ("keyed",),
        *((k, "keyed") for k in ANSWER_KEYS),
    ]

    set_language(lang)
    table = cls.KEYS
    if cls is HomeScreen:
        combos = HOME_STATES
    elif cls is RunnerScreen:
        combos = RUNNER_STATES
    else:
        combos = [(), *[(s,) for s in sorted({s for k in table.keys for s in k.when})]]
    for states in combos:
        bar = table.bar(states)
        width = sum(cell_len(f" {key} ") + cell_len(f" {t(label)}  ") for key, label in bar)
        assert width <= 120, (states, width, [t(label) for _, label in bar])


def test_home_lists_r_in_help():
    from fieldkit.ui.screens.home import HomeScreen

    assert ("r", "ui.keys.refresh") in HomeScreen.KEYS.help()


async def _check(pilot, what: str) -> None:
    """The screen shown: its key bar is its table's for its state, every key the bar lists
    with a binding is bound now, and help (F1) lists the table's lines first."""
    await settled(pilot)
    app = pilot.app
    screen = app.screen
    assert isinstance(screen, FieldScreen), what
    states = screen.key_states()
    bar = screen.query_one(KeyBar)
    assert bar.keys == screen.bar_keys(), what
    # A screen may name a range more narrowly (1-3 for three choices), never other keys.
    assert [label for _, label in bar.keys] == [label for _, label in screen.KEYS.bar(states)], what
    active = app.active_bindings
    for shown, _label in bar.keys:
        for entry in screen.KEYS.acting(shown):
            for names, _action in entry.binds:
                assert any(n in active for n in names.split(",")), (what, shown)
    await pilot.press("f1")
    await settled(pilot)
    assert isinstance(app.screen, HelpScreen), what
    expected = [(k, t(label)) for k, label in screen.KEYS.help(states)]
    assert app.screen.rows[: len(expected)] == expected, what
    await pilot.press("escape")
    await settled(pilot)
    assert app.screen is screen, what


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_walk_every_screen_bar_and_help_agree_with_the_table(workspace, lang):
    from fieldkit.services import incident_close
    from fieldkit.services import incidents as inc
    from fieldkit.ui.screens.incident_close import IncidentCloseScreen
    from fieldkit.ui.screens.reveals import RevealsScreen
    from fieldkit.ui.screens.unit_card import UnitCardScreen

    app = FieldkitApp(workspace, lang=lang)
    async with app.run_test(size=(120, 40)) as pilot:
        await _check(pilot, "home")
        await pilot.press("s")
        await _check(pilot, "start")
        await pilot.press(*"R-1-1")
        await settled(pilot)
        await pilot.press("enter")
        await _check(pilot, "target")
        await pilot.press("enter")
        await settled(pilot)
        if app.screen.__class__.__name__ == "ConfirmDialog":  # done for now: asked first
            await pilot.press("y")
        await _check(pilot, "runner")
        await pilot.press("s")
        await _check(pilot, "finish")
        for _ in range(4):
            await pilot.press("escape")
        await settled(pilot)
        await pilot.press("c")
        await _check(pilot, "cases")
        await pilot.press("enter")
        await _check(pilot, "case detail")
        await pilot.press("escape", "escape")
        await pilot.press("f2")
        await _check(pilot, "incident open")
        await pilot.press("1")
        await settled(pilot)
        await pilot.press("enter")
        await settled(pilot)
        await pilot.press("enter")
        await _check(pilot, "incident")
        incident_id = app.screen.incident_id
        await pilot.press("f7")
        await _check(pilot, "notice")
        await pilot.press("escape")
        await settled(pilot)
        points = incident_close.open_points(workspace, incident_id)
        app.push_screen(IncidentCloseScreen(incident_id, points))
        await _check(pilot, "incident close")
        assert inc.view(workspace, incident_id).status != "closed"
        app.pop_screen()
        app.push_screen(UnitCardScreen(workspace.lookup_scan("1-1-301").target))
        await _check(pilot, "unit card")
        for action, what in ((app.action_intake, "intake"), (app.action_patrol, "patrol"),
                             (app.action_trends, "trends"), (app.action_attention, "attention"),
                             (lambda: app.push_screen(RevealsScreen()), "reveals")):  # fmt: skip
            action()
            await _check(pilot, what)
            app.pop_screen()


def test_a_key_shown_as_a_word_is_said_in_the_readers_language():
    """nc18: "scan  扫标签定地点" in a Chinese key bar."""
    from fieldkit.i18n import set_language
    from fieldkit.ui.keys import key_text

    try:
        set_language("zh")
        assert (key_text("scan"), key_text("type"), key_text("F3")) == ("扫码", "输入", "F3")
        set_language("en")
        assert key_text("scan") == "scan"
    finally:
        set_language("en")


def test_english_help_lines_share_one_style():
    """nc21: help read 'Needs-attention list: …', 'Switch role (demo)', 'Shift handover: …'
    among lower-case lines: every English help line of every screen, the lines help adds on
    every screen and the demo's, starts lower-case (a line naming the languages aside)."""
    from fieldkit.ui.screens.help import COMMON

    lines = {k.help for cls in _screen_classes() for k in cls.KEYS.keys if k.help}
    lines |= {label for _key, label in COMMON} | {"demo.keys.switch", "reveals.keys.open"}
    capital = {key: t(key, "en") for key in lines if t(key, "en")[:1].isupper()}
    assert not capital, capital
