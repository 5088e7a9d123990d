"""What the desk tests share: a compound with its registry, a desk device (role ``office``,
the role the lifecycle file gives the service desk) with a person signed in, and reading a
screen's text as a person sees it."""

from __future__ import annotations

import io
import time

from rich.console import Console
from textual.widgets import OptionList

from fieldkit.model import Target as ModelTarget
from fieldkit.services import intake, registry
from fieldkit.services.cases import iso
from fieldkit.ui.dialogs.picker import Picker
from fieldkit.ui.screens.case_detail import CaseDetailScreen
from fieldkit.ui.screens.cases import CasesScreen
from fieldkit.ui.screens.intake import IntakeScreen
from tests.incidents.helpers import make_compound, open_workspace
from tests.keys import type_text
from tests.waits import shown

DESK = "office"


def desk_workspace(folder, role: str = DESK, person: str = "张伟"):
    refs = make_compound(folder)
    ws = open_workspace(folder)
    ws.store.set_device_state(role=role)
    ws.sign_in(person)
    return ws, refs


def flat(ws, code: str):
    """The flat ``code`` as the search finds it (a services Target)."""
    return next(t for t in ws.search(code) if t.kind == "unit" and t.code == code)


def owned_flat(ws) -> str:
    """A flat with one current owner on record (the call back goes straight to them)."""
    index = registry.index_for(ws)
    for unit_id in sorted(index.units):
        owners = [r for r in index.residents_of(unit_id) if r.role == "owner" and r.phone]
        if len(owners) == 1 and owners[0].id_number:
            return ws.places.by_id[unit_id].code
    raise AssertionError("no flat with one owner")


def case_in(ws, kind: str, status: str, title: str, **fields) -> str:
    """A case on the compound's first flat, due in 30 hours and put straight into
    ``status`` (``fields`` as ``create_case`` takes them: a department ...); its id."""
    unit = ws.store.reference("unit")[0]
    due = iso(time.time() + 30 * 3600)
    made = ws.store.create_case(kind, ModelTarget("unit", unit.id), title=title, due=due, **fields)
    if made.status != status:
        ws.store.set_case_status(made.id, status)
    return made.id


def take(ws, kind, code, category, description, urgency="high", contact="wechat", other=""):
    unit = flat(ws, code)
    second = flat(ws, other) if other else None
    request = intake.Request(
        kind,
        ModelTarget("unit", unit.id),
        category,
        description,
        urgency=urgency,
        contact=contact,
        building=unit.building,
        where=unit.code,
        other=ModelTarget("unit", second.id) if second else None,
        other_building=second.building if second else "",
        other_where=second.code if second else "",
    )
    case = intake.take(ws.store, request, by=ws.actor, lifecycles=ws.lifecycles)
    return case


def text_of(screen, selector: str) -> str:
    """What a Static shows, as plain text (tables and styled text included)."""
    content = screen.query_one(selector).content
    if isinstance(content, str):
        return content
    console = Console(width=200, file=io.StringIO(), record=True)
    console.print(content)
    return console.export_text()


def notes(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


def options_read(listed) -> list[str]:
    """Each line of an OptionList as a person reads it (a picker's key and its words)."""
    out = []
    for n in range(listed.option_count):
        console = Console(width=200, file=io.StringIO(), record=True)
        console.print(listed.get_option_at_index(n).prompt)
        out.append(console.export_text().rstrip())
    return out


async def open_case(app, pilot, case_id: str, ready=None) -> CaseDetailScreen:
    """The case's page opened, once it has read the case (and ``ready(screen)`` holds: its
    contacts, its next statuses ...)."""
    app.push_screen(CaseDetailScreen(case_id))
    screen = app.screen
    await shown(pilot, lambda: screen.case is not None and (ready is None or ready(screen)))
    return screen


async def open_cases(app, pilot, *args) -> CasesScreen:
    """The case list opened (``args`` as ``CasesScreen`` takes them), once its first page
    is drawn."""
    app.push_screen(CasesScreen(*args))
    await shown(pilot, lambda: isinstance(app.screen, CasesScreen) and app.screen.page)
    return app.screen


async def statuses_offered(app, pilot) -> list[str]:
    """The case list's status picker opened with ``o``; its lines as a person reads them."""
    await pilot.press("o")
    await shown(pilot, lambda: isinstance(app.screen, Picker))
    return options_read(app.screen.query_one(OptionList))


async def to_category(app, pilot, kind_key: str, code: str, caller: str = "") -> IntakeScreen:
    """A call taken as far as its category: the kind picked by ``kind_key`` (1 a repair,
    2 a complaint ...), the flat ``code`` typed and chosen, ``caller`` typed (none: the
    owner on record calling)."""
    app.push_screen(IntakeScreen())
    await shown(pilot, lambda: isinstance(app.screen, IntakeScreen))
    screen = app.screen
    await pilot.press(kind_key)
    await shown(pilot, lambda: screen.step == "unit")
    await type_text(pilot, code)
    await shown(pilot, lambda: any(r.code == code for r in screen.results))
    await pilot.press("enter")
    await shown(pilot, lambda: screen.step == "caller")
    await type_text(pilot, caller)
    await pilot.press("enter")
    await shown(pilot, lambda: screen.step == "category")
    return screen
