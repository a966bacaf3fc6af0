"""The row under the Evidence grid while files are added: what is happening, how far, and Stop.

A widget of its own so the Evidence screen keeps to laying out and routing; the row only shows
what it is told and says when the person asks to stop.
"""

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from app.i18n import tr
from app.ui.kit.calm_dialog import keep_from_enter


class ImportProgressRow(QWidget):
    stop_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel()
        self.bar = QProgressBar()
        self.bar.setAccessibleName(tr("Adding evidence"))
        self.stop_button = QPushButton(tr("Stop"))
        self.stop_button.setAccessibleName(tr("Stop adding evidence"))
        self.stop_button.clicked.connect(self._stop)
        keep_from_enter(self.stop_button)  # stops: Space or a click, as Cancel in a dialog
        row.addWidget(self.label)
        row.addWidget(self.bar, 1)
        row.addWidget(self.stop_button)
        self._stopping = False
        self.hide()

    def begin(self, label: str) -> None:
        """Show the row, moving but not counting until the first file is counted."""
        self._stopping = False
        self.label.setText(label)
        self.bar.setRange(0, 0)
        self.stop_button.setEnabled(True)
        self.show()

    def counted(self, done: int, total: int) -> None:
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(done)
        if not self._stopping:  # "Stopping after this file…" stays until it has
            self.label.setText(tr("Adding {done} of {total}…").format(
                done=min(done + 1, total), total=total))

    def finish(self) -> None:
        self.hide()
        self.stop_button.setEnabled(False)

    def _stop(self) -> None:
        self._stopping = True
        self.stop_button.setEnabled(False)
        self.label.setText(tr("Stopping after this file…"))
        self.stop_requested.emit()
