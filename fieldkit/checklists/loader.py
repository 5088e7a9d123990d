"""Load a checklist: YAML nodes in, a :class:`Checklist` and every diagnostic out.

Validation runs in two passes over the node tree. The first checks keys and values and
collects every item (so a condition may refer to an item of a later section); the second
parses and type-checks the conditions and looks for conditions that depend on each other
in a circle. Nothing stops at the first problem: a file gets all its diagnostics at once.
A checklist object is built only when there is no error (warnings allowed).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import ClassVar

from fieldkit.checklists import schedule, source
from fieldkit.checklists.definition import (
    Checklist,
    Condition,
    Item,
    OnFail,
    Option,
    Repeat,
    Section,
    Text,
)
from fieldkit.checklists.diagnostics import Collector, Diagnostic, closest, term
from fieldkit.checklists.durations import parse_duration
from fieldkit.checklists.expressions import ExprError, parse, refs
from fieldkit.checklists.hashing import content_hash
from fieldkit.checklists.locate import checklist_files, shipped_dir
from fieldkit.checklists.reading import NodeReader, kind_of
from fieldkit.checklists.source import Mapping, Node, Scalar, Sequence
from fieldkit.checklists.typecheck import Checker, ItemInfo
from fieldkit.checklists.vocabulary import (
    ALL_ITEM_KEYS,
    ASSET_KINDS,
    CALLED,
    CHECKLIST_ID,
    FAILABLE_TYPES,
    ITEM_COMMON_KEYS,
    ITEM_REQUIRED,
    ITEM_TYPE_KEYS,
    ITEM_TYPES,
    LANGS,
    LOCAL_ID,
    MAX_DECIMALS,
    NOTICE_WHEN,
    ON_FAIL_KEYS,
    OPTION_KEYS,
    OPTION_REQUIRED,
    REPEAT_FOR_EACH,
    REPEAT_KEYS,
    REQUIRED_BY_DEFAULT,
    ROUTE_KINDS,
    SECTION_KEYS,
    SECTION_REQUIRED,
    SIGNERS,
    TAG_MAX_LENGTH,
    TARGETS,
    TOP_KEYS,
    TOP_REQUIRED,
)
from fieldkit.model import DEPARTMENTS, INCIDENT_TYPES, SEVERITIES

APPLIES_TO = (
    TARGETS
    + tuple(f"asset:{k}" for k in ASSET_KINDS)
    + tuple(f"route:{k}" for k in ROUTE_KINDS)
    + tuple(f"incident:{k}" for k in INCIDENT_TYPES)
)


@dataclass(frozen=True)
class LoadResult:
    """The outcome of loading one file: the checklist (None on any error) and diagnostics."""

    path: str
    checklist: Checklist | None
    diagnostics: tuple[Diagnostic, ...]
    id_at: tuple[int, int] = field(default=(1, 1), compare=False)  # where `id:` is written

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.severity == "error")

    @property
    def warnings(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.severity == "warning")

    def ok(self, strict: bool = False) -> bool:
        """No errors; with ``strict``, no warnings either."""
        return not (self.diagnostics if strict else self.errors)


def load_text(text: str | bytes, path: str = "<text>", shipped: bool = False) -> LoadResult:
    """Load a checklist from text (or raw bytes, decoded as UTF-8). Never raises.
    ``shipped``: one of the checklists fieldkit ships, which must name its source."""
    out = Collector(path)
    if isinstance(text, bytes | bytearray):
        decoded = source.decode(bytes(text), out)
        if decoded is None:
            return LoadResult(path, None, out.sorted())
        text = decoded
    root = source.compose(text, out)
    checklist = None
    id_at = (1, 1)
    if root is not None:
        if isinstance(root, Mapping) and (id_node := root.get("id")) is not None:
            id_at = (id_node.line, id_node.column)
        checklist = _Loader(text, out, shipped).load(root)
    if out.has_errors:
        checklist = None
    elif checklist is not None:
        checklist = replace(checklist, path=path)
    return LoadResult(path, checklist, out.sorted(), id_at)


def load_file(path: str | Path) -> LoadResult:
    """Load one checklist file. A file that cannot be read is a diagnostic (FK100/FK101)."""
    name = str(path)
    out = Collector(name)
    try:
        with open(path, "rb") as fh:
            data = fh.read(source.MAX_BYTES + 1)
    except OSError as exc:
        out.add(1, 1, "FK100", reason=exc.strerror or type(exc).__name__)
        return LoadResult(name, None, out.sorted())
    return load_text(data, name, shipped=is_shipped(path))


def is_shipped(path: str | Path) -> bool:
    """Whether ``path`` is in the folder of checklists fieldkit ships."""
    try:
        folder = shipped_dir().resolve()
    except FileNotFoundError:
        return False
    return Path(path).resolve().is_relative_to(folder)


def load_folder(folder: str | Path) -> list[LoadResult]:
    """Load every checklist file under ``folder`` and check ids are unique across them."""
    return load_many(checklist_files(folder))


def load_many(paths: Iterable[str | Path]) -> list[LoadResult]:
    """Load several files; a checklist id used by two files is an error (FK225) on the later."""
    results = [load_file(p) for p in paths]
    seen: dict[str, str] = {}
    out: list[LoadResult] = []
    for result in results:
        c = result.checklist
        if c is None:
            out.append(result)
            continue
        if c.id in seen:
            extra = Collector(result.path)
            extra.add(*result.id_at, "FK225", id=c.id, other=seen[c.id])
            diags = tuple(
                sorted(result.diagnostics + extra.sorted(), key=lambda d: (d.line, d.column))
            )
            out.append(LoadResult(result.path, None, diags))
            continue
        seen[c.id] = result.path
        out.append(result)
    return out


@dataclass
class _PendingCondition:
    node: Scalar
    owner_item: str | None
    section_id: str
    field: str  # show_if | required_if
    is_section: bool = False


class _Loader(NodeReader):
    WHERE: ClassVar[dict[str, str]] = {
        "top": "checklists.where.checklist",
        "section": "checklists.where.section",
        "item": "checklists.where.item",
        "option": "checklists.where.option",
        "on_fail": "checklists.where.on_fail",
        "repeat": "checklists.where.repeat",
        "text": "checklists.where.text",
        "every": "checklists.where.every",
    }

    def __init__(self, text: str, out: Collector, shipped: bool = False) -> None:
        super().__init__(out)
        self.shipped = shipped
        self.lines = text.splitlines()
        self.item_lines: dict[str, int] = {}
        self.infos: dict[str, ItemInfo] = {}
        self.pending: list[_PendingCondition] = []
        self.conditions: dict[tuple[str, str, str | None], Condition] = {}
        self.option_nodes: dict[int, Mapping] = {}
        self.options_with_on_fail: set[str] = set()
        self.options_complete = True
        self.wording: list[tuple[Mapping, Item]] = []

    # -- small readers -------------------------------------------------------------------

    def _map(self, node: Node, key: str) -> Mapping | None:
        if isinstance(node, Mapping):
            return node
        self._wrong(node, key, "mapping")
        return None

    def _bool(self, node: Node, key: str) -> bool | None:
        if isinstance(node, Scalar) and isinstance(node.value, bool):
            return node.value
        self._wrong(node, key, "yes_no")
        return None

    def _text(self, node: Node | None, key: str) -> Text | None:
        """A ``{zh: ..., en: ...}`` text; a missing language is a warning (FK900)."""
        if node is None:
            return None
        if not isinstance(node, Mapping):
            self._wrong(node, key, "bilingual")
            return None
        m = node
        self._keys(m, LANGS, (), "text")
        values: dict[str, str | None] = {}
        for lang in LANGS:
            value_node = m.get(lang)
            text = None
            if value_node is not None:
                text = self._word(value_node, f"{key}.{lang}")
                text = text.strip() if text else None
            if text is None and value_node is None:
                self.out.add(m.line, m.column, "FK900", key=key, lang=lang)
            values[lang] = text
        return Text(zh=values["zh"], en=values["en"])

    def _number(self, node: Node) -> float | int | bool | None:
        """A finite number, None for ``null``, or False when it is neither (reported)."""
        if isinstance(node, Scalar):
            v = node.value
            if v is None:
                return None
            if isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v):
                return v
        return False

    # -- the checklist -------------------------------------------------------------------

    def load(self, root: Node) -> Checklist | None:
        if not isinstance(root, Mapping):
            self.out.add(root.line, root.column, "FK106", found=kind_of(root))
            return None
        self._keys(root, TOP_KEYS, TOP_REQUIRED, "top")
        cid = self._checklist_id(root.get("id"))
        version = self._version(root.get("version"))
        title = self._text(root.get("title"), "title")
        description = self._text(root.get("description"), "description")
        source = self._text(root.get("source"), "source")
        if source is None and self.shipped:
            at = root.get("id") or root
            self.out.add(at.line, at.column, "FK906", key="source")
        applies_to = self._applies_to(root.get("applies_to"))
        every = self._every(root.get("every"))
        on_missed_node = root.get("on_missed")
        on_missed = self._on_fail(on_missed_node) if on_missed_node is not None else None
        tags = self._tags(root.get("tags"))
        sections = self._sections(root.get("sections"))
        self._check_conditions()
        self._check_cycles(sections)
        if self.out.has_errors:
            return None
        self._check_wording()
        sections = [self._attach_conditions(s) for s in sections]
        checklist = Checklist(
            id=cid or "",
            version=version or 0,
            title=title or Text(),
            applies_to=applies_to or "",
            schedule=every or schedule.Schedule("on_demand", ""),
            sections=tuple(sections),
            on_missed=on_missed,
            source=source,
            description=description,
            tags=tags,
        )
        return replace(checklist, content_hash=content_hash(checklist.to_dict()))

    def _checklist_id(self, node: Node | None) -> str | None:
        if node is None:
            return None
        value = self._word(node, "id")
        if value is not None and not CHECKLIST_ID.match(value):
            self.out.add(node.line, node.column, "FK203", value=value)
            return None
        return value

    def _version(self, node: Node | None) -> int | None:
        if node is None:
            return None
        v = node.value if isinstance(node, Scalar) else None
        if isinstance(v, int) and not isinstance(v, bool) and v >= 1:
            return v
        shown = node.text if isinstance(node, Scalar) else "…"
        self.out.add(node.line, node.column, "FK204", value=shown)
        return None

    def _applies_to(self, node: Node | None) -> str | None:
        if node is None:
            return None
        value = self._word(node, "applies_to")
        if value is None:
            return None
        if value in APPLIES_TO:
            return value
        kind, _, sub = value.partition(":")
        if kind == "asset" and sub:
            pool: Iterable[str] = ASSET_KINDS
        elif kind == "route" and sub:
            pool = ROUTE_KINDS
        elif kind == "incident" and sub:
            pool = INCIDENT_TYPES
        else:
            pool, sub = APPLIES_TO, value
        guess = closest(sub, pool)
        if guess is not None and pool is not APPLIES_TO:
            guess = f"{kind}:{guess}"
        self.out.add(node.line, node.column, "FK205", guess, value=value)
        return None

    def _every(self, node: Node | None) -> schedule.Schedule | None:
        """A rhythm word, a duration or a mapping (``schedule.parse`` says what is wrong;
        each problem is put at the key or value it is about)."""
        if node is None:
            return None
        if isinstance(node, Mapping):
            plain: dict[str, object] = {}
            for key, value in node.pairs:
                if not isinstance(value, Scalar):
                    plain[key.value] = value  # neither a number nor a word: reported
                elif value.plain and value.value is not None and key.value != "times":
                    # "22:00" unquoted is a number to YAML 1.1; days/hours stay numbers
                    keep = key.value in ("hours", "days") and isinstance(value.value, int)
                    plain[key.value] = value.value if keep else value.text
                else:
                    plain[key.value] = value.value
            result = schedule.parse(plain)
        else:
            word = self._word(node, "every")
            if word is None:
                return None
            result = schedule.parse(word)
        if isinstance(result, schedule.Schedule):
            return result
        for problem in result:
            at: Node = node
            if isinstance(node, Mapping) and problem.key is not None:
                found = node.key_node(problem.key) if problem.code == "FK200" else None
                at = found or node.get(problem.key) or node
            params = dict(problem.params)
            if problem.code in ("FK200", "FK201"):
                params["where"] = term(self.WHERE["every"])
            self.out.add(at.line, at.column, problem.code, problem.suggestion, **params)
        return None

    def _tags(self, node: Node | None) -> tuple[str, ...]:
        if node is None:
            return ()
        if not isinstance(node, Sequence):
            self._wrong(node, "tags", "list")
            return ()
        tags: list[str] = []
        for tag_node in node.items:
            value = tag_node.value if isinstance(tag_node, Scalar) else None
            if isinstance(tag_node, Scalar) and tag_node.plain and value is not None:
                value = tag_node.text
            if not isinstance(value, str) or not value.strip() or len(value) > TAG_MAX_LENGTH:
                self.out.add(tag_node.line, tag_node.column, "FK224", limit=TAG_MAX_LENGTH)
                continue
            tags.append(value.strip())
        return tuple(tags)

    # -- sections and items -------------------------------------------------------------

    def _sections(self, node: Node | None) -> list[Section]:
        if node is None:
            return []
        if not isinstance(node, Sequence):
            self._wrong(node, "sections", "list")
            return []
        if not node.items:
            self.out.add(node.line, node.column, "FK221", key="sections")
            return []
        seen: dict[str, int] = {}
        sections = []
        for section_node in node.items:
            section = self._section(section_node, seen)
            if section is not None:
                sections.append(section)
        return sections

    def _local_id(self, node: Node | None, key: str = "id") -> str | None:
        if node is None:
            return None
        value = self._word(node, key)
        if value is not None and not LOCAL_ID.match(value):
            self.out.add(node.line, node.column, "FK207", value=value)
            return None
        return value

    def _section(self, node: Node, seen: dict[str, int]) -> Section | None:
        m = self._map(node, "sections")
        if m is None:
            return None
        self._keys(m, SECTION_KEYS, SECTION_REQUIRED, "section")
        id_node = m.get("id")
        sid = self._local_id(id_node)
        if sid is not None and id_node is not None:
            if sid in seen:
                self.out.add(id_node.line, id_node.column, "FK208", id=sid, first=seen[sid])
            else:
                seen[sid] = id_node.line
        key = sid or f"#{m.line}"
        title = self._text(m.get("title"), "title")
        repeat = self._repeat(m.get("repeat"))
        show_if = m.get("show_if")
        if show_if is not None and self._word(show_if, "show_if") is not None:
            assert isinstance(show_if, Scalar)
            self.pending.append(_PendingCondition(show_if, None, key, "show_if", True))
        items = self._items(m.get("items"), key, repeat is not None)
        return Section(
            id=key, title=title or Text(), items=tuple(items), repeat=repeat, line=m.line
        )

    def _repeat(self, node: Node | None) -> Repeat | None:
        if node is None:
            return None
        m = self._map(node, "repeat")
        if m is None:
            return None
        self._keys(m, REPEAT_KEYS, ("for_each",), "repeat")
        for_each_node = m.get("for_each")
        for_each = None
        if for_each_node is not None:
            for_each = self._word(for_each_node, "for_each")
            if for_each is not None and for_each not in REPEAT_FOR_EACH:
                self.out.add(
                    for_each_node.line,
                    for_each_node.column,
                    "FK222",
                    closest(for_each, REPEAT_FOR_EACH),
                    value=for_each,
                )
        where: list[tuple[str, tuple]] = []
        where_node = m.get("where")
        if where_node is not None and (wm := self._map(where_node, "where")) is not None:
            for key, value_node in wm.pairs:
                if not LOCAL_ID.match(key.value):
                    self.out.add(key.line, key.column, "FK207", value=key.value)
                    continue
                values = self._where_values(key.value, value_node)
                if values is not None:
                    where.append((key.value, values))
        return Repeat(for_each=for_each or "asset", where=tuple(where))

    def _where_values(self, key: str, node: Node) -> tuple | None:
        nodes = node.items if isinstance(node, Sequence) else [node]
        if isinstance(node, Sequence) and not node.items:
            self.out.add(node.line, node.column, "FK223", key=key)
            return None
        values = []
        for n in nodes:
            if not isinstance(n, Scalar) or n.value is None:
                self.out.add(n.line, n.column, "FK223", key=key)
                return None
            value = n.value
            if key == "kind":
                word = n.text if n.plain else str(value)
                if word not in ASSET_KINDS:
                    self.out.add(n.line, n.column, "FK226", closest(word, ASSET_KINDS), value=word)
                    return None
                value = word
            values.append(value)
        return tuple(values)

    def _items(self, node: Node | None, section_id: str, repeated: bool) -> list[Item]:
        if node is None:
            return []
        if not isinstance(node, Sequence):
            self._wrong(node, "items", "list")
            return []
        if not node.items:
            self.out.add(node.line, node.column, "FK221", key="items")
            return []
        items = []
        for item_node in node.items:
            item = self._item(item_node, section_id, repeated)
            if item is not None:
                items.append(item)
        return items

    def _item(self, node: Node, section_id: str, repeated: bool) -> Item | None:
        m = self._map(node, "items")
        if m is None:
            return None
        type_node = m.get("type")
        item_type = None
        if type_node is not None:
            item_type = self._word(type_node, "type")
            if item_type is not None and item_type not in ITEM_TYPES:
                self.out.add(
                    type_node.line,
                    type_node.column,
                    "FK210",
                    closest(item_type, ITEM_TYPES),
                    value=item_type,
                )
                item_type = None
        self._keys(m, ALL_ITEM_KEYS, ITEM_REQUIRED, "item")
        if item_type is not None:
            allowed = ITEM_COMMON_KEYS + ITEM_TYPE_KEYS.get(item_type, ())
            for key, _ in m.pairs:
                if key.value in ALL_ITEM_KEYS and key.value not in allowed:
                    self.out.add(key.line, key.column, "FK211", key=key.value, type=item_type)
                elif key.value == "on_fail" and item_type not in FAILABLE_TYPES:
                    self.out.add(key.line, key.column, "FK227", type=item_type)
                elif key.value == "fail_label" and item_type not in FAILABLE_TYPES:
                    self.out.add(key.line, key.column, "FK228", type=item_type)

        id_node = m.get("id")
        iid = self._local_id(id_node)
        if iid is not None and id_node is not None:
            if iid in self.item_lines:
                self.out.add(
                    id_node.line, id_node.column, "FK209", id=iid, first=self.item_lines[iid]
                )
                iid = None
            else:
                self.item_lines[iid] = id_node.line
        label = self._text(m.get("label"), "label")
        hint = self._text(m.get("hint"), "hint")
        fail_label = self._text(m.get("fail_label"), "fail_label")

        required_node = m.get("required")
        required = self._bool(required_node, "required") if required_node is not None else None
        on_fail_node = m.get("on_fail")
        on_fail = self._on_fail(on_fail_node) if on_fail_node is not None else None

        options: tuple[Option, ...] = ()
        unit = rng = expect = decimals = None
        if item_type in ("choice", "multi"):
            options = self._options(m, item_type, on_fail)
        if item_type == "number":
            unit_node = m.get("unit")
            unit = self._word(unit_node, "unit") if unit_node is not None else None
            rng = self._pair(m.get("range"), "range")
            expect = self._pair(m.get("expect"), "expect")
            if rng and expect:
                self._expect_inside(m.get("expect"), rng, expect)
            decimals_node = m.get("decimals")
            if decimals_node is not None:
                decimals = self._decimals(decimals_node)
        signer = "other"
        if item_type == "signature":
            signer = self._one_of(m.get("signer"), "signer", SIGNERS) or signer
        notice = ""
        if item_type in ("check", "multi"):
            choices = NOTICE_WHEN if item_type == "check" else tuple(o.id for o in options)
            notice = self._one_of(m.get("notice"), "notice", choices) or notice
        call = ""
        if item_type == "check":
            call = self._one_of(m.get("call"), "call", CALLED) or call

        for field_name in ("show_if", "required_if"):
            cond_node = m.get(field_name)
            if cond_node is not None and self._word(cond_node, field_name) is not None:
                assert isinstance(cond_node, Scalar)
                self.pending.append(
                    _PendingCondition(cond_node, iid or f"#{m.line}", section_id, field_name)
                )

        if required is None:
            required = (
                False
                if m.get("required_if") is not None
                else REQUIRED_BY_DEFAULT.get(item_type or "", True)
            )
        elif required and m.get("required_if") is not None:
            k = m.key_node("required_if")
            assert k is not None
            self.out.add(k.line, k.column, "FK903", id=iid or "?")

        item = Item(
            id=iid or f"#{m.line}",
            type=item_type or "?",
            label=label or Text(),
            section_id=section_id,
            hint=hint,
            fail_label=fail_label if item_type in FAILABLE_TYPES else None,
            required=bool(required),
            on_fail=on_fail,
            options=options,
            unit=unit,
            range=rng,
            expect=expect,
            decimals=decimals,
            signer=signer,
            notice=notice,
            call=call,
            line=m.line,
        )
        if iid is not None and item_type is not None:
            self.infos[iid] = ItemInfo(
                iid, item_type, tuple(o.id for o in options), section_id, repeated
            )
            self._failure_routing(m, item)
            if item_type in FAILABLE_TYPES:
                self.wording.append((m, item))
        return item

    def _check_wording(self) -> None:
        """How each failure will read (FK904/FK905). Only asked of a file with no errors:
        until it loads, an author has more pressing things to fix."""
        for m, item in self.wording:
            if item.can_fail and item.fail_label is None:
                self.out.add(m.line, m.column, "FK904", id=item.id)
            elif not item.can_fail and item.fail_label is not None:
                k = m.key_node("fail_label")
                assert k is not None
                self.out.add(k.line, k.column, "FK905", id=item.id)

    def _failure_routing(self, m: Mapping, item: Item) -> None:
        if item.type not in FAILABLE_TYPES:
            return
        if item.type in ("choice", "multi"):
            if m.get("on_fail") is None:
                for option in item.options:
                    if option.fails and option.id not in self.options_with_on_fail:
                        at = self.option_nodes[id(option)]
                        self.out.add(at.line, at.column, "FK901", id=option.id)
            elif not item.can_fail and self.options_complete:
                k = m.key_node("on_fail")
                assert k is not None
                self.out.add(k.line, k.column, "FK902", id=item.id)
            return
        if item.can_fail and m.get("on_fail") is None:
            self.out.add(m.line, m.column, "FK901", id=item.id)
        elif item.type == "number" and m.get("expect") is None and m.get("on_fail") is not None:
            k = m.key_node("on_fail")
            assert k is not None
            self.out.add(k.line, k.column, "FK902", id=item.id)

    def _one_of(self, node: Node | None, key: str, choices: tuple[str, ...]) -> str | None:
        """The word ``key`` holds when it is one of ``choices``; None where the key is absent
        or says something else (FK233, with the closest choice)."""
        word = self._word(node, key)
        if word is None or word in choices:
            return word
        assert node is not None
        self.out.add(node.line, node.column, "FK233", closest(word, choices), key=key,
                     value=word, choices=" / ".join(choices))  # fmt: skip
        return None

    def _on_fail(self, node: Node) -> OnFail | None:
        m = self._map(node, "on_fail")
        if m is None:
            return None
        self._keys(m, ON_FAIL_KEYS, ON_FAIL_KEYS, "on_fail")
        severity = department = due_text = None
        due = None
        if (n := m.get("severity")) is not None and (v := self._word(n, "severity")) is not None:
            if v in SEVERITIES:
                severity = v
            else:
                self.out.add(n.line, n.column, "FK218", closest(v, SEVERITIES), value=v)
        if (n := m.get("department")) is not None and (v := self._word(n, "department")):
            if v in DEPARTMENTS:
                department = v
            else:
                self.out.add(n.line, n.column, "FK219", closest(v, DEPARTMENTS), value=v)
        if (n := m.get("due")) is not None and (v := self._word(n, "due")) is not None:
            due = parse_duration(v)
            if due is None:
                self.out.add(n.line, n.column, "FK220", value=v)
            else:
                due_text = v.strip()
        if severity and department and due is not None and due_text:
            return OnFail(severity, department, due, due_text)
        return None

    def _options(
        self, m: Mapping, item_type: str, item_on_fail: OnFail | None
    ) -> tuple[Option, ...]:
        node = m.get("options")
        if node is None:
            self.out.add(m.line, m.column, "FK201", key="options", where=term(self.WHERE["item"]))
            return ()
        if not isinstance(node, Sequence):
            self._wrong(node, "options", "list")
            return ()
        if len(node.items) < 2:
            self.out.add(node.line, node.column, "FK212", type=item_type, count=len(node.items))
        seen: dict[str, int] = {}
        options = []
        self.options_with_on_fail: set[str] = set()
        errors_before = sum(1 for d in self.out.items if d.severity == "error")
        for option_node in node.items:
            om = self._map(option_node, "options")
            if om is None:
                continue
            self._keys(om, OPTION_KEYS, OPTION_REQUIRED, "option")
            id_node = om.get("id")
            oid = self._local_id(id_node)
            if oid is not None and id_node is not None:
                if oid in seen:
                    self.out.add(id_node.line, id_node.column, "FK213", id=oid, first=seen[oid])
                    oid = None
                else:
                    seen[oid] = id_node.line
            label = self._text(om.get("label"), "label")
            fails_node = om.get("fails")
            fails = bool(self._bool(fails_node, "fails")) if fails_node is not None else False
            of_node = om.get("on_fail")
            on_fail = self._on_fail(of_node) if of_node is not None else None
            if of_node is not None and not fails:
                k = om.key_node("on_fail")
                assert k is not None
                self.out.add(k.line, k.column, "FK902", id=oid or "?")
            if oid is not None and of_node is not None:
                self.options_with_on_fail.add(oid)
            ex_node = om.get("exclusive")
            exclusive = bool(self._bool(ex_node, "exclusive")) if ex_node is not None else False
            if exclusive and item_type != "multi":
                k = om.key_node("exclusive")
                assert k is not None
                self.out.add(k.line, k.column, "FK234", type=item_type, id=oid or "?")
            acted_node = om.get("acted")
            acted = bool(self._bool(acted_node, "acted")) if acted_node is not None else False
            if acted and fails:
                k = om.key_node("acted")
                assert k is not None
                self.out.add(k.line, k.column, "FK235", id=oid or "?")
            if oid is not None:
                option = Option(oid, label or Text(), fails, on_fail, exclusive, acted)
                self.option_nodes[id(option)] = om
                options.append(option)
        errors_after = sum(1 for d in self.out.items if d.severity == "error")
        self.options_complete = errors_after == errors_before
        return tuple(options)

    def _pair(self, node: Node | None, key: str) -> tuple[float | None, float | None] | None:
        if node is None:
            return None
        if not isinstance(node, Sequence) or len(node.items) != 2:
            self.out.add(node.line, node.column, "FK214", key=key)
            return None
        low, high = (self._number(n) for n in node.items)
        if low is False or high is False:
            bad = node.items[0] if low is False else node.items[1]
            self.out.add(bad.line, bad.column, "FK214", key=key)
            return None
        assert not isinstance(low, bool) and not isinstance(high, bool)
        if low is not None and high is not None and low > high:
            self.out.add(node.line, node.column, "FK215", key=key, low=low, high=high)
            return None
        return (low, high)

    def _expect_inside(self, node: Node | None, rng: tuple, expect: tuple) -> None:
        assert node is not None
        r_low, r_high = rng
        e_low, e_high = expect
        outside = (
            (r_low is not None and e_low is not None and e_low < r_low)
            or (r_high is not None and e_high is not None and e_high > r_high)
            or (r_low is not None and e_high is not None and e_high < r_low)
            or (r_high is not None and e_low is not None and e_low > r_high)
        )
        if outside:
            self.out.add(
                node.line, node.column, "FK216", expect=_pair_text(expect), range=_pair_text(rng)
            )

    def _decimals(self, node: Node) -> int | None:
        v = node.value if isinstance(node, Scalar) else None
        if isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= MAX_DECIMALS:
            return v
        self.out.add(node.line, node.column, "FK217", limit=MAX_DECIMALS)
        return None

    # -- conditions ---------------------------------------------------------------------

    def _check_conditions(self) -> None:
        for pending in self.pending:
            node = pending.node
            text = node.value if isinstance(node.value, str) else node.text
            owner = (pending.section_id, pending.field, pending.owner_item)
            try:
                tree = parse(text)
            except ExprError as exc:
                line, column = self._expr_position(node, exc.offset)
                self.out.add(line, column, "FK300", problem=exc.problem)
                continue
            before = len(self.out.items)

            def report(offset: int, code: str, suggestion: str | None = None, **params) -> None:
                line, column = self._expr_position(node, offset)  # noqa: B023
                self.out.add(line, column, code, suggestion, **params)

            Checker(
                self.infos,
                report,
                owner_item=pending.owner_item,
                owner_section=pending.section_id,
                section_condition=pending.is_section,
            ).check(tree)
            if len(self.out.items) == before:
                self.conditions[owner] = Condition(text, tree, frozenset(refs(tree)))

    def _expr_position(self, node: Scalar, offset: int) -> tuple[int, int]:
        """The file position of character ``offset`` of a condition, where it can be known."""
        value = node.value if isinstance(node.value, str) else node.text
        offset = max(0, min(offset, len(value)))
        if node.style in (None, "'", '"') and node.line == node.end_line:
            raw = self._line(node.line)[node.column - 1 : node.end_column - 1]
            if node.style is None:
                return node.line, node.column + offset
            if (node.style == "'" and "''" not in raw) or (node.style == '"' and "\\" not in raw):
                return node.line, node.column + 1 + offset
        if node.style == "|":
            line_in = value.count("\n", 0, offset)
            col_in = offset - (value.rfind("\n", 0, offset) + 1)
            first = next(
                (
                    self._line(n)
                    for n in range(node.line + 1, node.end_line + 1)
                    if self._line(n).strip()
                ),
                "",
            )
            indent = len(first) - len(first.lstrip(" "))
            return node.line + 1 + line_in, indent + 1 + col_in
        return node.line, node.column

    def _line(self, number: int) -> str:
        return self.lines[number - 1] if 0 < number <= len(self.lines) else ""

    def _check_cycles(self, sections: list[Section]) -> None:
        """Visibility must not depend on itself: ``a`` shown if ``b``, ``b`` shown if ``a``."""
        graph: dict[str, list[str]] = {}
        where: dict[str, Scalar] = {}
        for pending in self.pending:
            if pending.field != "show_if":
                continue
            cond = self.conditions.get((pending.section_id, "show_if", pending.owner_item))
            if cond is None:
                continue
            name = pending.owner_item or f"section:{pending.section_id}"
            graph.setdefault(name, []).extend(sorted(cond.refs))
            where[name] = pending.node
        for section in sections:
            for item in section.items:
                graph.setdefault(item.id, []).append(f"section:{section.id}")
        state: dict[str, int] = {}
        reported: set[frozenset[str]] = set()
        for start in graph:
            if state.get(start):
                continue
            stack = [(start, iter(graph.get(start, ())))]
            path = [start]
            state[start] = 1
            while stack:
                name, children = stack[-1]
                child = next(children, None)
                if child is None:
                    stack.pop()
                    path.pop()
                    state[name] = 2
                    continue
                if state.get(child) == 1:
                    cycle = path[path.index(child) :]
                    key = frozenset(cycle)
                    holder = next((n for n in cycle if n in where), None)
                    if key not in reported and holder is not None:
                        reported.add(key)
                        node = where[holder]
                        shown = " → ".join(_cycle_name(n) for n in [*cycle, child])
                        self.out.add(node.line, node.column, "FK313", cycle=shown)
                elif not state.get(child):
                    state[child] = 1
                    path.append(child)
                    stack.append((child, iter(graph.get(child, ()))))

    def _attach_conditions(self, section: Section) -> Section:
        items = tuple(
            replace(
                item,
                show_if=self.conditions.get((section.id, "show_if", item.id)),
                required_if=self.conditions.get((section.id, "required_if", item.id)),
            )
            for item in section.items
        )
        return replace(
            section, items=items, show_if=self.conditions.get((section.id, "show_if", None))
        )


def _cycle_name(name: str) -> str:
    return name.removeprefix("section:")


def _pair_text(pair: tuple) -> str:
    low, high = pair
    return f"[{'null' if low is None else low}, {'null' if high is None else high}]"
