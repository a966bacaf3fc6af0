"""Quick exit, and taking case data back off the clipboard.

Quick exit follows the GOV.UK "Exit this page" pattern: one always-visible button and a
shortcut nobody presses by accident but anyone can press in a panic (Esc twice quickly, or
Shift three times). It first hides every window -- that is what protects a person when someone
walks in, so it happens before anything else -- then locks the case and clears the clipboard if
it holds something Safekeep put there, then quits. The next start asks for the passphrase.

Idle lock and lock on screen lock / sleep live in `app.ui.shell.autolock`.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtGui import QGuiApplication, QKeyEvent
from PySide6.QtWidgets import QApplication, QDialog, QPushButton, QWidget

__all__ = [
    "ClipboardGuard",
    "QuickExitShortcut",
    "close_open_dialogs",
    "hide_all_windows",
    "make_quick_exit_button",
]

ESC_WINDOW_S = 0.6  # Esc, Esc within this time
SHIFT_WINDOW_S = 1.2  # Shift x3 within this time


class ClipboardGuard(QObject):
    """Remembers fingerprints of what Safekeep put on the clipboard, to clear only that.

    We never clear a clipboard that holds someone else's data (that would be surprising and
    could lose their work). A fingerprint is a SHA-256 of the content, so the guard itself holds
    no case data. Copies made while Safekeep is the active application count as ours: Qt's own
    widgets (Ctrl+C in a text field) copy without telling us, and the platform's "this process
    owns the clipboard" flag is not available everywhere.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ours: set[str] = set()
        self._clipboard = QGuiApplication.clipboard()
        self._clipboard.dataChanged.connect(self._on_changed)

    def _fingerprint(self) -> str | None:
        mime = self._clipboard.mimeData()
        if mime is None:
            return None
        import hashlib  # at the first copy, not before the first window (OpenSSL, about 3 ms)

        digest = hashlib.sha256()
        found = False
        if mime.hasText():
            digest.update(b"text\0" + mime.text().encode("utf-8", "surrogatepass"))
            found = True
        if mime.hasImage():
            image = self._clipboard.image()
            if not image.isNull():
                digest.update(b"image\0" + bytes(image.constBits()))
                found = True
        if mime.hasUrls():
            digest.update(b"urls\0" + "\n".join(u.toString() for u in mime.urls()).encode())
            found = True
        return digest.hexdigest() if found else None

    def _on_changed(self) -> None:
        from PySide6.QtCore import Qt  # imported late: see the note in _on_key

        if self._clipboard.ownsClipboard() or (
            QGuiApplication.applicationState() == Qt.ApplicationState.ApplicationActive
        ):
            self.remember()

    def remember(self) -> None:
        """Mark what is on the clipboard now as Safekeep's."""
        fingerprint = self._fingerprint()
        if fingerprint is not None:
            self._ours.add(fingerprint)

    def holds_ours(self) -> bool:
        if self._clipboard.ownsClipboard():
            return True
        fingerprint = self._fingerprint()
        return fingerprint is not None and fingerprint in self._ours

    def clear_if_ours(self) -> bool:
        cleared = False
        if self.holds_ours():
            self._clipboard.clear()
            cleared = True
        self._ours.clear()
        return cleared


class QuickExitShortcut(QObject):
    """Application-wide key watcher: Esc twice quickly, or Shift three times -> `triggered`.
    An Esc that closes a drop-down list or a menu is not one of the two.

    An application event filter sees a key press once per widget it propagates through, so we
    count only the first, spontaneous delivery to a widget (Qt clears `spontaneous()` when it
    propagates to a parent) and skip the QWindow stage that comes before it.
    """

    triggered = Signal()

    def __init__(
        self, parent: QObject | None = None, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        super().__init__(parent)
        self._clock = clock
        self._esc_at: float | None = None
        self._shift_times: list[float] = []

    def install(self, app: QApplication) -> None:
        app.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and watched.isWidgetType() and event.spontaneous():
            assert isinstance(event, QKeyEvent)
            self._on_key(event)
        return False  # never swallow: Esc still closes a dialog as usual

    def _on_key(self, event: QKeyEvent) -> None:
        if event.isAutoRepeat():
            return  # holding a key down is not "pressing it twice"
        # `Qt` is imported here, not at module level: importing it builds every Qt enum
        # (~12 ms), which would otherwise be paid before the first window shows.
        from PySide6.QtCore import Qt

        now = self._clock()
        key = event.key()
        if key == Qt.Key.Key_Escape and QApplication.activePopupWidget() is not None:
            # It closes an open drop-down list or menu, and counts for nothing: Esc to close
            # the Text size list, then Esc to close Settings, had quit Safekeep.
            self._esc_at = None
            self._shift_times.clear()
        elif key == Qt.Key.Key_Escape:
            self._shift_times.clear()
            if self._esc_at is not None and now - self._esc_at <= ESC_WINDOW_S:
                self._esc_at = None
                self.triggered.emit()
            else:
                self._esc_at = now
        elif key == Qt.Key.Key_Shift:
            self._esc_at = None
            self._shift_times = [t for t in self._shift_times if now - t <= SHIFT_WINDOW_S]
            self._shift_times.append(now)
            if len(self._shift_times) >= 3:
                self._shift_times.clear()
                self.triggered.emit()
        else:
            # Any other key breaks the sequence: typing "Hello" (Shift+h) three times in a
            # sentence must not close the app.
            self._esc_at = None
            self._shift_times.clear()


def hide_all_windows() -> None:
    """Hide every top-level window at once, before doing anything slower."""
    for widget in QApplication.topLevelWidgets():
        if widget.isVisible():
            widget.hide()  # synchronous: the platform window is unmapped right here


def close_open_dialogs(keep: tuple[QWidget, ...] = ()) -> None:
    """Reject every open dialog (export, settings, file pickers...) except those in `keep`.

    Run on lock: an open dialog may show case data, and a person coming back must meet the
    unlock screen, not a half-filled form.
    """
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QDialog) and widget.isVisible() and widget not in keep:
            widget.reject()


QUICK_EXIT_STYLE = (
    # The only alarm colour in Safekeep: it must be found in a panic, at a glance.
    "QPushButton#QuickExit { background: #b3261e; color: white; font-weight: bold;"
    " border: 1px solid #8c1d18; border-radius: 4px; padding: 6px 14px; }"
    "QPushButton#QuickExit:hover { background: #9c2119; }"
    "QPushButton#QuickExit:focus { border: 2px solid palette(highlight); }"
)


def make_quick_exit_button(parent: QWidget | None, on_click: Callable[[], None]) -> QPushButton:
    from app.i18n import tr

    button = QPushButton(tr("Quick exit"), parent)
    button.setObjectName("QuickExit")
    from app.ui.kit.app_font import set_sheet_keeping_text_size

    set_sheet_keeping_text_size(button, QUICK_EXIT_STYLE)
    button.setAccessibleName(tr("Quick exit"))
    button.setAccessibleDescription(tr("Hides Safekeep at once and locks the case."))
    button.setToolTip(tr("Hide Safekeep now and lock the case.\n"
                         "Shortcut: press Esc twice, or Shift three times."))
    # In a dialog, an Enter meant for a field must never hide everything: Space or a click.
    from app.ui.kit.calm_dialog import keep_from_enter

    keep_from_enter(button)
    button.clicked.connect(lambda: on_click())
    return button
