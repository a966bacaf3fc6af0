"""The one background-work primitive: result, error, progress, cancel, nothing left behind."""

import gc
import logging
import os
import subprocess
import sys
import threading
import time
import weakref
from pathlib import Path

import pytest
from PySide6.QtCore import QThreadPool
from pytestqt.qtbot import QtBot

from app.errors import Cancelled, InvalidInput
from app.ui.kit.worker import TaskContext, run_task, running_tasks, wait_for_all

SECRET = "MARKER-case-data-7f3a"


def _settle(qtbot: QtBot) -> None:
    assert wait_for_all(5000)
    assert QThreadPool.globalInstance().activeThreadCount() == 0


def test_result_arrives_on_gui_thread(qtbot: QtBot) -> None:
    main = threading.get_ident()
    seen: list[tuple[int, int]] = []

    def work(ctx: TaskContext) -> int:
        return threading.get_ident()

    handle = run_task(work, on_result=lambda tid: seen.append((tid, threading.get_ident())))
    qtbot.waitUntil(lambda: bool(seen), timeout=5000)
    worker_tid, callback_tid = seen[0]
    assert worker_tid != main
    assert callback_tid == main
    assert not handle.is_running()
    _settle(qtbot)


def test_safekeep_error_becomes_its_message(qtbot: QtBot) -> None:
    errors: list[str] = []

    def work(ctx: TaskContext) -> None:
        raise InvalidInput("That date is in the future.")

    handle = run_task(work, on_error=errors.append)
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    assert errors == ["That date is in the future."]
    assert not handle.was_cancelled
    _settle(qtbot)


def test_unexpected_error_is_generic_and_logged_without_data(
    qtbot: QtBot, caplog: pytest.LogCaptureFixture
) -> None:
    errors: list[str] = []

    def work(ctx: TaskContext) -> None:
        raise ValueError(f"bad value {SECRET}")

    with caplog.at_level(logging.ERROR):
        run_task(work, on_error=errors.append)
        qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    assert errors == ["Something went wrong. Nothing already saved was lost."]
    assert "ValueError" in caplog.text
    assert SECRET not in caplog.text
    _settle(qtbot)


def test_progress_is_delivered_and_coalesced(qtbot: QtBot) -> None:
    seen: list[tuple[int, int, str]] = []

    def work(ctx: TaskContext) -> str:
        for i in range(1, 5001):
            ctx.progress(i, 5000, "adding")
        return "done"

    results: list[str] = []
    run_task(work, on_result=results.append, on_progress=lambda *a: seen.append(a))
    qtbot.waitUntil(lambda: bool(results), timeout=5000)
    assert seen, "at least one progress update"
    assert seen[-1] == (5000, 5000, "adding"), "the newest value arrives before the result"
    assert len(seen) < 5000, "updates are coalesced, the event queue is not flooded"
    _settle(qtbot)


def test_cancel_stops_the_task_and_is_marked(qtbot: QtBot) -> None:
    started = threading.Event()
    errors: list[str] = []

    def work(ctx: TaskContext) -> None:
        started.set()
        while True:  # busy until cancelled: the task under test, not a wait
            ctx.raise_if_cancelled()
            time.sleep(0.005)

    handle = run_task(work, on_error=errors.append)
    assert started.wait(5)
    assert handle.is_running()
    assert handle in running_tasks()
    handle.cancel()
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    assert handle.was_cancelled
    assert errors == [Cancelled().message]
    assert handle not in running_tasks()
    _settle(qtbot)


def test_wait_for_all_leaves_no_thread(qtbot: QtBot) -> None:
    handles = [run_task(lambda ctx: time.sleep(0.05)) for _ in range(4)]  # work that takes time
    assert wait_for_all(5000)
    assert QThreadPool.globalInstance().activeThreadCount() == 0
    qtbot.waitUntil(lambda: not any(h.is_running() for h in handles), timeout=5000)


