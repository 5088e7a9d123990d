"""The case list read from the months' indexes (``history_page``, which never builds an
entry for a row it does not show) says what :func:`cases.page` says of every case on the
device read whole: the same rows, totals and counts for every filter, on a device with
archived months, a reopened case and one the office deleted."""

from __future__ import annotations

from collections import Counter

import pytest

from fieldkit.services import cases
from fieldkit.services.demo import STREAM, generate
from fieldkit.services.types import CaseFilter
from fieldkit.services.workspace import Workspace

NOW = 2_000_000_000.0  # long after the demo: its late cases still to do are overdue


@pytest.fixture(scope="module")
def ws(tmp_path_factory):
    from fieldkit.store import case_index

    data = tmp_path_factory.mktemp("history") / "d"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(case_index, "CHUNK", 16)  # months of several chunks each
        generate(data, cases=300, floors=6, now=1_800_000_000.0, person="")
        w = Workspace.open(data)
        archived = [d for e, d in w.store.iter_records(["case"])
                    if d["id"] not in w.store._table("case").docs()]  # fmt: skip
        assert len(archived) > 100 and len({cases_month(d) for d in archived}) > 2
        w.store.reopen_case(archived[3]["id"], status="open")
        gone = archived[5]["id"]
        w.store.apply_remote([{"entity": "case", "id": gone, "deleted": True}], None, STREAM)
        assert w.store.get_case(gone) is None
    yield w
    w.close()


def cases_month(doc: dict) -> str:
    from fieldkit.store.layout import month_of

    return month_of(doc["id"])


def every_entry(ws: Workspace) -> list[cases.Entry]:
    """Every case on the device read whole, newest first (the order the list keeps)."""
    entries = [cases.entry(d, ws.places) for _, d in ws.store.iter_records(["case"])]
    return sorted(entries, key=lambda e: e.id, reverse=True)


def filters(ws: Workspace) -> dict[str, CaseFilter]:
    done = [e for e in every_entry(ws) if e.status in cases.DONE]
    target = Counter(e.target_id for e in done).most_common(1)[0][0]
    title = done[len(done) // 2].title["zh"]
    return {
        "none": CaseFilter(),
        "department": CaseFilter(department=done[0].department),
        "building": CaseFilter(building=Counter(e.building for e in done).most_common(1)[0][0]),
        "target": CaseFilter(target=target),
        "title": CaseFilter(text=title[:2]),
        "number": CaseFilter(text=f"#{done[7].id[-4:]}"),
        "place": CaseFilter(text=next(e.where for e in done[9:] if isinstance(e.where, str))),
        "overdue": CaseFilter(overdue=True),
        "kind": CaseFilter(kind="complaint"),
        "said_otherwise": CaseFilter(text="漏水"),  # finds 渗水 too (search_words.toml)
    }


@pytest.mark.parametrize("offset", [0, 50])
@pytest.mark.parametrize("status", ["", *sorted(cases.DONE)])
@pytest.mark.parametrize(
    "name",
    ["none", "department", "building", "target", "title", "number", "place", "overdue", "kind",
     "said_otherwise"],
)  # fmt: skip
def test_the_history_list_says_what_every_case_read_whole_says(ws, name, status, offset):
    from dataclasses import replace

    flt = replace(filters(ws)[name], status=status)
    listed = ws.cases_page(flt, offset, 50, now=NOW)
    if flt.target:  # a route's or building's cases include those on its equipment
        flt = replace(flt, covers=ws.places.covered(flt.target))
    whole = cases.page(every_entry(ws), flt, offset, 50, now=NOW)
    assert listed == whole
    if name != "overdue" and offset == 0 and status != "cancelled":  # the demo cancels none
        assert listed.rows  # each filter finds something: the comparison is not of nothing
