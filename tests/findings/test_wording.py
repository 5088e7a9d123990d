"""How a failed item reads: the fail_label key, its checks, and the derived wording."""

from __future__ import annotations

import pytest

from fieldkit.checklists import load_folder, load_text, read_number, shipped_dir
from fieldkit.checklists.wording import (
    answer_words,
    expected_words,
    failure_words,
    reading_help,
    reading_placeholder,
)

HEAD = """\
id: a.b
version: 1
title: {zh: 测试, en: Test}
applies_to: site
every: day
sections:
  - id: s
    title: {zh: 区, en: S}
    items:
"""


def one(item: str):
    result = load_text(HEAD + item)
    return result, (result.checklist.sections[0].items[0] if result.checklist else None)


PRESSURE = """\
      - id: pressure
        type: number
        label: {zh: 压力, en: Pressure}
        unit: MPa
        range: [0, 4]
        expect: [1.0, 1.4]
        on_fail: {severity: critical, department: engineering, due: 4h}
"""


def test_derived_number_wording_says_the_value_and_the_band():
    result, item = one(PRESSURE)
    assert [d.code for d in result.diagnostics] == ["FK904"]
    assert failure_words(item, 0.8, "zh") == "压力 0.8 MPa，应在 1.0–1.4 MPa"
    assert failure_words(item, 0.8, "en") == "Pressure 0.8 MPa, should be 1.0–1.4 MPa"
    assert answer_words(item, 0.8, "zh") == "0.8 MPa"
    assert expected_words(item, "en") == "should be 1.0–1.4 MPa"


def test_fail_label_leads_the_number_wording_and_changes_the_hash():
    plain, _ = one(PRESSURE)
    labelled = PRESSURE.replace(
        "        unit: MPa\n",
        "        fail_label: {zh: 灭火器压力异常, en: Extinguisher pressure out of range}\n"
        "        unit: MPa\n",
    )
    result, item = one(labelled)
    assert result.diagnostics == ()
    assert failure_words(item, 1.6, "zh") == "灭火器压力异常：1.6 MPa，应在 1.0–1.4 MPa"
    assert failure_words(item, 1.6, "en") == (
        "Extinguisher pressure out of range: 1.6 MPa, should be 1.0–1.4 MPa"
    )
    assert result.checklist.content_hash != plain.checklist.content_hash


@pytest.mark.parametrize(
    ("expect", "unit", "zh", "en"),
    [
        ("[24, null]", "h", "应不低于 24 小时", "should be at least 24 hours"),
        ("[null, 30]", "min", "应不超过 30 分钟", "should be at most 30 minutes"),
        ("[0, 0]", None, "应为 0", "should be 0"),
    ],
)
def test_one_sided_and_exact_bands(expect, unit, zh, en):
    text = PRESSURE.replace("expect: [1.0, 1.4]", f"expect: {expect}").replace(
        "range: [0, 4]", "range: [0, 500]"
    )
    text = (
        text.replace("unit: MPa", f"unit: {unit}")
        if unit
        else text.replace("        unit: MPa\n", "")
    )
    _, item = one(text)
    assert expected_words(item, "zh") == zh
    assert expected_words(item, "en") == en


def test_a_choice_says_the_chosen_answer_and_a_check_falls_back_last():
    _, gauge = one("""\
      - id: gauge
        type: choice
        label: {zh: 压力表指针, en: Pressure gauge needle}
        options:
          - {id: green, label: {zh: 绿区, en: Green zone}}
          - {id: red, label: {zh: 红区（偏低）, en: Red zone (low)}, fails: true}
          - {id: none, label: {zh: 无压力表, en: No gauge}}
        on_fail: {severity: critical, department: engineering, due: 4h}
""")
    assert failure_words(gauge, "red", "zh") == "压力表指针：红区（偏低）"
    assert failure_words(gauge, "red", "en") == "Pressure gauge needle: red zone (low)"
    assert expected_words(gauge, "zh") == "绿区或无压力表"
    _, check = one("""\
      - id: outer_face
        type: check
        label: {zh: 外立面、外窗、阳台结构没有改动, en: "Outer face, windows, balcony unchanged"}
        on_fail: {severity: major, department: customer_service, due: 24h}
""")
    assert failure_words(check, "fail", "zh") == "未通过：外立面、外窗、阳台结构没有改动"
    assert failure_words(check, "fail", "en") == "Failed: Outer face, windows, balcony unchanged"


