"""An item and its answer on one line (``wording.labelled``): a colon after a label, none
after a question — the site patrol's "Was the violating work stopped?" read "?:" (ren28)."""

from __future__ import annotations

from fieldkit.checklists.wording import labelled


def test_a_question_takes_no_colon_and_a_label_takes_one():
    asked = "Was the violating work stopped?"
    assert labelled(asked, "Stopped on the spot", "en") == f"{asked} Stopped on the spot"
    assert labelled(asked, "Stopped on the spot", "en", mid=True) == f"{asked} Stopped on the spot"
    assert (
        labelled("违规施工是否已当场制止？", "已当场制止", "zh")
        == "违规施工是否已当场制止？已当场制止"
    )
    assert labelled("整改期限", "2026-12-14", "zh") == "整改期限：2026-12-14"
    assert labelled("Put right by", "2026-12-14", "en") == "Put right by: 2026-12-14"
    assert labelled("Pressure", "Red zone (low)", "en", mid=True) == "Pressure: red zone (low)"
