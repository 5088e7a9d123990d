"""The deadline a violation carries and the one its notice gives: the inspector's own
"put right by" date where the round has one (the whole of that day), else the checklist's;
one notice, one deadline, and every listed case brought to it; who may act, said in the
device's language."""

from __future__ import annotations

import shutil
import subprocess
import time
from datetime import timedelta

import pytest

from fieldkit.i18n import set_language
from fieldkit.model import localtime
from fieldkit.services import cases as case_rules
from fieldkit.services.registry import RegistryError
from fieldkit.services.renovation import (
    deadline_words,
    end_of_day,
    notice,
    printable,
    reinspect,
    send_notice,
)
from fieldkit.services.runs import RunError
from fieldkit.services.workspace import Workspace
from tests.registry.test_renovation import PATROL, fill


@pytest.fixture
def live(tmp_path):
    from fieldkit.services.demo import generate

    generate(tmp_path / "live", cases=10, floors=3)
    ws = Workspace.open(tmp_path / "live")
    ws.store.set_device_state(role="renovation")
    ws.sign_in("李娜")
    set_language("zh")
    yield ws
    ws.close()
    set_language("zh")


def _raise(ws, tmp_path, fail, by=None):
    unit = ws.lookup_scan("3-2-302").target
    run = ws.start_run(PATROL, unit)
    fill(run, tmp_path, fail=fail, dates={"rectify_by": by} if by else None)
    return unit, [ws.store.get_case(c) for c in run.submit(run.proposed_cases())]


def test_the_inspectors_date_is_every_faults_deadline_its_kind_allows(live, tmp_path):
    """One date typed for a round's faults: each takes it where its kind may have that many
    days; a fault that may not (wiring: 15 at most) gets the most its kind may have (nc32:
    the corridor's debris had the wall's weeks) — never sooner for a later date (nc35)."""
    today = localtime.today()
    by = today + timedelta(days=15)
    _, made = _raise(live, tmp_path, {"load_bearing", "wiring"}, by)
    assert len(made) == 2
    assert {case_rules.epoch(c.due) for c in made} == {end_of_day(by)}
    by = today + timedelta(days=20)
    run = live.start_run(PATROL, live.lookup_scan("3-1-101").target)
    fill(run, tmp_path, fail={"load_bearing", "wiring"}, dates={"rectify_by": by})
    due = {p.evidence["item"]: p.due for p in run.proposed_cases()}
    assert due == {"load_bearing": by.isoformat(), "wiring": (today + timedelta(15)).isoformat()}
    run.submit(run.proposed_cases())  # each within its own kind's bounds


def test_work_that_could_not_be_stopped_is_the_sites_finding_not_the_owners(live, tmp_path):
    """The owner's faults take the inspector's date; work that could not be stopped is a
    patrol finding for security on its own 30 minutes, and no line of the owner's notice."""
    by = localtime.today() + timedelta(days=20)
    before = time.time()
    _, made = _raise(live, tmp_path, {"load_bearing", "work_stopped"}, by)
    kinds = {c.kind: c for c in made}
    assert set(kinds) == {"violation", "finding"}
    assert case_rules.epoch(kinds["violation"].due) == end_of_day(by)
    stopped = kinds["finding"]
    assert stopped.department == "security" and stopped.severity == "critical"
    assert round((case_rules.epoch(stopped.due) - before) / 60) == 30
    text = notice(live, [kinds["violation"].id])
    assert "未能制止" not in text["zh"] and "could not be stopped" not in text["en"]


def test_a_past_date_is_refused_and_nothing_saved(live):
    unit = live.lookup_scan("3-2-302").target
    run = live.start_run(PATROL, unit)
    step = run.step("rectify_by")
    with pytest.raises(RunError) as refused:
        run.parse(step, (localtime.today() - timedelta(days=1)).isoformat())
    assert refused.value.key == "renovation.refused.past_deadline"
    assert "rectify_by" not in run.inspection.answers


