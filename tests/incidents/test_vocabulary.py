"""One vocabulary of incidents: the types, the key that picks each, the plan each runs and
the levels are defined once (fieldkit/model/incident.py), and the shipped emergency
checklists, the screens' words, ``checklist show`` and the docs agree with it."""

from __future__ import annotations

from pathlib import Path

import pytest

from fieldkit.checklists.describe import word
from fieldkit.checklists.loader import load_folder
from fieldkit.i18n import catalogue, t
from fieldkit.model import (
    INCIDENT_LEVELS,
    INCIDENT_TYPE_TABLE,
    INCIDENT_TYPES,
    SEVERITIES,
    Clock,
    Incident,
    ModelError,
    new_id,
    plan_type,
)
from fieldkit.services import incidents as inc
from fieldkit.services.catalog import shipped_folder

ROOT = Path(__file__).resolve().parents[2]
LANGS = ("zh", "en")


def shipped_plans() -> dict[str, list[str]]:
    """Each ``incident:<type>`` the shipped checklists apply to, with their ids."""
    out: dict[str, list[str]] = {}
    for result in load_folder(shipped_folder()):
        assert result.checklist is not None, result.path
        kind, sub = result.checklist.target
        if kind == "incident":
            out.setdefault(sub, []).append(result.checklist.id)
    return out


def test_each_type_once_with_its_words():
    assert len(set(INCIDENT_TYPES)) == len(INCIDENT_TYPES) == len(INCIDENT_TYPE_TABLE)
    for lang in LANGS:
        missing = [c for c in INCIDENT_TYPES if f"incidents.type.{c}" not in catalogue(lang)]
        assert missing == [], lang


def test_the_keys_pick_every_type_a_coordinator_opens():
    keys = [row.key for row in INCIDENT_TYPE_TABLE if row.key is not None]
    assert keys == ["1", "2", "3", "4", "5", "6", "7", "8", "9", "0", "a"]  # as the desk's 其他
    assert tuple(keys) == inc.TYPE_KEYS
    assert [inc.type_for_key(k) for k in keys] == list(inc.TYPES)
    # a type no key opens is one whose plan is another's (a rainstorm: the typhoon plan)
    for row in INCIDENT_TYPE_TABLE:
        if row.key is None:
            assert row.plan is not None and row.plan != row.code, row.code


def test_every_type_has_its_shipped_plan_or_says_it_has_none():
    plans = shipped_plans()
    for row in INCIDENT_TYPE_TABLE:
        if row.plan is None:
            assert row.code not in plans, f"{row.code} says it has no plan, but one applies"
        else:
            assert len(plans.get(row.plan, [])) == 1, f"{row.code}: plan {row.plan!r}"
            assert plan_type(row.code) == row.plan


def test_shipped_emergency_checklists_name_real_types_that_are_plans():
    planned = {row.plan for row in INCIDENT_TYPE_TABLE}
    for sub, ids in shipped_plans().items():
        assert sub in INCIDENT_TYPES, (sub, ids)
        assert sub in planned, (sub, ids)
    assert shipped_plans()["flooding"] == ["emergency.burst_pipe"]


def test_the_service_runs_each_types_plan(tmp_path):
    from tests.incidents.helpers import make_compound, open_workspace

    make_compound(tmp_path / "ws", floors=2)
    ws = open_workspace(tmp_path / "ws")
    try:
        for row in INCIDENT_TYPE_TABLE:
            found = inc.sop_checklist(ws, row.code)
            if row.plan is None:
                assert found is None, row.code
            else:
                assert found is not None and found.target == ("incident", row.plan), row.code
        incident = inc.open_incident(ws, "rainstorm", None, place_text="地下车库")
        assert inc.plan_run(ws, incident.id).checklist.id == "emergency.typhoon"
    finally:
        ws.close()


def test_checklist_show_and_the_docs_use_the_incident_words():
    docs = (ROOT / "docs" / "checklists.md").read_text("utf-8")
    for code in INCIDENT_TYPES:
        for lang in LANGS:
            assert word("incident", code, lang) == t(f"incidents.type.{code}", lang)
        assert f"`{code}` {t(f'incidents.type.{code}', 'zh')}" in " ".join(docs.split())


def test_incident_levels_are_their_own_scale():
    assert [t(f"incidents.severity.{lv}", "zh") for lv in INCIDENT_LEVELS] == [
        "一般",
        "较大",
        "重大",
    ]
    assert [t(f"incidents.severity.{lv}", "en") for lv in INCIDENT_LEVELS] == [
        "Minor", "Major", "Critical",
    ]  # fmt: skip
    # the same codes as a case's severity, other words: 较大 is not 严重, 重大 is not 紧急
    assert set(INCIDENT_LEVELS) == set(SEVERITIES)
    assert t("incidents.severity.major", "zh") != t("words.severity.major", "zh")
    docs = (ROOT / "docs" / "incidents.md").read_text("utf-8")
    for level in INCIDENT_LEVELS:
        for lang in LANGS:
            assert f"incidents.severity_help.{level}" in catalogue(lang)
        assert f"| {level} | {t(f'incidents.severity.{level}', 'zh')} |" in docs


@pytest.mark.parametrize("level", ["", "severe", "extreme"])
def test_an_incident_takes_only_a_level_of_the_scale(level):
    with pytest.raises(ModelError):
        Incident.new(new_id(), "fire", Clock("d1").now(), severity=level)
    with pytest.raises(ModelError):
        Incident.new(new_id(), "burst_pipe", Clock("d1").now())  # not a type
