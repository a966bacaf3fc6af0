"""Widgets that keep to the text size chosen in Settings when it changes.

Settings' text size sets the application's font (session.apply_settings), and Qt hands it on
to every widget that has no font of its own. Two kinds of widget kept the size they had:

- one with a style sheet, and everything inside it: Qt's style sheet engine fixes each one's
  font, size included, as it first styles it. Quick exit and the whole checklist (whose
  steps' frames are drawn by a style sheet) stayed small after "Largest" was chosen, and
  steps made while it was chosen stayed large after "Normal". Styling the widget afresh once
  the application's font has changed fixes their fonts at the new size.
- one given a font made from another (a fingerprint in the system's fixed-pitch font, a
  heading a fifth larger than the text): it is made again from the new size.

The session calls `follow_text_size()` once it has set the new font (a widget styled by a
style sheet is not told of the application's font changing at all).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication
from PySide6.QtWidgets import QApplication, QWidget


class _Follower(QObject):
    """A child of the widget it keeps to the text size: found by `follow_text_size`."""

    def __init__(self, widget: QWidget, act: Callable[[QWidget], None]) -> None:
        super().__init__(widget)
        self._widget = widget
        self._act = act

    def follow(self) -> None:
        self._act(self._widget)


def follow_text_size() -> None:
    """After the application's font has changed: each widget set up here takes it on."""
    for window in QApplication.topLevelWidgets():
        for follower in window.findChildren(_Follower):
            follower.follow()


def _style_afresh(widget: QWidget) -> None:
    sheet = widget.styleSheet()
    widget.setStyleSheet("")
    widget.setStyleSheet(sheet)


def set_sheet_keeping_text_size(widget: QWidget, sheet: str) -> None:
    """`widget.setStyleSheet(sheet)`, with the widget and all inside it following the text
    size chosen in Settings."""
    widget.setStyleSheet(sheet)
    _Follower(widget, _style_afresh)


def set_font_keeping_text_size(widget: QWidget, make: Callable[[], QFont]) -> None:
    """`widget.setFont(make())`, made again whenever the text size changes."""
    widget.setFont(make())
    _Follower(widget, lambda w: w.setFont(make()))


def text_size() -> float:
    """The point size of the window's text (0 when the font is sized in pixels)."""
    return max(QGuiApplication.font().pointSizeF(), 0.0)


def monospace_font() -> QFont:
    """The system's fixed-pitch font, at the size of the window's text: the system's own
    size ignored the text size chosen in Settings."""
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    if text_size() > 0:
        font.setPointSizeF(text_size())
    return font
