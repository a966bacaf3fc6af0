"""A word-wrapped label that always gets the height its lines need at its present width."""

from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QWidget


class WholeLabel(QLabel):
    """QLabel with word wrap, whose minimum height follows its width.

    A layout asks a wrapped label for its height at the width the layout expects to give it;
    inside a scroll area, that width can be narrower once the scroll bar shows (and with the
    largest text, a wrapped answer then lost its last line: 38 pixels given, 42 needed). Each
    time the label is resized, it asks for what its own width needs, so the layout grows it.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        needed = self.heightForWidth(self.width())
        if needed > 0 and needed != self.minimumHeight():
            self.setMinimumHeight(needed)
