"""YAML read into nodes that know their line and column, refusing what a checklist never needs.

PyYAML's event parser (the pure-Python one, so positions and messages are the same on every
machine) feeds a small composer here. Building the node tree ourselves, without recursion,
lets us refuse anchors and aliases (billion-laughs bombs) at the first one, stop at a depth
limit, report duplicate keys, and keep the position of every key and value. Scalars resolve
like YAML 1.1's safe loader, but a plain (unquoted) scalar also keeps its source text, so
``en: yes`` can still be read as the word "yes" where text is expected.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.resolver import Resolver

from fieldkit.checklists.diagnostics import Collector, Term, term

MAX_BYTES = 1024 * 1024
MAX_DEPTH = 64

_CORE_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}


@dataclass
class Node:
    line: int
    column: int


@dataclass
class Scalar(Node):
    value: object
    text: str
    style: str | None = None  # None when plain (unquoted)
    end_line: int = 0
    end_column: int = 0

    @property
    def plain(self) -> bool:
        return self.style is None


@dataclass
class Mapping(Node):
    pairs: list[tuple[Scalar, Node]] = field(default_factory=list)

    def get(self, key: str) -> Node | None:
        for k, v in self.pairs:
            if k.value == key:
                return v
        return None

    def key_node(self, key: str) -> Scalar | None:
        for k, _ in self.pairs:
            if k.value == key:
                return k
        return None


@dataclass
class Sequence(Node):
    items: list[Node] = field(default_factory=list)


def to_plain(node: Node) -> object:
    """The node as plain Python data (dicts, lists, scalars), for tests and tools."""
    if isinstance(node, Mapping):
        return {k.value: to_plain(v) for k, v in node.pairs}
    if isinstance(node, Sequence):
        return [to_plain(n) for n in node.items]
    assert isinstance(node, Scalar)
    return node.value


def decode(data: bytes, out: Collector) -> str | None:
    """UTF-8 text (a BOM is allowed), or None with FK100/FK101 reported."""
    if len(data) > MAX_BYTES:
        out.add(1, 1, "FK101", size=len(data), limit=MAX_BYTES)
        return None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start].decode("utf-8", errors="replace")
        line = before.count("\n") + 1
        column = len(before) - (before.rfind("\n") + 1) + 1
        out.add(line, column, "FK100", reason=term("checklists.reason.not_utf8"))
        return None


def compose(text: str, out: Collector) -> Node | None:
    """The single document in ``text`` as nodes, or None when it cannot be used.

    Problems go to ``out``; this never raises for any input text.
    """
    if len(text) > MAX_BYTES or len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        out.add(1, 1, "FK101", size=len(text.encode("utf-8", "surrogatepass")), limit=MAX_BYTES)
        return None
    try:
        return _Composer(text, out).run()
    except yaml.MarkedYAMLError as exc:
        _report_yaml_error(exc, out)
    except yaml.reader.ReaderError as exc:
        line, column = _position(text, exc.position)
        code = f"#x{exc.character:04x}" if isinstance(exc.character, int) else "?"
        out.add(line, column, "FK100", reason=term("checklists.reason.bad_char", char=code))
    except yaml.YAMLError as exc:  # any other parser complaint still becomes a message
        out.add(1, 1, "FK102", problem=str(exc).splitlines()[0] if str(exc) else "?")
    return None


def _position(text: str, index: int) -> tuple[int, int]:
    before = text[:index]
    return before.count("\n") + 1, index - (before.rfind("\n") + 1) + 1


_KNOWN_PROBLEMS = {
    "mapping values are not allowed here": "mapping_values",
    "could not find expected ':'": "expected_colon",
    "did not find expected key": "expected_key",
    "did not find expected '-' indicator": "expected_dash",
    "did not find expected node content": "expected_value",
    "found unexpected end of stream": "unexpected_end",
    "found unknown escape character": "bad_escape",
}


def _report_yaml_error(exc: yaml.MarkedYAMLError, out: Collector) -> None:
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = exc.problem or ""
    if problem.startswith("found character '\\t'"):
        out.add(line, column, "FK110")
        return
    known: Term | str
    key = next((v for k, v in _KNOWN_PROBLEMS.items() if problem.startswith(k)), None)
    if key == "unexpected_end" and "quoted scalar" in (exc.context or ""):
        key = "unclosed_quote"
    if key is not None:
        known = term(f"checklists.yaml.{key}")
    elif problem.startswith("found character") and "cannot start any token" in problem:
        known = term("checklists.yaml.reserved_char", char=problem.split("'")[1])
    elif problem.startswith("expected ',' or ']'"):
        known = term("checklists.yaml.flow_seq")
    elif problem.startswith("expected ',' or '}'"):
        known = term("checklists.yaml.flow_map")
    elif problem.startswith("expected <block end>"):
        known = term("checklists.yaml.indentation")
    else:
        known = problem or "?"
    out.add(line, column, "FK102", problem=known)


def events(text: str) -> Iterator[yaml.Event]:
    """The YAML events of ``text``: from libyaml when it reads the text, else pure Python.

    libyaml is about twenty times faster and gives the same events and positions for a
    well-formed document (a test holds it to that). Whenever it complains, the pure-Python
    parser reads the text again, so an error's message and position never depend on
    whether libyaml is installed.
    """
    fast = getattr(yaml, "CSafeLoader", None)
    if fast is not None:
        try:
            return iter(list(yaml.parse(text, Loader=fast)))
        except Exception:  # any complaint: the reference parser will say why
            pass
    return yaml.parse(text, Loader=yaml.SafeLoader)


class _Refused(Exception):
    """Stop composing: the problem is already reported."""


class _Composer:
    def __init__(self, text: str, out: Collector) -> None:
        self.text = text
        self.out = out
        self.resolver = Resolver()
        self.constructor = SafeConstructor()

    def run(self) -> Node | None:
        documents = 0
        root: Node | None = None
        # stack of (container node, pending key or None)
        stack: list[list] = []
        try:
            for event in events(self.text):
                if isinstance(event, yaml.DocumentStartEvent):
                    documents += 1
                    if documents > 1:
                        m = event.start_mark
                        self.out.add(m.line + 1, m.column + 1, "FK104")
                        return None
                    continue
                if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                    m = event.start_mark
                    self.out.add(m.line + 1, m.column + 1, "FK103")
                    return None
                if isinstance(event, yaml.ScalarEvent):
                    node: Node | None = self._scalar(event)
                elif isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
                    self._check_tag(
                        event, "map" if isinstance(event, yaml.MappingStartEvent) else "seq"
                    )
                    m = event.start_mark
                    cls = Mapping if isinstance(event, yaml.MappingStartEvent) else Sequence
                    if len(stack) >= MAX_DEPTH:
                        self.out.add(m.line + 1, m.column + 1, "FK109", limit=MAX_DEPTH)
                        return None
                    stack.append([cls(m.line + 1, m.column + 1), None])
                    continue
                elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
                    node = stack.pop()[0]
                else:
                    continue
                if not stack:
                    root = node
                else:
                    self._attach(stack[-1], node)
        except _Refused:
            return None
        if root is None and documents <= 1:
            if not self.out.items:
                self.out.add(1, 1, "FK105")
            return None
        if isinstance(root, Scalar) and root.value is None and root.plain and not root.text:
            self.out.add(1, 1, "FK105")
            return None
        return root

    def _attach(self, frame: list, node: Node) -> None:
        parent = frame[0]
        if isinstance(parent, Sequence):
            parent.items.append(node)
            return
        if frame[1] is None:
            frame[1] = node if isinstance(node, Scalar) else False
            if not isinstance(node, Scalar):
                self.out.add(node.line, node.column, "FK111")
            return
        key = frame[1]
        frame[1] = None
        if key is False:
            return
        if not isinstance(key.value, str):
            if key.plain and key.text:
                key.value = key.text
            else:
                self.out.add(key.line, key.column, "FK111")
                return
        for existing, _ in parent.pairs:
            if existing.value == key.value:
                self.out.add(key.line, key.column, "FK107", key=key.value, first=existing.line)
                return
        parent.pairs.append((key, node))

    def _check_tag(self, event, kind: str) -> None:
        tag = event.tag
        if tag is None or tag == "!" or getattr(event, "implicit", True) is True:
            return
        if tag != f"tag:yaml.org,2002:{kind}" and tag not in _CORE_TAGS:
            m = event.start_mark
            self.out.add(m.line + 1, m.column + 1, "FK108", tag=_short_tag(tag))
            raise _Refused

    def _scalar(self, event: yaml.ScalarEvent) -> Scalar:
        m, e = event.start_mark, event.end_mark
        style = event.style or None
        if event.tag is not None and event.tag != "!" and not event.implicit[0]:
            tag = event.tag
            if tag not in _CORE_TAGS:
                self.out.add(m.line + 1, m.column + 1, "FK108", tag=_short_tag(tag))
                raise _Refused
        elif style is None:
            tag = self.resolver.resolve(yaml.ScalarNode, event.value, event.implicit)
        else:
            tag = "tag:yaml.org,2002:str"
        value: object = event.value
        node = yaml.ScalarNode(tag, event.value)
        try:
            if tag.endswith(":null"):
                value = None
            elif tag.endswith(":bool"):
                value = self.constructor.construct_yaml_bool(node)
            elif tag.endswith(":int"):
                value = self.constructor.construct_yaml_int(node)
            elif tag.endswith(":float"):
                value = self.constructor.construct_yaml_float(node)
        except (ConstructorError, ValueError, TypeError, OverflowError):
            value = event.value
        return Scalar(
            m.line + 1,
            m.column + 1,
            value=value,
            text=event.value,
            style=style,
            end_line=e.line + 1,
            end_column=e.column + 1,
        )


def _short_tag(tag: str) -> str:
    return (
        "!!" + tag.removeprefix("tag:yaml.org,2002:")
        if tag.startswith("tag:yaml.org,2002:")
        else tag
    )
