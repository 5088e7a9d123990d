"""Moving a case along its kind's lifecycle, as the office's lifecycle file allows.

``move`` checks the move (is it listed, may this role make it, is what it needs given)
against :mod:`fieldkit.checklists.lifecycle` and records it through the store: a forward
move with ``set_case_status``, a ``reopen: true`` move with ``reopen_case``. ``follow_up``
records the follow-up visit (回访); a satisfied result moves the case on to ``followed_up``,
a dissatisfied one reopens it to the kind's ``reopen_to`` state.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fieldkit.checklists.lifecycle_rules import KindLifecycle, Lifecycles
from fieldkit.i18n import get_language
from fieldkit.services.cases import CaseError, check_text

if TYPE_CHECKING:
    from fieldkit.checklists.lifecycle import LifecycleLoad
    from fieldkit.store.doctor import Finding

SHIPPED = Path(__file__).with_name("lifecycles.yaml")
FILE_NAME = "lifecycles.yaml"
#: The lifecycles as read, kept beside the data: a start reads this JSON instead of the YAML
#: file (issue 17: no YAML composer before the home's data). It names the file it was read
#: from and that file's sha256; anything else — missing, from another file or another
#: version of it, damaged, of an older ``KEPT_FORMAT`` — is read from the file again.
KEPT_FILE = "case-lifecycles.json"
#: Raise when ``lifecycle_rules.to_json`` or what the reader makes of a file changes.
KEPT_FORMAT = 1
SATISFIED_FROM = 3  # scores 1..5; 3 and above count as satisfied
#: A follow-up as the desk types it: the score, then the owner's words — "4 修得很快",
#: "5分，很满意", "2/5 还在漏", "3: ok".
_FOLLOW_UP = re.compile(r"^\s*([1-5])(?!\d)\s*(?:分|/\s*5)?[\s,，、:：;；.。!！-]*(.*)$", re.S)
#: a Chinese IME types ５分 for 5分: the digits as ASCII, the comment's ，。 left as typed
_WIDE_DIGITS = {0xFF10 + n: str(n) for n in range(10)}


#: What the call-back dialog's own key (ctrl+n) answers for a call nobody answered: read as
#: :data:`_UNANSWERED` reads it, with whatever was typed in the box after it as the note.
NOT_ANSWERED = "no answer"
#: A call-back nobody answered, as the desk types it ("未接通", "没人接 晚上再打", "no answer"):
#: no score; what follows is kept as the note.
_UNANSWERED = re.compile(
    r"^\s*(?:未接通|没接通|无人接听|没人接听|没人接|打不通|关机|no answer|not answered|no reply"
    r"|nobody answered|no one answered|didn'?t pick up|did not pick up|no pickup)"
    r"[\s,，、:：;；.。!！-]*(.*)$",
    re.S | re.I,
)


def no_one_answered(text: str) -> bool:
    """Whether a call's "answered by" says nobody answered (无人接听, no answer)."""
    return _UNANSWERED.match(text) is not None


class MoveRefused(ValueError):
    """A move the lifecycle file does not allow; ``key`` is the i18n message."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


class LifecycleFileError(ValueError):
    """The lifecycle file has mistakes; ``key`` says so and which command lists them."""

    def __init__(self, result: LifecycleLoad) -> None:
        super().__init__(result.path)
        self.result = result
        self.key = "lifecycle.refused.bad_file"
        self.params = {"path": result.path}


@dataclass(frozen=True)
class FollowUp:
    """A follow-up visit's result: score 1 (very unhappy) to 5 (very satisfied)."""

    score: int
    comment: str = ""
    side: str = ""  # a neighbour dispute: which side answered (a, b); each side has its own
    answered: bool = True  # False: nobody picked up (未接通); the case stays, to ring again

    @property
    def satisfied(self) -> bool:
        return self.score >= SATISFIED_FROM

    def to_dict(self) -> dict[str, Any]:
        out = {"score": self.score, "comment": self.comment, "satisfied": self.satisfied}
        return {**out, "side": self.side} if self.side else out


def parse_follow_up(text: str) -> FollowUp:
    """The follow-up visit's result as typed (see ``_FOLLOW_UP``; nobody answering, see
    ``_UNANSWERED``, is a result with ``answered`` False); CaseError when there is no score
    1-5 first, or when a dissatisfied owner's reason is missing (the case goes
    back with it as the reason) or too long."""
    unanswered = _UNANSWERED.match(text)
    if unanswered is not None:
        return FollowUp(0, check_text(unanswered.group(1).strip()), answered=False)
    match = _FOLLOW_UP.match(text.translate(_WIDE_DIGITS))
    if match is None:
        raise CaseError("ui.case.bad_score")
    result = FollowUp(int(match.group(1)), check_text(match.group(2).strip()))
    if not result.satisfied and not result.comment:
        raise CaseError("desk.followup.why", score=result.score)
    return result


