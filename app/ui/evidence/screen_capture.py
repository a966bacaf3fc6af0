""""Take a screenshot": hide Safekeep, count down where the person can see it, grab the screen.

The window hides so the screenshot shows what the person wants to keep (the chat, the
profile), not Safekeep. The countdown is a small window of its own, hidden again just before
the grab so it is not in the picture. It carries *Stop* and its own *Quick exit*: with the main
window hidden, its red button was nowhere for those seconds. The grab stays in memory as a
`QImage`: no file is written; the caller encodes it to PNG in the worker.
"""

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QImage
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.i18n import tr


class _CountdownWindow(QWidget):
    def __init__(self) -> None:
        super().__init__(None, Qt.WindowType.Tool | Qt.WindowType.FramelessWindowHint
                         | Qt.WindowType.WindowStaysOnTopHint)
        self.setAutoFillBackground(True)
        self.setAccessibleName(tr("Screenshot countdown"))
        self.label = QLabel()
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = self.label.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        self.label.setFont(font)
        from app.ui.shell.safety import make_quick_exit_button  # the one red button's look

        self.stop_button = QPushButton(tr("Stop"))
        self.stop_button.setAccessibleDescription(tr("No screenshot: Safekeep comes back."))
        self.quick_exit_button = make_quick_exit_button(self, lambda: None)
        buttons = QHBoxLayout()
        buttons.addWidget(self.stop_button)
        buttons.addStretch(1)
        buttons.addWidget(self.quick_exit_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 18, 24, 18)
        layout.addWidget(self.label)
        layout.addLayout(buttons)

    def say(self, text: str) -> None:
        self.label.setText(text)
        self.adjustSize()


class ScreenCapture(QObject):
    captured = Signal(QImage)
    failed = Signal(str)
    quick_exit_requested = Signal()  # the countdown's own red button

    def __init__(self, parent: QObject | None = None, *, seconds: int = 3,
                 tick_ms: int = 1000, settle_ms: int = 250) -> None:
        super().__init__(parent)
        # Injectable timings: tests use a few milliseconds.
        self.seconds = seconds
        self.tick_ms = tick_ms
        self.settle_ms = settle_ms  # lets the window manager take our windows off screen
        self._left = 0
        self._window: QWidget | None = None
        self._popup = _CountdownWindow()  # a window of its own: ours is hidden meanwhile
        self.destroyed.connect(self._popup.deleteLater)
        self._popup.stop_button.clicked.connect(self.cancel)
        self._popup.quick_exit_button.clicked.connect(self.quick_exit_requested.emit)
        self._ticker = QTimer(self)
        self._ticker.timeout.connect(self._tick)
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.timeout.connect(self._grab)

    def is_running(self) -> bool:
        return self._ticker.isActive() or self._settle.isActive()

    def countdown_text(self) -> str:
        return self._popup.label.text()

    def start(self, window: QWidget | None) -> None:
        if self.is_running():
            return
        self._window = window if window is not None and window.isVisible() else None
        if self._window is not None:
            self._window.hide()
        self._left = max(0, self.seconds)
        if self._left == 0:
            self._settle.start(self.settle_ms)
            return
        self._show_count()
        self._popup.adjustSize()
        screen = QGuiApplication.primaryScreen()
        if screen is not None:
            self._popup.move(screen.availableGeometry().center() - self._popup.rect().center())
        self._popup.show()
        self._popup.raise_()
        # Keys to it, so Esc twice (Quick exit) still works with the main window hidden.
        self._popup.activateWindow()
        self._popup.stop_button.setFocus()  # Space or Enter stops; never Quick exit by chance
        self._ticker.start(self.tick_ms)

    def cancel(self) -> None:
        """*Stop*: no grab, and the window comes back."""
        self.stop(restore=True)

    def stop(self, *, restore: bool) -> None:
        """No grab. At a lock or a Quick exit the window stays hidden (`restore=False`): the
        session decides what shows next, and a Quick exit must show nothing at all."""
        self._ticker.stop()
        self._settle.stop()
        self._popup.hide()
        if restore:
            self._restore()
        else:
            self._window = None

    def _show_count(self) -> None:
        self._popup.say(tr("Taking a screenshot in {n}…\nSafekeep will come back "
                               "straight after.").format(n=self._left))

    def _tick(self) -> None:
        self._left -= 1
        if self._left > 0:
            self._show_count()
            return
        self._ticker.stop()
        self._popup.hide()
        self._settle.start(self.settle_ms)

    def _grab(self) -> None:
        screen = QGuiApplication.primaryScreen()
        image = screen.grabWindow(0).toImage() if screen is not None else QImage()
        self._restore()
        if image.isNull():
            self.failed.emit(tr("The screen could not be captured. You can take a screenshot "
                                "with your computer's own tool and add the file instead."))
        else:
            self.captured.emit(image)

    def _restore(self) -> None:
        window, self._window = self._window, None
        if window is not None:
            window.show()
            window.raise_()
            window.activateWindow()

    def dispose(self) -> None:
        self.stop(restore=False)
        self._popup.deleteLater()
