"""`CaseController.when_idle`: work that can wait goes once the views have what they show.

Start-up's imports for later (warm_up.LATER_MODULES) wait on it, so that they do not share
the interpreter with the first rows and thumbnails arriving. Real tasks in the real worker.
"""

from __future__ import annotations

import threading

from pytestqt.qtbot import QtBot

from app.ui.kit.controller import QUIET_MS, CaseController
from app.ui.kit.worker import TaskContext


def _held_task(controller: CaseController) -> threading.Event:
    """Start a task that runs until the returned event is set."""
    release = threading.Event()

    def work(_ctx: TaskContext) -> None:
        release.wait(10)

    controller.run(work)
    return release


def test_with_nothing_running_it_goes_after_a_quiet_moment(qtbot: QtBot) -> None:
    controller = CaseController(actor="tester")
    went: list[str] = []
    controller.when_idle(lambda: went.append("go"))
    assert went == [], "never inside the caller: a view's load may start in the same turn"
    qtbot.waitUntil(lambda: went == ["go"], timeout=QUIET_MS * 10)


def test_it_waits_for_running_work_and_for_work_that_follows_at_once(qtbot: QtBot) -> None:
    controller = CaseController(actor="tester")
    went: list[str] = []
    first = _held_task(controller)
    controller.when_idle(lambda: went.append("go"))
    qtbot.wait(QUIET_MS * 2)
    assert went == []
    second = _held_task(controller)  # the thumbnails the rows asked for
    first.set()
    qtbot.wait(QUIET_MS * 2)
    assert went == [], "one task ended, but another runs"
    second.set()
    qtbot.waitUntil(lambda: went == ["go"], timeout=QUIET_MS * 20)
    qtbot.wait(QUIET_MS * 2)
    assert went == ["go"], "once"


def test_work_that_never_goes_quiet_lets_it_go_after_the_bound(qtbot: QtBot) -> None:
    controller = CaseController(actor="tester")
    went: list[str] = []
    release = _held_task(controller)
    try:
        controller.when_idle(lambda: went.append("go"), at_most_ms=300)
        qtbot.waitUntil(lambda: went == ["go"], timeout=3000)
    finally:
        release.set()
    qtbot.wait(QUIET_MS * 2)
    assert went == ["go"], "once, not again when the work ends"


def test_a_lock_counts_as_quiet(qtbot: QtBot) -> None:
    controller = CaseController(actor="tester")
    went: list[str] = []
    release = _held_task(controller)
    controller.when_idle(lambda: went.append("go"))
    release.set()
    controller.lock()
    qtbot.waitUntil(lambda: went == ["go"], timeout=QUIET_MS * 20)
