"""The Evidence screen: a grid of thumbnails, a details pane, and every way to add evidence.

Every route (file dialog, folder, drag and drop, paste, screenshot) ends in `app.core.intake.ingest`
running in the worker, with progress and a Stop button; the result is one calm sentence (the
adding itself is in adding.py, the screen's base).
"""

from typing import cast

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import (
    QKeySequence,
    QShortcut,
)
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.core.records import remove_evidence
from app.i18n import tr
from app.models import EvidenceSource
from app.models.casefile import CaseFile
from app.ui.evidence.add_buttons import AddButtons
from app.ui.evidence.adding import AddingEvidence
from app.ui.evidence.details import EvidenceDetails
from app.ui.evidence.drops import DropTarget
from app.ui.evidence.edits import keep_typed_description, save_edit
from app.ui.evidence.grid import GridPlace, make_evidence_grid
from app.ui.evidence.hide_next import HideNextKept
from app.ui.evidence.import_progress import ImportProgressRow
from app.ui.evidence.model import EvidenceModel
from app.ui.evidence.screen_capture import ScreenCapture
from app.ui.evidence.sent_in_chat import SentInChat
from app.ui.evidence.under_18_note import UnderEighteenNote
from app.ui.kit.controller import CaseController, DataArea
from app.ui.kit.first_look import (
    EVIDENCE,
    EVIDENCE_PAGE,
    EvidenceLoad,
    linked_to_evidence,
    read_evidence,
)
from app.ui.kit.row_actions import ask_on_delete_key, choose_a_row_on_tab
from app.ui.reading.found_in_picture import FoundInPicture


