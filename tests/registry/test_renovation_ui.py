"""Pilot: a renovation from permit to acceptance, by keys, in zh and en. Scan the door →
the card shows the permit → Enter runs the site patrol with a failed item → the violation
is on the card with its deadline → `n` writes the notice → `x` (confirmed) before the
deadline is refused → `y` asks, takes a note, closes it and the re-inspection shows under
the last inspections → the acceptance inspection passes and the deposit is returned."""

from __future__ import annotations

import io
import time
from datetime import timedelta

import pytest
from textual.widgets import Input

from fieldkit.i18n import set_language
from fieldkit.model import localtime
from fieldkit.model.qr import encode
from fieldkit.services.demo import generate
from fieldkit.services.workspace import Workspace
from fieldkit.ui.app import FieldkitApp
from fieldkit.ui.screens.runner import RunnerScreen
from fieldkit.ui.screens.unit_card import UnitCardScreen
from tests.waits import settled, shown

from .test_card_ui import options_of, scan, text_of

ACCEPT = "renovation.acceptance"
WORDS = {
    "en": {"refused": "still has until", "closed": "closed: put right", "passed": "passed",
           "deposit": "deposit returned in full", "notice": "Rectification notice",
           "ask": "record it as put right", "reinspected": "put right — wall restored",
           "to_return": "{amount} yuan to be returned after acceptance"},
    "zh": {"refused": "还没到整改期限", "closed": "已结案", "passed": "通过",
           "deposit": "押金全额退还", "notice": "整改通知已保存",
           "ask": "记为已整改并结案", "reinspected": "已整改 — wall restored",
           "to_return": "验收后待退还 {amount} 元"},
}  # fmt: skip


@pytest.fixture
def flat(tmp_path):
    generate(tmp_path / "c", cases=5, floors=3)
    ws = Workspace.open(tmp_path / "c")
    ws.store.set_device_state(role="renovation")
    yield ws, ws.lookup_scan("3-2-302").target
    ws.close()


def camera_with(tmp_path, photo: bytes):
    """The watched camera folder, holding one photo of the fault (``c`` takes it)."""
    camera = tmp_path / "camera"
    camera.mkdir()
    (camera / "IMG_0001.jpg").write_bytes(photo)
    return camera


async def card_of(app, pilot, unit) -> UnitCardScreen:
    """The flat's card, opened by scanning its door label, once its checklists are listed."""
    await pilot.pause()
    scan(app, encode("unit", "CH", unit.code))
    await shown(pilot, lambda: isinstance(app.screen, UnitCardScreen))
    card = app.screen
    await shown(pilot, lambda: card.card is not None and card.checklists)
    return card


async def run_through(pilot, app, fail: str = "") -> None:
    """Answer the open runner by keys: pass everything except the item ``fail``."""
    await settled(pilot)
    assert isinstance(app.screen, RunnerScreen) and app.screen.run
    runner = app.screen
    for _ in range(120):
        if not runner.run.missing():
            break
        step = runner.step()
        before = runner.run.value(step)
        kind = step.item.type
        if kind == "check":
            await pilot.press("f" if step.item.id == fail else "p")
        elif kind in ("choice",):
            await pilot.press("1")
        elif kind == "multi":
            await pilot.press("1", "enter")
        elif kind == "number":
            low = (step.item.expect or step.item.range or [0])[0]
            await pilot.press(*str(int(low)), "enter")
        elif kind in ("text", "signature"):
            await pilot.press(*"Li", "enter")
        elif kind == "photo":
            await pilot.press("c")  # then Enter moves on (a photo item stays for another)
            await shown(pilot, lambda s=step: runner.run.value(s) is not None)
            await pilot.press("enter")
            continue
        elif kind == "date" and runner.run.deadline_range(step):
            await pilot.press("enter")  # a violation's deadline: the date the box offers
        elif kind == "date":
            soon = (localtime.today() + timedelta(days=3)).isoformat()
            await pilot.press(*soon, "enter")
        await settled(pilot)
        assert runner.run.value(step) not in (None, before), f"{step.key} ({kind}) not answered"
    assert not runner.run.missing()
    if app.screen is runner and isinstance(app.focused, Input):  # an optional text item
        runner.action_finish()  # last: its box has the keys
    elif app.screen is runner:
        await pilot.press("s")
    await settled(pilot)
    assert app.screen.name == "finish"
    await pilot.press("ctrl+s")
    await settled(pilot)
    assert runner.run.submitted and isinstance(app.screen, UnitCardScreen)


