"""The lifecycle file: shipped file valid, mistakes positioned; moves allowed and refused."""

from __future__ import annotations

import json

import pytest

from fieldkit.checklists.lifecycle import load_lifecycle_file, load_lifecycle_text
from fieldkit.cli import main
from fieldkit.model import Target
from fieldkit.services import lifecycle as lc
from fieldkit.services.lifecycle import FollowUp, MoveRefused
from fieldkit.store import Store

BROKEN = """\
version: 1
kinds:
  complain:
    states: []
    moves: []
  repair:
    reopen_to: dispached
    states:
      - {id: accepted, label: {zh: 已受理, en: Accepted}}
      - {id: in_progress, label: {zh: 维修中, en: In progress}}
      - {id: dispatched, label: {zh: 已派工, en: Dispatched}}
      - {id: fixed, label: {zh: 修好, en: Fixed}}
      - {id: accepted, label: {zh: 又一个, en: Again}}
    moves:
      - {from: accepted, to: dispatch, roles: [office]}
      - {from: accepted, to: in_progress, roles: [ofice], needs: [photo]}
      - {from: in_progress, to: accepted, roles: [office]}
      - {from: accepted, to: in_progress, roles: [office]}
      - {from: accepted, to: dispatched, role: [office]}
"""


def test_shipped_file_is_valid_and_has_every_kind():
    result = load_lifecycle_file(lc.SHIPPED)
    assert result.ok, [d.render("en") for d in result.diagnostics]
    assert set(result.lifecycles.kinds) == {
        "complaint",
        "repair",
        "finding",
        "violation",
        "dispute",
        "visit",
    }
    complaint = result.lifecycles.kinds["complaint"]
    assert [s.id for s in complaint.states][:7] == [
        "received",
        "registered",
        "investigating",
        "resolving",
        "replied",
        "followed_up",
        "closed",
    ]
    assert complaint.label("replied", "zh") == "已答复业主"


def test_every_mistake_is_reported_at_its_line_and_column():
    result = load_lifecycle_text(BROKEN, "cases.yaml")
    assert not result.ok and result.lifecycles is None
    found = [(d.line, d.column, d.code, d.suggestion) for d in result.diagnostics]
    assert found == [
        (3, 3, "FK500", "complaint"),
        (7, 16, "FK509", "dispatched"),
        (11, 14, "FK502", None),
        (12, 14, "FK501", None),
        (13, 14, "FK503", None),
        (15, 30, "FK504", "dispatched"),
        (16, 51, "FK505", "office"),
        (16, 67, "FK506", None),
        (17, 9, "FK507", None),
        (18, 9, "FK508", None),
        (19, 42, "FK200", "roles"),  # and no FK201 for the 'roles' it misspells
    ]
    lines = [d.render("en") for d in result.diagnostics]
    assert lines[0].startswith("cases.yaml:3:3: FK500: 'complain' is not a kind of case.")
    assert lines[0].endswith("Did you mean 'complaint'?")
    assert all(d.message("zh") != d.message("en") for d in result.diagnostics)


def test_cli_validate(tmp_path, capsys):
    bad = tmp_path / "cases.yaml"
    bad.write_text(BROKEN, "utf-8")
    assert main(["--lang", "en", "lifecycle", "validate", str(bad)]) == 1
    out = capsys.readouterr().out
    assert f"{bad}:16:51: FK505: Unknown role 'ofice'." in out
    assert main(["--lang", "en", "lifecycle", "validate", str(bad), "--format", "json"]) == 1
    assert len(json.loads(capsys.readouterr().out)["diagnostics"]) == 11
    assert main(["--lang", "en", "lifecycle", "validate"]) == 0
    assert "6 kinds" in capsys.readouterr().out
    assert main(["lifecycle", "validate", str(tmp_path / "none.yaml")]) == 2


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "data") as s:
        yield s


def _new(store, kind, **fields):
    return store.create_case(kind, Target("unit", "u1"), status=lc.first_state(kind), **fields)