def unanswered_note(results: Sequence[FollowUp], lang: str | None = None) -> str:
    """The note a call-back nobody answered leaves on the case's history (the case stays
    where it is, for the next call): what was said about it, each side's, if anything."""
    return unanswered_line([r.comment for r in results], lang)


def unanswered_data(results: Sequence[FollowUp]) -> dict[str, Any]:
    """What the note of a call-back nobody answered keeps besides its text (``data`` of the
    note event): what was said, so the history says it in the reader's language; its text,
    in the clerk's, is what a release before this one reads."""
    return {"unanswered": [r.comment for r in results]}


def unanswered_line(said: Sequence[str], lang: str | None = None) -> str:
    """回访电话未接通：晚上再打 / Call-back not answered: try after 6 pm."""
    from fieldkit.i18n import t

    words = t("checklists.words.list_sep", lang).join(str(c) for c in said if c)
    if words:
        return t("desk.followup.unanswered_note", lang, said=words)
    return t("desk.followup.unanswered_plain", lang)


def lifecycle_path(data_dir: Path | None = None) -> Path:
    """The office's copy in the data folder when there is one, else the shipped file."""
    if data_dir is not None and (Path(data_dir) / FILE_NAME).is_file():
        return Path(data_dir) / FILE_NAME
    return SHIPPED


_cache: dict[tuple[str, int, int], Lifecycles] = {}
_kept_in: set[tuple[tuple[str, int, int], str]] = set()  # (file, data folder) kept there


def load(path: Path | None = None, kept_in: Path | None = None) -> Lifecycles:
    """The lifecycles in ``path`` (the shipped file by default); LifecycleFileError if wrong.
    With ``kept_in`` (a data folder), from the copy kept there when it was read from this
    very file, else read from the file and kept there for the next start."""
    path = Path(path or SHIPPED)
    st = path.stat()
    key = (str(path), st.st_size, st.st_mtime_ns)
    found = _cache.get(key)
    if found is not None and (kept_in is None or (key, str(kept_in)) in _kept_in):
        return found
    data = path.read_bytes()
    state = ""
    if kept_in is not None:
        state, kept = _read_kept(kept_in, _stamp(path, data))
        found = found or kept
    if found is None:
        found = _parse(path, data)
    if kept_in is not None:
        if state != "ok":
            _keep(kept_in, path, data, found)
        _kept_in.add((key, str(kept_in)))
    _cache[key] = found
    return found


def _parse(path: Path, data: bytes) -> Lifecycles:
    from fieldkit.checklists.lifecycle import load_lifecycle_text

    result = load_lifecycle_text(data, str(path))
    if not result.ok or result.lifecycles is None:
        raise LifecycleFileError(result)
    return result.lifecycles


def _stamp(path: Path, data: bytes) -> dict[str, Any]:
    import hashlib

    return {"format": KEPT_FORMAT, "source": str(path), "sha256": hashlib.sha256(data).hexdigest()}


def _read_kept(data_dir: Path, stamp: dict[str, Any]) -> tuple[str, Lifecycles | None]:
    """The kept copy if it was read from the file ``stamp`` names: ("ok", lifecycles), else
    ("missing" | "stale" | "damaged", None)."""
    from fieldkit.checklists.lifecycle_rules import from_json
    from fieldkit.store import kept as kept_copy

    state, kept = kept_copy.read(Path(data_dir) / KEPT_FILE)
    if kept is None:
        return state, None
    if {key: kept.get(key) for key in stamp} != stamp:
        return "stale", None
    try:
        return "ok", from_json(kept.get("lifecycles"))
    except ValueError:
        return "damaged", None


def _keep(data_dir: Path, path: Path, data: bytes, lifecycles: Lifecycles) -> None:
    from fieldkit.checklists.lifecycle_rules import to_json
    from fieldkit.store import kept as kept_copy

    kept = {**_stamp(path, data), "lifecycles": to_json(lifecycles)}
    kept_copy.write(Path(data_dir) / KEPT_FILE, kept)


