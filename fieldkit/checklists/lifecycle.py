"""The case lifecycle file: states per kind, allowed moves, who may make them, what they need.

The office adjusts ``lifecycles.yaml`` (shipped as ``fieldkit/services/lifecycles.yaml``); it
is read with the checklists' positioned YAML composer, so a mistake gets the same
``path:line:column: code: message`` lines, every one at once, with did-you-mean. Codes
``FK5xx`` are the lifecycle's own; YAML and key errors reuse ``FK1xx`` and ``FK200``-``FK202``.

States must be ones the model knows for the kind (``fieldkit.model.CASE_LIFECYCLES``) and be
listed in rank order: a merge orders statuses by that rank on every device and on the office
server, so the file may choose and order the path but cannot invent a rank. A move to an
earlier state is only possible as ``reopen: true`` (the model's explicit step back).
What it reads is plain data, in :mod:`.lifecycle_rules`.

Schema::

    version: 1
    kinds:
      complaint:
        reopen_to: investigating        # where a dissatisfied follow-up sends the case
        states:
          - {id: received, label: {zh: 已受理, en: Received}}
        moves:
          - {from: received, to: registered, roles: [office], needs: [note]}
          - {from: [replied], to: investigating, roles: [office], reopen: true, needs: [note]}
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import ClassVar

from fieldkit.checklists.diagnostics import (
    CODES,
    Collector,
    Diagnostic,
    Severity,
    closest,
)
from fieldkit.checklists.durations import parse_duration
from fieldkit.checklists.lifecycle_rules import KindLifecycle, Lifecycles, Move, State
from fieldkit.checklists.reading import NodeReader, kind_of
from fieldkit.checklists.source import Mapping, Node, Scalar, Sequence, compose, decode
from fieldkit.model import CASE_KINDS, CASE_LIFECYCLES

ROLES = ("patrol", "renovation", "emergency", "desk", "office")
NEEDS = ("note", "followup", "department")
LIFECYCLE_CODES: dict[str, Severity] = {
    "FK500": "error",  # unknown case kind
    "FK501": "error",  # state the model does not know for this kind
    "FK502": "error",  # state listed before one it ranks below
    "FK503": "error",  # duplicate state
    "FK504": "error",  # move names a state not listed for the kind
    "FK505": "error",  # unknown role
    "FK506": "error",  # unknown requirement
    "FK507": "error",  # move goes back without reopen
    "FK508": "error",  # duplicate move
    "FK509": "error",  # reopen_to is not a listed state
    "FK510": "error",  # unsupported version
    "FK511": "error",  # duplicate category
    "FK512": "error",  # unknown urgency
}
URGENCIES = ("urgent", "high", "normal", "low")
TODAY = "today"  # an urgency's due time: by the end of the day the case was taken


@dataclass(frozen=True)
class LifecycleDiagnostic(Diagnostic):
    @property
    def key(self) -> str:
        if self.code in LIFECYCLE_CODES:
            return f"lifecycle.diag.{self.code.lower()}"
        return f"checklists.diag.{self.code.lower()}"


class LifecycleCollector(Collector):
    def add(self, line, column, code, suggestion=None, **params) -> None:  # type: ignore[override]
        self.items.append(
            LifecycleDiagnostic(
                path=self.path,
                line=line,
                column=column,
                code=code,
                severity=LIFECYCLE_CODES.get(code) or CODES[code],  # type: ignore[arg-type]
                params=tuple(params.items()),
                suggestion=suggestion,
                order=len(self.items),
            )
        )


@dataclass
class LifecycleLoad:
    path: str
    lifecycles: Lifecycles | None
    diagnostics: tuple[Diagnostic, ...]

    @property
    def ok(self) -> bool:
        return self.lifecycles is not None and not any(
            d.severity == "error" for d in self.diagnostics
        )


def load_lifecycle_file(path: str | Path) -> LifecycleLoad:
    out = LifecycleCollector(str(path))
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        out.add(1, 1, "FK100", reason=exc.strerror or str(exc))
        return LifecycleLoad(str(path), None, out.sorted())
    return _load(data, out)


def load_lifecycle_text(text: str | bytes, path: str = "<text>") -> LifecycleLoad:
    out = LifecycleCollector(path)
    return _load(text.encode("utf-8") if isinstance(text, str) else text, out)


def _load(data: bytes, out: LifecycleCollector) -> LifecycleLoad:
    text = decode(data, out)
    root = compose(text, out) if text is not None else None
    result = None
    if root is not None:
        result = _Reader(out).top(root)
    if out.has_errors:
        result = None
    return LifecycleLoad(out.path, result, out.sorted())


class _Reader(NodeReader):
    WHERE: ClassVar[dict[str, str]] = {
        "top": "lifecycle.where.file",
        "kind": "lifecycle.where.kind",
        "state": "lifecycle.where.state",
        "move": "lifecycle.where.move",
        "category": "lifecycle.where.category",
        "urgency": "lifecycle.where.urgency",
        "text": "checklists.where.text",
    }

    def _words(self, node: Node | None, key: str) -> list[Scalar]:
        """A word or a list of words, as their nodes."""
        if node is None:
            return []
        items = node.items if isinstance(node, Sequence) else [node]
        found = []
        for item in items:
            if self._word(item, key) is not None:
                found.append(item)  # type: ignore[arg-type]
        return found

    def top(self, root: Node) -> Lifecycles | None:
        if not isinstance(root, Mapping):
            self.out.add(root.line, root.column, "FK106", found=kind_of(root))
            return None
        self._keys(root, ("version", "kinds"), ("version", "kinds"), "top")
        version = root.get("version")
        if isinstance(version, Scalar) and version.value != 1:
            self.out.add(version.line, version.column, "FK510", value=version.text)
        kinds = root.get("kinds")
        result = Lifecycles()
        if kinds is None:
            return result
        if not isinstance(kinds, Mapping):
            self._wrong(kinds, "kinds", "mapping")
            return result
        for key, node in kinds.pairs:
            if key.value not in CASE_KINDS:
                self.out.add(
                    key.line,
                    key.column,
                    "FK500",
                    closest(key.value, CASE_KINDS),
                    kind=str(key.value),
                    known=", ".join(CASE_KINDS),
                )
                continue
            if not isinstance(node, Mapping):
                self._wrong(node, str(key.value), "mapping")
                continue
            result.kinds[key.value] = self.kind(key.value, node)
        return result

    def kind(self, kind: str, node: Mapping) -> KindLifecycle:
        self._keys(
            node,
            ("states", "moves", "reopen_to", "categories", "urgency"),
            ("states", "moves"),
            "kind",
        )
        ranks = CASE_LIFECYCLES[kind]
        states: list[State] = []
        seen: dict[str, int] = {}
        states_node = node.get("states")
        if states_node is not None and not isinstance(states_node, Sequence):
            self._wrong(states_node, "states", "list")
        elif states_node is not None:
            last: tuple[str, int] | None = None
            for item in states_node.items:
                state = self.state(item)
                if state is None:
                    continue
                sid, id_node = state
                if sid.id in seen:
                    self.out.add(
                        id_node.line, id_node.column, "FK503", id=sid.id, first=seen[sid.id]
                    )
                    continue
                seen[sid.id] = id_node.line
                if sid.id not in ranks:
                    self.out.add(
                        id_node.line,
                        id_node.column,
                        "FK501",
                        closest(sid.id, ranks),
                        state=sid.id,
                        kind=kind,
                    )
                    continue
                if last is not None and ranks[sid.id] < ranks[last[0]]:
                    self.out.add(
                        id_node.line, id_node.column, "FK502", state=sid.id, before=last[0]
                    )
                last = (sid.id, ranks[sid.id])
                states.append(sid)
        known = [s.id for s in states]
        moves: dict[tuple[str, str], Move] = {}
        moves_node = node.get("moves")
        if moves_node is not None and not isinstance(moves_node, Sequence):
            self._wrong(moves_node, "moves", "list")
        elif moves_node is not None:
            for item in moves_node.items:
                for move, at in self.move(item, known, ranks, seen):
                    if (move.source, move.to) in moves:
                        self.out.add(at.line, at.column, "FK508", source=move.source, to=move.to)
                    moves[(move.source, move.to)] = move
        reopen_to = None
        reopen_node = node.get("reopen_to")
        if reopen_node is not None:
            reopen_to = self._word(reopen_node, "reopen_to")
            if reopen_to is not None and reopen_to not in known:
                self._unknown_state(reopen_node, reopen_to, known, seen, "FK509")
                reopen_to = None
        categories = self.categories(node.get("categories"))
        urgency, same_day = self.urgency(node.get("urgency"))
        return KindLifecycle(
            kind, tuple(states), moves, reopen_to, categories, urgency, frozenset(same_day)
        )

    def categories(self, node: Node | None) -> tuple[State, ...]:
        if node is None:
            return ()
        if not isinstance(node, Sequence):
            self._wrong(node, "categories", "list")
            return ()
        found: list[State] = []
        first: dict[str, int] = {}
        for item in node.items:
            got = self.state(item, "categories", "category")
            if got is None:
                continue
            category, at = got
            if category.id in first:
                self.out.add(at.line, at.column, "FK511", id=category.id, first=first[category.id])
                continue
            first[category.id] = at.line
            found.append(category)
        return tuple(found)

    def urgency(self, node: Node | None) -> tuple[dict[str, timedelta], set[str]]:
        """Each urgency's due time: a duration (``4h``, ``3d``), or ``today`` (by the end
        of the day the case was taken)."""
        found: dict[str, timedelta] = {}
        same_day: set[str] = set()
        if node is None:
            return found, same_day
        if not isinstance(node, Mapping):
            self._wrong(node, "urgency", "mapping")
            return found, same_day
        for key, value in node.pairs:
            if key.value not in URGENCIES:
                self.out.add(
                    key.line,
                    key.column,
                    "FK512",
                    closest(key.value, URGENCIES),
                    value=str(key.value),
                    known=", ".join(URGENCIES),
                )
                continue
            text = self._word(value, str(key.value))
            if text == TODAY:
                same_day.add(key.value)
                continue
            due = parse_duration(text) if text else None
            if text and due is None:
                self.out.add(value.line, value.column, "FK220", value=text)
            elif due is not None:
                found[key.value] = due
        return found, same_day

    def state(
        self, node: Node, key: str = "states", where: str = "state"
    ) -> tuple[State, Scalar] | None:
        if not isinstance(node, Mapping):
            self._wrong(node, key, "mapping")
            return None
        self._keys(node, ("id", "label"), ("id", "label"), where)
        id_node = node.get("id")
        sid = self._word(id_node, "id")
        label: dict[str, str] = {}
        label_node = node.get("label")
        if isinstance(label_node, Mapping):
            self._keys(label_node, ("zh", "en"), ("zh", "en"), "text")
            for lang in ("zh", "en"):
                text = self._word(label_node.get(lang), lang)
                if text:
                    label[lang] = text
        elif label_node is not None:
            self._wrong(label_node, "label", "bilingual")
        if sid is None:
            return None
        return State(sid, label), id_node  # type: ignore[return-value]

    def _unknown_state(self, node: Node, name: str, known, seen, code: str = "FK504") -> None:
        if name in seen:  # listed but refused already (FK501): say nothing more
            return
        self.out.add(node.line, node.column, code, closest(name, known), state=name)

    def _known_words(
        self, node: Node | None, key: str, allowed: tuple[str, ...], code: str, param: str
    ) -> set[str]:
        """The words of a list that are ``allowed``; each other one is reported at its place
        (``code``, with a did-you-mean and the known words)."""
        found = set()
        for word in self._words(node, key):
            if word.value in allowed:
                found.add(word.value)
            else:
                self.out.add(word.line, word.column, code, closest(word.value, allowed),
                             **{param: str(word.value)}, known=", ".join(allowed))  # fmt: skip
        return found

    def move(self, node: Node, known: list[str], ranks: dict[str, int], seen):
        if not isinstance(node, Mapping):
            self._wrong(node, "moves", "mapping")
            return []
        self._keys(
            node, ("from", "to", "roles", "needs", "reopen"), ("from", "to", "roles"), "move"
        )
        sources = []
        for s in self._words(node.get("from"), "from"):
            if s.value in known:
                sources.append(s)
            else:
                self._unknown_state(s, str(s.value), known, seen)
        to_node = node.get("to")
        to = self._word(to_node, "to")
        if to is not None and to not in known:
            self._unknown_state(to_node, to, known, seen)  # type: ignore[arg-type]
            to = None
        roles = self._known_words(node.get("roles"), "roles", ROLES, "FK505", "role")
        needs = self._known_words(node.get("needs"), "needs", NEEDS, "FK506", "need")
        reopen_node = node.get("reopen")
        reopen = False
        if reopen_node is not None:
            if isinstance(reopen_node, Scalar) and isinstance(reopen_node.value, bool):
                reopen = reopen_node.value
            else:
                self._wrong(reopen_node, "reopen", "yes_no")
        if to is None:
            return []
        moves = []
        for s in sources:
            if not reopen and ranks[to] < ranks[str(s.value)]:
                self.out.add(node.line, node.column, "FK507", source=str(s.value), to=to)
                continue
            moves.append((Move(str(s.value), to, frozenset(roles), frozenset(needs), reopen), node))
        return moves
