"""A notice to owners: the type's template filled in the chosen language, edited in place,
then ctrl+s writes it to a file, copies it to the clipboard (where the terminal allows) and
records the sending on the timeline. F3 switches the notice between Chinese and English.

Each language keeps its own text while the screen is open: F3 puts the edited text aside
and brings back the other language as it was left (its template the first time), so
nothing typed is lost by switching; ctrl+l (the app's language) changes the screen's words,
never the notice. Leaving with a text edited and not sent asks first."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Static, TextArea

from fieldkit.i18n import get_language, plural, t
from fieldkit.services import notices
from fieldkit.services.types import pick
from fieldkit.ui.keys import KeyTable, key
from fieldkit.ui.messages.incidents import NoticeDrafted, NoticeNotSent, NoticeSent
from fieldkit.ui.screens.base import FieldScreen
from fieldkit.ui.widgets.keybar import KeyBar
from fieldkit.ui.widgets.titlebar import TitleBar
from fieldkit.ui.workers import in_thread


class IncidentNoticeScreen(FieldScreen):
    DEFAULT_CSS = """
    IncidentNoticeScreen #notice-title { padding: 0 1; height: auto; }
    IncidentNoticeScreen #notice-text { height: 1fr; margin: 0 1; }
    """
    KEYS = KeyTable(
        key("F3", "switch_notice_language", "incidents.ui.keys.notice_lang",
            "incidents.ui.keys.notice_lang", bind="f3"),
        key("ctrl+s", "send", "incidents.ui.keys.send", "incidents.ui.keys.send", priority=True),
        key("esc", "leave", "ui.keys.back", "ui.keys.back", bind="escape"),
    )  # fmt: skip

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
        yield KeyBar(self.bar_keys())

    def on_mount(self) -> None:
        self.relabel()
        self.load()

    def load(self) -> None:
        lang = self.lang
        if lang in self.texts:
            self.show(self.texts[lang])
            return
        self.load_draft(lang)

    @in_thread(group="draft")
    def load_draft(self, lang: str) -> None:
        self.post_message(NoticeDrafted(notices.draft(self.fk.workspace, self.incident_id, lang)))

    def on_notice_drafted(self, message: NoticeDrafted) -> None:
        draft = message.draft
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
        lang, incident_id = self.lang, self.incident_id
        self.sending = True
        self.fk.saves.put(
            self,
            lambda ws: NoticeSent(notices.send(ws, incident_id, text, lang), text, lang),
            NoticeNotSent,
        )

    def on_notice_sent(self, message: NoticeSent) -> None:
        """Sent: back to the incident, unless the other language holds edits not sent yet
        (it is shown then, to send or to leave with Esc, which asks)."""
        sent, text, lang = message.sent, message.text, message.lang
        self.sending = False
        self.app.copy_to_clipboard(text)  # OSC 52: terminals without it ignore it
        said = t("incidents.ui.notice_sent", path=str(sent.path))
        if sent.ticked:  # the plan's step asking for it is done: said, not found at close
            steps = t("checklists.words.list_sep").join(f"“{pick(s)}”" for s in sent.ticked)
            said += " " + plural("incidents.ui.notice_ticked", len(sent.ticked), steps=steps)
        self.app.notify(said)
        self.drafted[lang] = text
        self.texts[lang] = text
        other = "en" if lang == "zh" else "zh"
        if self.edited(other):
            self.lang = other
            self.load()
            self.notify(t("incidents.ui.notice_other_kept", lang=t(f"incidents.ui.lang_{other}")))
            return
        self.app.pop_screen()

    def on_notice_not_sent(self, message: NoticeNotSent) -> None:
        self.sending = False
        self.notify(message.error, severity="error")
