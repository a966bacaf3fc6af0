""""Check this case file", in Settings: the window's `safekeep check`. Every item is read back
and compared with the fingerprint taken when it arrived, and the audit log's chain with
itself; a damaged item is named, and the check carries on with the others. Nothing is changed.
It runs in the worker, with progress and a way to stop."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGroupBox,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from app.core.records import CheckReport, check_case
from app.i18n import tr, tr_n
from app.text_safety import visible_line
from app.ui.kit.controller import CaseController
from app.ui.kit.into_view import bring_into_view
from app.ui.kit.screen_fit import fit_height
from app.ui.kit.worker import TaskContext, TaskHandle

_SHOWN_PROBLEMS = 5  # the first few, then a count: one damaged page can make many lines


class CaseCheckBox(QGroupBox):
    def __init__(self, controller: CaseController, parent: QWidget | None = None) -> None:
        super().__init__(tr("Check this case file"), parent)
        self._controller = controller
        self._handle: TaskHandle | None = None
        explain = QLabel(tr("Reads every item back and compares it with the fingerprint taken "
                            "when it arrived. Nothing is changed. A large case can take a few "
                            "minutes."), self)
        explain.setWordWrap(True)
        self.button = QPushButton(tr("Check the case file"), self)
        self.button.clicked.connect(self.start_or_stop)
        self.progress = QProgressBar(self)
        self.progress.setAccessibleName(tr("Checking the case file"))
        self.progress.hide()
        self.result = QLabel(self)
        self.result.setWordWrap(True)
        self.result.setTextFormat(Qt.TextFormat.PlainText)  # it names files: never markup
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

    def start_or_stop(self) -> None:
        if self._handle is not None:
            self.stop()
            return
        if not self._controller.is_open():
            return
        case = self._controller.require_case()

        def work(ctx: TaskContext) -> CheckReport:
            return check_case(case, lambda done, total: ctx.progress(done, total),
                              ctx.raise_if_cancelled)

        self.result.hide()
        self.progress.setRange(0, 0)
        self.progress.show()
        self.button.setText(tr("Stop checking"))
        self._handle = self._controller.run(work, on_result=self._done, on_error=self._failed,
                                            on_progress=self._progressed)

    def stop(self) -> None:
        """Stop a running check (the dialog is closing, or the person asked)."""
        handle, self._handle = self._handle, None
        if handle is not None:
            handle.cancel()
        if isValid(self):
            self._idle()

    def _idle(self) -> None:
        self.progress.hide()
        self.button.setText(tr("Check the case file"))

    def _progressed(self, done: int, total: int, _label: str) -> None:
        if isValid(self) and total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(done)

    def _done(self, report: CheckReport) -> None:
        self._handle = None
        if not isValid(self):  # the dialog closed before the answer came
            return
        self._idle()
        self._show(_result_text(report))

    def _failed(self, message: str) -> None:
        was_running, self._handle = self._handle is not None, None
        if not isValid(self) or not was_running:  # stopped on purpose: nothing to say
            return
        self._idle()
        self._show(message)

    def _show(self, text: str) -> None:
        self.result.setText(text)
        self.result.show()
        fit_height(self.window())  # the dialog grows to show it, never past the screen
        bring_into_view(self.result)  # a small screen: the dialog scrolls


def _result_text(report: CheckReport) -> str:
    assert report.audit is not None
    if report.ok:
        return tr_n("Everything matches: %n item was read back and is as it arrived, and the "
                    "audit log is whole.",
                    "Everything matches: %n items were read back and are as they arrived, and "
                    "the audit log is whole.", report.evidence_checked)
    # Each item's and the audit log's problems, in words, first; the file's own findings
    # (page numbers and b-trees, for whoever helps) only as one sentence: `safekeep check`
    # prints them whole.
    named = report.problems[report.file_problems:]
    lines = [tr("The check found problems. Nothing was changed.")]
    lines += ["• " + visible_line(p) for p in named[:_SHOWN_PROBLEMS]]
    if len(named) > _SHOWN_PROBLEMS:
        lines.append(tr_n("… and %n more.", "… and %n more.", len(named) - _SHOWN_PROBLEMS))
    if report.file_problems:
        lines.append("• " + tr("Part of the case file itself is damaged. The command "
                               "“safekeep check” prints the details for whoever helps you."))
    if report.damaged_items:
        lines.append(tr("A damaged item can no longer be read from this case file. If you "
                        "still have the original, add it again. A bundle made now leaves "
                        "damaged items out and says so in its report."))
    lines.append(tr("Keep this case file as it is, and ask your caseworker or the police for "
                    "help if you are unsure."))
    return "\n".join(lines)
