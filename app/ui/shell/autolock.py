"""Locking without being asked: after idle time, and when the computer locks or sleeps.

`InactivityTimer` follows KeePassXC's (`src/gui/osutils/...InactivityTimer`): an application
event filter notes the time of the last keyboard or mouse input in any Safekeep window, and a
slow poll compares it with the timeout. The clock is injectable so a test can jump ahead five
minutes without waiting.

`SessionLockWatcher` listens for the platform telling us the screen is locking or the machine is
going to sleep:
- Linux, via QtDBus (part of PySide6-Essentials): logind `PrepareForSleep(true)` and a session's
  `Lock` on the system bus; `ActiveChanged(true)` of the freedesktop, GNOME or KDE screensaver
  on the session bus. Without a bus (a container, some minimal desktops) it quietly does nothing.
- Windows: `WM_WTSSESSION_CHANGE` (screen lock, user switch) after
  `WTSRegisterSessionNotification`, and `WM_POWERBROADCAST`/`PBT_APMSUSPEND` (sleep), read from
  the main window's `nativeEvent` by `windows_lock_message`. Written to the Win32 documentation
  but only exercised on Linux so far.
- macOS: not implemented (would need `NSWorkspace` notifications through PyObjC).
"""

from __future__ import annotations

import functools
import logging
import sys
import time
from collections.abc import Callable
from enum import StrEnum
from functools import cache
from typing import Any

from PySide6.QtCore import QEvent, QObject, QTimer, Signal, Slot

log = logging.getLogger(__name__)


def time_including_sleep() -> float:
    """Seconds from a fixed point, still counting while the computer sleeps. `time.monotonic`
    stops then on Linux (CLOCK_MONOTONIC) and on macOS (mach_absolute_time): a laptop shut
    for a night, where the system's sleep signal is not heard (no logind on the bus; macOS,
    not listened to at all), woke with its idle time where it was, the case open on screen."""
    return _sleep_counting_clock()()


@cache
def _sleep_counting_clock() -> Callable[[], float]:
    if hasattr(time, "CLOCK_BOOTTIME"):  # Linux: monotonic, and counts suspended time
        return functools.partial(time.clock_gettime, time.CLOCK_BOOTTIME)
    if sys.platform == "darwin":  # here CLOCK_MONOTONIC counts sleep; mach_absolute_time not
        return functools.partial(time.clock_gettime, time.CLOCK_MONOTONIC)
    # Windows: Python 3.11's monotonic is GetTickCount64, which counts sleep (and the main
    # window hears PBT_APMSUSPEND before it, see windows_lock_message).
    return time.monotonic


class LockReason(StrEnum):
    """Why the case is being locked: logged, never shown. Spelled only here."""

    BUTTON = "button"  # the person asked: the Lock button, or its shortcut Ctrl+L
    IDLE = "idle"  # no input for the auto-lock time
    SESSION_LOCK = "session-lock"  # the computer's screen locked, or the user was switched
    SLEEP = "sleep"  # the computer is going to sleep
    SCREENSAVER = "screensaver"  # the desktop's screensaver started


@cache
def _activity_events() -> frozenset[QEvent.Type]:
    # Built on first use: PySide6 materialises the (large) QEvent.Type enum lazily, and there
    # is no need to pay for that before the first window shows.
    return frozenset({
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.TabletPress,
    })


class InactivityTimer(QObject):
    """Emits `inactivity_detected` once after `timeout_s` without input; then rests until
    `activate()` is called again (after the next unlock)."""

    inactivity_detected = Signal()

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        clock: Callable[[], float] = time_including_sleep,
        poll_ms: int = 1000,
    ) -> None:
        super().__init__(parent)
        self._clock = clock
        self._timeout_s = 0.0
        self._last_input = clock()
        self._active = False
        self._poll = QTimer(self)
        self._poll.setInterval(poll_ms)
        self._poll.timeout.connect(self.check)

    def set_timeout_minutes(self, minutes: float) -> None:
        """0 turns idle locking off."""
        self._timeout_s = max(0.0, minutes * 60.0)
        if self._active and self._timeout_s > 0:
            self._poll.start()
        elif self._timeout_s == 0:
            self._poll.stop()

    @property
    def timeout_s(self) -> float:
        return self._timeout_s

    def is_active(self) -> bool:
        return self._active

    def activate(self) -> None:
        self._active = True
        self._last_input = self._clock()
        if self._timeout_s > 0:
            self._poll.start()

    def deactivate(self) -> None:
        self._active = False
        self._poll.stop()

    def note_activity(self) -> None:
        self._last_input = self._clock()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _activity_events():
            # The time may be up before the poll has seen it (the computer just woke from
            # sleep, the poll due within a second): the first key or movement must lock,
            # not count as the input that keeps the case open, and not reach the window.
            if self.check():
                return True
            self._last_input = self._clock()
        return False

    @Slot()
    def check(self) -> bool:
        """Compare now with the last input; emit (once) when the time is up."""
        if not self._active or self._timeout_s <= 0:
            return False
        if self._clock() - self._last_input >= self._timeout_s:
            self.deactivate()
            self.inactivity_detected.emit()
            return True
        return False


