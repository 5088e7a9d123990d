"""Notices that fit the moment, read as an owner reads them: before the storm, while it
happens, after the stand-down; the service centre's phone from the compound's record; a
second notice titled as an update — on the real store, in zh and en."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from fieldkit.model import localtime
from fieldkit.services import incident_places as places_
from fieldkit.services import incidents as inc
from fieldkit.services import notices
from fieldkit.services.demo import SITE_PHONE


def _rainstorm(ws, arrival: date | None = None):
    compound = inc.compound_of(ws)
    basements = places_.parse("1号楼和2号楼地下室", compound)
    incident = inc.open_incident(ws, "typhoon", places=basements)
    run = inc.plan_run(ws, incident.id)
    run.answer("warning_kind", "rainstorm")
    run.answer("warning_level", "orange")
    if arrival is not None:
        run.answer("arrival_date", arrival.isoformat())
    return incident


WHILE = {
    "zh": ["关于暴雨影响的紧急通知", "尊敬的1号楼、2号楼各位业主、住户：", "受暴雨橙色预警影响",
           "1号楼地下室、2号楼地下室出现积水", f"拨打物业服务中心电话 {SITE_PHONE}"],
    "en": ["Urgent: the rainstorm is affecting the compound",
           "Dear residents of Building 1 and Building 2,", "Under the orange rainstorm warning",
           "flooding at Building 1 basement and Building 2 basement",
           f"call the property office on {SITE_PHONE}"],
}  # fmt: skip
BEFORE = {
    "zh": ["关于防范暴雨的紧急通知", "本小区将受暴雨影响", "请做好以下防范"],
    "en": ["Be prepared: orange rainstorm warning", "will be affected from"],
}
AFTER = {
    "zh": ["关于1号楼地下室、2号楼地下室解除应急状态的通知", "因暴雨出现的险情", "已解除应急状态",
           f"拨打物业服务中心电话 {SITE_PHONE}"],
    "en": ["All clear at Building 1 basement and Building 2 basement", "caused by the rainstorm",
           "is over.", f"call the property office on {SITE_PHONE}"],
}  # fmt: skip


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_storm_already_flooding_gets_a_notice_of_what_is_happening(ws, lang):
    incident = _rainstorm(ws, arrival=localtime.today())  # it is here: not a notice to prepare
    text = notices.draft(ws, incident.id, lang).text
    for words in WHILE[lang]:
        assert words in text, words
    for words in BEFORE[lang]:
        assert words not in text, words
    assert "  " not in text and "{" not in text


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_before_the_storm_arrives_the_notice_says_how_to_prepare(ws, lang):
    incident = _rainstorm(ws, arrival=localtime.today() + timedelta(days=1))
    text = notices.draft(ws, incident.id, lang).text
    for words in BEFORE[lang]:
        assert words in text, words
    assert SITE_PHONE in text


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_after_the_stand_down_the_notice_says_it_is_over(ws, lang):
    incident = _rainstorm(ws, arrival=localtime.today())
    inc.stand_down(ws, incident.id, "雨停了")
    text = notices.draft(ws, incident.id, lang).text
    for words in AFTER[lang]:
        assert words in text, words


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_second_notice_is_titled_as_an_update(ws, lang):
    incident = _rainstorm(ws, arrival=localtime.today())
    first = notices.draft(ws, incident.id, lang)
    notices.send(ws, incident.id, first.text, lang)
    other = "en" if lang == "zh" else "zh"
    assert not notices.draft(ws, incident.id, other).title.startswith("Update")
    assert "续报" not in notices.draft(ws, incident.id, other).title  # the first in that language
    second = notices.draft(ws, incident.id, lang)
    assert second.title == {"zh": f"{first.title}（续报）", "en": f"Update: {first.title}"}[lang]
    notices.send(ws, incident.id, second.text, lang)
    third = notices.draft(ws, incident.id, lang).title
    assert third == {"zh": f"{first.title}（续报2）", "en": f"Update 2: {first.title}"}[lang]


def test_without_a_phone_on_record_the_notice_says_whom_to_call_and_no_gap(ws):
    site = ws.store.reference("site")[0]
    site.extra = {k: v for k, v in site.extra.items() if k != "hotline"}
    ws.store.put_reference("site", [site])
    incident = _rainstorm(ws, arrival=localtime.today())
    zh = notices.draft(ws, incident.id, "zh").text
    en = notices.draft(ws, incident.id, "en").text
    assert "请联系物业服务中心" in zh and "电话 " not in zh
    assert "call the property office and" in en and " on " not in en.split("property office")[1][:4]


RELEASED = {
    "zh": ["被困人员已由电梯维保单位救出", "该电梯已暂停使用"],
    "en": ["The lift company's technician has released them", "out of service until"],
}
RESCUE = {"zh": "正在组织救援", "en": "the rescue is under way"}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_lift_notice_after_the_release_does_not_say_the_rescue_is_under_way(ws, lang):
    """nc28: the notice drafted after the people trapped were out still read "rescue under
    way". Once the plan's Release step has an answer, the notice says they are out."""
    compound = inc.compound_of(ws)
    incident = inc.open_incident(ws, "lift_entrapment", places=places_.parse("2号楼", compound))
    assert RESCUE[lang] in notices.draft(ws, incident.id, lang).text  # still inside
    inc.plan_run(ws, incident.id).answer("minutes_to_release", 25)
    text = notices.draft(ws, incident.id, lang).text
    assert RESCUE[lang] not in text
    for words in RELEASED[lang]:
        assert words in text, words
    assert "{" not in text


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_lift_notice_after_the_stand_down_speaks_of_the_lift(ws, lang):
    """nc31: after 解除应急 the lift's notice was the general one — damaged common areas, "if
    your home was damaged" — and said nothing of the people released or the lift."""
    compound = inc.compound_of(ws)
    incident = inc.open_incident(ws, "lift_entrapment", places=places_.parse("2号楼", compound))
    inc.plan_run(ws, incident.id).answer("minutes_to_release", 25)
    inc.stand_down(ws, incident.id, "已放出，电梯停用待修")
    text = notices.draft(ws, incident.id, lang).text
    says = {"zh": ("解除应急状态", "被困人员已由电梯维保单位救出", "检查合格后才恢复运行"),
            "en": ("all clear", "released them", "only once the lift company")}[lang]  # fmt: skip
    for words in says:
        assert words in text, words
    assert ("受损" if lang == "zh" else "damaged") not in text
    assert "{" not in text


