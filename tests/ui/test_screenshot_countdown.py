""""Take a screenshot", tried by hand. The main window hides for the countdown, and with it the
only Quick exit: for those seconds a person had no way out, and a Quick exit reached then (Esc
twice, the lock) showed the main window again as it cancelled the countdown. The grab of a
screen the desktop keeps from programs (black, on Wayland through XWayland) was kept as
evidence, "1 added". Now the countdown carries Stop and its own Quick exit, a lock keeps the
window hidden, and a grab of one plain colour is not kept."""

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot

from app.core.records import list_evidence
from app.models.casefile import CaseFile
from app.ui.evidence.view import EvidenceView
from app.ui.kit.controller import CaseController
from app.ui.shell.session import SafekeepSession
from tests.ui.shell_support import (
    click_as_a_person,
    clock,
    closed_case,
    nothing_shown,
    open_case_in_shell,
    open_handles_on,
    settle,
    shell,
)
from tests.ui.views_support import controller_fixture, run_in_case  # noqa: F401

__all__ = ["clock", "shell"]


def _countdown() -> QWidget:
    shown = [w for w in QApplication.topLevelWidgets()
             if w.accessibleName() == "Screenshot countdown" and w.isVisible()]
    assert len(shown) == 1
    return shown[0]


def _counting_down(qtbot: QtBot, shell: SafekeepSession,
                   make_case: Callable[..., CaseFile]) -> tuple[EvidenceView, QWidget]:
    open_case_in_shell(qtbot, shell, closed_case(make_case))
    window = shell.main_window
    assert window is not None
    view = window.show_view("evidence")
    assert isinstance(view, EvidenceView)
    view.capture.seconds = 60  # long enough that nothing is grabbed during the test
    click_as_a_person(view.screenshot_button)
    assert not window.isVisible()  # the window steps aside for the screenshot
    countdown = _countdown()
    qtbot.waitExposed(countdown)
    return view, countdown


def _buttons(countdown: QWidget) -> dict[str, QWidget]:
    from PySide6.QtWidgets import QPushButton

    return {b.text(): b for b in countdown.findChildren(QPushButton)}


def test_the_countdown_has_its_own_quick_exit(
        qtbot: QtBot, shell: SafekeepSession, make_case: Callable[..., CaseFile]) -> None:
    view, countdown = _counting_down(qtbot, shell, make_case)
    path = shell.case_path
    quick_exit = _buttons(countdown)["Quick exit"]
    assert quick_exit.objectName() == "QuickExit"  # the same red button as everywhere
    click_as_a_person(quick_exit)  # type: ignore[arg-type]
    assert nothing_shown()
    assert not shell.controller.is_open()
    assert path is not None and open_handles_on(path) == []
    QTest.qWait(100)  # the countdown's timers are stopped: nothing comes back
    assert nothing_shown() and not view.capture.is_running()


def test_esc_twice_during_the_countdown_is_a_quick_exit_that_shows_nothing(
        qtbot: QtBot, shell: SafekeepSession, make_case: Callable[..., CaseFile]) -> None:
    """The countdown takes the keys, so the shortcut still works with the main window
    hidden; and the lock that follows leaves it hidden (cancelling had shown it again)."""
    _view, countdown = _counting_down(qtbot, shell, make_case)
    qtbot.waitUntil(countdown.isActiveWindow, timeout=5000)
    shown: list[str] = []
    assert shell.main_window is not None
    window = shell.main_window
    window.installEventFilter(watcher := _ShowWatcher(shown))
    QTest.keyClick(countdown, Qt.Key.Key_Escape)
    QTest.keyClick(countdown, Qt.Key.Key_Escape)
    assert nothing_shown()
    assert not shell.controller.is_open()
    assert shown == []  # not even for a moment
    window.removeEventFilter(watcher)


def test_stop_brings_the_window_back_and_adds_nothing(
        qtbot: QtBot, shell: SafekeepSession, make_case: Callable[..., CaseFile]) -> None:
    view, countdown = _counting_down(qtbot, shell, make_case)
    click_as_a_person(_buttons(countdown)["Stop"])  # type: ignore[arg-type]
    assert shell.main_window is not None and shell.main_window.isVisible()
    assert not countdown.isVisible() and not view.capture.is_running()
    settle(qtbot)
    case = shell.controller.case
    assert case is not None and list_evidence(case) == []


