"""Quick exit, idle lock, lock on screen lock, and what is left after a lock."""

import contextlib
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from app.models.casefile import CaseFile
from app.ui.shell.autolock import InactivityTimer, SessionLockWatcher
from app.ui.shell.main_window import MainWindow
from app.ui.shell.safety import QuickExitShortcut
from app.ui.shell.session import SafekeepSession
from tests.ui.keys import show_active
from tests.ui.shell_support import (
    FakeClock,
    clock,
    closed_case,
    open_case_in_shell,
    open_handles_on,
    settle,
    shell,
    widgets_showing,
)

__all__ = ["clock", "shell"]

MARKER = "Kestrel-Marmalade-42"


@pytest.fixture
def opened(qtbot: QtBot, shell: SafekeepSession,
           make_case: Callable[..., CaseFile]) -> Iterator[tuple[SafekeepSession, Path]]:
    path = closed_case(make_case, display_name=MARKER)
    open_case_in_shell(qtbot, shell, path)
    assert widgets_showing(MARKER), "the case name is on screen while open"
    assert open_handles_on(path), "the case file is open while unlocked"
    yield shell, path


def _focus_widget(window: MainWindow) -> QLineEdit:
    window.activateWindow()
    field = QLineEdit(window)  # a real, focused widget: key events go where a person types
    field.show()
    field.setFocus()
    return field


def test_quick_exit_esc_twice_hides_and_locks_fast(
    qtbot: QtBot, opened: tuple[SafekeepSession, Path]
) -> None:
    session, path = opened
    window = session.main_window
    assert isinstance(window, MainWindow)
    field = _focus_widget(window)
    session.controller.copy_text(MARKER)

    QTest.keyClick(field, Qt.Key.Key_Escape)
    assert window.isVisible() and session.controller.is_open(), "one Esc does nothing"
    started = time.perf_counter()
    QTest.keyClick(field, Qt.Key.Key_Escape)
    elapsed = time.perf_counter() - started

    assert elapsed < 0.1, f"quick exit took {elapsed * 1000:.0f} ms"
    assert not any(w.isVisible() for w in QApplication.topLevelWidgets())
    assert not session.controller.is_open()
    assert open_handles_on(path) == []
    assert QGuiApplication.clipboard().text() == ""
    assert widgets_showing(MARKER) == []


def test_quick_exit_shift_three_times(qtbot: QtBot, opened: tuple[SafekeepSession, Path]) -> None:
    session, _ = opened
    window = session.main_window
    assert isinstance(window, MainWindow)
    field = _focus_widget(window)
    for _ in range(3):
        QTest.keyClick(field, Qt.Key.Key_Shift)
    assert not window.isVisible()
    assert not session.controller.is_open()


def test_quick_exit_button(qtbot: QtBot, opened: tuple[SafekeepSession, Path]) -> None:
    session, path = opened
    window = session.main_window
    assert isinstance(window, MainWindow)
    assert window.quick_exit_button.accessibleName()
    window.quick_exit_button.click()
    assert not window.isVisible() and not session.controller.is_open()
    assert open_handles_on(path) == []


@contextlib.contextmanager
def watching_keys(now: list[float]) -> Iterator[list[bool]]:
    """A Quick exit key watcher on the application, its clock `now[0]`; yields the list that
    gets a True each time it fires. Taken off the application again after."""
    shortcut = QuickExitShortcut(clock=lambda: now[0])
    app = QCoreApplication.instance()
    assert isinstance(app, QApplication)
    shortcut.install(app)
    fired: list[bool] = []
    shortcut.triggered.connect(lambda: fired.append(True))
    try:
        yield fired
    finally:
        app.removeEventFilter(shortcut)


def test_typing_capitals_is_not_a_quick_exit(qtbot: QtBot) -> None:
    now = [0.0]
    field = QLineEdit()
    qtbot.addWidget(field)
    field.show()
    with watching_keys(now) as fired:
        for letter in (Qt.Key.Key_H, Qt.Key.Key_I, Qt.Key.Key_A):
            QTest.keyClick(field, Qt.Key.Key_Shift)
            QTest.keyClick(field, letter, Qt.KeyboardModifier.ShiftModifier)
        QTest.keyClick(field, Qt.Key.Key_Escape)
        now[0] += 2.0  # Esc ... (two seconds) ... Esc is not "twice quickly"
        QTest.keyClick(field, Qt.Key.Key_Escape)
        assert fired == []
        now[0] += 0.3
        QTest.keyClick(field, Qt.Key.Key_Escape)
        assert fired == [True]


def test_an_esc_that_closes_a_drop_down_list_is_not_half_a_quick_exit(qtbot: QtBot) -> None:
    """Esc to close the Text size list, then Esc to close Settings, had quit Safekeep."""
    from PySide6.QtWidgets import QComboBox

    now = [0.0]
    box = QComboBox()
    box.addItems(["Normal", "Large", "Larger"])
    qtbot.addWidget(box)
    show_active(qtbot, box)
    with watching_keys(now) as fired:
        box.showPopup()
        qtbot.waitUntil(lambda: QApplication.activePopupWidget() is not None, timeout=3000)
        popup = QApplication.activePopupWidget()
        QTest.keyClick(popup.focusWidget() or popup, Qt.Key.Key_Escape)
        qtbot.waitUntil(lambda: QApplication.activePopupWidget() is None, timeout=3000)
        now[0] += 0.25
        QTest.keyClick(box, Qt.Key.Key_Escape)
        assert fired == []
        now[0] += 0.25  # Esc twice quickly, with nothing open: still a Quick exit
        QTest.keyClick(box, Qt.Key.Key_Escape)
        assert fired == [True]