def test_a_notice_gives_each_fault_its_own_deadline(live, tmp_path):
    """Faults with one deadline: one sentence names it. Faults with different ones (debris
    today, a wall in weeks): each deadline stands under its fault, the earliest first, and
    sending the notice keeps every case's own (it once moved all to the earliest, nc32)."""
    by = localtime.today() + timedelta(days=15)
    _, made = _raise(live, tmp_path, {"load_bearing", "wiring"}, by)
    ids = [c.id for c in made]
    text = notice(live, ids)
    for lang in ("zh", "en"):
        assert text[lang].count(deadline_words(end_of_day(by), lang)) == 1
    assert "请于 " in text["zh"] and "各项的整改期限" not in text["zh"]
    earlier = end_of_day(by - timedelta(days=2))  # the office moved one of them sooner
    wiring = next(c for c in made if c.extra["finding"]["item"] == "wiring")
    live.store.update_case(wiring.id, due=case_rules.iso(earlier))
    text = notice(live, ids)
    zh, en = text["zh"], text["en"]
    assert f"整改期限：{deadline_words(earlier, 'zh')}" in zh
    assert f"整改期限：{deadline_words(end_of_day(by), 'zh')}" in zh
    assert zh.index(deadline_words(earlier, "zh")) < zh.index(deadline_words(end_of_day(by), "zh"))
    assert zh.index("电线") < zh.index("承重")  # the earlier deadline's fault first
    assert "请在上述各项的整改期限内按要求整改完毕" in zh and "请于 " not in zh
    assert f"To be put right by: {deadline_words(earlier, 'en')}" in en
    assert "by its own deadline" in en
    path = send_notice(live, ids)
    for lang in ("zh", "en"):  # a page to print in each language, the same words (nc33)
        page = printable(path, lang)
        assert page.read_bytes().startswith(b"%PDF")
        if shutil.which("pdftotext"):
            words = subprocess.run(["pdftotext", str(page), "-"], capture_output=True,
                                   text=True, check=True, timeout=60).stdout  # fmt: skip
            flat = "".join(words.split())
            said = {"zh": (f"整改期限：{deadline_words(earlier, 'zh')}", "签收日期"),
                    "en": ("RECTIFICATION NOTICE", "To be put right by:")}[lang]  # fmt: skip
            assert all("".join(x.split()) in flat for x in said), words
    after = {i: live.store.get_case(i) for i in ids}
    assert case_rules.epoch(after[wiring.id].due) == earlier
    assert {case_rules.epoch(c.due) for c in after.values()} == {earlier, end_of_day(by)}
    assert all(c.status == "assigned" for c in after.values())
    assert not any(e.type == "note" for c in after.values() for e in c.events)


def test_the_notice_says_the_deadline_as_an_owner_cannot_misread_it(live, tmp_path):
    """The inspector's day, its weekday, and 24:00: the case's own due (its day's end)."""
    by = localtime.today() + timedelta(days=10)
    _, made = _raise(live, tmp_path, {"outer_face"}, by)
    text = notice(live, [made[0].id])
    weekday_zh = "一二三四五六日"[by.weekday()]
    zh = f"请于 {by.year}年{by.month}月{by.day}日（星期{weekday_zh}）24:00 前"
    zh += "按上述要求将该问题整改完毕"  # one fault: 该, not 以上
    assert zh in text["zh"]
    en = "Please put this right as set out above by 24:00 (midnight) on "
    en += f"{by:%A} {by.day} {by:%B} {by.year}."
    assert en in text["en"].replace("\n", " ")  # one fault: "this", not "these"
    case = live.store.get_case(made[0].id)
    assert case_rules.epoch(case.due) == end_of_day(by)
    from fieldkit.services.renovation import deadline_text

    assert deadline_text(end_of_day(by)) == f"{by.isoformat()} 24:00"  # the card, the case


def test_a_fault_is_escalated_only_once_the_owner_s_deadline_has_passed(live, tmp_path):
    """The notice gives the owner until 24:00 of the deadline day; "not put right" before
    then is refused, saying so, and changes nothing."""
    by = localtime.today() + timedelta(days=10)
    _, made = _raise(live, tmp_path, {"outer_face"}, by)
    for before in (end_of_day(by) - 14 * 3600, end_of_day(by) - 60):  # 10:00, 23:59 that day
        with pytest.raises(RegistryError) as refused:
            reinspect(live, made[0].id, rectified=False, now=before)
        assert refused.value.key == "registry.renovation.before_deadline"
        assert f"{by.isoformat()} 24:00" in refused.value.message()
    case = live.store.get_case(made[0].id)
    assert case.severity != "critical" and case_rules.epoch(case.due) == end_of_day(by)
    result = reinspect(live, made[0].id, rectified=False, now=end_of_day(by) + 9 * 3600)
    assert result.status == "escalated"  # 09:00 the next morning
    # the outer face restored to the approved drawings: again the 7 days it needs (nc32)
    assert result.due == end_of_day(by + timedelta(days=1 + 7))
    case = live.store.get_case(made[0].id)
    assert case.severity == "critical" and case.events[-1].by == "李娜"
    photo = tmp_path / "restored.jpg"
    photo.write_bytes(b"\xff\xd8\xff restored")
    closed = reinspect(live, made[0].id, rectified=True, note="已恢复", photo=str(photo))
    assert closed.status == "closed"


