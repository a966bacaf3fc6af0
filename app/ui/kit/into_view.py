"""Bringing a question that has just opened into sight.

A tab or pane taller than the window scrolls. A question opened in it ("Yes, remove it / Keep
it", or why remove an exhibit) may appear below what shows, with the keyboard already in it:
at 1024x768 a person pressed Delete, or "Remove…", and saw nothing happen.
"""

from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QScrollArea, QWidget


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
