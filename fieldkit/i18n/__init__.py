"""zh-CN and en message catalogues.

Catalogues are TOML files under ``catalog/<lang>/`` of each package in ``PACKAGES``, one
per area (``cli.toml``, ``checklists.toml`` ...). A key is the file's stem plus the dotted
path inside it, so ``cli.toml``'s ``[help] version`` is ``cli.help.version``. Both
languages must hold the same keys with the same ``{placeholders}``; ``tests/test_i18n.py``
fails otherwise.
"""

from __future__ import annotations

import logging
import tomllib
from collections.abc import Iterator, Mapping
from functools import cache
from importlib import resources

from fieldkit.config import LANGUAGES

log = logging.getLogger(__name__)

_current = "en"

#: Key prefixes that read another's words, so a word is defined once (``words.toml``,
#: incident types in ``incidents.toml``) however many places name it:
#: ``ui.severity.critical`` is ``words.severity.critical``.
ALIASES = {
    "ui.severity": "words.severity",
    "ui.department": "words.department",
    "checklists.words.severity": "words.severity",
    "checklists.words.department": "words.department",
    "checklists.words.incident": "incidents.type",
}


def set_language(lang: str) -> None:
    global _current
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}")
    _current = lang


def get_language() -> str:
    return _current


def _flatten(prefix: str, table: dict, out: dict[str, str]) -> None:
    for key, value in table.items():
        full = f"{prefix}.{key}"
        if isinstance(value, dict):
            _flatten(full, value, out)
        else:
            out[full] = str(value)


#: Packages whose ``catalog/<lang>/`` folders hold messages: the device's, and the office
#: server's once it is imported (``fieldkit_server`` adds its own, so a field laptop's
#: install carries none of the server's words).
PACKAGES = ["fieldkit.i18n"]


def add_catalogues(package: str) -> None:
    """Another package's catalogues join these (its files share stems with ours: keys of
    ``trust.toml`` in both read as ``trust.<section>.<key>``)."""
    if package not in PACKAGES:
        PACKAGES.append(package)
        catalogue.cache_clear()


class Catalogue(Mapping[str, str]):
    """The messages of one language, each catalogue file read when a key of it is first
    asked for: a key's file is its first part (``ui.home.due`` is in ``ui.toml``), so
    ``t("ui.home.due")`` reads ``ui.toml`` of each package and no other file. Reading every
    file at the first message cost ~25 ms on the way to the first screen (issue 17).

    Going through the whole catalogue (``keys()``, ``items()``, ``len``: the bilingual
    tests, a search over every incident type's words) reads every file once. An alias
    (``ALIASES``) answers from its source's file when its own file does not hold the key.
    """

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self._files: dict[str, dict[str, str]] = {}
        self._stems: frozenset[str] | None = None
        self._whole: dict[str, str] | None = None

    def stems(self) -> frozenset[str]:
        """The catalogue files of this language, by stem, across ``PACKAGES``."""
        if self._stems is None:
            self._stems = frozenset(
                entry.name.removesuffix(".toml")
                for package in PACKAGES
                for entry in (resources.files(package) / "catalog" / self.lang).iterdir()
                if entry.name.endswith(".toml")
            )
        return self._stems

    def file(self, stem: str) -> dict[str, str]:
        """Every message of one file stem, from each package that has the file."""
        messages = self._files.get(stem)
        if messages is None:
            messages = {}
            if stem in self.stems():
                for package in PACKAGES:
                    entry = resources.files(package) / "catalog" / self.lang / f"{stem}.toml"
                    if entry.is_file():
                        _flatten(stem, tomllib.loads(entry.read_text("utf-8")), messages)
            self._files[stem] = messages  # another thread may have read it too: same words
        return messages

    def __getitem__(self, key: str) -> str:
        text = self.file(key.partition(".")[0]).get(key)
        if text is None:
            for alias, source in ALIASES.items():
                if key.startswith(alias + "."):
                    text = self.file(source.partition(".")[0]).get(source + key[len(alias) :])
                    break
        if text is None:
            raise KeyError(key)
        return text

    def _all(self) -> dict[str, str]:
        if self._whole is None:
            whole: dict[str, str] = {}
            for stem in sorted(self.stems()):
                whole.update(self.file(stem))
            for alias, source in ALIASES.items():
                for key, text in list(whole.items()):
                    if key.startswith(source + "."):
                        whole.setdefault(alias + key[len(source) :], text)
            self._whole = whole
        return self._whole

    def __iter__(self) -> Iterator[str]:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())


@cache
def catalogue(lang: str) -> Catalogue:
    """All messages of one language, each file read on first use (no I/O at import time)."""
    return Catalogue(lang)


def t(key: str, lang: str | None = None, /, **params: object) -> str:
    """The message ``key`` in ``lang`` (default: the current language), filled with params."""
    lang = lang or _current
    text = catalogue(lang).get(key)
    if text is None:
        log.error("missing message %s in %s", key, lang)
        text = catalogue("en").get(key, key)
    if params:
        try:
            return text.format(**params)
        except (KeyError, IndexError, ValueError):
            log.error("message %s in %s does not fit its parameters", key, lang)
            return text
    return text


def known(key: str, fallback: str, lang: str | None = None) -> str:
    """The message ``key`` when the catalogue has it, else ``fallback``: a stored id no
    catalogue names yet (a new department, a role a lifecycle file adds) shown as it is."""
    return catalogue(lang or _current).get(key, fallback)


def plural(key: str, count: int, lang: str | None = None, /, **params: object) -> str:
    """``key`` for ``count`` things: its ``<key>_one`` form when count is 1 (English needs
    it; the zh catalogue holds the same words under both), else ``key``. ``count`` is
    passed to the message as ``{count}`` unless ``params`` name it otherwise."""
    lang = lang or _current
    params.setdefault("count", count)
    if count == 1 and f"{key}_one" in catalogue(lang):
        key = f"{key}_one"
    return t(key, lang, **params)


def as_label(text: str) -> str:
    """A word shown on its own as a value (a table cell, a field of a card) starts with a
    capital, as status and department names do: a severity is ``critical`` inside a
    sentence but ``Critical`` beside ``Status  Accepted``. Chinese is unchanged."""
    return text[:1].upper() + text[1:]


def both(key: str, /, **params: object) -> dict[str, str]:
    """The message in every language, for records and reports that carry both."""
    return {lang: t(key, lang, **params) for lang in LANGUAGES}


class UserError(Exception):
    """An error meant for a person: ``key`` names its message in the catalogues and
    ``params`` fill it. Services raise subclasses; the app and the CLI show
    :meth:`message` instead of a traceback."""

    def __init__(self, key: str, /, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params

    def message(self, lang: str | None = None) -> str:
        count = self.params.get("count")
        if isinstance(count, int):
            return plural(self.key, count, lang, **self.params)
        return t(self.key, lang, **self.params)
