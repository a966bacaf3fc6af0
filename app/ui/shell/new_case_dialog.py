"""Start a new case: a name or alias, under 18 or not, where the file goes, a passphrase twice.

A weak passphrase is never refused, only gently advised against: someone in crisis who cannot
get past this form keeps no evidence at all. The key is derived in the worker, so the window
stays responsive (a busy bar shows) while Argon2id runs.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.i18n import tr
from app.places import is_folder, is_there
from app.synced_folders import case_file_sentence
from app.ui.kit.calm_dialog import CalmDialog, keep_from_enter
from app.ui.kit.case_files import cases_folder
from app.ui.kit.controller import CaseController
from app.ui.kit.file_dialogs import choose_new_case_path
from app.ui.kit.message_bar import MessageBar
from app.ui.kit.screen_fit import fit_to_screen
from app.ui.kit.synced_note import SyncedNote
from app.ui.kit.titles import set_title
from app.ui.shell.safety import make_quick_exit_button

MAX_CHECKED_LENGTH = 100  # zxcvbn slows down on very long input; 100 characters is plenty


def suggest_case_path(folder: Path | None = None) -> Path:
    """A neutral file name that does not exist yet: "case.skcase", "case 2.skcase", ..."""
    folder = folder or cases_folder()[0]
    candidate = folder / "case.skcase"
    number = 2
    while is_there(candidate):
        candidate = folder / f"case {number}.skcase"
        number += 1
    return candidate


def strength_hint(passphrase: str, hints: list[str] | None = None) -> tuple[int, str]:
    """(score 0-4, a kind sentence). Never says "bad" or "weak password"."""
    if not passphrase:
        return 0, ""
    from zxcvbn import zxcvbn  # imported on first use: keeps start-up fast

    score = int(zxcvbn(passphrase[:MAX_CHECKED_LENGTH], user_inputs=hints or [])["score"])
    if score <= 1:
        return score, tr("This would be quite easy to guess. A few unrelated words together "
                         "are easy to remember and much harder to guess.")
    if score == 2:
        return score, tr("This is fair. One or two more words would make it much stronger.")
    if score == 3:
        return score, tr("This is a good passphrase.")
    return score, tr("This is a strong passphrase.")


class PassphraseField(QWidget):
    """A password line edit with a "Show" toggle (a person typing in a hurry needs to check)."""

    def __init__(self, accessible_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QLineEdit(self)
        self.edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.edit.setAccessibleName(accessible_name)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit)

    def text(self) -> str:
        return self.edit.text()

    def set_visible_text(self, visible: bool) -> None:
        self.edit.setEchoMode(QLineEdit.EchoMode.Normal if visible
                              else QLineEdit.EchoMode.Password)


class NewCaseDialog(CalmDialog):
    about_to_open = Signal()
    created = Signal()
    open_instead = Signal(str)  # a case file already there, chosen to open instead

    def __init__(self, controller: CaseController, parent: QWidget | None = None,
                 folder: Path | None = None,
                 on_quick_exit: Callable[[], None] | None = None, *,
                 found: list[Path] | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        set_title(self, tr("Start a new case"))
        # Not modal: a modal dialog blocked the welcome window's Quick exit button, in sight
        # above this one's; the session has the welcome window hold its other choices instead.

        intro = QLabel(tr("A few details, then a passphrase to lock the case. "
                          "You can change the details later."), self)
        intro.setWordWrap(True)

        self.name_edit = QLineEdit(self)
        self.name_edit.setPlaceholderText(tr("A first name or any alias, for example Alex"))
        self.name_edit.setAccessibleName(tr("Name or alias"))
        self.name_edit.setToolTip(tr("Only shown inside the locked case. An alias is fine."))
        self.under_18_box = QCheckBox(tr("The person this case is about is under 18"), self)
        self.under_18_box.setToolTip(tr("Safekeep then shows the advice and helplines meant "
                                        "for young people."))
        # Said when ticked, in the box's own cell: a young person ticking it may fear what
        # it means for them.
        self.under_18_note = QLabel(tr(
            "You are not in trouble: you have done nothing wrong. Safekeep will show the steps "
            "and helplines for under-18s, starting with telling an adult you trust."), self)
        self.under_18_note.setWordWrap(True)
        self.under_18_note.hide()
        self.under_18_box.toggled.connect(self._under_18_toggled)
        under_18_cell = QWidget(self)
        under_18_layout = QVBoxLayout(under_18_cell)
        under_18_layout.setContentsMargins(0, 0, 0, 0)
        under_18_layout.setSpacing(4)
        under_18_layout.addWidget(self.under_18_box)
        under_18_layout.addWidget(self.under_18_note)

        self.path_edit = QLineEdit(str(suggest_case_path(folder)), self)
        self.path_edit.setAccessibleName(tr("Where to keep the case file"))
        self.choose_button = QPushButton(tr("Choose…"), self)
        self.choose_button.setAccessibleName(tr("Choose where to keep the case file"))
        self.choose_button.clicked.connect(self._choose_path)
        where = QHBoxLayout()
        where.addWidget(self.path_edit, 1)
        where.addWidget(self.choose_button)
        # Said under the row while the folder is one a sync program copies online; a row of
        # its own across the form (in the field's cell, its wrapped lines were clipped).
        self.synced_note = SyncedNote(case_file_sentence, self)
        suggested_folder, moved_from = cases_folder(self.synced_note.places)
        self._moved = (suggested_folder, moved_from) if moved_from is not None \
            and (folder is None or folder == suggested_folder) else None
        self.open_instead_button = self._offer_to_open(found or [])

        self.pass1 = PassphraseField(tr("Passphrase"), self)
        self.pass2 = PassphraseField(tr("Passphrase again"), self)
        self.show_box = QCheckBox(tr("Show the passphrase"), self)
        self.show_box.toggled.connect(self._show_passphrase)
        self.strength_label = QLabel(self)
        self.strength_label.setWordWrap(True)
        self.match_label = QLabel(self)
        self.match_label.setWordWrap(True)
        forget = QLabel(tr("Nobody can recover a forgotten passphrase. Choose one you will "
                           "remember, and keep it to yourself."), self)
        forget.setWordWrap(True)

        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow(tr("Name or alias"), self.name_edit)
        form.addRow("", under_18_cell)
        form.addRow(tr("Keep the file in"), where)
        form.addRow(self.synced_note)
        form.addRow(tr("Passphrase"), self.pass1)
        form.addRow(tr("Passphrase again"), self.pass2)
        form.addRow("", self.show_box)

        self.message_bar = MessageBar(self)
        self.busy_label = QLabel(tr("Creating the case file. This takes a few seconds…"), self)
        self.busy_bar = QProgressBar(self)
        self.busy_bar.setRange(0, 0)  # "busy", no percentage: key derivation has no steps
        self.busy_bar.setAccessibleName(tr("Creating the case file"))
        self.busy_label.hide()
        self.busy_bar.hide()

        self.create_button = QPushButton(tr("Create the case"), self)
        self.create_button.clicked.connect(self.create_case)
        self.set_primary(self.create_button)
        self.cancel_button = QPushButton(tr("Cancel"), self)
        self.cancel_button.clicked.connect(self.reject)
        keep_from_enter(self.cancel_button)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.create_button)
        QWidget.setTabOrder(self.cancel_button, self.create_button)  # as they are drawn
        if self.open_instead_button is not None:
            # Last in the Tab order, out of the way of typing: a space typed onto it (a
            # passphrase of words, one Tab too many) would have opened the other case.
            QWidget.setTabOrder(self.create_button, self.open_instead_button)

        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        if on_quick_exit is not None:
            # It covers much of the welcome window, maybe its button too: so it has its own.
            top = QHBoxLayout()
            top.addWidget(intro, 1)
            top.addWidget(make_quick_exit_button(self, on_quick_exit), 0,
                          Qt.AlignmentFlag.AlignTop)
            layout.addLayout(top)
        else:
            layout.addWidget(intro)
        if self.open_instead_button is not None:
            layout.addWidget(self._already_there)  # read before anything is typed
        layout.addLayout(form)
        # Under the form, full width: wrapped hints in a form row were given too little height
        # and showed clipped at the top and bottom.
        layout.addWidget(self.strength_label)
        layout.addWidget(self.match_label)
        layout.addWidget(forget)
        layout.addWidget(self.message_bar)
        layout.addWidget(self.busy_label)
        layout.addWidget(self.busy_bar)
        layout.addLayout(buttons)

        for widget in (self.name_edit, self.path_edit, self.pass1.edit, self.pass2.edit):
            widget.textChanged.connect(self._update)
        self.path_edit.textChanged.connect(self._look_at_place)  # not on each passphrase key
        self._look_at_place()
        self._update()
        fit_to_screen(self, 560)

    def _offer_to_open(self, found: list[Path]) -> QPushButton | None:
        """Someone coming back to their case, who pressed Enter on the welcome window, would
        start a second case beside the first: the case file already there is offered."""
        if not found:
            return None
        newest = found[0]
        self._already_there = QWidget(self)
        note = QLabel(tr("A case file is already in this folder: {name}. Coming back to that "
                         "case? Open it instead of starting a new one.").format(
                             name=newest.name), self._already_there)
        note.setWordWrap(True)
        button = QPushButton(tr("Open {name}").format(name=newest.name), self._already_there)
        button.setToolTip(str(newest))
        button.clicked.connect(lambda: self._open_instead(newest))
        column = QVBoxLayout(self._already_there)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(note)
        column.addWidget(button, 0, Qt.AlignmentFlag.AlignLeft)
        return button

    def _open_instead(self, path: Path) -> None:
        """The person came back to a case already there: this closes, and that one opens."""
        self.reject()
        self.open_instead.emit(str(path))

    # -- input --------------------------------------------------------------------------------

    def _under_18_toggled(self, ticked: bool) -> None:
        self.under_18_note.setVisible(ticked)
        if ticked:
            self.grow_to_fit()  # its words whole, the buttons still in sight

    def _show_passphrase(self, visible: bool) -> None:
        self.pass1.set_visible_text(visible)
        self.pass2.set_visible_text(visible)

    def _choose_path(self) -> None:
        current = Path(self.path_edit.text() or str(suggest_case_path()))
        choose_new_case_path(self, current, self.path_edit.setText)

    def _update(self) -> None:
        first, second = self.pass1.text(), self.pass2.text()
        _, hint = strength_hint(first, [self.name_edit.text()])
        self.strength_label.setText(hint)
        if second and first != second:
            self.match_label.setText(tr("The two passphrases are not the same yet."))
        elif second:
            self.match_label.setText(tr("The two passphrases match."))
        else:
            self.match_label.setText("")
        for label in (self.strength_label, self.match_label):
            label.setVisible(bool(label.text()))
        self.create_button.setEnabled(self.ready())
        self.grow_to_fit()

    def _look_at_place(self) -> None:
        """Say whether the folder chosen is copied online; or, while the suggestion stands,
        why it is the home folder and not Documents."""
        target = self.target_path()
        moved = ""
        if self._moved is not None and target.parent == self._moved[0]:
            moved = tr("Suggested in your home folder, not in Documents: {service} copies "
                       "Documents online, and your home folder stays on this computer."
                       ).format(service=self._moved[1].service)
        if self.synced_note.look_at(target, moved):
            self.grow_to_fit()

    def ready(self) -> bool:
        return bool(self.name_edit.text().strip() and self.path_edit.text().strip()
                    and self.pass1.text() and self.pass1.text() == self.pass2.text())

    def target_path(self) -> Path:
        """The case file: as typed (".skcase" added when it has no ending), or, when what is
        typed is a folder (the row asks where to keep the file), a new neutral name in it."""
        typed = self.path_edit.text().strip()
        path = Path(typed).expanduser()
        if is_folder(path) or typed.endswith(("/", os.sep)):
            return suggest_case_path(path)
        return path if path.suffix else path.with_suffix(".skcase")

    # -- creating ------------------------------------------------------------------------------

    def create_case(self) -> None:
        if not self.ready():
            return
        self.message_bar.dismiss()
        self._set_busy(True)
        self.about_to_open.emit()  # the window that will show the case gets ready first
        self.controller.create_case(
            self.target_path(), self.pass1.text(), self.name_edit.text().strip(),
            self.under_18_box.isChecked(), on_done=self._created, on_error=self._failed,
        )

    def _set_busy(self, busy: bool) -> None:
        self.busy_label.setVisible(busy)
        self.busy_bar.setVisible(busy)
        if busy:
            # Focus waits on the busy bar: disabling the focused field would hand it to a button.
            self.busy_bar.setFocus()
        for widget in (self.name_edit, self.under_18_box, self.path_edit, self.choose_button,
                       self.pass1, self.pass2, self.show_box, self.create_button,
                       self.cancel_button):
            widget.setEnabled(not busy)
        if not busy:
            self.create_button.setEnabled(self.ready())

    def _created(self) -> None:
        self._set_busy(False)
        self._forget_passphrase()
        self.created.emit()
        self.accept()

    def _failed(self, message: str) -> None:
        self._set_busy(False)
        self.message_bar.show_error(message)
        # What stops a case being made is its place (a folder gone, a name taken, a full or
        # read-only disk). The cursor had waited on the busy bar, now hidden: keys went nowhere.
        self.path_edit.setFocus()

    def _forget_passphrase(self) -> None:
        self.pass1.edit.clear()
        self.pass2.edit.clear()

    def reject(self) -> None:
        # Escape or the window's X while the case is made would hide the dialog, and the case
        # would open a moment later anyway: like Cancel, they wait until it is done.
        if self.busy_label.isVisibleTo(self):
            return
        self._forget_passphrase()
        super().reject()

    def enter_pressed(self) -> None:
        # Enter in a field of an unfinished form moves on to the next field, as a person
        # filling it in expects; it never creates a case from half a form.
        if self.ready():
            super().enter_pressed()
            return
        # To the next field to type in, past "Choose…" and the check boxes: Enter there would
        # open the file picker, or tick a box, in the middle of typing.
        fields = [self.name_edit, self.path_edit, self.pass1.edit, self.pass2.edit]
        current = self.focusWidget()
        if current in fields:
            after = fields[fields.index(current) + 1:] + fields[:fields.index(current)]
            # The next empty one; with none, the second passphrase (they differ: it says so).
            target = next((f for f in after if not f.text().strip()), self.pass2.edit)
            target.setFocus(Qt.FocusReason.TabFocusReason)
        else:
            self.focusNextChild()
