"""The role this device acts in, and which roles' homes list the scheduled rounds.

Apart from the flat registry (``services.registry``), which makes its record views at
import: the home asks for the role before its data, and needs none of them (issue 17).
"""

from __future__ import annotations

from typing import Any

#: Every role a device can be enrolled for.
ROLES = ("patrol", "renovation", "emergency", "desk", "office")
#: The roles whose home lists the scheduled rounds: the patrol walks them, the office
#: supervisor oversees them. A renovation inspector, the emergency coordinator and the
#: desk have their own work on their homes; the rounds are not theirs to walk.
ROUND_ROLES = frozenset({"patrol", "office"})


def device_role(workspace: Any) -> str:
    """The role this device was enrolled for; a device set up without the office (a demo,
    a spare laptop) may name one in its state; otherwise the least: patrol."""
    return role_at(workspace.data_dir, workspace.store) or "patrol"


def role_at(data_dir: Any, store: Any) -> str:
    """The role the device whose data folder and open store these are was enrolled for or
    names in its state; "" when neither says (:func:`device_role` then takes patrol's)."""
    from fieldkit.sync.credentials import Credentials, SyncError

    try:
        creds = Credentials.load(data_dir)
    except SyncError:
        creds = None
    if creds is not None:
        return creds.role
    role = store.device_state().get("role")
    return role if role in ROLES else ""