def test_finished_tasks_leave_nothing_behind(qtbot: QtBot) -> None:
    """Once its outcome is delivered, a task's handle, context and whatever its function and
    callbacks captured are freed. (A QRunnable subclass given to QThreadPool.start() is kept
    by the binding as long as the pool lives, and a callback connected to the handle's own
    signal that refers to the handle is a cycle through Qt that Python cannot collect: both
    kept every task of a session.)"""
    from app.ui.kit.controller import CaseController

    class Payload:  # stands for case data a task or its callback refers to
        pass

    controller = CaseController(actor="tester")
    handles: list[weakref.ref[object]] = []
    payloads: list[weakref.ref[Payload]] = []
    outcomes: list[object] = []

    def start(i: int) -> None:
        payload = Payload()
        payloads.append(weakref.ref(payload))

        def work(ctx: TaskContext) -> int:
            ctx.progress(1, 2, "half")
            if i % 3 == 1:
                raise InvalidInput("That date is in the future.")
            return id(payload)

        def heard(value: object) -> None:
            outcomes.append((value, payload))

        if i % 2:
            handle = run_task(work, on_result=heard, on_error=heard,
                              on_progress=lambda *a: None)
        else:
            handle = controller.run(work, on_result=heard, on_error=heard,
                                    on_progress=lambda *a: None)
        handles.append(weakref.ref(handle))

    for i in range(60):
        start(i)
    qtbot.waitUntil(lambda: len(outcomes) == 60, timeout=10_000)
    _settle(qtbot)
    outcomes.clear()
    gc.collect()
    assert [ref() for ref in handles] == [None] * 60
    assert [ref() for ref in payloads] == [None] * 60


class _Unusual(BaseException):
    """Stands for any BaseException that is not an Exception (a library's own, say)."""


@pytest.mark.parametrize("kind", [KeyboardInterrupt, GeneratorExit, _Unusual])
def test_a_base_exception_still_ends_the_task(
    qtbot: QtBot, caplog: pytest.LogCaptureFixture, kind: type[BaseException]
) -> None:
    """Not only `Exception`s: whatever a task raises, it ends with an outcome. (A task that
    raised KeyboardInterrupt or GeneratorExit used to stay in `running_tasks()` for good, and
    its handle never said finished or failed.)"""
    errors: list[str] = []

    def work(ctx: TaskContext) -> None:
        raise kind(SECRET)

    with caplog.at_level(logging.ERROR):
        handle = run_task(work, on_error=errors.append)
        qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    assert errors == ["Something went wrong. Nothing already saved was lost."]
    assert not handle.is_running()
    assert handle not in running_tasks()
    assert kind.__name__ in caplog.text
    assert SECRET not in caplog.text
    _settle(qtbot)


def test_system_exit_in_a_task_ends_the_task_not_the_program(tmp_path: Path) -> None:
    """SystemExit raised in a task used to leave it running and then end the whole program
    with the task's exit code. In a child process, so this test cannot take pytest down."""
    script = tmp_path / "child.py"
    script.write_text(SYSTEM_EXIT_CHILD, encoding="utf-8")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                          env=env, cwd=Path(__file__).resolve().parents[2], timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[-1] == "ended: failed, running: 0, waited: True"


SYSTEM_EXIT_CHILD = """
import time
from PySide6.QtCore import QCoreApplication
from app.ui.kit.worker import run_task, running_tasks, wait_for_all

app = QCoreApplication([])
outcomes = []

def work(ctx):
    raise SystemExit(7)

handle = run_task(work, on_result=lambda r: outcomes.append("finished"),
                  on_error=lambda m: outcomes.append("failed"))
waited = wait_for_all(5000)
deadline = time.monotonic() + 5
while not outcomes and time.monotonic() < deadline:
    app.processEvents()
    time.sleep(0.01)
print(f"ended: {','.join(outcomes) or 'never'}, running: {len(running_tasks())}, "
      f"waited: {waited}", flush=True)
"""
