"""The renovation inspector's journey on the demo, in a real terminal (tmux, 120x40), in zh
and en, on a laptop whose clock is set to UTC (the compound is on China time).

Li Qiang (装修巡查岗 李强) finds his work on his home: the flats under renovation, and
`/ 装修` finds them too. At 3-2-202 he runs the site patrol: a bearing wall, the outer face,
the wiring and debris in the corridor fail, with two photos; the work could not be stopped
(劝阻无效: security's finding, not the owner's). The deadline box offers the usual 30 days
for a bearing wall and says the dates allowed; today is refused (a bearing-wall repair
needs 住建 approval first, at least 15 days), so he gives the fewest; the box says the
debris may have no more than 3 days and is to be cleared today. The card lists the debris
to 24:00 tomorrow, the three others to 24:00 that day; ↑ ↓ move the ▶ mark. The notice he
writes names him and his phone, each fault with how to put it right and its own deadline an
owner cannot misread, the earliest first, and lines for the seal and the owner's signature,
each half in its language. Re-inspection: y on the debris asks first and keeps his note,
which shows under the last inspections; x on the wall before its deadline is refused (the
owner still has time). The acceptance, started while violations
are open, is warned about; its review says why it cannot pass and refuses returning the
deposit; a deduction larger than the deposit is refused; held back with a reason and a
re-inspection date, the card says so."""

from __future__ import annotations

import re
import shutil
import time
from datetime import datetime, timedelta, timezone

import pytest

from fieldkit.services import cases as case_rules
from fieldkit.services import demo_office as demo
from fieldkit.services import renovation
from fieldkit.services.workspace import Workspace
from fieldkit.store import Store
from tests.journeys.demo_pane import (
    answer,
    answer_typed,
    demo_pane,
    in_runner,
    lines_with,
    start_on_card,
    wait_counted,
)

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

