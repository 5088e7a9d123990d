"""A device's handover holds the work of its own post (nc29: a patroller's handover listed
the service desk's complaints and repairs among "本班已办事项"), and names the compound by
its name (a missed duty-log slot read "CH 漏检：…")."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime

import pytest

from fieldkit.model import Target
from fieldkit.services.cases import iso
from fieldkit.services.demo import generate
from fieldkit.services.handover import handover, render
from fieldkit.services.workspace import Workspace


@pytest.fixture
def ws(tmp_path):
    generate(tmp_path / "c", cases=40, floors=2)
    opened = Workspace.open(tmp_path / "c")
    yield opened
    opened.close()


def _numbers(text: str) -> set[str]:
    return set(re.findall(r"#([0-9a-f]{6})", text))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_patrollers_handover_holds_the_patrols_cases_only(ws, lang):
    now = datetime.now(UTC)
    everyone = render(handover(ws.store, now, lang=lang), "text", lang)
    patrol = render(handover(ws.store, now, lang=lang, role="patrol"), "text", lang)
    kinds = {str(doc["id"])[-6:]: doc.get("kind") for _, doc in ws.store.iter_records(["case"])}
    desk = {n for n in _numbers(everyone) if kinds.get(n) in ("repair", "complaint", "dispute")}
    assert desk, "the demo's handover for every post lists some of the desk's cases"
    assert not desk & _numbers(patrol)
    assert {n for n in _numbers(patrol) if kinds.get(n) == "finding"}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_case_on_the_compound_is_named_by_its_name(ws, lang):
    site = ws.store.reference("site")[0]
    ws.store.create_case(
        "finding", Target("site", site.id), by="张伟", title="漏检：消防控制室值班记录",
        severity="major", department="security", due=iso(time.time() - 600),
        extra={"where": site.code},
    )  # fmt: skip
    text = render(handover(ws.store, lang=lang, role="patrol"), "text", lang)
    (line,) = [ln for ln in text.splitlines() if "漏检" in ln and "#" in ln][:1]
    name = {"zh": "翠湖苑", "en": "Cuihu Garden"}[lang]
    assert f" {name} 漏检" in line and f" {site.code} " not in line, line


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_rounds_submitted_in_the_shift_are_handed_over(ws, lang):
    """nc27: four fire rounds in a night shift, and the handover's only rounds section
    counted the security patrol's walks: "本班巡更（0 次）"."""
    from fieldkit.i18n import t
    from fieldkit.model import ChecklistRef
    from fieldkit.model import Target as ModelTarget

    doors = "fire.doors_evacuation.daily"
    building = next(d.target for d in ws.due(time.time(), 100) if d.checklist_id == doors)
    ref = ws.checklists()[doors].ref
    run = ws.store.create_inspection(
        ChecklistRef(ref.id, ref.version, ref.content_hash),
        ModelTarget(building.kind, building.id),
    )
    ws.store.submit_inspection(run.id)
    text = render(handover(ws.store, lang=lang, role="patrol", ws=ws), "text", lang)
    head = t("trends.handover.checks", lang, count=1)
    assert head in text
    listed = text.split(head, 1)[1].split("\n\n", 1)[0]
    title = ws.checklist(doors).title.get(lang)
    normal = t("ui.home.done_normal", lang)
    assert f"{title} — {building.label(lang)} · {normal}" in listed, listed
    without = render(handover(ws.store, lang=lang, role="patrol"), "text", lang)
    assert head not in without  # a caller without the workspace: the cases only


def test_a_round_done_twice_in_the_shift_is_handed_over_twice(ws):
    """nc30 filled the duty log in twice; the handover kept the last, and the first (the one
    noting a false alarm) was gone from it."""
    from fieldkit.i18n import t
    from fieldkit.model import ChecklistRef
    from fieldkit.model import Target as ModelTarget

    doors = "fire.doors_evacuation.daily"
    building = next(d.target for d in ws.due(time.time(), 100) if d.checklist_id == doors)
    ref = ws.checklists()[doors].ref
    for _ in range(2):
        run = ws.store.create_inspection(
            ChecklistRef(ref.id, ref.version, ref.content_hash),
            ModelTarget(building.kind, building.id),
        )
        ws.store.submit_inspection(run.id)
    text = render(handover(ws.store, lang="zh", role="patrol", ws=ws), "text", "zh")
    assert t("trends.handover.checks", "zh", count=2) in text, text


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_rounds_due_next_are_handed_over_to_the_patrol(ws, lang):
    """nc30: the guard taking over had to go back to the home for the rounds late or due;
    the desk's handover has none (rounds are not its work)."""
    from fieldkit.i18n import t

    patrol = handover(ws.store, lang=lang, role="patrol", ws=ws)
    due = {(c.title, c.where) for c in patrol.next_checks}
    doors = ws.checklist("fire.doors_evacuation.daily").title.get(lang)
    assert any(title == doors for title, _ in due), due
    text = render(patrol, "text", lang)
    assert t("trends.handover.next_checks", lang, count=len(patrol.next_checks)) in text
    assert not handover(ws.store, lang=lang, role="desk", ws=ws).next_checks


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_each_post_reads_its_own_sections(ws, lang):
    """A guard's handover has no call-backs owed (the desk's work; nc30 read an empty
    待回访 section), the desk's none of the rounds submitted or due."""
    from fieldkit.i18n import t

    def heads(role: str) -> set[str]:
        text = render(handover(ws.store, lang=lang, role=role, ws=ws), "text", lang)
        return {key for key in ("call_backs", "checks", "next_checks")
                if t(f"trends.handover.{key}", lang, count=0).split("（")[0].split(" (")[0]
                in text}  # fmt: skip

    assert heads("patrol") == {"checks", "next_checks"}
    assert heads("desk") == {"call_backs"}
    assert heads("") == {"call_backs", "checks", "next_checks"}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_what_the_guard_wrote_in_a_round_is_handed_over(ws, lang):
    """nc31 noted a false smoke alarm in the duty log; the handover said only 全部正常."""
    from fieldkit.i18n import t

    log = "fire.control_room.duty_log"
    site = next(d.target for d in ws.due(time.time(), 100) if d.checklist_id == log)
    run = ws.start_run(log, site)
    alarm = "00:47 2号楼1单元8层烟感报警，厨房油烟误报，已复位"
    run.answer("events_note", alarm)
    for _ in range(50):
        missing = run.missing()
        if not missing:
            break
        item = missing[0].item
        if item.type == "check":
            run.answer(missing[0].key, "pass")
        elif item.type == "choice":
            run.answer(missing[0].key, item.options[0].id)
        else:
            run.answer(missing[0].key, "赵磊")
    ws.submit_run(run.id, run.proposed_cases())
    checks = handover(ws.store, lang=lang, role="patrol", ws=ws).checks
    (line,) = [c for c in checks if c.title == ws.checklist(log).title.get(lang)]
    assert line.result == t("ui.home.done_normal", lang) + t(
        "trends.handover.noted", lang, notes=alarm
    ), line.result
