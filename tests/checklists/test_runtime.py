from datetime import timedelta

import pytest

from fieldkit.checklists import (
    check_answer,
    evaluate_run,
    expand,
    is_answered,
    load_text,
    outcome,
    parse_duration,
    pass_key,
    read_number,
)

from .helpers import GOOD

CHECKLIST = load_text(GOOD).checklist
ASSETS = [
    {"id": "e1", "kind": "extinguisher", "floor": 2},
    {"id": "e2", "kind": "extinguisher", "floor": "3"},
    {"id": "e3", "kind": "extinguisher", "floor": 4},
    {"id": "h1", "kind": "hydrant_cabinet", "floor": 2},
    {"id": "e4", "kind": "extinguisher"},
    {"kind": "extinguisher", "floor": 2},
    {"id": "e1", "kind": "extinguisher", "floor": 3},
]


def item(name):
    return CHECKLIST.item(name)


def test_expand_repeats_matching_assets_in_order():
    passes = expand(CHECKLIST, ASSETS)
    assert [p.key for p in passes] == ["general", "condition@e1", "condition@e2", "sign_off"]
    assert passes[1].asset["id"] == "e1" and passes[0].asset is None
    assert [p.key for p in expand(CHECKLIST)] == ["general", "sign_off"]
    assert pass_key("condition", "e1") == "condition@e1" and pass_key("general") == "general"


def test_where_compares_numbers_as_numbers_and_lists_as_any_of():
    repeat = CHECKLIST.section("condition").repeat
    assert repeat.matches({"kind": "extinguisher", "floor": "2"})
    assert repeat.matches({"kind": "extinguisher", "floor": 3.0})
    assert not repeat.matches({"kind": "extinguisher", "floor": "2a"})
    assert not repeat.matches({"kind": "Extinguisher", "floor": 2})


def run(answers, assets=ASSETS):
    return evaluate_run(CHECKLIST, answers, assets)


def test_fresh_run_lists_what_is_missing():
    # the repeated section is shown only when area_ok != 'na': unanswered, that is false
    state = run({})
    assert [(s.pass_key, s.item.id) for s in state.missing] == [
        ("general", "area_ok"),
        ("sign_off", "result"),
    ]
    state = run({"general": {"area_ok": "pass"}})
    missing = [(s.pass_key, s.item.id) for s in state.missing]
    assert missing == [
        ("condition@e1", "in_place"),
        ("condition@e1", "pressure"),
        ("condition@e1", "hose"),
        ("condition@e2", "in_place"),
        ("condition@e2", "pressure"),
        ("condition@e2", "hose"),
        ("sign_off", "result"),
    ]
    assert not state.complete and state.failures == ()
    assert state.get("condition@e1", "note").visible is False
    assert state.get("sign_off", "signature").visible is False


def test_answers_drive_visibility_required_and_failures_per_pass():
    answers = {
        "general": {"area_ok": "pass"},
        "condition@e1": {"in_place": "pass", "pressure": 0.8, "hose": ["cracked", "missing"]},
        "condition@e2": {"in_place": "pass", "pressure": 1.2, "hose": ["sound"]},
        "sign_off": {"result": "ok"},
    }
    state = run(answers)
    e1_note, e2_note = state.get("condition@e1", "note"), state.get("condition@e2", "note")
    assert e1_note.visible and not e1_note.required
    assert not e2_note.visible
    assert state.get("condition@e1", "photo").required  # pressure < 1.0 in this pass only
    assert not state.get("condition@e2", "photo").required
    assert (
        state.get("sign_off", "signature").visible and state.get("sign_off", "signature").required
    )
    failures = {(s.pass_key, s.item.id): s.outcome for s in state.failures}
    assert set(failures) == {("condition@e1", "pressure"), ("condition@e1", "hose")}
    assert failures[("condition@e1", "pressure")].on_fail.severity == "critical"
    hose = failures[("condition@e1", "hose")]
    assert hose.failed_options == ("cracked", "missing")
    assert (hose.on_fail.severity, hose.on_fail.department) == ("critical", "security")
    assert [(s.pass_key, s.item.id) for s in state.missing] == [
        ("condition@e1", "photo"),
        ("sign_off", "signature"),
    ]


def test_hidden_section_is_not_asked_and_never_fails():
    answers = {
        "general": {"area_ok": "na"},
        "condition@e1": {"in_place": "fail", "pressure": 0.1},
        "sign_off": {"result": "ok", "signature": "sig:abc"},
    }
    state = run(answers)
    assert state.section_visible == {
        "general": True,
        "condition@e1": False,
        "condition@e2": False,
        "sign_off": True,
    }
    assert state.failures == () and state.complete
    assert not state.get("condition@e1", "in_place").required