FLAT = "3-2-202"  # flat 02 on the top floor of building 3 entrance 2: a permit in force
CHINA = timezone(timedelta(hours=8))
PHONE = demo.PHONES["renovation"]
FAULTS = {
    "zh": ("擅自改动承重墙、柱、梁或楼板", "擅自改动外立面、外窗或阳台结构",
           "电线未穿管或未按图施工", "装修垃圾未按规定存放：堆在走道、楼梯间或电梯厅"),
    "en": ("Load-bearing walls, columns, beams or slabs altered",
           "Outer face, windows or balcony altered without approval",
           "Wiring not in conduit, or not as drawn",
           "Debris not kept as required: left in corridor, stairs or lift lobby"),
}  # fmt: skip
WORDS = {
    "zh": {
        "title": "fieldkit 演示 — 装修巡查岗 · 李强", "home": "装修中的房屋",
        "find": "扫描标签，或输入编号、名称或工单号", "renovating": "装修", "permit": "装修许可 ZX",
        "none_open": "没有未整改的违规。", "patrol": "装修现场巡查",
        "photo_path": "照片文件的路径", "photo_saved": "照片已保存", "no_photo": "处没有照片",
        "complete": "必答项已全部填写。", "fix_by": "整改期限 {day} 24:00",
        "stopped": "违规施工未能制止：劝阻无效", "stopped_due": "30 分钟内",
        "refused_now": "现在：劝阻无效，仍在违规施工",
        "range": "整改期限可填 {first} 至 {last}",
        "too_soon": ("太早了", "住建", "15 天"),  # a pop-up: short parts, whatever the wrap
        "violations": "未整改的违规", "next_section": "最近检查", "others": "其他未完结工单",
        "notice_sent": "整改通知已保存到", "remedy": "整改要求：", "notice_by": "最晚一项",
        "deadline": "整改期限：{y}年{m}月{d}日（{weekday}）24:00 前",
        "each": "请在上述各项的整改期限内按要求整改完毕",
        "own": ("最多给 1 天", "此项须在 {day} 24:00"),
        "cleared": "走道垃圾已清运",
        "signed": ("检查人：李强", f"联系电话：{PHONE}", "（盖章）", "业主（或施工负责人）签收"),
        "ask_put_right": "已整改并结案",
        "closed": "已结案：复查已整改",
        "note": "墙体已恢复，业主出示了加固方案", "reinspected": "已整改 — ",
        "not_yet": ("还没到整改期限", "业主仍可整改"),
        "warn": "还有3项违规未整改（", "acceptance": "装修完工验收",
        "too_much": "超过了所收押金", "cannot_pass": "验收不能通过：还有3项违规未整改",
        "refused": "押金暂不能退还", "submit": "提交验收结果",
        "reason": "违规未整改，走道墙面待修补",
        "card": ("验收（", "：未通过 — 还有3项违规未整改",
                 "押金暂不退还（原因：违规未整改，走道墙面待修补）",
                 "复查日期 {back_on}"),
        "owner": "黄先生", "inspector": "李强", "hold": "暂不退还，待整改复查",
        "weekdays": ["星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日"],
    },
    "en": {
        "title": "fieldkit demo — Renovation inspector · Li Qiang",
        "home": "Flats under renovation", "find": "scan the label", "renovating": "renovation",
        "permit": "Permit ZX", "none_open": "No open violations.",
        "patrol": "Renovation site patrol", "photo_path": "Path of the photo file",
        "photo_saved": "Photo saved", "no_photo": "There is no photo at",
        "complete": "Every required item is answered.",
        "fix_by": "fix by {day} 24:00", "stopped": "Violating work not stopped: they would",
        "refused_now": "now: work going on against the inspector's word",
        "range": "the deadline may be {first} to {last}",
        "too_soon": ("too soon", "housing", "least 15"),
        "stopped_due": "in 30 min", "violations": "Open violations",
        "next_section": "Last inspections", "others": "Other unfinished cases",
        "notice_sent": "Rectification notice written to", "remedy": "To put it right: ",
        "notice_by": "the last",
        "deadline": "To be put right by: 24:00 (midnight) on {weekday} {d} {month} {y}",
        "each": "by its own deadline",
        "own": ("no more than 1 day", "put right by {day} all the same"),
        "cleared": "Corridor debris cleared",
        "signed": ("Inspected by: Li Qiang", f"Phone: {PHONE}", "(seal)",
                   "Received by the owner (or the foreman)"),
        "ask_put_right": "record it as put right",
        "closed": "closed: put right.",
        "note": "Wall restored, strengthening plan shown", "reinspected": "put right — ",
        "not_yet": ("The owner still has until", "cannot be marked"),
        "warn": "still has 3 open violations (", "acceptance": "Renovation acceptance",
        "too_much": "more than the deposit held",
        "cannot_pass": "This acceptance cannot pass: 3 violations still open",
        "refused": "the deposit cannot be returned yet", "submit": "submit the acceptance",
        "reason": "Violations still open, corridor wall to repair",
        "card": ("Acceptance (", "not passed — 3 violations still open",
                 "deposit held back (why: Violations still open, corridor wall to repair)",
                 "re-inspection on {back_on}"),
        "owner": "Mr Huang", "inspector": "Li Qiang", "hold": "Hold until re-inspection",
        "weekdays": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
    },
}  # fmt: skip


def violations_shown(screen: str, words: dict) -> list[str]:
    """The lines of the flat card's open violations (between its title and the next)."""
    part = screen.split(words["violations"], 1)[1].split(words["next_section"], 1)[0]
    return [line for line in part.splitlines() if re.search(r"#[0-9a-f]{6}  ", line)]


