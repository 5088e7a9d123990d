"""Services without the UI: pinyin search, scan lookup, case lifecycle, answers and routing."""

from __future__ import annotations

import pytest

from fieldkit.model import Target
from fieldkit.services.demo import generate
from fieldkit.services.pinyin import initials
from fieldkit.services.types import UNFINISHED, CaseFilter
from fieldkit.services.workspace import Workspace


@pytest.fixture
def ws(tmp_path):
    generate(tmp_path / "d", cases=200, floors=16, now=1_800_000_000.0)
    w = Workspace.open(tmp_path / "d")
    yield w
    w.close()


def test_pinyin_initials():
    assert initials("消防栓") == "xfs"
    assert initials("3号楼 灭火器") == "3hlmhq"


def test_search_by_pinyin_code_and_name(ws):
    assert {t.asset_kind for t in ws.search("xfs")} == {"hydrant_cabinet"}
    assert [t.code for t in ws.search("3-2-1502")] == ["3-2-1502"]
    assert all(t.kind == "unit" for t in ws.search("flat 1502", kinds=("unit",)))


def test_scan_lookup(ws):
    assert ws.lookup_scan("3-2-1502").target.code == "3-2-1502"
    assert ws.lookup_scan("fk:EXT-1-1-3").target.code == "EXT-1-1-3"
    assert ws.lookup_scan("9-9-9999").status == "unknown"
    assert ws.lookup_scan("<script>").status == "malformed"


def test_case_moves_follow_the_lifecycle_file(ws):
    from fieldkit.services.lifecycle import MoveRefused

    case = next(r for r in ws.cases_page(CaseFilter(status=UNFINISHED), 0, 500).rows
                if r.status == "open")  # fmt: skip
    view = ws.case(case.id)
    assert ws.role == "patrol"
    assert view.next_statuses == ("assigned",)  # only the office rejects a finding
    assert view.move_needs == {"assigned": ("department",)}
    ws.move_case(case.id, "assigned")
    ws.move_case(case.id, "in_progress")
    with pytest.raises(MoveRefused) as err:
        ws.move_case(case.id, "resolved", "  ")
    assert err.value.key == "lifecycle.refused.note"
    view = ws.move_case(case.id, "resolved", "hose replaced")
    assert view.move_needs["followed_up"] == ("followup",)
    view = ws.follow_up_case(case.id, 5, "owner satisfied")
    assert view.row.status == "followed_up"
    view = ws.move_case(case.id, "closed")
    assert view.next_statuses == ()
    walked = ["assigned", "in_progress", "resolved", "followed_up", "closed"]
    assert [e.status for e in view.events if e.kind == "status"][-5:] == walked
    with pytest.raises(MoveRefused):
        ws.move_case(case.id, "open")

    other = next(r for r in ws.cases_page(CaseFilter(status=UNFINISHED), 0, 500).rows
                 if r.status == "open" and r.id != case.id)  # fmt: skip
    with pytest.raises(MoveRefused) as err:
        ws.move_case(other.id, "cancelled", "duplicate of #3")
    assert err.value.key == "lifecycle.refused.role"
    ws.store.set_device_state(role="office")
    with pytest.raises(MoveRefused) as err:
        ws.move_case(other.id, "cancelled", "  ")
    assert err.value.key == "lifecycle.refused.note"
    moved = ws.move_case(other.id, "cancelled", "duplicate of #3")
    # the demo was made as of 2027 (now=1.8e9): its cases were raised after today's moves
    status = [e for e in moved.events if e.kind == "status"]
    assert status[-1].text == "duplicate of #3" and moved.next_statuses == ()
    assert ws.cases_page(CaseFilter(status="cancelled"), 0, 500).total >= 1


def test_case_filters_and_paging(ws):
    page = ws.cases_page(CaseFilter(status=""), 0, 50)
    assert page.total == 200 and len(page.rows) == 50
    second = ws.cases_page(CaseFilter(status=""), 50, 50)
    assert not {r.id for r in page.rows} & {r.id for r in second.rows}
    eng = ws.cases_page(CaseFilter(status="", department="engineering"), 0, 500)
    assert eng.rows and all(r.department == "engineering" for r in eng.rows)
    late = ws.cases_page(CaseFilter(overdue=True), 0, 500, now=2_000_000_000.0)
    assert late.rows and all(r.overdue for r in late.rows)


def test_number_range_refused_expect_fails(ws):
    from fieldkit.services.runs import RunError

    target = ws.lookup_scan("R-1-1").target
    run = ws.start_run("fire.extinguisher.floor_round", target)
    spares = run.step("spares_used")
    with pytest.raises(RunError) as err:
        run.answer(spares.key, "51")
    assert err.value.key == "checklists.answer.out_of_range"
    assert run.value(spares) is None
    run.answer(spares.key, "２")  # full-width digits from a Chinese keyboard
    again = ws.resume_run(run.id)
    assert again.value(again.step("spares_used")) == 2
    first = again.steps()[0]  # in_place of the first extinguisher
    again.answer(first.key, "moved")
    (case,) = again.proposed_cases()
    assert (case.department, case.severity, case.due) == ("security", "major", "24h")
    assert case.target.code == "EXT-1-1-1"


def test_a_signature_is_offered_to_who_is_signed_in_where_they_sign(ws):
    """The control room's handover is signed by the outgoing shift, who holds the device
    (``signer: self``: their name is offered), and by the incoming one (typed by them)."""
    site = ws.store.reference("site")[0]
    run = ws.start_run("fire.control_room.shift", Target("site", site.id))
    outgoing, incoming = run.step("outgoing_sign"), run.step("incoming_sign")
    assert run.signer(outgoing, "张伟") == "张伟"
    assert run.signer(incoming, "张伟") == ""  # someone else's signature
    assert run.signer(outgoing, "") == ""  # nobody signed in: the box stays empty
    assert run.signer(run.step("open_issues"), "张伟") == ""  # not a signature
    run.answer(outgoing.key, "张伟")
    assert run.signer(outgoing, "张伟") == ""  # signed: its own answer is shown