def test_hidden_items_count_as_unanswered_in_conditions():
    # signature is shown only when result is answered; a result of a wrong shape is no answer
    state = run({"sign_off": {"result": "maybe"}})
    assert not state.get("sign_off", "signature").visible
    assert not state.get("sign_off", "result").answered


def test_wrong_shaped_answers_never_raise():
    junk = {"general": "oops", "condition@e1": {"pressure": "high", "hose": "cracked"}, 3: None}
    state = run(junk)
    assert state.get("condition@e1", "pressure").answered is False
    assert evaluate_run(CHECKLIST, None).items  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("name", "value", "status", "severity"),
    [
        ("in_place", "pass", "pass", None),
        ("in_place", "fail", "fail", "major"),
        ("in_place", "na", "na", None),
        ("in_place", None, "unanswered", None),
        ("pressure", 1.0, "pass", None),
        ("pressure", 1.4, "pass", None),
        ("pressure", 1.41, "fail", "critical"),
        ("pressure", 0, "fail", "critical"),
        ("hose", [], "pass", None),
        ("hose", ["sound"], "pass", None),
        ("hose", ["cracked"], "fail", "minor"),
        ("result", "not_ok", "fail", "major"),
        ("result", "ok", "pass", None),
        ("note", "   ", "unanswered", None),
        ("note", "rust on the base", "pass", None),
        ("checked_on", "2024-02-30", "unanswered", None),
        ("checked_on", "2024-02-29", "pass", None),
    ],
)
def test_outcome(name, value, status, severity):
    result = outcome(item(name), value)
    assert result.status == status
    assert (result.on_fail.severity if result.on_fail else None) == severity


def test_number_input_range_refuses_expect_fails():
    pressure = item("pressure")
    assert read_number(pressure, "1.2") == (1.2, None)
    assert read_number(pressure, " １,２ ") == (1.2, None)
    assert read_number(pressure, "3") == (3, None)
    assert read_number(pressure, "") == (None, None)
    value, problem = read_number(pressure, "5")
    assert value is None and problem.key == "checklists.answer.out_of_range"
    assert problem.message("en") == "The value must be between 0 and 4 MPa."
    assert problem.message("zh") == "数值必须在 0 到 4 MPa 之间。"
    assert read_number(pressure, "1.234")[1].key == "checklists.answer.decimals"
    assert read_number(pressure, "abc")[1].key == "checklists.answer.not_number"
    assert check_answer(pressure, 4.5).key == "checklists.answer.out_of_range"
    assert check_answer(pressure, 0.5) is None  # outside expect is taken, and fails
    assert check_answer(pressure, float("nan")).key == "checklists.answer.not_number"
    assert check_answer(pressure, True).key == "checklists.answer.not_number"


@pytest.mark.parametrize(
    ("name", "value", "ok"),
    [
        ("in_place", "pass", True),
        ("in_place", "n/a", False),
        ("hose", ["sound", "cracked"], True),
        ("hose", ["sound", "sound"], False),
        ("hose", ["rust"], False),
        ("hose", "sound", False),
        ("result", "ok", True),
        ("result", "fine", False),
        ("checked_on", "2024-1-5", False),
        ("photo", "sha256:ab", True),
        ("photo", ["a", "b"], True),
        ("photo", [], False),
        ("signature", "", False),
        ("note", 5, False),
    ],
)
def test_check_answer_shapes(name, value, ok):
    assert (check_answer(item(name), value) is None) is ok
    if ok:
        assert is_answered(item(name), value)


def test_parse_duration():
    assert parse_duration("30m") == timedelta(minutes=30)
    assert parse_duration("4h") == timedelta(hours=4)
    assert parse_duration("3d") == timedelta(days=3)
    assert parse_duration("1w") == timedelta(weeks=1)
    for bad in ("", "4", "h", "0h", "4 hours", "-1d", "1.5h", "4H", None, 4):
        assert parse_duration(bad) is None  # type: ignore[arg-type]


def test_a_long_chain_of_conditions_does_not_exhaust_the_stack():
    items = "".join(
        f"""      - id: i{n}
        type: text
        label: {{zh: 项{n}, en: Item {n}}}
{f'        show_if: "answered(i{n - 1})"' if n else ""}
"""
        for n in range(1500)
    )
    text = f"""id: test.chain
version: 1
title: {{zh: 链, en: Chain}}
applies_to: site
every: day
sections:
  - id: s
    title: {{zh: 段, en: Section}}
    items:
{items}"""
    checklist = load_text(text).checklist
    state = evaluate_run(checklist, {"s": {"i0": "a", "i1": "b"}})
    assert [s.visible for s in state.items[:4]] == [True, True, True, False]
    assert not state.items[-1].visible
