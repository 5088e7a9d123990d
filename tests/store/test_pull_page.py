"""A pulled page finds this device's copy of each record wherever it is: in the page itself,
in the active file, in its archive month, or among the records the office deleted."""

from __future__ import annotations

import orjson

from fieldkit.model import Case, Clock, Target, new_id
from fieldkit.store import Store

DAY_MS = 86_400_000
JAN_2026_MS = 1_767_225_600_000  # 2026-01-01T00:00:00Z


def _case(clock: Clock, at_ms: int, status: str = "open") -> Case:
    case = Case.new(new_id(at_ms), "repair", Target("unit", "u1"), clock.now(), title="Leak")
    if status != "open":
        case.set_status(status, clock.now())
    return case


def _edited(case: Case, clock: Clock, **fields: str) -> dict:
    copy = Case.from_dict(case.to_dict())
    for name, value in fields.items():
        copy.set_field(name, value, clock.now())
    return copy.to_dict()


def _page(*records: dict) -> list[dict]:
    return [{"entity": "case", "record": r} for r in records]


def test_a_page_merges_with_the_copy_it_finds_wherever_it_is(tmp_path):
    office = Clock("office")
    archived = _case(office, JAN_2026_MS, "closed")
    restored = _case(office, JAN_2026_MS + DAY_MS, "closed")
    open_twice = _case(office, JAN_2026_MS + 2 * DAY_MS)
    closed_twice = _case(office, JAN_2026_MS + 3 * DAY_MS, "closed")
    with Store.open(tmp_path / "d") as store:
        first = store.apply_remote(_page(archived.to_dict(), restored.to_dict()), "1")
        assert first.applied == 2
        gone = store.apply_remote([{"entity": "case", "id": restored.id, "deleted": True}], "2")
        assert gone.applied == 1 and store.deleted("case", restored.id)

        page = _page(
            archived.to_dict(),  # in its month since the first page: unchanged
            _edited(archived, office, assignee="zhao"),  # then changed by the office
            restored.to_dict(),  # the office restored what it deleted
            _edited(open_twice, office, assignee="li"),  # an open case named twice ...
            _edited(open_twice, office, title="Leak under the sink"),
            _edited(closed_twice, office, assignee="wang"),  # ... and a closed one
            _edited(closed_twice, office, title="Leak on the roof"),
        )
        result = store.apply_remote(page, "3")

        assert (result.applied, result.merged, result.unchanged) == (3, 3, 1)
        assert not result.refused
        assert store.get_case(archived.id).assignee == "zhao"
        assert not store.deleted("case", restored.id)
        assert store.get_case(restored.id).to_dict() == restored.to_dict()
        both = store.get_case(open_twice.id)
        assert (both.assignee, both.title) == ("li", "Leak under the sink")
        both = store.get_case(closed_twice.id)
        assert (both.assignee, both.title) == ("wang", "Leak on the roof")
        assert store.cursor() == "3"

    active = orjson.loads((tmp_path / "d" / "active.json").read_bytes())
    assert list(active.get("case", {})) == [open_twice.id]  # the closed ones are in months
    with Store.open(tmp_path / "d") as store:  # and read back from them after a restart
        assert store.get_case(closed_twice.id).title == "Leak on the roof"
        assert store.get_case(archived.id).assignee == "zhao"
        again = store.apply_remote(page, "3")
        assert (again.applied, again.merged) == (0, 0)
