"""Which kind of OS the data folder lives on, asked at the moment a step depends on it.

Field laptops run Linux or Windows (DESIGN §5). The steps that only exist on POSIX — an
fsync of a folder, owner-only file modes, ``flock`` — are each guarded by :func:`is_windows`,
and nothing else decides it: the code asks this one function when it runs, never a constant
fixed at import, so a test can make the Windows branches run on Linux
(``tests/store/test_windows.py``).
"""

from __future__ import annotations

import os


def is_windows() -> bool:
    """Whether this is Windows: no folder fsync, no modes (the profile's ACLs keep the
    data folder its user's), ``msvcrt`` locks, and a replace a reader can hold up."""
    return os.name == "nt"


def has_modes() -> bool:
    """Whether files have owner/group/other modes to set (POSIX)."""
    return not is_windows()