def wait_violations(pane, words: dict, count: int, each: str = "") -> list[str]:
    """The open violations once the card lists ``count`` of them, each line reading
    ``each`` (a notice still shown over the right of the card hides a line's end until
    it goes, as it does for a person)."""
    end = time.monotonic() + pane.patience
    while time.monotonic() < end:
        screen = pane.text()
        if words["violations"] in screen and words["next_section"] in screen:
            shown = violations_shown(screen, words)
            if len(shown) == count and all(each in line for line in shown):
                return shown
        time.sleep(0.05)
    raise AssertionError(f"never {count} open violations reading {each!r}:\n{pane.text()}")


def wait_marked(pane, words: dict, index: int) -> None:
    """Until the ▶ mark (what y and x act on) is on the ``index``-th violation."""
    end = time.monotonic() + pane.patience
    while time.monotonic() < end:
        shown = violations_shown(pane.text(), words) if words["violations"] in pane.text() else []
        if len(shown) > index and shown[index].lstrip().startswith("▶"):
            return
        time.sleep(0.05)
    raise AssertionError(f"▶ never on violation {index}:\n{pane.text()}")


def wait_joined(pane, parts: tuple[str, ...]) -> str:
    """The screen, its wrapped lines joined again, once it holds every one of ``parts``."""
    end = time.monotonic() + pane.patience
    while time.monotonic() < end:
        joined = " ".join(line.strip() for line in pane.text().splitlines() if line.strip())
        if all(part in joined for part in parts):
            return joined
        time.sleep(0.05)
    raise AssertionError(f"not all of {parts!r}:\n{pane.text()}")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_site_patrol_notice_reinspection_acceptance_and_deposit(tmp_path, make_demo, lang):
    words, faults = WORDS[lang], FAULTS[lang]
    folder = tmp_path / "demo"
    make_demo(folder, cases=5, lang=lang, floors=2)
    photos = [tmp_path / "IMG_0002.jpg", tmp_path / "IMG_0003.jpg"]
    for n, photo in enumerate(photos):
        photo.write_bytes(b"\xff\xd8\xff\xe0 the wall knocked through, view %d" % n)
    today = datetime.now(CHINA).date()  # the compound's day, whatever the laptop's zone
    back_on = today + timedelta(days=3)
    fix_day = today + timedelta(days=15)  # the fewest days a bearing wall may be given
    debris_day = today + timedelta(days=1)  # the most debris in a corridor may be given
    ws = Workspace.open(folder / "renovation")
    permit_end = renovation.permit_last_day(
        ws, "renovation.site_patrol", ws.lookup_scan(FLAT).target
    )
    ws.close()

    with demo_pane(tmp_path, folder, lang, "2", tz="UTC") as pane:
        screen = pane.wait_for(words["title"])
        screen = pane.wait_for(FLAT + "  ")  # his home: the flats under renovation
        assert words["home"] in screen
        assert [line for line in lines_with(screen, FLAT + "  ") if "ZX" in line]  # its permit
        pane.keys("/")
        pane.wait_for(words["find"])
        pane.typed(words["renovating"])  # 装修 finds the flats under renovation
        pane.wait_for(FLAT)
        pane.keys("Escape")
        pane.wait_for(words["home"])
        pane.keys("/")
        pane.wait_for(words["find"])
        pane.typed(FLAT)
        screen = pane.wait_for(words["permit"])  # the flat's card: its permit in force
        assert words["none_open"] in screen
        start_on_card(pane, lang, words["patrol"])  # its checklists, the site patrol first
        answer(pane, lang, "p")  # the permit is posted
        for option in ("8",):  # today: carpentry and painting, as the permit allows
            pane.keys(option)
            pane.wait_for(f"{option}*)")
        assert not any(line.rstrip().endswith("8*)") for line in pane.text().splitlines())
        answer(pane, lang, "Enter")
        answer_typed(pane, lang, "0")  # workers without a pass
        # bearing wall FAIL, outer face FAIL, gas fine, no wet work, wiring FAIL, hours fine,
        # debris left in the corridor, lift and corridor protected
        answer(pane, lang, "f", "f", "p", "n", "f", "p", "4", "p")
        answer_typed(pane, lang, str(photos[0]), ask="a", asked=words["photo_path"])
        pane.wait_for(words["photo_saved"])
        pane.keys("a")  # a second photo of the same: the item stays for it
        pane.wait_for(words["photo_path"])
        pane.typed(str(photos[1]))
        pane.wait_for("2 " + ("张照片" if lang == "zh" else "photos"))
        pane.keys("Enter")
        answer(pane, lang, "2")  # the work could not be stopped: security is sent
        # put right by: the box offers the usual 30 days and says which dates will do
        # the last date: 60 days for a bearing wall, or the permit's last day if sooner
        last = min(today + timedelta(days=60), permit_end).isoformat()
        wait_joined(pane, (words["range"].format(first=fix_day.isoformat(), last=last),))
        wait_joined(pane, tuple(w.format(day=debris_day.isoformat()) for w in words["own"]))
        pane.wait_for((today + timedelta(days=30)).isoformat())
        pane.keys("C-u", "C-k")
        pane.typed(today.isoformat())  # today: too soon for a bearing wall, refused in words
        wait_joined(pane, words["too_soon"])
        pane.keys("C-u", "C-k")
        answer_typed(pane, lang, fix_day.isoformat())
        pane.typed(words["note"][:4])  # a closing note
        screen = pane.wait_for(words["complete"])
        for fault in faults:  # the debris its own day: today (nc32 had it the wall's weeks)
            (line,) = [ln for ln in screen.splitlines() if fault[:20] in ln]
            day = debris_day if fault == faults[-1] else fix_day
            assert line.rstrip().endswith(f"{day.isoformat()} 24:00"), line
        (stopped,) = lines_with(screen, words["stopped"])
        assert fix_day.isoformat() not in stopped  # security's own 30 minutes
        pane.keys("C-s")

        # back on the flat's card: the debris by today's end, first; the others by fix_day's
        shown = wait_violations(pane, words, 4)
        assert words["fix_by"].format(day=debris_day.isoformat()) in shown[0], shown
        assert all(words["fix_by"].format(day=fix_day.isoformat()) in x for x in shown[1:])
        screen = pane.wait_for(words["stopped"])
        assert words["stopped"] in screen.split(words["others"], 1)[1]  # not the owner's
        wait_joined(pane, (words["refused_now"],))  # not "work allowed": security has it
        wait_marked(pane, words, 0)
        pane.keys("Down")  # ↑ ↓ move the mark directly: the card opened on the violations
        wait_marked(pane, words, 1)
        pane.keys("Up")
        wait_marked(pane, words, 0)

        pane.keys("n")
        pane.wait_for(words["notice_sent"])
        pane.wait_for(words["notice_by"])  # its first and last deadlines said
        (notice,) = (folder / "renovation" / "notices").glob("*.txt")
        page = notice.with_name(f"{notice.stem}-{lang}.pdf")  # the page he prints (nc33)
        assert page.read_bytes().startswith(b"%PDF")
        wait_joined(pane, (page.name[-12:],))  # the toast names it
        stamp = datetime.strptime(notice.name.split("-", 1)[1][:15], "%Y%m%d-%H%M%S")
        assert abs(stamp - datetime.now(CHINA).replace(tzinfo=None)) < timedelta(minutes=10)
        written = notice.read_text("utf-8")  # the inspector's language first
        if lang == "zh":
            zh, en = written.split("\n\nRECTIFICATION NOTICE", 1)
        else:
            en, zh = written.split("\n\n整改通知书", 1)
            assert en.startswith("RECTIFICATION NOTICE")
        owner = zh if lang == "zh" else en
        for fault in faults:
            assert fault in owner
        assert owner.count(words["remedy"]) == 4  # each fault, how to put it right
        assert words["stopped"] not in owner  # no line of the owner's notice
        said = [words["deadline"].format(y=day.year, m=day.month, d=day.day, month=f"{day:%B}",
                                         weekday=words["weekdays"][day.weekday()])
                for day in (debris_day, fix_day)]  # fmt: skip
        assert owner.count(said[0]) == 1 and owner.count(said[1]) == 3, owner
        assert owner.index(said[0]) < owner.index(said[1])  # the debris, first
        assert words["each"] in owner
        for line in words["signed"]:
            assert line in owner
        if lang == "en":  # English but for a person's one real name (李强 on any device)
            rest = en.replace(demo.PEOPLE["renovation"]["zh"], "")
            assert not re.search(r"[\u4e00-\u9fff]", rest), en

        pane.keys("y")  # re-inspection of the marked one, the debris: put right, once asked
        pane.wait_for(words["ask_put_right"])
        pane.typed(words["cleared"])
        pane.typed(str(photos[0].with_name("nowhere.jpg")))  # a wrong path: the form stays
        pane.wait_for(words["no_photo"])
        screen = pane.wait_for(words["cleared"])  # what was typed is still there
        pane.keys("C-u")  # a major fault: put right only with a photo of the site now
        pane.typed(str(photos[1]))
        pane.wait_for(words["closed"])
        wait_violations(pane, words, 3)
        wait_joined(pane, (words["reinspected"] + words["cleared"],))  # under the last inspections
        pane.keys("x")  # the next: not put right, before its deadline — the owner has until
        wait_joined(pane, words["not_yet"])  # 24:00 as the notice says: refused, nothing asked
        wait_violations(pane, words, 3, each=words["fix_by"].format(day=fix_day.isoformat()))

        pane.keys("Tab", "Tab", "Down", "Down", "Enter")  # past the last inspections: acceptance
        pane.wait_for(words["warn"])
        pane.keys("y")  # started anyway
        pane.wait_for(words["acceptance"])
        # structure, outer face, gas fine; no wet work; breakers labelled; RCD trips
        answer(pane, lang, "p", "p", "p", "2", "p", "p")
        pane.keys("1")  # common areas restored
        pane.wait_for("1*)")
        answer(pane, lang, "Enter", "p")  # all debris taken away
        pane.keys("Enter")  # no acceptance photos
        pane.wait_for("4) ")  # the deposit's options
        answer(pane, lang, "2")  # returned less deductions
        pane.typed("99999")  # more than any deposit: refused, nothing saved
        pane.wait_for(words["too_much"])
        pane.keys(*["BSpace"] * 5)
        answer_typed(pane, lang, "500")
        answer_typed(pane, lang, words["reason"])
        answer_typed(pane, lang, words["owner"])
        pane.typed(words["inspector"])
        screen = pane.wait_for(words["complete"])
        pane.wait_for(words["refused"])  # the deposit cannot go back with violations open
        assert words["cannot_pass"] in pane.text().replace("\n ", "")
        assert words["submit"] in pane.text()  # ctrl+s reads as an acceptance
        pane.keys("C-s")  # refused: said again, nothing submitted
        pane.keys("Escape")  # back to the round: hold the deposit instead
        pane.wait_for(words["acceptance"])
        pane.keys("Up", "Up", "Up", "Up")
        pane.keys("3")  # held until the re-inspection: the amount goes, a date is asked
        pane.wait_for(words["hold"])
        answer_typed(pane, lang, back_on.isoformat())  # re-inspection date: the review opens
        pane.wait_for(words["complete"])
        pane.keys("C-s")
        card = tuple(part.format(back_on=back_on.isoformat()) for part in words["card"])
        wait_joined(pane, card)  # the card: not passed and why, the deposit held

    ws = Workspace.open(folder / "renovation")
    try:
        unit = ws.lookup_scan(FLAT).target
        result = renovation.acceptance(ws, unit.id)
        assert not result.passed and not result.deposit_returnable
        assert result.decision == "withhold" and result.open_violations == 3
        assert result.reason == words["reason"] and result.reinspect_on == back_on.isoformat()
    finally:
        ws.close()
    with Store.open(folder / "renovation", readonly=True) as store:
        cases = [d for _, d in store.iter_records(["case"]) if d["target"]["id"] == unit.id
                 and d.get("category") == "renovation.site_patrol"]  # fmt: skip
    violations = [c for c in cases if c["kind"] == "violation"]
    assert len(violations) == 4
    assert sorted(v["status"] for v in violations).count("closed") == 1
    assert not [v for v in violations if any(e["type"] == "escalated" for e in v["events"])]
    for v in violations:  # the refused one as it was: still due at the end of that day
        day = debris_day if v["status"] == "closed" else fix_day  # the debris: its own
        assert case_rules.epoch(v["due"]) == renovation.end_of_day(day), v["title"]
    (closed,) = [v for v in violations if v["status"] == "closed"]
    assert closed["title"] == FAULTS["zh"][-1]  # the debris, re-inspected first
    (checked,) = [e for e in closed["events"] if e["type"] == "reinspection"]
    assert checked["text"] == words["cleared"]  # the note kept, in either language
    assert all(any(e["type"] == "notice" for e in v["events"]) for v in violations)
    (stopped,) = [c for c in cases if c["kind"] == "finding"]
    assert stopped["department"] == "security" and stopped["severity"] == "critical"


