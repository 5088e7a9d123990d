"""Chinese characters kept whole where one widget is drawn over another (a toast over a
case's history, a pop-up over a list).

Textual draws a screen line in pieces ("chops") cut at the edge of every widget on it, the
ones underneath included, and a double-width character that straddles such a cut is
replaced by two spaces (``Segment.split_cells``). A toast over the case screen at 80x24
read "…工单状态不变，稍" / "再打。": the 后 sat across the edge of the history's scrollbar
below it and vanished, whatever the toast's wrapping (Textual issue #6357, open).

:func:`keep_wide_characters` makes the compositor cut a widget's line only where another
widget shows through it: pieces the same widget wins side by side are drawn as one, the
ones after it left empty, so nothing it draws is split at an edge that is not seen.

It replaces a private method of Textual 8.2.8 (``Compositor._render_chops``), copied with one
change; check it against the method on any Textual upgrade. Drop this module once Textual
keeps wide characters whole itself (issue #6357 closed). ``tests/ui/test_toast_text.py``
reads toasts whole, but since toasts wrap at phrases (``phrase_toasts``) its toasts no
longer straddle a cut, so it passes without this too: it does not prove the patch.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from textual._compositor import Compositor
from textual.geometry import Region
from textual.strip import Strip

_EMPTY = Strip([], 0)


def _render_chops(
    self: Compositor, crop: Region, is_rendered_line: Callable[[int], bool]
) -> Sequence[Mapping[int, Strip]]:
    """``Compositor._render_chops``, dividing a widget's line only where the pieces it wins
    end; the pieces it wins after the first of a run hold an empty strip (the run's strip
    covers them), so no widget under it claims them."""
    cuts = self.cuts
    chops: list[dict[int, Strip | None]] = [dict.fromkeys(cut_set[:-1]) for cut_set in cuts]
    for region, clip, strips in self._get_renders(crop):
        render_region = Region.intersection(region, clip)
        render_x = render_region.x
        first_cut, last_cut = render_region.column_span
        for y, strip in zip(render_region.line_range, strips, strict=False):
            if not is_rendered_line(y):
                continue
            line = chops[y]
            final = [cut for cut in cuts[y] if last_cut >= cut >= first_cut]
            free = [line.get(cut) is None for cut in final[:-1]]
            if not free:
                continue
            # divided only where what this widget wins changes: a run of free pieces is one
            bounds = [n for n in range(1, len(free)) if free[n] != free[n - 1]]
            ends = [*bounds, len(free)]
            pieces = strip.divide([final[n] - render_x for n in ends])
            for begin, end, piece in zip([0, *bounds], ends, pieces, strict=False):
                if free[begin]:
                    line[final[begin]] = piece
                    for n in range(begin + 1, end):
                        line[final[n]] = _EMPTY
    return chops  # type: ignore[return-value]


def keep_wide_characters() -> None:
    """Draw overlapping widgets without splitting a wide character at an unseen edge (when
    the app starts; the class is Textual's, shared by every screen, so setting it again is
    harmless)."""
    Compositor._render_chops = _render_chops  # type: ignore[method-assign]
