""""Keep a spare copy of this case", in Settings: the window's `safekeep copy`. The whole case
is copied into a new file that opens with the same passphrase (app/models/case_copy.py), in
the worker, with progress and a way to stop; the person chooses where, and is told to keep it
apart from this computer."""

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGroupBox, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget
from shiboken6 import isValid

from app.i18n import rounded_size, tr
from app.models.case_copy import CopyResult, copy_name, save_copy
from app.text_safety import visible_line
from app.ui.kit.controller import CaseController
from app.ui.kit.file_dialogs import case_filter, choose_save_path
from app.ui.kit.into_view import bring_into_view
from app.ui.kit.screen_fit import fit_height
from app.ui.kit.worker import TaskContext, TaskHandle


class CaseCopyBox(QGroupBox):
    def __init__(self, controller: CaseController, parent: QWidget | None = None) -> None:
        super().__init__(tr("Keep a spare copy of this case"), parent)
        self._controller = controller
        self._handle: TaskHandle | None = None
        explain = QLabel(tr("Saves the whole case into a second file, locked with the same "
                            "passphrase. Keep it apart from this computer, such as on a USB "
                            "stick you keep safe: if this computer is lost or breaks, the "
                            "evidence is not lost with it."), self)
        explain.setWordWrap(True)
        self.button = QPushButton(tr("Save a copy…"), self)
        self.button.clicked.connect(self.choose_or_stop)
        self.progress = QProgressBar(self)
        self.progress.setAccessibleName(tr("Saving a copy of the case"))
        self.progress.hide()
        self.result = QLabel(self)
        self.result.setWordWrap(True)
        self.result.setTextFormat(Qt.TextFormat.PlainText)  # it names a file: never markup
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.result.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(explain)
        layout.addWidget(self.button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.progress)
        layout.addWidget(self.result)
        self.setEnabled(controller.is_open())

    def is_running(self) -> bool:
        return self._handle is not None

    def choose_or_stop(self) -> None:
        if self._handle is not None:
            self.stop()
            return
        if not self._controller.is_open():
            return
        case = self._controller.require_case()
        suggested = case.path.with_name(copy_name(case, date.today()))
        choose_save_path(self, tr("Where to save the copy"), suggested, case_filter(),
                         "skcase", self.start)

    def start(self, path: str) -> None:
        """Save the copy at `path` (chosen in the file dialog)."""
        if self._handle is not None or not self._controller.is_open():
            return
        case = self._controller.require_case()

        def work(ctx: TaskContext) -> CopyResult:
            return save_copy(case, path, progress=lambda done, total: ctx.progress(done, total),
                             is_cancelled=ctx.cancelled)

        self.result.hide()
        self.progress.setRange(0, 0)
        self.progress.show()
        self.button.setText(tr("Stop saving the copy"))
        self.button.setFocus()  # Space or Enter again stops it; the keyboard stays here
        self._handle = self._controller.run(work, on_result=self._done, on_error=self._failed,
                                            on_progress=self._progressed)

    def stop(self) -> None:
        """Stop a copy being saved (the dialog is closing, or the person asked)."""
        handle, self._handle = self._handle, None
        if handle is not None:
            handle.cancel()
        if isValid(self):
            self._idle()
            self._show(tr("Stopped. No copy was saved."))

    def _idle(self) -> None:
        self.progress.hide()
        self.button.setText(tr("Save a copy…"))

    def _progressed(self, done: int, total: int, _label: str) -> None:
        if isValid(self) and total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(done)

    def _done(self, result: CopyResult) -> None:
        self._handle = None
        if not isValid(self):
            return
        self._idle()
        self._show(tr("Saved: {name} ({size}), in {folder}. It opens with the same "
                      "passphrase.").format(name=visible_line(result.path.name),
                                            size=rounded_size(result.size),
                                            folder=visible_line(str(result.path.parent))))

    def _failed(self, message: str) -> None:
        was_running, self._handle = self._handle is not None, None
        if not isValid(self) or not was_running:  # stopped on purpose: already said
            return
        self._idle()
        self._show(message)

    def _show(self, text: str) -> None:
        self.result.setText(text)
        self.result.show()
        fit_height(self.window())  # the dialog grows to show it, never past the screen
        bring_into_view(self.result)  # a small screen: the dialog scrolls
