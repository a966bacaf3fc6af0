"""Load a view's data when the person can see it, not before.

Each tab of the main window used to read its part of the case as soon as the case opened and
again after every change anywhere, seen or not: opening a 30,000-item case had every tab
reading and building its rows on the two cores, and the window could not answer for half a
second while the one tab on screen (Evidence) waited its turn. A view now asks its
`LoadWhenShown` instead of loading:

- when the view shows, or will show as soon as its window does (the current tab of a window
  not shown yet), or stands on its own (a view tested alone, or any view outside a container
  that can hide it), it loads at once, as before;
- otherwise (a tab page behind another) it only remembers that what it shows is out of date,
  and loads the moment it next shows (its tab chosen, the window shown again), once however
  many changes came meanwhile.

A lock forgets the outstanding load (the view clears itself; the next opening asks again).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QWidget

from app.ui.kit.controller import CaseController


def will_show(view: QWidget) -> bool:
    """True if the view is on screen, or will be when its window shows."""
    if view.isVisible():
        return True
    window = view.window()
    if window is view:
        return True  # on its own: nothing hides it that showing it would not load it for
    return not window.isVisible() and view.isVisibleTo(window)


class LoadWhenShown(QObject):
    """Calls `load` on each opening (unless `on_open` is False) and on each `request()`, at
    once while the view shows and otherwise when it next shows."""

    def __init__(self, view: QWidget, controller: CaseController,
                 load: Callable[[], None], *, on_open: bool = True) -> None:
        super().__init__(view)
        self._view = view
        self._controller = controller
        self._load = load
        self.stale = False  # a load is owed the next time the view shows
        view.installEventFilter(self)
        if on_open:
            controller.case_opened.connect(self.request)
        controller.case_locked.connect(self.forget)

    def request(self) -> None:
        """What the view shows is out of date: load now if it shows, else when it does."""
        if will_show(self._view):
            self._run()
        else:
            self.stale = True

    def forget(self) -> None:
        self.stale = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # getattr: while a window is torn down, the garbage collector may clear this object's
        # attributes before Qt stops sending the view's events here.
        if event.type() == QEvent.Type.Show and getattr(self, "stale", False) \
                and watched is getattr(self, "_view", None):
            self._run()
        return False

    def _run(self) -> None:
        self.stale = False
        if self._controller.is_open():
            self._load()