def test_complaint_from_received_to_closed(store):
    case = _new(store, "complaint", title="楼上漏水")
    with pytest.raises(MoveRefused) as refused:
        lc.move(store, case, "investigating", "office")
    assert refused.value.key == "lifecycle.refused.no_move"
    assert refused.value.params["allowed"] == "Registered, Cancelled"
    case = lc.move(store, case, "registered", "office")
    with pytest.raises(MoveRefused) as refused:
        lc.move(store, case, "investigating", "office")
    assert refused.value.key == "lifecycle.refused.department"
    store.update_case(case.id, department="engineering")
    case = lc.move(store, case.id, "investigating", "office")
    case = lc.move(store, case, "resolving", "patrol")
    with pytest.raises(MoveRefused) as refused:
        lc.move(store, case, "replied", "patrol", note="已修好")
    assert refused.value.key == "lifecycle.refused.role"
    with pytest.raises(MoveRefused) as refused:
        lc.move(store, case, "replied", "office", note="  ")
    assert refused.value.key == "lifecycle.refused.note"
    case = lc.move(store, case, "replied", "office", note="已电话告知业主")
    with pytest.raises(MoveRefused) as refused:
        lc.move(store, case, "closed", "office")  # closes only after the follow-up
    assert refused.value.key == "lifecycle.refused.no_move"
    with pytest.raises(MoveRefused) as refused:
        lc.move(store, case, "followed_up", "office")
    assert refused.value.key == "lifecycle.refused.followup"
    case = lc.follow_up(store, case, FollowUp(5, "满意"), "office")
    assert case.status == "followed_up"
    case = lc.move(store, case, "closed", "office")
    assert case.status == "closed"
    kept = store.get_case(case.id)
    statuses = [e.data["to"] for e in kept.events if e.type == "status"]
    assert statuses == [
        "registered",
        "investigating",
        "resolving",
        "replied",
        "followed_up",
        "closed",
    ]
    assert [e.data["score"] for e in kept.events if e.type == "followup"] == [5]


def test_dissatisfied_follow_up_reopens_the_complaint(store):
    case = _new(store, "complaint", department="customer_service")
    for to in ("registered", "investigating", "resolving"):
        case = lc.move(store, case, to, "office")
    case = lc.move(store, case, "replied", "office", note="已答复")
    case = lc.follow_up(store, case, FollowUp(1, "还在漏"), "office")
    assert (case.status, case.status_gen) == ("investigating", 1)
    reopen = [e for e in case.events if e.type == "status"][-1]
    assert reopen.data["reopen"] is True and reopen.text == "还在漏"
    with pytest.raises(MoveRefused) as refused:
        lc.follow_up(store, case, FollowUp(0), "office")
    assert refused.value.key == "lifecycle.refused.score"


def test_repair_path_and_refusals(store):
    case = _new(store, "repair", department="engineering")
    assert case.status == "accepted"
    case = lc.move(store, case, "dispatched", "office")
    with pytest.raises(MoveRefused):
        lc.move(store, case, "done", "patrol", note="x")  # must start work first
    case = lc.move(store, case, "in_progress", "patrol")
    with pytest.raises(MoveRefused) as refused:
        lc.move(store, case, "done", "patrol")
    assert refused.value.key == "lifecycle.refused.note"
    case = lc.move(store, case, "done", "patrol", note="换了阀门")
    with pytest.raises(MoveRefused) as refused:
        lc.follow_up(store, case, FollowUp(4), "patrol")
    assert refused.value.key == "lifecycle.refused.role"
    case = lc.follow_up(store, case, FollowUp(2, "又坏了"), "office")
    assert (case.status, case.status_gen) == ("dispatched", 1)


@pytest.mark.parametrize("kind", ["finding", "violation"])
def test_findings_and_violations_on_the_same_engine(store, kind):
    case = _new(store, kind, department="security")
    role = "patrol" if kind == "finding" else "renovation"
    first = "assigned"
    case = lc.move(store, case, first, role, note="已通知")
    case = lc.move(store, case, "in_progress", role)
    case = lc.move(store, case, "resolved", role, note="已整改")
    case = lc.move(store, case, "in_progress", role, note="复查不合格")
    assert case.status_gen == 1
    case = lc.move(store, case, "resolved", role, note="再次整改")
    case = lc.move(store, case, "closed", role)
    assert case.status == "closed"
    with pytest.raises(MoveRefused) as refused:
        lc.move(store, _new(store, kind), "cancelled", role, note="x")
    assert refused.value.key == "lifecycle.refused.role"


def test_office_copy_in_the_data_folder_wins(tmp_path):
    assert lc.lifecycle_path(tmp_path) == lc.SHIPPED
    (tmp_path / "lifecycles.yaml").write_text(lc.SHIPPED.read_text("utf-8"), "utf-8")
    assert lc.lifecycle_path(tmp_path) == tmp_path / "lifecycles.yaml"


def test_categories_and_urgency_mistakes():
    text = """\
version: 1
kinds:
  repair:
    urgency: {urgent: 2h, soon: 4h, low: 3 days}
    categories:
      - {id: lift, label: {zh: 电梯, en: Lift}}
      - {id: lift, label: {zh: 电梯故障, en: Lift fault}}
    states:
      - {id: accepted, label: {zh: 已受理, en: Accepted}}
    moves: []
"""
    result = load_lifecycle_text(text, "x.yaml")
    found = [(d.line, d.column, d.code, d.suggestion) for d in result.diagnostics]
    assert found == [
        (4, 27, "FK512", None),
        (4, 42, "FK220", None),
        (7, 14, "FK511", None),
    ]
    assert "'soon'" in result.diagnostics[0].message("en")
