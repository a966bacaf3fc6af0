"""Helpers for the record-tab tests: show a view as a person meets it, and where a widget is.
The keyboard helpers are in tests/ui/keys.py."""

from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from tests.ui.keys import show_active


def show_view(qtbot: QtBot, view: QWidget, width: int = 900, height: int = 700) -> QWidget:
    qtbot.addWidget(view)
    view.resize(width, height)
    show_active(qtbot, view)
    return view


def rect_in(widget: QWidget, ancestor: QWidget) -> QRect:
    return QRect(widget.mapTo(ancestor, QPoint(0, 0)), widget.size())
