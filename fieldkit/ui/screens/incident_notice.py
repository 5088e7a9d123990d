"""A notice to owners: the type's template filled in the chosen language, edited in place,
then ctrl+s writes it to a file, copies it to the clipboard (where the terminal allows) and
records the sending on the timeline. F3 switches the notice between Chinese and English.

Each language keeps its own text while the screen is open: F3 puts the edited text aside
and brings back the other language as it was left (its template the first time), so
nothing typed is lost by switching; ctrl+l (the app's language) changes the screen's words,
never the notice. Leaving with a text edited and not sent asks first."""

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
        Binding("escape", "leave", show=False),
        Binding("f3", "switch_notice_language", show=False),
        Binding("ctrl+s", "send", show=False, priority=True),
    ]

    def __init__(self, incident_id: str, lang: str | None = None) -> None:
        super().__init__(name="incident-notice")
        self.incident_id = incident_id
        self.lang = lang or get_language()
        self.sending = False
        self.texts: dict[str, str] = {}  # per language: the text as last shown (edits kept)
        self.drafted: dict[str, str] = {}  # per language: the template as filled

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
        if lang in self.texts:
            self.show(self.texts[lang])
            return
        self.service("draft", lambda ws: notices.draft(ws, self.incident_id, lang))

    def done_draft(self, draft: notices.NoticeDraft) -> None:
        self.drafted[draft.lang] = draft.text
        if draft.lang == self.lang and draft.lang not in self.texts:
            self.show(draft.text)

    def show(self, text: str) -> None:
        area = self.query_one("#notice-text", TextArea)
        area.load_text(text)
        area.focus()
        self.relabel()

    def edited(self, lang: str) -> bool:
        text = self.query_one("#notice-text", TextArea).text if lang == self.lang else None
        text = self.texts.get(lang, "") if text is None else text
        return lang in self.drafted and text.strip() != self.drafted[lang].strip()

    def relabel(self) -> None:
        self.query_one(TitleBar).relabel()
        self.query_one(KeyBar).relabel()
        text = self.query_one("#notice-text", TextArea).text
        title = text.strip().splitlines()[0] if text.strip() else ""
        edited = [t(f"incidents.ui.lang_{lang}") for lang in ("zh", "en") if self.edited(lang)]
        sep = "、" if get_language() == "zh" else ", "
        mark = t("incidents.ui.notice_edited", langs=sep.join(edited)) if edited else ""
        self.query_one("#notice-title", Static).update(
            t("incidents.ui.notice_title", title=title,
              lang=t(f"incidents.ui.lang_{self.lang}")) + (f"   {mark}" if mark else "")
        )  # fmt: skip

    def on_text_area_changed(self, _: TextArea.Changed) -> None:
        self.relabel()

    def action_switch_notice_language(self) -> None:
        """Put this language's text aside (as edited) and show the other's."""
        self.texts[self.lang] = self.query_one("#notice-text", TextArea).text
        self.lang = "en" if self.lang == "zh" else "zh"
        self.load()

    def action_leave(self) -> None:
        """Back to the incident; with an edited text not sent, only once that is confirmed."""
        edited = [lang for lang in ("zh", "en") if self.edited(lang)]
        if not edited:
            self.app.pop_screen()
            return
        from fieldkit.ui.dialogs.confirm import ConfirmDialog

        def answered(yes: bool | None) -> None:
            if yes:
                self.app.pop_screen()

        sep = "、" if get_language() == "zh" else " and "
        words = sep.join(t(f"incidents.ui.lang_{lang}") for lang in edited)
        self.app.push_screen(ConfirmDialog("incidents.ui.notice_drop", langs=words), answered)

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
            context={"text": text, "lang": lang},
            serial=True,
        )

    def done_sent(self, path: Any, text: str = "", lang: str = "") -> None:
        """Sent: back to the incident, unless the other language holds edits not sent yet
        (it is shown then, to send or to leave with Esc, which asks)."""
        self.sending = False
        self.app.copy_to_clipboard(text)  # OSC 52: terminals without it ignore it
        self.app.notify(t("incidents.ui.notice_sent", path=str(path)))
        self.drafted[lang] = text
        self.texts[lang] = text
        other = "en" if lang == "zh" else "zh"
        if self.edited(other):
            self.lang = other
            self.load()
            self.notify(t("incidents.ui.notice_other_kept", lang=t(f"incidents.ui.lang_{other}")))
            return
        self.app.pop_screen()

    def on_work_done(self, message) -> None:
        if message.what == "sent" and message.error:
            self.sending = False
