"""How soon a worker thread hands the interpreter back to the GUI thread.

Only one thread runs Python at a time. A worker that reads the case (SQLAlchemy), imports a
module or lays out a report keeps the interpreter until the GUI thread has waited for it for
the switch interval, 5 ms by default. The GUI thread needs it for a moment many times in one
turn: each event passes through the application-wide filters, and each model row and delegate
painted is Python. While a worker read the first thumbnails of an opened case, the turn that
first painted it took 47 ms (median of 6 openings, up to 65), and 38 ms with a 1 ms interval
(benchmarks/bench_open.py; the README has the figures).

With 1 ms, a worker gives the interpreter back at most 1 ms after the GUI thread asks for it.
A thread nobody waits for is never interrupted, so work running alone is no slower. The
window's process sets it for its whole run (`run_desktop_app`); the benchmarks that stand in
for the window set it around what they measure. Command-line work has no window to keep
answering and keeps Python's default.
"""

import contextlib
import sys
from collections.abc import Iterator

GUI_SWITCH_INTERVAL_S = 0.001


@contextlib.contextmanager
def shared_with_window() -> Iterator[None]:
    """The short switch interval inside the block (or the function it decorates)."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(GUI_SWITCH_INTERVAL_S)
    try:
        yield
    finally:
        sys.setswitchinterval(before)
