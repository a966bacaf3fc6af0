"""Work done a piece per pass of the event loop lets the window's timers run between pieces.

A 5 ms timer stands for the window's own timers (a repaint, the cursor's blink). Each piece of
work keeps the GUI thread busy for 6 ms, longer than the timer's interval, so the timer is due
after every piece: a piece per pass means a tick between every two pieces.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEventLoop, QObject, QTimer
from pytestqt.qtbot import QtBot

from app.ui.kit.turns import NextTurn, next_turn_timer

PIECES = 12


def _busy(seconds: float) -> None:
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        pass


def _run_chain(start_next: Callable[[Callable[[], None]], None]) -> str:
    """Run PIECES pieces, each starting the next with `start_next`; return the order of
    pieces ("p") and ticks ("t") as the event loop ran them."""
    order: list[str] = []
    loop = QEventLoop()
    tick = QTimer()
    tick.setInterval(5)
    tick.timeout.connect(lambda: order.append("t"))
    done = {"pieces": 0}

    def piece() -> None:
        order.append("p")
        _busy(0.006)
        done["pieces"] += 1
        if done["pieces"] < PIECES:
            start_next(piece)
        else:
            loop.quit()

    tick.start()
    QTimer.singleShot(10, piece)
    QTimer.singleShot(5000, loop.quit)  # a bound, should the chain break
    loop.exec()
    tick.stop()
    return "".join(order)


def _pieces_back_to_back(order: str) -> int:
    first, last = order.index("p"), order.rindex("p")
    return order[first:last + 1].count("pp")


def test_a_next_turn_timer_lets_due_timers_run_between_pieces(qtbot: QtBot) -> None:
    owner = QObject()
    timers: dict[str, QTimer] = {}

    def start_next(piece: Callable[[], None]) -> None:
        timer = timers.get("next")
        if timer is None:
            timer = timers["next"] = next_turn_timer(owner, piece)
        timer.start()

    order = _run_chain(start_next)
    assert order.count("p") == PIECES
    assert _pieces_back_to_back(order) == 0, order


def test_qt_runs_zero_single_shots_back_to_back(qtbot: QtBot) -> None:
    """Why the helper exists: the static single shot chains pieces with no timer between.
    If a Qt release changes this, the helper is merely no longer needed."""
    order = _run_chain(lambda piece: QTimer.singleShot(0, piece))
    assert order.count("p") == PIECES
    assert _pieces_back_to_back(order) >= PIECES // 3, order


def test_starting_it_again_while_it_waits_calls_the_step_once(qtbot: QtBot) -> None:
    owner = QObject()
    calls: list[int] = []
    timer = next_turn_timer(owner, lambda: calls.append(1))
    timer.start()
    timer.start()
    qtbot.wait(30)
    assert calls == [1]


def test_next_turn_runs_the_last_piece_given_once_and_cancel_drops_it(qtbot: QtBot) -> None:
    owner = QObject()
    turn = NextTurn(owner)
    ran: list[str] = []
    turn.call(lambda: ran.append("first"))
    turn.call(lambda: ran.append("second"))  # replaces the one still waiting
    assert ran == [], "not inside the caller"
    qtbot.wait(30)
    assert ran == ["second"]
    turn.call(lambda: ran.append("dropped"))
    turn.cancel()
    qtbot.wait(30)
    assert ran == ["second"]
