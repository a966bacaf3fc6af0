"""The session's application-wide watchers listen through one event filter (app_filters.py).

Each filter Qt calls is a call from C++ into Python; three per event made every event of the
start-up wait three times for the interpreter lock a worker was importing with (issue 18).
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from app.ui.shell.app_filters import AppFilters
from app.ui.shell.session import FILTERS_HELD_AT_MOST_MS, SafekeepSession
from tests.ui.shell_support import clock, shell  # noqa: F401  (fixtures)


class Watcher(QObject):
    def __init__(self, name: str, seen: list[str], swallow: bool = False) -> None:
        super().__init__()
        self.name = name
        self.seen = seen
        self.swallow = swallow
        self.callers: list[str] = []

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.User:
            self.seen.append(self.name)
            # Who called: Qt (straight from `send`, through C++) or the one Python filter.
            self.callers.append(sys._getframe(1).f_code.co_name)
            return self.swallow
        return False


class Target(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.got = 0

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.User:
            self.got += 1
            return True
        return super().event(event)


def send(target: QWidget) -> None:
    QApplication.sendEvent(target, QEvent(QEvent.Type.User))


def test_watchers_are_asked_last_installed_first_and_one_can_swallow(qtbot: QtBot) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    seen: list[str] = []
    filters = AppFilters(app)
    first, second = Watcher("first", seen), Watcher("second", seen)
    filters.install(first)
    filters.install(second)
    target = Target()
    qtbot.addWidget(target)
    try:
        send(target)
        assert seen == ["second", "first"] and target.got == 1  # as Qt orders its own filters
        # One call into Python per event: the second watcher is asked from Python, not by Qt.
        assert first.callers == second.callers == ["eventFilter"]
        seen.clear()
        second.swallow = True
        send(target)
        assert seen == ["second"] and target.got == 1  # swallowed: neither first nor target
        second.swallow = False
        seen.clear()
        with filters.paused(lambda: []):
            send(target)
            assert seen == []
        send(target)
        assert seen == ["second", "first"]
        seen.clear()
    finally:
        filters.remove_all()
    send(target)
    assert seen == [] and target.got == 4


class Ready(QObject):
    now = Signal()


def test_held_until_ready_or_at_most_the_bound(qtbot: QtBot) -> None:
    """At start-up the watchers wait for PySide's types (session.py): until the signal, or
    the bound if it never comes; a pause inside the hold does not end it."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    seen: list[str] = []
    target = Target()
    qtbot.addWidget(target)
    for signal_comes in (True, False):
        filters = AppFilters(app)
        ready = Ready()
        filters.hold_until(ready.now, at_most_ms=300 if signal_comes else 100)
        filters.install(Watcher("watcher", seen))
        try:
            send(target)
            with filters.paused(lambda: []):
                pass
            send(target)
            assert seen == [] and filters.is_paused()
            if signal_comes:
                ready.now.emit()
            else:
                qtbot.waitUntil(lambda f=filters: not f.is_paused(), timeout=2000)
            assert not filters.is_paused()
            send(target)
            assert seen == ["watcher"]
            ready.now.emit()  # a late signal, or the bound after the signal: no second release
            qtbot.wait(400)
            assert not filters.is_paused()
            with filters.paused(lambda: []):
                assert filters.is_paused()
            assert not filters.is_paused()
        finally:
            filters.remove_all()
            seen.clear()


def test_the_session_listens_once_the_types_are_made(
        qtbot: QtBot, shell: SafekeepSession) -> None:  # noqa: F811  (the fixture)
    assert shell.filters.is_paused(), "held from the start"
    qtbot.waitUntil(lambda: shell.type_warm_up.done, timeout=FILTERS_HELD_AT_MOST_MS * 5)
    assert not shell.filters.is_paused()


def test_once_the_first_window_shows_the_key_watchers_are_listening(
        qtbot: QtBot, shell: SafekeepSession) -> None:  # noqa: F811  (the fixture)
    """The window's keys before a text box's (kit/window_keys.py) and a space in a list box's
    typed name (kit/combo_search.py) are watched app-wide, from the first window on."""
    from app.ui.kit.combo_search import ListBoxKeys
    from app.ui.kit.window_keys import WindowKeysFirst

    welcome = shell.start()
    welcome.show()
    qtbot.waitUntil(lambda: shell.filters.wheel_guard is not None, timeout=5000)
    kinds = {type(w) for w in shell.filters.watchers}
    assert {WindowKeysFirst, ListBoxKeys} <= kinds
