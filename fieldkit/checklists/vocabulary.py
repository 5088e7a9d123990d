"""The fixed words of the checklist language: keys, item types, departments, and the rest.

Everything a checklist author may write as a word (not free text) is listed here once, so
the loader, the did-you-mean suggestions, ``fieldkit checklist show`` and the docs agree.
The words records share — severities, departments, incident types — are the model's
(:mod:`fieldkit.model.case`, :mod:`fieldkit.model.incident`).
"""

from __future__ import annotations

import re

CHECKLIST_ID = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")
LOCAL_ID = re.compile(r"^[a-z][a-z0-9_]*$")

LANGS = ("zh", "en")

TOP_KEYS = (
    "id",
    "version",
    "title",
    "description",
    "source",
    "applies_to",
    "every",
    "on_missed",
    "sections",
    "tags",
)
TOP_REQUIRED = ("id", "version", "title", "applies_to", "every", "sections")
SECTION_KEYS = ("id", "title", "show_if", "repeat", "items")
SECTION_REQUIRED = ("id", "title", "items")
REPEAT_KEYS = ("for_each", "where")
REPEAT_FOR_EACH = ("asset",)
ON_FAIL_KEYS = ("severity", "department", "due")
OPTION_KEYS = ("id", "label", "fails", "on_fail", "exclusive", "acted")
OPTION_REQUIRED = ("id", "label")

ITEM_TYPES = ("check", "number", "choice", "multi", "text", "photo", "date", "signature")
ITEM_COMMON_KEYS = (
    "id",
    "type",
    "label",
    "fail_label",
    "hint",
    "required",
    "required_if",
    "show_if",
    "on_fail",
)
ITEM_REQUIRED = ("id", "type", "label")
ITEM_TYPE_KEYS: dict[str, tuple[str, ...]] = {
    "check": ("notice", "call"),
    "number": ("unit", "range", "expect", "decimals"),
    "choice": ("options",),
    "multi": ("options", "notice"),
    "signature": ("signer",),
}
ALL_ITEM_KEYS = (*ITEM_COMMON_KEYS, "unit", "range", "expect", "decimals", "options", "signer",
                 "notice", "call")  # fmt: skip
#: Whom a call logged on an incident (F4) answers a check step of its plan for (``call:``):
#: the outside services and the property manager. A call nobody answered answers nothing.
CALLED = ("119", "110", "120", "122", "water", "power", "gas", "drainage", "lift", "manager")
#: Which notice to owners answers a check step of an incident's plan when it is saved
#: (``notice:``): ``any`` notice, or only the ``all_clear`` (once the incident is stood
#: down). A multi step names instead the option a saved notice adds (``notice_board``).
NOTICE_WHEN = ("any", "all_clear")
#: Who signs a signature item: ``self``, the person signed in on the device (their name is
#: offered in the box); ``other`` (the default), someone else — an owner, the next shift.
SIGNERS = ("self", "other")
REQUIRED_BY_DEFAULT = {
    "check": True,
    "number": True,
    "choice": True,
    "multi": True,
    "date": True,
    "signature": True,
    "text": False,
    "photo": False,
}
FAILABLE_TYPES = ("check", "number", "choice", "multi")
CHECK_ANSWERS = ("pass", "fail", "na")
MAX_DECIMALS = 6

TARGETS = ("unit", "building", "site", "route", "checkpoint")
ASSET_KINDS = (
    "extinguisher",
    "hydrant_cabinet",
    "fire_door",
    "emergency_light",
    "exit_sign",
    "alarm_panel",
    "sprinkler_valve",
    "smoke_fan",
    "fire_pump",
    "fire_lift",
    "camera",
    "gate",
    "access_control",
    "barrier",
    "lift",
    "water_pump",
    "generator",
    "distribution_box",
)
# what a patrol route walks: a stairwell's floors, the car park and fire lanes, the perimeter
# (a route with no kind recorded is a stairwell: the first routes were)
ROUTE_KINDS = ("stairwell", "carpark", "perimeter")
PERIODS = ("shift", "day", "week", "month", "quarter", "year", "on_demand")

TAG_MAX_LENGTH = 32
