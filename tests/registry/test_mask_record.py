"""What leaves the office for a role: every personal field it may not see, masked."""

import pytest

from fieldkit.model.personal import mask_record

RESIDENT = {"id": "r1", "name": "张伟", "phone": "13812345678", "id_number": "110101199003071234"}
PERMIT = {
    "id": "p1",
    "applicant": "李娜",
    "applicant_phone": "13900001111",
    "contractor": "好家装修",
    "workers": [{"name": "王强", "phone": "13700002222", "id_number": "110101198001011235"}],
}


def test_patrol_sees_nothing_personal_of_a_resident():
    out = mask_record("resident", RESIDENT, "patrol")
    assert out == {
        "id": "r1",
        "name": "张*",
        "phone": "138****5678",
        "id_number": "110***********1234",
    }
    assert RESIDENT["name"] == "张伟"  # the stored body is not touched


@pytest.mark.parametrize(
    ("role", "name", "phone", "id_number"),
    [
        ("office", "张伟", "13812345678", "110101199003071234"),
        ("emergency", "张伟", "13812345678", "110***********1234"),
        ("renovation", "张伟", "138****5678", "110***********1234"),
    ],
)
def test_each_role_sees_what_it_needs(role, name, phone, id_number):
    out = mask_record("resident", RESIDENT, role)
    assert (out["name"], out["phone"], out["id_number"]) == (name, phone, id_number)


def test_permit_applicant_and_workers_are_masked_for_patrol():
    out = mask_record("renovation_permit", PERMIT, "patrol")
    assert out["applicant"] == "李*" and out["applicant_phone"] == "139****1111"
    assert out["contractor"] == "好家装修"
    assert out["workers"] == [
        {"name": "王*", "phone": "137****2222", "id_number": "110***********1235"}
    ]


def test_names_of_places_are_not_personal():
    unit = {"id": "u1", "name": {"zh": "3-2-1502", "en": "3-2-1502"}, "owner_phone": "13812345678"}
    out = mask_record("unit", unit, "patrol")
    assert out["name"] == unit["name"] and out["owner_phone"] == "138****5678"
