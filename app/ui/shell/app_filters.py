"""The session's application-wide event filters, and building many widgets without them.

Eight filters watch every event of the application from Python: Quick exit's keys
(safety.py), the idle timer's input (autolock.py), the wheel guard (kit/wheel_guard.py),
Enter on a focused button (kit/enter_on_buttons.py), the window's keys before a text box's
(kit/window_keys.py), a list box's keys: a space in its typed search, Tab in its open
list (kit/combo_search.py), whether a key or the mouse was pressed last (the focus ring,
kit/focus_ring.py), and Ctrl+Tab and its kin for the parts of the case (tab_keys.py).
Each event costs a call into Python per filter. Building the main window sends about 5,600
events (children added, parents changed, polish, property changes), none of them input: with
the filters listening, building and first showing the window took about twice as long, in
turns during which the window on screen could not answer.

They are installed as one: `_OneFilter` is the application's only Python event filter and asks
each watcher in turn (the last installed first, as Qt would). Each filter Qt calls costs a call
from C++ into Python, which must take the interpreter lock; while the case's packages import
in a worker at start-up, each such call could wait for that worker, so one call per event in
place of several left the window on screen answering sooner.

At start-up they wait (`hold_until`) until PySide has made its types, a few per turn
(kit/qt_types.py): the first object of a class PySide does not bind that reaches a Python
filter (an input method's QComposeInputContext on X11 as the first window shows, PySide's own
SenderSignalDeletionTracker, an animation's timer) makes PySide build every type not made yet
in one go, about 40 ms. On an X display that happened before the first window was up. Meanwhile
no key reaches Quick exit's watcher (its button works) for the fraction of a second it takes.

`paused()` takes the filters off for a block of work that makes or shows widgets and returns
without running the event loop (a step of the main window's build, showing it). No input is
missed: input only arrives through the event loop, which does not run inside the block. The
wheel guard acts on each box as it is polished, so after the block the boxes under the roots
given are put right at once (the guard's own rule, `calm_boxes_in`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer, SignalInstance
from PySide6.QtWidgets import QApplication, QWidget

if TYPE_CHECKING:
    from app.ui.kit.focus_ring import FocusRing


class _OneFilter(QObject):
    """The application's event filter that stands for all the session's watchers."""

    def __init__(self, watchers: list[QObject]) -> None:
        super().__init__()
        self._watchers = watchers  # AppFilters' own list, in the order installed

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        for watcher in reversed(self._watchers):
            if watcher.eventFilter(watched, event):
                return True
        return False


class AppFilters:
    def __init__(self, app: QApplication) -> None:
        self._app = app
        self._filters: list[QObject] = []  # in the order installed
        self._one = _OneFilter(self._filters)
        self._installed = False
        self._paused = 0
        self.wheel_guard: QObject | None = None
        self.focus_ring: FocusRing | None = None

    @property
    def watchers(self) -> list[QObject]:
        return list(self._filters)

    def install(self, watcher: QObject) -> None:
        self._filters.append(watcher)
        if not self._paused:
            self._listen(True)

    def _listen(self, on: bool) -> None:
        if on and not self._installed:
            self._app.installEventFilter(self._one)
        elif not on and self._installed:
            self._app.removeEventFilter(self._one)
        self._installed = on

    def install_wheel_guard(self) -> None:
        """Once (after the first window shows: loading the guard cost the first window 20 ms),
        with the watcher that lets Enter press a focused button (kit/enter_on_buttons.py) and
        the ring that shows which button that is (kit/focus_ring.py), and the
        watcher that keeps Ctrl+E and the window's other keys from a text box
        (kit/window_keys.py), and the one that keeps a space typed in a list box's name
        (kit/combo_search.py)."""
        if self.wheel_guard is None:
            from app.ui.kit.combo_search import ListBoxKeys
            from app.ui.kit.enter_on_buttons import EnterPressesFocusedButton
            from app.ui.kit.focus_ring import FocusRing
            from app.ui.kit.wheel_guard import WheelGuard
            from app.ui.kit.window_keys import WindowKeysFirst
            from app.ui.shell.tab_keys import TabKeys

            self.focus_ring = FocusRing(self._app)
            self.install(self.focus_ring)  # it notes whether a key or the mouse came last

            self.install(WindowKeysFirst(self._app))
            self.install(TabKeys(self._app))
            self.install(ListBoxKeys(self._app))
            self.install(EnterPressesFocusedButton(self._app))
            self.wheel_guard = WheelGuard(self._app)
            self.install(self.wheel_guard)

    def remove_all(self) -> None:
        self._listen(False)
        self._filters.clear()
        if self.focus_ring is not None:
            self.focus_ring.stop()
            self.focus_ring = None

    def is_paused(self) -> bool:
        return self._paused > 0

    def hold_until(self, ready: SignalInstance, at_most_ms: int) -> None:
        """Not listening until `ready` is emitted, or for `at_most_ms` at most."""
        held = [True]

        def release() -> None:
            if held[0]:
                held[0] = False
                self.release(QApplication.topLevelWidgets())

        self.hold()
        ready.connect(release)
        QTimer.singleShot(at_most_ms, release)

    def hold(self) -> None:
        """Stop listening until `release()` (each hold needs its release)."""
        self._paused += 1
        if self._paused == 1:
            self._listen(False)

    def release(self, roots: Iterable[QWidget | None]) -> None:
        """End a `hold()`; listening again once no hold or pause is left, the wheel guard's
        rule is put right for the boxes under `roots` (made while nobody listened)."""
        self._paused -= 1
        if not self._paused:
            self._listen(bool(self._filters))
            if self.wheel_guard is not None:
                from app.ui.kit.wheel_guard import boxes_under, calm_boxes_in

                for root in roots:
                    if root is not None:
                        calm_boxes_in(boxes_under(root))

    @contextmanager
    def paused(self, roots: Callable[[], Iterable[QWidget | None]]) -> Iterator[None]:
        """No filter while the block runs; then the wheel guard's rule for the boxes under
        `roots()` (asked after the block: what it built)."""
        self.hold()
        try:
            yield
        finally:
            self.release(roots() if self._paused == 1 else ())
