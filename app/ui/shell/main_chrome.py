"""The main window's top row and case name, built to survive small screens and large text.

`ScrollingTabs` lets a tab page scroll under its tab bar on a short screen.
`ChecklistPlacement` keeps the checklist beside the pages, or in a tab when the window is narrow.
`ActionRow` holds the toolbar (Prepare bundle for police, Lock, Settings, Help) and, outside
it at the right, the red Quick exit button. Quick exit is never part of the toolbar: a toolbar
that runs out of room moves its last buttons into an overflow menu, and the way out must never
be the one that goes. When the row is too narrow for the toolbar's words, its buttons show
icons only (their names stay in tooltips and for screen readers); past that, the toolbar's
own overflow menu takes the last of them, still before Quick exit could be touched.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, TypeVar, runtime_checkable

from PySide6.QtCore import QEvent, QSize, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence, QPainter, QPaintEvent, QPalette, QResizeEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDockWidget,
    QFrame,
    QHBoxLayout,
    QMainWindow,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStyle,
    QTabWidget,
    QToolBar,
    QToolButton,
    QWidget,
)

from app.i18n import tr
from app.ui.kit.controller import CaseController
from app.ui.kit.icons import icon
from app.ui.kit.window_keys import window_key

PAGE_SCROLL_NAME = "PageScroll"
CHECKLIST_WIDTH = 380  # wide enough that a step's advice reads as sentences


def checklist_dock(window: QMainWindow, panel: QWidget) -> QDockWidget:
    """The checklist beside the pages, on the right: movable to the left, never closable (the
    next step should always be in sight)."""
    dock = QDockWidget(tr("What to do next"), window)
    dock.setObjectName("ChecklistDock")
    dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable)
    dock.setAllowedAreas(Qt.DockWidgetArea.LeftDockWidgetArea
                         | Qt.DockWidgetArea.RightDockWidgetArea)
    # The panel has its own heading; a second title above it only read as a repeat.
    dock.setTitleBarWidget(QWidget(dock))
    dock.setWidget(panel)
    window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
    window.resizeDocks([dock], [CHECKLIST_WIDTH], Qt.Orientation.Horizontal)  # room allowing
    return dock


class ActionRow(QWidget):
    def __init__(self, bar: QToolBar, quick_exit: QPushButton,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ActionRow")
        self.bar = bar
        self.quick_exit = quick_exit
        self._words_width: int | None = None  # the toolbar's width with words, when known
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 8, 1)
        layout.setSpacing(8)
        bar.setParent(self)
        layout.addWidget(bar, 1)
        quick_exit.setParent(self)
        # Fixed: the layout gives Quick exit its whole size first, whatever else is short.
        quick_exit.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        layout.addWidget(quick_exit, 0, Qt.AlignmentFlag.AlignVCenter)

    def room_for_bar(self) -> int:
        layout = self.layout()
        assert layout is not None
        margins = layout.contentsMargins()
        return (self.width() - margins.left() - margins.right() - layout.spacing()
                - self.quick_exit.sizeHint().width())

    def fit_bar(self) -> None:
        """Words beside icons when there is room, icons only when not."""
        room = self.room_for_bar()
        words = Qt.ToolButtonStyle.ToolButtonTextBesideIcon
        if self.bar.toolButtonStyle() == words:
            self._words_width = self.bar.sizeHint().width()
            if self._words_width > room:
                self.bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        elif self._words_width is not None and self._words_width <= room:
            self.bar.setToolButtonStyle(words)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit_bar()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            # The words' width changed: measure again with words, then decide.
            self._words_width = None
            self.bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            QTimer.singleShot(0, self, self.fit_bar)

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        return QSize(hint.width(), max(hint.height(), self.quick_exit.sizeHint().height()))

    def paintEvent(self, event: QPaintEvent) -> None:
        # A hairline under the row, as under a toolbar, so the actions read as one strip.
        painter = QPainter(self)
        painter.setPen(self.palette().color(QPalette.ColorRole.Mid))
        painter.drawLine(0, self.height() - 1, self.width(), self.height() - 1)


@runtime_checkable
class TypesFirst(Protocol):
    """A page whose form takes the keyboard when its tab is clicked."""

    def typing_field(self) -> QWidget: ...


@runtime_checkable
class ReadsInBlocks(Protocol):
    """A page that says the order its parts are read in, for Tab (`next_in_reading_order`)."""

    def reading_blocks(self) -> list[QWidget]: ...


class ScrollingTabs(QTabWidget):
    """Tabs whose pages scroll when the window is smaller than they are.

    Each page sits in its own scroll area, so on a short or narrow screen a page scrolls under
    a tab bar that stays put, instead of making the window larger than the screen. On a screen
    with room the scroll areas are invisible. Every method that takes or gives a page speaks of
    the page itself (the view), never of the scroll area around it.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # The tab bar's arrows (shown when its tabs do not fit) are for the mouse: Tab from a
        # tab went to the arrow, not to the page, on a 1024x600 screen. The keyboard moves
        # between tabs with the arrow keys and Ctrl+Tab, and the bar scrolls to the tab chosen.
        for arrow in self.tabBar().findChildren(QToolButton):
            arrow.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.tabBarClicked.connect(self._clicked)
        # Where the keyboard was once a tab was chosen (Qt moves it off a page it hides).
        self._focus_then: QWidget | None = None
        self.currentChanged.connect(self._note_focus)

    def _note_focus(self, _index: int) -> None:
        self._focus_then = QApplication.focusWidget()

    def _clicked(self, index: int) -> None:
        self._note_focus(index)  # (the tab already chosen: no change comes)
        # After the tab changed, in the next turn: the page is shown by then.
        QTimer.singleShot(0, self, lambda: self._focus_typing_field(index))

    def _focus_typing_field(self, index: int) -> None:
        """A page with a form, chosen with the mouse, takes the keyboard in its first field:
        the cursor had stayed behind on the page left, so "$200" typed went nowhere and Enter
        said "Type or paste the detail first". Arrow keys on the tab bar keep it there."""
        page = self.widget(index) if index == self.currentIndex() else None
        focus = QApplication.focusWidget()
        # Not when the keyboard was put somewhere since (a click in the page, Tab), nor when
        # it is on the tab bar, whose arrow keys choose tabs.
        if isinstance(page, TypesFirst) and page.isVisible() and focus is self._focus_then \
                and focus is not self.tabBar():
            page.typing_field().setFocus(Qt.FocusReason.MouseFocusReason)

    def _wrap(self, page: QWidget) -> QScrollArea:
        area = QScrollArea(self)
        area.setObjectName(PAGE_SCROLL_NAME)
        area.setWidgetResizable(True)
        area.setFrameShape(QFrame.Shape.NoFrame)
        area.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # no extra Tab stop: focus goes to the page
        area.setWidget(page)
        return area

    @staticmethod
    def _page_of(area: QWidget | None) -> QWidget | None:
        if isinstance(area, QScrollArea) and area.objectName() == PAGE_SCROLL_NAME:
            return area.widget()
        return area

    def addTab(self, page: QWidget, label: str) -> int:  # type: ignore[override]
        return super().addTab(self._wrap(page), label)

    def insertTab(self, index: int, page: QWidget, label: str) -> int:  # type: ignore[override]
        return super().insertTab(index, self._wrap(page), label)

    def scroll_area(self, index: int) -> QScrollArea | None:
        area = super().widget(index)
        return area if isinstance(area, QScrollArea) else None

    def widget(self, index: int) -> QWidget:
        return self._page_of(super().widget(index))  # type: ignore[return-value]

    def currentWidget(self) -> QWidget:
        return self._page_of(super().currentWidget())  # type: ignore[return-value]

    def indexOf(self, page: QWidget) -> int:
        for index in range(self.count()):
            if self.widget(index) is page:
                return index
        return super().indexOf(page)

    def setCurrentWidget(self, page: QWidget) -> None:
        index = self.indexOf(page)
        if index >= 0:
            self.setCurrentIndex(index)

    def take_tab(self, index: int) -> QWidget | None:
        """Remove a tab and hand back its page, no longer in any scroll area."""
        area = super().widget(index)
        self.removeTab(index)
        if isinstance(area, QScrollArea) and area.objectName() == PAGE_SCROLL_NAME:
            page = area.takeWidget()
            area.deleteLater()
            return page
        return area


