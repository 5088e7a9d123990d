"""Who is at the keyboard: the person signed in on this device.

A device is enrolled for a site and a role; several people share it over a day (the night
guard hands the laptop to the morning patrol). Every record names the person who made it,
never a role or the operating system's login, so the device keeps who is signed in with its
state, in the same durable store as everything else. Signing in asks only for a name: the
device trusts the people who hold it, as a paper logbook does, and the office sees the name
on every record it receives.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fieldkit.i18n import UserError

NAME_MAX = 40


class SignInError(UserError):
    """A name that cannot be signed in with; ``key`` names the message."""


@dataclass(frozen=True)
class Person:
    name: str
    phone: str = ""  # how an owner reaches them (printed on a rectification notice)

    def __bool__(self) -> bool:
        return bool(self.name)


def clean_name(name: str) -> str:
    """A person's name as it will be written on records: inner runs of spaces collapsed."""
    text = " ".join(str(name).split())
    if not text:
        raise SignInError("signin.error.empty")
    if len(text) > NAME_MAX:
        raise SignInError("signin.error.too_long", limit=NAME_MAX)
    if any(not ch.isprintable() for ch in text):
        raise SignInError("signin.error.unprintable")
    return text


def signed_in(store: Any) -> Person:
    """The person signed in on this device; an empty Person when nobody is."""
    state = store.device_state()
    value, phone = state.get("person") or "", state.get("phone") or ""
    return Person(value if isinstance(value, str) else "", phone if isinstance(phone, str) else "")


def sign_in(store: Any, name: str, phone: str = "") -> Person:
    """Sign ``name`` in (durably: the next start opens with the same person), with the
    phone number an owner may call them on, if given."""
    person = Person(clean_name(name), " ".join(str(phone).split())[:NAME_MAX])
    store.set_device_state(person=person.name, phone=person.phone)
    return person


def sign_out(store: Any) -> None:
    store.set_device_state(person="", phone="")
