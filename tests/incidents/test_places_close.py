"""Several places per incident, closing with every open point decided, and notices filled
from the plan — on the real store (the test compound: buildings 1 and 2, entrances 1 and 2)."""

from __future__ import annotations

import pytest

from fieldkit.i18n import set_language, t
from fieldkit.model import Event, Incident, new_id
from fieldkit.model.merge import merge_incident
from fieldkit.services import incident_close, notices
from fieldkit.services import incident_places as places_
from fieldkit.services import incidents as inc
from fieldkit.services.incident_places import PlaceError
from fieldkit.services.incidents import IncidentError


def codes(text, ws):
    return [p.code for p in places_.parse(text, inc.compound_of(ws))]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1,2", ["1", "2"]),
        ("1，2", ["1", "2"]),
        ("1 2", ["1", "2"]),
        ("1号楼 2号楼", ["1", "2"]),
        ("1栋、2栋", ["1", "2"]),
        ("1号楼和2号楼", ["1", "2"]),
        ("building 1 and building 2", ["1", "2"]),
        ("1号楼2单元", ["1-2"]),
        ("1号楼 2单元", ["1-2"]),
        ("building 2 entrance 1", ["2-1"]),
        ("二号楼一单元", ["2-1"]),  # as the desk's building filter reads it: one reading
        ("二号楼和一栋", ["2", "1"]),
        ("1-2", ["1-2"]),
        ("1-1-602", ["1-1-602"]),
        ("1, 1-2, 1-1-602", ["1"]),  # the building takes in its entrance and its flat
        ("全小区", [""]),
        ("whole compound", [""]),
        ("", [""]),
    ],
)
def test_places_are_read_as_people_write_them(ws, text, expected):
    assert codes(text, ws) == expected


@pytest.mark.parametrize(
    ("text", "key", "shown"),
    [
        ("9", "incidents.places.error.no_building", "9号楼"),
        ("1号楼3单元", "incidents.places.error.no_entrance", "3单元"),
        ("1楼", "incidents.places.error.not_understood", "1楼"),  # a floor, not a building
        ("车库", "incidents.places.error.no_place", "2号楼地下室"),  # a spot, but where?
        ("1" * 300, "incidents.places.error.too_long", "200"),
    ],
)
def test_what_is_not_a_place_is_said(ws, text, key, shown):
    set_language("zh")
    with pytest.raises(PlaceError) as caught:
        places_.parse(text, inc.compound_of(ws))
    assert caught.value.key == key and shown in caught.value.message()
    assert not places_.looks_like_places("地下车库") and places_.looks_like_places("1,2")


@pytest.mark.parametrize(
    ("text", "zh", "en"),
    [
        ("1号楼地下室", "1号楼地下室", "Building 1 basement"),
        ("1号楼和2号楼地下室", "1号楼地下室、2号楼地下室",
         "Building 1 basement and Building 2 basement"),
        ("2号楼车库", "2号楼车库", "Building 2 garage"),
        ("1号楼地下室和2号楼车库", "1号楼地下室、2号楼车库",
         "Building 1 basement and Building 2 garage"),
        ("building 1 basement", "1号楼地下室", "Building 1 basement"),
        ("basement of buildings 1 and 2", "1号楼地下室、2号楼地下室",
         "Building 1 basement and Building 2 basement"),
        ("1号楼 地下 车库", "1号楼地下车库", "Building 1 underground garage"),
        ("1号楼2单元门口", "1号楼2单元门口", "Building 1 entrance 2 门口"),  # kept as typed
        ("1, 车库", "1号楼车库", "Building 1 garage"),
    ],
)  # fmt: skip
def test_a_spot_said_with_its_buildings_is_kept_with_them(ws, text, zh, en):
    found = places_.parse(text, inc.compound_of(ws))
    assert places_.label(found, "zh") == zh and places_.label(found, "en") == en
    assert {p.kind for p in found} <= {"building", "entrance"}  # the residents follow these


