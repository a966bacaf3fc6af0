"""Work done a piece per pass of the event loop, with the window's own timers and input between.

`QTimer.singleShot(0, fn)` looks like "in the next turn", but Qt 6 delivers it as a posted
event, and Qt delivers the events posted while it is delivering posted events in the same go:
a chain of such steps ran two at a time, back to back, with no timer between them (a repaint,
the cursor's blink, a person's key). A stopped `QTimer` started with interval 0 is a real timer
instead: the event loop runs it once per pass, beside every other timer that is due.
`tests/ui/test_turns.py` holds both halves of that.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer


def next_turn_timer(parent: QObject, step: Callable[[], None]) -> QTimer:
    """A timer that calls `step` in the next pass of the event loop each time it is started.

    Starting it again while it waits does not call `step` twice. It belongs to `parent` and
    stops with it.
    """
    timer = QTimer(parent)
    timer.setSingleShot(True)
    timer.setInterval(0)
    timer.timeout.connect(step)
    return timer


class NextTurn(QObject):
    """Calls the function last given to `call` in the next pass of the event loop, once.

    For work done a piece at a time, where each piece says what comes next: giving a new
    piece replaces one still waiting, and `cancel` drops it (with whatever case data it holds).
    """

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self._waiting: Callable[[], None] | None = None
        self._timer = next_turn_timer(self, self._run)

    def call(self, piece: Callable[[], None]) -> None:
        self._waiting = piece
        self._timer.start()

    def cancel(self) -> None:
        self._timer.stop()
        self._waiting = None

    def _run(self) -> None:
        piece, self._waiting = self._waiting, None
        if piece is not None:
            piece()
