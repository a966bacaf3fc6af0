"""Get the main window ready without ever stalling the window that is already on screen.

The main window is built after the first window shows, while the person reads or types. Built
in one go it held the GUI thread for about 0.8 s (most of it importing SQLAlchemy, the case's
core packages and the export code), and the window on screen could not answer meanwhile.
Now the session builds it in three stages:

1. `import_in_background` imports the packages with no Qt in them (the database layer,
   `app.core`) in a worker thread of its own; what the window does not need to show
   (`app.export`, phonenumbers...) follows once it has painted and its views have loaded
   what they show (`LATER_MODULES`). Python
   imports are thread-safe (each module has its own import lock), and these modules only
   define classes and functions. The GUI thread keeps answering: it needs the interpreter
   only for short Python slots.
2. `UI_MODULES` are then imported on the GUI thread, one per event-loop turn: they define Qt
   classes, which belong with the thread that makes the widgets.
3. The window is built a piece per turn (`MainWindow.building`).

No turn takes more than a few tens of milliseconds on a 2-core machine;
benchmarks/bench_startup.py measures the longest.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, nullcontext
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QThreadPool

from app.ui.kit.after_paint import after_first_paint
from app.ui.kit.turns import next_turn_timer

if TYPE_CHECKING:
    from app.ui.shell.main_window import MainWindow

log = logging.getLogger(__name__)

# The packages the main window's views use, with everything they import (PIL, SQLAlchemy,
# SQLCipher, pyzipper...). After these, the GUI thread imports nothing heavy on its way to
# the main window (tests/ui/test_startup_steps.py checks it in a fresh process).
BACKGROUND_MODULES: tuple[str, ...] = (
    "app.models.casefile",
    "app.core.identifiers",
    "app.core.pictures",
    "app.core.chats",
    "app.core.records",
    "app.core.intake",
    "app.core.reading",
    "app.core.guidance",
)

# Not needed to build or show the main window, so not waited for: imported by the same worker
# once the window has painted (or a second after it is built, if it is not shown). The export
# code (pyzipper and its ciphers, about 70 ms) is for the export dialog, which imports it when
# opened; the rest is imported inside functions by app.core (the rules that find details,
# puremagic, phonenumbers, email_validator) and by the worker pools (shared memory). Loaded
# here, the first use finds them ready instead of importing on the GUI thread.
LATER_MODULES: tuple[str, ...] = (
    "app.export",
    "app.core.reading.candidates",  # about 90 patterns compiled on import
    "puremagic",
    "phonenumbers",
    "email_validator",
    "multiprocessing.shared_memory",
)

# What app/ui/shell/main_window.py imports, roughly leaves first, so each import is small.
UI_MODULES: tuple[str, ...] = (
    "app.ui.kit.icons",
    "app.ui.kit.app_font",
    "app.ui.kit.message_bar",
    "app.ui.kit.form_keys",
    "app.ui.kit.date_field",
    "app.ui.kit.delegates",
    "app.ui.kit.reflow_form",
    "app.ui.kit.into_view",
    "app.ui.kit.row_actions",
    "app.ui.kit.when_shown",
    "app.ui.kit.view_text",
    "app.ui.kit.clipboard_copy",
    "app.ui.kit.file_dialogs",
    "app.ui.kit.calm_dialog",
    "app.ui.kit.typed_choice",
    "app.ui.records.record_model",
    "app.ui.records.record_tab",
    "app.ui.chats.bubble_delegate",
    "app.ui.chats.message_model",
    "app.ui.chats.conversation_page",
    "app.ui.chats.conversation_list",
    "app.ui.chats.conversations_view",
    "app.ui.checklist.item",
    "app.ui.checklist.panel",
    "app.ui.reading.found_in_picture",
    "app.ui.reading.text_reader",
    "app.ui.reading.found_view",
    "app.ui.evidence.thumbnails",
    "app.ui.evidence.model",
    "app.ui.evidence.fingerprint_text",
    "app.ui.evidence.sent_in_chat",
    "app.ui.evidence.details",
    "app.ui.evidence.importing",
    "app.ui.evidence.import_progress",
    "app.ui.evidence.drops",
    "app.ui.evidence.screen_capture",
    "app.ui.evidence.adding",
    "app.ui.evidence.view",
    "app.ui.records.identifiers_model",
    "app.ui.records.identifiers_view",
    "app.ui.records.payments_model",
    "app.ui.records.payments_view",
    "app.ui.records.timeline_model",
    "app.ui.records.timeline_view",
    "app.ui.records.search_view",
    "app.ui.shell.main_chrome",
    "app.ui.shell.tab_keys",
    "app.ui.shell.main_window",
)


def import_in_background(_ctx: object) -> None:
    """Run in a worker thread (`run_task`): import the main window's Qt-free packages."""
    for name in BACKGROUND_MODULES:
        importlib.import_module(name)
    # The advice pack (TOML, about 5 ms to parse) is read by the checklist as the case opens,
    # in the turns that show the main window: read here, while the person types.
    from app.core.guidance import shipped_pack

    shipped_pack()


