""""Prepare bundle for police": where to save, two questions, progress with Cancel, done.

The dialog never blocks: it is opened with `open()` (or `show()`), and its work runs in the
worker. Nothing is sent anywhere; "Show in folder" only asks the desktop to open a local
folder. The bundle passphrase lives in the two fields only, and they are emptied when the
work starts and when the dialog closes.
"""

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from app.core.records import CaseSummary, case_summary
from app.export.bundle import ExportResult
from app.i18n import tr
from app.synced_folders import bundle_sentence
from app.ui.kit.calm_dialog import CalmDialog, keep_from_enter
from app.ui.kit.controller import CaseController, DataArea
from app.ui.kit.file_dialogs import choose_save_path
from app.ui.kit.into_view import bring_into_view
from app.ui.kit.outside import open_outside
from app.ui.kit.screen_fit import fit_height, fit_to_screen
from app.ui.kit.synced_note import SyncedNote
from app.ui.kit.titles import set_title
from app.ui.kit.worker import TaskHandle
from app.ui.shell.export_hashes import BundleHashes
from app.ui.shell.export_notes import (
    UncheckedNote,
    check_first_button,
    portal_note,
    sensitive_box_words,
    sensitive_items_words,
)
from app.ui.shell.export_passphrase import BundlePassphraseRow
from app.ui.shell.export_paths import (
    EXISTS,
    bundle_folder,
    remember_bundle_folder,
    run_export,
    suggest_bundle_path,
    typed_bundle_path,
)
from app.ui.shell.export_result import already_there_words, folder_not_opened_words, result_text


