"""Text wrapped at phrase boundaries, for the sentences of a dialog.

Rich wraps at spaces; Chinese has none inside a sentence, so a question like
把其余 14 户未确认情况的住户都记为“转客服上门回访”？ was folded wherever the width ran out,
splitting a word across lines (回|访). :func:`lines` breaks a line after a punctuation
mark or a space, the places a Chinese reader pauses, and folds inside a phrase only when
the phrase alone is wider than the line. English breaks at spaces, as before.
:class:`PhraseText` shows a text so wrapped, at its own width.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from rich.cells import cell_len
from textual.content import Content
from textual.visual import Visual
from textual.widgets import Static

if TYPE_CHECKING:
    from textual.css.styles import RulesMap
    from textual.strip import Strip
    from textual.style import Style
    from textual.visual import RenderOptions

#: A phrase ends after a run of spaces or of these marks: 。，、；：？！ and the closing
#: brackets and quotes, so a line never starts with one of them. ASCII marks are left to
#: the spaces after them (12:30 and 1.5 stay whole).
_MARKS = "，。、；：？！）》」』”’"
_PHRASE = re.compile(rf"[^\s{_MARKS}]*(?:[{_MARKS}]+|\s+|$)")


def phrases(text: str) -> list[str]:
    """The phrases of one paragraph, each with the punctuation or space that ends it. A
    space beside a Chinese character is no pause (其余 14 户 stays whole): it breaks a line
    only between two words of Latin text."""
    out: list[str] = []
    for found in _PHRASE.findall(text):
        if not found:
            continue
        last = out[-1] if out else ""
        if last[-1:].isspace() and (_wide(last.rstrip()[-1:]) or _wide(found[:1])):
            out[-1] += found
        else:
            out.append(found)
    return out


def _wide(char: str) -> bool:
    return bool(char) and cell_len(char) == 2


def spans(text: str, width: int) -> list[tuple[int, int]]:
    """Where each line of ``text`` wrapped to ``width`` cells at phrase boundaries starts
    and ends in it (its own line breaks kept, the spaces at a break left out)."""
    out: list[tuple[int, int]] = []
    base = 0
    for paragraph in text.split("\n"):
        start = pos = base
        for phrase in phrases(paragraph):
            end = pos + len(phrase)
            if start < pos and cell_len(text[start:end].rstrip()) > width:
                out.append((start, start + len(text[start:pos].rstrip())))
                start = pos
            pos = end
            while cell_len(text[start:pos].rstrip()) > width:  # a phrase wider than a line
                cut = _fold_at(text[start:pos], width)
                out.append((start, start + cut))
                start += cut
                while start < pos and text[start].isspace():  # no line starts with a space
                    start += 1
        out.append((start, start + len(text[start:pos].rstrip())))
        base += len(paragraph) + 1
    return out


def lines(text: str, width: int) -> list[str]:
    """``text`` wrapped to ``width`` cells at phrase boundaries (:func:`spans`)."""
    return [text[a:b] for a, b in spans(text, width)]


def _fold_at(line: str, width: int) -> int:
    """Where to fold a phrase wider than the line: as far as fits, but never leaving a mark
    to start the next line (记|： folds at 这样|记：)."""
    used, cut = 0, len(line)
    for n, char in enumerate(line):
        used += cell_len(char)
        if used > width:
            cut = n
            break
    while cut > 1 and line[cut : cut + 1] in _MARKS:
        cut -= 1
    return max(cut, 1)


class Wrapped(Visual):
    """Styled text (a ``Content``) that wraps by :func:`spans` at whatever width it is
    drawn: a line of the incident's timeline. ``str()`` is its text, whole.

    The first ``hang`` characters (a timeline entry's time) stay on the first line and the
    lines after it are indented under the rest, so the time stands out on its own column
    (it was left alone on a line of its own, and the wrapped text went back to column 1)."""

    def __init__(self, content: Content, hang: int = 0) -> None:
        self.content = content
        self.hang = hang

    def __str__(self) -> str:
        return self.content.plain

    def _at(self, width: int) -> Content:
        head, text = self.content[: self.hang], self.content[self.hang :]
        indent = head.cell_length if head.cell_length < width // 2 else 0
        if not indent:
            head, text = Content(""), self.content
        rows = [text[a:b] for a, b in spans(text.plain, max(width - indent, 1))]
        pad = Content(" " * indent)
        return Content("\n").join(
            (head if n == 0 else pad) + row if indent else row for n, row in enumerate(rows)
        )

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        return self._at(width).render_strips(width, height, style, options)

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return self.content.get_optimal_width(rules, container_width)

    def get_height(self, rules: RulesMap, width: int) -> int:
        return self._at(width).get_height(rules, width)


class Phrased(str, Visual):
    """A sentence that wraps by :func:`spans` at whatever width it is drawn. It is still
    the sentence (a ``str``: what a reader of the widget's content or ``render()`` gets is
    the sentence whole, not its lines)."""

    def _wrapped(self) -> Wrapped:
        return Wrapped(Content(str(self)))

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        return self._wrapped().render_strips(width, height, style, options)

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return self._wrapped().get_optimal_width(rules, container_width)

    def get_height(self, rules: RulesMap, width: int) -> int:
        return self._wrapped().get_height(rules, width)


class PhraseText(Static):
    """A ``Static`` showing a sentence wrapped at phrase boundaries, at its own width: a
    dialog's question, a screen's sentence of help."""

    @property
    def text(self) -> str:
        return str(self.content)

    def set_text(self, text: str) -> None:
        self.update(Phrased(text))


def phrase_toasts() -> None:
    """Toasts wrap at phrase boundaries as dialogs do: Textual's own wrapping folds Chinese
    wherever the width runs out, so a toast at 120x40 read "本次查看已记录" / "。60 秒后……",
    its full stop alone at the start of a line. Once, when the app starts (the class is
    Textual's, shared by every screen)."""
    from textual.widgets._toast import Toast

    if getattr(Toast.render, "phrased", False):
        return
    plain = Toast.render

    def render(self: Toast) -> Wrapped:
        return Wrapped(plain(self))

    render.phrased = True  # type: ignore[attr-defined]
    Toast.render = render  # type: ignore[method-assign]
