"""The top line of every screen: the app's name, who is signed in and the device's role,
in the current language (the role's name follows the language; the person keeps the one name
they signed in with, as every record they made does).

Textual's Header watches ``App.title`` and can fire before its own child exists when many
screens are pushed at once (a scanner burst opens one card per code), so a plain Static.
"""

from __future__ import annotations

from textual.widgets import Static

from fieldkit.i18n import t


class TitleBar(Static):
    DEFAULT_CSS = """
    TitleBar { dock: top; height: 1; background: $primary; color: $text; text-style: bold; }
    """

    def on_mount(self) -> None:
        self.relabel()

    def relabel(self) -> None:
        """The app's name, then who is signed in and the device's role (once known)."""
        from fieldkit.i18n.roles import role_title

        who = getattr(self.app, "who", None)
        demo = getattr(self.app, "demo", None) is not None
        if who is None:
            self.update(t("signin.title.demo_app" if demo else "ui.app.title"))
            return
        person = who.person or t("signin.title.nobody")  # the name as stored, in any language
        key = "signin.title.demo" if demo else "signin.title.who"
        self.update(t(key, role=role_title(who.role), person=person))
