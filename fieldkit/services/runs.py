"""Running a checklist against a target: the steps, live logic, durable answers, submit.

A run is flattened into steps: one per item, and for a section with ``repeat`` one per item
per matching asset ("extinguisher 3 of 18"). Visibility (``show_if`` of the section and the
item) and ``required_if`` are evaluated with the DSL's own evaluator on every call, so they
follow the answers live; inside a repeated section an expression sees the answers of the
same pass. Every answer, note, photo and the current position are written durably before the
call returns, so a killed app resumes at the same step with every answer there.
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fieldkit.checklists.definition import Checklist, Item, OnFail, Section
from fieldkit.checklists.expressions import evaluate
from fieldkit.model.ids import new_id
from fieldkit.services.types import Target

if TYPE_CHECKING:
    from fieldkit.services.workspace import Workspace

CHECK_VALUES = ("pass", "fail", "na")
PHOTO_SUFFIXES = (".jpg", ".jpeg", ".png", ".heic", ".webp")


class RunError(ValueError):
    """An answer that is refused; ``key`` is the i18n message."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


@dataclass(frozen=True)
class Step:
    key: str
    item: Item
    section: Section
    asset: Target | None = None
    pass_no: int = 0  # 1-based within a repeated section, 0 otherwise
    pass_count: int = 0


@dataclass
class ProposedCase:
    """A case the submit will raise; the patroller may change the routing first."""

    step_key: str
    title: dict[str, str]
    target: Target
    department: str
    severity: str
    due: str


def _fmt(value: float) -> str:
    return f"{value:g}"


