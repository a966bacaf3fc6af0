"""The mouse wheel scrolls the page; it never changes a value the person has not chosen to edit.

Qt lets the wheel change a combo box, spin box or date box the pointer merely passes over, and
gives it focus as it does. Scrolling the evidence details once changed a picture's platform on
every wheel step, and each change was saved. One application-wide filter stops that:

- these boxes take focus from a click or Tab only, never from the wheel;
- a wheel turn over one goes to the scrolling panel around it, which scrolls, unless the person
  chose the box: clicked into it, tabbed to it or reached it with a shortcut. Focus a dialog
  hands its first box as it opens does not count (the Settings dialog once opened with the
  auto-lock minutes focused, and a wheel turn could set them to "Never");
- a turn up or down over a table's sideways scroll bar scrolls the page the table is in;
- Page Up and Page Down on a box scroll the page around it too, whoever chose the box: Qt
  stepped the value by ten, and Settings, which opens on the auto-lock minutes, turned
  auto-lock off ("Never") at the first Page Down a person pressed to read the dialog. The
  arrow keys still change the value.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QEvent, QObject, QPointF, Qt
from PySide6.QtGui import QFocusEvent, QKeyEvent, QWheelEvent
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


_PAGE_KEYS = (Qt.Key.Key_PageUp, Qt.Key.Key_PageDown)
_CHOSEN = "safekeepChosenByPerson"  # a dynamic property: focus came from a click, Tab or a key
_CHOSEN_BY = (Qt.FocusReason.MouseFocusReason, Qt.FocusReason.TabFocusReason,
              Qt.FocusReason.BacktabFocusReason, Qt.FocusReason.ShortcutFocusReason)


def _box_of(widget: QObject) -> QWidget | None:
    """The combo or spin box a widget is, or whose line edit it is."""
    if edits_on_wheel(widget):
        return widget  # type: ignore[return-value]
    parent = widget.parent()
    return parent if parent is not None and edits_on_wheel(parent) else None  # type: ignore[return-value]


class WheelGuard(QObject):
    """Install once on the application: `app.installEventFilter(WheelGuard(app))`."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.Polish and edits_on_wheel(watched):
            assert isinstance(watched, QWidget)
            if watched.focusPolicy() == Qt.FocusPolicy.WheelFocus:
                watched.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        elif kind in (QEvent.Type.FocusIn, QEvent.Type.FocusOut):
            box = _box_of(watched)
            if box is not None and isinstance(event, QFocusEvent):
                # Focus a window hands out when it opens is not the person choosing the box.
                box.setProperty(_CHOSEN, kind == QEvent.Type.FocusIn
                                and event.reason() in _CHOSEN_BY)
        elif kind == QEvent.Type.Wheel and edits_on_wheel(watched):
            assert isinstance(watched, QWidget) and isinstance(event, QWheelEvent)
            if not (watched.hasFocus() and watched.property(_CHOSEN)):
                scroll_the_panel_behind(watched, event)
                event.accept()
                return True
        elif kind == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) \
                and event.key() in _PAGE_KEYS and (box := _box_of(watched)) is not None:
            # With Ctrl it is the tabs' key (app/ui/shell/tab_keys.py reads it first): it
            # never reaches the box either.
            if not event.modifiers() & Qt.KeyboardModifier.ControlModifier:
                page_the_panel_behind(box, event.key())
            return True
        elif kind == QEvent.Type.Wheel and isinstance(watched, QScrollBar):
            assert isinstance(event, QWheelEvent)
            return _page_takes_it(watched, event)
        return False


def _page_takes_it(bar: QScrollBar, event: QWheelEvent) -> bool:
    """A turn up or down over a table's sideways scroll bar, with the table inside a page that
    scrolls: the page scrolls, as in a web browser. Qt turned it sideways: scrolling the
    Payments page down, the bar passed under the pointer, took the turn and hid the date and
    amount columns. Shift and a sideways turn still move the bar; a table on its own too."""
    delta = event.angleDelta()
    if bar.orientation() != Qt.Orientation.Horizontal or abs(delta.x()) >= abs(delta.y()) \
            or event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
        return False
    area = bar.parentWidget()
    while area is not None and not isinstance(area, QAbstractScrollArea):
        area = area.parentWidget()
    page = area.parentWidget() if area is not None else None
    while page is not None and not isinstance(page, QAbstractScrollArea):
        page = page.parentWidget()
    if area is None or page is None:
        return False
    scroll_the_panel_behind(area, event)
    event.accept()
    return True


def page_the_panel_behind(widget: QWidget, key: int) -> None:
    """Scroll the nearest panel around `widget` that can scroll by a page, up or down."""
    panel = widget.parentWidget()
    while panel is not None and not (isinstance(panel, QAbstractScrollArea)
                                     and panel.verticalScrollBar().maximum() > 0):
        panel = panel.parentWidget()
    if panel is not None:
        panel.verticalScrollBar().triggerAction(
            QAbstractSlider.SliderAction.SliderPageStepSub if key == Qt.Key.Key_PageUp
            else QAbstractSlider.SliderAction.SliderPageStepAdd)


def calm_boxes_in(widgets: Iterable[QWidget]) -> None:
    """What the guard does as a box is polished, done now for the boxes among `widgets`
    (made while the guard was not listening: the session pauses the application's filters
    while it builds the main window, app/ui/shell/session.py)."""
    for widget in widgets:
        if edits_on_wheel(widget) and widget.focusPolicy() == Qt.FocusPolicy.WheelFocus:
            widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)


def boxes_under(root: QWidget) -> list[QWidget]:
    """The combo, spin and slider boxes under `root` (found by Qt, not by walking in Python)."""
    return [*root.findChildren(QComboBox), *root.findChildren(QAbstractSpinBox),
            *root.findChildren(QAbstractSlider)]


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