def check_kept(data_dir: Path, repair: bool = True) -> list[Finding]:
    """``fieldkit doctor``'s line about the lifecycles kept beside the data: agreeing with
    the lifecycle file in use, or written again from it (``repair``; not while another
    process holds the folder: then the line says the next start does it)."""
    from fieldkit.store.doctor import Finding

    path = lifecycle_path(data_dir)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return [
            Finding(
                "problem",
                "lifecycle.doctor.unreadable",
                {"path": str(path), "reason": exc.strerror or str(exc)},
            )
        ]
    state, _ = _read_kept(data_dir, _stamp(path, data))
    if state == "ok":
        return [Finding("ok", "lifecycle.doctor.kept_ok", {"path": str(path)})]
    try:
        lifecycles = _parse(path, data)
    except LifecycleFileError as exc:
        return [Finding("problem", exc.key, exc.params)]
    if not repair:
        return [Finding("ok", f"lifecycle.doctor.kept_{state}", {"path": str(path)})]
    _keep(data_dir, path, data, lifecycles)
    if _read_kept(data_dir, _stamp(path, data))[0] != "ok":
        return [Finding("problem", "lifecycle.doctor.unwritten", {"path": str(path)})]
    return [Finding("fixed", f"lifecycle.doctor.rebuilt_{state}", {"path": str(path)})]


_active: tuple[Path, Lifecycles] | None = None


def use(data_dir: Path | None, keep: bool = True) -> Lifecycles:
    """Load the lifecycle file for ``data_dir`` (the office's copy there, else the shipped
    one) and make it the one in use: every move, status label, category and due time asked
    for without explicit ``lifecycles`` follows it, so what a screen calls a state is what
    the moves check. Re-read when the file changed; LifecycleFileError if it is wrong.
    With ``keep``, read through the copy kept in ``data_dir`` (:func:`load`)."""
    global _active
    path = lifecycle_path(data_dir)
    try:
        found = load(path, kept_in=data_dir if keep else None)
    except LifecycleFileError:
        # the shipped file's names, not another folder's; but the same file changed under
        # a running app (an upgrade, an edit) keeps its last good reading for the screens —
        # dropping it made the next label read the file again on the UI thread and crash
        if _active is not None and _active[0] != path:
            _active = None
        raise
    _active = (path, found)
    return found


def forget(data_dir: Path) -> None:
    """Stop using ``data_dir``'s copy (its workspace closed); the shipped file is in use again."""
    global _active
    if _active is not None and _active[0].parent == Path(data_dir):
        _active = None


def current() -> Lifecycles:
    """The lifecycles in use: those :func:`use` loaded last, else the shipped file. Once
    loaded this reads nothing from disk, so the UI may ask for labels on its own thread."""
    active = _active
    return active[1] if active is not None else load()


def for_kind(kind: str, lifecycles: Lifecycles | None = None) -> KindLifecycle:
    found = (lifecycles or current()).kinds.get(kind)
    if found is None:
        raise MoveRefused("lifecycle.refused.no_kind", kind=kind)
    return found


def status_label(
    kind: str, status: str, lang: str | None = None, lifecycles: Lifecycles | None = None
) -> str:
    """A status as people read it, from the labels of the lifecycle file in use (the one
    the moves follow; the id if unknown)."""
    try:
        life = for_kind(kind, lifecycles)
    except MoveRefused:
        return status
    return life.label(status, lang or get_language())


def first_state(kind: str, lifecycles: Lifecycles | None = None) -> str:
    return for_kind(kind, lifecycles).states[0].id


def check(
    case: Any,
    to: str,
    role: str,
    *,
    note: str = "",
    followup: FollowUp | None = None,
    lifecycles: Lifecycles | None = None,
):
    """The move from the case's status to ``to``, or MoveRefused saying why not."""
    life = for_kind(case.kind, lifecycles)
    lang = get_language()
    wanted = life.label(to, lang)
    found = life.moves.get((case.status, to))
    if found is None:
        allowed = ", ".join(life.label(s, lang) for s in life.next_states(case.status)) or "-"
        current = life.label(case.status, lang)
        raise MoveRefused(
            "lifecycle.refused.no_move", current=current, wanted=wanted, allowed=allowed
        )
    if role not in found.roles:
        from fieldkit.i18n.roles import role_name, role_names

        raise MoveRefused(
            "lifecycle.refused.role", role=role_name(role, lang), wanted=wanted,
            roles=role_names(sorted(found.roles), lang),
        )  # fmt: skip
    if "note" in found.needs and not note.strip():
        raise MoveRefused("lifecycle.refused.note", wanted=wanted)
    check_text(note)
    if "followup" in found.needs and followup is None:
        raise MoveRefused("lifecycle.refused.followup", wanted=wanted)
    if "department" in found.needs and not case.department:
        raise MoveRefused("lifecycle.refused.department", wanted=wanted)
    return found


