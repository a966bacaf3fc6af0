"""Adding evidence on the Evidence screen: every route (file dialog, folder, drag and drop,
paste, screenshot) runs `app.core.intake` in the worker, with progress and a Stop button,
and ends in one calm sentence under the grid.

`AddingEvidence` is the screen's base: the screen (view.py) makes the widgets this uses and
sets the state below in its `__init__`.
"""

from collections.abc import Callable

from PySide6.QtCore import QMimeData
from PySide6.QtGui import QGuiApplication, QImage
from PySide6.QtWidgets import QCheckBox, QLabel, QListView, QWidget

from app.core.intake import ChatReading, ImportOutcome, import_bytes, import_paths
from app.i18n import tr
from app.models import EvidenceSource
from app.ui.evidence.add_buttons import AddButtons
from app.ui.evidence.import_progress import ImportProgressRow
from app.ui.evidence.importing import (
    ClipboardItem,
    chats_note,
    read_mime,
    screenshot_name,
    still_adding,
    stopped_by,
    summarise,
    waiting_for_date_order,
    waiting_sentence,
    web_address_only,
    web_address_sentence,
)
from app.ui.evidence.screen_capture import ScreenCapture
from app.ui.kit.controller import CaseController, DataArea
from app.ui.kit.file_dialogs import choose_files, choose_folder
from app.ui.kit.worker import TaskHandle


