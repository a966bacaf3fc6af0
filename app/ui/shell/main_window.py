"""The main window: tabs for the case's parts, the checklist beside them, and a toolbar.

Each tab is a view from its own package (evidence, records, reading, checklist), imported and
built here by name, so a broken view stops the window from being built (and the type checker and
import-linter see every edge) instead of quietly becoming a missing tab. Each view is given the
controller and clears itself on `case_locked`.

Never puts the case's name in the window title: titles show in the taskbar, the window
switcher and screen-sharing pickers.

Small screens (a 1366x768 laptop at 125% or 200%, a 1024x600 netbook): the window opens inside
the available screen (`screen_fit`), the top row keeps Quick exit in sight (`main_chrome`), the
tab pages scroll rather than push the window past the screen's edge, and when the window is
too narrow for both the tab pages and the checklist beside them, the checklist moves into a
tab of its own, the first ("What to do next"), until there is room again.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QEvent, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QCloseEvent, QKeySequence, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QMainWindow,
    QPushButton,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from app.core.guidance import ChecklistAction
from app.i18n import tr
from app.text_safety import visible_line
from app.ui.chats.conversations_view import ConversationsView
from app.ui.checklist.panel import ChecklistPanel
from app.ui.evidence.details import EvidenceDetails
from app.ui.evidence.sent_in_chat import SentInChat
from app.ui.evidence.view import EvidenceView
from app.ui.kit.controller import CaseController, DataArea
from app.ui.kit.elided_label import ElidedLabel
from app.ui.kit.message_bar import MessageBar
from app.ui.kit.screen_fit import fit_to_screen
from app.ui.reading.found_in_picture import FoundInPicture
from app.ui.reading.found_view import FoundView
from app.ui.records.identifiers_view import IdentifiersView
from app.ui.records.payments_view import PaymentsView
from app.ui.records.search_view import SearchView
from app.ui.records.timeline_view import TimelineView
from app.ui.shell.autolock import LockReason, windows_lock_message
from app.ui.shell.main_chrome import (
    ActionRow,
    ChecklistPlacement,
    ReadsInBlocks,
    ScrollingTabs,
    checklist_dock,
    next_in_reading_order,
    one_dialog,
    preferences_keys,
    toolbar_action,
    window_action,
)
from app.ui.shell.main_routes import (
    go_to_chat_export,
    go_to_record,
    run_step_action,
    take_drops_anywhere,
)
from app.ui.shell.opening_notice import opening_notice
from app.ui.shell.safety import make_quick_exit_button
from app.ui.shell.tab_keys import PARTS_NAME

if TYPE_CHECKING:
    from app.core.records import CaseSummary
    from app.ui.shell.export_dialog import ExportDialog

log = logging.getLogger(__name__)

PREFERRED_SIZE = (1180, 760)  # on a screen with room; smaller screens get what they have


class MainWindow(QMainWindow):
    lock_requested = Signal(object)  # a LockReason
    quick_exit_requested = Signal()
    settings_requested = Signal()
    help_requested = Signal()
    close_requested = Signal()

    def __init__(self, controller: CaseController, parent: QWidget | None = None, *,
                 build_now: bool = True) -> None:
        """`build_now=False`: only the frame; the caller runs `building()` a step per
        event-loop turn (the session does, so the window already on screen keeps answering)
        and shows the window once it is built."""
        super().__init__(parent)
        self.controller = controller
        self.setObjectName("MainWindow")
        self.views: dict[str, QWidget] = {}
        self.allow_close = False  # set by the session when it really means to close
        self._placed = False
        self.built = False
        self._steps = self._build()
        if build_now:
            self.finish_building()

    def building(self) -> Iterator[None]:
        """The rest of the build, one piece (a few milliseconds) per step."""
        return self._steps

    def finish_building(self) -> None:
        for _step in self._steps:
            pass

    # -- building ------------------------------------------------------------------------------

    def _build(self) -> Iterator[None]:
        controller = self.controller
        self.case_label = ElidedLabel(self)
        self.case_label.setObjectName("CaseLabel")
        label_font = self.case_label.font()
        label_font.setBold(True)
        self.case_label.setFont(label_font)
        self.message_bar = MessageBar(self)
        self.tabs = ScrollingTabs(self)
        self._tab_at_lock: QWidget | None = None  # to come back to after unlocking
        self.tabs.setDocumentMode(True)
        self.tabs.setAccessibleName(tr("Parts of the case"))
        self.tabs.setObjectName(PARTS_NAME)  # Ctrl+Tab from anywhere in it (tab_keys.py)
        yield
        found_in_picture, sent_in = FoundInPicture(controller), SentInChat(controller)
        for part in (found_in_picture, sent_in):  # a message: its conversation, at it
            part.message_requested.connect(lambda m: self.navigate(DataArea.MESSAGES, m))
        yield
        details = EvidenceDetails(found_in_picture, sent_in=sent_in)
        yield
        self.evidence = EvidenceView(controller, details=details)
        self.evidence.quick_exit_requested.connect(self.quick_exit_requested.emit)
        self.evidence.messages_requested.connect(lambda item: go_to_chat_export(self, item))
        take_drops_anywhere(self)
        yield
        self.identifiers = IdentifiersView(controller)
        yield
        self.found = FoundView(controller)
        yield
        self.payments = PaymentsView(controller)
        yield
        self.timeline = TimelineView(controller)
        yield
        self.conversations = ConversationsView(controller)
        yield
        self.search = SearchView(controller)
        yield
        for key, view, label in (
            ("evidence", self.evidence, tr("Evidence")),
            ("identifiers", self.identifiers, tr("Offender details")),
            ("found", self.found, tr("Found in evidence")),
            ("payments", self.payments, tr("Payments")),
            ("timeline", self.timeline, tr("Timeline")),
            ("conversations", self.conversations, tr("Chats")),
            ("search", self.search, tr("Search")),
        ):
            self.views[key] = view
            self.tabs.addTab(view, label)
        for navigating in (self.found, self.timeline, self.conversations, self.search):
            navigating.navigate_requested.connect(self.navigate)
        # What is selected on the Evidence tab can be linked to a detail or an event as it
        # is saved ("Link it to the evidence item selected on the Evidence screen").
        for linking in (self.identifiers, self.timeline, self.payments):
            self.evidence.selection_changed.connect(linking.set_selected_evidence)
        yield

        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(8, 6, 8, 0)
        self.details_button = QPushButton(tr("Case details…"), self)
        self.details_button.setToolTip(tr("Name, crime reference, caseworker and notes"))
        self.details_button.clicked.connect(self.open_case_details)
        header = QHBoxLayout()
        header.addWidget(self.case_label)
        header.addWidget(self.details_button)
        header.addStretch(1)
        layout.addLayout(header)
        layout.addWidget(self.message_bar)
        layout.addWidget(self.tabs, 1)
        self.setCentralWidget(central)

        self.checklist = ChecklistPanel(controller)
        self.views["checklist"] = self.checklist
        self.checklist_dock = checklist_dock(self, self.checklist)
        self.checklist.action_requested.connect(self.run_checklist_action)
        yield
        pages = [view for key, view in self.views.items() if key != "checklist"]
        self.placement: ChecklistPlacement = ChecklistPlacement(
            self, self.checklist_dock, self.checklist, self.tabs, pages)
        self._make_toolbar()
        self.statusBar().setSizeGripEnabled(False)
        yield

        controller.case_opened.connect(self.show_opened)
        controller.case_locked.connect(self._on_locked)
        controller.status.connect(self._on_status)
        controller.error.connect(self.message_bar.show_error)
        controller.data_changed.connect(self._on_data_changed)
        fit_to_screen(self, *PREFERRED_SIZE, maximise_if_small=True)
        self.built = True

    def _make_toolbar(self) -> None:
        bar = QToolBar(tr("Main actions"), self)
        bar.setObjectName("MainToolbar")
        bar.setMovable(False)
        bar.setFloatable(False)
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)

        self.export_action = toolbar_action(self, bar, "bundle", tr("Prepare bundle for police"),
                                            self.open_export_dialog, QKeySequence("Ctrl+E"))
        self.lock_action = toolbar_action(self, bar, "lock", tr("Lock"),
                                          lambda: self.lock_requested.emit(LockReason.BUTTON),
                                          QKeySequence("Ctrl+L"))
        self.settings_action = toolbar_action(self, bar, "settings", tr("Settings"),
                                              self.settings_requested.emit, preferences_keys())
        self.help_action = toolbar_action(self, bar, "help", tr("Help"), self.help_requested.emit,
                                          QKeySequence(QKeySequence.StandardKey.HelpContents))
        # Ctrl+F: to the Search tab, cursor in its box. Not on the toolbar (it has a tab).
        self.find_action = window_action(self, tr("Search the case"), QKeySequence.StandardKey.Find,
                                         self.start_search)
        # Ctrl+O ("Open" elsewhere; it did nothing): the Evidence page's Add files…, anywhere.
        self.add_files_action = window_action(self, tr("Add files"), QKeySequence.StandardKey.Open,
                                              self.add_files)
        self.evidence.add_files_button.setToolTip(tr("Add files… ({keys})").format(
            keys=self.add_files_action.shortcut().toString(
                QKeySequence.SequenceFormat.NativeText)))
        self.quick_exit_button = make_quick_exit_button(self, self.quick_exit_requested.emit)
        # Above the tabs and the checklist, across the whole window, Quick exit at its right.
        self.action_row = ActionRow(bar, self.quick_exit_button, self)
        self.setMenuWidget(self.action_row)

    # -- actions -------------------------------------------------------------------------------

    def open_export_dialog(self) -> ExportDialog | None:
        if not self.controller.is_open():
            return None
        # Imported here, not needed to show the window (warm_up.py loads it after it is built).
        from app.ui.shell.export_dialog import ExportDialog

        dialog = one_dialog(self, ExportDialog, self.controller)
        dialog.check_first_requested.connect(self.show_found, Qt.ConnectionType.UniqueConnection)
        return dialog

    @Slot()  # a slot, so that connecting it again to the same dialog is a no-op
    def show_found(self) -> None:
        """The Found in evidence tab, the keyboard on its first detail to check (from the
        export dialog)."""
        self.show_page(self.found)
        self.activateWindow()  # the dialog that asked is closing
        self.found.tree.setFocus(Qt.FocusReason.OtherFocusReason)
        self.found.choose_first_to_add()

    def open_case_details(self) -> QWidget | None:
        if not self.controller.is_open():
            return None
        from app.ui.shell.case_details_dialog import CaseDetailsDialog

        return one_dialog(self, CaseDetailsDialog, self.controller)

    def show_view(self, key: str) -> QWidget | None:
        view = self.views.get(key)
        if view is not None:
            self.show_page(view)
        return view

    def show_page(self, view: QWidget) -> None:
        if self.tabs.indexOf(view) >= 0:
            self.tabs.setCurrentWidget(view)

    def add_files(self) -> None:
        """The Evidence page, and its file chooser open on it."""
        self.show_page(self.evidence)
        self.evidence.add_files()

    def start_search(self) -> SearchView:
        self.show_view("search")
        self.search.start_searching()
        return self.search

    def navigate(self, area: DataArea, item_id: int) -> bool:
        """Show one record: a search hit, a timeline link, a picture with a found detail, or a
        message in its conversation (main_routes.py)."""
        return go_to_record(self, area, item_id)

    def run_checklist_action(self, action: ChecklistAction) -> None:
        """A checklist step's button ("Add evidence", "Prepare the bundle"...) takes you there."""
        run_step_action(self, action)

    # -- fitting the screen --------------------------------------------------------------------

    @property
    def checklist_in_tab(self) -> bool:
        """True while the window is too narrow for the checklist beside the pages."""
        return self.placement.in_tab

    def fit_layout(self) -> None:
        if self.built:  # a font change can arrive while the window is still being built
            self.placement.fit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.fit_layout()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._placed:
            self._placed = True
            self.fit_layout()
            QTimer.singleShot(0, self, self.fit_layout)  # again once the docks have their sizes
        QTimer.singleShot(0, self, self.placement.open_on_advice)  # once placed, as it opens

    def focusNextPrevChild(self, next: bool) -> bool:
        """Tab as a person reads the window: Quick exit, Case details…, a message's Dismiss,
        the tabs, the page, then the checklist."""
        page = self.tabs.currentWidget()
        # The page's own parts in the order it reads (Evidence: its grid before the details
        # beside it, which Tab had reached first), any others after them.
        parts = page.reading_blocks() if isinstance(page, ReadsInBlocks) else []
        target = next_in_reading_order(self, [
            self.quick_exit_button, self.details_button, self.message_bar, self.tabs.tabBar(),
            *parts, self.tabs, self.checklist_dock], next) if self.built else None
        if target is None:
            return super().focusNextPrevChild(next)
        target.setFocus(Qt.FocusReason.TabFocusReason if next
                        else Qt.FocusReason.BacktabFocusReason)
        return True

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:  # the text size setting: pages grew
            QTimer.singleShot(0, self, self.fit_layout)

    # -- controller signals --------------------------------------------------------------------

    def show_opened(self) -> None:
        """Name, notice, status line, Evidence tab (the session: before it shows the window)."""
        summary = self.controller.last_summary
        if summary is not None:
            self._show_case_name(summary.display_name, summary.under_18)
            self.evidence.details.set_initials(summary.producer_initials)
        # After a lock, the last opening was this window's own: no "was someone else here?"
        # at every unlock, which a person could only read as a warning.
        notice = None if self.controller.last_open_was_ours else opening_notice(
            summary, self.controller.case)
        if notice:
            self.message_bar.show_info(notice, stay=True)
        self.statusBar().showMessage(tr("Opened. Every change is saved at once."))
        # Unlocked again after stepping away: back on the part of the case they were on (it
        # had been Evidence at every unlock). Another case, or a first opening: Evidence.
        back = self._tab_at_lock if self.controller.last_open_was_ours else None
        self.tabs.setCurrentWidget(back if back is not None else self.evidence)
        self.placement.advice_first = summary is not None and summary.evidence_items == 0
        if self.isVisible():  # shown already (no show to wait for)
            QTimer.singleShot(0, self, self.placement.open_on_advice)
        # First focus on the tabs, not on the notice's Dismiss (the first in Tab's order
        # after Quick exit and Case details…): the arrow keys choose a part of the case.
        self.tabs.tabBar().setFocus()

    def _show_case_name(self, name: str, under_18: bool) -> None:
        text = tr("Case: {name}").format(name=visible_line(name))  # hidden characters shown
        if under_18:
            text += "  ·  " + tr("under 18")
        self.case_label.setText(text)

    def _on_data_changed(self, area: DataArea) -> None:
        if area is not DataArea.CASE or not self.controller.is_open():
            return
        from app.core.records import case_summary

        case = self.controller.require_case()
        self.controller.run(lambda ctx: case_summary(case), on_result=self._show_summary)

    def _show_summary(self, summary: CaseSummary) -> None:
        """The case's details changed (its name, under 18, the initials exhibits are marked
        with): what the window shows of them."""
        self._show_case_name(summary.display_name, summary.under_18)
        self.evidence.details.set_initials(summary.producer_initials)

    def _on_status(self, text: str) -> None:
        self.statusBar().showMessage(text)

    def _on_locked(self) -> None:
        self._tab_at_lock = self.tabs.currentWidget()
        # Nothing of the case behind the passphrase question; Evidence, shown first, loads at
        # once at the next opening.
        self.tabs.setCurrentWidget(self.evidence)
        self.case_label.clear()
        self.message_bar.dismiss()
        self.statusBar().clearMessage()

    # -- platform ------------------------------------------------------------------------------

    def nativeEvent(
        self, event_type: QByteArray | bytes | bytearray | memoryview, message: int
    ) -> object:
        raw = bytes(event_type.data() if isinstance(event_type, QByteArray) else event_type)
        reason = windows_lock_message(raw, message)
        if reason is not None:
            self.lock_requested.emit(reason)
        return super().nativeEvent(event_type, message)

    def closeEvent(self, event: QCloseEvent) -> None:
        # Closing the window is "I am done": lock and quit (the session decides the details).
        if self.allow_close:
            event.accept()
            return
        event.ignore()
        self.close_requested.emit()