def test_an_incident_in_two_basements_lists_both_buildings_and_says_where(ws):
    compound = inc.compound_of(ws)
    basements = places_.parse("1号楼和2号楼地下室", compound)
    incident = inc.open_incident(ws, "typhoon", places=basements)
    assert {p.code[0] for p in inc.people(ws, incident.id)} == {"1", "2"}
    view = inc.view(ws, incident.id)
    assert view.where("zh") == "1号楼地下室、2号楼地下室"
    assert ws.store.get_incident(incident.id).place in ("1号楼地下室、2号楼地下室",
                                                        "Building 1 basement and Building 2 "
                                                        "basement")  # fmt: skip
    audience = notices.audience(ws, ws.store.get_incident(incident.id))
    assert audience["zh"] == "1号楼、2号楼业主、住户"  # the residents: of the buildings
    inc.add_place(ws, incident.id, "2号楼车库")  # a new spot of a building already in it
    assert inc.view(ws, incident.id).where("zh") == "1号楼地下室、2号楼地下室、车库"
    with pytest.raises(IncidentError):
        inc.add_place(ws, incident.id, "2号楼地下室")  # said already: nothing to add
    inc.add_place(ws, incident.id, "2号楼")  # the whole building now
    assert inc.view(ws, incident.id).where("en") == "Building 1 basement and Building 2"
    assert places_.understood("3号楼", compound, "zh").startswith("本小区没有3号楼")
    assert places_.understood("2号楼车库", compound, "zh") == "将加上：2号楼车库（回车确认）"


def test_residents_list_follows_every_place_added_later_too(ws):
    incident = inc.open_incident(ws, "typhoon", places=places_.parse("1", inc.compound_of(ws)))
    first = {p.code for p in inc.people(ws, incident.id)}
    assert first and all(code.startswith("1-") for code in first)
    inc.add_place(ws, incident.id, "2号楼1单元")
    now = {p.code for p in inc.people(ws, incident.id)}
    added = now - first
    assert added and all(code.startswith("2-1-") for code in added)
    entry = inc.view(ws, incident.id).entries[-1]
    assert entry.kind == "place" and entry.data["places"][0]["code"] == "2-1"
    before = ws.store.outbox_count()
    for text in ("1号楼1单元", "2-1", "9"):  # covered already, or no such building
        with pytest.raises((IncidentError, PlaceError)):
            inc.add_place(ws, incident.id, text)
    assert ws.store.outbox_count() == before
    view = inc.view(ws, incident.id)
    assert view.where("zh") == "1号楼、2号楼1单元"
    assert view.where("en") == "Building 1 and Building 2 entrance 1"


def test_places_added_on_two_devices_merge_as_a_union(ws):
    incident = inc.open_incident(ws, "flooding", places=places_.parse("1-1", inc.compound_of(ws)))
    elsewhere = Incident.from_dict(ws.store.get_incident(incident.id).to_dict())
    inc.add_place(ws, incident.id, "2-2")  # this device
    here = ws.store.get_incident(incident.id)
    other = places_.parse("1-2", inc.compound_of(ws))[0]  # the other device, offline
    elsewhere.add_event(
        Event(id=new_id(), type="place", hlc=here.timeline[-1].hlc, by="李强",
              data={"places": [other.to_dict()]})
    )  # fmt: skip
    for merged in (merge_incident(here, elsewhere), merge_incident(elsewhere, here)):
        assert [p.code for p in inc.places_of(ws, merged)] == ["1-1", "2-2", "1-2"]


def _typhoon_with_a_failed_step(ws):
    incident = inc.open_incident(ws, "typhoon", places=places_.parse("1,2", inc.compound_of(ws)))
    run = inc.plan_run(ws, incident.id)
    run.answer("warning_kind", "rainstorm")
    run.answer("warning_level", "orange")
    run.answer("flood_barriers", "fail")
    return incident, run


def test_close_refuses_until_every_open_point_is_decided_and_changes_nothing(ws):
    incident, _ = _typhoon_with_a_failed_step(ws)
    points = incident_close.open_points(ws, incident.id)
    kinds = {p.point for p in points}
    assert kinds == {"person", "step", "text", "failed", "stand_down"}
    failed = next(p for p in points if p.point == "failed")
    assert failed.route == "engineering" and "沙袋" in failed.what["zh"]
    before = (ws.store.outbox_count(), len(ws.store.get_incident(incident.id).timeline))
    all_but_one = {p.key: p.choices[0] for p in points[1:]}
    with pytest.raises(IncidentError) as caught:
        incident_close.close(ws, incident.id, "雨停了", all_but_one)
    assert caught.value.key == "incidents.error.undecided"
    wrong = {**all_but_one, points[0].key: "forget_it"}
    with pytest.raises(IncidentError):
        incident_close.close(ws, incident.id, "雨停了", wrong)
    with pytest.raises(IncidentError):
        incident_close.close(ws, incident.id, "  ", {p.key: p.choices[0] for p in points})
    after = (ws.store.outbox_count(), len(ws.store.get_incident(incident.id).timeline))
    assert after == before and ws.store.get_incident(incident.id).status == "active"


