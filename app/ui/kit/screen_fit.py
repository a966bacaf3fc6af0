"""Every window opens inside the screen it opens on, whatever its size and scaling.

Home laptops are often 1366x768 at 125% scaling (about 1093x614 usable), and at 200% on a
1920x1080 screen Qt lays out 960x540. A window asked for at a fixed size would then open
with its buttons, or the Quick exit button, past the edge. `fit_to_screen` is the one place
that sizes and places a top-level window: it takes the size a window would like, caps it at
the available area of its screen (`QScreen.availableGeometry`, which leaves out task bars)
minus room for the title bar, centres it over its parent (or on the screen), and, when even
the window's smallest layout would not fit, moves the middle of the window into a scroll area
so the first row (which holds Quick exit) and the last row (the buttons) stay in sight.

After the window is shown, the real frame is known; if it still sticks out (a tall title
bar), the window is moved and shrunk once more.

`Qt` (the enum namespace) is imported only where needed: importing it costs ~30 ms, and the
welcome window is sized here before it first shows.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QMargins, QObject, QPoint, QRect, QSize, QTimer
from PySide6.QtGui import QCursor, QGuiApplication, QScreen
from PySide6.QtWidgets import (
    QAbstractButton,
    QBoxLayout,
    QDialogButtonBox,
    QFrame,
    QLabel,
    QLayout,
    QLayoutItem,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.ui.kit.scroll_keys import PagesScroll
from app.ui.kit.taken_items import release

# Room for what the window manager adds around a window: unknown until it is shown. A title
# bar is 24-40 px on the desktops we know; borders are a few pixels.
FRAME_ALLOWANCE = QMargins(8, 36, 8, 8)
SCROLL_BODY_NAME = "FitScrollBody"


def screen_for(window: QWidget) -> QScreen:
    """The screen a window opens on: its parent's, else the one under the mouse, else the
    primary screen."""
    parent = window.parentWidget()
    if parent is not None and parent.window().screen() is not None:
        return parent.window().screen()
    if window.isVisible() and window.screen() is not None:
        return window.screen()
    at_cursor = QGuiApplication.screenAt(QCursor.pos())
    return at_cursor or QGuiApplication.primaryScreen()


def available_area(window: QWidget) -> QRect:
    return screen_for(window).availableGeometry()


def _frame_margins(window: QWidget) -> QMargins:
    """The real frame when the window is up, else the allowance."""
    if window.isVisible():
        frame, inner = window.frameGeometry(), window.geometry()
        real = QMargins(inner.left() - frame.left(), inner.top() - frame.top(),
                        frame.right() - inner.right(), frame.bottom() - inner.bottom())
        if real.top() > 0 or real.left() > 0:
            return real
    return FRAME_ALLOWANCE


def room_for(window: QWidget) -> QSize:
    """The largest inner size whose frame still fits the available area."""
    area = available_area(window).marginsRemoved(_frame_margins(window))
    return QSize(max(area.width(), 1), max(area.height(), 1))


def fit_to_screen(window: QWidget, width: int, height: int | None = None, *,
                  maximise_if_small: bool = False, recentre: bool = True) -> QSize:
    """Size `window` to `width` x `height` (default: what it holds needs at that width, else its
    size hint), capped at what the screen has room for, and place it centred over its parent
    or the screen. Returns the size."""
    room = room_for(window)
    needs = _scroll_if_too_tall(window, room, width)
    # Default: what the contents need at this width, where the layout can say (see
    # _resize_to_contents: the size hint counts wrapped text at its own preferred width).
    if height is None:
        height = _resize_to_contents(window, width, needs, 0, QSize(width, 1 << 20))
    wanted = QSize(width, height)
    if maximise_if_small and not _fits(wanted, room):
        from PySide6.QtCore import Qt

        # A small laptop: use all of it, as people expect. The normal size still fits,
        # for when the window is restored.
        window.setWindowState(window.windowState() | Qt.WindowState.WindowMaximized)
    minimum = window.minimumSizeHint()
    size = QSize(max(min(wanted.width(), room.width()), min(minimum.width(), room.width())),
                 max(min(wanted.height(), room.height()),
                     min(minimum.height(), room.height())))
    window.resize(size)
    if recentre:
        _place(window, size)
    else:
        keep_inside(window)
    _watch_first_show(window)
    return size


def fit_height(window: QWidget, *, shrink: bool = True) -> None:
    """Grow or shrink a window's height to its contents (explanations appeared or went),
    never past the screen (scrolling what does not fit), keeping it where it is as far as the
    screen allows. `shrink=False`: only grow (hints appearing as a person types: shrinking
    back would make the buttons jump under the pointer)."""
    layout = window.layout()
    if layout is not None:
        layout.activate()
    room = room_for(window)
    needs = _scroll_if_too_tall(window, room, window.width())
    # A window's size hint counts wrapped text at its preferred width, not at the window's:
    # the height the text needs at this width is asked for too. One that scrolls asks for
    # what its scrolling part holds (its size hint is a scroll area's few lines).
    needs = max(needs, _scrolling_needs(window))
    least = max(window.minimumSizeHint().height(), 0 if shrink else window.height())
    _resize_to_contents(window, min(window.width(), room.width()), needs, least, room)
    keep_inside(window)


def _resize_to_contents(window: QWidget, width: int, needs: int, least: int,
                        room: QSize) -> int:
    """Resize to what the contents need at `width` (`needs`, from the layout), at least
    `least`, at most the room. The size hint measures wrapped text at the text's own
    preferred width (more lines: the export dialog opened 32 pixels taller than its contents,
    with gaps between them), so it is the answer only where the layout cannot say, or where
    the layout's own answer leaves a wrapped text short of its lines (a form layout's rows
    can). Returns the height. The texts are looked at only on a window shown: one not shown
    yet lays out its inner parts as it shows (the screen-fit tests look at those)."""
    height = min(max(needs or window.sizeHint().height(), least), room.height())
    window.resize(width, height)
    if needs and window.isVisible() and height < room.height():
        if _texts_cut(window):  # resized in place: its parts were laid out again
            height = min(max(window.sizeHint().height(), needs, least), room.height())
            window.resize(width, height)
    return height


def _texts_cut(window: QWidget) -> bool:
    """A wrapped text shown with less height than its lines need at its width."""
    return any(label.wordWrap() and label.isVisibleTo(window) and label.text()
               and label.height() < label.heightForWidth(label.width())
               for label in window.findChildren(QLabel))


def _scroll_if_too_tall(window: QWidget, room: QSize, width: int) -> int:
    """Put the window's middle into a scroll area when even its minimum, or its wrapped text
    whole, is taller than `room`. The height its wrapped text needs at `width` (capped at the
    room's), or 0 once it scrolls (the scroll area then holds the text)."""
    needs = _wrapped_text_needs(window, min(width, room.width()))
    if not _fits(window.minimumSizeHint(), room) or needs > room.height():
        scroll_body(window)
        return 0
    return needs


def _scrolling_needs(window: QWidget) -> int:
    """The height a window made to scroll needs to show all it holds at its width (0 when
    it does not scroll)."""
    scroll = window.findChild(QScrollArea, "FitScroll")
    body = scroll.widget() if scroll is not None else None
    inner = body.layout() if body is not None else None
    if scroll is None or body is None or inner is None:
        return 0
    width = scroll.viewport().width()
    content = (inner.totalHeightForWidth(width) if inner.hasHeightForWidth()
               else body.sizeHint().height())
    return content + window.height() - scroll.viewport().height()


def _wrapped_text_needs(window: QWidget, width: int) -> int:
    """The height a window's contents need at `width` with every wrapped text whole. A
    wrapped label's minimum height is one line, so a window can be squeezed to the screen
    with its explanations cut off (seen at 1366x768, 125%, largest text); where they would
    be, the window scrolls instead. 0 when the layout does not wrap text."""
    layout = window.layout()
    if layout is None or not layout.hasHeightForWidth():
        return 0
    return layout.totalHeightForWidth(width)


def keep_inside(window: QWidget) -> None:
    """Move (and if need be shrink) a window so its frame lies in the available area."""
    area = available_area(window)
    margins = _frame_margins(window)
    inner_room = area.marginsRemoved(margins)
    if window.width() > inner_room.width() or window.height() > inner_room.height():
        window.resize(min(window.width(), inner_room.width()),
                      min(window.height(), inner_room.height()))
    frame = window.frameGeometry() if window.isVisible() else QRect(
        window.pos(), window.size()).marginsAdded(margins)
    left = min(max(frame.left(), area.left()), area.right() + 1 - frame.width())
    top = min(max(frame.top(), area.top()), area.bottom() + 1 - frame.height())
    if (left, top) != (frame.left(), frame.top()):
        window.move(window.pos() + QPoint(left - frame.left(), top - frame.top()))


def _fits(size: QSize, room: QSize) -> bool:
    return size.width() <= room.width() and size.height() <= room.height()


def _place(window: QWidget, size: QSize) -> None:
    area = available_area(window)
    margins = _frame_margins(window)
    outer = QSize(size.width() + margins.left() + margins.right(),
                  size.height() + margins.top() + margins.bottom())
    parent = window.parentWidget()
    anchor = (parent.window().frameGeometry() if parent is not None
              and parent.window().isVisible() else area)
    centre = anchor.center()
    left = min(max(centre.x() - outer.width() // 2, area.left()),
               area.right() + 1 - outer.width())
    top = min(max(centre.y() - outer.height() // 2, area.top()),
              area.bottom() + 1 - outer.height())
    window.move(left, top)  # move() places the frame's top-left corner


class _FirstShowWatch(QObject):
    """Once the window is up and its real frame known, nudge it back inside if needed."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show and isinstance(watched, QWidget):
            watched.removeEventFilter(self)
            target = watched
            # The watch is the timer's context: a window destroyed before the timer fires
            # takes the watch with it, and the timer with that.
            QTimer.singleShot(0, self, lambda: _after_show(target, self))
        return False


def _after_show(window: QWidget, watch: QObject) -> None:
    watch.deleteLater()
    if window.isVisible() and not window.isMaximized() and not window.isFullScreen():
        keep_inside(window)


def _watch_first_show(window: QWidget) -> None:
    if window.property("fitWatched"):
        return
    window.setProperty("fitWatched", True)
    window.installEventFilter(_FirstShowWatch(window))


# -- scrolling what does not fit -----------------------------------------------------------------


def _item_widgets(item: QLayoutItem) -> list[QWidget]:
    widget = item.widget()
    if widget is not None:
        return [widget, *widget.findChildren(QWidget)]
    layout = item.layout()
    found: list[QWidget] = []
    if layout is not None:
        for index in range(layout.count()):
            child = layout.itemAt(index)
            if child is not None:
                found.extend(_item_widgets(child))
    return found


def _holds_quick_exit(item: QLayoutItem) -> bool:
    return any(w.objectName() == "QuickExit" for w in _item_widgets(item))


def _holds_buttons(item: QLayoutItem) -> bool:
    widgets = _item_widgets(item)
    return bool(widgets) and all(isinstance(w, (QAbstractButton, QDialogButtonBox))
                                 or isinstance(w.parentWidget(), QDialogButtonBox)
                                 for w in widgets)


def scroll_body(window: QWidget) -> QScrollArea | None:
    """Put the middle of a window's top-level box layout into a scroll area.

    The first row stays fixed when it holds Quick exit, and the last when it is a row of
    buttons: the way out and the way on stay in sight. Does nothing twice, or for a window
    whose layout is not a box layout.
    """
    from PySide6.QtCore import Qt

    layout = window.layout()
    if not isinstance(layout, QBoxLayout) or window.findChild(QWidget, SCROLL_BODY_NAME):
        return None
    # Moved into the scroll area, the field with the keyboard loses it (a window made to
    # scroll by a larger text size chosen in it sent the keyboard on to Close).
    had_keyboard = window.focusWidget()
    first = _first_tab_stop(window)
    items: list[tuple[QLayoutItem, int]] = []
    while layout.count():
        stretch = layout.stretch(0)
        item = layout.takeAt(0)
        if item is None:
            break
        items.append((item, stretch))
    head = [items.pop(0)] if items and _holds_quick_exit(items[0][0]) else []
    tail = [items.pop()] if items and _holds_buttons(items[-1][0]) else []
    body = QWidget()
    body.setObjectName(SCROLL_BODY_NAME)
    body_layout = QVBoxLayout(body)
    body_layout.setContentsMargins(0, 0, 0, 0)
    body_layout.setSpacing(layout.spacing())
    for item, stretch in items:
        _add_item(body_layout, item, stretch)
    scroll = QScrollArea(window)
    scroll.setObjectName("FitScroll")
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # no extra Tab stop: focus goes inside
    scroll.setWidget(body)
    pages = PagesScroll(scroll)
    window.installEventFilter(pages)
    app = QGuiApplication.instance()
    if app is not None:
        app.focusChanged.connect(pages.follow_focus)  # type: ignore[attr-defined]
    # Scrolling is for height: keep the width the contents need beside the scroll bar (where
    # the screen has it), or every line would be cut at the side.
    margins = layout.contentsMargins()
    beside_bar = (body.minimumSizeHint().width() + scroll.verticalScrollBar().sizeHint().width()
                  + 2 * scroll.frameWidth())
    scroll.setMinimumWidth(min(beside_bar, room_for(window).width() - margins.left()
                               - margins.right()))
    for item, stretch in head:
        _add_item(layout, item, stretch)
    layout.addWidget(scroll, 1)
    for item, stretch in tail:
        _add_item(layout, item, stretch)
    # Widgets moved into the scroll area come after the buttons below it in the focus
    # chain: the window opened with the keyboard on Close (Tab's circle is unchanged). The
    # keyboard goes where it was, or to the first field, as before.
    target = had_keyboard if had_keyboard is not None and window.isAncestorOf(had_keyboard) \
        else first
    if target is not None and window.focusWidget() is not target:
        target.setFocus(Qt.FocusReason.OtherFocusReason)
    return scroll


def _first_tab_stop(window: QWidget) -> QWidget | None:
    """The first of the window's widgets Tab stops on (shown, enabled; a field's inner
    parts, which pass the focus to it, left out), in the order they were made in. Not by
    following `nextInFocusChain()` from Python (see tab_stops in shell/main_chrome.py)."""
    from PySide6.QtCore import Qt

    for widget in window.findChildren(QWidget):
        if widget.focusProxy() is None and widget.focusPolicy() & Qt.FocusPolicy.TabFocus \
                and widget.isVisibleTo(window) and widget.isEnabled():
            return widget
    return None


def _add_item(layout: QBoxLayout, item: QLayoutItem, stretch: int) -> None:
    """Put what a taken item held into `layout`; the taken item is let go first, so a widget's
    new item is the one that hears of its size changes (taken_items.py)."""
    from PySide6.QtCore import Qt

    widget, sub, spacer = item.widget(), item.layout(), item.spacerItem()
    if widget is not None:
        alignment = item.alignment()
        release(item)
        layout.addWidget(widget, stretch, alignment)
    elif isinstance(sub, QLayout):
        layout.addLayout(sub, stretch)
    elif spacer is not None:
        vertical = bool(spacer.expandingDirections() & Qt.Orientation.Vertical)
        height = spacer.sizeHint().height()
        release(item)
        if vertical:
            layout.addStretch(stretch or 1)
        else:
            layout.addSpacing(height)
