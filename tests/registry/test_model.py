"""Registry records, masking by role, permitted hours, and the reveal log in the store."""

from __future__ import annotations

import re
from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fieldkit.model import ModelError, new_id, record_from_dict
from fieldkit.model.personal import REVEAL_ROLES, is_masked, mask, may_reveal
from fieldkit.model.registry import RenovationPermit, RentalRegistration, Resident, WorkHours
from fieldkit.model.reveal import Reveal
from fieldkit.store import Store


def test_masks_as_the_reference_says():
    assert mask("phone", "13812345678") == "138****5678"
    assert mask("id_number", "110101199003071234") == "110***********1234"
    assert mask("name", "张伟") == "张*"
    assert mask("name", "欧阳娜娜") == "欧阳**"  # a compound surname is the surname
    assert mask("phone", "") == "" and mask("phone", None) == ""
    assert mask("phone", "110") == "***"
    assert mask("phone", "88881234") == "****1234"
    assert mask("name", "张") == "*"
    # a name in Latin letters (pinyin, surname first) keeps its surname as 张* does
    assert mask("name", "Guo Jianhua") == "Guo J***"
    assert mask("name", "Zhang Xiuying") == "Zhang X***"
    assert mask("name", "Smith") == "S***"
    # a note in brackets is no part of the name: kept when it only says who they are to
    # the flat, else left out (it may name someone else)
    assert mask("name", "Tom (tenant)") == "T*** (tenant)"
    assert mask("name", "张伟（租户）") == "张*（租户）"
    assert mask("name", "Li Wei (Owner)") == "Li W*** (Owner)"
    assert mask("name", "Tom (Mr Lee's son)") == "T***"


@given(st.sampled_from(["phone", "id_number", "name"]), st.text(min_size=1, max_size=30))
def test_a_mask_always_hides_something_and_never_much_is_shown(item, value):
    text = value.strip()
    shown = mask(item, value)
    if not text:
        assert shown == ""
        return
    if item == "name":  # a mask of a name is masked, and masks to itself (any release's)
        assert is_masked(shown) and mask(item, shown) == shown
        words = re.sub(r"\s*[(（][^()（）]*[)）]$", "", shown).split()  # a role note kept
        assert all(w.endswith("*") or w in ("Mr", "Mrs", "Ms", "Miss", "Dr", "Mx") or
                   w.lower() == text.split()[0].lower() for w in words), (text, shown)  # fmt: skip
        return
    assert len(shown) == len(text) and is_masked(shown)
    visible = sum(1 for a, b in zip(shown, text, strict=True) if a == b and a != "*")
    if len(text) >= 11:
        assert visible <= 7
    else:
        assert visible <= len(text) / 2


def test_who_may_reveal_what():
    assert may_reveal("office", "id_number")
    assert not may_reveal("renovation", "id_number")
    assert may_reveal("emergency", "phone") and not may_reveal("patrol", "phone")
    assert may_reveal("renovation", "name") and not may_reveal("patrol", "name")
    assert not may_reveal("office", "bank_account")
    assert set(REVEAL_ROLES) == {"name", "phone", "id_number"}


def permit(**kw) -> RenovationPermit:
    values = dict(id=new_id(), site_id="s", unit_id="u", start="2026-11-02", end="2026-12-31")
    values.update(kw)
    return RenovationPermit(**values)


def test_permitted_hours():
    p = permit(hours=WorkHours(closed=["2026-12-25"]))
    monday = datetime(2026, 11, 30, 9, 30)
    assert p.hours_on(monday.date()) == ["08:00-12:00", "14:00-18:00"]
    assert p.allows(monday)
    assert not p.allows(monday.replace(hour=12, minute=0))  # the window's end is outside
    assert not p.allows(monday.replace(hour=13, minute=59))
    assert p.allows(monday.replace(hour=14))
    assert p.hours_on(date(2026, 11, 28)) == []  # Saturday
    assert p.hours_on(date(2026, 12, 25)) == []  # the compound's holiday
    assert p.hours_on(date(2027, 1, 4)) == []  # after the permit ends
    assert permit(status="suspended").hours_on(monday.date()) == []


def test_round_trip_and_refusals():
    p = permit(workers=[{"name": "王师傅", "phone": "13900001111"}], scope=["水电改造"])
    again = record_from_dict("renovation_permit", p.to_dict())
    assert again == p and isinstance(again.hours, WorkHours)
    r = Resident(id=new_id(), site_id="s", unit_id="u", special_care=["elderly_alone"])
    assert record_from_dict("resident", r.to_dict()) == r
    rental = RentalRegistration(id=new_id(), site_id="s", unit_id="u", start="2026-01-01")
    assert not rental.identity_checked and rental.current(date(2026, 6, 1))
    bad = [
        ("renovation_permit", {**p.to_dict(), "end": "2026-01-01"}),
        ("renovation_permit", {**p.to_dict(), "hours": {"windows": ["8-12"]}}),
        ("renovation_permit", {**p.to_dict(), "deposit_state": "lost"}),
        ("resident", {**r.to_dict(), "special_care": ["vip"]}),
        ("resident", {**r.to_dict(), "role": "landlord"}),
        ("rental", {**rental.to_dict(), "fee_payer": "agent"}),
        ("reveal", {"id": "x", "resident_id": "r", "item": "bank", "role": "office"}),
    ]
    for entity, doc in bad:
        with pytest.raises(ModelError):
            record_from_dict(entity, doc)


def test_registry_records_are_reference_data_in_the_store(tmp_path):
    with Store.open(tmp_path / "d") as store:
        r = Resident(id=new_id(), site_id="s", unit_id="u", phone="13812345678")
        store.put_reference("resident", [r])
        store.put_reference("renovation_permit", [permit()])
        assert store.reference("resident") == [r]
        assert store.outbox_count() == 0
    with Store.open(tmp_path / "d") as store:
        assert store.get_reference("resident", r.id) == r
        assert len(store.reference("renovation_permit")) == 1


def test_reveals_are_durable_queued_and_archived(tmp_path):
    with Store.open(tmp_path / "d") as store:
        reveal = store.log_reveal(
            Reveal(id=new_id(), resident_id="r1", item="phone", role="office", by="li")
        )
        assert reveal.device == store.device_id
        (entry,) = store.outbox_pending()
        assert entry.entity == "reveal" and entry.record["item"] == "phone"
        with pytest.raises(ModelError):
            store.log_reveal(Reveal(id=new_id(), resident_id="r1", item="iban", role="office"))
        assert store.outbox_count() == 1
    with Store.open(tmp_path / "d") as store:
        assert store.get("reveal", reveal.id) == reveal
        kinds = [entity for entity, _ in store.iter_records(["reveal"])]
        assert kinds == ["reveal"]
        # a pulled copy of a reveal changes nothing and never fails the page
        result = store.apply_remote([{"entity": "reveal", "record": reveal.to_dict()}], "c1")
        assert result.unchanged == 1 and not result.refused


def test_open_cases_of_one_target(tmp_path):
    from fieldkit.model import Target

    with Store.open(tmp_path / "d") as store:
        a = store.create_case("violation", Target("unit", "u1"), title="a")
        store.create_case("repair", Target("unit", "u2"), title="b")
        done = store.create_case("repair", Target("unit", "u1"), title="c")
        store.set_case_status(done.id, "closed")
        assert [c.id for c in store.open_cases("u1")] == [a.id]
        assert len(store.open_cases()) == 2
        assert store.open_cases("nowhere") == []