def move(
    store: Any,
    case: Any,
    to: str,
    role: str,
    *,
    note: str = "",
    followup: FollowUp | None = None,
    by: str = "",
    lifecycles: Lifecycles | None = None,
) -> Any:
    """Make a move the lifecycle file allows and record it; returns the updated case.

    ``case`` is a Case or its id. The follow-up result, when given, is recorded as a
    ``followup`` event before the status changes, so the case never shows followed-up
    without its result.
    """
    if isinstance(case, str):
        case = store.get_case(case)
        if case is None:
            raise MoveRefused("lifecycle.refused.no_case")
    found = check(case, to, role, note=note, followup=followup, lifecycles=lifecycles)
    if followup is not None:
        store.add_case_event(case.id, "followup", followup.comment, by=by, data=followup.to_dict())
    if found.reopen:
        return _reopen(store, case, to, by=by, note=note.strip(), lifecycles=lifecycles)
    return store.set_case_status(case.id, to, by=by, note=note.strip())


def _reopen(
    store: Any, case: Any, to: str, *, by: str, note: str, lifecycles: Lifecycles | None
) -> Any:
    """Back to ``to`` (a reopening move, or a call-back the owner was not satisfied with)
    with a new deadline from now by the case's urgency, as intake sets the first one: the
    old one, often days gone, would read overdue at once. The history says both (the new
    deadline as a change of it); a case taken with no urgency keeps its deadline."""
    from fieldkit.services.intake import due_again

    due = due_again(store, case, lifecycles)
    with store.transaction():  # the move and its deadline, or neither
        reopened = store.reopen_case(case.id, by=by, note=note, status=to)
        if due and due != reopened.due:
            reopened = store.update_case(case.id, by=by, due=due)
    return reopened


def follow_up(
    store: Any,
    case: Any,
    result: FollowUp,
    role: str,
    *,
    by: str = "",
    lifecycles: Lifecycles | None = None,
) -> Any:
    """Record a follow-up visit: satisfied moves the case to ``followed_up``; dissatisfied
    reopens it to its kind's ``reopen_to`` state with the comment as the reason."""
    if isinstance(case, str):
        case = store.get_case(case)
        if case is None:
            raise MoveRefused("lifecycle.refused.no_case")
    if not 1 <= result.score <= 5:
        raise MoveRefused("lifecycle.refused.score", score=result.score)
    check_text(result.comment)
    return _followed(store, case, [result], role, by, lifecycles)


def follow_up_sides(
    store: Any,
    case: Any,
    results: Sequence[FollowUp],
    role: str,
    *,
    by: str = "",
    lifecycles: Lifecycles | None = None,
) -> Any:
    """A neighbour dispute's follow-up: each side's result (``FollowUp.side``), recorded
    together; the case moves on only when every side is satisfied, and goes back with the
    reasons of those who are not."""
    if isinstance(case, str):
        case = store.get_case(case)
        if case is None:
            raise MoveRefused("lifecycle.refused.no_case")
    for result in results:
        if not 1 <= result.score <= 5:
            raise MoveRefused("lifecycle.refused.score", score=result.score)
        check_text(result.comment)
    with store.transaction():  # every side's answer and the move, or none of them
        return _followed(store, case, list(results), role, by, lifecycles)


def _followed(
    store: Any, case: Any, results: list[FollowUp], role: str, by: str,
    lifecycles: Lifecycles | None,
) -> Any:  # fmt: skip
    unhappy = [r for r in results if not r.satisfied]
    if not unhappy:
        if len(results) > 1:
            check(case, "followed_up", role, followup=results[0], lifecycles=lifecycles)
            for result in results:
                store.add_case_event(case.id, "followup", result.comment, by=by,
                                     data=result.to_dict())  # fmt: skip
            return store.set_case_status(case.id, "followed_up", by=by)
        result = results[0]
        return move(store, case, "followed_up", role, followup=result, by=by, lifecycles=lifecycles)
    life = for_kind(case.kind, lifecycles)
    target = life.reopen_to
    if target is None:
        raise MoveRefused("lifecycle.refused.no_reopen", kind=case.kind)
    note = "; ".join(r.comment.strip() or f"{r.score}/5" for r in unhappy)
    check(case, target, role, note=note, lifecycles=lifecycles)  # the same rules as a move
    for result in results:
        store.add_case_event(case.id, "followup", result.comment, by=by, data=result.to_dict())
    return _reopen(store, case, target, by=by, note=note, lifecycles=lifecycles)