@pytest.mark.parametrize(
    ("lang", "words"),
    [("zh", ["装修巡查岗", "办公室", "本设备是巡逻岗"]),
     ("en", ["renovation", "office", "this is a patrol device"])],
)  # fmt: skip
def test_a_patrol_device_is_told_who_may(live, tmp_path, lang, words):
    _, made = _raise(live, tmp_path, {"outer_face"}, localtime.today() + timedelta(days=10))
    live.store.set_device_state(role="patrol")
    set_language(lang)
    for call in (
        lambda: reinspect(live, made[0].id, rectified=True),
        lambda: reinspect(live, made[0].id, rectified=False, now=time.time() + 9 * 86400),
        lambda: send_notice(live, [made[0].id]),
    ):
        with pytest.raises(RegistryError) as refused:
            call()
        message = refused.value.message()
        assert all(w in message for w in words), message
        assert "patrol 岗位" not in message and "{" not in message
    assert live.store.get_case(made[0].id).status == "open"
    assert not (live.data_dir / "notices").exists()


def test_the_notice_says_what_the_inspector_saw(live, tmp_path):
    """The inspector's note on a failed item is a line under its fault on the owner's
    notice, in both parts, quoted as written and labelled so."""
    unit = live.lookup_scan("3-2-302").target
    run = live.start_run(PATROL, unit)
    by = localtime.today() + timedelta(days=20)
    fill(run, tmp_path, fail={"load_bearing", "wiring"}, dates={"rectify_by": by})
    seen = "客厅与主卧之间承重墙被凿开约1米宽门洞，已露钢筋"
    run.note(run.step("load_bearing").key, seen)
    made = [live.store.get_case(c) for c in run.submit(run.proposed_cases())]
    text = notice(live, [c.id for c in made if c.kind == "violation"])
    assert f"现场记录（原文）：{seen}" in text["zh"]
    assert f"Noted on site (as written): {seen}" in text["en"]
    assert text["zh"].count("现场记录（原文）：") == 1  # the wiring had no note: no empty line


def test_work_stopped_on_the_spot_is_the_violations_state_not_a_pass(live, tmp_path):
    """ "Stopped on the spot" reads so, never 合格: each violation of the round keeps it as
    its state on the case, the notice says the work stays stopped, and no case is raised
    for it; the inspector's answer reads 已当场制止 / Stopped on the spot."""
    from fieldkit.checklists.wording import answer_words
    from fieldkit.services import findings

    by = localtime.today() + timedelta(days=20)
    unit = live.lookup_scan("3-2-302").target
    run = live.start_run(PATROL, unit)
    fill(run, tmp_path, fail={"load_bearing", "wiring"}, dates={"rectify_by": by})
    step = run.step("work_stopped")
    assert run.value(step) == "stopped"
    said = {lang: answer_words(step.item, "stopped", lang) for lang in ("zh", "en")}
    assert said == {"zh": "已当场制止", "en": "Stopped on the spot"}
    made = [live.store.get_case(c) for c in run.submit(run.proposed_cases())]
    assert {c.kind for c in made} == {"violation"} and len(made) == 2
    for case in made:
        seen = findings.view(live.store, case.id)
        assert (({"zh": "违规施工是否已当场制止", "en": "Was the violating work stopped?"},
                 {"zh": "已当场制止", "en": "Stopped on the spot"}) in seen.remarks)  # fmt: skip
    text = notice(live, [c.id for c in made])
    assert text["zh"].count("巡查时已当场制止该项施工") == 2
    assert text["en"].count("this work was stopped at the inspection") == 2
    assert "合格" not in text["zh"].replace("不合格", "")


def test_work_that_would_not_stop_is_securitys_finding_in_words(live, tmp_path):
    by = localtime.today() + timedelta(days=20)
    _, made = _raise(live, tmp_path, {"load_bearing", "work_stopped"}, by)
    stopped = next(c for c in made if c.kind == "finding")
    assert stopped.extra["titles"] == {
        "zh": "违规施工未能制止：劝阻无效",
        "en": "Violating work not stopped: they would not stop",
    }
    violation = next(c for c in made if c.kind == "violation")
    assert "巡查时已当场制止" not in notice(live, [violation.id])["zh"]


