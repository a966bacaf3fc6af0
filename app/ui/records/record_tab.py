"""What the record tabs (offender details, payments, timeline) do alike, written once.

A record tab has a form that saves records, a message line and a table of the records. This
base owns the parts that must behave the same on every tab:

- the table: its model, one row selected at a time (Remove… and the other row actions work
  on one row, so the person never sees more chosen than is acted on), columns as wide as
  their heading and words (kit/fit_columns.py) and a hook for the delegates that edit cells;
- the message line: a message belongs to the last action, so it goes as soon as the person
  changes the form ("Saved" never stands beside an entry that is not saved);
- Enter saves from every field of the form and from its Save button (app/ui/kit/form_keys.py);
- saving in the worker, one save at a time, and "Not saved yet." with the reason;
- Remove… asked in place (app/ui/kit/row_actions.py), live only while a row is selected; the
  Delete key on the table asks too, and Escape answers "Keep it";
- loading in the worker (`controller.run`), and after each load the row the person saved or
  stood on is selected again;
- on lock: no rows, no message, no open question, an empty form, and no save left waiting
  for an answer that will never come (a lock drops the answers of work in flight). A cell
  being typed in as the case locks is saved first, as leaving it would save it.

A tab supplies its model and columns, its delegates, its form, its loader and the functions
that save, edit and remove, and places the parts in its own layout. The parts have no parent
until placed, so the Tab order follows the screen.
"""

import logging
from collections.abc import Callable, Iterable, Mapping
from typing import ClassVar, Generic, TypeVar

from PySide6.QtCore import QItemSelectionModel, QTimer
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemDelegate,
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QTableView,
    QWidget,
)

from app.errors import InvalidInput
from app.i18n import tr
from app.models.casefile import CaseFile
from app.ui.kit.controller import CaseController, DataArea
from app.ui.kit.date_field import DateField, DateValue
from app.ui.kit.delegates import TextDelegate
from app.ui.kit.fit_columns import FitColumns
from app.ui.kit.form_keys import EnterSaves, on_person_changes
from app.ui.kit.into_view import bring_into_view, keep_current_row_in_sight
from app.ui.kit.row_actions import InlineRemove, ask_on_delete_key, choose_a_row_on_tab
from app.ui.kit.when_shown import LoadWhenShown
from app.ui.records.record_model import RecordTableModel
from app.ui.records.record_parts import FormProblem, wrapping_label

R = TypeVar("R")  # the record shown in one row
L = TypeVar("L")  # what the loader reads in the worker (the rows, and whatever goes with them)
T = TypeVar("T")

log = logging.getLogger(__name__)


