"""A device role (``patrol``, ``desk`` ...) as a person reads it: the id never appears in a
message, a title or a report (a zh reader sees 巡逻岗, not ``patrol``). An id no catalogue
knows (a lifecycle file naming a new role) is shown as it is."""

from __future__ import annotations

from collections.abc import Iterable

from fieldkit.i18n import known, t


def role_name(role: str, lang: str | None = None) -> str:
    """The role inside a sentence: 巡逻岗 / patrol."""
    return known(f"roles.name.{role}", str(role), lang)


def role_title(role: str, lang: str | None = None) -> str:
    """The role as a heading: 办公室主管 / Office supervisor."""
    return known(f"roles.title.{role}", str(role), lang)


#: The order roles are named in a sentence: who usually acts first.
ORDER = ("office", "desk", "renovation", "emergency", "patrol")


def role_names(roles: Iterable[str], lang: str | None = None) -> str:
    """Several roles in one sentence, each once, in :data:`ORDER`: 办公室、客服岗."""
    ranked = sorted(set(roles), key=lambda r: (ORDER.index(r) if r in ORDER else len(ORDER), r))
    return t("checklists.words.list_sep", lang).join(role_name(r, lang) for r in ranked)
