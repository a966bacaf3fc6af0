"""A box in Settings that runs one long piece of work on the case file in the worker: a few
words on what it does, one button that starts it and, while it runs, stops it, a progress bar
and the outcome in words. "Check this case file" and "Keep a spare copy of this case"."""

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGroupBox, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget
from shiboken6 import isValid

from app.ui.kit.controller import CaseController
from app.ui.kit.into_view import bring_into_view
from app.ui.kit.screen_fit import fit_height
from app.ui.kit.worker import TaskContext, TaskHandle


class CaseTaskBox(QGroupBox):
    """`start_text` on the button when idle, `stop_text` while the work runs; `said_stopped`
    (or nothing) is shown when the person stops it."""

    def __init__(self, controller: CaseController, title: str, explanation: str, *,
                 start_text: str, stop_text: str, progress_name: str,
                 said_stopped: str = "", parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self._controller = controller
        self._handle: TaskHandle | None = None
        self._start_text, self._stop_text = start_text, stop_text
        self._said_stopped = said_stopped
        explain = QLabel(explanation, self)
        explain.setWordWrap(True)
        self.button = QPushButton(start_text, self)
        self.button.clicked.connect(self.start_or_stop)
        self.progress = QProgressBar(self)
        self.progress.setAccessibleName(progress_name)
        self.progress.hide()
        self.result = QLabel(self)
        self.result.setWordWrap(True)
        self.result.setTextFormat(Qt.TextFormat.PlainText)  # it may name files: never markup
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
        elif self._controller.is_open():
            self.begin()

    def begin(self) -> None:
        """What the button does when nothing runs (the case is open)."""
        raise NotImplementedError

    def run(self, work: Callable[[TaskContext], Any], on_result: Callable[[Any], str]) -> None:
        """Run `work` in the worker; `on_result` turns what it returns into the words shown."""
        self.result.hide()
        self.progress.setRange(0, 0)
        self.progress.show()
        self.button.setText(self._stop_text)

        def done(value: Any) -> None:
            self._handle = None
            if isValid(self):  # else the dialog closed before the answer came
                self._idle()
                self._show(on_result(value))

        self._handle = self._controller.run(work, on_result=done, on_error=self._failed,
                                            on_progress=self._progressed)

    def stop(self) -> None:
        """Stop the work (the dialog is closing, or the person asked)."""
        handle, self._handle = self._handle, None
        if handle is not None:
            handle.cancel()
        if isValid(self):
            self._idle()
            if handle is not None and self._said_stopped:
                self._show(self._said_stopped)

    def _idle(self) -> None:
        self.progress.hide()
        self.button.setText(self._start_text)

    def _progressed(self, done: int, total: int, _label: str) -> None:
        if isValid(self) and total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(done)

    def _failed(self, message: str) -> None:
        was_running, self._handle = self._handle is not None, None
        if not isValid(self) or not was_running:  # stopped on purpose: nothing more to say
            return
        self._idle()
        self._show(message)

    def _show(self, text: str) -> None:
        self.result.setText(text)
        self.result.show()
        fit_height(self.window())  # the dialog grows to show it, never past the screen
        bring_into_view(self.result)  # a small screen: the dialog scrolls
