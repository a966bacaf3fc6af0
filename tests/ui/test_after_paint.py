"""Start-up work that can wait runs after the main window's first paint (after_paint.py), and a
lock before then cancels the preview workers' start (WorkerPools.warm_soon)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from app.ui.kit.after_paint import AfterFirstPaint
from app.ui.kit.pools import WorkerPools
from app.ui.kit.worker import wait_for_all


def test_the_work_runs_once_after_the_window_paints(qtbot: QtBot) -> None:
    window = QLabel("case")
    qtbot.addWidget(window)
    calls: list[bool] = []
    AfterFirstPaint(window, lambda: calls.append(window.isVisible()), fallback_ms=60_000)
    qtbot.wait(50)
    assert calls == []  # not shown, not painted: nothing yet (the fallback is far off)
    window.show()
    qtbot.waitUntil(lambda: bool(calls), timeout=5000)
    window.repaint()
    qtbot.wait(50)
    assert calls == [True]  # once, with the window up


def test_a_window_that_never_paints_runs_the_work_after_the_fallback(qtbot: QtBot) -> None:
    window = QLabel("built while the passphrase is typed")
    qtbot.addWidget(window)
    calls: list[int] = []
    AfterFirstPaint(window, lambda: calls.append(1), fallback_ms=50)
    qtbot.waitUntil(lambda: bool(calls), timeout=5000)
    qtbot.wait(100)
    assert calls == [1]


def test_a_lock_before_the_deferred_warm_up_starts_no_workers(qtbot: QtBot) -> None:
    pools = WorkerPools()
    later: list[Callable[[], None]] = []
    try:
        pools.warm_soon(later.append)
        pools.close()  # a lock comes before the window painted
        later[0]()
        assert wait_for_all(10_000)
        assert pools.started == 0 and not pools.is_running()
        # Without a lock the deferred warm-up starts the preview pool.
        pools.warm_soon(later.append)
        later[1]()
        qtbot.waitUntil(lambda: pools.started == 1, timeout=30_000)
        assert wait_for_all(30_000)
        assert pools.is_running()
    finally:
        pools.close()
