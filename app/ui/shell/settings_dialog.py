"""Settings: auto-lock time, text size, a neutral title, recent cases, and the passphrase.

Changes apply at once (no "Apply" to forget). The theme is not a setting: Safekeep follows the
system's light or dark palette.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.i18n import tr, tr_n
from app.ui.kit.calm_dialog import CalmDialog, keep_from_enter
from app.ui.kit.controller import CaseController, DataArea
from app.ui.kit.form_keys import select_all_when_given_focus
from app.ui.kit.message_bar import MessageBar
from app.ui.kit.screen_fit import fit_height, fit_to_screen
from app.ui.kit.titles import set_title
from app.ui.shell.case_check import CaseCheckBox
from app.ui.shell.case_copy_box import CaseCopyBox
from app.ui.shell.new_case_dialog import strength_hint
from app.ui.shell.settings import TEXT_SCALES, AppSettings


class SettingsDialog(CalmDialog):
    changed = Signal()
    # The passphrase did change, but the case could not be opened again afterwards and was
    # closed: the session locks the window and shows this sentence where the passphrase is asked.
    case_closed = Signal(str)

    def __init__(self, settings: AppSettings, controller: CaseController,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.controller = controller
        set_title(self, tr("Settings"))
        self.setObjectName("SettingsDialog")

        self.auto_lock = QSpinBox(self)
        self.auto_lock.setRange(0, 240)
        self.auto_lock.setSpecialValueText(tr("Never"))
        self.auto_lock.setValue(settings.auto_lock_minutes)
        self._say_minutes(self.auto_lock.value())  # "1 minute", not "1 minutes"
        self.auto_lock.valueChanged.connect(self._say_minutes)
        self.auto_lock.setAccessibleName(tr("Lock after this many minutes without use"))
        self.auto_lock.valueChanged.connect(self._save_auto_lock)
        select_all_when_given_focus(self.auto_lock)  # it has the keyboard as Settings opens

        self.text_size = QComboBox(self)
        for label in (tr("Normal"), tr("Large"), tr("Larger"), tr("Largest")):
            self.text_size.addItem(label)
        assert self.text_size.count() == len(TEXT_SCALES)
        self.text_size.setCurrentIndex(settings.text_scale_index)
        self.text_size.setAccessibleName(tr("Text size"))
        self.text_size.currentIndexChanged.connect(self._save_text_size)

        self.neutral = QCheckBox(tr("Call the window \u201cNotes\u201d, with a plain icon"), self)
        self.neutral.setChecked(settings.neutral_title)
        self.neutral.setToolTip(tr("The window title and icon show in the taskbar. "
                                   "A neutral name draws less attention."))
        self.neutral.toggled.connect(self._save_neutral)

        self.recent = QCheckBox(tr("Remember the case files I open"), self)
        self.recent.setChecked(settings.remember_recent)
        self.recent.setToolTip(tr("Off by default: a list of case files shows that Safekeep "
                                  "is used on this computer."))
        self.recent.toggled.connect(self._save_recent)
        self.forget = QPushButton(tr("Forget the list"), self)
        self.forget.clicked.connect(self._forget_recent)
        keep_from_enter(self.forget)  # it cannot be undone
        self.forget.setEnabled(settings.remember_recent)
        self.recent.toggled.connect(self.forget.setEnabled)
        recent_row = QHBoxLayout()
        recent_row.addWidget(self.recent, 1)
        recent_row.addWidget(self.forget)

        lock_help = QLabel(tr("Safekeep locks the case when nobody has used it for this "
                              "long. It also locks when the computer locks or sleeps."), self)
        lock_help.setWordWrap(True)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        form.addRow(tr("Lock after"), self.auto_lock)
        form.addRow(lock_help)  # spans the form: a narrow column of words is hard to read
        form.addRow(tr("Text size"), self.text_size)
        form.addRow("", self.neutral)
        form.addRow("", recent_row)

        where = (tr("Portable mode: settings are kept beside Safekeep, and nothing is kept "
                    "in your user profile.") if settings.portable
                 else tr("Settings are kept in your user profile. They hold nothing from "
                         "inside a case; with the box above ticked, they hold the names and "
                         "places of the case files you open."))
        where_label = QLabel(where, self)
        where_label.setWordWrap(True)

        self._changing = False  # the passphrase is being changed (a few seconds)
        self.message_bar = MessageBar(self)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(where_label)
        layout.addWidget(self._passphrase_box())
        self.check_box = CaseCheckBox(controller, self)
        layout.addWidget(self.check_box)
        self.copy_box = CaseCopyBox(controller, self)
        layout.addWidget(self.copy_box)
        layout.addStretch(1)  # room a taller window gains goes below, not between the rows
        layout.addWidget(self.message_bar)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        fit_to_screen(self, 540)

    def _passphrase_box(self) -> QGroupBox:
        box = QGroupBox(tr("Change the passphrase of this case"), self)
        # The current passphrase first: anyone at an unattended, unlocked computer could
        # otherwise lock the owner out of their own evidence.
        self.current_pass = QLineEdit(box)
        self.new_pass1 = QLineEdit(box)
        self.new_pass2 = QLineEdit(box)
        for edit, name in ((self.current_pass, tr("Current passphrase")),
                           (self.new_pass1, tr("New passphrase")),
                           (self.new_pass2, tr("New passphrase again"))):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            edit.setAccessibleName(name)
            edit.textChanged.connect(self._update_passphrase)
            edit.returnPressed.connect(self._enter_in_passphrase)
        self.pass_hint = QLabel(box)
        self.pass_hint.setWordWrap(True)
        self.change_button = QPushButton(tr("Change the passphrase"), box)
        self.change_button.clicked.connect(self.change_passphrase)
        form = QFormLayout(box)
        form.addRow(tr("Current passphrase"), self.current_pass)
        form.addRow(tr("New passphrase"), self.new_pass1)
        form.addRow(tr("Again"), self.new_pass2)
        form.addRow("", self.pass_hint)
        form.addRow("", self.change_button)
        self.pass_hint.setVisible(False)
        box.setEnabled(self.controller.is_open())
        self._update_passphrase()
        return box

    # -- saving --------------------------------------------------------------------------------

    def _say_minutes(self, minutes: int) -> None:
        suffix = tr_n(" minute", " minutes", minutes)
        if self.auto_lock.suffix() != suffix:
            self.auto_lock.setSuffix(suffix)

    def _save_auto_lock(self, minutes: int) -> None:
        self.settings.auto_lock_minutes = minutes
        self.changed.emit()

    def _save_text_size(self, index: int) -> None:
        self.settings.text_scale_index = index
        self.changed.emit()
        # The larger text needs more lines: at the height it had, the rows overlapped and
        # cut the explanations in half. Once the new font has been laid out, the window
        # takes the height its words need (within the screen; beyond it, it scrolls).
        QTimer.singleShot(0, self, lambda: fit_height(self))

    def _save_neutral(self, on: bool) -> None:
        self.settings.neutral_title = on
        self.changed.emit()

    def _forget_recent(self) -> None:
        # Said: a click that changes nothing on screen had looked like a click that did
        # nothing, on the one button a caseworker presses before handing a computer over.
        self.settings.clear_recent()
        self.message_bar.show_info(tr("The list of case files is forgotten."))

    def _save_recent(self, on: bool) -> None:
        self.settings.remember_recent = on
        self.changed.emit()

    def _update_passphrase(self) -> None:
        first, second = self.new_pass1.text(), self.new_pass2.text()
        _, hint = strength_hint(first)
        if second and first != second:
            hint = tr("The two passphrases are not the same yet.")
        self.pass_hint.setText(hint)
        self.pass_hint.setVisible(bool(hint))
        self.change_button.setEnabled(self._passphrase_ready())

    def _passphrase_ready(self) -> bool:
        first = self.new_pass1.text()
        return bool(self.current_pass.text() and first and first == self.new_pass2.text())

    def _enter_in_passphrase(self) -> None:
        """Enter in a passphrase field changes it once all three are filled in; before that it
        moves on to the next field. While it changes, Enter waits too."""
        if self._changing:
            return
        if self._passphrase_ready() and self.change_button.isEnabled():
            self.change_passphrase()
        else:
            self.focusNextChild()

    def change_passphrase(self) -> None:
        new, current = self.new_pass1.text(), self.current_pass.text()
        if not self._passphrase_ready() or not self.controller.is_open():
            return
        case = self.controller.require_case()
        profile = self.controller.kdf_profile
        # The fields wait too: a key typed meanwhile switched the button on again, and a
        # second change then ran after the first with a current passphrase no longer current.
        self._set_changing(True)
        self.pass_hint.setText(tr("Changing the passphrase. This takes a few seconds…"))
        self.pass_hint.setVisible(True)

        def work(_ctx: object) -> None:
            if profile is None:
                case.change_passphrase(new, current_passphrase=current)
            else:
                case.change_passphrase(new, kdf_profile=profile, current_passphrase=current)

        def done(_result: None) -> None:
            self._set_changing(False)
            self._forget_passphrases()
            self.message_bar.show_info(tr("The passphrase is changed. Use the new one from "
                                          "now on."), stay=True)

        self.controller.run(work, changes=DataArea.CASE, on_result=done,
                            on_error=self._passphrase_failed)

    def _set_changing(self, changing: bool) -> None:
        # Read-only, not greyed: a greyed field with the focus sends it on to the next button,
        # "Check the case file", and the Enter pressed again while waiting started a check.
        self._changing = changing
        if changing and self.change_button.hasFocus():
            self.new_pass2.setFocus(Qt.FocusReason.OtherFocusReason)
        for edit in (self.current_pass, self.new_pass1, self.new_pass2):
            edit.setReadOnly(changing)
        self.change_button.setEnabled(not changing and self._passphrase_ready())

    def _passphrase_failed(self, message: str) -> None:
        self._set_changing(False)
        if not self.controller.is_open():
            # Changed, then closed (the message says so): nothing here is current any more.
            self._forget_passphrases()
            self.case_closed.emit(message)
            return
        self._update_passphrase()
        self.message_bar.show_error(message)
        self.current_pass.selectAll()
        self.current_pass.setFocus()

    def _forget_passphrases(self) -> None:
        for edit in (self.current_pass, self.new_pass1, self.new_pass2):
            edit.clear()

    def reject(self) -> None:
        self._forget_passphrases()
        self.check_box.stop()
        if self.copy_box.is_running():
            self.copy_box.stop()
        super().reject()
