"""The photos of one case: name, size and when each was attached; Enter opens the
highlighted one with the system viewer, ``w`` writes it to a file. Both run in a thread
worker (fieldkit.services.photos), so a slow viewer never holds the screen. A photo taken
on another device is fetched from the office first (fieldkit.services.attachments), its
progress shown in the hint line; offline, a clear message says so and nothing changes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState

from fieldkit.i18n import t
from fieldkit.model import localtime
from fieldkit.services import attachments
from fieldkit.services import photos as photo_service
from fieldkit.ui.messages.dialogs import PhotoOpened, PhotosListed, PhotoWritten
from fieldkit.ui.workers import in_thread, said


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
        self.list_photos()

    @property
    def ws(self) -> Any:
        return self.app.workspace  # type: ignore[attr-defined]

    @in_thread(group="listed")
    def list_photos(self) -> None:
        self.post_message(PhotosListed(photo_service.case_photos(self.ws.store, self.case_id)))

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

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A failure (offline, no viewer, a path that cannot be written) is said as a
        warning, and the hint line shows the keys again."""
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            self.relabel()
            self.notify(said(event.worker.error), severity="warning")

    def on_photos_listed(self, message: PhotosListed) -> None:
        self.photos = message.photos
        self.relabel()

    def on_photo_opened(self, message: PhotoOpened) -> None:
        self.notify(t("cases.photos.opened", name=message.name, viewer=message.viewer))
        self._list_again()

    def on_photo_written(self, message: PhotoWritten) -> None:
        self.notify(t("cases.photos.written", path=str(message.path)))
        self._list_again()

    def _list_again(self) -> None:
        """A photo fetched from the office is here now: the list says so."""
        if self.photos and not all(p.here for p in self.photos):
            self.list_photos()

    def _highlighted(self) -> photo_service.Photo | None:
        if not self.photos:
            return None
        index = self.query_one("#photos-list", OptionList).highlighted or 0
        return self.photos[min(index, len(self.photos) - 1)]

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if self.photos and event.option.id is not None:
            self.open_photo(self.photos[int(event.option.id)])

    @in_thread(group="opened")
    def open_photo(self, photo: photo_service.Photo) -> None:
        self._fetch(photo)
        viewer = photo_service.open_photo(self.ws.store, photo)
        self.post_message(PhotoOpened(photo.name, viewer))

    def action_write(self) -> None:
        photo = self._highlighted()
        if photo is None:
            return
        from fieldkit.ui.dialogs.ask import AskDialog

        def chosen(path: str | None) -> None:
            if path:
                self.write_photo(photo, path)

        self.app.push_screen(AskDialog("cases.photos.ask_path", str(Path.home())), chosen)

    @in_thread(group="written")
    def write_photo(self, photo: photo_service.Photo, path: str) -> None:
        self._fetch(photo)
        self.post_message(PhotoWritten(photo_service.save_photo(self.ws.store, photo, path)))

    def _fetch(self, photo: photo_service.Photo) -> None:
        """In a worker: fetch the photo from the office if it is not here yet, its progress
        shown in the hint line."""
        store = self.ws.store
        if photo.here or store.has_blob(photo.sha256):
            return
        progress: Callable[[int, int], None] = lambda done, total: self.app.call_from_thread(  # noqa: E731
            self.show_progress, photo, done, total
        )
        attachments.fetch(store, photo.sha256, progress=progress)

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
