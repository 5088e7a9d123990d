"""Take a repair, complaint or neighbour dispute in under a minute: kind (1/2/3), the flat by
a scan or a search (for a dispute then the other flat, the same way), category, description,
photos (a path each, Enter on an empty line goes on), urgency and how the owner wants to be
contacted — each a key or a line — then Enter saves it
(fieldkit.services.intake)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from fieldkit.checklists.lifecycle import URGENCIES
from fieldkit.i18n import get_language, t
from fieldkit.model import Target as ModelTarget
from fieldkit.services import intake
from fieldkit.services.types import Target
from fieldkit.ui.messages import ScanReceived
from fieldkit.ui.screens.base import FieldScreen
from fieldkit.ui.widgets.keybar import KeyBar
from fieldkit.ui.widgets.titlebar import TitleBar

KEYS = ("1", "2", "3", "4", "5", "6", "7", "8", "9", "0", "minus")
KEY_TEXT = {"minus": "-"}
STEPS = ("kind", "unit", "other", "category", "description", "photo", "urgency", "contact")
SEARCH_STEPS = ("unit", "other")


def _existing(typed: str) -> str | None:
    """The photo's full path if there is such a file (asked in a thread: it reads the disk)."""
    path = Path(typed).expanduser()
    return str(path) if path.is_file() else None


