"""The photos of one case: name, size and when each was attached; Enter opens the
highlighted one with the system viewer, ``w`` writes it to a file. Both run in a thread
worker (fieldkit.services.photos), so a slow viewer never holds the screen. A photo taken
on another device is fetched from the office first (fieldkit.services.attachments), its
progress shown in the hint line; offline, a clear message says so and nothing changes."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from fieldkit.i18n import t
from fieldkit.model import localtime
from fieldkit.services import attachments
from fieldkit.services import photos as photo_service
from fieldkit.ui.messages import WorkDone


def _when(ts: float) -> str:
    return localtime.fmt(ts)


class PhotosDialog(ModalScreen[None]):
    DEFAULT_CSS = """
    PhotosDialog #photos-list { height: auto; max-height: 14; border: none; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", show=False),
        Binding("w", "write", show=False),
    ]

    def __init__(self, case_id: str, ref: str) -> None:
        super().__init__(classes="dialog")
        self.case_id = case_id
        self.ref = ref
        self.photos: tuple[photo_service.Photo, ...] | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Static(id="photos-title", classes="section-title")
            yield OptionList(id="photos-list")
            yield Static(id="photos-hint", classes="hint")

    def on_mount(self) -> None:
        self.relabel()
        case_id = self.case_id
        self._call("listed", lambda ws: photo_service.case_photos(ws.store, case_id))

    def _call(self, what: str, fn: Any) -> None:
        self.app.call_service(self, what, fn)  # type: ignore[attr-defined]

    def relabel(self) -> None:
        self.query_one("#photos-title", Static).update(t("cases.photos.title", ref=self.ref))
        self.query_one("#photos-hint", Static).update(t("cases.photos.keys"))
        listing = self.query_one("#photos-list", OptionList)
        highlighted = listing.highlighted
        listing.clear_options()
        for n, photo in enumerate(self.photos or ()):
            line = t("cases.photos.line", name=photo.name, size=photo.size_text,
                     when=_when(photo.at))  # fmt: skip
            if not photo.here:
                line += f"  ({t('attachments.on_server')})"
            listing.add_option(Option(line, id=str(n)))
        if self.photos == ():
            listing.add_option(Option(t("cases.photos.none"), disabled=True))
        elif self.photos:
            listing.highlighted = highlighted if highlighted is not None else 0
            listing.focus()

    def on_work_done(self, message: WorkDone) -> None:
        if message.error:
            self.relabel()
            self.notify(message.error, severity="warning")
            return
        if (
            message.what in ("opened", "written")
            and self.photos
            and not all(p.here for p in self.photos)
        ):
            case_id = self.case_id
            self._call("listed", lambda ws: photo_service.case_photos(ws.store, case_id))
        if message.what == "listed":
            self.photos = message.result
            self.relabel()
        elif message.what == "opened":
            name, viewer = message.result
            self.notify(t("cases.photos.opened", name=name, viewer=viewer))
        elif message.what == "written":
            self.notify(t("cases.photos.written", path=str(message.result)))

    def _highlighted(self) -> photo_service.Photo | None:
        if not self.photos:
            return None
        index = self.query_one("#photos-list", OptionList).highlighted or 0
        return self.photos[min(index, len(self.photos) - 1)]

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if self.photos and event.option.id is not None:
            photo = self.photos[int(event.option.id)]

            def opened(ws: Any) -> tuple[str, str]:
                return photo.name, photo_service.open_photo(ws.store, photo)

            self._call("opened", self._fetched(photo, opened))

    def action_write(self) -> None:
        photo = self._highlighted()
        if photo is None:
            return
        from fieldkit.ui.dialogs.ask import AskDialog

        def chosen(path: str | None) -> None:
            if path:

                def written(ws: Any) -> Path:
                    return photo_service.save_photo(ws.store, photo, path)

                self._call("written", self._fetched(photo, written))

        self.app.push_screen(AskDialog("cases.photos.ask_path", str(Path.home())), chosen)

    def _fetched(self, photo: photo_service.Photo, then: Any) -> Any:
        """``then(ws)``, after fetching the photo from the office if it is not here yet."""

        def work(ws: Any) -> Any:
            if not photo.here and not ws.store.has_blob(photo.sha256):
                attachments.fetch(
                    ws.store,
                    photo.sha256,
                    progress=lambda done, total: self.app.call_from_thread(
                        self.show_progress, photo, done, total
                    ),
                )
            return then(ws)

        return work

    def show_progress(self, photo: photo_service.Photo, done: int, total: int) -> None:
        size = photo_service.size_text
        hint = self.query_one("#photos-hint", Static)
        if total:
            hint.update(t("attachments.fetching", name=photo.name, done=size(done),
                          total=size(total)))  # fmt: skip
        else:
            hint.update(t("attachments.fetching_unknown", name=photo.name, done=size(done)))

    def action_close(self) -> None:
        self.dismiss(None)