NEWCOMER = {
    "zh": {"scan_help": "扫描房屋门牌码：", "later": "有违规时：",
           "help_title": "本页按键", "permit": "装修许可", "stopped": "现在：已责令停工",
           "note": "承重墙已按加固方案恢复", "no_photo": "处没有照片", "closed": "已结案",
           "allowed": ("现在：可以施工", "现在：不在允许施工时段"), "enter_next": "enter  下一项",
           "number": "整改〔", "seen": "现场记录（原文）：", "notice_sent": "整改通知已保存",
           "stopped_on_spot": "现场处理：巡查时已当场制止该项施工，整改完成前不得继续。",
           "beyond": "超出批准范围施工：拆除（批准的施工内容：墙面刷漆、铺地板）"},
    "en": {"scan_help": "To open a flat's card, scan", "later": "with a violation open:",
           "help_title": "Keys on this screen", "permit": "Permit ZX",
           "stopped": "now: work stopped since", "note": "Wall restored to the approved plan",
           "no_photo": "There is no photo at", "closed": "closed: put right",
           "allowed": ("now: work allowed", "now: outside permitted hours"),
           "enter_next": "enter  next item",
           "number": "No. ", "seen": "Noted on site (as written): ",
           "stopped_on_spot": "On site: this work was stopped at the inspection and may not go",
           "notice_sent": "Rectification notice written",
           "beyond": "Work beyond the approved scope: demolition"},
}  # fmt: skip


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_what_a_newcomer_tripped_on(tmp_path, make_demo, lang):
    """A newcomer's walk as the inspector: a scanned door label opens the card, whose help
    says how to scan and what y, x and n will do; a bearing wall cut stops the work on the
    card; the notice has a number, names the inspector, quotes his note as written; y
    with a wrong photo path keeps the dialog and the note; a real photo closes it and the
    work may go on; leaving the demo points to the notices. Work stopped on the spot is
    answered 已当场制止 (no pass) and the notice says so under the fault; the deadline box
    offers the usual 30 days for a bearing wall, taken with Enter."""
    from fieldkit.model.qr import encode

    words = NEWCOMER[lang]
    folder = tmp_path / "demo"
    make_demo(folder, cases=5, lang=lang, floors=2)
    photo = tmp_path / "IMG_0100.jpg"  # the wall cut; later, restored
    photo.write_bytes(b"\xff\xd8\xff\xe0 the wall")
    today = datetime.now(CHINA).date()
    with demo_pane(tmp_path, folder, lang, "2", tz="UTC") as pane:
        pane.wait_for(FLAT + "  ")
        pane.scan(encode("unit", "CH", FLAT))  # the label on the flat's door
        pane.wait_for(words["permit"])
        pane.keys("F1")
        screen = wait_joined(pane, (words["help_title"], words["scan_help"]))
        assert screen.count(words["later"]) == 3  # y, x and n, before any violation
        pane.keys("Escape")
        pane.wait_for(words["permit"])
        pane.keys("Enter")  # the site patrol
        answer(pane, lang, "p")  # the permit is posted
        for option in ("2", "7"):  # today: demolition — not on the permit — and tiling
            pane.keys(option)
            pane.wait_for(f"{option}*)")
        answer(pane, lang, "Enter")
        answer_typed(pane, lang, "0")  # everyone has a pass
        pane.keys("t")  # on the bearing wall: what he saw, in his words, then fail it
        pane.typed(NOTE[lang])
        pane.wait_for("✎ " + NOTE[lang][:8])  # back on the item, the note beside it
        answer(pane, lang, "f", "p", "p", "n", "p", "p", "1", "p")
        answer_typed(pane, lang, str(photo), ask="a", asked=WORDS[lang]["photo_path"])
        pane.wait_for(WORDS[lang]["photo_saved"])  # "Enter for the next item", and the bar
        pane.wait_for(words["enter_next"])  # says so too
        pane.keys("Enter")
        answer(pane, lang, "1")  # the work was stopped on the spot (not a "pass")
        usual = today + timedelta(days=30)  # what the box offers for a bearing wall
        pane.wait_for(usual.isoformat())
        before = in_runner(pane, lang)
        pane.keys("Enter")  # taken as offered
        wait_counted(pane, lang, before)
        pane.typed(NOTE[lang][:4])  # a closing note
        pane.wait_for(WORDS[lang]["complete"])
        wait_joined(pane, (words["beyond"],))  # the review raises the work beyond the permit
        pane.keys("C-s")
        wait_joined(pane, (words["stopped"],))  # the card: work stopped, not "allowed"

        pane.keys("n")
        pane.wait_for(words["notice_sent"])
        (notice,) = (folder / "renovation" / "notices").glob("*.txt")
        page = notice.with_name(f"{notice.stem}-{lang}.pdf")  # the page he prints (nc33)
        assert page.read_bytes().startswith(b"%PDF")
        wait_joined(pane, (page.name[-12:],))  # the toast names it
        written = notice.read_text("utf-8")
        assert words["number"] in written.split("\n")[1]  # the number under the title
        (zh_name,) = re.findall(r"检查人：(.+?)    ", written)
        (en_name,) = re.findall(r"Inspected by: (.+?)    ", written)
        assert zh_name == en_name  # one person, one name, in both halves
        assert words["seen"] + NOTE[lang] in written  # quoted as he typed it
        assert words["stopped_on_spot"] in written  # the fault, stopped on the spot
        assert f"{usual.year}年{usual.month}月{usual.day}日" in written  # its one deadline

        pane.keys("y")
        pane.wait_for(WORDS[lang]["ask_put_right"])
        pane.typed(words["note"])
        pane.typed("/tmp/nc10/nonexist.jpg")  # a wrong path: refused beside the field
        pane.wait_for(words["no_photo"])
        pane.wait_for(words["note"])  # what he typed is still there (once the notice's
        # pop-up over the form has gone)
        pane.keys("C-u")
        pane.typed(str(photo))
        pane.wait_for(words["closed"])
        end = time.monotonic() + pane.patience  # the card again: the work may go on
        while words["stopped"] in pane.text() and time.monotonic() < end:
            time.sleep(0.05)
        screen = pane.text()
        assert words["stopped"] not in screen and any(w in screen for w in words["allowed"])


NOTE = {"zh": "客厅承重墙凿开约一米宽", "en": "Load-bearing wall in the living room cut 1 m wide"}
