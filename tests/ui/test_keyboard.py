"""Every control of the main window can be reached and understood without a mouse: each button
has words (text or an accessible name), the main actions have shortcuts, and Tab reaches the
controls a person needs, the Quick exit button included."""

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication, QTabWidget, QWidget
from pytestqt.qtbot import QtBot

from app.models.casefile import CaseFile
from app.ui.shell.main_window import MainWindow
from app.ui.shell.session import SafekeepSession
from tests.ui.keys import click_tab
from tests.ui.shell_support import clock, closed_case, shell, unlock_with

__all__ = ["clock", "shell"]


def _open_main_window(qtbot: QtBot, shell: SafekeepSession,
                      make_case: Callable[..., CaseFile]) -> MainWindow:
    shell.start(str(closed_case(make_case)))
    unlock_with(qtbot, shell)
    window = shell.main_window
    assert isinstance(window, MainWindow)
    qtbot.waitUntil(window.isVisible)
    return window


def _tab_chain(start: QWidget, limit: int = 400) -> list[QWidget]:
    """The widgets real Tab presses visit from `start`, until the focus comes back to it.
    Not by following nextInFocusChain() from Python: that hands the widgets to Python's
    collector (tests/ui/test_focus_chain_ownership.py)."""
    start.window().activateWindow()
    start.setFocus(Qt.FocusReason.TabFocusReason)
    chain: list[QWidget] = []
    for _ in range(limit):
        QTest.keyClick(QApplication.focusWidget() or start, Qt.Key.Key_Tab)
        widget = QApplication.focusWidget()
        if widget is None or widget is start:
            break
        chain.append(widget)
    return chain


def test_every_button_says_what_it_does(qtbot: QtBot, shell: SafekeepSession,
                                        make_case: Callable[..., CaseFile]) -> None:
    window = _open_main_window(qtbot, shell, make_case)
    silent = [b.objectName() or type(b).__name__ for b in window.findChildren(QAbstractButton)
              if b.isVisible() and not (b.text().strip() or b.accessibleName().strip()
                                        or b.toolTip().strip())]
    assert silent == []


def test_main_actions_have_shortcuts(qtbot: QtBot, shell: SafekeepSession,
                                     make_case: Callable[..., CaseFile]) -> None:
    window = _open_main_window(qtbot, shell, make_case)
    shortcuts = {a.shortcut().toString() for a in window.findChildren(QAction)
                 if not a.shortcut().isEmpty()}
    assert {"Ctrl+E", "Ctrl+L", "Ctrl+F", "F1"} <= shortcuts
    assert "Ctrl+," in shortcuts or not QKeySequence(QKeySequence.StandardKey.Preferences).isEmpty()


def test_tab_reaches_what_a_person_needs(qtbot: QtBot, shell: SafekeepSession,
                                         make_case: Callable[..., CaseFile]) -> None:
    window = _open_main_window(qtbot, shell, make_case)
    tabs = window.findChild(QTabWidget)
    assert tabs is not None
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5000)
    chain = _tab_chain(window.quick_exit_button)
    assert QApplication.focusWidget() is window.quick_exit_button  # Tab comes back round
    reached = {w.text() for w in chain if isinstance(w, QAbstractButton)}
    for words in ("Add files…", "Take a screenshot"):
        assert words in reached, (words, sorted(reached))
    assert tabs.tabBar() in chain  # Evidence, Offender details, Payments, Timeline, Search
    # A real Tab press moves focus forward (no control swallows it).
    window.activateWindow()
    window.quick_exit_button.setFocus()
    qtbot.keyClick(window.quick_exit_button, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is not window.quick_exit_button


def test_ctrl_f_goes_to_search_with_the_cursor_in_its_box(
        qtbot: QtBot, shell: SafekeepSession, make_case: Callable[..., CaseFile]) -> None:
    from PySide6.QtTest import QTest

    from app.ui.records.search_view import SearchView

    window = _open_main_window(qtbot, shell, make_case)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5000)
    search = window.views["search"]
    assert isinstance(search, SearchView)
    start = QApplication.focusWidget() or window
    QTest.keyClick(start, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentWidget() is search
    assert QApplication.focusWidget() is search.query
    QTest.keyClicks(QApplication.focusWidget(), "skype")
    assert search.query.text() == "skype"

    # Clicking the Search tab puts the cursor there too.
    window.tabs.setCurrentIndex(0)
    window.tabs.widget(0).setFocus()
    click_tab(qtbot, window.tabs, search)
    assert QApplication.focusWidget() is search.query
    # And from the tab bar itself, where the keyboard is after unlocking: the words typed
    # after the click went nowhere. Clicked through the window system, as a person clicks.
    window.tabs.setCurrentIndex(0)
    bar = window.tabs.tabBar()
    bar.setFocus()
    handle = window.windowHandle()
    assert handle is not None
    where = bar.mapTo(window, bar.tabRect(window.tabs.indexOf(search)).center())
    QTest.mouseClick(handle, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, where)
    qtbot.waitUntil(search.isVisible, timeout=5000)
    assert QApplication.focusWidget() is search.query
    QTest.keyClicks(QApplication.focusWidget(), "anna")  # replaces what was there
    assert search.query.text() == "anna"

    # Walking the tabs with the arrow keys goes past Search: the focus stays on the tab bar.
    window.tabs.setCurrentIndex(window.tabs.indexOf(search) - 1)
    bar.setFocus()
    QTest.keyClick(bar, Qt.Key.Key_Right)
    assert window.tabs.currentWidget() is search and QApplication.focusWidget() is bar
    if window.tabs.indexOf(search) < window.tabs.count() - 1:
        QTest.keyClick(bar, Qt.Key.Key_Right)
        assert window.tabs.currentIndex() == window.tabs.indexOf(search) + 1


def _what(widget: QWidget) -> str:
    if isinstance(widget, QAbstractButton) and widget.text():
        return widget.text()
    return widget.accessibleName() or type(widget).__name__


def _tabbed(qtbot: QtBot, window: QWidget, start: QWidget, key: Qt.Key) -> list[QWidget]:
    """Where real Tab (or Shift+Tab) presses take the focus from `start`, round to it."""
    from PySide6.QtTest import QTest

    start.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(start.hasFocus, timeout=5000)
    visited: list[QWidget] = []
    for _ in range(200):
        widget = QApplication.focusWidget()
        assert widget is not None
        QTest.keyClick(widget, key)
        now = QApplication.focusWidget()
        assert now is not None and now.window() is window
        if now is start:
            return visited
        visited.append(now)
    raise AssertionError("Tab never came back round: " + " / ".join(_what(w) for w in visited[:60]))


def test_tab_follows_reading_order(qtbot: QtBot, shell: SafekeepSession,
                                   make_case: Callable[..., CaseFile]) -> None:
    """Quick exit, Case details…, the notice's Dismiss, the tabs, the page, then the checklist
    (boxes, then steps), and no stop that shows nothing; the first focus is on the tabs."""
    window = _open_main_window(qtbot, shell, make_case)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5000)
    bar = window.tabs.tabBar()
    assert QApplication.focusWidget() is bar  # not the notice's Dismiss
    window.message_bar.show_info("Last opened…", stay=True)  # as on a case opened before
    dismiss = window.message_bar.dismiss_button
    chain = _tabbed(qtbot, window, window.quick_exit_button, Qt.Key.Key_Tab)
    words = " / ".join(_what(w) for w in chain)
    assert chain[:3] == [window.details_button, dismiss, bar], words
    checklist = window.checklist
    first_box = chain.index(checklist.under_18_box)
    page = [w for w in chain if window.evidence.isAncestorOf(w)]
    assert page and all(chain.index(w) < first_box for w in page), words
    steps = [w for w in chain if checklist.isAncestorOf(w) and w is not checklist.under_18_box
             and w is not checklist.in_danger_box]
    assert steps and all(chain.index(w) > first_box for w in steps), words
    assert checklist.scroll_area not in chain and window.evidence.details not in chain
    assert chain[-1] in steps, words  # then round to Quick exit
    back = _tabbed(qtbot, window, window.quick_exit_button, Qt.Key.Key_Backtab)
    assert back == chain[::-1]  # Shift+Tab walks the same way back


