"""A failed item becomes a case that says what was found and keeps the evidence: the real
store, the real checklists, the demo compound. The extinguisher checklist of the docs'
first example (a pressure reading with expect [1.0, 1.4]) is sent to the device as the
office would, then failed at 0.8 MPa."""

from __future__ import annotations

import html
import re
from datetime import date, timedelta
from pathlib import Path

import pytest

from fieldkit.services import findings
from fieldkit.services.demo import generate
from fieldkit.services.renovation import notice
from fieldkit.services.workspace import Workspace
from tests.waits import shown

DOCS = Path(__file__).resolve().parents[2] / "docs" / "checklists.md"


def docs_example() -> str:
    """The first checklist in docs/checklists.md, as written there."""
    text = DOCS.read_text("utf-8")
    return re.search(r"```yaml\n(id: fire\.extinguisher\.monthly.*?)```", text, re.S).group(1)


def complete(run) -> None:
    """Answer whatever is still required, with passing answers."""
    for _ in range(50):
        missing = run.missing()
        if not missing:
            return
        step = missing[0]
        kind = step.item.type
        if kind == "check":
            run.answer(step.key, "pass")
        elif kind in ("choice", "multi"):
            good = next(o.id for o in step.item.options if not o.fails)
            run.answer(step.key, good if kind == "choice" else [good])
        elif kind == "date":
            run.answer(step.key, (date.today() + timedelta(days=10)).isoformat())
        elif kind == "photo":
            photo = Path(run.ws.data_dir) / f"{step.item.id}.jpg"
            photo.write_bytes(b"\xff\xd8 a photo")
            run.answer(step.key, str(photo))
        else:
            run.answer(step.key, "王师傅")
    raise AssertionError("the run never became complete")


@pytest.fixture
def ws(tmp_path):
    generate(tmp_path / "d", cases=5, floors=2, now=1_800_000_000.0)
    folder = tmp_path / "d" / "checklists"
    folder.mkdir(exist_ok=True)
    example = docs_example().replace("id: fire.extinguisher.monthly", "id: docs.pressure.example")
    (folder / "pressure.yaml").write_text(example, "utf-8")
    w = Workspace.open(tmp_path / "d")
    w.sign_in("张伟")
    yield w
    w.close()


def test_pressure_at_0_8_mpa_reads_as_the_fault_with_value_and_band(ws, tmp_path):
    target = ws.lookup_scan("EXT-1-1-1").target
    run = ws.start_run("docs.pressure.example", target)
    run.answer("in_place", "pass")
    run.answer("pressure", "0.8")
    run.note("pressure", "指针在红区，已换备用灭火器")
    photo = tmp_path / "IMG_0042.jpg"
    photo.write_bytes(b"\xff\xd8 a gauge in the red")
    run.answer("photo", str(photo))  # required: pressure < 1.0
    run.answer("note", "压力不足")
    (proposed,) = run.proposed_cases()
    assert proposed.title == {
        "zh": "灭火器压力异常：0.8 MPa，应在 1.0–1.4 MPa",
        "en": "Extinguisher pressure out of range: 0.8 MPa, should be 1.0–1.4 MPa",
    }
    (case_id,) = run.submit(run.proposed_cases())

    case = ws.store.get_case(case_id)
    assert case.title == "灭火器压力异常：0.8 MPa，应在 1.0–1.4 MPa"
    assert case.created_by == "张伟"
    assert "指针在红区" in case.description and "压力不足" in case.description
    found = case.extra["finding"]
    assert found["value"] == 0.8
    assert found["answer"] == {"zh": "0.8 MPa", "en": "0.8 MPa"}
    assert found["expected"] == {"zh": "应在 1.0–1.4 MPa", "en": "should be 1.0–1.4 MPa"}
    assert found["inspection"] == run.id
    assert found["checklist"]["title"]["zh"] == "灭火器月度检查"
    assert found["place"]["code"] == "EXT-1-1-1" and found["asset"] is None
    (event,) = [e for e in case.events if e.type == "photo"]
    assert ws.store.read_blob(event.attachments[0].sha256) == photo.read_bytes()
    assert event.by == "张伟"

    view = findings.view(ws.store, case_id)
    assert view.by == "张伟"
    assert view.answer["zh"] == "0.8 MPa" and view.has_answer
    assert view.note == "指针在红区，已换备用灭火器"
    assert view.place.startswith("EXT-1-1-1")
    assert view.inspection == run.id


