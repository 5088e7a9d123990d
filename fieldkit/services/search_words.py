"""Words that mean the same problem, for the case list's search: owners and clerks say 漏水,
渗水 and 渗漏 for one leak, and a search for one should find the others.

The groups are data (``search_words.toml`` beside this module, read with ``tomllib`` once,
when a search first needs them), bounded in size when read so a bad edit cannot make every
search slow. Only the words of a problem's title are widened this way; a case number, a
flat or an asset code is matched as typed.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources

WORDS_FILE = "search_words.toml"
MAX_GROUPS = 200
MAX_WORDS = 12  # in one group
MAX_LENGTH = 20  # characters of one word
MAX_FORMS = 24  # forms one search is widened to, its own first


@cache
def groups() -> tuple[tuple[str, ...], ...]:
    """Every group of the shipped file, both languages, lower case; ValueError naming the
    group for one that breaks the bounds (the shipped file is checked by the tests)."""
    text = (resources.files("fieldkit.services") / WORDS_FILE).read_text("utf-8")
    return parse(tomllib.loads(text))


def parse(data: dict) -> tuple[tuple[str, ...], ...]:
    found: list[tuple[str, ...]] = []
    seen: set[str] = set()
    for lang, listed in data.items():
        if not isinstance(listed, list):
            raise ValueError(f"{WORDS_FILE}: {lang} is not a list of groups")
        for n, group in enumerate(listed, start=1):
            where = f"{WORDS_FILE}: {lang} group {n}"
            if not isinstance(group, list) or not 2 <= len(group) <= MAX_WORDS:
                raise ValueError(f"{where}: 2 to {MAX_WORDS} words")
            words = tuple(str(w).strip().lower() for w in group)
            if not all(0 < len(w) <= MAX_LENGTH for w in words):
                raise ValueError(f"{where}: each word 1 to {MAX_LENGTH} characters")
            if seen & set(words):
                raise ValueError(f"{where}: {sorted(seen & set(words))} already in a group")
            seen.update(words)
            found.append(words)
    if len(found) > MAX_GROUPS:
        raise ValueError(f"{WORDS_FILE}: at most {MAX_GROUPS} groups")
    return tuple(found)


def expand(text: str, within: tuple[tuple[str, ...], ...] | None = None) -> tuple[str, ...]:
    """``text`` (lower case) and the forms it takes when a word of it is replaced by
    another of its group: ``卫生间漏水`` → ``卫生间渗水``, ``卫生间渗漏`` ...; at most
    MAX_FORMS, the text itself first."""
    wanted = text.strip().lower()
    forms = [wanted] if wanted else []
    for group in groups() if within is None else within:
        for form in list(forms):
            word = next((w for w in group if w in form), None)
            if word is None:
                continue
            for other in group:
                variant = form.replace(word, other)
                if variant not in forms:
                    forms.append(variant)
                if len(forms) >= MAX_FORMS:
                    return tuple(forms)
    return tuple(forms)
