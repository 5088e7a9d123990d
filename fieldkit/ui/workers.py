"""How a screen calls the workspace: a Textual thread worker (``@in_thread``) that posts a
typed message (``fieldkit.ui.messages``) with what it got, and what a failure tells the
person (``said``).

A worker that raises does not end the app: its screen is told by Textual
(``Worker.StateChanged``, state ERROR) and says the failure once, in words
(``FieldScreen.on_worker_state_changed``). A screen that does something particular with a
failure (puts the refused text back, goes back) catches it in the worker and posts the
typed message for that event instead."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

from textual import work

from fieldkit.i18n import UserError, t

log = logging.getLogger("fieldkit.ui")


def in_thread(*, group: str, exclusive: bool = False) -> Callable[[Any], Any]:
    """``@in_thread(group=...)`` on a screen method: it runs on a thread worker of the
    screen (cancelled with it). ``exclusive``: a newer call replaces the one running (a
    search as the person types), whose result then is not posted (``still_wanted``)."""

    def decorate(method: Callable[..., Any]) -> Any:
        @functools.wraps(method)
        def carried(*args: Any, **kwargs: Any) -> Any:
            try:
                return method(*args, **kwargs)
            except (StopIteration, StopAsyncIteration) as exc:
                raise Carried(exc) from exc

        return work(thread=True, exit_on_error=False, group=group, exclusive=exclusive)(carried)

    return decorate


class Carried(Exception):
    """An exception an asyncio future cannot hold (StopIteration: the worker would never
    finish), carried in one that it can; ``said`` names the one carried."""

    def __init__(self, exc: BaseException) -> None:
        super().__init__(str(exc))
        self.exc = exc


def still_wanted() -> bool:
    """In an exclusive worker: not replaced by a newer call (post its result only then)."""
    from textual.worker import get_current_worker

    return not get_current_worker().is_cancelled


def said(exc: BaseException) -> str:
    """``exc`` as one sentence for a notice or a dialog's error line: a UserError's own
    words, a service error's catalogue ``key``; anything else is a fault, named by its
    type and text and logged with its traceback, never shown as one."""
    if isinstance(exc, Carried):
        exc = exc.exc
    if isinstance(exc, UserError):
        return exc.message()
    key = getattr(exc, "key", None)
    if key:
        return t(key, **getattr(exc, "params", {}))
    log.error("work failed", exc_info=exc)
    text = str(exc).strip()
    return t("ui.error.unexpected", error=f"{type(exc).__name__}: {text}" if text else
             type(exc).__name__)  # fmt: skip
