"""Unlock a case: the passphrase, a busy bar while the key is derived, a clear wrong-passphrase
message, and afterwards a "last opened" note so a person can tell if someone else was in.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from app.errors import WrongPassphrase
from app.i18n import tr
from app.ui.kit.calm_dialog import CalmDialog, keep_from_enter
from app.ui.kit.controller import CaseController
from app.ui.kit.message_bar import MessageBar
from app.ui.kit.screen_fit import fit_to_screen
from app.ui.kit.worker import TaskContext, run_task
from app.ui.shell.safety import make_quick_exit_button

# The moving bar joins the words "Opening the case…" only when the wait goes on this long.
# Shorter, it would flash up and vanish, which reads as a glitch. (Its animation timer was
# also what made PySide build every remaining Qt type in one turn at start-up, kit/qt_types.py;
# the session's filters now wait for those types, app_filters.py.)
BUSY_BAR_AFTER_MS = 400
LOOK_AGAIN_MS = 2000  # how often a case file not there is looked for


class UnlockDialog(CalmDialog):
    about_to_open = Signal()
    unlocked = Signal()
    open_other_requested = Signal()
    close_requested = Signal()

    def __init__(self, controller: CaseController, case_path: str | Path,
                 parent: QWidget | None = None, *, after_lock: bool = False,
                 on_quick_exit: Callable[[], None] | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.case_path = Path(case_path)
        self.setWindowTitle(tr("Unlock the case"))
        self.setObjectName("UnlockDialog")

        self.heading = heading = QLabel(
            tr("The case is locked. Everything is saved. Type the passphrase to carry on.")
            if after_lock else tr("Type the passphrase to open this case."), self)
        heading.setWordWrap(True)
        # With its folder's name: a case in a folder of its own, as the README advises, is
        # "case.skcase" like every other, and which person's it was showed only once open.
        self.file_label = QLabel(tr("Case file: {name}, in the folder {folder}").format(
            name=self.case_path.name, folder=self.case_path.parent.name), self)
        self.file_label.setToolTip(str(self.case_path))
        self.file_label.setWordWrap(True)

        self.passphrase_edit = QLineEdit(self)
        self.passphrase_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase_edit.setAccessibleName(tr("Passphrase"))
        self.passphrase_edit.setPlaceholderText(tr("Passphrase"))
        self.passphrase_edit.textChanged.connect(self._update)
        self.show_box = QCheckBox(tr("Show the passphrase"), self)
        self.show_box.toggled.connect(
            lambda on: self.passphrase_edit.setEchoMode(
                QLineEdit.EchoMode.Normal if on else QLineEdit.EchoMode.Password))

        self.message_bar = MessageBar(self)
        self.busy_label = QLabel(tr("Opening the case. This takes a few seconds…"), self)
        self.busy_bar = QProgressBar(self)
        self.busy_bar.setRange(0, 0)
        self.busy_bar.setAccessibleName(tr("Opening the case"))
        self.busy_label.hide()
        self.busy_bar.hide()
        # The words show at once; the moving bar only if the wait goes on (`_set_busy`).
        self._bar_after = QTimer(self)
        self._bar_after.setSingleShot(True)
        self._bar_after.setInterval(BUSY_BAR_AFTER_MS)
        self._bar_after.timeout.connect(self._still_busy)

        self.unlock_button = QPushButton(tr("Unlock"), self)
        self.unlock_button.clicked.connect(self.try_unlock)
        self.set_primary(self.unlock_button)  # Enter in the passphrase field unlocks
        self.other_button = QPushButton(tr("Open another case…"), self)
        self.other_button.clicked.connect(self.open_other_requested)
        self.close_button = QPushButton(tr("Close Safekeep"), self)
        self.close_button.clicked.connect(self.close_requested)
        keep_from_enter(self.close_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.other_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        buttons.addWidget(self.unlock_button)

        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        self.quick_exit_button: QPushButton | None = None
        if on_quick_exit is not None:
            # This dialog is often the only window on screen: the way out must be here too.
            self.quick_exit_button = make_quick_exit_button(self, on_quick_exit)
            top = QHBoxLayout()
            top.addWidget(heading, 1)
            top.addWidget(self.quick_exit_button, 0, Qt.AlignmentFlag.AlignTop)
            layout.addLayout(top)
        else:
            layout.addWidget(heading)
        layout.addWidget(self.file_label)
        layout.addWidget(self.passphrase_edit)
        layout.addWidget(self.show_box)
        layout.addWidget(self.message_bar)
        layout.addWidget(self.busy_label)
        layout.addWidget(self.busy_bar)
        layout.addLayout(buttons)
        # Tab follows the order a person reads the choices in, whatever the layout.
        chain: list[QWidget] = [self.passphrase_edit, self.show_box,
                                self.message_bar.dismiss_button, self.unlock_button,
                                self.other_button, self.close_button]
        if self.quick_exit_button is not None:
            chain.append(self.quick_exit_button)
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)
        self._busy = False
        self._wrong_tries = 0  # for this file, while this dialog is open
        self._not_a_case = False
        # A case file not there (its USB stick out) is looked for again every few seconds,
        # and the dialog comes alive once it is back.
        self._absent = False
        self._look_again = QTimer(self)
        self._look_again.setSingleShot(True)
        self._look_again.setInterval(LOOK_AGAIN_MS)
        self._look_again.timeout.connect(self._check_it_is_a_case)
        self._update()
        fit_to_screen(self, 460)
        self._check_it_is_a_case()

    def _check_it_is_a_case(self) -> None:
        """Before anyone types a passphrase: is this a case file at all? In the worker, as the
        file may be on a slow or vanished drive; the database layer is imported there too, so
        the first window is not kept waiting for it."""
        path = self.case_path

        def check(ctx: TaskContext) -> str | None:
            from app.errors import CaseFileAbsent
            from app.models.casefile import check_looks_like_case

            try:
                check_looks_like_case(path)
            except CaseFileAbsent as absent:
                return absent.message  # it may come back: looked for again
            return None

        run_task(check, on_result=self._file_checked, on_error=self._refuse_file)

    def _file_checked(self, absent: str | None) -> None:
        if not isValid(self):  # closed (and deleted) before the answer came
            return
        if absent is not None:
            if not self._absent:
                self._absent = True
                # What the window said already (why the case was closed) says more.
                self._refuse_file(absent, keep_message=self.message_bar.isVisibleTo(self))
            self._look_again.start()
        elif self._absent:
            self._absent = False
            self._not_a_case = False
            self.passphrase_edit.setReadOnly(self._busy)
            self.passphrase_edit.setPlaceholderText(tr("Passphrase"))
            self.show_box.setEnabled(not self._busy)
            self.message_bar.show_info(tr("The case file is there now. Type the passphrase "
                                          "to open it."), stay=True)
            self._update()
            self.passphrase_edit.setFocus()

    def _refuse_file(self, message: str, *, keep_message: bool = False) -> None:
        """The file cannot be opened. The keyboard stays in the passphrase field, which takes
        nothing now: a person typing the passphrase without reading had it land on "Open
        another case…" (disabled, the field sent the keyboard on), where the first space
        opened the file picker and the rest of the passphrase went into its file name box,
        in plain sight."""
        if not isValid(self):  # the check's error, after the dialog closed
            return
        self._not_a_case = True
        if not keep_message:
            self.message_bar.show_error(message)
        self.passphrase_edit.clear()
        self.passphrase_edit.setReadOnly(True)
        self.passphrase_edit.setPlaceholderText(tr("This file cannot be opened: see below"))
        self.show_box.setEnabled(False)
        self._update()
        self.passphrase_edit.setFocus()

    def _update(self) -> None:
        self.unlock_button.setEnabled(
            bool(self.passphrase_edit.text()) and not self._busy and not self._not_a_case)

    def try_unlock(self) -> None:
        passphrase = self.passphrase_edit.text()
        if not passphrase or self._busy:
            return
        self.message_bar.dismiss()
        self._set_busy(True)
        self.about_to_open.emit()  # the window that will show the case gets ready first
        self.controller.unlock(self.case_path, passphrase, on_done=self._unlocked,
                               on_error=self._failed)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        # The field stays enabled (read-only) while the key is derived: disabling the focused
        # widget would send focus on to the next button.
        self.passphrase_edit.setReadOnly(busy or self._not_a_case)
        self.show_box.setEnabled(not busy and not self._not_a_case)
        self.other_button.setEnabled(not busy)
        self.busy_label.setVisible(busy)
        # The bar's room is kept from the start, so nothing moves when it joins the words
        # (a button jumping under the pointer is worse than a bar that flashes).
        policy = self.busy_bar.sizePolicy()
        policy.setRetainSizeWhenHidden(busy)
        self.busy_bar.setSizePolicy(policy)
        if busy:
            self._bar_after.start()
        else:
            self._bar_after.stop()
            self.busy_bar.hide()
        self._update()

    def _still_busy(self) -> None:
        self.busy_bar.setVisible(self._busy)

    def _unlocked(self) -> None:
        self._set_busy(False)
        self.passphrase_edit.clear()
        self.unlocked.emit()
        self.accept()

    def _failed(self, message: str) -> None:
        self._set_busy(False)
        typed = self.passphrase_edit.text()
        if message == WrongPassphrase().message:
            self._wrong_tries += 1
            message = " ".join([message, *_why_it_may_be_wrong(typed),
                                *_if_forgotten(self._wrong_tries)])
        self.message_bar.show_error(message)
        self.passphrase_edit.selectAll()
        self.passphrase_edit.setFocus()

    def reject(self) -> None:
        # Escape or the window's X while the key is derived would hide the dialog, and the
        # case would open a moment later anyway: like the other buttons, they wait.
        if self._busy:
            return
        self.passphrase_edit.clear()
        super().reject()

    def showEvent(self, event: object) -> None:
        super().showEvent(event)  # type: ignore[arg-type]
        self.passphrase_edit.setFocus()  # also for a file refused: see _refuse_file


# From this many wrong tries on, the words for a passphrase that is forgotten are added: a
# person who cannot remember it had heard only "check it and try again", however often.
FORGOTTEN_AFTER_TRIES = 3


def _if_forgotten(tries: int) -> list[str]:
    if tries < FORGOTTEN_AFTER_TRIES:
        return []
    return [tr("Trying again does no harm: nothing locks you out. If the passphrase is "
               "forgotten, nobody can open this case, not us and not the police; you can start "
               "a new case and add again the pictures and files you still have.")]


def _why_it_may_be_wrong(typed: str) -> list[str]:
    """What the dots hide that may explain a wrong passphrase, in words; never changed here."""
    hints = []
    if typed != typed.strip():
        # A space typed by habit, or carried along with a copied passphrase. It is part of the
        # passphrase, so it is never taken off.
        hints.append(tr("What you typed starts or ends with a space: check whether that "
                        "space belongs."))
    letters = [char for char in typed if char.lower() != char.upper()]
    if len(letters) >= 2 and all(char.isupper() for char in letters):
        hints.append(tr("Every letter was typed as a capital: check whether Caps Lock is on."))
    return hints
