"""One run of the desktop app: which window shows when, and everything that locks.

Flow: welcome (or the unlock dialog when a case is named) -> new case / unlock -> main window.
Lock (Ctrl+L, idle, screen lock, sleep) -> close dialogs, lock the case, hide the main window,
show the unlock dialog. Quick exit -> hide everything first, then lock, clear our clipboard, quit.
The locking itself, and quitting, are in session_locking.py.

The session's worker processes (`controller.pools`: previews, text recognition) are warmed
once the main window is built, after the first window shows, and again on each unlock; every
lock, and quitting, stops them.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from app.ui.kit.after_paint import after_first_paint
from app.ui.kit.case_files import case_files_nearby
from app.ui.kit.collector import freeze_heap
from app.ui.kit.controller import CaseController
from app.ui.kit.first_look import open_reads
from app.ui.kit.qt_types import TypeWarmUp
from app.ui.kit.titles import use_neutral_titles
from app.ui.kit.turns import next_turn_timer
from app.ui.shell.app_filters import AppFilters
from app.ui.shell.autolock import (
    InactivityTimer,
    LockReason,
    SessionLockWatcher,
    register_windows_session_notifications,
    time_including_sleep,
)
from app.ui.shell.safety import ClipboardGuard, QuickExitShortcut
from app.ui.shell.session_locking import (
    close_and_quit,
    hide_lock_and_quit,
    lock_after_passphrase_change,
    lock_and_ask,
    lock_and_forget,
    lock_when_out_of_reach,
    undo_session,
)
from app.ui.shell.settings import AppSettings, app_title
from app.ui.shell.warm_up import MainWindowBuilder
from app.ui.shell.welcome import WelcomeWindow

if TYPE_CHECKING:
    from app.ui.shell.main_window import MainWindow

log = logging.getLogger(__name__)

# The application-wide filters wait for PySide's types at most this long after start-up; the
# types take a fraction of a second, a few per event-loop turn.
FILTERS_HELD_AT_MOST_MS = 1000



class SafekeepSession(QObject):
    def __init__(
        self,
        app: QApplication,
        settings: AppSettings,
        *,
        controller: CaseController | None = None,
        clock: Callable[[], float] = time_including_sleep,
        quit_on_quick_exit: bool = True,
        watch_platform: bool = True,
    ) -> None:
        super().__init__(app)
        self.app = app
        self.settings = settings
        self.controller = controller or CaseController()
        self.quit_on_quick_exit = quit_on_quick_exit
        self.case_path: Path | None = None
        # Where a new case is suggested and case files are looked for: beside the program when
        # portable (the USB stick: a new case had been suggested in this computer's Documents),
        # else Documents (None).
        self.cases_folder: Path | None = settings.location.folder if settings.portable else None
        self.main_window: QWidget | None = None  # a MainWindow, imported lazily (start-up time)
        self.welcome: WelcomeWindow | None = None
        self.unlock_dialog: QDialog | None = None
        self.new_case_dialog: QDialog | None = None
        self.last_quick_exit_s: float | None = None  # how long hiding + locking took
        self._base_font = QFont(app.font())
        self._started = False
        self._retired: list[QDialog] = []

        self.clipboard_guard = ClipboardGuard(self)
        self.controller.clipboard_guard = self.clipboard_guard
        # PySide's types, made a few per turn once the first window shows (qt_types.py); the
        # application-wide filters wait for them (app_filters.py).
        self.type_warm_up = TypeWarmUp(self)
        self.filters = AppFilters(app)  # paused while the main window is built
        self.filters.hold_until(self.type_warm_up.finished, FILTERS_HELD_AT_MOST_MS)
        self.quick_exit_shortcut = QuickExitShortcut(self, clock=clock)
        self.filters.install(self.quick_exit_shortcut)
        self.quick_exit_shortcut.triggered.connect(self.quick_exit)
        self.idle = InactivityTimer(self, clock=clock)
        self.filters.install(self.idle)  # the wheel guard too, once the first window shows
        self.idle.inactivity_detected.connect(lambda: self.lock(LockReason.IDLE))
        self.platform_watch = SessionLockWatcher(self)
        self.platform_watch.lock_requested.connect(self.lock)
        self._watch_platform = watch_platform
        # Work not needed to show the first window waits until it is up: start-up time is
        # the first thing a frightened person notices (see benchmarks/bench_startup.py).
        QTimer.singleShot(0, self, self._after_first_show)
        self._build_after_first_show = next_turn_timer(self, self.build_main_window_soon)

        # Built after the first window shows, a piece per event-loop turn (warm_up.py); an
        # unlock that finishes first waits at the controller's gate until it is ready.
        self._builder = MainWindowBuilder(
            self._make_main_window, self._adopt_main_window, self,
            around_step=lambda: self.filters.paused(lambda: [self._builder.partial]),
            when_quiet=self.controller.when_idle)
        self.controller.open_gate = self._builder.then
        self.controller.open_reads = open_reads()  # what the first screen shows (first_look.py)
        self.controller.case_opened.connect(self._on_case_opened)
        self.controller.case_gone.connect(lambda _sentence: lock_when_out_of_reach(self))
        app.aboutToQuit.connect(self.shutdown)
        self.apply_settings()

    # -- settings ------------------------------------------------------------------------------

    def apply_settings(self) -> None:
        self.idle.set_timeout_minutes(self.settings.auto_lock_minutes)
        font = QFont(self._base_font)
        if font.pointSizeF() > 0:
            font.setPointSizeF(font.pointSizeF() * self.settings.text_scale)
        if font != self.app.font():
            self.app.setFont(font)
            from app.ui.kit.app_font import follow_text_size

            follow_text_size()  # the widgets Qt does not hand the new size to
        title = app_title(self.settings)
        self.app.setApplicationDisplayName("")  # Qt would append it to every title
        if self._started:
            from app.ui.kit.icons import app_icon

            self.app.setWindowIcon(app_icon(self.settings.neutral_title))
        for window in (self.welcome, self.main_window, self.unlock_dialog):
            if window is not None:
                window.setWindowTitle(title)
        use_neutral_titles(self.settings.neutral_title)  # the dialogs and file pickers

    def _after_first_show(self) -> None:
        # Importing `Qt` makes its 100 or so enum classes (about 15 ms). The welcome window
        # shows without them, so they are made here, in this turn; the main window's build,
        # with its imports in a background thread beside the GUI thread, starts in the next
        # turn (`_build_after_first_show`), so this turn does not carry both.
        from PySide6.QtCore import QCoreApplication, Qt

        self.type_warm_up.start()  # first: the sooner begun, the less a sweep finds to do
        # The wheel scrolls and never edits. The first windows (welcome, unlock, new case)
        # have no box the wheel could change, so the guard waits until they show.
        self.filters.install_wheel_guard()

        self._started = True
        for window in (self.welcome, self.unlock_dialog):
            self._help_key(window)
        # Qt's dialogs never become native ones (native pickers log recent files in the OS).
        QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_DontUseNativeDialogs, True)
        from app.ui.kit.icons import app_icon

        self.app.setWindowIcon(app_icon(self.settings.neutral_title))  # loads the SVG plugin
        if self._watch_platform:
            self.platform_watch.start_dbus()
        self._build_after_first_show.start()

    def _build_soon(self) -> None:
        """Start the main window's build in a coming turn. For the first window, the turn
        after its own after-show turn: `_after_first_show` starts it then."""
        if self._started:
            QTimer.singleShot(0, self, self.build_main_window_soon)

    # -- windows -------------------------------------------------------------------------------

    def start(self, case_path: str | None = None) -> QWidget:
        """Show the first window and return it."""
        if case_path:
            return self.show_unlock(Path(case_path))
        recent = self.settings.recent_cases
        return self.show_welcome(recent)

    def show_welcome(self, recent: list[str] | None = None) -> WelcomeWindow:
        _, found = case_files_nearby(self.cases_folder)
        if self.welcome is None:
            self.welcome = WelcomeWindow(self.quick_exit, recent or self.settings.recent_cases,
                                         found=found)
            self.welcome.setWindowTitle(app_title(self.settings))
            self.welcome.new_case_requested.connect(self.show_new_case)
            self.welcome.open_case_requested.connect(self.choose_case_to_open)
            self.welcome.recent_case_requested.connect(lambda p: self.show_unlock(Path(p)))
            self.welcome.help_requested.connect(self.show_help)
            self.welcome.close_requested.connect(self.close_app)
        else:  # the list as it is now: forgotten, switched off, or with cases opened since
            self.welcome.show_recent(recent or self.settings.recent_cases, found)
        self._help_key(self.welcome)
        self.welcome.show()
        self.welcome.raise_()
        # Build the main window while the person reads (its views import the database layer),
        # so "Create the case" does not pause on imports.
        self._build_soon()
        return self.welcome

    def build_main_window_soon(self) -> None:
        """Start building the main window in the background and in small steps."""
        if self.main_window is None:
            self._builder.start()

    def ensure_main_window(self) -> QWidget:
        """The main window, built now if it is not yet (the rest of its steps in one go)."""
        if self.main_window is None:
            self._builder.finish()
        assert self.main_window is not None
        return self.main_window

    def _make_main_window(self) -> MainWindow:
        from app.ui.shell.main_window import MainWindow

        return MainWindow(self.controller, build_now=False)

    def _adopt_main_window(self, window: MainWindow) -> None:
        window.setWindowTitle(app_title(self.settings))
        window.lock_requested.connect(self.lock)
        window.quick_exit_requested.connect(self.quick_exit)
        window.settings_requested.connect(self.show_settings)
        window.help_requested.connect(self.show_help)
        window.close_requested.connect(self.close_app)
        self.main_window = window
        freeze_heap()  # what start-up made is never looked through again (kit/collector.py)
        # Built after the first window showed, while the person reads or types: now the worker
        # processes can start too; after the window's first paint if it is about to show.
        self._warm_pools_after_paint(window)

    def show_new_case(self) -> QDialog:
        from app.ui.shell.new_case_dialog import NewCaseDialog

        if self.new_case_dialog is not None and self.new_case_dialog.isVisible():
            self.new_case_dialog.raise_()
            return self.new_case_dialog
        folder, found = case_files_nearby(self.cases_folder)
        dialog = NewCaseDialog(self.controller, self.welcome, folder=folder, found=found,
                               on_quick_exit=self.quick_exit)
        dialog.open_instead.connect(self._open_chosen)  # a case file already there
        dialog.about_to_open.connect(self.build_main_window_soon)
        dialog.created.connect(lambda: self._remember_path(dialog.target_path()))
        dialog.finished.connect(lambda _r: self._new_case_closed(dialog))
        self.new_case_dialog = dialog
        self._help_key(dialog)
        # Not modal: a window-modal dialog blocked the welcome window's red Quick exit button,
        # in sight above the dialog's own, and a click on it did nothing. The welcome window
        # holds its other choices instead while a case is being made.
        if self.welcome is not None:
            self.welcome.hold_for(dialog)
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        return dialog

    def _new_case_closed(self, dialog: QDialog) -> None:
        if self.new_case_dialog is dialog:
            self.new_case_dialog = None
        self._retire(dialog)

    def _retire(self, dialog: QDialog) -> None:
        """Delete a finished dialog from the event loop (we may be inside its own signal)."""
        self._retired = [d for d in self._retired if shiboken6.isValid(d)]
        self._retired.append(dialog)
        dialog.deleteLater()

    def choose_case_to_open(self) -> None:
        from app.ui.kit.file_dialogs import choose_case_to_open

        asking = self.unlock_dialog
        parent = asking if asking is not None else self.welcome
        dialog = choose_case_to_open(parent, lambda path: self._open_chosen(path),
                                     self.cases_folder)
        # Changed their mind: the passphrase is what they type next. Left on "Open another
        # case…", the first space typed opened the file dialog again.
        passphrase = getattr(asking, "passphrase_edit", None)  # None from the welcome window
        if passphrase is not None:
            dialog.rejected.connect(passphrase.setFocus)

    def _open_chosen(self, path: str) -> None:
        self.show_unlock(Path(path))

    def show_unlock(self, path: Path, *, after_lock: bool = False) -> QDialog:
        from app.ui.shell.unlock_dialog import UnlockDialog

        if self.unlock_dialog is not None:
            old, self.unlock_dialog = self.unlock_dialog, None
            old.done(QDialog.DialogCode.Rejected)
            self._retire(old)
        # A whole path: "safekeep gui case.skcase" gave a bare name, and everything built on it
        # went wrong later (the bundle's folder shown as "", "Show in folder" asked for "file:.",
        # the recent-cases list kept a name that only worked from one folder).
        path = Path(os.path.abspath(path))
        self.case_path = path
        dialog = UnlockDialog(self.controller, path, after_lock=after_lock,
                              on_quick_exit=self.quick_exit)
        dialog.setWindowTitle(app_title(self.settings))
        dialog.about_to_open.connect(self.build_main_window_soon)
        dialog.unlocked.connect(lambda: self._remember_path(path))
        dialog.open_other_requested.connect(self.choose_case_to_open)
        dialog.close_requested.connect(self.close_app)
        dialog.rejected.connect(lambda: self._unlock_dismissed(dialog))
        self.unlock_dialog = dialog
        self._help_key(dialog)
        if self.welcome is not None and self.welcome.isVisible() and not after_lock:
            self.welcome.hide()
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        # Build the main window while the person types (its views import the database layer).
        self._build_soon()
        return dialog

    def _unlock_dismissed(self, dialog: QDialog) -> None:
        if dialog is self.unlock_dialog and not self.controller.is_open():
            self.unlock_dialog = None
            self._retire(dialog)
            self.show_welcome()

    def _remember_path(self, path: Path) -> None:
        self.case_path = path
        self.settings.add_recent(str(path))

    def _on_case_opened(self) -> None:
        window = self.ensure_main_window()
        for other in (self.welcome, self.unlock_dialog):
            if other is not None:
                other.hide()
        from app.ui.shell.main_window import MainWindow  # loaded: the window is built

        assert isinstance(window, MainWindow)
        window.show_opened()  # before it shows: a notice shown after lays it all out again
        with self.filters.paused(lambda: [window]):  # its first show polishes every widget
            window.show()
        window.raise_()
        window.activateWindow()
        if not getattr(self, "_win_registered", False):
            self._win_registered = register_windows_session_notifications(int(window.winId()))
        self.idle.activate()
        # The last lock stopped them; started once the window has painted (after_paint.py).
        self._warm_pools_after_paint(window)

    def _warm_pools_after_paint(self, window: QWidget) -> None:
        """Start the worker processes once `window` has painted and its views have loaded
        what they show: starting them holds the interpreter for tens of milliseconds, which
        doubled the turns that drew the first checklist steps and thumbnails."""
        self.controller.pools.warm_soon(
            lambda go: after_first_paint(window, lambda: self.controller.when_idle(go)))

    def show_settings(self) -> QDialog:
        from app.ui.shell.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.settings, self.controller, self.main_window or self.welcome)
        dialog.changed.connect(self.apply_settings)
        dialog.case_closed.connect(lambda message: lock_after_passphrase_change(self, message))
        dialog.finished.connect(lambda _r: self._retire(dialog))
        dialog.show()  # not modal: the main window's Quick exit button stays usable
        return dialog

    def _help_key(self, window: QWidget | None) -> None:
        if window is not None and self._started:  # after the first show: see help_key
            from app.ui.shell.help_dialog import help_key

            help_key(window, self.show_help)

    def show_help(self) -> QDialog:
        from app.ui.shell.help_dialog import HelpDialog

        summary = self.controller.last_summary
        parent = self.main_window if self.controller.is_open() else self.welcome
        if self.new_case_dialog is not None and self.new_case_dialog.isVisible():
            parent = self.new_case_dialog  # where the person is: Help shows over it
        dialog = HelpDialog(parent, under_18=summary.under_18 if summary else None,
                            on_quick_exit=self.quick_exit)
        dialog.finished.connect(lambda _r: self._retire(dialog))
        dialog.show()  # not modal: it can stay open beside the case, and Quick exit works
        return dialog

    # -- locking (the work itself: session_locking.py) -----------------------------------------

    def lock(self, reason: LockReason = LockReason.BUTTON) -> None:
        """Lock the case and ask for the passphrase again. Does nothing if nothing is open."""
        if not self.controller.is_open():
            return
        log.info("Locking (%s)", reason)
        lock_and_ask(self)

    def quick_exit(self) -> None:
        """Hide everything now; then lock, clear our clipboard, and quit."""
        hide_lock_and_quit(self)

    def close_app(self) -> None:
        close_and_quit(self)

    def shutdown(self) -> None:
        """Lock and forget: on quit, whatever the reason."""
        lock_and_forget(self)

    def dispose(self) -> None:
        """Undo everything this session did to the application (tests run many sessions)."""
        undo_session(self)
