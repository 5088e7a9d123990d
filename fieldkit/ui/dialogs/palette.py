"""The command palette in the current language, found by the words people type.

Textual's own provider matches what is typed against a command's title only, so "trend"
found nothing in English (the title says "Recurring problems"). :class:`Commands` also
finds a command by its search words (the catalogue's ``ui.palette_words``, both languages
at once: a zh screen still finds "report", an en one 周报), by any word of its title or
help, and then falls back to Textual's fuzzy match of the title.

Textual's ``CommandPalette`` (8.2.8) has two English strings of its own: the search box's
placeholder, which its constructor takes, and "No matches found", which it builds inline in
``_start_no_matches_countdown``. That method is re-stated here with the catalogue's text;
the snapshot and palette tests catch a Textual upgrade that changes it.
"""

from __future__ import annotations

from rich.align import Align
from rich.text import Text
from textual.command import CommandList, CommandPalette, Hit, Hits
from textual.system_commands import SystemCommandsProvider
from textual.widgets.option_list import Option

from fieldkit.i18n import t

#: The commands' title keys and the ``ui.palette_words`` key of their search words.
WORDS = {
    "lifecycle.ui.trends_cmd": "trends",
    "week.cmd": "week",
    "ui.cmd.cases": "cases",
    "lifecycle.ui.cmd": "intake",
    "incidents.ui.cmd": "incident",
    "ui.cmd.sync": "sync",
    "registry.cmd.patrol": "patrol",
    "ui.cmd.start": "start",
    "ui.cmd.find": "find",
    "attention.cmd.title": "attention",
    "ui.cmd.language": "language",
}
#: A command found by one of its words ranks above a fuzzy match of a title.
WORD_SCORE = 0.95
#: ... and one whose title holds the words typed above one found by its help or words.
TITLE_SCORE = 0.97


def search_words(key: str) -> str:
    """A command's ``ui.palette_words`` in both languages, lower case."""
    return " ".join(t(f"ui.palette_words.{key}", lang) for lang in ("zh", "en")).casefold()


def found_by_words(query: str, text: str) -> bool:
    """Whether every word typed is the start of a word of ``text`` (Chinese: inside it)."""
    words = text.split()
    return bool(query.split()) and all(
        any(w.startswith(q) or (not q.isascii() and q in w) for w in words) for q in query.split()
    )


class Commands(SystemCommandsProvider):
    """The app's commands, found by title, help and search words (see the module)."""

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        typed = query.casefold().strip()
        words = {t(title): search_words(key) for title, key in WORDS.items()}
        for name, help_text, callback, *_ in self.app.get_system_commands(self.screen):
            text = f"{name} {help_text} {words.get(name, '')}".casefold()
            for mark in "，、；：（）()/,;:":
                text = text.replace(mark, " ")
            if found_by_words(typed, name.casefold()):
                # 周报 is the weekly report's title, the trends' help; of two titles holding
                # the words, the one they say more of first ("handover": Shift handover)
                score = TITLE_SCORE + 0.01 * len(typed) / max(len(name), 1)
            elif found_by_words(typed, text):
                score = WORD_SCORE
            else:
                score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)


class Palette(CommandPalette):
    def __init__(self) -> None:
        super().__init__(placeholder=t("ui.palette.placeholder"), id="--command-palette")

    def _start_no_matches_countdown(self, search_value: str) -> None:
        self._stop_no_matches_countdown()

        def show_no_matches() -> None:
            if search_value:
                self.query_one(CommandList).add_option(
                    Option(
                        Align.center(Text(t("ui.palette.no_matches"), style="not bold")),
                        disabled=True,
                        id=self._NO_MATCHES,
                    )
                )
                self._list_visible = True
            else:
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show_no_matches)
