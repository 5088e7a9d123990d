"""What the checklist reader and the lifecycle reader share: reading positioned YAML nodes
and reporting a wrong kind of value (FK202), an unknown key with its did-you-mean (FK200)
and a missing key (FK201), each at its line and column. Each reader names its own places
(``WHERE``: a place in the file → the catalogue term a message calls it)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from fieldkit.checklists.diagnostics import Collector, Term, closest, term
from fieldkit.checklists.source import Mapping, Node, Scalar, Sequence


def kind_of(node: Node) -> Term:
    """What a YAML node is, as a checklist author would say it (for FK202 messages)."""
    if isinstance(node, Mapping):
        return term("checklists.kind.mapping")
    if isinstance(node, Sequence):
        return term("checklists.kind.list")
    assert isinstance(node, Scalar)
    v = node.value
    if v is None:
        return term("checklists.kind.nothing")
    if isinstance(v, bool):
        return term("checklists.kind.yes_no")
    if isinstance(v, int | float):
        return term("checklists.kind.number")
    return term("checklists.kind.text")


class NodeReader:
    WHERE: ClassVar[dict[str, str]] = {}

    def __init__(self, out: Collector) -> None:
        self.out = out

    def _wrong(self, node: Node, key: str, expected: str) -> None:
        self.out.add(
            node.line,
            node.column,
            "FK202",
            key=key,
            expected=term(f"checklists.kind.{expected}"),
            found=kind_of(node),
        )

    def _keys(
        self, node: Mapping, allowed: Iterable[str], required: Iterable[str], where: str
    ) -> None:
        allowed = tuple(allowed)
        place = term(self.WHERE[where])
        meant = set()
        for key, _ in node.pairs:
            if key.value not in allowed:
                guess = closest(key.value, allowed)
                meant.add(guess)
                self.out.add(key.line, key.column, "FK200", guess, key=key.value, where=place)
        for key in required:
            # a misspelt key already explains why this one is missing
            if node.get(key) is None and key not in meant:
                self.out.add(node.line, node.column, "FK201", key=key, where=place)

    def _word(self, node: Node | None, key: str) -> str | None:
        """Text where text is expected (None where the key is absent); an unquoted ``yes``
        or ``3`` counts as its words."""
        if node is None:
            return None
        if isinstance(node, Scalar):
            if isinstance(node.value, str) and node.value.strip():
                return node.value
            if node.plain and node.value is not None and node.text:
                return node.text
        self._wrong(node, key, "text")
        return None