POWER = {
    "zh": {"first": ["关于2号楼停电的通知", "2号楼停电。经了解，停电原因是外部电网故障",
                     "高层住户家中可能同时停水"],
           "after": ["关于2号楼恢复供电的通知", "恢复供电。经了解，停电原因是外部电网故障。",
                     "电梯、水泵、门禁等设备已逐一检查", "户内配电箱的空气开关"],
           "not": ["险情", "受损的公共设施", "解除应急状态", "另行通知", "正在排查"]},
    "en": {"first": ["Power cut in Building 2",
                     "no power in Building 2. The cause is a fault on the power company's network",
                     "Upper floors may lose water too"],
           "after": ["Power back in Building 2", "The cause was a fault on the power company's "
                     "network. We have checked the lifts", "circuit breakers"],
           "not": ["stood down", "damaged common areas", "All clear", "looking into it",
                   "We will tell you more"]},
}  # fmt: skip


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_power_cut_notice_says_its_cause_and_once_back_that_the_power_is_back(ws, lang):
    """nc34: the power cut's first notice said the engineers were looking into it though the
    plan said the grid had failed, and its all-clear was the flood's (险情已排除, damaged
    common areas repaired, "we will tell you more at 08:30" — the expected time, long past).
    The first says the cause and that high floors may lose water; the one after the stand-down
    says when the power came back, the cause, and what to do if a flat is still dark."""
    words = POWER[lang]
    compound = inc.compound_of(ws)
    incident = inc.open_incident(ws, "power_cut", places=places_.parse("2号楼", compound))
    run = inc.plan_run(ws, incident.id)
    run.answer("scope", "building")
    run.answer("cause", "grid_fault")
    run.answer("restore_estimate", "08:30")
    first = notices.draft(ws, incident.id, lang).text
    for said in words["first"]:
        assert said in first, (said, first)
    assert "08:30" in first
    notices.send(ws, incident.id, first, lang)  # the first notice went out
    inc.stand_down(ws, incident.id, "来电了")
    checking = {"zh": "正在逐一检查恢复", "en": "We are checking the lifts"}[lang]
    assert checking in notices.draft(ws, incident.id, lang).text  # not yet said to be checked
    run.answer("systems_back", "pass")  # nc36: said checked when nobody had said so
    after = notices.draft(ws, incident.id, lang).text
    assert checking not in after
    assert after.splitlines()[0] == words["after"][0]  # a title of its own, not 续报 (nc36)
    for said in words["after"]:
        assert said in after, (said, after)
    for said in words["not"]:
        assert said not in after, (said, after)
    assert "08:30" not in after and "{" not in after and "  " not in after
    assert {"zh": "停电，现已恢复供电。", "en": "is over: the power is back."}[lang] in after