class EvidenceView(AddingEvidence):
    selection_changed = Signal(list)  # ids of the selected evidence items
    quick_exit_requested = Signal()  # from the screenshot countdown, while the window hides
    messages_requested = Signal(int)  # a chat export's id: its messages on the Chats tab

    def __init__(self, controller: CaseController, parent: QWidget | None = None, *,
                 details: EvidenceDetails | None = None) -> None:
        """`details`: the details pane, when made ahead (the main window makes it in a turn
        of its own: the view and its pane in one turn were its longest step)."""
        super().__init__(parent)
        self._controller = controller
        self.model = EvidenceModel(controller, self)
        self._linked: dict[int, list[str]] = {}
        self._import = None
        self._import_cancelled = self._turned_away = False
        self._chats, self._reported = [], []
        self._select_after_reload = None
        self._loads_in_flight = 0  # reads of the grid asked for and not yet in (in order)
        self._reselecting = False
        DropTarget(self, accepting=lambda: self._controller.case is not None,
                   on_paths=self.import_paths,
                   on_image=lambda image: self.import_image(image, EvidenceSource.FILE),
                   on_web_address=self.say_web_address)

        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.adding = AddButtons(bar, add_files=self.add_files, add_folder=self.add_folder,
                                 paste=self.paste, take_screenshot=self.take_screenshot)
        self.add_files_button, self.add_folder_button = self.adding.files, self.adding.folder
        self.paste_button, self.screenshot_button = self.adding.paste, self.adding.screenshot
        bar.addStretch()
        self.sensitive_box = QCheckBox(tr("Hide what I add next (sensitive)"))
        self.sensitive_box.setToolTip(tr("New items are kept hidden until you choose to show "
                                         "them, even from yourself."))
        bar.addWidget(self.sensitive_box)
        layout.addLayout(bar)

        self.hide_next = HideNextKept(self.sensitive_box)
        self.under_18_note = UnderEighteenNote(self.sensitive_box, controller, self)
        layout.addWidget(self.under_18_note)
        self.hint = QLabel(tr("Nothing here yet. Add screenshots of the messages, their "
                              "profile and any payment. You can also drag files here, or copy "
                              "a picture and press Ctrl+V."))
        self.hint.setWordWrap(True)
        layout.addWidget(self.hint)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        self.grid = make_evidence_grid(self.model)
        self.grid.setAccessibleName(tr("Evidence items"))
        ask_on_delete_key(self.grid, self._ask_remove)
        choose_a_row_on_tab(self.grid)  # reached with Tab: the tile its cursor is on
        self._place = GridPlace(self.grid)
        self.grid.selectionModel().selectionChanged.connect(self._selection_moved)
        self.model.dataChanged.connect(self._model_row_changed)
        splitter.addWidget(self.grid)
        self.details = (details if details is not None
                        else EvidenceDetails(FoundInPicture(controller),
                                             sent_in=SentInChat(controller)))
        self.details.edit_requested.connect(lambda i, fields: save_edit(controller, i, fields))
        self.details.reveal_requested.connect(self.set_revealed)
        self.details.remove_requested.connect(self._remove)
        self.details.messages_requested.connect(self.messages_requested)
        # A chat's tile opened (Enter, or a double-click) opens its messages.
        self.grid.activated.connect(self._tile_opened)
        splitter.addWidget(self.details)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([600, 380])
        layout.addWidget(splitter, 1)

        self.progress_row = ImportProgressRow()
        self.progress_row.stop_requested.connect(self.cancel_import)
        self.cancel_button = self.progress_row.stop_button
        layout.addWidget(self.progress_row)
        self.result_label = QLabel()
        self.result_label.setWordWrap(True)
        self.result_label.setTextFormat(Qt.TextFormat.PlainText)  # file names are data
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.result_label)

        self.capture = ScreenCapture(self)
        self.capture.captured.connect(self._screen_captured)
        self.capture.failed.connect(self._show_result)
        self.capture.quick_exit_requested.connect(self.quick_exit_requested.emit)
        paste = QShortcut(QKeySequence(QKeySequence.StandardKey.Paste), self)
        paste.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        paste.activated.connect(self.paste)

        controller.case_opened.connect(self.reload)
        controller.case_locked.connect(self.clear)
        controller.locking.connect(self._keep_typed)  # a method: it goes with the view
        controller.data_changed.connect(self._data_changed)
        self._update_hint()

    # ----- loading ------------------------------------------------------------------------

    def reading_blocks(self) -> list[QWidget]:
        """For Tab, as the page reads: the buttons to add evidence, the grid, then the chosen
        item's details top to bottom, then the import's progress."""
        return [*self.adding.buttons, self.sensitive_box, self.under_18_note, self.grid,
                self.details, self.progress_row]

    def reload(self) -> None:
        case = self._controller.case
        if case is None:
            return
        self.hide_next.case_opened(case.path)
        # A page, or as many rows as were loaded (a reload keeps the place); more as the grid
        # scrolls. On the grid's own thread: the first screen waits for no other view.
        rows = max(self.model.PAGE, self.model.rowCount())
        # As the case opens, the unlock task has read the first page already (first_look.py).
        first = self._controller.take_first_look(EVIDENCE) if rows == EVIDENCE_PAGE else None
        if first is not None:
            self._loaded(cast(EvidenceLoad, first))
            return
        self._loads_in_flight += 1
        self._controller.run(lambda _ctx: read_evidence(case, rows), on_result=self._read,
                             on_error=self._read_failed, pool=self.model.pool)

    def _read(self, result: EvidenceLoad) -> None:
        self._loads_in_flight = max(0, self._loads_in_flight - 1)
        self._loaded(result)

    def _read_failed(self, message: str) -> None:
        self._loads_in_flight = max(0, self._loads_in_flight - 1)
        self._controller.error.emit(message)

    def _loaded(self, result: EvidenceLoad) -> None:
        page, self._linked = result
        selected, place = self.selected_ids(), self.grid.verticalScrollBar().value()
        wanted, self._select_after_reload = self._select_after_reload, None
        if wanted is not None and self._loads_in_flight and not page.more \
                and all(row.id != wanted for row in page.rows):
            # Read before the item was added (a description saved as the import ran): the
            # read on its way after this one has it. Taken here, it was never shown.
            self._select_after_reload, wanted = wanted, None
        if wanted is not None and not self.details.make_way():
            wanted = None  # the person is busy in the pane: what was added waits in the grid
        self.model.set_rows(page.rows, more=page.more)
        self._update_hint()
        if wanted is not None and self.model.row_of(wanted) is None:
            self.select_evidence(wanted)  # what was just added, once its page is read
        elif wanted is not None:
            selected = [wanted]  # show what was just added
        # Putting the selection back is not the person moving it: do not save a description
        # they are still typing (show_item keeps their text for the same item).
        self._reselecting = True
        try:
            for evidence_id in selected:
                self.select_evidence(evidence_id, clear=False)
        finally:
            self._reselecting = False
        if wanted is None:
            self._place.keep(place)  # not thrown back to the selection or the top
        self._show_current()
        self.selection_changed.emit(self.selected_ids())

    def _data_changed(self, area: DataArea) -> None:
        case = self._controller.case
        if area == DataArea.EVIDENCE:
            self.reload()
        elif area == DataArea.MESSAGES:
            self.messages_read()
        elif area in (DataArea.IDENTIFIERS, DataArea.PAYMENTS, DataArea.TIMELINE) and case:
            # Only what is linked to each item changed (its details list it): the grid's
            # rows are not read again for it.
            self._controller.run(lambda _ctx: linked_to_evidence(case),
                                 on_result=self._links_read, pool=self.model.pool)

    def _links_read(self, linked: dict[int, list[str]]) -> None:
        self._linked = linked
        self._show_current()

    def clear(self) -> None:
        """The case was locked: nothing of it may stay in this widget."""
        self.capture.stop(restore=False)  # a lock or Quick exit: the window stays hidden
        if self._import is not None:
            self._import.cancel()
        self._import = None
        self.details.clear()
        self.model.clear()
        self._linked = {}
        self._select_after_reload = None
        self._loads_in_flight = 0  # a lock drops the answers of reads in flight
        self.result_label.clear()
        self.hide_next.case_locked()
        self._set_busy(False)
        self._update_hint()

    def _update_hint(self) -> None:
        self.hint.setVisible(self.model.rowCount() == 0 and self._controller.case is not None)

    # ----- selection and details ----------------------------------------------------------

    def selected_ids(self) -> list[int]:
        rows = sorted(index.row() for index in self.grid.selectionModel().selectedIndexes())
        return [item.id for row in rows if (item := self.model.evidence(row)) is not None]

    def select_evidence(self, evidence_id: int, *, clear: bool = True) -> bool:
        row = self.model.row_of(evidence_id)
        if row is None:  # not read yet (the grid reads a page at a time): select it once it is
            return self.model.load_through(
                evidence_id, lambda: self.model.row_of(evidence_id) is not None
                and self.select_evidence(evidence_id, clear=clear))
        index = self.model.index(row, 0)
        flag = QItemSelectionModel.SelectionFlag
        self.grid.selectionModel().select(index, flag.ClearAndSelect if clear else flag.Select)
        self.grid.selectionModel().setCurrentIndex(index, flag.NoUpdate)
        self._place.show(index)
        return True

    def _selection_moved(self) -> None:
        if self._reselecting:
            return
        self.details.commit_pending()  # never lose a description being typed
        self._show_current()
        self.selection_changed.emit(self.selected_ids())

    def _show_current(self) -> None:
        ids = self.selected_ids()
        item = self.model.evidence_by_id(ids[0]) if len(ids) == 1 else None
        if item is None:
            self.details.clear(selected=len(ids))
            return
        self.details.show_item(item, picture=self.model.picture(item),
                               hidden=self.model.is_hidden(item),
                               linked=self._linked.get(item.id, []))

    def _model_row_changed(self) -> None:
        current = self.details.current_id()
        item = self.model.evidence_by_id(current) if current is not None else None
        if item is not None:
            self.details.set_picture(self.model.picture(item), self.model.is_hidden(item))

    def set_revealed(self, evidence_id: int, revealed: bool) -> None:
        self.model.set_revealed(evidence_id, revealed)
        self._model_row_changed()

    # ----- edits --------------------------------------------------------------------------

    def _keep_typed(self, case: CaseFile) -> None:
        keep_typed_description(self.details, case)

    def _ask_remove(self) -> None:
        """Delete on the grid: the pane asks why, as its "Remove from the case…" does."""
        if self.details.current_id() is not None:
            self.details.ask_remove(back_to=self.grid)
        elif self.selected_ids():
            self._show_result(tr("Choose one item to remove it: each removal keeps its own "
                                 "reason."))

    def _remove(self, evidence_id: int, reason: str) -> None:
        case = self._controller.case
        if case is not None:
            self._select_after_reload = self.model.neighbour(evidence_id)  # takes its place
            self.grid.setFocus()  # the person goes on from the grid, not the top of the window
            self._controller.run(lambda ctx: remove_evidence(case, evidence_id, reason),
                                 changes=DataArea.EVIDENCE)

    def _tile_opened(self, index: QModelIndex) -> None:
        item = self.model.evidence(index.row())
        if item is not None and item.chat_platform is not None:
            self.messages_requested.emit(item.id)