def test_a_choice_says_the_chosen_answer_and_a_check_its_fault(ws):
    target = ws.lookup_scan("EXT-1-1-1").target
    run = ws.start_run("fire.extinguisher.monthly", target)
    run.answer("in_place", "moved")
    run.answer("unit_type", "portable")
    run.answer("gauge", "low")
    titles = {c.step_key: c.title for c in run.proposed_cases()}
    assert titles["in_place"]["zh"] == "灭火器不在指定位置：被挪到别处（已找到）"
    assert titles["in_place"]["en"] == "Extinguisher not in its place: moved elsewhere (found)"
    assert titles["gauge"]["zh"] == "灭火器压力异常：红区（压力不足）"
    assert titles["gauge"]["en"] == "Extinguisher pressure out of range: red zone (low)"
    for title in titles.values():  # never the pass wording as if it were the fault
        assert title["zh"] not in ("在指定位置", "压力表指针")
        assert not title["en"].startswith(("In its designated place", "Pressure gauge needle"))


def test_a_repeated_pass_names_its_asset_and_gets_only_its_own_photo(ws, tmp_path):
    target = ws.lookup_scan("R-1-1").target
    run = ws.start_run("fire.extinguisher.floor_round", target)
    first, second = [s for s in run.steps() if s.item.id == "in_place"][:2]
    run.answer(first.key, "moved")
    run.answer(second.key, "here")
    photos = {}
    for step in (first, second):
        key = step.key.replace("in_place", "photo")
        photos[step.asset.code] = tmp_path / f"{step.asset.code}.jpg"
        photos[step.asset.code].write_bytes(step.asset.code.encode())
        run.answer(key, str(photos[step.asset.code]))
    (case,) = [c for c in run.proposed_cases() if c.step_key == first.key]
    assert case.title["zh"] == f"{first.asset.code} 灭火器不在指定位置：被挪到别处（已找到）"
    assert case.title["en"] == (
        f"{first.asset.code} Extinguisher not in its place: moved elsewhere (found)"
    )
    assert [p.name for p in case.photos] == [f"{first.asset.code}.jpg"]
    assert case.evidence["asset"]["code"] == first.asset.code
    assert case.evidence["place"]["code"] == "R-1-1"


def test_the_rectification_notice_lists_the_faults_not_the_pass_wording(ws):
    target = ws.lookup_scan("1-1-101").target
    run = ws.start_run("renovation.site_patrol", target)
    run.answer("permit_valid", "pass")
    run.answer("activities", ["tiling"])
    run.answer("unregistered_workers", "0")
    run.answer("load_bearing", "pass")
    run.answer("outer_face", "fail")
    cases = [c for c in run.proposed_cases() if c.step_key == "outer_face"]
    assert cases[0].title["zh"] == "擅自改动外立面、外窗或阳台结构"
    photo = Path(ws.data_dir) / "wall.jpg"
    photo.write_bytes(b"\xff\xd8 the widened window")
    run.answer("violation_photo", str(photo))
    complete(run)
    (case_id,) = run.submit([c for c in run.proposed_cases() if c.step_key == "outer_face"])
    text = notice(ws, [case_id])
    assert "擅自改动外立面、外窗或阳台结构" in text["zh"]
    assert "外立面、外窗、阳台结构没有改动" not in text["zh"]
    assert "Outer face, windows or balcony altered without approval" in text["en"]
    case = ws.store.get_case(case_id)
    (event,) = [e for e in case.events if e.type == "photo"]
    assert event.attachments[0].name == "wall.jpg"


def screen_text(app) -> str:
    """What the terminal shows, as plain text: the screenshot's text without its markup."""
    svg = app.export_screenshot()
    return html.unescape(re.sub(r"<[^>]+>", "", svg)).replace("\xa0", " ")


async def test_case_detail_shows_the_evidence_to_a_person(ws):
    from fieldkit.ui.app import FieldkitApp
    from fieldkit.ui.screens.case_detail import CaseDetailScreen

    target = ws.lookup_scan("HYD-1-1-1").target
    run = ws.start_run("fire.hydrant_cabinet.weekly", target)
    run.answer("static_pressure", "0.05")
    run.note("static_pressure", "压力表指针几乎归零")
    complete(run)
    (case,) = [c for c in run.proposed_cases() if c.step_key == "static_pressure"]
    (case_id,) = run.submit([case])
    app = FieldkitApp(ws)
    async with app.run_test(size=(120, 40)) as pilot:
        detail = CaseDetailScreen(case_id)
        app.push_screen(detail)
        await shown(pilot, lambda: detail.finding is not None and detail.case is not None)
        text = screen_text(app)
    assert "消火栓静压异常" in text or "Hydrant static pressure out of range" in text
    assert "0.05 MPa" in text
    assert "0.1–1.0 MPa" in text
    assert "压力表指针几乎归零" in text
    assert "张伟" in text