def test_idle_lock_with_fake_clock(qtbot: QtBot, opened: tuple[SafekeepSession, Path],
                                   clock: FakeClock) -> None:
    session, path = opened
    window = session.main_window
    assert isinstance(window, MainWindow)
    assert session.idle.timeout_s == 300
    clock.advance(200)
    QTest.keyClick(_focus_widget(window), Qt.Key.Key_A)  # activity resets the count
    clock.advance(200)
    assert not session.idle.check()
    assert session.controller.is_open()
    clock.advance(101)
    qtbot.waitUntil(lambda: not session.controller.is_open(), timeout=3000)  # the real poll
    assert not window.isVisible()
    assert session.unlock_dialog is not None and session.unlock_dialog.isVisible()
    assert open_handles_on(path) == []
    assert widgets_showing(MARKER) == []


def test_the_first_key_after_sleeping_past_the_idle_time_locks(
        qtbot: QtBot, opened: tuple[SafekeepSession, Path], clock: FakeClock) -> None:
    """A laptop shut with the case open and opened hours later, its sleep signal not heard:
    the first key came before the once-a-second poll and counted as the input that kept the
    case open. It locks now, and the key does not reach the window."""
    session, path = opened
    window = session.main_window
    assert isinstance(window, MainWindow)
    field = _focus_widget(window)
    clock.advance(8 * 3600)  # the night, counted as time_including_sleep counts it
    QTest.keyClick(field, Qt.Key.Key_A)  # before any poll: no turn of the loop in between
    assert not session.controller.is_open()
    assert field.text() == ""
    assert not window.isVisible()
    qtbot.waitUntil(lambda: session.unlock_dialog is not None
                    and session.unlock_dialog.isVisible(), timeout=3000)
    assert open_handles_on(path) == []


def test_idle_time_goes_on_counting_while_the_computer_sleeps() -> None:
    """time.monotonic stops while the computer sleeps on Linux and macOS; the idle clock
    must not (Linux: CLOCK_BOOTTIME), and it is what the session uses."""
    import inspect
    import sys

    from app.ui.shell.autolock import time_including_sleep

    assert inspect.signature(SafekeepSession).parameters["clock"].default is time_including_sleep
    assert inspect.signature(InactivityTimer).parameters["clock"].default is time_including_sleep
    if sys.platform.startswith("linux"):
        assert abs(time_including_sleep() - time.clock_gettime(time.CLOCK_BOOTTIME)) < 0.5


def test_inactivity_timer_off_when_zero() -> None:
    now = [0.0]
    timer = InactivityTimer(clock=lambda: now[0])
    timer.set_timeout_minutes(0)
    timer.activate()
    now[0] += 10_000
    assert not timer.check()


def test_after_lock_no_handle_and_no_case_text(
    qtbot: QtBot, opened: tuple[SafekeepSession, Path]
) -> None:
    session, path = opened
    session.lock("button")
    settle(qtbot)
    assert not session.controller.is_open()
    assert open_handles_on(path) == []
    assert widgets_showing(MARKER) == [], "no widget may still show case data after a lock"


def test_clipboard_from_elsewhere_is_left_alone(
    qtbot: QtBot, opened: tuple[SafekeepSession, Path]
) -> None:
    session, _ = opened
    clipboard = QGuiApplication.clipboard()
    clipboard.setText("someone else's shopping list")
    session.clipboard_guard._ours.clear()  # as if another program had put it there
    session.quick_exit()
    assert clipboard.text() == "someone else's shopping list"
    clipboard.clear()


@pytest.mark.skipif(shutil.which("dbus-daemon") is None, reason="needs dbus-daemon")
def test_screen_lock_and_sleep_signals_over_dbus(qtbot: QtBot) -> None:
    from PySide6.QtDBus import QDBusConnection, QDBusMessage

    daemon = subprocess.Popen(
        ["dbus-daemon", "--session", "--print-address", "--nofork", "--nopidfile"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert daemon.stdout is not None
        address = daemon.stdout.readline().strip()
        bus = QDBusConnection.connectToBus(address, "safekeep-test-watch")
        watcher = SessionLockWatcher()
        assert watcher.start_dbus(session_bus=bus, system_bus=bus)
        got: list[str] = []
        watcher.lock_requested.connect(got.append)
        emitter = QDBusConnection.connectToBus(address, "safekeep-test-emit")
        assert emitter.registerService("org.freedesktop.ScreenSaver")
        assert emitter.registerService("org.freedesktop.login1")
        saver, login = "org.freedesktop.ScreenSaver", "org.freedesktop.login1"
        for path, interface, name, args in (
            ("/org/freedesktop/ScreenSaver", saver, "ActiveChanged", [False]),
            ("/org/freedesktop/ScreenSaver", saver, "ActiveChanged", [True]),
            ("/org/freedesktop/login1", f"{login}.Manager", "PrepareForSleep", [True]),
            ("/org/freedesktop/login1/session/_3", f"{login}.Session", "Lock", []),
        ):
            message = QDBusMessage.createSignal(path, interface, name)
            message.setArguments(args)
            assert emitter.send(message)
        qtbot.waitUntil(lambda: len(got) == 3, timeout=5000)
        assert got == ["screensaver", "sleep", "session-lock"]
        QDBusConnection.disconnectFromBus("safekeep-test-watch")
        QDBusConnection.disconnectFromBus("safekeep-test-emit")
    finally:
        daemon.terminate()
        daemon.wait(5)


def test_screen_lock_locks_the_session(qtbot: QtBot, opened: tuple[SafekeepSession, Path]) -> None:
    session, path = opened
    session.platform_watch.lock_requested.emit("screensaver")
    assert not session.controller.is_open()
    assert open_handles_on(path) == []
