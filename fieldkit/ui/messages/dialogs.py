"""Dialogs: signing in, a case's photos.

How messages are used: ``fieldkit.ui.messages``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from textual.message import Message


@dataclass
class SignedIn(Message):
    """The person ``name`` is signed in on the device."""

    name: str


@dataclass
class SignInRefused(Message):
    """The name cannot be used; ``error`` says why (shown in the dialog)."""

    error: str


@dataclass
class PhotosListed(Message):
    """A case's photos: name, size, when, and whether each is on this device yet."""

    photos: tuple[Any, ...]


@dataclass
class PhotoOpened(Message):
    """The photo ``name`` is open in the system ``viewer``."""

    name: str
    viewer: str


@dataclass
class PhotoWritten(Message):
    """A photo is written out to ``path``."""

    path: Path