def bar_keys(screen) -> set[str]:
    from fieldkit.ui.widgets.keybar import KeyBar

    return {shown for shown, _ in screen.query_one(KeyBar).keys}


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_permit_to_acceptance_by_keys(flat, tmp_path, lang):
    ws, unit = flat
    words = WORDS[lang]
    camera = camera_with(tmp_path, b"\xff\xd8 a wall")
    app = FieldkitApp(ws, lang=lang, watch_folder=camera)
    async with app.run_test(size=(120, 50)) as pilot:
        card = await card_of(app, pilot, unit)
        assert card.card.permit is not None and card.card.violations == ()
        assert not {"y", "x", "n"} & bar_keys(card)  # nothing for them to act on yet
        first = [c.id for c in card.checklists[:3]]
        assert first == ["renovation.site_patrol", "renovation.permit_check", ACCEPT]

        await pilot.press("enter")
        await run_through(pilot, app, fail="load_bearing")
        await shown(pilot, lambda: len(card.card.violations) == 1)
        violation = card.card.violations[0]
        assert violation.id[-6:] in options_of(card, "#card-violations")[0]
        assert ws.store.get_case(violation.id).kind == "violation"
        await shown(pilot, lambda: {"y", "x", "n"} <= bar_keys(card))

        await pilot.press("n")
        await shown(pilot, lambda: any(words["notice"] in n.message for n in app._notifications))
        assert list((ws.data_dir / "notices").glob("rectification-*.txt"))

        await pilot.press("x")  # refused before any note is asked: the owner still has time
        assert app.screen is card
        await shown(pilot, lambda: any(words["refused"] in n.message for n in app._notifications))
        assert ws.store.get_case(violation.id).status == "assigned"  # notice given
        assert options_of(card, "#card-violations")[0].startswith("▶ ")  # what y acts on

        await pilot.press("y")  # asks first: Esc changes nothing
        await shown(pilot, lambda: words["ask"] in str(app.screen.query_one("#form-title")
                                                       .render()))  # fmt: skip
        await pilot.press("escape")
        await shown(pilot, lambda: app.screen is card)
        assert ws.store.get_case(violation.id).status == "assigned"
        await pilot.press("y", *"wall restored", "enter", *str(camera / "IMG_0001.jpg"), "enter")
        await shown(pilot, lambda: card.card.violations == ())
        assert ws.store.get_case(violation.id).status == "closed"
        await shown(pilot, lambda: not {"y", "x", "n"} & bar_keys(card))
        checklists = card.query_one("#card-checklists")
        await shown(pilot, lambda: app.focused is checklists)  # Enter starts a round again
        assert any(words["closed"] in n.message for n in app._notifications)
        await shown(
            pilot,
            lambda: any(
                words["reinspected"] in line for line in options_of(card, "#card-inspections")
            ),
        )

        checklists = card.query_one("#card-checklists")
        checklists.focus()
        checklists.highlighted = 2  # renovation.acceptance
        await pilot.press("enter")
        await run_through(pilot, app)
        await shown(pilot, lambda: card.card.acceptance is not None)
        assert card.card.acceptance.passed and card.card.acceptance.deposit_returnable
        permit = text_of(card, "#card-permit")
        assert words["passed"] in permit and words["deposit"] in permit
        deposit = card.card.permit.deposit
        assert deposit and card.card.permit.deposit_state == "held"  # the office still holds it
        assert words["to_return"].format(amount=deposit) in permit, permit  # not "held"
    set_language("en")


