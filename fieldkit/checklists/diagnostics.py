"""Diagnostics: what the loader says about a file, in either language.

A :class:`Diagnostic` holds a position, a stable code (``FK1xx`` file and YAML structure,
``FK2xx`` keys and values, ``FK3xx`` expressions, ``FK9xx`` warnings) and the parameters of
its message. The message itself is rendered late through :func:`fieldkit.i18n.t`, so one
load can be shown in zh and en. ``CODES`` is the registry; every code has the i18n key
``checklists.diag.<code in lower case>`` in both catalogues.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal, Union

from fieldkit.i18n import t

Severity = Literal["error", "warning"]

#: code → default severity. Warnings become errors under ``--strict``.
CODES: dict[str, Severity] = {
    # the file and its YAML
    "FK100": "error",  # cannot read / not UTF-8 text
    "FK101": "error",  # too large
    "FK102": "error",  # YAML syntax error
    "FK103": "error",  # anchors and aliases refused
    "FK104": "error",  # more than one document
    "FK105": "error",  # empty file
    "FK106": "error",  # top level is not a mapping
    "FK107": "error",  # duplicate key
    "FK108": "error",  # explicit YAML tag
    "FK109": "error",  # nested too deep
    "FK110": "error",  # tab used for indentation
    "FK111": "error",  # key is not text
    # keys and values
    "FK200": "error",  # unknown key
    "FK201": "error",  # missing key
    "FK202": "error",  # wrong kind of value
    "FK203": "error",  # bad checklist id
    "FK204": "error",  # bad version
    "FK205": "error",  # bad applies_to
    "FK206": "error",  # bad every
    "FK207": "error",  # bad section / item / option id
    "FK208": "error",  # duplicate section id
    "FK209": "error",  # duplicate item id
    "FK210": "error",  # unknown item type
    "FK211": "error",  # key not for this item type
    "FK212": "error",  # too few options
    "FK213": "error",  # duplicate option id
    "FK214": "error",  # range / expect shape
    "FK215": "error",  # min greater than max
    "FK216": "error",  # expect outside range
    "FK217": "error",  # bad decimals
    "FK218": "error",  # unknown severity
    "FK219": "error",  # unknown department
    "FK220": "error",  # bad duration
    "FK221": "error",  # empty list
    "FK222": "error",  # repeat for_each
    "FK223": "error",  # repeat where value
    "FK224": "error",  # bad tag
    "FK225": "error",  # duplicate checklist id across files
    "FK226": "error",  # unknown asset kind in where
    "FK227": "error",  # on_fail on an item type that cannot fail
    "FK228": "error",  # fail_label on an item type that cannot fail
    "FK229": "error",  # every: not exactly one of hours, days, per
    "FK230": "error",  # every: a count out of its range
    "FK231": "error",  # every: a window that is not HH:MM-HH:MM
    "FK232": "error",  # every: a window that does not go with the rhythm
    "FK233": "error",  # a word that is not one of its choices (every's per / from)
    "FK234": "error",  # exclusive on an option that is not a multi item's
    "FK235": "error",  # acted on an option that also fails
    # expressions
    "FK300": "error",  # syntax
    "FK301": "error",  # unknown item id
    "FK302": "error",  # number compared with text (or other type clash)
    "FK303": "error",  # unknown option id
    "FK304": "error",  # refers to itself
    "FK305": "error",  # photo/signature only in answered()
    "FK306": "error",  # unknown function
    "FK307": "error",  # answered() argument
    "FK308": "error",  # unknown check answer
    "FK309": "error",  # `in` needs a list
    "FK310": "error",  # condition is not a yes/no test
    "FK311": "error",  # refers to another pass of a repeated section
    "FK312": "error",  # section condition refers to its own items
    "FK313": "error",  # conditions depend on each other in a circle
    "FK314": "error",  # order comparison on something without order
    "FK315": "error",  # multi compared with == / !=
    "FK316": "error",  # not a valid date literal
    # warnings
    "FK900": "warning",  # missing zh or en text
    "FK901": "warning",  # can fail but has no on_fail
    "FK902": "warning",  # on_fail that can never apply
    "FK903": "warning",  # required_if on an item that is always required
    "FK904": "warning",  # can fail but has no fail_label (its finding would be worded from label)
    "FK905": "warning",  # fail_label that can never be used (nothing here can fail)
    "FK906": "warning",  # a shipped checklist that names no source (the rule it serves)
}

Param = Union[str, int, float, "Term"]


@dataclass(frozen=True)
class Term:
    """A message parameter that is itself translated, e.g. the name of a kind of value."""

    key: str
    params: tuple[tuple[str, Param], ...] = ()

    def render(self, lang: str | None = None) -> str:
        return t(self.key, lang, **{k: render_param(v, lang) for k, v in self.params})


def term(key: str, **params: Param) -> Term:
    return Term(key, tuple(params.items()))


def render_param(value: Param, lang: str | None = None) -> str:
    if isinstance(value, Term):
        return value.render(lang)
    return str(value)


@dataclass(frozen=True)
class Diagnostic:
    """One finding at ``path:line:column`` (both 1-based; column counts characters)."""

    path: str
    line: int
    column: int
    code: str
    severity: Severity
    params: tuple[tuple[str, Param], ...] = ()
    suggestion: str | None = None
    order: int = field(default=0, compare=False)

    @property
    def key(self) -> str:
        return f"checklists.diag.{self.code.lower()}"

    def is_error(self, strict: bool = False) -> bool:
        return self.severity == "error" or strict

    def message(self, lang: str | None = None) -> str:
        text = t(self.key, lang, **{k: render_param(v, lang) for k, v in self.params})
        if self.suggestion is not None:
            text += t("checklists.hint.did_you_mean", lang, name=self.suggestion)
        return text

    def render(self, lang: str | None = None, strict: bool = False) -> str:
        """``path:line:column: FKnnn: message``, warnings marked unless ``strict``."""
        mark = "" if self.is_error(strict) else t("checklists.cli.warning_mark", lang)
        return f"{self.path}:{self.line}:{self.column}: {self.code}: {mark}{self.message(lang)}"

    def to_dict(self, lang: str | None = None, strict: bool = False) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "code": self.code,
            "severity": "error" if self.is_error(strict) else "warning",
            "message": self.message(lang),
        }


def closest(word: object, choices: Iterable[str]) -> str | None:
    """The likeliest meant word for a misspelling, or None when nothing is close."""
    if not isinstance(word, str) or not word:
        return None
    choices = list(choices)
    lowered = {c.lower(): c for c in choices}
    if word.lower() in lowered and lowered[word.lower()] != word:
        return lowered[word.lower()]
    found = difflib.get_close_matches(word.lower(), choices, n=1, cutoff=0.6)
    return found[0] if found else None


class Collector:
    """Gathers the diagnostics of one file, in the order they were found."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.items: list[Diagnostic] = []

    def add(
        self,
        line: int,
        column: int,
        code: str,
        suggestion: str | None = None,
        **params: Param,
    ) -> None:
        self.items.append(
            Diagnostic(
                path=self.path,
                line=line,
                column=column,
                code=code,
                severity=CODES[code],
                params=tuple(params.items()),
                suggestion=suggestion,
                order=len(self.items),
            )
        )

    @property
    def has_errors(self) -> bool:
        return any(d.severity == "error" for d in self.items)

    def sorted(self) -> tuple[Diagnostic, ...]:
        return tuple(sorted(self.items, key=lambda d: (d.line, d.column, d.order)))