class ExportDialog(CalmDialog):
    check_first_requested = Signal()  # "Check them first": the Found in evidence tab

    def __init__(self, controller: CaseController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._controller = controller
        self._handle: TaskHandle | None = None
        self._result: ExportResult | None = None
        self._zip_locked = False  # that result's ZIP was protected with a passphrase
        self._overwrite = False
        self._under_18 = False
        self._has_sensitive = True  # until the summary says otherwise
        self._close_when_stopped = False
        #: How "Show in folder" opens a folder; tests replace it.
        self.open_url: Callable[[QUrl], object] = open_outside
        set_title(self, tr("Prepare bundle for police"))
        layout = QVBoxLayout(self)
        intro = QLabel(tr("This makes one ZIP file with a report officers can read in a few "
                          "minutes, lists they can open in a spreadsheet, and your evidence, "
                          "each with a fingerprint they can check. Nothing is sent anywhere: "
                          "you choose where to save it and you hand it over yourself."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.unchecked_note = UncheckedNote(self)
        layout.addWidget(self.unchecked_note)
        self.check_first_button = check_first_button(self.unchecked_note, self)
        self.check_first_button.clicked.connect(self._check_first)
        layout.addWidget(self.check_first_button, 0, Qt.AlignmentFlag.AlignLeft)

        form = QFormLayout()
        where = QHBoxLayout()
        summary = self._summary = controller.last_summary
        self.path_edit = QLineEdit(str(self._suggested_path(summary)))
        self._path_suggested = True  # until the person types or chooses their own
        self.path_edit.setAccessibleName(tr("Where to save the bundle"))
        self.path_edit.textChanged.connect(self._path_changed)
        self.choose_button = QPushButton(tr("Choose…"))
        self.choose_button.setAccessibleName(tr("Choose where to save the bundle"))
        self.choose_button.clicked.connect(self._choose)
        where.addWidget(self.path_edit, 1)
        where.addWidget(self.choose_button)
        form.addRow(tr("Save as"), where)
        layout.addLayout(form)
        self.synced_note = SyncedNote(bundle_sentence, self)  # a folder copied online
        layout.addWidget(self.synced_note)
        self._look_at_place()

        self.sensitive_box = QCheckBox(tr("Include sensitive items?"))
        self.sensitive_box.toggled.connect(self._sensitive_toggled)
        layout.addWidget(self.sensitive_box)
        self.sensitive_note = QLabel()
        self.sensitive_note.setWordWrap(True)
        self.sensitive_note.hide()
        layout.addWidget(self.sensitive_note)

        self.protect_box = QCheckBox(tr("Protect the ZIP with a passphrase?"))
        self.protect_box.toggled.connect(self._protect_toggled)
        layout.addWidget(self.protect_box)
        self.passphrase_row = BundlePassphraseRow()
        self.passphrase, self.passphrase_again = self.passphrase_row.fields
        self.passphrase_row.hide()
        layout.addWidget(self.passphrase_row)

        self.portal_box = QCheckBox(tr("Make a portal pack (for police upload portals)?"))
        self.portal_box.toggled.connect(self._portal_toggled)
        layout.addWidget(self.portal_box)
        self.portal_note = portal_note(self)
        layout.addWidget(self.portal_note)

        self.progress = QProgressBar()
        self.progress.setAccessibleName(tr("Preparing the bundle"))
        self.progress.hide()
        layout.addWidget(self.progress)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.status)
        self.hashes = BundleHashes()  # hidden until a bundle is ready
        layout.addWidget(self.hashes)

        buttons = QHBoxLayout()
        self.show_folder_button = QPushButton(tr("Show in folder"))
        self.show_folder_button.clicked.connect(self.show_in_folder)
        self.show_folder_button.hide()
        self.replace_button = QPushButton(tr("Replace it"))
        self.replace_button.clicked.connect(self._replace)
        self.replace_button.hide()
        buttons.addWidget(self.show_folder_button)
        buttons.addWidget(self.replace_button)
        buttons.addStretch()
        self.start_button = QPushButton(tr("Prepare bundle"))
        self.start_button.clicked.connect(self.start)
        self.set_primary(self.start_button)
        self.cancel_button = QPushButton(tr("Cancel"))
        self.cancel_button.clicked.connect(self._cancel_or_close)
        keep_from_enter(self.cancel_button)
        buttons.addWidget(self.start_button)
        buttons.addWidget(self.cancel_button)
        layout.addLayout(buttons)

        controller.case_locked.connect(self._locked)
        fit_to_screen(self, 520)
        self._load_summary()
        self.unchecked_note.shown.connect(self._fit)
        self.unchecked_note.load(controller)

    # ----- setup --------------------------------------------------------------------------

    def _load_summary(self) -> None:
        case = self._controller.case
        if case is not None:
            self._controller.run(lambda ctx: case_summary(case), on_result=self._summary_loaded,
                                 on_error=lambda _m: None)

    def _summary_loaded(self, summary: CaseSummary) -> None:
        if not isValid(self):  # closed (and deleted) before the answer came
            return
        self._summary = summary
        self._under_18 = summary.under_18
        if self._path_suggested:  # the name may have changed since the case was unlocked
            self.path_edit.setText(str(self._suggested_path(summary)))
            self._path_suggested = True
        count = summary.sensitive_items
        self._has_sensitive = count > 0 or self.sensitive_box.isChecked()
        self.sensitive_box.setEnabled(self._has_sensitive)
        self.sensitive_box.setText(sensitive_box_words(count))

    def _case_path(self) -> Path | None:
        case = self._controller.case
        return case.path if case is not None else None

    def _suggested_path(self, summary: CaseSummary | None) -> Path:
        if summary is None:
            return suggest_bundle_path(self._case_path(), "")
        return suggest_bundle_path(self._case_path(), summary.display_name,
                                   crime_reference=summary.crime_reference)

    def _choose(self) -> None:
        choose_save_path(self, tr("Where to save the bundle"), Path(self.path_edit.text()),
                         tr("ZIP files (*.zip)"), "zip", self._chosen)

    def _chosen(self, path: str) -> None:
        self.path_edit.setText(path)
        self._overwrite = True  # the file dialog already asked about replacing a file
        case_path = self._case_path()
        if case_path is not None:
            remember_bundle_folder(case_path, Path(path))

    def _path_changed(self) -> None:
        self._overwrite = False
        self._path_suggested = False
        self.replace_button.hide()
        if self._look_at_place():
            self._fit()

    def _look_at_place(self) -> bool:
        """Say whether the place typed is in a folder a sync program copies (on each key:
        the sync programs' settings were read when the dialog opened)."""
        place = Path(self.path_edit.text().strip()).expanduser()
        if not place.is_absolute():  # a name alone goes where typed_bundle_path puts it
            place = bundle_folder(self._case_path(), self.synced_note.places) / place
        return self.synced_note.look_at(place)

    def _sensitive_toggled(self, checked: bool) -> None:
        if checked and not self.sensitive_note.text():
            # Explained once, the first time it is ticked; the words stay while it is ticked.
            self.sensitive_note.setText(sensitive_items_words(self._under_18))
        self.sensitive_note.setVisible(checked)
        self._fit()

    def _check_first(self) -> None:
        self.check_first_requested.emit()
        self.done(QDialog.DialogCode.Rejected)

    def _fit(self) -> None:
        # Grow (or shrink) with the explanations shown, so they are never squeezed together,
        # and never past the bottom of the screen.
        fit_height(self)

    def _portal_toggled(self, checked: bool) -> None:
        self.portal_note.setVisible(checked)
        self._fit()

    def _protect_toggled(self, checked: bool) -> None:
        self.passphrase_row.setVisible(checked)
        self._fit()
        if checked:
            self.passphrase.setFocus()
        else:
            self._forget_passphrase()

    # ----- running ------------------------------------------------------------------------

    def is_running(self) -> bool:
        return self._handle is not None

    def result_info(self) -> ExportResult | None:
        return self._result

    def start(self) -> TaskHandle | None:
        case = self._controller.case
        typed = self.path_edit.text().strip()
        if case is None or self._handle is not None:
            return None
        if not typed:
            self.status.setText(tr("Choose where to save the bundle first."))
            return None
        summary = self._summary
        path = str(typed_bundle_path(typed, case.path, summary.display_name if summary else "",
                                     summary.crime_reference if summary else None))
        if path != typed:  # shown in full: where it goes is where the person will look
            self.path_edit.blockSignals(True)
            self.path_edit.setText(path)
            self.path_edit.blockSignals(False)
        passphrase, problem = self.passphrase_row.typed() if self.protect_box.isChecked() \
            else (None, None)
        if problem is not None:
            self.status.setText(problem)
            return None
        include, overwrite = self.sensitive_box.isChecked(), self._overwrite
        portal = self.portal_box.isChecked()
        self._set_running(True)
        # The dialog cannot close while this runs (done() waits for it), so the callbacks
        # always find it alive.
        self._handle = self._controller.run(
            lambda ctx: run_export(ctx, case, path, include, passphrase, overwrite, portal),
            on_result=self._done, on_error=self._failed, on_progress=self._progressed)
        return self._handle

    def _set_running(self, running: bool) -> None:
        self.progress.setVisible(running)
        self.progress.setRange(0, 0)
        if running:
            # Not on Cancel, where Qt sends it from the greyed button: a second Space (a key
            # pressed twice) stopped the bundle just begun. Cancel takes a click or Tab. Put
            # there before the rest is switched off: a switched-off field with the keyboard
            # hands it on down the window, and where the window scrolls, scrolls with it.
            self.progress.setFocus(Qt.FocusReason.OtherFocusReason)
            bring_into_view(self.progress)
        for widget in (self.path_edit, self.choose_button, self.sensitive_box, self.protect_box,
                       self.passphrase_row, self.portal_box, self.start_button,
                       self.check_first_button):
            widget.setEnabled(not running)
        self.sensitive_box.setEnabled(not running and self._has_sensitive)
        self.cancel_button.setEnabled(True)
        self.cancel_button.setText(tr("Cancel") if running else tr("Close"))
        self.replace_button.hide()
        if running:
            self.show_folder_button.hide()
            self.hashes.hide()
            self.status.setText(tr("Preparing the bundle…"))

    def _progressed(self, done: int, total: int, label: str) -> None:
        # Bytes can exceed a 32-bit progress bar: show per mille.
        self.progress.setRange(0, 1000)
        self.progress.setValue(int(done * 1000 / total) if total else 0)
        if label:
            self.status.setText(tr("Preparing the bundle: {step}").format(step=label))

    def _done(self, result: ExportResult | str) -> None:
        self._handle = None
        self._set_running(False)
        if self._close_when_stopped:
            self.done(QDialog.DialogCode.Rejected)
        if result == EXISTS:
            self.cancel_button.setText(tr("Cancel"))
            self._back_to_the_name()
            self.status.setText(already_there_words(self.portal_box.isChecked()))
            self.replace_button.setVisible(not self.portal_box.isChecked())
            return
        assert isinstance(result, ExportResult)
        self._result = result
        if result.chat_details_found:  # offered in the evidence's details and the checks
            self._controller.data_changed.emit(DataArea.SUGGESTIONS)
            self._controller.data_changed.emit(DataArea.IDENTIFIERS)
        case_path = self._case_path()
        if case_path is not None:
            remember_bundle_folder(case_path, result.path)
        # The checklist offers to tick "Prepare the bundle" (the export is in the audit log).
        self._controller.data_changed.emit(DataArea.BUNDLE)
        self._zip_locked = self.protect_box.isChecked()
        self._forget_passphrase()
        self.progress.hide()
        text = result_text(result, locked=self._zip_locked)
        self.status.setText(text)
        self.hashes.show_hashes(result.manifest_sha256, result.report_sha256)
        self.show_folder_button.show()
        self._fit()
        self.show_folder_button.setFocus()
        bring_into_view(self.show_folder_button)

    def _failed(self, message: str) -> None:
        handle, self._handle = self._handle, None
        self._set_running(False)
        self.progress.hide()
        self.cancel_button.setText(tr("Cancel"))
        if handle is not None and handle.was_cancelled:
            message = tr("Stopped. No bundle was saved.")
            self.start_button.setFocus()  # Enter tries again
        else:  # a folder that cannot be written to, a full disk: another place is the way on
            self._back_to_the_name()
        self.status.setText(message)
        if self._close_when_stopped:
            self.done(QDialog.DialogCode.Rejected)

    def _back_to_the_name(self) -> None:
        """The cursor back in "Save as": switched off while the bundle was prepared, it had
        sent the focus on to Cancel, where the next name typed went nowhere."""
        self.path_edit.setFocus()

    def _replace(self) -> None:
        self._overwrite = True
        self.start()

    def cancel_export(self) -> None:
        if self._handle is not None:
            self.status.setText(tr("Stopping…"))
            self.cancel_button.setEnabled(False)
            self._handle.cancel()

    def _cancel_or_close(self) -> None:
        if self._handle is not None:
            self.cancel_export()
        else:
            self.reject()

    def show_in_folder(self) -> None:
        if self._result is not None:
            # A local folder URL only: the desktop opens its file manager, nothing online.
            result = self._result  # a portal pack is a folder of its own: open that one
            folder = result.path if result.parts else result.path.parent
            if self.open_url(QUrl.fromLocalFile(str(folder))) is False:
                self.status.setText(folder_not_opened_words(result, locked=self._zip_locked))
                self._fit()

    # ----- closing ------------------------------------------------------------------------

    def _forget_passphrase(self) -> None:
        self.passphrase_row.forget()

    def _locked(self) -> None:
        if self._handle is not None:
            self._handle.cancel()
        self._handle = None
        self._forget_passphrase()
        self.reject()

    def done(self, code: int) -> None:  # every way of closing: Close, Esc, the window's X
        if self._handle is not None:
            self._close_when_stopped = True
            self.cancel_export()
            return  # closes once the worker has stopped and cleaned up
        self._close_when_stopped = False
        self._forget_passphrase()
        super().done(code)
