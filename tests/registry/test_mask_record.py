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


@pytest.mark.parametrize(
    ("key", "in_person", "item"),
    [
        ("phone", False, "phone"),
        ("mobile", False, "phone"),
        ("ownerPhone", False, "phone"),
        ("mobile_no", False, "phone"),
        ("联系电话", False, "phone"),
        ("id_number", False, "id_number"),
        ("idCard", False, "id_number"),
        ("身份证号", False, "id_number"),
        ("owner_name", False, "name"),
        ("name", True, "name"),
        ("name", False, None),  # a building's, a photo's
        ("resident", False, "person"),
        ("parties", False, "person"),
        ("业主", False, "person"),
        ("contact", False, None),  # how to reach someone: phone, wechat
        ("hotel", False, None),
        ("owner_id", False, None),  # a reference to a record, not an id number
    ],
)
def test_free_form_keys_are_read_for_what_they_hold(key, in_person, item):
    from fieldkit.model.personal import key_item

    assert key_item(key, in_person) == item


def test_a_personal_value_is_masked_whatever_its_type_or_nesting():
    case = {
        "id": "c1",
        "owner_phone": 13812345678,
        "phones": ["13812345678", 13900001111],
        "resident": {"name": "张伟", "phone": "13812345678", "room": "1502"},
        "callers": [{"name": "赵敏"}, "李娜"],
        "events": [{"id": "e1", "type": "call", "hlc": "x",
                    "data": {"answered_by": "刘建国", "service": "119"}}],
    }  # fmt: skip
    out = mask_record("case", case, "patrol")
    assert out["owner_phone"] == "138****5678"
    assert out["phones"] == ["138****5678", "139****1111"]
    assert out["resident"] == {"name": "张*", "phone": "138****5678", "room": "1502"}
    assert out["callers"] == [{"name": "赵*"}, "李*"]
    assert out["events"][0]["data"] == {"answered_by": "刘**", "service": "119"}
    assert mask_record("case", case, "office") == case


def test_the_declaration_lives_on_the_model():
    from fieldkit.model.personal import declared_fields

    declared = declared_fields()
    assert declared["unit"] == {"owner_name": "name", "owner_phone": "phone"}
    assert declared["resident"] == {"name": "name", "phone": "phone", "id_number": "id_number"}
    assert declared["renovation_permit"]["workers"] == "person"
    assert declared["event:statement"] == {"owner_name": "name"}
