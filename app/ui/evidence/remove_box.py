"""The evidence details' question before an item leaves the case: why, then "Remove it" (Space
or a click only) or "Keep it" (also Escape)."""

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout

from app.i18n import tr
from app.ui.kit.calm_dialog import keep_from_enter


class RemoveBox(QFrame):
    confirmed = Signal(str)  # the reason given
    kept = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        explain = QLabel(tr("The item leaves the case, but the record keeps its fingerprint and "
                            "your reason, so police can see it existed. Why remove it?"))
        explain.setWordWrap(True)
        layout.addWidget(explain)
        self.reason = QLineEdit()
        self.reason.setAccessibleName(tr("Reason for removing"))
        self.reason.setPlaceholderText(tr("For example: added by mistake"))
        layout.addWidget(self.reason)
        buttons = QHBoxLayout()
        self.confirm = QPushButton(tr("Remove it"))
        self.confirm.clicked.connect(lambda: self.confirmed.emit(self.reason.text().strip()))
        keep_from_enter(self.confirm)  # taking evidence out: Space or a click only
        keep = QPushButton(tr("Keep it"))
        keep.clicked.connect(self.kept)
        # Escape answers "Keep it", as Cancel in a dialog. It did nothing, and a second
        # press to be sure was the quick exit (Esc twice) and closed Safekeep.
        escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        escape.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        escape.activated.connect(self.kept)
        buttons.addWidget(self.confirm)
        buttons.addWidget(keep)
        buttons.addStretch()
        layout.addLayout(buttons)
        self.hide()
