"""What a submitted round found, in words: the home's "submitted today" and the
handover's rounds of the shift say it alike."""

from __future__ import annotations

from fieldkit.i18n import plural, t
from fieldkit.services.types import DoneRun


def found_words(done: DoneRun, lang: str | None = None) -> str:
    """What a submitted round found: the cases it raised, those it found again (added to
    their open case) and what was put right on the spot, else all normal."""
    parts = [plural("ui.home.done_cases", done.cases, lang)] if done.cases else []
    if done.again:
        parts.append(plural("ui.home.done_again", done.again, lang))
    if done.acted:
        parts.append(plural("ui.home.done_acted", done.acted, lang))
    return t("ui.home.done_sep", lang).join(parts) or t("ui.home.done_normal", lang)
