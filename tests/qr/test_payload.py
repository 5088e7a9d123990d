"""The QR payload: round trip, every single-character misread caught, clear errors."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fieldkit.i18n import t
from fieldkit.model.qr import (
    ALPHABET,
    KINDS,
    MAX_BODY,
    SEP,
    Payload,
    QRError,
    check_char,
    decode,
    encode,
)

QR_ALPHANUMERIC = set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:")
fields = st.text(alphabet=ALPHABET, min_size=1, max_size=12)
kinds = st.sampled_from(sorted(KINDS))


def test_documented_example():
    text = encode("unit", "CH", "3-2-1502")
    assert text.startswith("FK1:U:CH:3-2-1502:")
    assert decode(text) == Payload("unit", "CH", "3-2-1502")
    assert decode(text.lower()) == Payload("unit", "CH", "3-2-1502")
    assert decode(f"  {text}\n") == Payload("unit", "CH", "3-2-1502")


@given(kinds, fields, fields)
def test_round_trip_and_alphanumeric_mode(kind, site, code):
    try:
        text = encode(kind, site, code)
    except QRError as exc:
        assert exc.key == "qr.error.too_long"
        assert len(f"FK1:U:{site}:{code}") > MAX_BODY
        return
    assert set(text) <= QR_ALPHANUMERIC and " " not in text
    assert text == text.upper()
    assert decode(text) == Payload(kind, site, code)


# A fixed seed (derandomize) so CI never meets a draw the last run did not: the examples
# are many enough to cover each position with characters of every Unicode category.
@settings(max_examples=3000, derandomize=True, deadline=None)
@given(kinds, fields, fields, st.data())
def test_any_single_substitution_is_caught(kind, site, code, data):
    try:
        text = encode(kind, site, code)
    except QRError:
        return
    position = data.draw(st.integers(0, len(text) - 1))
    replacement = data.draw(
        st.one_of(st.characters(codec="utf-8"), st.sampled_from("ßıſﬁǅ\u0130ﬀ\u3000")).filter(
            lambda c: not (c.isascii() and c.upper() == text[position])
        )
    )
    misread = text[:position] + replacement + text[position + 1 :]
    with pytest.raises(QRError) as caught:
        decode(misread)
    assert caught.value.key in {"qr.error.misread", "qr.error.not_ours"}


@pytest.mark.parametrize("char", ["ß", "ı", "ſ", "ﬁ", "İ", "ǅ", "Ａ", "\u3000", "é"])
def test_characters_whose_upper_case_differs_are_misreads(char):
    """``ß`` upper-cases to ``SS``, ``ı`` to ``I``, ``ſ`` to ``S``: at any place of a
    label each is a misread, even where its upper case is the character it replaced."""
    text = encode("unit", "CH", "3-2-1502")
    for position in range(len(text)):
        misread = text[:position] + char + text[position + 1 :]
        with pytest.raises(QRError) as caught:
            decode(misread)
        assert caught.value.key in {"qr.error.misread", "qr.error.not_ours"}


def test_every_substitution_exhaustively_for_one_label():
    text = encode("asset", "CH", "EXT-3-2-15")
    for position in range(len(text)):
        for char in ALPHABET + SEP + " *a":
            if char.upper() == text[position]:
                continue
            misread = text[:position] + char + text[position + 1 :]
            with pytest.raises(QRError):
                decode(misread)


def test_adjacent_swaps_are_caught():
    text = encode("checkpoint", "CH", "R-3-2")
    for i in range(len(text) - 1):
        a, b = text[i], text[i + 1]
        if a == b or SEP in (a, b):
            continue
        with pytest.raises(QRError):
            decode(text[:i] + b + a + text[i + 2 :])


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("3-2-1502", "qr.error.not_ours"),
        ("HELLO WORLD", "qr.error.not_ours"),
        ("", "qr.error.not_ours"),
        ("FK1:U:CH:3-2-1502", "qr.error.misread"),
        ("FK1:U:CH::X", "qr.error.misread"),
        ("FK1:U:CH:3-2-1502:XY", "qr.error.misread"),
        ("FK1:U:CH:3 2:X", "qr.error.misread"),
        (
            "FK1:U:CH:3-2-1502:" + ("0" if check_char("FK1:U:CH:3-2-1502") != "0" else "1"),
            "qr.error.misread",
        ),
    ],
)
def test_junk_gets_a_clear_error(text, key):
    with pytest.raises(QRError) as caught:
        decode(text)
    assert caught.value.key == key
    for lang in ("zh", "en"):
        message = t(caught.value.key, lang, **caught.value.params)
        assert "{" not in message and message.strip()


def test_newer_version_and_unknown_kind_with_a_valid_check():
    body = "FK2:U:CH:3-2-1502"
    with pytest.raises(QRError) as caught:
        decode(f"{body}:{check_char(body)}")
    assert caught.value.key == "qr.error.version"
    assert caught.value.params["version"] == 2
    body = "FK1:Q:CH:3-2-1502"
    with pytest.raises(QRError) as caught:
        decode(f"{body}:{check_char(body)}")
    assert caught.value.key == "qr.error.malformed"


def test_what_cannot_be_encoded():
    with pytest.raises(QRError) as caught:
        encode("unit", "CH", "3号楼")
    assert caught.value.key == "qr.error.bad_field"
    with pytest.raises(QRError) as caught:
        encode("unit", "CH", "A:B")
    assert caught.value.key == "qr.error.bad_field"
    with pytest.raises(QRError) as caught:
        encode("route", "CH", "R-1")
    assert caught.value.key == "qr.error.bad_kind"
    with pytest.raises(QRError) as caught:
        encode("unit", "CH", "X" * 40)
    assert caught.value.key == "qr.error.too_long"
    assert encode("unit", "ch", "3-2-1502") == encode("unit", "CH", "3-2-1502")
