"""One vocabulary: the app, the checklist tools, the docs and the reports name every severity,
department and status with the same words, in zh and in en."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from fieldkit.checklists import load_text
from fieldkit.checklists.describe import on_fail_words, word
from fieldkit.cli.checklist import render_tree
from fieldkit.i18n import t
from fieldkit.model import DEPARTMENTS, SEVERITIES, Target
from fieldkit.services import handover, lifecycle
from fieldkit.store import Store

ROOT = Path(__file__).resolve().parents[2]
WORDS = {
    "severity": {"critical": ("紧急", "critical"), "major": ("严重", "major"),
                 "minor": ("一般", "minor")},
    "department": {"engineering": ("工程部", "Engineering"), "security": ("安保部", "Security"),
                   "cleaning": ("保洁部", "Cleaning"), "landscaping": ("绿化部", "Landscaping"),
                   "customer_service": ("客服中心", "Customer service")},
}  # fmt: skip


def table(doc: str, first: str) -> dict[str, list[str]]:
    """The rows of the markdown table whose header starts with ``| first |``, by their id."""
    text = (ROOT / "docs" / doc).read_text("utf-8")
    block = text[text.index(f"| {first} |") :].split("\n\n", 1)[0]
    rows = {}
    for line in block.splitlines()[2:]:
        cells = [c.strip() for c in line.strip("|").split("|")]
        rows[cells[0].strip("`")] = cells[1:]
    return rows


def test_the_vocabulary_covers_every_severity_and_department():
    assert set(WORDS["severity"]) == set(SEVERITIES)
    assert set(WORDS["department"]) == set(DEPARTMENTS)


@pytest.mark.parametrize("group", ["severity", "department"])
def test_app_checklist_tools_and_docs_use_the_same_words(group):
    docs = table("cases.md", group)
    line = next(
        row for row in (ROOT / "docs" / "checklists.md").read_text("utf-8").splitlines()
        if row.startswith(f"| `{group}` |")
    )  # fmt: skip
    for value, (zh, en) in WORDS[group].items():
        for lang, expected in (("zh", zh), ("en", en)):
            assert t(f"words.{group}.{value}", lang) == expected
            assert t(f"ui.{group}.{value}", lang) == expected, "the app's screens"
            assert word(group, value, lang) == expected, "fieldkit checklist show"
        assert docs[value][:2] == [zh, en], "docs/cases.md"
        assert f"`{value}` {zh}" in line, "docs/checklists.md"


def test_checklist_show_routes_in_the_same_words():
    text = """\
id: a.b
version: 1
title: {zh: 测试, en: Test}
applies_to: site
every: day
sections:
  - id: s
    title: {zh: 区, en: S}
    items:
      - id: lamp
        type: check
        label: {zh: 灯亮, en: Lamp lit}
        fail_label: {zh: 灯不亮, en: Lamp out}
        on_fail: {severity: critical, department: engineering, due: 4h}
"""
    checklist = load_text(text).checklist
    zh = "\n".join(render_tree(checklist, "zh"))
    assert on_fail_words(checklist.item("lamp").on_fail, "zh") in zh
    assert "紧急 → 工程部" in zh
    assert "critical → Engineering" in "\n".join(render_tree(checklist, "en"))


@pytest.mark.parametrize("kind", ["finding", "violation"])
def test_statuses_in_the_docs_are_the_lifecycle_file_labels(kind):
    docs = table("cases.md", "status")
    offset = 0 if kind == "finding" else 2
    life = lifecycle.for_kind(kind)
    assert list(docs) == [s.id for s in life.states]
    for state in life.states:
        zh, en = docs[state.id][offset : offset + 2]
        assert (life.label(state.id, "zh"), life.label(state.id, "en")) == (zh, en)


def test_the_handover_report_names_departments_in_the_same_words(tmp_path):
    store = Store.open(tmp_path / "d")
    try:
        soon = (datetime.now(UTC) + timedelta(hours=2)).isoformat()
        store.create_case("finding", Target("asset", "a1"), title="灭火器压力异常",
                          department="customer_service", severity="critical", due=soon)  # fmt: skip
        report = handover.handover(store)
        zh = handover.render(report, "text", "zh")
        en = handover.render(report, "text", "en")
    finally:
        store.close()
    assert "客服中心" in zh and "customer_service" not in zh
    assert "Customer service" in en
    assert re.search(r"\[.*, 客服中心\]", zh)
