"""Every message in the catalogues is one the code can show: a key nothing names is a
message no one reads, and a translator keeps it up for nothing (the review found twenty such
keys left behind by changes). A key counts as named when the code, a template or a shipped
file holds it whole; a text ending in ``.`` or ``_`` that begins it (``"trends.col." +
name``, ``'console.case.score_' ~ n``), or a shorter key before one of its dots
(``w.word("sheets.kind", kind)``); or an f-string whose fixed parts it fits
(``f"reveals.period.{period}"``); a ``_one`` form counts with its key (``plural``).
``words.*`` is the vocabulary itself, checked by tests/sync/test_vocabulary.py."""

from __future__ import annotations

import re
from pathlib import Path

import fieldkit_server  # noqa: F401  (its catalogues join the device's)
from fieldkit.i18n import catalogue

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ("fieldkit", "sync/fieldkit_server", "checklists")
SUFFIXES = {".py", ".yaml", ".yml", ".tcss", ".html", ".toml", ".js"}
KEY = r"[a-z_][a-z0-9_]*(?:\.[a-z0-9_]+)+"
VOCABULARY = "words."


def _sources() -> str:
    texts = []
    for root in SOURCES:
        for path in (ROOT / root).rglob("*"):
            if path.is_file() and path.suffix in SUFFIXES and "catalog" not in path.parts:
                texts.append(path.read_text("utf-8", errors="replace"))
    return "\n".join(texts)


def _templates(text: str) -> list[re.Pattern[str]]:
    """The f-strings that build a key: their fixed parts, a placeholder standing for any
    word (a Chinese scope name too)."""
    found = []
    for quote in ('"', "'"):
        for body in re.findall(rf"\bf{quote}([^{quote}\n]*\{{[^{quote}\n]*){quote}", text):
            fixed = re.sub(r"\{[^{}]*\}", "\0", body)
            worded = re.search(r"[a-z]{2,}\.|\.[a-z]{2,}", fixed)
            if re.fullmatch(r"[a-z0-9_.\0]+", fixed) and worded:
                found.append(re.compile(re.escape(fixed).replace("\0", r"[^\s.]+(?:\.[^\s.]+)*")))
    return found


def unused_keys() -> list[str]:
    text = _sources()
    whole = set(re.findall(rf"""["']({KEY})["']""", text))
    starts = {s for s in re.findall(r"""["']([a-z_][a-z0-9_.]*[._])["']""", text)
              if len(s) > 4 and "." in s}  # fmt: skip
    templates = _templates(text)

    def named(key: str) -> bool:
        if key in whole or key.startswith(VOCABULARY) or any(map(key.startswith, starts)):
            return True
        parts = key.split(".")
        if any(".".join(parts[:n]) in whole for n in range(2, len(parts))):
            return True
        return any(pattern.fullmatch(key) for pattern in templates)

    return sorted(k for k in catalogue("en") if not named(k.removesuffix("_one")) and not named(k))


def test_every_message_in_the_catalogues_is_named_by_the_code():
    assert unused_keys() == []