class IntakeScreen(FieldScreen):
    AUTO_FOCUS = "#intake-list"
    DEFAULT_CSS = """
    IntakeScreen #intake-help { padding: 1 1 0 1; height: auto; }
    IntakeScreen #intake-line { margin: 0 1; }
    IntakeScreen #intake-list { height: 1fr; border: none; }
    """
    HELP_KEYS = (
        ("1-9", "lifecycle.ui.keys.choose"),
        ("scan", "ui.keys.scan"),
        ("enter", "lifecycle.ui.keys.next"),
        ("esc", "ui.keys.back"),
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", show=False),
        *(Binding(key, f"digit('{key}')", show=False) for key in KEYS),
    ]

    def __init__(self) -> None:
        super().__init__(name="intake")
        self.step = "kind"
        self.kind = ""
        self.unit: Target | None = None
        self.other: Target | None = None  # a dispute's other flat
        self.category = ""
        self.description = ""
        self.photos: list[str] = []
        self.urgency = "normal"
        self.results: list[Target] = []
        self.categories: tuple[tuple[str, dict], ...] = ()
        self.saving = False

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static(id="intake-title", classes="section-title")
        yield Static(id="intake-help")
        yield Input(id="intake-line")
        yield OptionList(id="intake-list")
        yield KeyBar((("1-9", "lifecycle.ui.keys.choose"), ("esc", "ui.keys.back")))

    def on_mount(self) -> None:
        self.query_one("#intake-line", Input).display = False
        self.relabel()

    def relabel(self) -> None:
        lang = get_language()
        title = self.query_one("#intake-title", Static)
        help_text = self.query_one("#intake-help", Static)
        listing = self.query_one("#intake-list", OptionList)
        listing.clear_options()
        kind = t(f"lifecycle.ui.kind.{self.kind}") if self.kind else ""
        title.update(t(f"lifecycle.ui.step.{self.step}", kind=kind))
        if self.step == "kind":
            lines = [
                f"{n}  {t(f'lifecycle.ui.kind.{kind}')}" for n, kind in enumerate(intake.KINDS, 1)
            ]
        elif self.step in SEARCH_STEPS:
            lines = [t(f"lifecycle.ui.{self.step}_help")]
            if self.step == "other" and self.unit is not None:
                lines.insert(0, t("cases.intake.reported", unit=self.unit.label(lang)))
            for n, target in enumerate(self.results):
                listing.add_option(Option(target.label(lang), id=str(n)))
        elif self.step == "category":
            lines = [
                f"{KEY_TEXT.get(key, key)}  {label.get(lang) or cid}"
                for key, (cid, label) in zip(KEYS, self.categories, strict=False)
            ]
        elif self.step == "description":
            lines = [t("lifecycle.ui.description_help")]
        elif self.step == "photo":
            lines = [t("lifecycle.ui.photo_help")]
            lines += [f"✓ {path}" for path in self.photos]
        elif self.step == "urgency":
            lines = [
                f"{n}  {t(f'lifecycle.ui.urgency.{u}')}" for n, u in enumerate(URGENCIES, 1)
            ] + [t("lifecycle.ui.urgency_default")]
        else:
            lines = [
                f"{n}  {t(f'lifecycle.ui.contact.{c}')}" for n, c in enumerate(intake.CONTACTS, 1)
            ] + [t("lifecycle.ui.contact_default")]
        help_text.update("\n".join(lines))

    def _go(self, step: str) -> None:
        self.step = step
        line = self.query_one("#intake-line", Input)
        line.display = step in (*SEARCH_STEPS, "description", "photo")
        if line.display:
            line.value = self.description if step == "description" else ""  # back: kept
            line.placeholder = t(f"lifecycle.ui.placeholder.{step}")
            line.focus()
        else:
            self.set_focus(None)
        if step in SEARCH_STEPS:
            self.results = []
            self.search("")
        self.relabel()

    def action_digit(self, key: str) -> None:
        n = KEYS.index(key)
        if self.step == "kind" and n < len(intake.KINDS):
            self.kind = intake.KINDS[n]
            self.categories = intake.categories(self.kind)
            self._go("unit")
        elif self.step == "category" and n < len(self.categories):
            self.category = self.categories[n][0]
            self._go("description")
        elif self.step == "urgency" and n < len(URGENCIES):
            self.urgency = URGENCIES[n]
            self._go("contact")
        elif self.step == "contact" and n < len(intake.CONTACTS):
            self.save(intake.CONTACTS[n])

    def key_enter(self) -> None:
        if self.step == "urgency":
            self._go("contact")
        elif self.step == "contact":
            self.save("phone")

    def search(self, query: str) -> None:
        self.fk.call_service(self, "search", lambda ws: ws.search(query), exclusive=True)

    def done_search(self, results: list[Target]) -> None:
        if self.step in SEARCH_STEPS:
            self.results = [r for r in results if r.kind == "unit"]
            self.relabel()

    def on_input_changed(self, event: Input.Changed) -> None:
        if self.step in SEARCH_STEPS:
            self.search(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.step in SEARCH_STEPS and self.results:
            listing = self.query_one("#intake-list", OptionList)
            self.choose_unit(self.results[listing.highlighted or 0])
        elif self.step == "description" and event.value.strip():
            self.description = event.value.strip()
            self._go("photo")
        elif self.step == "photo":
            path = event.value.strip()
            if not path:
                self._go("urgency")
                return
            self.service("photo", lambda ws, typed: _existing(typed), path, typed=path)

    def done_photo(self, found: str | None, typed: str) -> None:
        if self.step != "photo":
            return
        if found is None:
            self.notify(t("lifecycle.intake.photo", path=typed), severity="warning")
            return
        self.photos.append(found)
        self.query_one("#intake-line", Input).value = ""
        self.relabel()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if self.step in SEARCH_STEPS and event.option.id is not None:
            self.choose_unit(self.results[int(event.option.id)])

    def scans_in_text(self) -> bool:
        return self.step in SEARCH_STEPS

    def on_scan_received(self, message: ScanReceived) -> None:
        if self.step in SEARCH_STEPS:
            message.prevent_default()
            self.service(
                "scanned", lambda ws, code: ws.lookup_scan(code), message.code, typed=message.typed
            )

    def done_scanned(self, lookup: Any, typed: bool = False) -> None:
        if lookup.status != "found" or lookup.target.kind != "unit":
            self.scan_missed(lookup, typed)
            return
        self.choose_unit(lookup.target)

    def choose_unit(self, target: Target) -> None:
        if self.step == "other":
            if self.unit is not None and target.id == self.unit.id:
                self.notify(t("cases.intake.same_unit"), severity="warning")
                return
            self.other = target
        else:
            self.unit = target
            if self.kind == "dispute":
                self._go("other")
                return
        self.results = []
        self._go("category")

    def save(self, contact: str) -> None:
        if self.saving or self.unit is None:
            return
        self.saving = True
        unit, other = self.unit, self.other if self.kind == "dispute" else None
        request = intake.Request(
            self.kind,
            ModelTarget("unit", unit.id),
            self.category,
            self.description,
            urgency=self.urgency,
            contact=contact,
            photos=tuple(Path(p) for p in self.photos),
            building=unit.building,
            where=unit.code,
            other=ModelTarget("unit", other.id) if other else None,
            other_building=other.building if other else "",
            other_where=other.code if other else "",
        )

        def take(ws: Any) -> Any:
            case = intake.take(ws.store, request, by=ws.actor, lifecycles=ws.lifecycles)
            ws.cases_added([case])
            return case

        self.fk.call_service(self, "saved", take, serial=True)

    def on_work_done(self, message: Any) -> None:
        if message.what == "saved" and message.error:
            self.saving = False

    def done_saved(self, case: Any) -> None:
        self.notify(
            t("lifecycle.ui.saved", ref=case.id[-6:], kind=t(f"lifecycle.ui.kind.{case.kind}"))
        )
        self.app.pop_screen()

    def action_back(self) -> None:
        if self.step == "kind":
            self.app.pop_screen()
            return
        back = STEPS[STEPS.index(self.step) - 1]
        if back == "other" and self.kind != "dispute":
            back = "unit"
        self._go(back)