def test_a_step_ticked_keeps_its_place_in_the_tab_order(
        qtbot: QtBot, shell: SafekeepSession, make_case: Callable[..., CaseFile]) -> None:
    """Space on a step's box ticks it, and the step is made again: it had become the last
    stop of the window, skipped by Tab from the step above, and reached only by Shift+Tab
    from Quick exit (the arrow keys, which walk the same order, then ran onto Quick exit)."""
    window = _open_main_window(qtbot, shell, make_case)
    checklist = window.checklist
    qtbot.waitUntil(lambda: checklist.state() is not None, timeout=10000)
    first, second, third = list(checklist.items)[:3]
    box = checklist.items[second].check
    before = checklist.items[second]
    box.setFocus(Qt.FocusReason.TabFocusReason)
    QTest.keyClick(box, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: checklist.items[second] is not before  # made again
                    and checklist.items[second].check.isVisible(), timeout=10000)
    assert checklist.items[second].check.isChecked()
    chain = _tabbed(qtbot, window, window.quick_exit_button, Qt.Key.Key_Tab)
    checks = [w for w in chain if any(w is item.check for item in checklist.items.values())]
    in_order = [item.check for item in checklist.items.values() if item.check in checks]
    assert checks == in_order, " / ".join(_what(w) for w in checks)
    place = [chain.index(checklist.items[step].check) for step in (first, second, third)]
    assert place == sorted(place) and chain[-1] is not checklist.items[second].check


def test_ctrl_o_adds_files_from_anywhere_in_the_window(
        qtbot: QtBot, shell: SafekeepSession, make_case: Callable[..., CaseFile]) -> None:
    # It did nothing; "Open" is Ctrl+O in most programs a person knows.
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QFileDialog

    window = _open_main_window(qtbot, shell, make_case)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5000)
    window.show_page(window.payments)
    window.payments.setFocus()
    QTest.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_O,
                   Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentWidget() is window.evidence
    chooser = window.evidence.findChild(QFileDialog)
    assert chooser is not None and chooser.isVisible()
    assert chooser.fileMode() == QFileDialog.FileMode.ExistingFiles
    chooser.reject()
    assert "Ctrl+O" in window.evidence.add_files_button.toolTip()


def test_help_lists_every_key_of_the_main_window(
        qtbot: QtBot, shell: SafekeepSession, make_case: Callable[..., CaseFile]) -> None:
    # It listed Ctrl+L and Ctrl+E; Ctrl+F and Ctrl+O were nowhere a person would look.
    from PySide6.QtWidgets import QLabel

    from app.ui.shell.help_dialog import HelpDialog

    window = _open_main_window(qtbot, shell, make_case)
    keys = {a.shortcut().toString() for a in window.findChildren(QAction)
            if not a.shortcut().isEmpty()}
    keys -= {"F1", "Ctrl+,"}  # Help itself, and Settings (a button beside it)
    assert {"Ctrl+E", "Ctrl+L", "Ctrl+F", "Ctrl+O"} <= keys
    dialog = HelpDialog(under_18=False)
    qtbot.addWidget(dialog)
    said = "\n".join(label.text() for label in dialog.findChildren(QLabel))
    for key in sorted(keys):
        assert f"{key}:" in said, key