class RecordTab(QWidget, Generic[R, L]):
    saves_to: ClassVar[DataArea]  # the `data_changed` area this tab's saves change
    reload_on: ClassVar[frozenset[DataArea]]  # the areas whose changes this tab shows

    enter_saves: EnterSaves

    def __init__(self, controller: CaseController,
                 make_model: Callable[[QWidget], RecordTableModel[R]], *,
                 table_name: str, widest: Mapping[int, int], remove_name: str,
                 remove_question: str,
                 load: Callable[[CaseFile], L], remove: Callable[[CaseFile, int], object],
                 cursor_column: int = 0, fill: int | None = None,
                 parent: QWidget | None = None) -> None:
        """`widest`: the columns as wide as their heading and words, each at most this many
        pixels (a heading is never cut); `fill`: the column that takes the room the others
        leave (the last, if None)."""
        super().__init__(parent)
        self._controller = controller
        self._load = load
        self._remove = remove
        self._cursor_column = cursor_column
        self._saving = False
        self._select_after_load: int | None = None
        self._loading = 0  # loads asked for and not yet in
        self._newest_load = 0  # loads run on two threads: an older answer may come last
        self._edits_in_flight = 0  # changes typed into the table, not saved yet
        self._load_after_edit = False  # rows came in while a cell was being edited
        self._locking: CaseFile | None = None  # the case, while it locks (edits save at once)
        self.model = make_model(self)  # made with its parent, so Qt (not Python) owns it

        self.message = wrapping_label()

        self.table = QTableView()
        self.table.setAccessibleName(table_name)
        self.table.setModel(self.model)
        # Text cells take a stored value whole and write back only what the person typed.
        self.table.setItemDelegate(TextDelegate(self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        # One stop for Tab, as every other list: Tab had walked the table cell by cell (eight
        # a row on Payments), with a mark on the cell so faint a person could not see where
        # they were, before it let them on. The arrows move inside it; F2 changes a cell.
        self.table.setTabKeyNavigation(False)
        # A cell is changed on purpose only: F2 or a double-click. Qt's default also starts
        # editing at any key, so a key pressed on the wrong row (a double-click that met a
        # row which moved under the pointer) then Enter replaced a detail without a word.
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        if fill is None:
            header.setStretchLastSection(True)
        else:
            header.setSectionResizeMode(fill, QHeaderView.ResizeMode.Stretch)
        # Their words' width, not a guess: the text size, the language and the rows change
        # it ("Bank told" had been cut to "Bank to"; the timeline's event to half a sentence).
        self.columns = FitColumns(self.table, widest)
        self.table.selectionModel().selectionChanged.connect(self._selection_moved)
        self.table.itemDelegate().closeEditor.connect(self._editor_closed)

        self.remover = InlineRemove(remove_name, remove_question,
                                    has_selection=lambda: self.selected_id() is not None,
                                    on_confirm=self.remove_selected)
        self.remove_button = self.remover.remove_button
        self.confirm_remove = self.remover.confirm_button
        self.keep_button = self.remover.keep_button
        self.remove_button.setEnabled(False)
        ask_on_delete_key(self.table, self.remover.ask)
        choose_a_row_on_tab(self.table)
        keep_current_row_in_sight(self.table)

        # Loads on each opening and after changes, but only once the tab shows (when_shown.py).
        self.loader = LoadWhenShown(self, controller, self.reload)
        controller.locking.connect(self._keep_typed_cell)  # a method: it goes with the view
        controller.case_locked.connect(self.clear)
        controller.data_changed.connect(self._data_changed)

    # ----- what a tab supplies ------------------------------------------------------------

    def rows_loaded(self, loaded: L) -> list[R]:
        """The rows in what the loader read (and keep what else it read), on the GUI thread."""
        raise NotImplementedError

    def empty_form(self) -> None:
        """The form as it is before anything is typed (on lock)."""
        raise NotImplementedError

    def save_entry(self, case: CaseFile) -> None:
        """Read the form and `save_in_worker`; raise FormProblem when it cannot be saved."""
        raise NotImplementedError

    def row_selected(self) -> None:
        """Show what goes with the selected row (or with none)."""

    def use_delegates(self, delegates: Mapping[int, QAbstractItemDelegate]) -> None:
        for column, delegate in delegates.items():
            self.table.setItemDelegateForColumn(column, delegate)
            delegate.closeEditor.connect(self._editor_closed)

    def watch_form(self, fields: Iterable[QWidget], save_button: QAbstractButton) -> None:
        """Enter in any field or on the Save button saves; a change the person makes to any
        field clears the message of the last action."""
        fields = list(fields)
        save_button.clicked.connect(self.save_form)
        self.enter_saves = EnterSaves(self.save_form, [*fields, save_button], self)
        on_person_changes(fields, self.message.clear)

    # ----- loading ------------------------------------------------------------------------

    def reload(self) -> None:
        case, load = self._controller.case, self._load
        if case is not None:
            self._loading += 1
            self._newest_load += 1
            number = self._newest_load
            self._controller.run(lambda ctx: load(case),
                                 on_result=lambda loaded: self._loaded(loaded, number),
                                 on_error=self._load_failed)

    def _loaded(self, loaded: L, number: int) -> None:
        self._loading = max(0, self._loading - 1)
        if number != self._newest_load:
            # A newer load is on its way, and it read the case later: this one may hold a
            # value saved since (a cell closed with Enter read again while its save was
            # still being written), and landing last it left the old value in the table.
            return
        if self.table.state() == QAbstractItemView.State.EditingState:
            # New rows reset the model, and a reset closes the open cell and drops what is
            # typed in it: the answer of a save made a moment before, or a change found in
            # the background, threw away a cell being typed. Read again once the cell closes
            # (what it holds may be saved by then, so these rows may be old).
            self._load_after_edit = True
            return
        wanted, self._select_after_load = self._select_after_load, None
        stays = wanted is None  # the row the person stands on, not one a save asked for
        column = None
        if stays:
            wanted = self.selected_id()
            # And the cell: a change saved from a cell (F2, Enter) read the rows again, and
            # the keyboard went back to the row's first cell, away from where the person was.
            current = self.table.currentIndex()
            column = current.column() if wanted is not None and current.isValid() else None
        bars = (self.table.verticalScrollBar(), self.table.horizontalScrollBar())
        place = [bar.value() for bar in bars]
        was_at = self.table.currentIndex().row()
        self.model.set_rows(self.rows_loaded(loaded))
        if wanted is not None:
            # With another load on its way, it waits for that one.
            self.select_id(wanted, show=not stays, column=column)
            if self.model.row_of(wanted) is None and was_at >= 0 and self.model.rowCount():
                # Gone (removed): the row now in its place is chosen, so Delete and the
                # arrows go on from there. None was, and Delete asked nothing.
                self.table.selectionModel().setCurrentIndex(
                    self.model.index(min(was_at, self.model.rowCount() - 1), column or 0),
                    QItemSelectionModel.SelectionFlag.ClearAndSelect
                    | QItemSelectionModel.SelectionFlag.Rows)
        if stays:
            # A reload (work finishing elsewhere) scrolled the table back to the row the
            # person had selected, or to the top, away from where they were reading.
            self.table.executeDelayedItemsLayout()  # the scroll range of the new rows
            for bar, value in zip(bars, place, strict=True):
                bar.setValue(value)
        self._selection_moved()

    def _editor_closed(self) -> None:
        if self._load_after_edit:
            self._load_after_edit = False
            # After the view has finished closing the cell (and committed what it held).
            QTimer.singleShot(0, self, self._reload_unless_saving)

    def _reload_unless_saving(self) -> None:
        # The cell's own save reloads once it is written; read now, beside it, the table
        # showed the old value until then.
        if not self._edits_in_flight:
            self.reload()

    def _load_failed(self, message: str) -> None:
        self._loading = max(0, self._loading - 1)
        self._controller.error.emit(message)

    def select_after_load(self, record_id: int) -> None:
        """Select this record once the tab has reloaded (a save reloads it)."""
        self._select_after_load = record_id

    def _data_changed(self, area: DataArea) -> None:
        if area in self.reload_on:
            self.loader.request()

    def clear(self) -> None:
        self._saving = False  # the answer of a save in flight never comes after a lock
        self._select_after_load = None
        self._loading = 0  # a lock drops the answers of loads in flight
        self._edits_in_flight = 0
        self._load_after_edit = False
        self.model.clear()
        self.message.clear()
        self.empty_form()
        self._selection_moved()

    # ----- the message line ---------------------------------------------------------------

    def say(self, text: str) -> None:
        self.message.setText(text)
        if text:  # once the keyboard has gone where the caller sends it
            QTimer.singleShot(0, self.message, self._message_into_view)

    def _message_into_view(self) -> None:
        """The words below the form in sight: at 1366x768 and 125% "Saved: ..." or what stops
        a save showed half a line at the window's edge, and Enter seemed to do nothing. The
        field the keyboard is in stays in sight too, and wins where both cannot."""
        if not self.message.isVisible():
            return
        focus = QApplication.focusWidget()
        bring_into_view(self.message,
                        *([focus] if focus is not None and self.isAncestorOf(focus) else []))

    # ----- saving and editing -------------------------------------------------------------

    def save_form(self) -> None:
        """Save what the form holds (Enter in the form, the Save button): one save at a time;
        what stops it is said on the message line, the cursor in the field to mend."""
        case = None if self._saving else self._controller.case
        if case is None:
            return
        try:
            self.save_entry(case)
        except FormProblem as problem:
            self.say(problem.message)
            problem.field.setFocus()

    def read_date(self, field: DateField) -> DateValue | None:
        """The form's date; when it does not read, why shows under it too."""
        try:
            return field.edit.value()
        except InvalidInput as exc:
            field.edit.check()
            raise FormProblem(field.edit, tr("Not saved yet.") + " " + exc.message) from exc

    def save_in_worker(self, case: CaseFile, work: Callable[[CaseFile], T],
                       saved: Callable[[T], None]) -> None:
        """The save itself, for `save_entry`; when it fails, "Not saved yet." and why."""
        self._saving = True

        def done(result: T) -> None:
            self._saving = False
            saved(result)

        self._controller.run(lambda ctx: work(case), changes=self.saves_to, on_result=done,
                             on_error=self._not_saved)

    def _not_saved(self, message: str) -> None:
        self._saving = False
        self.say(tr("Not saved yet.") + " " + message)

    def _keep_typed_cell(self, case: CaseFile) -> None:
        """At a lock (by hand, after a while unused, Quick exit; `CaseController.locking`),
        with the case still open and its work done: a cell being typed in is saved, as Enter
        or a click elsewhere would save it. It was dropped with the rows."""
        index = self.table.currentIndex()
        editor = self.table.indexWidget(index) if index.isValid() else None
        if self.table.state() != QAbstractItemView.State.EditingState or editor is None:
            return
        self._locking = case
        try:  # the delegate writes only what reads (a date) and what the person typed
            self.table.itemDelegateForIndex(index).setModelData(editor, self.model, index)
        finally:
            self._locking = None

    def edit_in_worker(self, work: Callable[[CaseFile], T],
                       edited: Callable[[T], None] | None = None) -> None:
        """Save a change made in the table; when it cannot be saved, say why and show again
        what is really saved. While the case locks, the change is saved at once: no work
        starts then, and the case closes straight after."""
        if (locking := self._locking) is not None:
            try:
                work(locking)
            except Exception:  # a value that cannot be stored, a full disk: the lock goes on
                log.warning("A change typed into a table could not be kept as the case locked")
            return
        case = self._controller.case
        if case is not None:
            self._edits_in_flight += 1

            def saved(result: T) -> None:
                self._edits_in_flight = max(0, self._edits_in_flight - 1)
                if edited is not None:
                    edited(result)

            self._controller.run(lambda ctx: work(case), changes=self.saves_to,
                                 on_result=saved, on_error=self._edit_failed)

    def _edit_failed(self, message: str) -> None:
        self._edits_in_flight = max(0, self._edits_in_flight - 1)
        self.say(message)
        self.reload()

    # ----- the table ----------------------------------------------------------------------

    def selected_record(self) -> R | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def selected_id(self) -> int | None:
        record = self.selected_record()
        return None if record is None else self.model.record_id(record)

    def select_id(self, record_id: int, *, show: bool = True, column: int | None = None) -> bool:
        """Select and show one record (a search hit, a link), the cursor on the cell a
        keyboard user most likely wants to edit (or on `column`); False when the record is
        not here. While the tab is still reading (it was just shown: a tab loads when it
        shows), the record is selected once the rows are in."""
        row = self.model.row_of(record_id)
        if row is None:
            if self._loading:
                self._select_after_load = record_id
                return True
            return False
        index = self.model.index(row, self._cursor_column if column is None else column)
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows)
        if show:
            self.table.scrollTo(index)
        return True

    def _selection_moved(self) -> None:
        self.remover.hide_confirm()
        self.remove_button.setEnabled(self.selected_id() is not None)
        self.row_selected()

    def remove_selected(self) -> bool:
        """Remove the selected record ("Yes, remove it"); False when there is none."""
        case, record_id, remove = self._controller.case, self.selected_id(), self._remove
        if case is None or record_id is None:
            return False
        self._controller.run(lambda ctx: remove(case, record_id), changes=self.saves_to,
                             on_result=lambda _: self.say(tr("Removed.")))
        return True