REFUSED = {
    "en": {"no_photo": "There is no photo at", "needs_photo": "only with a photo of the site",
           "needs_note": "Say what you found", "stopped": "now: work stopped since",
           "allowed": ("now: work allowed", "now: outside permitted hours")},
    "zh": {"no_photo": "处没有照片", "needs_photo": "须附一张整改后的现场照片",
           "needs_note": "请写明复查时看到的整改情况", "stopped": "现在：已责令停工",
           "allowed": ("现在：可以施工", "现在：不在允许施工时段")},
}  # fmt: skip


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_a_refused_put_right_keeps_what_was_typed(flat, tmp_path, lang):
    """`y` on a critical violation: no note, then a photo path with nothing there, then no
    photo at all — each time the form stays open with what was typed, says why beside the
    field and puts the cursor there; nothing is recorded until the note and a real photo."""
    ws, unit = flat
    words = REFUSED[lang]
    camera = tmp_path / "camera"
    camera.mkdir()
    (camera / "IMG_0001.jpg").write_bytes(b"\xff\xd8 the wall cut")  # the fault, in the round
    app = FieldkitApp(ws, lang=lang, watch_folder=camera)
    async with app.run_test(size=(120, 50)) as pilot:
        await pilot.pause()
        scan(app, encode("unit", "CH", unit.code))
        await shown(pilot, lambda: isinstance(app.screen, UnitCardScreen))
        card = app.screen
        await shown(pilot, lambda: card.card is not None and card.checklists)
        await pilot.press("enter")
        await run_through(pilot, app, fail="load_bearing")
        await shown(pilot, lambda: len(card.card.violations) == 1)
        violation = card.card.violations[0]
        assert violation.severity == "critical"
        permit = text_of(card, "#card-permit")  # the bearing wall stops the work until put right
        assert words["stopped"] in permit and f"#{violation.ref}" in permit, permit
        assert not any(said in permit for said in words["allowed"])

        def hint() -> str:
            return str(app.screen.query_one("#form-hint").render())

        def box(name: str) -> Input:
            return app.screen.query_one(f"#field-{name}", Input)

        await pilot.press("y")
        await shown(pilot, lambda: app.screen is not card)
        await pilot.press("enter", "enter")  # nothing typed
        await shown(pilot, lambda: words["needs_note"] in hint())
        assert app.focused is box("note")
        await pilot.press(*"Gas riser refitted")
        await pilot.press("enter", *"/tmp/ren22-none/nonexist.jpg", "enter")
        await shown(pilot, lambda: words["no_photo"] in hint())
        assert app.focused is box("photo") and box("note").value == "Gas riser refitted"
        assert box("photo").value == "/tmp/ren22-none/nonexist.jpg"
        box("photo").value = ""
        await pilot.press("enter")  # a critical fault is not closed without a photo
        await shown(pilot, lambda: words["needs_photo"] in hint())
        assert box("note").value == "Gas riser refitted"
        assert ws.store.get_case(violation.id).status == "open"
        photo = tmp_path / "after.jpg"
        photo.write_bytes(b"\xff\xd8\xff after")
        box("photo").value = str(photo)
        await pilot.press("enter")
        await shown(pilot, lambda: card.card.violations == ())
        closed = ws.store.get_case(violation.id)
        (check,) = [e for e in closed.events if e.type == "reinspection"]
        assert check.text == "Gas riser refitted" and check.attachments
        await shown(pilot, lambda: words["stopped"] not in text_of(card, "#card-permit"))
        assert any(said in text_of(card, "#card-permit") for said in words["allowed"])
    set_language("en")


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_home_rows_keep_their_words_whole(flat, tmp_path, lang):
    """The inspector's home: each flat under renovation on two lines, the permit on the
    first, today's hours and the open violations on the second, each fitting an 80-column
    terminal's list (never "未整改违规 1" / "项…" apart, nor the afternoon hours cut off);
    a flat whose work a bearing-wall violation stopped says so in place of the hours."""
    from rich.cells import cell_len

    from tests.registry.test_renovation import fill

    ws, unit = flat
    patrol = ws.start_run("renovation.site_patrol", unit)
    fill(patrol, tmp_path, fail={"load_bearing"})
    patrol.submit(patrol.proposed_cases())
    app = FieldkitApp(ws, lang=lang)
    async with app.run_test(size=(80, 40)) as pilot:
        listing = app.screen.query_one("#renovations")
        await shown(pilot, lambda: listing.option_count > 0)
        width = listing.content_region.width
        prompts = [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]
        ours = next(p for p in prompts if p.startswith(unit.code + "  "))
        first, second = ours.split("\n")
        assert cell_len(first) <= width and cell_len(second) <= width, (width, ours)
        said = {"zh": ("已责令停工", "未整改违规 1 项"), "en": ("work stopped", "1 open violation")}
        assert all(words in second for words in said[lang]), second
        assert ("已超期" if lang == "zh" else "overdue") not in second  # its deadline is to come
        others = [p for p in prompts if p is not ours]
        hours = {"zh": "今日可施工", "en": "work hours"}[lang]
        assert all(cell_len(line) <= width for p in others for line in p.split("\n"))
        assert any(hours in p.split("\n")[1] for p in others)
        ranges = {"zh": "08:00–12:00、14:00–18:00", "en": "08:00–12:00, 14:00–18:00"}[lang]
        assert all(ranges in p for p in others if hours in p), others  # an en dash, 、 in zh
    set_language("en")


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_card_help_says_how_to_scan_and_what_y_x_n_do(flat, lang):
    """F1 on a flat's card with nothing open yet: how to scan a door label, and what y, x
    and n do and when they apply — not only once a violation is open."""
    ws, unit = flat
    words = {"en": ("scan the label on its door", "with a violation open:"),
             "zh": ("扫门上的房屋标签", "有违规时：")}[lang]  # fmt: skip
    app = FieldkitApp(ws, lang=lang)
    async with app.run_test(size=(120, 50)) as pilot:
        await pilot.pause()
        scan(app, encode("unit", "CH", unit.code))
        await shown(pilot, lambda: isinstance(app.screen, UnitCardScreen))
        card = app.screen
        await shown(pilot, lambda: card.card is not None and card.checklists)
        await pilot.press("f1")
        await shown(pilot, lambda: app.screen.id == "help")
        rows = dict(app.screen.rows)
        assert all(words[1] in rows[k] for k in ("y", "x", "n")), rows
        from rich.console import Console

        console = Console(width=200, record=True, file=io.StringIO())
        console.print(app.screen.query_one("#help-keys").content)
        assert words[0] in console.export_text(), console.export_text()
    set_language("en")


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_home_says_the_case_list_goes_on(tmp_path, lang):
    """The home lists the 20 most urgent open cases; with more open it says how many there
    are in all and that c lists them, instead of looking like the whole list."""
    generate(tmp_path / "c", cases=80, floors=3)
    ws = Workspace.open(tmp_path / "c")
    ws.store.set_device_state(role="desk")  # the desk's home lists every kind of case
    try:
        total = ws.open_cases_page(1000).total
        assert total > 20
        app = FieldkitApp(ws, lang=lang)
        async with app.run_test(size=(120, 40)) as pilot:
            await shown(pilot, lambda: app.screen.summary is not None)
            title = text_of(app.screen, "#cases-title")
            said = {"zh": f"共 {total} 单", "en": f"20 most urgent of {total}"}[lang]
            assert said in title, title
    finally:
        ws.close()
        set_language("en")


