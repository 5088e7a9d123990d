"""One table of keys per screen: its bindings, its lines in help (``?``) and its key bar all
come from it, so what the bar offers, what help lists and what the keys do cannot drift.

A :class:`Key` is a key as the person reads it ("p", "1-9", "↑ ↓", "F3") with what makes it
act (``binds``: Textual key names and the action), its help line and its word in the key
bar. A key with no binding here says who acts on it (``by``): a widget of the screen (Enter
on a list, typing in a box) or the app (``?``, ctrl+q). ``when`` names the states in which a
key is listed (in help and in the bar): home's ``d`` only while a round is in progress, the
runner's answer keys only for the item type they answer. A screen says which states hold
now in ``FieldScreen.key_states``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from textual.binding import Binding

#: Keys shown as a word, not a key on the keyboard: said in the reader's language (nc18:
#: "scan  扫标签定地点" in a Chinese bar).
WORDED = ("scan", "type")


def key_text(shown: str) -> str:
    """A key as the bar and help print it: ``scan`` / ``type`` in the reader's language."""
    if shown in WORDED:
        from fieldkit.i18n import t

        return t(f"ui.key_names.{shown}")
    return shown


#: The keys that pick from a list, in order: 1-9, then 0, then letters as the keyboard
#: shows them (an intake's eleventh category, 其他, is under a; a picker's twelfth under b).
#: Never "-" after 0: a newcomer reads it as "minus" or "none".
CHOICE_KEYS = tuple("1234567890abcdefghijklmnopqrstuvwxyz")


def choice_keys_said(count: int, sep: str) -> str:
    """The keys of a list of ``count`` choices as a hint names them: ``1–4``,
    ``1–9, 0, a–c`` (``sep`` between the runs, as the reader's language lists)."""
    keys = CHOICE_KEYS[: max(count, 0)]
    runs = [keys[:9], keys[9:10], keys[10:]]
    return sep.join(r[0] if len(r) == 1 else f"{r[0]}–{r[-1]}" for r in runs if r)


def bar_numbers(keys: tuple[tuple[str, str], ...], count: int) -> tuple[tuple[str, str], ...]:
    """The key bar with its "1-9" named as many as the list has: "1" for one, "1-8" for
    eight, "1-9 0 a" for eleven (:data:`CHOICE_KEYS`); as it was for none."""
    if count < 1:
        return keys
    shown = CHOICE_KEYS[:count]
    numbers = f"1-{shown[min(count, 9) - 1]}" if count > 1 else "1"
    named = " ".join([numbers, *shown[9:]])
    return tuple((named, words) if k == "1-9" else (k, words) for k, words in keys)


#: Who acts on a key that has no binding in the screen's table.
BY = ("", "widget", "app")


@dataclass(frozen=True)
class Key:
    shown: str
    help: str = ""  # catalogue key of its line in help; "" = not listed there
    bar: str = ""  # catalogue key of its word in the key bar; "" = not shown there
    binds: tuple[tuple[str, str], ...] = ()  # (Textual key or keys, action)
    when: tuple[str, ...] = ()  # listed only in these states (empty: always)
    by: str = ""  # "widget" or "app": what acts on a key with no binding here
    priority: bool = False  # acts even while a text box has the focus (ctrl+s)

    def listed(self, states: Iterable[str]) -> bool:
        return not self.when or any(s in self.when for s in states)


def key(shown: str, action: str = "", help: str = "", bar: str = "", *, bind: str = "",
        when: tuple[str, ...] = (), by: str = "", priority: bool = False) -> Key:  # fmt: skip
    """A key bound to ``action`` (``bind`` when Textual names it otherwise than ``shown``)."""
    binds = ((bind or shown, action),) if action else ()
    return Key(shown, help, bar, binds, when, by, priority)


class KeyTable:
    def __init__(self, *keys: Key) -> None:
        self.keys = keys
        for k in keys:
            if k.by not in BY or (k.binds and k.by):
                raise ValueError(f"key {k.shown!r}: bound here or acted on by a widget or the app")
            if (k.help or k.bar) and not self.works(k.shown):
                raise ValueError(f"key {k.shown!r} is listed but nothing acts on it")

    def bindings(self) -> list[Binding]:
        """The screen's ``BINDINGS``: every key bound here, none shown by Textual's footer."""
        return [
            Binding(names, action, show=False, priority=k.priority)
            for k in self.keys
            for names, action in k.binds
        ]

    def help(self, states: Iterable[str] = ()) -> tuple[tuple[str, str], ...]:
        """Help's lines for the screen in these states: (key, catalogue key)."""
        states = tuple(states)
        return tuple((k.shown, k.help) for k in self.keys if k.help and k.listed(states))

    def bar(self, states: Iterable[str] = ()) -> tuple[tuple[str, str], ...]:
        """The key bar in these states: (key, catalogue key)."""
        states = tuple(states)
        return tuple((k.shown, k.bar) for k in self.keys if k.bar and k.listed(states))

    def acting(self, shown: str) -> list[Key]:
        """The entries that make ``shown`` act: bound here, or acted on by a widget or the
        app (a key may be listed by other entries too, e.g. in the bar only in some states)."""
        return [k for k in self.keys if _same(k.shown, shown) and (k.binds or k.by)]

    def works(self, shown: str) -> bool:
        """Whether a listed key acts: its own entry does, or each key it names ("d v u",
        "1 2 3") is bound or acts here."""
        if self.acting(shown):
            return True
        bound = {name for k in self.keys for names, _ in k.binds for name in names.split(",")}
        parts = shown.replace("/", " ").split()
        return len(parts) > 1 and all(p in bound or self.acting(p) for p in parts)


def _same(a: str, b: str) -> bool:
    """The same key however it is written short or long ("] [" and "] / [")."""
    return a.replace("/", " ").split() == b.replace("/", " ").split()
