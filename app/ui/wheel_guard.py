"""The mouse wheel scrolls the page; it never changes a value the person has not chosen to edit.

Qt lets the wheel change a combo box, spin box or date box the pointer merely passes over, and
gives it focus as it does. Scrolling the evidence details once changed a picture's platform on
every wheel step, and each change was saved. One application-wide filter stops that:

- these boxes take focus from a click or Tab only, never from the wheel;
- a wheel turn over one that has no keyboard focus goes to the scrolling panel around it,
  which scrolls. Once a person has clicked into a box or tabbed to it, the wheel works as usual.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QAbstractSlider,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QScrollBar,
    QWidget,
)


def edits_on_wheel(widget: QObject) -> bool:
    """Would a wheel turn over this widget change a value?"""
    if isinstance(widget, QComboBox | QAbstractSpinBox):
        return True
    return isinstance(widget, QAbstractSlider) and not isinstance(widget, QScrollBar)


class WheelGuard(QObject):
    """Install once on the application: `app.installEventFilter(WheelGuard(app))`."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.Polish and edits_on_wheel(watched):
            assert isinstance(watched, QWidget)
            if watched.focusPolicy() == Qt.FocusPolicy.WheelFocus:
                watched.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        elif kind == QEvent.Type.Wheel and edits_on_wheel(watched):
            assert isinstance(watched, QWidget) and isinstance(event, QWheelEvent)
            if not watched.hasFocus():
                scroll_the_panel_behind(watched, event)
                event.accept()
                return True
        return False


def scroll_the_panel_behind(widget: QWidget, event: QWheelEvent) -> None:
    """Give the wheel turn to the nearest scrolling panel around `widget`, if there is one.
    Sent on explicitly: Qt only passes a wheel event to the parent when it came from the
    system, and the panel should scroll however the turn arrived."""
    panel = widget.parentWidget()
    while panel is not None and not isinstance(panel, QAbstractScrollArea):
        panel = panel.parentWidget()
    if panel is None:
        return
    viewport = panel.viewport()
    position = QPointF(viewport.mapFromGlobal(event.globalPosition().toPoint()))
    QApplication.sendEvent(viewport, QWheelEvent(
        position, event.globalPosition(), event.pixelDelta(), event.angleDelta(),
        event.buttons(), event.modifiers(), event.phase(), event.inverted(), event.source()))


def install_wheel_guard(app: QObject) -> WheelGuard:
    guard = WheelGuard(app)
    app.installEventFilter(guard)
    return guard
