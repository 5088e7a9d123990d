"""The needs-attention list: what the office refused, what could not be stored here, and
store files that fell back to a previous copy — each said as what happened and what to do.

Entries come from :meth:`fieldkit.store.Store.needs_attention`: ``outbox`` (a record this
device sent that the office refused; ``resend`` puts it back in the outbox once put right),
``incoming`` (a change from the office this device could not store) and ``damage`` (see
:mod:`fieldkit.store.damage`). ``dismiss`` takes an entry off the list once a person has
dealt with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fieldkit.i18n import catalogue, get_language, t
from fieldkit.store import damage as damage_rules

#: One key opens the list from anywhere (home, the sync line); help and the palette say so.
KEY = "!"


@dataclass(frozen=True)
class Item:
    key: str
    kind: str  # outbox | incoming | damage
    at: str
    entry: dict
    data_dir: Path

    @property
    def can_resend(self) -> bool:
        return self.kind == "outbox"

    def _what(self, lang: str) -> str:
        if self.kind == "outbox":
            doc = self.entry.get("entry") or {}
        else:
            doc = self.entry.get("change") or {}
        entity = str(doc.get("entity") or "")
        record_id = str(doc.get("id") or (doc.get("record") or {}).get("id") or "")
        name = catalogue(lang).get(f"attention.entity.{entity}", entity or "?")
        return f"{name} #{record_id[-6:]}" if record_id else name

    def said(self, lang: str | None = None) -> str:
        """What happened."""
        lang = lang or get_language()
        if self.kind == "damage":
            return damage_rules.describe(self.entry, self.data_dir, lang)
        reason = str(self.entry.get("reason") or "—")
        key = "attention.said.outbox" if self.kind == "outbox" else "attention.said.incoming"
        return t(key, lang, what=self._what(lang), reason=reason)

    def todo(self, lang: str | None = None) -> str:
        """What the person should do about it."""
        lang = lang or get_language()
        if self.kind == "outbox":
            return t("attention.todo.outbox", lang)
        if self.kind == "incoming":
            return t("attention.todo.incoming", lang)
        if self.entry.get("recovered"):
            return t("attention.todo.recovered", lang)
        if self.entry.get("not_back"):
            return t("damage.todo.not_back", lang)
        if self.entry.get("file") == "active.json":
            return t("attention.todo.active", lang)
        if damage_rules.enrolled(self.data_dir):
            return t("attention.todo.sync", lang, key="s")
        return t("attention.todo.local", lang)


def items(workspace: Any) -> list[Item]:
    return [
        Item(str(d.get("key")), str(d.get("kind", "")), str(d.get("at", "")), d,
             Path(workspace.data_dir))
        for d in workspace.store.needs_attention()
    ]  # fmt: skip


def damage(workspace: Any) -> list[Item]:
    """The fallbacks still on the list: home shows them until a person confirms them."""
    return [i for i in items(workspace) if i.kind == damage_rules.KIND]


def resend(workspace: Any, key: str) -> bool:
    return bool(workspace.store.requeue(key))


def dismiss(workspace: Any, key: str) -> bool:
    return bool(workspace.store.dismiss(key))
