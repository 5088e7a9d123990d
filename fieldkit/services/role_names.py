"""Roles as people call them: 巡逻岗, 客服 / 办公室 … never the id a device was enrolled with.

Every message that names a role (who may make a move, who may see a phone number) goes
through :func:`role_name`; an id this release does not know is shown as it is."""

from __future__ import annotations

from collections.abc import Iterable

from fieldkit.i18n import catalogue, get_language


def role_name(role: str, lang: str | None = None) -> str:
    return catalogue(lang or get_language()).get(f"desk.role.{role}", role)


def role_names(roles: Iterable[str], lang: str | None = None) -> str:
    """Several roles in one phrase: ``客服 / 办公室、应急岗`` (zh) or ``…, …`` (en)."""
    lang = lang or get_language()
    sep = "、" if lang == "zh" else ", "
    order = ("office", "patrol", "renovation", "emergency")
    wanted = set(roles)
    if "office" in wanted:  # 客服（办公室） already names the desk
        wanted.discard("desk")
    ranked = sorted(wanted, key=lambda r: (order.index(r) if r in order else len(order), r))
    return sep.join(role_name(r, lang) for r in ranked)
