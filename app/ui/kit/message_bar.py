"""An inline message bar: one calm sentence, in the window, with a way to dismiss it.

Never a modal box and never a warning colour: a frightened person reads a red box as "you did
something wrong". The bar uses the system palette (a tinted base colour and a thin border), so
it follows light and dark themes, and it is announced to screen readers through its accessible
description.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from app.i18n import tr

INFO_SECONDS = 12  # an information note goes away by itself; a problem stays until dismissed


class MessageBar(QFrame):
    dismissed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("MessageBar")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        palette = self.palette()
        # AlternateBase is the system's own "slightly different background": visible, not loud.
        palette.setColor(QPalette.ColorRole.Window, palette.color(QPalette.ColorRole.AlternateBase))
        self.setPalette(palette)
        self.setAccessibleName(tr("Message"))

        self._label = QLabel(self)
        self._label.setWordWrap(True)
        self._label.setTextFormat(Qt.TextFormat.PlainText)  # messages may quote values
        self._label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.dismiss_button = QPushButton(tr("Dismiss"), self)
        self.dismiss_button.setAccessibleName(tr("Dismiss this message"))
        self.dismiss_button.clicked.connect(self.dismiss)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 8, 8, 8)
        layout.addWidget(self._label, 1)
        layout.addWidget(self.dismiss_button, 0, Qt.AlignmentFlag.AlignTop)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.dismiss)
        self.hide()

    def text(self) -> str:
        return self._label.text()

    def show_info(self, text: str, *, stay: bool = False) -> None:
        """A note (e.g. "Last opened ..."). Hides itself after a while unless `stay`."""
        self._show(text)
        if stay:
            self._timer.stop()
        else:
            self._timer.start(INFO_SECONDS * 1000)

    def show_error(self, text: str) -> None:
        """A problem, in one calm sentence. Stays until dismissed or replaced."""
        self._timer.stop()
        self._show(text)

    def _show(self, text: str) -> None:
        self._label.setText(text)
        self.setAccessibleDescription(text)
        self.show()
        # A dialog grows to the height the words need (at the larger text sizes a wrapped
        # sentence lost its last line); a main window has room to spare.
        grow = getattr(self.window(), "grow_to_fit", None)
        if callable(grow):
            grow()

    def dismiss(self) -> None:
        self._timer.stop()
        self._label.clear()
        self.setAccessibleDescription("")
        self.hide()
        self.dismissed.emit()