class ChecklistPlacement:
    """The checklist beside the pages when both fit, in a tab of its own when not.

    Decided on the window's width alone (which moving the checklist does not change), so it
    never flips back and forth. Beside the pages, the checklist is as wide as it reads well,
    but the pages get their width first. Widths are set, never imposed as minimum sizes: a
    minimum would stop a person dragging the window narrower (or onto a smaller screen)
    before the checklist could move into its tab.
    """

    def __init__(self, window: QMainWindow, dock: QDockWidget, panel: QWidget,
                 tabs: ScrollingTabs, pages: list[QWidget]) -> None:
        self.window, self.dock, self.panel, self.tabs = window, dock, panel, tabs
        self.pages = pages
        self.in_tab = False
        # A case with nothing in it yet opens on the police advice when it is in a tab: it had
        # opened on an empty grid, the first steps ("Take a breath", for an under-18 "Tell an
        # adult you trust") one tab away. Set as a case opens, used once as the window shows.
        self.advice_first = False

    def open_on_advice(self) -> None:
        if self.advice_first and self.in_tab:
            self.tabs.setCurrentWidget(self.panel)
        self.advice_first = False  # a window made narrow later keeps the page it shows

    def pages_width(self) -> int:
        """The width the widest page needs, with the margins around the tabs."""
        widest = max((page.minimumSizeHint().width() for page in self.pages), default=0)
        central = self.window.centralWidget()
        layout = central.layout() if central is not None else None
        margins = layout.contentsMargins() if layout is not None else None
        return widest + (margins.left() + margins.right() if margins is not None else 0)

    def beside_width(self) -> int:
        """The width the checklist needs beside the pages: its own and the separator's."""
        separator = self.window.style().pixelMetric(
            QStyle.PixelMetric.PM_DockWidgetSeparatorExtent)
        return max(self.panel.minimumSizeHint().width(), 240) + separator + 4

    def fit(self) -> None:
        narrow = self.window.width() < self.pages_width() + self.beside_width()
        if narrow != self.in_tab:
            self._move(into_tab=narrow)
        elif not narrow:
            self._size()

    def _move(self, *, into_tab: bool) -> None:
        self.in_tab = into_tab
        if into_tab:
            self.dock.hide()
            # First, not last: at large text on a small screen the tab bar scrolls, and the
            # last tab (the police advice, what a person most needs) was cut under its arrow.
            self.tabs.insertTab(0, self.panel, tr("What to do next"))
            return
        index = self.tabs.indexOf(self.panel)
        was_current = index == self.tabs.currentIndex()
        if index >= 0:
            self.tabs.take_tab(index)
        self.dock.setWidget(self.panel)
        self.panel.show()
        self.dock.show()
        if was_current:
            self.tabs.setCurrentIndex(0)  # the first page, Evidence, once the checklist left
        self._size()

    def _size(self) -> None:
        spare = self.window.width() - self.pages_width() - 12
        width = max(min(CHECKLIST_WIDTH, spare), self.beside_width() - 10)
        if abs(self.dock.width() - width) > 1:
            self.window.resizeDocks([self.dock], [width], Qt.Orientation.Horizontal)



