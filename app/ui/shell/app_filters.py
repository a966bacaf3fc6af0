"""The session's application-wide event filters, and building many widgets without them.

Three filters watch every event of the application from Python: Quick exit's keys
(safety.py), the idle timer's input (autolock.py) and the wheel guard (kit/wheel_guard.py).
Each event costs a call into Python per filter. Building the main window sends about 5,600
events (children added, parents changed, polish, property changes), none of them input: with
the filters listening, building and first showing the window took about twice as long, in
turns during which the window on screen could not answer.

They are installed as one: `_OneFilter` is the application's only Python event filter and asks
each watcher in turn (the last installed first, as Qt would). Each filter Qt calls costs a call
from C++ into Python, which must take the interpreter lock; while the case's packages import
in a worker at start-up, each such call could wait for that worker, so one call per event in
place of three left the window on screen answering sooner.

`paused()` takes the filters off for a block of work that makes or shows widgets and returns
without running the event loop (a step of the main window's build, showing it). No input is
missed: input only arrives through the event loop, which does not run inside the block. The
wheel guard acts on each box as it is polished, so after the block the boxes under the roots
given are put right at once (the guard's own rule, `calm_boxes_in`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QWidget


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
        """Once (after the first window shows: loading the guard cost the first window 20 ms)."""
        if self.wheel_guard is None:
            from app.ui.kit.wheel_guard import WheelGuard

            self.wheel_guard = WheelGuard(self._app)
            self.install(self.wheel_guard)

    def remove_all(self) -> None:
        self._listen(False)
        self._filters.clear()

    def is_paused(self) -> bool:
        return self._paused > 0

    @contextmanager
    def paused(self, roots: Callable[[], Iterable[QWidget | None]]) -> Iterator[None]:
        """No filter while the block runs; then the wheel guard's rule for the boxes under
        `roots()` (asked after the block: what it built)."""
        self._paused += 1
        if self._paused == 1:
            self._listen(False)
        try:
            yield
        finally:
            self._paused -= 1
            if not self._paused:
                self._listen(bool(self._filters))
                if self.wheel_guard is not None:
                    from app.ui.kit.wheel_guard import boxes_under, calm_boxes_in

                    for root in roots():
                        if root is not None:
                            calm_boxes_in(boxes_under(root))
