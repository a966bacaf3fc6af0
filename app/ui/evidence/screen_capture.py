""""Take a screenshot": hide Safekeep, count down where the person can see it, grab the screen.

The window hides so the screenshot shows what the person wants to keep (the chat, the
profile), not Safekeep. The countdown is a small window of its own, hidden again just before
the grab so it is not in the picture. The grab stays in memory as a `QImage`: no file is
written; the caller encodes it to PNG in the worker.
"""

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QImage
from PySide6.QtWidgets import QLabel, QWidget

from app.i18n import tr


class _CountdownWindow(QLabel):
    def __init__(self) -> None:
        super().__init__(None, Qt.WindowType.Tool | Qt.WindowType.FramelessWindowHint
                         | Qt.WindowType.WindowStaysOnTopHint)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setMargin(24)
        self.setAutoFillBackground(True)
        font = self.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        self.setFont(font)
        self.setAccessibleName(tr("Screenshot countdown"))


class ScreenCapture(QObject):
    captured = Signal(QImage)
    failed = Signal(str)

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
        self._ticker = QTimer(self)
        self._ticker.timeout.connect(self._tick)
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.timeout.connect(self._grab)

    def is_running(self) -> bool:
        return self._ticker.isActive() or self._settle.isActive()

    def countdown_text(self) -> str:
        return self._popup.text()

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
        self._ticker.start(self.tick_ms)

    def cancel(self) -> None:
        """Stop without grabbing (the case was locked) and bring the window back."""
        self._ticker.stop()
        self._settle.stop()
        self._popup.hide()
        self._restore()

    def _show_count(self) -> None:
        self._popup.setText(tr("Taking a screenshot in {n}…\nSafekeep will come back "
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
        self.cancel()
        self._popup.deleteLater()