def tab_stops(window: QWidget) -> list[QWidget]:
    """The widgets Tab can reach in `window`, in the order they were made in (Qt's own order
    for every part of this window: no part sets one of its own).

    Found with `findChildren`, never by following `nextInFocusChain()` from Python: PySide
    makes each widget that call returns the "child" of the one it was asked of, so the walk
    strung the window's widgets into one ring of Python objects. When the chain changed, parts
    of that ring became garbage, and Python's collector then deleted live widgets along with
    them: the window crashed (a tree's header gone) as details were added from "Found in
    evidence" with the keyboard."""
    return [widget for widget in window.findChildren(QWidget)
            # One that hands its focus to another (a tab widget to its tab bar) is that other.
            if widget.isVisible() and widget.isEnabled() and widget.focusProxy() is None
            and widget.focusPolicy() & Qt.FocusPolicy.TabFocus]


def next_in_reading_order(window: QWidget, blocks: list[QWidget], forward: bool
                          ) -> QWidget | None:
    """Where Tab (or Shift+Tab) goes from the focus, when the window's stops are read block by
    block: each stop belongs to the first of `blocks` that is it or holds it, those outside
    every block come last, and within a block Qt's own order is kept. None when the focus is
    not on a stop of this window. Qt's order alone followed the order widgets were made in:
    Case details… after the page below it, and Quick exit (made with the toolbar, late), like
    the checklist's steps (made each time the case opens), wherever the chain then ended."""
    focus: QWidget | None = window.focusWidget()
    if focus is None or not focus.isVisible():
        return None  # Qt moving the focus off a widget being hidden: Qt's own way
    stops = tab_stops(window)

    def block_of(widget: QWidget) -> int:
        for index, block in enumerate(blocks):
            if widget is block or block.isAncestorOf(widget):
                return index
        return len(blocks)

    order = sorted(stops, key=block_of)  # stable: Qt's order within a block
    while focus is not None and focus not in order:  # a box's inner line edit: the box
        focus = focus.parentWidget()
    if focus is None or not order:
        return None
    step = 1 if forward else -1
    return order[(order.index(focus) + step) % len(order)]