@pytest.mark.parametrize(
    ("lang", "soon", "late"),
    [("zh", ["太早了", "住建部门审批", "至少要给 15 天"], ["太晚了", "最多给 60 天"]),
     ("en", ["too soon", "housing authority", "at least 15 days"],
      ["too late", "at most 60 days"])],
)  # fmt: skip
def test_the_deadline_is_bounded_by_the_violations_kind(live, tmp_path, lang, soon, late):
    """Three days to put right a load-bearing wall that needs 住建 approval is refused,
    saying why and from which date; so is a deadline beyond its most; nothing is saved."""
    set_language(lang)
    unit = live.lookup_scan("3-2-302").target
    run = live.start_run(PATROL, unit)
    fill(run, tmp_path, fail={"load_bearing"})
    step = run.step("rectify_by")
    today = localtime.today()
    for days, words in ((3, soon), (61, late)):
        with pytest.raises(RunError) as refused:
            run.parse(step, (today + timedelta(days=days)).isoformat())
        message = refused.value.message()
        assert all(w in message for w in words), message
    said = (today + timedelta(days=15)).isoformat()
    assert said in message.replace(str(today + timedelta(days=60)), said) and "{" not in message
    assert run.parse(step, (today + timedelta(days=15)).isoformat())  # the fewest will do


def test_the_deadline_offered_is_the_kinds(live, tmp_path):
    """The box offers a load-bearing wall 30 days (15 to 60), debris in the corridor today
    (today or tomorrow), and a round with both the more demanding one — never the 4 hours
    the checklist gives engineering to come and look; the debris still has a day at most."""
    today = localtime.today()

    def day(n):
        return (today + timedelta(days=n)).isoformat()

    for fail, (first, last, offered) in (({"load_bearing"}, (15, 60, 30)),
                                         ({"debris"}, (0, 1, 0)),
                                         ({"wiring", "debris"}, (3, 15, 7))):  # fmt: skip
        unit = live.lookup_scan("3-2-302").target
        run = live.start_run(PATROL, unit)
        fill(run, tmp_path, fail=fail)
        assert run.deadline_range(run.step("rectify_by")) == (day(first), day(last), day(offered))
        made = [live.store.get_case(c) for c in run.submit(run.proposed_cases())]
        # debris found again while the second round's is open goes on that case, which
        # keeps its own deadline (test_renovation_found_again): only this round's are new
        dues = {c.extra["finding"]["item"]: case_rules.epoch(c.due) for c in made
                if c.kind == "violation" and c.source_inspection == run.id}  # fmt: skip
        for item, due in dues.items():  # debris in a round with wiring: its most, a day
            own = min(offered, 1) if item == "debris" else offered
            assert due == end_of_day(today + timedelta(days=own)), (fail, item)
    assert run.deadline_range(run.step("note")) is None


def test_a_due_changed_on_the_review_is_held_to_the_same_bounds(live, tmp_path):
    unit = live.lookup_scan("3-2-302").target
    run = live.start_run(PATROL, unit)
    fill(run, tmp_path, fail={"load_bearing"}, dates={"rectify_by": localtime.today()
                                                      + timedelta(days=20)})  # fmt: skip
    cases = run.proposed_cases()
    cases[0].due = "24h"  # u on the review
    with pytest.raises(RunError) as refused:
        run.submit(cases)
    assert refused.value.key == "renovation.refused.deadline_too_soon"
    assert not run.submitted and live.store.open_cases(unit.id) == []


def test_an_escalation_gives_again_the_days_the_fault_needs():
    """Not put right by its deadline: two more days for what can be done at once, the
    fewest days its kind needs for the rest (nc32: a load-bearing wall got two)."""
    from types import SimpleNamespace

    from fieldkit.services.renovation import ESCALATION_DAYS, escalation_days

    def case(item: str | None):
        return SimpleNamespace(extra={"finding": {"item": item}} if item else {})

    assert escalation_days(case("debris")) == ESCALATION_DAYS == 2
    assert escalation_days(case("load_bearing")) == 15
    assert escalation_days(case("activities")) == 3  # work beyond the permit
    assert escalation_days(case(None)) == ESCALATION_DAYS


def test_a_round_whose_permit_ends_soon_can_still_be_submitted(live, tmp_path):
    """A review found it (the per-fault check, first version): a wall and wiring, the permit
    ending in five days — the box allows only the wall's fifteen (extend the permit), and
    the wiring, given that date, was refused as after the permit. Each fault's date is held
    within its own bounds: the wiring by the permit's last day, the wall its fifteen."""
    today = localtime.today()
    run = live.start_run(PATROL, live.lookup_scan("3-1-101").target)
    run.permit_end = today + timedelta(days=5)
    fill(run, tmp_path, fail={"load_bearing", "wiring"})
    assert run.value(run.step("rectify_by")) == (today + timedelta(days=15)).isoformat()
    due = {p.evidence["item"]: p.due for p in run.proposed_cases()}
    assert due == {"load_bearing": (today + timedelta(days=15)).isoformat(),
                   "wiring": (today + timedelta(days=5)).isoformat()}  # fmt: skip
    assert len(run.submit(run.proposed_cases())) == 2
