"""Two costs PySide6 6.x adds at start-up, taken off the turns a person waits through.

1. The `__feature__` import hook. Importing PySide6 replaces `builtins.__import__` with a hook
   that, after each module is first imported anywhere in the process, reads that module's whole
   source file (`inspect.getsource`) to see whether it mentions PySide6. It serves only
   `from __feature__ import snake_case, true_property`, which Safekeep never uses
   (tests/ui/test_qt_types.py holds that), and it cost the start-up about 0.1 s: every module
   of SQLAlchemy, the case's packages and the views was read again as text, on the worker
   thread and on the GUI thread alike. `drop_feature_import_hook()` puts back the import that
   PySide6 itself wrapped (its own lazy-type import, `builtins.__orig_import__`); a module
   that is not in PySide's feature table is treated as "no feature", as before.

2. Lazy types. PySide6 makes each Qt class, with all its enum classes (Python enums, slow to
   make), when it is first used. When an object of a class it does not bind reaches Python
   (a Qt-internal QAnimationTimer or QWidgetLineControl passing the session's application-wide
   event filters), it makes every type not made yet, of every Qt module loaded, in one go:
   about 150 enum classes, the longest turn left after the first window showed. `TypeWarmUp`
   makes those types ahead, a few per event-loop turn (a few milliseconds each), so that sweep
   finds next to nothing left to do. It never imports a module: only types of the PySide6
   modules already loaded are made.
"""

from __future__ import annotations

import builtins
import logging
import sys
import time
from types import ModuleType

from PySide6.QtCore import QObject, Signal

from app.ui.kit.turns import next_turn_timer

log = logging.getLogger(__name__)

STEP_BUDGET_S = 0.003  # per turn; one large class (QStyle, QEvent) may take a little longer


def drop_feature_import_hook() -> bool:
    """Take PySide6's `__feature__` hook off `import`; True if it was on. Call after PySide6
    is imported (it installs the hook then, once per process)."""
    hook = getattr(builtins, "__feature_import__", None)
    wrapped = getattr(builtins, "__orig_import__", None)
    if hook is None or wrapped is None or builtins.__import__ is not hook:
        return False
    builtins.__import__ = wrapped
    return True


def loaded_qt_modules() -> list[ModuleType]:
    """The PySide6 binding modules imported so far (QtCore, QtGui, QtWidgets...)."""
    return [module for name, module in list(sys.modules.items())
            if name.startswith("PySide6.Qt") and name.count(".") == 1 and module is not None]


def types_not_made(module: ModuleType) -> list[str]:
    """Names the module offers that PySide6 has not made yet (`dir` lists them without making
    them; making one puts it in the module's namespace)."""
    made = vars(module)
    return [name for name in dir(module) if name not in made and not name.startswith("_")]


class TypeWarmUp(QObject):
    """Makes the types of the loaded PySide6 modules, a few per event-loop turn."""

    finished = Signal()

    def __init__(self, parent: QObject | None = None, *,
                 budget_s: float = STEP_BUDGET_S) -> None:
        super().__init__(parent)
        self._budget_s = budget_s
        self._queue: list[tuple[ModuleType, str]] = []
        self._running = False
        self.done = False
        self.turns = 0  # how many turns it took (tests look at it)
        self._next = next_turn_timer(self, self._turn)  # a share per pass (kit/turns.py)

    def start(self) -> None:
        if self._running or self.done:
            return
        self._running = True
        self._next.start()

    def stop(self) -> None:
        self._running = False
        self._queue.clear()

    def step(self) -> bool:
        """One turn's share; False once every loaded module's types are made."""
        if not self._queue:
            # Again each time the queue empties: a module imported meanwhile (QtDBus, QtSvg)
            # has types of its own.
            self._queue = [(module, name) for module in loaded_qt_modules()
                           for name in types_not_made(module)]
            if not self._queue:
                return False
        self.turns += 1
        started = time.perf_counter()
        while self._queue and time.perf_counter() - started < self._budget_s:
            module, name = self._queue.pop()
            try:
                getattr(module, name)
            except Exception:  # a type that cannot be made ahead is made (or fails) when used
                log.debug("PySide6 type %s.%s could not be made ahead", module.__name__, name)
        return True

    def _turn(self) -> None:
        if not self._running:
            return
        if self.step():
            self._next.start()
            return
        self._running = False
        self.done = True
        self.finished.emit()
