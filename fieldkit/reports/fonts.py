"""The fonts a printed report is set in, embedded in every PDF it writes.

reportlab embeds TrueType outlines only (not CFF / OpenType-PostScript, which is what most
Noto CJK files are), so a report uses two TrueType fonts: one for Chinese (AR PL UMing CN,
Debian's ``fonts-arphic-uming``; SimSun on Windows) and one for Latin text, digits and
symbols (DejaVu Sans, ``fonts-dejavu-core``; Arial on Windows). Every run of text is set in
the font made for it (:func:`runs`): Latin set in a CJK font takes that font's spacing and
reads "Sum m ary", and a CJK font's bundled Latin glyphs do not match its metrics.

Nothing is read at import time; :func:`fonts` finds and registers the files on first use,
and raises :class:`FontsMissing` (a sentence naming the packages to install) rather than
ever writing a PDF whose text would come out as boxes.
"""

from __future__ import annotations

import functools
import html
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from fieldkit.i18n import UserError

#: (path, subfont index in a .ttc) to try, first found wins.
CJK_CANDIDATES = (
    ("/usr/share/fonts/truetype/arphic/uming.ttc", 0),  # AR PL UMing CN
    ("/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    ("C:/Windows/Fonts/simsun.ttc", 0),
)
LATIN_CANDIDATES = (
    ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
    ("C:/Windows/Fonts/arial.ttf", "arialbd.ttf"),
)
#: What to install where a font is missing (the project's set-up installs these).
PACKAGES = "fonts-arphic-uming fonts-dejavu-core"

CJK = "fieldkit-cjk"
LATIN = "fieldkit-latin"
LATIN_BOLD = "fieldkit-latin-bold"


class FontsMissing(UserError):
    """No usable font for a language; the message names the packages to install."""


@dataclass(frozen=True)
class Fonts:
    """The registered font names and the files they come from (for the docs and tests)."""

    cjk: str
    latin: str
    latin_bold: str
    files: tuple[str, ...]
    cjk_chars: frozenset[int]
    latin_chars: frozenset[int]

    def font_for(self, char: str, bold: bool = False) -> str:
        """The font a character is set in: wide (CJK) characters and anything only the
        CJK font has in the CJK font; the rest in the Latin one."""
        code = ord(char)
        latin = self.latin_bold if bold else self.latin
        if unicodedata.east_asian_width(char) in "WF" and code in self.cjk_chars:
            return self.cjk
        if code in self.latin_chars or code not in self.cjk_chars:
            return latin
        return self.cjk


def _first_truetype(candidates, make):
    for candidate in candidates:
        if Path(candidate[0]).is_file():
            try:
                return candidate, make(candidate)
            except Exception:  # reportlab refuses CFF outlines and broken files alike
                continue
    return None, None


@functools.cache
def fonts() -> Fonts:
    """Find and register the report fonts (once per process); FontsMissing if none fits."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    found, cjk = _first_truetype(CJK_CANDIDATES, lambda c: TTFont(CJK, c[0], subfontIndex=c[1]))
    if cjk is None:
        raise FontsMissing("reports.fonts.missing_cjk", packages=PACKAGES)
    latin_found, latin = _first_truetype(LATIN_CANDIDATES, lambda c: TTFont(LATIN, c[0]))
    if latin is None:
        raise FontsMissing("reports.fonts.missing_latin", packages=PACKAGES)
    bold_path = Path(latin_found[0]).with_name(latin_found[1])
    try:
        bold = TTFont(LATIN_BOLD, str(bold_path))
    except Exception:  # no bold face: headings use the regular one
        bold = TTFont(LATIN_BOLD, latin_found[0])
    for font in (cjk, latin, bold):
        pdfmetrics.registerFont(font)
    pdfmetrics.registerFontFamily(LATIN, normal=LATIN, bold=LATIN_BOLD)
    return Fonts(
        CJK,
        LATIN,
        LATIN_BOLD,
        (found[0], latin_found[0]),
        frozenset(cjk.face.charToGlyph),
        frozenset(latin.face.charToGlyph),
    )


def runs(text: str, bold: bool = False) -> list[tuple[str, str]]:
    """``text`` cut into (font name, text) runs, each in the font made for it."""
    f = fonts()
    out: list[tuple[str, str]] = []
    for char in text:
        name = f.font_for(char, bold) if not char.isspace() or not out else out[-1][0]
        if out and out[-1][0] == name:
            out[-1] = (name, out[-1][1] + char)
        else:
            out.append((name, char))
    return out


def markup(text: str, bold: bool = False) -> str:
    """``text`` as reportlab paragraph markup: escaped, a ``<font>`` per run, line breaks
    kept."""
    parts = []
    for name, run in runs(text, bold):
        escaped = html.escape(run, quote=False).replace("\n", "<br/>")
        parts.append(f'<font name="{name}">{escaped}</font>')
    return "".join(parts)


def has_cjk(text: str) -> bool:
    return any(unicodedata.east_asian_width(c) in "WF" for c in text)


def width(text: str, size: float, bold: bool = False) -> float:
    """How wide ``text`` is set at ``size`` points, run by run."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return sum(stringWidth(run, name, size) for name, run in runs(text, bold))