class Run:
    def __init__(
        self, ws: Workspace, record: dict[str, Any], checklist: Checklist, target: Target
    ) -> None:
        self.ws = ws
        self.record = record
        self.checklist = checklist
        self.target = target
        self.all_steps = self._expand()
        self._by_key = {s.key: s for s in self.all_steps}
        self._lock = threading.RLock()

    # -- structure -----------------------------------------------------------------------

    def _expand(self) -> list[Step]:
        steps: list[Step] = []
        for section in self.checklist.sections:
            if section.repeat is None:
                steps.extend(Step(item.id, item, section) for item in section.items)
                continue
            assets = [a for a in self.ws.assets_of(self.target) if section.repeat.matches(a[1])]
            for n, (asset, _) in enumerate(assets, 1):
                for item in section.items:
                    key = f"{section.id}[{asset.code}].{item.id}"
                    steps.append(Step(key, item, section, asset, n, len(assets)))
        return steps

    @property
    def id(self) -> str:
        return self.record["id"]

    @property
    def answers(self) -> dict[str, dict[str, Any]]:
        return self.record["answers"]

    @property
    def submitted(self) -> bool:
        return self.record["status"] == "submitted"

    def step(self, key: str) -> Step:
        return self._by_key[key]

    # -- logic ---------------------------------------------------------------------------

    def _lookup(self, step: Step):
        prefix = f"{step.section.id}[{step.asset.code}]." if step.asset else ""
        repeated = {i.id for i in step.section.items} if step.asset else set()

        def lookup(item_id: str) -> Any:
            key = prefix + item_id if item_id in repeated else item_id
            answer = self.answers.get(key)
            return None if answer is None else answer.get("value")

        return lookup

    def visible(self, step: Step) -> bool:
        lookup = self._lookup(step)
        if step.section.show_if and not evaluate(step.section.show_if.tree, lookup):
            return False
        return not (step.item.show_if and not evaluate(step.item.show_if.tree, lookup))

    def steps(self) -> list[Step]:
        """The steps to ask now (hidden ones left out), in order."""
        return [s for s in self.all_steps if self.visible(s)]

    def required(self, step: Step) -> bool:
        if step.item.required:
            return True
        cond = step.item.required_if
        return bool(cond and evaluate(cond.tree, self._lookup(step)))

    def value(self, step: Step) -> Any:
        answer = self.answers.get(step.key)
        return None if answer is None else answer.get("value")

    def failure(self, step: Step) -> OnFail | bool | None:
        """The routing of a failed step (``None`` if it has no on_fail), or False if not failed."""
        item, value = step.item, self.value(step)
        if value is None:
            return False
        if item.type == "check":
            return item.on_fail if value == "fail" else False
        if item.type == "number" and item.expect is not None:
            low, high = item.expect
            out = (low is not None and value < low) or (high is not None and value > high)
            return item.on_fail if out else False
        if item.type in ("choice", "multi"):
            chosen = value if isinstance(value, list) else [value]
            for option_id in chosen:
                option = item.option(option_id)
                if option is not None and option.fails:
                    return option.on_fail or item.on_fail
        return False

    def missing(self) -> list[Step]:
        return [s for s in self.steps() if self.required(s) and self.value(s) is None]

    def failures(self) -> list[Step]:
        return [s for s in self.steps() if self.failure(s) is not False]

    def proposed_cases(self) -> list[ProposedCase]:
        out = []
        for step in self.failures():
            route = self.failure(step)
            assert route is not False
            title = {
                lang: f"{step.item.label.get(lang)}"
                + (f" ({step.asset.code})" if step.asset else "")
                for lang in ("zh", "en")
            }
            out.append(
                ProposedCase(
                    step_key=step.key,
                    title=title,
                    target=step.asset or self.target,
                    department=route.department if route else "engineering",
                    severity=route.severity if route else "major",
                    due=route.due_text if route else "24h",
                )
            )
        return out

    # -- answering -----------------------------------------------------------------------

    def _check_open(self) -> None:
        if self.submitted:
            raise RunError("services.run.submitted")

    def parse(self, step: Step, raw: Any) -> Any:
        """The stored value for ``raw`` input, or RunError saying why it is refused."""
        item = step.item
        if item.type == "check":
            if raw not in CHECK_VALUES:
                raise RunError("services.run.bad_check")
            return raw
        if item.type == "number":
            try:
                number = float(str(raw).strip().replace(",", "."))
            except ValueError:
                raise RunError("services.run.not_a_number", value=str(raw)) from None
            if not math.isfinite(number):
                raise RunError("services.run.not_a_number", value=str(raw))
            if item.range is not None:
                low, high = item.range
                if (low is not None and number < low) or (high is not None and number > high):
                    raise RunError(
                        "services.run.out_of_range",
                        value=_fmt(number),
                        low=_fmt(low) if low is not None else "−∞",
                        high=_fmt(high) if high is not None else "∞",
                        unit=item.unit or "",
                    )
            return number
        if item.type == "choice":
            if item.option(str(raw)) is None:
                raise RunError("services.run.bad_option")
            return str(raw)
        if item.type == "multi":
            chosen = list(raw) if isinstance(raw, list | tuple) else [raw]
            if not chosen or any(item.option(str(o)) is None for o in chosen):
                raise RunError("services.run.bad_option")
            return [str(o) for o in chosen]
        if item.type == "date":
            text = str(raw).strip()
            try:
                time.strptime(text, "%Y-%m-%d")
            except ValueError:
                raise RunError("services.run.bad_date", value=text) from None
            return text
        if item.type == "photo":
            path = Path(str(raw)).expanduser()
            if not path.is_file():
                raise RunError("services.run.no_photo", path=str(path))
            return str(path.resolve())
        text = str(raw).strip()
        if not text:
            raise RunError("services.run.empty")
        return text

    def answer(self, key: str, raw: Any) -> Any:
        """Validate and save one answer durably; return the stored value."""
        self._check_open()
        step = self.step(key)
        value = self.parse(step, raw)
        entry = {**self.answers.get(key, {}), "value": value, "at": time.time()}
        self._save({**self.answers, key: entry}, position=key)
        return value

    def clear(self, key: str) -> None:
        self._check_open()
        answers = dict(self.answers)
        entry = dict(answers.get(key, {}))
        entry.pop("value", None)
        if entry.get("note"):
            answers[key] = entry
        else:
            answers.pop(key, None)
        self._save(answers, position=key)

    def note(self, key: str, text: str) -> None:
        self._check_open()
        entry = {**self.answers.get(key, {}), "note": text.strip(), "at": time.time()}
        self._save({**self.answers, key: entry}, position=key)

    def move_to(self, key: str) -> None:
        """Remember the step in focus (so a restart resumes there)."""
        if not self.submitted and self.record.get("position") != key:
            self._save(self.answers, position=key)

    def _save(self, answers: dict[str, Any], position: str) -> None:
        record = {**self.record, "answers": answers, "position": position, "updated": time.time()}
        self.ws.save_inspection(record)
        self.record = record

    def locked(self):
        """Held by the UI's worker threads around each call, so saves never interleave."""
        return self._lock

    # -- submit --------------------------------------------------------------------------

    def submit(self, cases: list[ProposedCase]) -> list[str]:
        """Make the inspection immutable and raise the cases, in one durable write."""
        self._check_open()
        if self.missing():
            raise RunError("services.run.missing", count=len(self.missing()))
        now = time.time()
        made = [
            self.ws.new_case(
                title=c.title,
                target=c.target,
                department=c.department,
                severity=c.severity,
                due_in=c.due,
                inspection_id=self.id,
                item_key=c.step_key,
                now=now,
            )
            for c in cases
        ]
        for offset, case in enumerate(made):
            case["number"] += offset
        record = {
            **self.record,
            "status": "submitted",
            "submitted": now,
            "updated": now,
            "cases": [c["id"] for c in made],
        }
        self.ws.save_cases(made, extra=[("inspection", record["id"], record)])
        self.record = record
        return record["cases"]


def new_record(checklist: Checklist, target: Target) -> dict[str, Any]:
    now = time.time()
    return {
        "id": new_id(),
        "checklist_id": checklist.id,
        "checklist_version": checklist.version,
        "checklist_hash": checklist.content_hash,
        "target_id": target.id,
        "status": "draft",
        "answers": {},
        "position": None,
        "started": now,
        "updated": now,
        "submitted": None,
        "cases": [],
    }


def newest_photo(folder: Path) -> Path | None:
    """The most recently modified picture in ``folder`` (a camera app's save folder)."""
    try:
        pictures = [
            p for p in folder.iterdir() if p.suffix.lower() in PHOTO_SUFFIXES and p.is_file()
        ]
    except OSError:
        return None
    return max(pictures, key=lambda p: p.stat().st_mtime, default=None)
