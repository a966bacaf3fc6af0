"""The keyboard in a window made to scroll (screen_fit.scroll_body): Page Up and Page Down
scroll its middle, and a field the keyboard reaches in it comes into sight."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QScrollArea, QWidget


class PagesScroll(QObject):
    """Page Up and Page Down that nothing in the window took (a button has the keyboard)
    scroll its middle. The scroll area takes no Tab stop of its own, and the buttons are
    outside it: at 1280x720 and 150% the welcome window's words on Quick exit, below its
    edge, could not be reached without a mouse."""

    def __init__(self, scroll: QScrollArea) -> None:
        super().__init__(scroll)
        self._scroll = scroll

    def follow_focus(self, _old: QWidget | None, new: QWidget | None) -> None:
        """The keyboard gone into the middle from outside it (Shift+Tab from the buttons
        below): what it is on comes into sight. Qt does so only for Tab from inside; the bundle
        window's "Copy fingerprints" took the keyboard below its edge."""
        body = self._scroll.widget()
        if new is not None and body is not None and body.isAncestorOf(new):
            self._scroll.ensureWidgetVisible(new, 8, 8)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        from PySide6.QtCore import Qt
        from PySide6.QtGui import QKeyEvent
        from PySide6.QtWidgets import QAbstractSlider

        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent) \
                or event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            return False
        key = event.key()
        if key not in (Qt.Key.Key_PageDown, Qt.Key.Key_PageUp):
            return False
        self._scroll.verticalScrollBar().triggerAction(
            QAbstractSlider.SliderAction.SliderPageStepAdd if key == Qt.Key.Key_PageDown
            else QAbstractSlider.SliderAction.SliderPageStepSub)
        return True
