"""A rainstorm over two buildings, logged through the services as the demo's coordinator
(王敏) logs it in the app: entries, a call to the power company, the plan (暴雨, orange
warning, four steps passed and one failed), the first flat on the residents list checked,
a notice in each language, a handover to 赵刚, a third building added, a repair raised, and
the close with every open point decided (a visit for one flat, a case for the failed step).
"""

from __future__ import annotations

from datetime import date

from fieldkit.services import incident_close, notices
from fieldkit.services import incidents as inc

ENTRIES = {
    "zh": ["车库入口开始积水，已放沙袋", "1号楼地下室水泵已启动"],
    "en": ["Water at the garage ramp, sandbags down", "Pump in building 1 basement on"],
}
SUMMARY = {
    "zh": "暴雨过后无人受伤，车库进水约二十厘米，已抽干。",
    "en": "No one hurt; about 20 cm of water in the garage, pumped out.",
}
NOTE = {"zh": "老人在家，已送手电", "en": "Elderly resident at home, torch given"}
REPAIR = {"zh": "更换车库入口排水沟盖板", "en": "Replace the garage ramp drain cover"}


def storm(ws, lang: str = "zh"):
    """The incident, closed; returns it."""
    places = inc.places_.parse("1号楼 2号楼", inc.compound_of(ws))
    incident = inc.open_incident(ws, "typhoon", places=places, severity="major")
    for text in ENTRIES[lang]:
        inc.add_entry(ws, incident.id, text)
    inc.log_call(ws, incident.id, "power", "供电所刘工", "配电房已断开地下室电源")
    run = inc.plan_run(ws, incident.id)
    run.answer("warning_kind", "rainstorm")
    run.answer("warning_level", "orange")
    run.answer("arrival_date", date.today().isoformat())
    for key in ("standby_team", "high_objects", "trees_secured", "drains_cleared"):
        run.answer(key, "pass")
    run.answer("flood_barriers", "fail")
    person = inc.people(ws, incident.id)[0]
    inc.check_person(ws, incident.id, person.unit_id, NOTE[lang])
    for notice_lang in (lang, "en" if lang == "zh" else "zh"):
        text = notices.draft(ws, incident.id, notice_lang, "18:00").text
        notices.send(ws, incident.id, text, notice_lang)
    inc.hand_over(ws, incident.id, "赵刚", "夜班接手")
    inc.add_place(ws, incident.id, "3号楼")
    inc.raise_followup(ws, incident.id, "repair", REPAIR[lang])
    points = incident_close.open_points(ws, incident.id)
    decided = {}
    for point in points:
        if point.point == "person":
            decided[point.key] = "visit" if not decided else "phoned"
        elif point.point == "failed":
            decided[point.key] = "case"
        else:
            decided[point.key] = point.choices[0]
    incident_close.close(ws, incident.id, SUMMARY[lang], decided)
    return inc.find(ws, incident.id)
