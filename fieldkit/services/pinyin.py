"""Pinyin initials for search, so ``xfs`` finds 消防栓.

GB2312's 3,755 level-1 hanzi (the common ones, codes 0xB0A1–0xD7F9) are ordered by pinyin,
so a character's initial is found by encoding it to GB2312 and locating its code among 23
boundaries. That covers the words on labels, asset kinds and place names a compound uses,
with a 23-entry table and no dependency (pypinyin ships a 20 MB dictionary for full readings
we do not need). Rarer level-2 characters, sorted by radical not by sound, get no initial
unless listed in ``_EXTRA``; ASCII letters and digits stand for themselves.
"""

from __future__ import annotations

from bisect import bisect_right
from functools import lru_cache

_BOUNDS = (
    (0xB0A1, "a"), (0xB0C5, "b"), (0xB2C1, "c"), (0xB4EE, "d"), (0xB6EA, "e"),
    (0xB7A2, "f"), (0xB8C1, "g"), (0xB9FE, "h"), (0xBBF7, "j"), (0xBFA6, "k"),
    (0xC0AC, "l"), (0xC2E8, "m"), (0xC4C3, "n"), (0xC5B6, "o"), (0xC5BE, "p"),
    (0xC6DA, "q"), (0xC8BB, "r"), (0xC8F6, "s"), (0xCBFA, "t"), (0xCDDA, "w"),
    (0xCEF4, "x"), (0xD1B9, "y"), (0xD4D1, "z"),
)  # fmt: skip
_KEYS = tuple(code for code, _ in _BOUNDS)
_LAST_LEVEL1 = 0xD7F9
_EXTRA = {"栋": "d", "苑": "y", "邸": "d", "珑": "l", "玺": "x", "翡": "f", "榭": "x"}


@lru_cache(maxsize=8192)
def initial(char: str) -> str:
    """The pinyin initial of one character, the character itself if ASCII, else ''."""
    if char.isascii():
        return char.lower() if char.isalnum() else ""
    if char in _EXTRA:
        return _EXTRA[char]
    try:
        raw = char.encode("gb2312")
    except UnicodeEncodeError:
        return ""
    if len(raw) != 2:
        return ""
    code = raw[0] << 8 | raw[1]
    if code < _KEYS[0] or code > _LAST_LEVEL1:
        return ""
    return _BOUNDS[bisect_right(_KEYS, code) - 1][1]


def initials(text: str) -> str:
    """``消防栓 3-2`` → ``xfs32``: one letter per hanzi, letters and digits kept."""
    return "".join(initial(ch) for ch in text)