def test_loader_checks_fail_label_with_positions():
    result = load_text(
        HEAD
        + """\
      - id: note
        type: text
        label: {zh: 备注, en: Note}
        fail_label: {zh: 无, en: None}
      - id: volts
        type: number
        label: {zh: 电压, en: Voltage}
        fail_lable: {zh: 电压异常, en: Voltage wrong}
"""
    )
    got = [(d.line, d.column, d.code, d.suggestion) for d in result.diagnostics]
    assert (13, 9, "FK228", None) in got
    assert (17, 9, "FK200", "fail_label") in got  # did-you-mean still works
    assert result.checklist is None
    result = load_text(
        HEAD
        + """\
      - id: volts
        type: number
        label: {zh: 电压, en: Voltage}
        fail_label: {zh: 电压异常}
"""
    )
    got = [(d.line, d.column, d.code) for d in result.diagnostics]
    assert got == [(13, 21, "FK900"), (13, 9, "FK905")] or sorted(got) == sorted(
        [(13, 21, "FK900"), (13, 9, "FK905")]
    )
    assert result.checklist is not None and not result.ok(strict=True)


def test_reading_help_names_the_unit_and_has_no_stray_spaces():
    _, item = one(PRESSURE)
    assert reading_help(item, "en") == "Type the reading in MPa (0 to 4), then Enter."
    assert reading_help(item, "zh") == "输入读数（单位 MPa，0 到 4），回车保存。"
    assert reading_placeholder(item, "en") == "reading in MPa"
    _value, problem = read_number(item, "5")
    assert problem.message("en") == "The value must be between 0 and 4 MPa."
    assert problem.message("zh") == "数值必须在 0 到 4 MPa 之间。"
    _, count = one(PRESSURE.replace("        unit: MPa\n", "").replace("[0, 4]", "[0, 50]"))
    assert reading_help(count, "en") == "Type the number (0 to 50), then Enter."
    assert read_number(count, "51")[1].message("en") == "The value must be between 0 and 50."
    assert read_number(count, "51")[1].message("zh") == "数值必须在 0 到 50 之间。"


def test_an_amount_of_money_or_a_time_is_not_asked_for_as_a_reading():
    _, money = one(PRESSURE.replace("unit: MPa", "unit: CNY").replace("[0, 4]", "[0, 5000]"))
    assert reading_help(money, "zh") == "输入金额（元，0 到 5000），回车保存。"
    assert reading_help(money, "en") == "Type the amount in CNY (0 to 5000), then Enter."
    assert reading_placeholder(money, "zh") == "金额（元）"
    _, hours = one(PRESSURE.replace("unit: MPa", "unit: h").replace("[0, 4]", "[0, 72]"))
    assert reading_help(hours, "zh") == "输入小时数（0 到 72），回车保存。"
    assert reading_help(hours, "en") == "Type the number of hours (0 to 72), then Enter."
    assert reading_placeholder(hours, "en") == "number of hours"


def test_every_failable_shipped_item_has_its_own_failure_wording():
    for result in load_folder(shipped_dir()):
        for item in result.checklist.items():
            if item.can_fail:
                assert item.fail_label and item.fail_label.zh and item.fail_label.en, item.id
                assert item.fail_label.zh != item.label.zh, item.id
                assert item.fail_label.en != item.label.en, item.id


def test_a_whole_number_item_asks_for_a_whole_number():
    _, count = one(PRESSURE.replace("unit: MPa", "decimals: 0"))
    assert read_number(count, "abc")[1].message("zh") == "请输入整数，例如 2。"
    assert read_number(count, "abc")[1].message("en") == "Enter a whole number, e.g. 2."
    _, reading = one(PRESSURE)
    assert read_number(reading, "abc")[1].message("en") == "Enter a number, e.g. 1.2."


def test_a_band_from_zero_reads_as_at_most():
    """nc16: "应在 0–30 分钟" / "should be 0–30 minutes" for the minutes until release."""
    from fieldkit.checklists.wording import bounds_words

    assert bounds_words((0, 30), "分钟", "zh", "band") == "应不超过 30 分钟"
    assert bounds_words((0, 30), "min", "en", "band").startswith("should be at most 30")
    assert bounds_words((0, 50), "MPa", "zh", "range") == "0 到 50 MPa"  # what can be typed