@pytest.mark.parametrize(
    ("lang", "said"),
    [("zh", "本岗位的未完结工单"), ("en", "Unfinished cases for your post")],
)  # fmt: skip
async def test_the_inspectors_home_lists_his_posts_cases(tmp_path, lang, said):
    """The inspector's home lists the renovation cases, says they are his post's and that c
    lists every case; the lawn and the bins are not on it."""
    from fieldkit.model import Target
    from fieldkit.services.cases import iso

    generate(tmp_path / "c", cases=40, floors=3)
    ws = Workspace.open(tmp_path / "c")
    ws.store.set_device_state(role="renovation")
    flat = ws.lookup_scan("3-2-202").target
    soon = iso(time.time() + 3600)
    ws.store.create_case("violation", Target("unit", flat.id), title="擅自改动承重墙",
                         category="renovation.site_patrol", department="engineering",
                         due=soon, extra={"titles": {"zh": "擅自改动承重墙",
                                                     "en": "Bearing wall altered"}})  # fmt: skip
    try:
        app = FieldkitApp(ws, lang=lang)
        async with app.run_test(size=(120, 40)) as pilot:
            await shown(pilot, lambda: app.screen.summary is not None)
            assert said in text_of(app.screen, "#cases-title")
            rows = app.screen.summary.cases
            assert rows and {r.kind for r in rows} <= {"violation", "finding"}
            assert not {r.department for r in rows} & {"landscaping", "cleaning"}
            assert any(r.title.get("en") == "Bearing wall altered" for r in rows)
    finally:
        ws.close()
        set_language("en")