def test_close_writes_each_decision_the_cases_and_the_close_together(ws):
    incident, run = _typhoon_with_a_failed_step(ws)
    points = incident_close.open_points(ws, incident.id)
    decided = {p.key: p.choices[0] for p in points}
    person = next(p for p in points if p.point == "person")
    decided[person.key] = "visit"
    failed = next(p for p in points if p.point == "failed")
    assert decided[failed.key] == "case"  # one key: the first
    texts = {"lessons": "车库入口的沙袋不够"}
    incident_close.close(ws, incident.id, "暴雨过后无人受伤。", decided, texts=texts, by="王敏")

    stored = ws.store.get_incident(incident.id)
    assert stored.status == "closed"
    statuses = [e.data.get("to") for e in stored.timeline if e.type == "status"]
    assert statuses == ["stood_down", "closed"]
    decisions = [e for e in stored.timeline if e.type == "decision"]
    assert len(decisions) == len(points) and {e.by for e in decisions} == {"王敏"}
    cases = {e.data["point"]: ws.store.get_case(e.data["case"]) for e in decisions
             if e.data.get("case")}  # fmt: skip
    plan_case, visit = cases["failed"], cases["person"]
    assert plan_case.department == "engineering" and plan_case.source_item == "flood_barriers"
    assert plan_case.source_inspection == run.id
    assert (visit.department, visit.target.kind, visit.target.id) == (
        "customer_service", "unit", person.ref,
    )  # fmt: skip
    assert ws.store.get_inspection(run.id).status == "submitted"  # the plan goes with it
    view = inc.view(ws, incident.id)
    assert {f.kind for f in view.followups} == {"visit", "finding"}
    set_language("zh")
    texts = [e for e in view.entries if e.kind == "decision"]
    assert any("未达标" in inc_text(e) and "转为整改工单" in inc_text(e) for e in texts)
    assert inc.home_rows(ws) == []  # no longer in progress


def inc_text(entry):
    from fieldkit.services.incident_report import entry_text

    return entry_text(entry, "zh")


def test_nothing_open_needs_only_the_summary(ws):
    incident = inc.open_incident(ws, "security", places=places_.parse("1-1", inc.compound_of(ws)))
    for person in inc.people(ws, incident.id):
        inc.check_person(ws, incident.id, person.unit_id, "在家")
    inc.stand_down(ws, incident.id)
    assert incident_close.open_points(ws, incident.id) == []
    incident_close.close(ws, incident.id, "误报，已排除。")
    assert ws.store.get_incident(incident.id).status == "closed"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_notice_is_filled_from_the_plan_and_recorded_with_title_and_audience(ws, lang):
    set_language(lang)
    incident, run = _typhoon_with_a_failed_step(ws)
    run.answer("arrival_date", "2030-07-01")
    text = notices.draft(ws, incident.id, lang).text
    words = {
        "zh": ["关于防范暴雨的紧急通知", "尊敬的1号楼、2号楼各位业主、住户：", "暴雨橙色预警",
               "7月1日起", "翠湖苑物业服务中心"],
        "en": ["Be prepared: orange rainstorm warning", "Dear residents of Building 1 and "
               "Building 2,", "from 1 Jul", "Cuihu Garden Property Office"],
    }[lang]  # fmt: skip
    for word in words:
        assert word in text, word
    for wrong in ("台风（暴雨）", "另行通知再次通报", "typhoon (rainstorm)", "{"):
        assert wrong not in text
    notices.send(ws, incident.id, "【第一次通报】" + text, lang)
    entry = inc.view(ws, incident.id).notices[-1]
    assert entry.data["title"] == "【第一次通报】" + text.splitlines()[0]
    assert entry.data["audience"] == {"zh": "1号楼、2号楼业主、住户",
                                      "en": "residents of Building 1 and Building 2"}  # fmt: skip
    from fieldkit.services.incident_report import entry_text

    line = entry_text(entry, lang)
    assert entry.data["title"] in line and entry.data["audience"][lang] in line
    assert t(f"incidents.ui.lang_{lang}") in line


def test_every_template_has_the_same_parts_in_both_languages(ws):
    zh, en = notices.templates("zh"), notices.templates("en")
    assert zh.keys() == en.keys()
    for name in zh:
        assert zh[name].keys() == en[name].keys(), name
    for kind in inc.TYPES:
        incident = inc.open_incident(ws, kind, place_text="北门")
        for lang in ("zh", "en"):
            text = notices.draft(ws, incident.id, lang, "18:00").text
            assert "北门" in text and "18:00" in text and "{" not in text
