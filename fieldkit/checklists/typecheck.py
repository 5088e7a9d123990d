"""Load-time checks of a condition against the checklist's items.

Each value in a condition has a kind — number, text, yes/no, a list of numbers or of text,
or "opaque" (photos and signatures, usable only in ``answered()``). Items give kinds by
type (check → text from pass/fail/na, number → number, choice → text from its option ids,
multi → list of its option ids, text/date → text). A comparison of a number with text, an
option id the item does not have, or a reference the checklist cannot honour is reported
here, at load, instead of quietly being false on a patrol.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from fieldkit.checklists.diagnostics import Param, closest, term
from fieldkit.checklists.expressions import (
    FUNCTIONS,
    BoolOp,
    Call,
    Compare,
    Expr,
    ListLiteral,
    Literal,
    Not,
    Ref,
    first_offset,
)
from fieldkit.checklists.vocabulary import CHECK_ANSWERS

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

Report = Callable[..., None]  # report(offset, code, suggestion=None, **params)


@dataclass(frozen=True)
class ItemInfo:
    """What the checker needs to know about an item."""

    id: str
    type: str
    options: tuple[str, ...]
    section_id: str
    repeated: bool


@dataclass(frozen=True)
class _Kind:
    kind: str  # num | str | bool | list_num | list_str | opaque
    domain: tuple[str, ...] | None = None
    domain_of: str | None = None  # "check" or "option"
    item: str | None = None
    date: bool = False


_NAMES = {
    "num": "checklists.kind.number",
    "str": "checklists.kind.text",
    "bool": "checklists.kind.yes_no",
    "list_num": "checklists.kind.list",
    "list_str": "checklists.kind.list",
    "opaque": "checklists.kind.attachment",
}


def _kind_name(k: _Kind) -> Param:
    return term(_NAMES[k.kind])


class Checker:
    def __init__(
        self,
        items: Mapping[str, ItemInfo],
        report: Report,
        owner_item: str | None,
        owner_section: str,
        section_condition: bool,
    ) -> None:
        self.items = items
        self.report = report
        self.owner_item = owner_item
        self.owner_section = owner_section
        self.section_condition = section_condition

    def check(self, expr: Expr) -> None:
        kind = self._kind(expr)
        if kind is not None and kind.kind != "bool":
            self.report(first_offset(expr), "FK310")

    def _ref(self, ref: Ref, in_answered: bool) -> _Kind | None:
        info = self.items.get(ref.name)
        if info is None:
            self.report(ref.offset, "FK301", closest(ref.name, self.items), name=ref.name)
            return None
        if ref.name == self.owner_item:
            self.report(ref.offset, "FK304", name=ref.name)
            return None
        if self.section_condition and info.section_id == self.owner_section:
            self.report(ref.offset, "FK312", name=ref.name)
            return None
        if info.repeated and info.section_id != self.owner_section:
            self.report(ref.offset, "FK311", name=ref.name, section=info.section_id)
            return None
        if info.type in ("photo", "signature"):
            if not in_answered:
                self.report(ref.offset, "FK305", name=ref.name)
                return None
            return _Kind("opaque", item=ref.name)
        if info.type == "number":
            return _Kind("num", item=ref.name)
        if info.type == "check":
            return _Kind("str", CHECK_ANSWERS, "check", ref.name)
        if info.type == "choice":
            return _Kind("str", info.options, "option", ref.name)
        if info.type == "multi":
            return _Kind("list_str", info.options, "option", ref.name)
        return _Kind("str", item=ref.name, date=info.type == "date")

    def _kind(self, expr: Expr) -> _Kind | None:
        if isinstance(expr, Literal):
            v = expr.value
            if isinstance(v, bool):
                return _Kind("bool")
            return _Kind("str") if isinstance(v, str) else _Kind("num")
        if isinstance(expr, ListLiteral):
            kinds = {"str" if isinstance(i.value, str) else "num" for i in expr.items}
            if len(kinds) > 1:
                self.report(
                    expr.offset, "FK302", left=term(_NAMES["num"]), right=term(_NAMES["str"])
                )
                return None
            return _Kind("list_str" if kinds == {"str"} else "list_num")
        if isinstance(expr, Ref):
            return self._ref(expr, in_answered=False)
        if isinstance(expr, Call):
            if expr.name not in FUNCTIONS:
                self.report(expr.offset, "FK306", closest(expr.name, FUNCTIONS), name=expr.name)
                return None
            if len(expr.args) != 1 or not isinstance(expr.args[0], Ref):
                self.report(expr.offset, "FK307")
                return None
            self._ref(expr.args[0], in_answered=True)
            return _Kind("bool")
        if isinstance(expr, Not):
            self._need_bool(expr.operand)
            return _Kind("bool")
        if isinstance(expr, BoolOp):
            for operand in expr.operands:
                self._need_bool(operand)
            return _Kind("bool")
        assert isinstance(expr, Compare)
        left, right = self._kind(expr.left), self._kind(expr.right)
        if left is None or right is None:
            return _Kind("bool")
        self._compare(expr, left, right)
        return _Kind("bool")

    def _need_bool(self, expr: Expr) -> None:
        kind = self._kind(expr)
        if kind is not None and kind.kind != "bool":
            self.report(first_offset(expr), "FK310")

    def _compare(self, expr: Compare, left: _Kind, right: _Kind) -> None:
        op = expr.op
        at = first_offset(expr)
        if "opaque" in (left.kind, right.kind):
            self.report(at, "FK305", name=left.item or right.item or "?")
            return
        if op in ("in", "not in"):
            if left.kind == "list_str" and left.item:
                self.report(first_offset(expr.left), "FK315", name=left.item)
                return
            if right.kind not in ("list_num", "list_str"):
                self.report(expr.offset, "FK309", op=op)
                return
            element = "num" if right.kind == "list_num" else "str"
            if left.kind != element:
                self.report(at, "FK302", left=_kind_name(left), right=_kind_name(right))
                return
            if left.domain and isinstance(expr.right, ListLiteral):
                for lit in expr.right.items:
                    self._in_domain(lit, left)
            elif right.domain and isinstance(expr.left, Literal):
                self._in_domain(expr.left, right)
            return
        for side, kind in ((expr.left, left), (expr.right, right)):
            if kind.kind == "list_str" and kind.item:
                self.report(first_offset(side), "FK315", name=kind.item)
                return
        if left.kind != right.kind:
            self.report(at, "FK302", left=_kind_name(left), right=_kind_name(right))
            return
        if left.kind in ("list_num", "list_str"):
            self.report(at, "FK309", op=op)
            return
        if op not in ("==", "!="):
            ordered = left.kind == "num" or (left.kind == "str" and (left.date or right.date))
            if not ordered:
                self.report(expr.offset, "FK314", op=op)
                return
        for lit, other in ((expr.left, right), (expr.right, left)):
            if isinstance(lit, Literal) and isinstance(lit.value, str):
                if other.domain is not None:
                    self._in_domain(lit, other)
                elif other.date and not _DATE.match(lit.value):
                    self.report(lit.offset, "FK316", value=lit.value)

    def _in_domain(self, lit: Literal, kind: _Kind) -> None:
        value = lit.value
        if not isinstance(value, str) or kind.domain is None or value in kind.domain:
            return
        suggestion = closest(value, kind.domain)
        if kind.domain_of == "check":
            self.report(lit.offset, "FK308", suggestion, value=value)
        else:
            self.report(
                lit.offset,
                "FK303",
                suggestion,
                value=value,
                name=kind.item or "?",
                options=", ".join(kind.domain),
            )
