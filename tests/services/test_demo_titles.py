"""The demo's owners' cases are titled as a clerk writes them: a short description of the
problem in zh and en ("厨房有燃气味"), never the bare name of its category ("燃气")."""

from __future__ import annotations

from fieldkit.services import lifecycle
from fieldkit.services.demo import generate
from fieldkit.store import Store


def test_no_owners_case_is_titled_with_its_category(tmp_path):
    generate(tmp_path / "c", cases=200, floors=2)
    with Store.open(tmp_path / "c", readonly=True) as store:
        docs = [doc for _, doc in store.iter_records(["case"])]
    owners = [d for d in docs if d.get("kind") in ("repair", "complaint", "dispute")]
    assert len(owners) > 100
    seen = set()
    for doc in owners:
        titles = doc["titles"]
        labels = {
            c.id: c.label for c in lifecycle.for_kind(doc["kind"]).categories
        }  # the category names
        category = labels[doc["category"]]
        for lang in ("zh", "en"):
            assert titles[lang] and titles[lang] != category[lang], (doc["category"], titles)
        assert any("\u4e00" <= ch <= "\u9fff" for ch in titles["zh"])  # written in Chinese
        assert titles["en"].isascii()
        seen.add(titles["zh"])
    assert len(seen) > 20  # various problems, not one per category
    leaks = {d["titles"]["zh"] for d in owners if d["category"] == "water_leak"}
    complaints = {d["titles"]["zh"] for d in owners
                  if d["category"] == "water_leak" and d["kind"] == "complaint"}  # fmt: skip
    assert complaints and "厨房水管接头漏水" not in complaints  # a repair's words (nc21)
    assert "厨房水管接头漏水" in leaks - complaints


def test_a_building_wide_finding_says_where_in_the_building(tmp_path):
    """A fire door or escape route found wrong on a building's round names the floor and the
    stairwell, as the round asks the guard to (nc21: "常闭防火门被撑开" read only 3号楼, and
    the desk could not say which door)."""
    for lang in ("zh", "en"):
        generate(tmp_path / lang, cases=200, floors=2, lang=lang)
        with Store.open(tmp_path / lang, readonly=True) as store:
            docs = [doc for _, doc in store.iter_records(["case"])]
        wide = [d for d in docs if d["kind"] == "finding" and d["target"]["kind"] == "building"]
        assert wide
        for doc in wide:
            spot = doc["description"]
            if lang == "zh":
                assert spot.endswith(("楼梯间", "前室")) and "层" in spot, spot
            else:
                assert spot.startswith("floor ") and spot.isascii(), spot
        on_assets = [d for d in docs if d["kind"] == "finding" and d["target"]["kind"] == "asset"]
        assert all(d["description"] == "" for d in on_assets)
