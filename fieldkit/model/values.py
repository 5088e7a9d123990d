"""Small value types records hold: what a record is about (:class:`Target`), the exact
checklist a run used (:class:`ChecklistRef`), and a photo or file in the blob store
(:class:`AttachmentRef`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar

from fieldkit.model.base import ModelError, Plain, need_in, need_str

SHA256 = re.compile(r"^[0-9a-f]{64}$")
TARGET_KINDS = ("site", "building", "unit", "asset", "checkpoint", "route", "incident")


@dataclass(slots=True)
class Target(Plain):
    """What a record is about: ``Target("unit", unit_id)``, ``Target("asset", asset_id)``."""

    kind: str
    id: str
    REQUIRED: ClassVar[tuple[str, ...]] = ("kind", "id")

    def validate(self) -> None:
        need_in(self, "kind", TARGET_KINDS)
        need_str(self, "id")


@dataclass(slots=True)
class ChecklistRef(Plain):
    """The exact checklist a run used: its id, version and content hash."""

    id: str
    version: int
    hash: str
    REQUIRED: ClassVar[tuple[str, ...]] = ("id", "version", "hash")

    def validate(self) -> None:
        need_str(self, "id", "hash")
        if not isinstance(self.version, int) or isinstance(self.version, bool):
            raise ModelError("ChecklistRef.version: a whole number is needed")


@dataclass(slots=True)
class AttachmentRef(Plain):
    """A photo or file in the blob store, named by the sha256 of its bytes."""

    sha256: str
    size: int
    media_type: str = "application/octet-stream"
    name: str = ""
    REQUIRED: ClassVar[tuple[str, ...]] = ("sha256", "size")

    def validate(self) -> None:
        if not isinstance(self.sha256, str) or not SHA256.match(self.sha256):
            raise ModelError("AttachmentRef.sha256: 64 lowercase hex digits are needed")
        if not isinstance(self.size, int) or self.size < 0:
            raise ModelError("AttachmentRef.size: a size in bytes is needed")