@pytest.mark.parametrize(
    ("lang", "said"),
    [("zh", "本岗位没有未完结工单（其他工单按 c 查看）"),
     ("en", "No unfinished cases for your post (press c for every case)")],
)  # fmt: skip
async def test_a_post_with_none_of_its_own_says_so(tmp_path, lang, said):
    """The coordinator's home, with no incident follow-up open, says there is none of his
    and where the others are, rather than an empty table under a title."""
    generate(tmp_path / "c", cases=20, floors=2)
    ws = Workspace.open(tmp_path / "c")
    ws.store.set_device_state(role="emergency")
    try:
        app = FieldkitApp(ws, lang=lang)
        async with app.run_test(size=(120, 40)) as pilot:
            await shown(pilot, lambda: app.screen.summary is not None)
            assert not app.screen.summary.cases
            assert text_of(app.screen, "#cases-title") == said
    finally:
        ws.close()
        set_language("en")


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_a_date_typed_over_the_offered_one_replaces_it(flat, tmp_path, lang):
    """The deadline box offers a date. Coming to it from the note box (↑), the cursor was at
    its start and a date typed went in front: "2026-12-102027-01-07" (nc33). The offer is
    selected, so what is typed replaces it; an answer shown again has the cursor at its end."""
    ws, unit = flat
    app = FieldkitApp(ws, lang=lang, watch_folder=camera_with(tmp_path, b"\xff\xd8 the wall cut"))
    async with app.run_test(size=(120, 50)) as pilot:
        await card_of(app, pilot, unit)
        await pilot.press("enter")
        await shown(pilot, lambda: isinstance(app.screen, RunnerScreen) and app.screen.run)
        runner = app.screen
        wall = runner.run.step("load_bearing")
        runner.go_to(wall.key)
        await shown(pilot, lambda: runner.current == wall.key)
        await pilot.press("f")
        await shown(pilot, lambda: runner.run.value(wall) == "fail")
        note = runner.run.step("note")
        runner.go_to(note.key)
        box = runner.query_one("#entry", Input)
        await shown(pilot, lambda: app.focused is box and runner.current == note.key)
        await pilot.press("up")
        deadline = runner.run.step("rectify_by")
        _, _, offered = runner.run.deadline_range(deadline)
        await shown(pilot, lambda: runner.current == deadline.key and box.value == offered)
        by = (localtime.today() + timedelta(days=20)).isoformat()
        await pilot.press(*by, "enter")
        await shown(pilot, lambda: runner.run.value(deadline) == by)
        runner.go_to(deadline.key)
        await shown(pilot, lambda: runner.current == deadline.key and box.value == by)
        await settled(pilot)
        assert box.cursor_position == len(by)


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_home_says_a_violation_is_overdue(flat, tmp_path, lang):
    """nc33: the home still read "最近期限 2026-12-12 24:00" eleven days after it; a flat
    whose earliest deadline has passed says 已超期 / overdue."""
    from tests.registry.test_renovation import fill

    ws, unit = flat
    patrol = ws.start_run("renovation.site_patrol", unit)
    fill(patrol, tmp_path, fail={"wiring"})
    (case_id,) = patrol.submit(patrol.proposed_cases())
    late = {"zh": "未整改违规 1 项，已超期（期限 2026-01-01 24:00）",
            "en": "1 open violation, overdue since 2026-01-01 24:00"}[lang]  # fmt: skip
    ws.store.update_case(case_id, by="test", due="2026-01-02T00:00:00+08:00")
    app = FieldkitApp(ws, lang=lang)
    async with app.run_test(size=(120, 40)) as pilot:
        listing = app.screen.query_one("#renovations")
        await shown(pilot, lambda: listing.option_count > 0)
        prompts = [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]
        ours = next(p for p in prompts if p.startswith(unit.code + "  "))
        assert late in ours, ours
    set_language("en")
