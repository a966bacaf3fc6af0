"""Row actions of the record tables (offender details, payments, timeline), and choosing a row
when a list is reached with Tab (those tables, Found in evidence)."""

from collections.abc import Callable

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QObject, Qt
from PySide6.QtGui import QFocusEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QLabel,
    QPushButton,
    QTreeView,
    QWidget,
)
from shiboken6 import isValid

from app.i18n import tr
from app.ui.kit.calm_dialog import keep_from_enter
from app.ui.kit.into_view import bring_into_view


class InlineRemove:
    """"Remove…" that asks in place ("Yes, remove it" / "Keep it") instead of a modal box:
    a modal box would sit above the Quick exit button, and a misclick removes nothing.

    The buttons have no parent until a layout places them, so they take their place in the
    Tab order where they stand on the screen, not where the tab happened to make them."""

    def __init__(self, accessible_name: str, question: str, *,
                 has_selection: Callable[[], bool], on_confirm: Callable[[], object]) -> None:
        self._has_selection = has_selection
        self._on_confirm = on_confirm
        self.remove_button = QPushButton(tr("Remove…"))
        self.remove_button.setAccessibleName(accessible_name)
        self.remove_button.clicked.connect(self.ask)
        # The question, beside its answers: only the answers had shown, under the chosen
        # row's hint ("Usernames usually have no spaces..."), so nothing asked anything.
        self.question = QLabel(question)
        self.question.hide()
        self.confirm_button = QPushButton(tr("Yes, remove it"))
        self.confirm_button.setAccessibleDescription(question)
        self.confirm_button.clicked.connect(self._confirmed)
        # Focus lands here after "Remove…": a second Enter pressed in a hurry must not remove.
        keep_from_enter(self.confirm_button)
        self.keep_button = QPushButton(tr("Keep it"))
        self.keep_button.clicked.connect(self._kept)
        self.confirm_button.hide()  # not hide_confirm(): showing a button with no parent
        self.keep_button.hide()  # would open it as a window of its own
        self._asked_from: QWidget | None = None
        # Escape answers "Keep it", as Cancel in a dialog. It did nothing, and a second press
        # to be sure was the quick exit (Esc twice), which closed Safekeep.
        for button in (self.confirm_button, self.keep_button):
            keep_on_escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), button)
            keep_on_escape.setContext(Qt.ShortcutContext.WidgetShortcut)
            keep_on_escape.activated.connect(self._kept)

    @property
    def buttons(self) -> tuple[QPushButton, QLabel, QPushButton, QPushButton]:
        """To place side by side: "Remove…", then (in its place) the question, "Yes, remove
        it", "Keep it"."""
        return self.remove_button, self.question, self.confirm_button, self.keep_button

    def ask(self) -> None:
        if self._has_selection():
            self._asked_from = QApplication.focusWidget()  # where "Keep it" takes them back
            self.remove_button.hide()
            self.question.show()
            self.confirm_button.show()
            self.keep_button.show()
            self.confirm_button.setFocus()
            # Asked from the table (Delete), the question can be out of sight.
            bring_into_view(self.question, self.confirm_button, self.keep_button)

    def hide_confirm(self) -> None:
        self.question.hide()
        self.confirm_button.hide()
        self.keep_button.hide()
        self.remove_button.show()

    def _kept(self) -> None:
        self._answered()

    def _confirmed(self) -> None:
        self._answered()
        self._on_confirm()

    def _answered(self) -> None:
        """Either answer: the question goes, and the keyboard back where it was asked from
        (the table, a row under the cursor still), else to "Remove…". Given before the
        answer hides: Qt had sent the keyboard on from the hidden button, to "Case details…"
        at the top of the window."""
        back_to, self._asked_from = self._asked_from, None
        if back_to is None or not isValid(back_to) or not back_to.isVisible() \
                or back_to in (self.confirm_button, self.keep_button):
            back_to = None
        if back_to is not None:
            back_to.setFocus(Qt.FocusReason.OtherFocusReason)
        self.hide_confirm()
        if back_to is None:
            self.remove_button.setFocus(Qt.FocusReason.OtherFocusReason)


def ask_on_delete_key(view: QWidget, ask: Callable[[], object]) -> QShortcut:
    """The Delete key on a list or table asks, as its "Remove…" button does: it did nothing,
    and people press it first. It only asks; nothing is removed without a second answer.
    Only while the list itself has the keyboard: in a cell being edited Delete deletes text."""
    shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), view)
    shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
    shortcut.activated.connect(lambda: ask())
    return shortcut


class _RowOnTab(QObject):
    def __init__(self, view: QAbstractItemView,
                 first_choice: Callable[[], QModelIndex | None]) -> None:
        super().__init__(view)
        self._first_choice = first_choice

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusIn and isinstance(watched, QAbstractItemView):
            assert isinstance(event, QFocusEvent)
            if event.reason() in (Qt.FocusReason.TabFocusReason,
                                  Qt.FocusReason.BacktabFocusReason):
                _choose_a_row(watched, self._first_choice)
        return False


def _choose_a_row(view: QAbstractItemView,
                  first_choice: Callable[[], QModelIndex | None]) -> None:
    model, chosen = view.model(), view.selectionModel()
    if model is None or chosen is None or chosen.hasSelection() or not model.rowCount():
        return
    current = view.currentIndex()
    index = current if current.isValid() else (first_choice() or model.index(0, 0))
    # A tree's heading (Found in evidence: "E-mail address") is nothing to act on: its first
    # entry is.
    if isinstance(view, QTreeView) and model.hasChildren(index) and view.isExpanded(index):
        index = model.index(0, 0, index)
    chosen.setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect
                           | QItemSelectionModel.SelectionFlag.Rows)


def choose_a_row_on_tab(view: QAbstractItemView,
                        first_choice: Callable[[], QModelIndex | None] = lambda: None) -> None:
    """Reached with Tab and nothing chosen, a table or tree chooses the row its cursor is on
    (the first; in a tree, the first entry under an open heading). Qt gave it the cursor but
    chose nothing: "Remove…" stayed grey, Delete did nothing, and in a table of one row Down
    could not choose it either; only Space did, which nobody is told. `first_choice`: the row
    to choose where the cursor is on none (None: the first)."""
    view.installEventFilter(_RowOnTab(view, first_choice))