def test_a_lock_during_the_countdown_asks_for_the_passphrase_with_the_window_hidden(
        qtbot: QtBot, shell: SafekeepSession, make_case: Callable[..., CaseFile]) -> None:
    _counting_down(qtbot, shell, make_case)
    assert shell.main_window is not None
    window = shell.main_window
    shown: list[str] = []
    window.installEventFilter(watcher := _ShowWatcher(shown))
    shell.lock()
    settle(qtbot)
    assert shell.unlock_dialog is not None and shell.unlock_dialog.isVisible()
    assert not window.isVisible() and shown == []
    window.removeEventFilter(watcher)


class _ShowWatcher(QWidget):
    """Notes every Show event of the widget it watches."""

    def __init__(self, shown: list[str]) -> None:
        super().__init__()
        self._shown = shown

    def eventFilter(self, watched: object, event: object) -> bool:
        from PySide6.QtCore import QEvent

        if isinstance(event, QEvent) and event.type() == QEvent.Type.Show:
            self._shown.append(type(watched).__name__)
        return False


def _grab(qtbot: QtBot, controller: CaseController, image: QImage) -> EvidenceView:
    view = EvidenceView(controller)
    qtbot.addWidget(view)
    view.reload()
    settle(qtbot)
    view.capture.captured.emit(image)  # what the grab hands over
    qtbot.waitUntil(lambda: not view.is_busy(), timeout=30000)
    settle(qtbot)
    return view


def test_a_grab_of_one_plain_colour_is_not_kept(qtbot: QtBot, controller: CaseController) -> None:
    black = QImage(1920, 1080, QImage.Format.Format_RGB32)
    black.fill(QColor("black"))
    view = _grab(qtbot, controller, black)
    assert "one plain colour, so nothing was added" in view.result_label.text()
    assert run_in_case(qtbot, controller, list_evidence) == []


def test_a_grab_with_one_pixel_of_something_is_kept(
        qtbot: QtBot, controller: CaseController) -> None:
    image = QImage(1920, 1080, QImage.Format.Format_ARGB32)
    image.fill(QColor("black"))
    image.setPixelColor(1919, 1079, QColor("#010000"))  # the very last pixel
    view = _grab(qtbot, controller, image)
    assert view.result_label.text() == "1 added."
    [kept] = run_in_case(qtbot, controller, list_evidence)  # type: ignore[misc]
    assert kept.source == "screen-capture" and kept.width == 1920


def test_a_real_screen_with_a_chat_on_it_is_kept(qtbot: QtBot,
                                                 controller: CaseController) -> None:
    """Through the real grab, with something on the screen that is not Safekeep."""
    chat = QLabel("Anna: pay or I send it")
    chat.setStyleSheet("background: white; color: black; font-size: 28px; padding: 40px")
    qtbot.addWidget(chat)
    chat.show()
    qtbot.waitExposed(chat)
    view = EvidenceView(controller)
    qtbot.addWidget(view)
    view.capture.seconds, view.capture.tick_ms, view.capture.settle_ms = 1, 30, 50
    view.show()
    qtbot.waitExposed(view)
    view.take_screenshot()
    qtbot.waitUntil(lambda: view.isVisible() and not view.capture.is_running(), timeout=5000)
    qtbot.waitUntil(lambda: not view.is_busy(), timeout=30000)
    settle(qtbot)
    assert view.result_label.text() == "1 added."


def test_the_keys_start_on_stop(
        qtbot: QtBot, shell: SafekeepSession, make_case: Callable[..., CaseFile]) -> None:
    """A key pressed without thinking (Space, Enter) stops the countdown: it never reaches
    Quick exit, which would close everything."""
    _view, countdown = _counting_down(qtbot, shell, make_case)
    qtbot.waitUntil(countdown.isActiveWindow, timeout=5000)
    assert QApplication.focusWidget() is _buttons(countdown)["Stop"]
    from app.ui.kit.enter_on_buttons import EnterPressesFocusedButton

    enter = EnterPressesFocusedButton()  # as the app's watchers have it (AppFilters)
    app = QApplication.instance()
    assert app is not None
    app.installEventFilter(enter)
    try:
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    finally:
        app.removeEventFilter(enter)
    window = shell.main_window
    assert window is not None
    qtbot.waitUntil(window.isVisible, timeout=5000)  # pressed as Space shows it, briefly
    assert shell.controller.is_open() and not countdown.isVisible()