D = TypeVar("D", bound=QDialog)


def one_dialog(window: QWidget, kind: Callable[[CaseController, QWidget], D],
               controller: CaseController) -> D:
    """The dialog of this kind already open over `window`, brought forward, or a new one. Not
    modal, so Quick exit stays in reach; a second Ctrl+E or click had opened a second dialog
    (two bundles prepared at once, two sets of case details saved over each other)."""
    for dialog in window.findChildren(QDialog):
        if type(dialog) is kind and dialog.isVisible():
            dialog.raise_()
            dialog.activateWindow()
            return dialog  # type: ignore[return-value]
    made = kind(controller, window)
    made.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    made.show()
    return made


def preferences_keys() -> QKeySequence:
    """The platform's Preferences keys; Linux and Windows have none, so Ctrl+, as many apps."""
    keys = QKeySequence(QKeySequence.StandardKey.Preferences)
    return keys if not keys.isEmpty() else QKeySequence("Ctrl+,")


def toolbar_action(window: QWidget, bar: QToolBar, icon_name: str, text: str,
                   slot: Callable[[], object], shortcut: QKeySequence) -> QAction:
    """A button on the window's toolbar, its keys in its tooltip, working from any window of
    the app (a dialog over the main window included)."""
    action = QAction(icon(icon_name), text, window)
    if not shortcut.isEmpty():
        action.setShortcut(window_key(shortcut))  # before a text box's own (kit/window_keys)
        keys = shortcut.toString(QKeySequence.SequenceFormat.NativeText)
        action.setToolTip(f"{text} ({keys})")
    action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
    action.triggered.connect(lambda _checked=False: slot())
    bar.addAction(action)
    button = bar.widgetForAction(action)
    if button is not None:
        button.setAccessibleName(text)
    return action


def window_action(window: QWidget, text: str, keys: QKeySequence.StandardKey,
                  slot: Callable[[], object]) -> QAction:
    """Keys of the main window with no button of their own (Ctrl+F, Ctrl+O), taken before a
    text box's own."""
    action = QAction(text, window)
    action.setShortcut(window_key(QKeySequence(keys)))
    action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    action.triggered.connect(lambda _checked=False: slot())
    window.addAction(action)
    return action