# (service, path, interface, signal) on the session bus whose bool argument means "locked".
_SCREENSAVERS = (
    ("org.freedesktop.ScreenSaver", "/org/freedesktop/ScreenSaver", "org.freedesktop.ScreenSaver"),
    ("org.freedesktop.ScreenSaver", "/ScreenSaver", "org.freedesktop.ScreenSaver"),  # KDE
    ("org.gnome.ScreenSaver", "/org/gnome/ScreenSaver", "org.gnome.ScreenSaver"),
)


class SessionLockWatcher(QObject):
    """Emits `lock_requested(reason)` when the platform says the screen locks or it sleeps."""

    lock_requested = Signal(object)  # a LockReason

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.hooked: list[str] = []  # what we managed to listen to, for tests and diagnostics

    def start_dbus(
        self, session_bus: object | None = None, system_bus: object | None = None
    ) -> bool:
        """Connect to the buses (or the ones given, for tests). False if nothing was hooked."""
        if not sys.platform.startswith("linux") and session_bus is None and system_bus is None:
            return False
        try:
            from PySide6.QtDBus import QDBusConnection
        except ImportError:  # a build of PySide6 without QtDBus: nothing to listen to
            return False
        session = session_bus if session_bus is not None else QDBusConnection.sessionBus()
        system = system_bus if system_bus is not None else QDBusConnection.systemBus()
        assert isinstance(session, QDBusConnection) and isinstance(system, QDBusConnection)
        if system.isConnected():
            if self._listen(system, "org.freedesktop.login1", "/org/freedesktop/login1",
                            "org.freedesktop.login1.Manager", "PrepareForSleep",
                            "_on_prepare_for_sleep(bool)"):
                self.hooked.append("login1.PrepareForSleep")
            # Any session's Lock: we do not know our session's object path without a blocking
            # call at start-up, and locking when another session locks is harmless.
            if self._listen(system, "org.freedesktop.login1", "",
                            "org.freedesktop.login1.Session", "Lock", "_on_session_lock()"):
                self.hooked.append("login1.Session.Lock")
        if session.isConnected():
            for service, path, interface in _SCREENSAVERS:
                if self._listen(session, service, path, interface, "ActiveChanged",
                                "_on_screensaver_active(bool)"):
                    self.hooked.append(f"{interface}.ActiveChanged@{path}")
        return bool(self.hooked)

    def _listen(self, bus: object, service: str, path: str, interface: str, name: str,
                slot: str) -> bool:
        from PySide6.QtCore import SLOT

        # PySide6's stub says the slot is bytes, but only the str from SLOT() is accepted.
        connect: Any = getattr(bus, "connect")  # noqa: B009
        return bool(connect(service, path, interface, name, self, SLOT(slot)))

    @Slot(bool)
    def _on_prepare_for_sleep(self, starting: bool) -> None:
        if starting:
            self.lock_requested.emit(LockReason.SLEEP)

    @Slot()
    def _on_session_lock(self) -> None:
        self.lock_requested.emit(LockReason.SESSION_LOCK)

    @Slot(bool)
    def _on_screensaver_active(self, active: bool) -> None:
        if active:
            self.lock_requested.emit(LockReason.SCREENSAVER)


# -- Windows ---------------------------------------------------------------------------------

WM_WTSSESSION_CHANGE = 0x02B1
WM_POWERBROADCAST = 0x0218
WTS_CONSOLE_DISCONNECT = 0x2
WTS_REMOTE_DISCONNECT = 0x4
WTS_SESSION_LOCK = 0x7
PBT_APMSUSPEND = 0x4
NOTIFY_FOR_THIS_SESSION = 0


def register_windows_session_notifications(win_id: int) -> bool:
    """Ask Windows to send WM_WTSSESSION_CHANGE to this window. False elsewhere or on failure."""
    if sys.platform != "win32":
        return False
    import ctypes  # only on Windows, and only after the first window shows

    try:
        wtsapi = ctypes.WinDLL("wtsapi32")  # type: ignore[attr-defined,unused-ignore]
        return bool(wtsapi.WTSRegisterSessionNotification(ctypes.c_void_p(win_id),
                                                          NOTIFY_FOR_THIS_SESSION))
    except OSError:
        log.warning("Session notifications are not available; idle lock still works.")
        return False


def windows_lock_message(event_type: bytes, message: int) -> LockReason | None:
    """Read a native Windows message; return a lock reason, or None for anything else."""
    native_types = (b"windows_generic_MSG", b"windows_dispatcher_MSG")
    if sys.platform != "win32" or event_type not in native_types:
        return None
    from ctypes import wintypes

    msg = wintypes.MSG.from_address(int(message))
    if msg.message == WM_WTSSESSION_CHANGE and msg.wParam in (
        WTS_SESSION_LOCK, WTS_CONSOLE_DISCONNECT, WTS_REMOTE_DISCONNECT
    ):
        return LockReason.SESSION_LOCK
    if msg.message == WM_POWERBROADCAST and msg.wParam == PBT_APMSUSPEND:
        return LockReason.SLEEP
    return None
