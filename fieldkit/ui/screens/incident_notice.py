"""A notice to owners: the type's template filled in the chosen language, edited in place,
then ctrl+s writes it to a file, copies it to the clipboard (where the terminal allows) and
records the sending on the timeline. F3 switches the notice between Chinese and English."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Static, TextArea

from fieldkit.i18n import get_language, t
from fieldkit.services import notices
from fieldkit.ui.screens.base import FieldScreen
from fieldkit.ui.widgets.keybar import KeyBar
from fieldkit.ui.widgets.titlebar import TitleBar


class IncidentNoticeScreen(FieldScreen):
    DEFAULT_CSS = """
    IncidentNoticeScreen #notice-title { padding: 0 1; height: auto; }
    IncidentNoticeScreen #notice-text { height: 1fr; margin: 0 1; }
    """
    HELP_KEYS = (
        ("F3", "incidents.ui.keys.notice_lang"),
        ("ctrl+s", "incidents.ui.keys.send"),
        ("esc", "ui.keys.back"),
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", show=False),
        Binding("f3", "switch_notice_language", show=False),
        Binding("ctrl+s", "send", show=False, priority=True),
    ]

    def __init__(self, incident_id: str, lang: str | None = None) -> None:
        super().__init__(name="incident-notice")
        self.incident_id = incident_id
        self.lang = lang or get_language()
        self.title_text = ""
        self.sending = False

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static(id="notice-title", classes="section-title")
        yield TextArea(id="notice-text", soft_wrap=True)
        yield KeyBar(self.HELP_KEYS)

    def on_mount(self) -> None:
        self.relabel()
        self.load()

    def load(self) -> None:
        lang = self.lang
        self.service("draft", lambda ws: notices.draft(ws, self.incident_id, lang))

    def done_draft(self, draft: notices.NoticeDraft) -> None:
        self.title_text = draft.title
        area = self.query_one("#notice-text", TextArea)
        area.load_text(draft.text)
        area.focus()
        self.relabel()

    def relabel(self) -> None:
        self.query_one(TitleBar).relabel()
        self.query_one(KeyBar).relabel()
        self.query_one("#notice-title", Static).update(
            t("incidents.ui.notice_title", title=self.title_text,
              lang=t(f"incidents.ui.lang_{self.lang}"))
        )  # fmt: skip

    def action_switch_notice_language(self) -> None:
        self.lang = "en" if self.lang == "zh" else "zh"
        self.load()

    def action_send(self) -> None:
        if self.sending:
            return
        text = self.query_one("#notice-text", TextArea).text
        lang = self.lang
        self.sending = True
        self.fk.call_service(
            self,
            "sent",
            lambda ws: notices.send(ws, self.incident_id, text, lang),
            context={"text": text},
            serial=True,
        )

    def done_sent(self, path: Any, text: str = "") -> None:
        self.sending = False
        self.app.copy_to_clipboard(text)  # OSC 52: terminals without it ignore it
        self.app.notify(t("incidents.ui.notice_sent", path=str(path)))
        self.app.pop_screen()

    def on_work_done(self, message) -> None:
        if message.what == "sent" and message.error:
            self.sending = False