class AddingEvidence(QWidget):
    # Made by the screen's __init__.
    _controller: CaseController
    adding: AddButtons
    sensitive_box: QCheckBox
    grid: QListView
    progress_row: ImportProgressRow
    result_label: QLabel
    capture: ScreenCapture
    # The import running, and what it gathers in the worker (read once it is done).
    _import: TaskHandle | None
    _import_cancelled: bool
    _turned_away: bool  # something dropped or pasted while it ran was not added
    _chats: list[ChatReading]  # what the chat exports among the files gave
    _reported: list[ImportOutcome]  # each outcome as it is final
    _select_after_reload: int | None  # what the grid selects once it is read again
    _kept_text = False  # the import running keeps text that was pasted or dropped
    _waiting_said = ""  # the result's sentence that a chat export waits for its date order

    def reload(self) -> None:
        raise NotImplementedError  # the screen's: read the grid again

    def add_files(self) -> None:
        choose_files(self, tr("Choose files to add"), self._chosen)

    def add_folder(self) -> None:
        choose_folder(self, tr("Choose a folder to add"), self._chosen)

    def _chosen(self, paths: list[str]) -> None:
        self.import_paths(paths)

    def import_paths(self, paths: list[str]) -> TaskHandle | None:
        sensitive, pools = self.sensitive_box.isChecked(), self._controller.pools
        # Appended in the worker, read once it is done.
        chats: list[ChatReading] = []
        reported: list[ImportOutcome] = []
        started = self._start(
            tr("Adding…"),
            lambda case, ctx: import_paths(case, paths, sensitive=sensitive,
                                           progress=ctx.progress, is_cancelled=ctx.cancelled,
                                           pool=pools.previews(), on_chat=chats.append,
                                           on_outcome=reported.append))
        if started is not None:
            self._chats, self._reported, self._kept_text = chats, reported, False
        return started

    def import_image(self, image: ClipboardItem, source: EvidenceSource,
                     label: str = "") -> TaskHandle | None:
        sensitive, pools = self.sensitive_box.isChecked(), self._controller.pools
        started = self._start(
            label or tr("Adding…"),
            lambda case, ctx: [import_bytes(case, image.png_or_raw(), image.name, source=source,
                                            sensitive=sensitive, pool=pools.previews())])
        if started is not None:
            self._kept_text = image.is_text
        return started

    def import_mime(self, mime: QMimeData, source: EvidenceSource) -> TaskHandle | None:
        found = read_mime(mime)
        if isinstance(found, list):
            return self.import_paths(found)
        if isinstance(found, ClipboardItem):
            return self.import_image(found, source)
        # What was copied, not "here" (which read as the empty grid): a link, or nothing yet.
        self._show_result(web_address_sentence() if web_address_only(mime) else tr(
            "There was nothing to paste. Copy a picture, files or text first, then paste."))
        return None

    def paste(self) -> TaskHandle | None:
        mime = QGuiApplication.clipboard().mimeData()
        return None if mime is None else self.import_mime(mime, EvidenceSource.CLIPBOARD)

    def take_screenshot(self) -> None:
        if self._controller.case is None or self._import is not None:
            return
        self.capture.start(self.window())

    def _screen_captured(self, image: QImage) -> None:
        self.import_image(ClipboardItem(screenshot_name(), None, image, a_screen=True),
                          EvidenceSource.SCREEN_CAPTURE, tr("Saving the screenshot…"))

    def _start(self, label: str,
               work: Callable[..., list[ImportOutcome]]) -> TaskHandle | None:
        case = self._controller.case
        if case is not None and self._import is not None:  # a drop or Ctrl+V while one runs
            self._turned_away = True
            self._show_result(still_adding())
        if case is None or self._import is not None:
            return None
        self._import_cancelled = self._turned_away = False
        self._set_busy(True)
        self.progress_row.begin(label)
        self.result_label.clear()
        self._import = self._controller.run(
            lambda ctx: work(case, ctx), changes=DataArea.EVIDENCE, on_result=self._imported,
            on_error=self._import_failed, on_progress=self._import_progress,
            saved=lambda outcomes: any(o.status == "added" for o in outcomes))
        return self._import

    def cancel_import(self) -> None:
        if self._import is not None:
            self._import_cancelled = True
            self._import.cancel()

    def _import_progress(self, done: int, total: int, label: str) -> None:
        self.progress_row.counted(done, total)

    def _imported(self, outcomes: list[ImportOutcome]) -> None:
        self._import = None
        self._set_busy(False)
        chats, self._chats, self._reported = self._chats, [], []
        said = [summarise(outcomes, cancelled=self._import_cancelled,
                          turned_away=self._turned_away), *chats_note(chats)]
        waiting = waiting_for_date_order(chats)
        self._waiting_said = waiting_sentence(waiting) if waiting else ""
        if self._kept_text and any(o.status == "added" for o in outcomes):
            said.append(tr("The text is kept as a text file, unchanged. Safekeep "
                           "looks through it for usernames, numbers and links."))
        self._show_result(" ".join(said))
        # What was added is shown, or else the copy already in the case (it did not say which).
        shown = [o.evidence_id for o in outcomes if o.status == "added" and o.evidence_id] or \
            [o.evidence_id for o in outcomes if o.status == "already-there" and o.evidence_id]
        self._select_after_reload = shown[-1] if shown else None
        if not shown:
            self._keyboard_back_to_button()

    def messages_read(self) -> None:
        """A chat export's messages were read (its date order chosen on the Chats tab): the
        sentence after its import that it waits for that is no longer true."""
        text, waiting = self.result_label.text(), self._waiting_said
        if waiting and waiting in text:
            self._show_result(" ".join(text.replace(waiting, "").split()))
        self._waiting_said = ""

    def _import_failed(self, message: str) -> None:
        self._import = None
        self._keyboard_back_to_button()
        self._set_busy(False)
        reported, self._reported = self._reported, []
        self._show_result(stopped_by(message, reported))
        self.reload()  # items stored before the problem are complete and should show

    def say_web_address(self) -> None:
        """Something that brought only a web address was dropped: why nothing is added."""
        self._show_result(web_address_sentence())

    def _show_result(self, text: str) -> None:
        self.result_label.setText(text)

    def _set_busy(self, busy: bool) -> None:
        if not busy:
            self.progress_row.finish()
        self.adding.set_busy(busy, self.grid)

    def _keyboard_back_to_button(self) -> None:
        self.adding.keyboard_back(self.grid)

    def is_busy(self) -> bool:
        return self._import is not None or self.capture.is_running()
