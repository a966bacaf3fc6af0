"""Small parts the record tabs (details, payments, timeline) and their neighbours share: a
label for words from the case, a row of buttons, and what stops a save from a form."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget


def wrapping_label(text: str = "") -> QLabel:
    """Words that wrap to the width, shown as they are (never read as markup: a detail
    typed from a hostile message may hold anything)."""
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


def button_row(*buttons: QWidget) -> QHBoxLayout:
    """Buttons side by side from the left, the rest of the row empty."""
    row = QHBoxLayout()
    for button in buttons:
        row.addWidget(button)
    row.addStretch()
    return row


class FormProblem(Exception):
    """What stops a save from the form, in words for the message line, and where to mend it."""

    def __init__(self, field: QWidget, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message