def import_later(_ctx: object) -> None:
    """Run in a worker thread once the main window is built: `LATER_MODULES`."""
    for name in LATER_MODULES:
        importlib.import_module(name)


def _import_later_logged() -> None:
    try:
        import_later(None)
    except Exception:  # the first use imports it again, and fails where it can be seen
        log.warning("A module for later could not be imported ahead", exc_info=True)


def import_ui_module(index: int) -> None:
    """On the GUI thread: one of `UI_MODULES` (cheap once `import_in_background` has run)."""
    importlib.import_module(UI_MODULES[index])


class MainWindowBuilder(QObject):
    """Builds the main window a step per event-loop turn, after the Qt-free imports are done
    in a worker; `finish()` completes it at once for a caller that needs it now."""

    def __init__(self, make_window: Callable[[], MainWindow],
                 on_built: Callable[[MainWindow], None], parent: QObject, *,
                 around_step: Callable[[], AbstractContextManager[object]] = nullcontext,
                 when_quiet: Callable[[Callable[[], None]], None] = lambda go: go()
                 ) -> None:
        """`around_step`: what each step of the build runs inside (the session pauses its
        application-wide event filters there, app_filters.py). `when_quiet(go)`: calls `go`
        once the views have loaded what they show (the controller's `when_idle`)."""
        super().__init__(parent)
        self._make_window = make_window
        self._on_built = on_built
        self._around_step = around_step
        self._when_quiet = when_quiet
        self._steps: Iterator[None] | None = None
        self._importing = False
        self._done = False
        self._stopped = False
        self._waiting: list[Callable[[], None]] = []
        self.partial: MainWindow | None = None  # being built, not shown
        # Its own thread: the shared pool's two threads stay free for the key derivation and
        # the "is this a case file?" check the unlock dialog starts at the same time.
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._next = next_turn_timer(self, self._next_turn)  # a step per pass (kit/turns.py)

    def start(self) -> None:
        """Begin, unless begun: the imports in the worker, then the steps."""
        if self.started:
            return
        from app.ui.kit.worker import run_task

        self._importing = True
        # On error too: the steps then import on this thread and fail loudly there.
        run_task(import_in_background, on_result=lambda _r: self._imported(),
                 on_error=lambda _m: self._imported(), pool=self._pool)

    @property
    def started(self) -> bool:
        """Whether the build has begun (its imports, its steps, or both done)."""
        return self._done or self._importing or self._steps is not None

    def then(self, go: Callable[[], None]) -> None:
        """Call `go` once the window is built (now, if it is)."""
        if self._done:
            go()
            return
        self._waiting.append(go)
        self.start()

    def finish(self) -> None:
        """Build the rest now (imports included, if the worker has not done them yet)."""
        if self._done:
            return
        if self._steps is None:
            self._steps = self._all_steps()
        while self._step():
            pass

    def stop(self) -> None:
        """The session is going: no more steps; a window half built is the caller's to free."""
        self._done = self._stopped = True
        self._steps = None
        self._waiting.clear()

    def _imported(self) -> None:
        self._importing = False
        if self._done or self._steps is not None:
            return
        self._steps = self._all_steps()
        self._next_turn()

    def _next_turn(self) -> None:
        if self._step():
            self._next.start()

    def _step(self) -> bool:
        """One step; False when there is nothing left to do."""
        if self._done or self._steps is None:
            return False
        try:
            with self._around_step():
                next(self._steps)
        except StopIteration:
            self._built()  # outside `around_step`: opening the case runs from here
            return False
        except BaseException:
            # A broken view: let the error out (as building in one go did), and release
            # whoever waits, so they meet the same error when they ask for the window.
            self._steps = None
            self._release()
            raise
        return True

    def _all_steps(self) -> Iterator[None]:
        for index in range(len(UI_MODULES)):
            import_ui_module(index)
            yield
        window = self.partial = self._make_window()
        yield
        yield from window.building()

    def _built(self) -> None:
        window, self.partial = self.partial, None
        self._steps = None
        self._done = True
        assert window is not None
        try:
            self._on_built(window)
        finally:
            self._release()  # whoever waits meets the window, or the same error
        # Not while the window paints for the first time (after_paint.py), nor while the views
        # load and draw what they show: these imports hold the interpreter for about 0.2 s,
        # and a GUI-thread turn that shares it with them takes about twice as long (up to
        # 110 ms with the first thumbnails arriving, against 35 ms once they waited).
        after_first_paint(window, lambda: self._when_quiet(self._import_later))

    def _import_later(self) -> None:
        # Straight on the builder's own thread, not through run_task: a lock waits for every
        # task run_task started, and Quick exit must never wait for an import.
        if not self._stopped:  # else the session is going
            self._pool.start(_import_later_logged)

    def _release(self) -> None:
        waiting, self._waiting = self._waiting, []
        for go in waiting:
            go()
