"""A clear ring around the button or tick box that has the keyboard focus.

Qt's Fusion style (the style on Linux) shows a focused button with a one-pixel outline a
shade bluer than a plain one, while the window's default button keeps its blue fill: on the
welcome window, after Tab, "Start a new case" still looked chosen while Enter would press
"Open a case file…". A person using the keyboard must see where Enter and Space go.

One ring for the whole application: a QFocusFrame, which follows its widget as it moves,
resizes, hides and shows, painted as a two-pixel ring in the palette's highlight colour (the
colour of a selection: noticeable, never alarming). It moves on QApplication's focusChanged
signal, so it costs nothing per event. A list or a table gets the ring too: Fusion shows
only its current row, and an empty one (no details saved yet, no evidence) showed nothing at
all, so Tab seemed to go nowhere. Line edits and list boxes already show focus clearly in
Fusion and are left alone; so is focus given by a click, where the pointer already says
where the person is.

Fusion shows the focus of a list box, a list's current row or a tab only while the window is
marked as used from the keyboard (WA_KeyboardFocusChange), and Qt clears that mark whenever
code moves the focus: Ctrl+Tab to the next part of the case put the keyboard in its first list
box with no sign of it, and so did the grid taking it while files are added. The ring also
watches the presses (one of the session's watchers, app_filters.py): after a key, a focus the
code moves keeps the mark, as a browser's :focus-visible does; after a click it does not.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QMargins, QObject, QRect, QRectF, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QFocusFrame,
    QProxyStyle,
    QRadioButton,
    QStyle,
    QStyleHintReturn,
    QStyleOption,
    QWidget,
)
from shiboken6 import isValid

RING_WIDTH = 2.0


class _NoMask(QProxyStyle):
    """QFocusFrame shows only a strip round its widget (a mask from the style). A ring
    narrower than a stretched tick box has its right side over the box itself: unmasked,
    it shows. The frame stays transparent to the mouse and paints nothing but the ring."""

    def styleHint(self, hint: QStyle.StyleHint, option: QStyleOption | None = None,
                  widget: QWidget | None = None,
                  returnData: QStyleHintReturn | None = None) -> int:
        if hint == QStyle.StyleHint.SH_FocusFrame_Mask:
            return 0
        return super().styleHint(hint, option, widget, returnData)


class _Ring(QFocusFrame):
    def __init__(self) -> None:
        super().__init__()
        self._style = _NoMask()  # kept: a widget does not own the style it is given
        self.setStyle(self._style)

    def ring_rect(self) -> QRect:
        """Around the widget; around a tick box's own box and words only, where a layout
        has stretched it across a form (a ring twice as long as its words said less); on a
        list's own edge, which often fills what holds it (the evidence grid in its pane),
        where a ring outside it is cut off."""
        rect = self.rect()
        box = self.widget()
        if isinstance(box, QAbstractItemView):
            across = self.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, self)
            down = self.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameVMargin, None, self)
            return rect.marginsRemoved(QMargins(across, down, across, down))
        if isinstance(box, QCheckBox | QRadioButton) and \
                box.layoutDirection() == Qt.LayoutDirection.LeftToRight:
            margin = self.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, self)
            rect.setWidth(min(rect.width(), box.sizeHint().width() + 2 * margin))
        return rect

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pen = QPen(self.palette().color(QPalette.ColorGroup.Active, QPalette.ColorRole.Highlight))
        pen.setWidthF(RING_WIDTH)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        half = RING_WIDTH / 2
        painter.drawRoundedRect(QRectF(self.ring_rect()).adjusted(half, half, -half, -half), 4, 4)


_MOUSE_PRESSES = (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick)


class FocusRing(QObject):
    """Puts the ring on each button, tick box or list the keyboard focus reaches, and keeps the
    window marked as used from the keyboard when code moves the focus after a key."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self.ring: _Ring | None = None
        self.by_keyboard = False  # whether the person's last press was a key (not the mouse)
        app.focusChanged.connect(self._moved)
        self._moved(None, app.focusWidget())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """As one of the session's watchers: note whether a key or the mouse was pressed last."""
        kind = event.type()
        if kind == QEvent.Type.KeyPress:
            self.by_keyboard = True
        elif kind in _MOUSE_PRESSES:
            self.by_keyboard = False
            if self.ring is not None and isValid(self.ring) and self.ring.widget() is not None:
                # A click, even on the ringed widget itself: the pointer shows the place.
                self.ring.setWidget(None)  # type: ignore[arg-type]  # Qt takes nullptr
        return False

    def _moved(self, old: QWidget | None, new: QWidget | None) -> None:
        # Not where a press of the mouse put the focus: the pointer shows the place already.
        clicked = bool(QApplication.mouseButtons() & Qt.MouseButton.LeftButton)
        if new is not None and self.by_keyboard and not clicked:
            keep_keyboard_mark(new)
        # A list or table only when the keyboard is in use: the code gives one the focus
        # after a click too (the grid, while files are added), where no ring is wanted.
        shown = isinstance(new, QAbstractButton) or (
            isinstance(new, QAbstractItemView) and self.by_keyboard)
        target = new if shown and not clicked else None
        if target is None:
            if self.ring is not None and isValid(self.ring):
                self.ring.setWidget(None)  # type: ignore[arg-type]  # Qt takes nullptr: no widget
            return
        if self.ring is None or not isValid(self.ring):  # gone with the window it was in
            self.ring = _Ring()
        self.ring.setWidget(target)
        self.ring.raise_()  # over a list's own edge, which is drawn after it else

    def stop(self) -> None:
        """The session ends: no ring any more, and none made later (tests run many sessions
        in one application)."""
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.disconnect(self._moved)
        if self.ring is not None and isValid(self.ring):
            self.ring.setWidget(None)  # type: ignore[arg-type]  # Qt takes nullptr: no widget
            self.ring.deleteLater()
        self.ring = None
        self.deleteLater()

    def widget(self) -> QWidget | None:
        """The button the ring is around, if any."""
        return self.ring.widget() if self.ring is not None and isValid(self.ring) else None



def keep_keyboard_mark(widget: QWidget) -> None:
    """Mark `widget`'s window as used from the keyboard (Qt's own mark, which Fusion reads to
    draw the focus of list boxes, lists and tabs), if code moving the focus cleared it."""
    window = widget.window()
    if not window.testAttribute(Qt.WidgetAttribute.WA_KeyboardFocusChange):
        window.setAttribute(Qt.WidgetAttribute.WA_KeyboardFocusChange, True)
        widget.update()
