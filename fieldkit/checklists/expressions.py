"""The condition language of ``show_if`` and ``required_if``: tokens, a parser, a tree, evaluation.

Grammar (lowest precedence first)::

    expr    := and ('or' and)*
    and     := not ('and' not)*
    not     := 'not' not | compare
    compare := operand (('==' | '!=' | '<' | '<=' | '>' | '>=' | 'in' | 'not' 'in') operand)?
    operand := number | string | 'true' | 'false' | list | name | name '(' args ')' | '(' expr ')'
    list    := '[' (literal (',' literal)*)? ']'

Names are item ids; the only function is ``answered(item_id)``. Parsing gives a tree of frozen
dataclasses; :func:`evaluate` walks it with a lookup for answers. Nothing here calls ``eval``.
Comparisons involving an unanswered item (``None``) are false, whatever the operator.
Errors are :class:`ExprError` with the 0-based offset in the expression text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from fieldkit.checklists.diagnostics import Term, term

KEYWORDS = ("and", "or", "not", "in", "true", "false")
FUNCTIONS = ("answered",)
COMPARISONS = ("==", "!=", "<", "<=", ">", ">=", "in", "not in")
MAX_LENGTH = 2000
MAX_NESTING = 32

Value = float | int | str | bool | list | None


class ExprError(Exception):
    def __init__(self, offset: int, problem: Term) -> None:
        super().__init__(problem.key)
        self.offset = offset
        self.problem = problem


@dataclass(frozen=True)
class Token:
    kind: str  # num, str, name, op, end
    text: str
    offset: int
    value: object = None


@dataclass(frozen=True)
class Literal:
    value: float | int | str | bool
    offset: int


@dataclass(frozen=True)
class ListLiteral:
    items: tuple[Literal, ...]
    offset: int


@dataclass(frozen=True)
class Ref:
    name: str
    offset: int


@dataclass(frozen=True)
class Call:
    name: str
    args: tuple[Expr, ...]
    offset: int


@dataclass(frozen=True)
class Not:
    operand: Expr
    offset: int


@dataclass(frozen=True)
class BoolOp:
    op: str  # "and" | "or"
    operands: tuple[Expr, ...]
    offset: int


@dataclass(frozen=True)
class Compare:
    op: str
    left: Expr
    right: Expr
    offset: int


Expr = Literal | ListLiteral | Ref | Call | Not | BoolOp | Compare

_TWO_CHAR = {"==", "!=", "<=", ">=", "&&", "||"}
_ONE_CHAR = set("<>()[],=!-")


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c in " \t\r\n":
            i += 1
            continue
        if c.isascii() and (c.isalpha() or c == "_"):
            j = i
            while j < n and text[j].isascii() and (text[j].isalnum() or text[j] == "_"):
                j += 1
            tokens.append(Token("name", text[i:j], i))
            i = j
            continue
        if c.isascii() and c.isdigit():
            j = i
            while j < n and text[j].isascii() and text[j].isdigit():
                j += 1
            if (
                j < n
                and text[j] == "."
                and j + 1 < n
                and text[j + 1].isascii()
                and text[j + 1].isdigit()
            ):
                j += 1
                while j < n and text[j].isascii() and text[j].isdigit():
                    j += 1
                value: object = float(text[i:j])
            else:
                value = int(text[i:j])
            if j < n and text[j].isascii() and (text[j].isalpha() or text[j] in "._"):
                raise ExprError(i, term("checklists.expr.bad_number", text=_word_at(text, i)))
            tokens.append(Token("num", text[i:j], i, value))
            i = j
            continue
        if c in "'\"":
            j = i + 1
            chars: list[str] = []
            while j < n and text[j] != c:
                if text[j] == "\\" and j + 1 < n:
                    j += 1
                chars.append(text[j])
                j += 1
            if j >= n:
                raise ExprError(i, term("checklists.expr.unclosed_string"))
            tokens.append(Token("str", text[i : j + 1], i, "".join(chars)))
            i = j + 1
            continue
        pair = text[i : i + 2]
        if pair in _TWO_CHAR:
            if pair == "&&":
                raise ExprError(i, term("checklists.expr.use_word", op="&&", word="and"))
            if pair == "||":
                raise ExprError(i, term("checklists.expr.use_word", op="||", word="or"))
            tokens.append(Token("op", pair, i))
            i += 2
            continue
        if c in _ONE_CHAR:
            if c == "=":
                raise ExprError(i, term("checklists.expr.single_equals"))
            if c == "!":
                raise ExprError(i, term("checklists.expr.use_word", op="!", word="not"))
            tokens.append(Token("op", c, i))
            i += 1
            continue
        raise ExprError(i, term("checklists.expr.bad_char", char=c))
    tokens.append(Token("end", "", n))
    return tokens


def _word_at(text: str, i: int) -> str:
    j = i
    while j < len(text) and not text[j].isspace() and text[j] not in "()[],":
        j += 1
    return text[i:j]


def parse(text: str) -> Expr:
    """The tree of ``text``; raises :class:`ExprError` with the offset of the first problem."""
    if not isinstance(text, str) or not text.strip():
        raise ExprError(0, term("checklists.expr.empty"))
    if len(text) > MAX_LENGTH:
        raise ExprError(0, term("checklists.expr.too_long", limit=MAX_LENGTH))
    return _Parser(tokenize(text)).parse()


class _Parser:
    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.i = 0
        self.depth = 0

    @property
    def tok(self) -> Token:
        return self.tokens[self.i]

    def _is(self, kind: str, text: str | None = None) -> bool:
        tok = self.tok
        return tok.kind == kind and (text is None or tok.text == text)

    def _next(self) -> Token:
        tok = self.tok
        if tok.kind != "end":
            self.i += 1
        return tok

    def _unexpected(self) -> ExprError:
        tok = self.tok
        if tok.kind == "end":
            return ExprError(tok.offset, term("checklists.expr.unexpected_end"))
        return ExprError(tok.offset, term("checklists.expr.unexpected", token=tok.text))

    def _expect(self, text: str) -> None:
        if not self._is("op", text):
            tok = self.tok
            if tok.kind == "end":
                raise ExprError(tok.offset, term("checklists.expr.missing", token=text))
            raise ExprError(
                tok.offset, term("checklists.expr.expected", token=text, found=tok.text)
            )
        self._next()

    def parse(self) -> Expr:
        expr = self._or()
        if not self._is("end"):
            tok = self.tok
            if (tok.kind == "op" and tok.text in COMPARISONS) or self._is("name", "in"):
                raise ExprError(tok.offset, term("checklists.expr.chained"))
            raise self._unexpected()
        return expr

    def _or(self) -> Expr:
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise ExprError(self.tok.offset, term("checklists.expr.too_deep", limit=MAX_NESTING))
        try:
            return self._or_inner()
        finally:
            self.depth -= 1

    def _or_inner(self) -> Expr:
        first = self._and()
        operands = [first]
        while self._is("name", "or"):
            self._next()
            operands.append(self._and())
        return first if len(operands) == 1 else BoolOp("or", tuple(operands), first_offset(first))

    def _and(self) -> Expr:
        first = self._not()
        operands = [first]
        while self._is("name", "and"):
            self._next()
            operands.append(self._not())
        return first if len(operands) == 1 else BoolOp("and", tuple(operands), first_offset(first))

    def _not(self) -> Expr:
        if self._is("name", "not"):
            tok = self._next()
            self.depth += 1
            if self.depth > MAX_NESTING:
                raise ExprError(tok.offset, term("checklists.expr.too_deep", limit=MAX_NESTING))
            try:
                return Not(self._not(), tok.offset)
            finally:
                self.depth -= 1
        return self._compare()

    def _compare(self) -> Expr:
        left = self._operand()
        tok = self.tok
        op: str | None = None
        if tok.kind == "op" and tok.text in COMPARISONS:
            op = tok.text
            self._next()
        elif self._is("name", "in"):
            op = "in"
            self._next()
        elif self._is("name", "not") and self.tokens[self.i + 1].text == "in":
            op = "not in"
            self._next()
            self._next()
        if op is None:
            return left
        right = self._operand()
        return Compare(op, left, right, tok.offset)

    def _operand(self) -> Expr:
        tok = self.tok
        if tok.kind == "num":
            self._next()
            return Literal(tok.value, tok.offset)  # type: ignore[arg-type]
        if tok.kind == "str":
            self._next()
            return Literal(tok.value, tok.offset)  # type: ignore[arg-type]
        if self._is("op", "-") and self.tokens[self.i + 1].kind == "num":
            self._next()
            num = self._next()
            return Literal(-num.value, tok.offset)  # type: ignore[operator]
        if self._is("op", "("):
            self._next()
            inner = self._or()
            self._expect(")")
            return inner
        if self._is("op", "["):
            return self._list()
        if tok.kind == "name":
            if tok.text in ("true", "false"):
                self._next()
                return Literal(tok.text == "true", tok.offset)
            if tok.text in KEYWORDS:
                raise self._unexpected()
            self._next()
            if self._is("op", "("):
                self._next()
                args: list[Expr] = []
                if not self._is("op", ")"):
                    args.append(self._or())
                    while self._is("op", ","):
                        self._next()
                        args.append(self._or())
                self._expect(")")
                return Call(tok.text, tuple(args), tok.offset)
            return Ref(tok.text, tok.offset)
        raise self._unexpected()

    def _list(self) -> ListLiteral:
        start = self._next()
        items: list[Literal] = []
        if not self._is("op", "]"):
            while True:
                item = self._operand()
                if not isinstance(item, Literal) or isinstance(item.value, bool):
                    raise ExprError(first_offset(item), term("checklists.expr.list_literal"))
                items.append(item)
                if not self._is("op", ","):
                    break
                self._next()
        self._expect("]")
        if not items:
            raise ExprError(start.offset, term("checklists.expr.empty_list"))
        return ListLiteral(tuple(items), start.offset)


def first_offset(expr: Expr) -> int:
    """Where the text of ``expr`` begins (a comparison's own offset is its operator's)."""
    if isinstance(expr, Compare):
        return first_offset(expr.left)
    if isinstance(expr, BoolOp):
        return first_offset(expr.operands[0])
    return expr.offset


def refs(expr: Expr) -> set[str]:
    """Every item id the expression reads (inside ``answered()`` too)."""
    if isinstance(expr, Ref):
        return {expr.name}
    if isinstance(expr, Call):
        return set().union(*(refs(a) for a in expr.args)) if expr.args else set()
    if isinstance(expr, Not):
        return refs(expr.operand)
    if isinstance(expr, BoolOp):
        return set().union(*(refs(o) for o in expr.operands))
    if isinstance(expr, Compare):
        return refs(expr.left) | refs(expr.right)
    return set()


def to_source(expr: Expr) -> str:
    """Canonical text of a tree: single spaces, single quotes, parentheses where needed."""
    return _source(expr, 0)


_PREC = {"or": 1, "and": 2, "not": 3, "cmp": 4}


def _source(expr: Expr, outer: int) -> str:
    if isinstance(expr, Literal):
        return _literal_source(expr.value)
    if isinstance(expr, ListLiteral):
        return "[" + ", ".join(_literal_source(i.value) for i in expr.items) + "]"
    if isinstance(expr, Ref):
        return expr.name
    if isinstance(expr, Call):
        return f"{expr.name}(" + ", ".join(_source(a, 0) for a in expr.args) + ")"
    if isinstance(expr, Not):
        text, prec = "not " + _source(expr.operand, _PREC["not"]), _PREC["not"]
    elif isinstance(expr, BoolOp):
        prec = _PREC[expr.op]
        text = f" {expr.op} ".join(_source(o, prec + 1) for o in expr.operands)
    else:
        prec = _PREC["cmp"]
        text = f"{_source(expr.left, prec + 1)} {expr.op} {_source(expr.right, prec + 1)}"
    return f"({text})" if prec < outer else text


def _literal_source(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"
    return repr(value)


def evaluate(
    expr: Expr,
    lookup: Callable[[str], Value],
    answered: Callable[[str], bool] | None = None,
) -> bool:
    """The truth of ``expr``; ``lookup(item_id)`` gives an answer or None when unanswered.

    ``answered`` defaults to "lookup gives something other than None". Never raises on
    answers of an unexpected shape: a comparison that cannot be made is false.
    """
    is_answered = answered or (lambda name: lookup(name) is not None)
    return _truth(_eval(expr, lookup, is_answered))


def _truth(value: object) -> bool:
    return value is True


def _eval(expr: Expr, lookup: Callable[[str], Value], answered: Callable[[str], bool]) -> object:
    if isinstance(expr, Literal):
        return expr.value
    if isinstance(expr, ListLiteral):
        return [i.value for i in expr.items]
    if isinstance(expr, Ref):
        return lookup(expr.name)
    if isinstance(expr, Call):
        arg = expr.args[0] if len(expr.args) == 1 else None
        return isinstance(arg, Ref) and bool(answered(arg.name))
    if isinstance(expr, Not):
        return not _truth(_eval(expr.operand, lookup, answered))
    if isinstance(expr, BoolOp):
        if expr.op == "and":
            return all(_truth(_eval(o, lookup, answered)) for o in expr.operands)
        return any(_truth(_eval(o, lookup, answered)) for o in expr.operands)
    left = _eval(expr.left, lookup, answered)
    right = _eval(expr.right, lookup, answered)
    return _compare(expr.op, left, right)


def _is_number(v: object) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _compare(op: str, left: object, right: object) -> bool:
    if left is None or right is None:
        return False
    if op in ("in", "not in"):
        if not isinstance(right, list) or isinstance(left, list):
            return False
        found = any(_equal(left, r) for r in right)
        return found if op == "in" else not found
    if op in ("==", "!="):
        same_kind = (_is_number(left) and _is_number(right)) or type(left) is type(right)
        if not same_kind:
            return False
        return _equal(left, right) if op == "==" else not _equal(left, right)
    if not (
        (_is_number(left) and _is_number(right))
        or (isinstance(left, str) and isinstance(right, str))
    ):
        return False
    if op == "<":
        return left < right  # type: ignore[operator]
    if op == "<=":
        return left <= right  # type: ignore[operator]
    if op == ">":
        return left > right  # type: ignore[operator]
    return left >= right  # type: ignore[operator]


def _equal(a: object, b: object) -> bool:
    if _is_number(a) and _is_number(b):
        return a == b
    return type(a) is type(b) and a == b
