"""A small valid checklist to build test cases from."""

GOOD = """\
id: fire.extinguisher.monthly
version: 3
title: {zh: 灭火器月度检查, en: Fire extinguisher monthly check}
applies_to: asset:extinguisher
every: month
tags: [fire, monthly]
sections:
  - id: general
    title: {zh: 总体, en: General}
    items:
      - id: area_ok
        type: check
        label: {zh: 区域整洁, en: Area tidy}
        fail_label: {zh: 区域不整洁, en: Area untidy}
        on_fail: {severity: minor, department: cleaning, due: 3d}
      - id: checked_on
        type: date
        label: {zh: 检查日期, en: Date}
        required: false
  - id: condition
    title: {zh: 外观与压力, en: Condition and pressure}
    repeat: {for_each: asset, where: {kind: extinguisher, floor: [2, 3]}}
    show_if: "area_ok != 'na'"
    items:
      - id: in_place
        type: check
        label: {zh: 在指定位置且无遮挡, en: In its place and unobstructed}
        fail_label: {zh: 灭火器不在位或被遮挡, en: Extinguisher moved or blocked}
        on_fail: {severity: major, department: security, due: 24h}
      - id: pressure
        type: number
        label: {zh: 压力, en: Pressure}
        fail_label: {zh: 灭火器压力异常, en: Extinguisher pressure out of range}
        unit: MPa
        range: [0, 4]
        expect: [1.0, 1.4]
        decimals: 2
        on_fail: {severity: critical, department: engineering, due: 4h}
      - id: hose
        type: multi
        label: {zh: 软管, en: Hose}
        fail_label: {zh: 软管损坏, en: Hose damaged}
        options:
          - {id: sound, label: {zh: 完好, en: Sound}}
          - {id: cracked, label: {zh: 开裂, en: Cracked}, fails: true}
          - id: missing
            label: {zh: 缺失, en: Missing}
            fails: true
            on_fail: {severity: critical, department: security, due: 4h}
        on_fail: {severity: minor, department: engineering, due: 1w}
      - id: note
        type: text
        label: {zh: 备注, en: Note}
        show_if: "in_place == 'fail' or pressure < 1.0 or 'cracked' in hose"
      - id: photo
        type: photo
        label: {zh: 照片, en: Photo}
        required_if: "pressure < 1.0"
  - id: sign_off
    title: {zh: 签字, en: Sign-off}
    items:
      - id: result
        type: choice
        label: {zh: 总体结论, en: Overall}
        fail_label: {zh: 总体不合格, en: Not OK overall}
        options:
          - {id: ok, label: {zh: 合格, en: OK}}
          - {id: not_ok, label: {zh: 不合格, en: Not OK}, fails: true}
        on_fail: {severity: major, department: engineering, due: 24h}
      - id: signature
        type: signature
        label: {zh: 签名, en: Signature}
        show_if: answered(result)
"""


def place_of(text: str, needle: str) -> str:
    """Where ``needle`` first stands in ``text``, as a diagnostic names it: ``line:column``."""
    at = text.index(needle)
    line, column = text[:at].count("\n") + 1, at - text.rindex("\n", 0, at)
    return f"{line}:{column}"


def lines_of(result) -> list[str]:
    """Diagnostics as ``line:column: CODE`` (the path left out)."""
    return [f"{d.line}:{d.column}: {d.code}" for d in result.diagnostics]
