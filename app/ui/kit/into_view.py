"""Bringing a question that has just opened into sight.

A tab or pane taller than the window scrolls. A question opened in it ("Yes, remove it / Keep
it", or why remove an exhibit) may appear below what shows, with the keyboard already in it:
at 1024x768 a person pressed Delete, or "Remove…", and saw nothing happen.
"""

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QModelIndex,
    QPoint,
    QTimer,
)
from PySide6.QtWidgets import QAbstractItemView, QScrollArea, QWidget
from shiboken6 import isValid


def bring_into_view(*widgets: QWidget) -> None:
    """Scroll each scroll area around each widget, innermost first, until it shows. Where
    not all fit (a small screen at a large scale), the later ones win: name the buttons that
    answer last."""
    # What was just shown has no place yet: its layouts are asked for, not done. Do them now,
    # so the scrolling goes to where it will be.
    QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
    for widget in widgets:
        parent = widget.parentWidget()
        while parent is not None:
            if isinstance(parent, QScrollArea):
                parent.ensureWidgetVisible(widget, 8, 8)
            parent = parent.parentWidget()


class KeptInPlace:
    """Keeps `widget` where it is on screen while what is above it changes, by scrolling the
    innermost scroll area around it by as much as it moved: "Add to details" grew the row
    above it by the line "✓ in your details", and a message shown above the checklist pushed
    its steps down, each moving the button just clicked from under the pointer.

        kept = KeptInPlace(button)   # before the change
        ...                          # rows added, labels changed
        kept.restore()               # after it
    """

    def __init__(self, widget: QWidget) -> None:
        self._widget = widget
        self._area = _scroll_area_of(widget)
        self._top = self._on_screen()

    def _on_screen(self) -> int | None:
        area = self._area
        # (A step built anew meanwhile has deleted the widget: nothing to keep then.)
        if area is None or not isValid(self._widget) or not self._widget.isVisible():
            return None
        # In the window: a message shown above the scroll area moves the area itself.
        return self._widget.mapTo(self._widget.window(), self._widget.rect().topLeft()).y()

    def restore(self) -> None:
        if self._top is None or self._area is None:
            return
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)  # its new place
        now = self._on_screen()
        if now is not None and now != self._top:
            bar = self._area.verticalScrollBar()
            bar.setValue(bar.value() + now - self._top)


def _scroll_area_of(widget: QWidget) -> QScrollArea | None:
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QScrollArea):
        parent = parent.parentWidget()
    return parent


def keep_current_row_in_sight(view: QAbstractItemView) -> None:
    """A table inside a page that scrolls: the row the keyboard moves to is brought into
    sight on the page too, not only inside the table. Qt scrolls the table itself, and on a
    small screen at a large scale the page showed two rows of it: after Page Down the chosen
    row was below the page's edge, and Delete or F2 acted on a row nobody could see. Only
    while the table has the keyboard: a row chosen by a save must not pull the page away
    from the field being typed in."""
    def follow(current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid() and view.hasFocus():
            # After Qt has scrolled the table to it (its own reaction to the same signal).
            QTimer.singleShot(0, view, lambda: _current_row_into_page(view))

    view.selectionModel().currentChanged.connect(follow)


def _current_row_into_page(view: QAbstractItemView) -> None:
    current = view.currentIndex()
    row = view.visualRect(current) if current.isValid() else None
    if row is None or row.isEmpty():
        return
    viewport = view.viewport()
    parent = view.parentWidget()
    while parent is not None:
        page = parent.widget() if isinstance(parent, QScrollArea) else None
        if isinstance(parent, QScrollArea) and page is not None:
            # The row's middle at the table's left edge: the page scrolls up or down, not
            # sideways to the row's middle.
            middle = viewport.mapTo(page, QPoint(0, row.center().y()))
            parent.ensureVisible(middle.x(), middle.y(), 8, row.height() // 2 + 8)
        parent = parent.parentWidget()
