"""Two devices move the same complaint while apart; after they swap copies both hold the
same case at the furthest state, and the move the slower one then tries is refused with
where the case can go instead."""

from __future__ import annotations

import pytest

from fieldkit.i18n import t
from fieldkit.model import Target
from fieldkit.services import lifecycle as lc
from fieldkit.services.lifecycle import MoveRefused
from fieldkit.store import Store


def _swap(a: Store, b: Store, case_id: str) -> None:
    a_copy, b_copy = a.get_case(case_id).to_dict(), b.get_case(case_id).to_dict()
    a.apply_remote([{"entity": "case", "record": b_copy}], None)
    b.apply_remote([{"entity": "case", "record": a_copy}], None)


def test_concurrent_moves_converge_and_the_late_move_is_explained(tmp_path):
    with Store.open(tmp_path / "desk") as desk, Store.open(tmp_path / "patrol") as patrol:
        case = desk.create_case(
            "complaint", Target("unit", "u1"), status="received", department="security"
        )
        for to in ("registered", "investigating"):
            case = lc.move(desk, case, to, "office")
        patrol.apply_remote([{"entity": "case", "record": case.to_dict()}], None)
        # apart: the patrol starts work; the desk, told by phone it is sorted, replies
        lc.move(patrol, case.id, "resolving", "patrol", by="patrol-7")
        lc.move(desk, case.id, "resolving", "office", by="desk")
        lc.move(desk, case.id, "replied", "office", note="业主来电确认已解决", by="desk")
        _swap(desk, patrol, case.id)
        one, other = desk.get_case(case.id), patrol.get_case(case.id)
        assert one.to_dict() == other.to_dict()
        assert one.status == "replied"
        assert {e.by for e in one.events if e.type == "status"} >= {"patrol-7", "desk"}
        with pytest.raises(MoveRefused) as refused:
            lc.move(patrol, case.id, "resolving", "patrol")
        message = t(refused.value.key, "en", **refused.value.params)
        assert message == (
            "A case cannot go from 'Replied' to 'Being resolved'. "
            "From here it can go to: Investigating, Called back."
        )
