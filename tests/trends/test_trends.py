"""Trend numbers against a hand count; the handover lists the shift's work, what is due and
incidents in progress. Records go through a real store, closed ones into the archive."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

import pytest

from fieldkit.cli import main
from fieldkit.model import Target
from fieldkit.services import lifecycle as lc
from fieldkit.services.handover import handover, render
from fieldkit.services.trends import spark, to_csv, to_html, to_text, trends
from fieldkit.store import Store
from tests.trends.cases import fixture_records


@pytest.fixture
def data(_isolated_home):
    with Store.open(_isolated_home) as store:
        store.apply_remote([{"entity": "case", "record": d} for d in fixture_records()], None)
        store.archive()
        assert store.archive_months(), "closed cases should be in the archive"
        assert len(store.open_cases()) == 3
    return _isolated_home


def _docs(folder):
    with Store.open(folder, readonly=True) as store:
        return [d for _, d in store.iter_records(["case"])]


def test_by_category_since_matches_the_hand_count(data):
    tr = trends(_docs(data), "category", since=date(2026, 1, 1))
    got = {g.key: (g.cases, g.closed, g.open, g.avg_days_to_close) for g in tr.groups}
    assert got == {"leak": (4, 3, 1, 4.0), "lift": (2, 1, 1, 3.0), "noise": (2, 1, 1, 1.0)}
    assert [g.key for g in tr.groups] == ["leak", "lift", "noise"]
    assert (tr.total.cases, tr.total.closed, tr.total.avg_days_to_close) == (8, 5, 3.2)
    assert tr.months == ["2026-01", "2026-02", "2026-03"]
    assert [tr.total.months[m] for m in tr.months] == [3, 2, 3]
    assert tr.total.top() == [("leak", 4), ("lift", 2), ("noise", 2)]


def test_by_building_and_month_without_since(data):
    tr = trends(_docs(data), "building")
    a, b = tr.groups
    assert (a.key, a.cases, a.closed, a.avg_days_to_close) == ("A", 5, 4, 4.2)  # 10+2+4+1
    assert a.top() == [("leak", 4), ("noise", 1)]
    assert (b.key, b.cases, b.closed, b.avg_days_to_close) == ("B", 4, 2, 4.5)
    assert b.top() == [("lift", 2), ("leak", 1), ("noise", 1)]
    months = trends(_docs(data), "month")
    assert [(g.key, g.cases) for g in months.groups] == [
        ("2025-12", 1),
        ("2026-01", 3),
        ("2026-02", 2),
        ("2026-03", 3),
    ]


def test_formats(data):
    tr = trends(_docs(data), "building", since=date(2026, 1, 1))
    rows = list(csv.reader(io.StringIO(to_csv(tr, "en"))))
    assert rows[0][:7] == ["Code", "Building", "Cases", "Closed", "Unfinished", "Avg days to close",
                           "Top problems"]  # fmt: skip
    assert rows[1] == ["A", "A", "4", "3", "1", "2.3", "leak: 3; noise: 1", "2", "1", "1"]
    assert rows[-1][:6] == ["*", "All", "8", "5", "3", "3.2"]
    assert "<td>leak: 3; noise: 1</td>" in to_html(tr, "en")
    text = to_text(tr)
    assert "closed 3, unfinished 1, avg days to close 2.3" in text
    assert spark([0, 1, 8]) == "▁▂█"  # any case at all shows above the floor


def test_cli_trends_and_bad_input(data, capsys):
    assert main(["--lang", "en", "report", "trends", "--by", "category", "--format", "csv"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[1][:6] == ["leak", "leak", "5", "4", "1", "5.5"]  # (10+2+4+6)/4
    assert main(["--lang", "zh", "report", "trends", "--since", "2026-13-01"]) == 2
    assert "不是日期" in capsys.readouterr().err
    assert main(["--lang", "zh", "report", "trends", "--by", "month"]) == 0
    assert "按月份统计工单：共 9 单" in capsys.readouterr().out


def test_handover(_isolated_home, capsys):
    with Store.open(_isolated_home) as store:
        fixed = store.create_case(
            "repair", Target("unit", "u1"), title="厨房漏水", department="engineering",
            status="accepted", due="2000-01-01T00:00:00Z",
        )  # fmt: skip
        lc.move(store, fixed, "dispatched", "office")
        store.create_case(
            "complaint", Target("unit", "u2"), title="later", status="received",
            due="2999-01-01T00:00:00Z",
        )  # fmt: skip
        store.create_incident("flooding", place="B2 车库", severity="critical")
        h = handover(store, now=datetime.now(UTC))
    assert [d.text for d in h.done] == [  # the intake too; states as the lifecycle file says
        "New repair: 厨房漏水",
        "Received → Dispatched",
        "New complaint: later",
    ]
    assert [(d.title, d.overdue) for d in h.due] == [("厨房漏水", True)]
    assert h.later == 1
    assert [(i.type, i.place) for i in h.incidents] == [("flooding", "B2 车库")]
    md = render(h, "md", "zh")
    assert "## 本班已办事项（3）" in md and "已超期" in md and "B2 车库" in md
    assert "<h2>Incidents in progress (1)</h2>" in render(h, "html", "en")
    assert main(["--lang", "en", "report", "handover", "--format", "md"]) == 0
    assert "## Overdue and due next (1)" in capsys.readouterr().out
    assert main(["report", "handover", "--hours", "0"]) == 2


def test_a_generated_year_names_the_top_five_per_building():
    """A year of random cases: each building's top five and monthly counts agree with a
    plain recount of the same records."""
    import random
    from collections import Counter

    rng = random.Random(7)
    cats = ["water_leak", "lift", "noise", "parking", "cleanliness", "greenery", "fees", "pets"]
    docs = []
    for n in range(600):
        month = 1 + n % 12
        docs.append(
            {
                "id": f"c{n}",
                "category": rng.choices(cats, weights=[9, 7, 6, 5, 4, 3, 2, 1])[0],
                "building": rng.choice("123"),
                "status": rng.choice(["closed", "closed", "dispatched", "cancelled"]),
                "created_at": f"2026-{month:02d}-{1 + n % 28:02d}T08:00:00Z",
                "events": [],
            }
        )
    tr = trends(docs, "building")
    kept = [d for d in docs if d["status"] != "cancelled"]
    for g in tr.groups:
        mine = [d for d in kept if d["building"] == g.key]
        recount = Counter(d["category"] for d in mine)
        assert g.cases == len(mine)
        assert g.top() == sorted(recount.items(), key=lambda kv: (-kv[1], kv[0]))[:5]
        assert sum(g.months.values()) == len(mine) and len(g.months) == 12
    assert tr.total.cases == len(kept)


def test_text_columns_line_up_with_chinese_category_names(data):
    """Chinese labels take two terminal columns per character: the counts still line up."""
    from fieldkit.reports.trends_text import cells

    tr = trends(_docs(data), "category")
    names = {"leak": "漏水渗水", "noise": "噪音", "lift": "电梯故障（轿厢）"}
    rows = [line for line in to_text(tr, names, "zh").splitlines() if "█" in line]
    assert len(rows) == len(tr.groups) >= 2
    ends = {cells(row[: row.index("█")]) for row in rows}
    assert len(ends) == 1, rows


def test_the_printed_total_row_says_where_by_category(data):
    """By category the table's last column is where each happens most: the total row names
    the buildings with the most cases (nc26: it listed categories under 多发楼栋), as the CSV
    does; the page is titled as the report and ends with its sign-off."""
    from fieldkit.reports.document import Grid, Section, SignOff
    from fieldkit.reports.trends_text import document

    tr = trends(_docs(data), "category", since=date(2026, 1, 1))
    doc = document(tr, "en")
    assert doc.title == "Recurring problems, by category"
    grid = next(b for s in doc.blocks if isinstance(s, Section) for b in s.blocks
                if isinstance(b, Grid))  # fmt: skip
    total = grid.rows[-1]
    assert total[0] == "All" and total[-1] == "A: 4; B: 4", total  # buildings, not categories
    assert grid.head[0] == "Category"
    assert isinstance(doc.blocks[-1], SignOff)
    rows = list(csv.reader(io.StringIO(to_csv(tr, "en"))))
    assert rows[-1][6] == total[-1]
