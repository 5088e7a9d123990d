"""The person signed in names every record made on the device, and survives a restart."""

from __future__ import annotations

import pytest

from fieldkit.i18n import t
from fieldkit.services import signin
from fieldkit.services.workspace import Workspace
from fieldkit.store import Store


def test_sign_in_is_durable_and_cleaned(tmp_path):
    store = Store.open(tmp_path)
    assert not signin.signed_in(store)
    assert signin.sign_in(store, "  张   师傅 ").name == "张 师傅"
    store.close()
    again = Store.open(tmp_path)
    assert signin.signed_in(again).name == "张 师傅"
    signin.sign_out(again)
    assert not signin.signed_in(again)
    again.close()


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("   ", "signin.error.empty"),
        ("王" * 41, "signin.error.too_long"),
        ("a\x07b", "signin.error.unprintable"),
    ],
)
def test_bad_names_are_refused_with_a_sentence(tmp_path, name, key):
    store = Store.open(tmp_path)
    with pytest.raises(signin.SignInError) as raised:
        signin.sign_in(store, name)
    assert raised.value.key == key
    for lang in ("zh", "en"):
        assert raised.value.message(lang) != key
    assert t(key, "zh", limit=40) != t(key, "en", limit=40)
    assert not signin.signed_in(store)
    store.close()


def test_workspace_actor_is_the_person(tmp_path):
    store = Store.open(tmp_path)
    ws = Workspace(tmp_path, store)
    assert ws.actor == ""
    ws.sign_in("李娜")
    assert ws.actor == "李娜"
    store.close()
