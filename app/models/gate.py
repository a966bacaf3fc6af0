"""The gate between a case's work and a change of its passphrase.

Its own module: the case file (casefile.py) opens, reads and writes; this only counts who is
inside and lets a passphrase change wait until nobody is.
"""

import contextlib
import threading
from collections.abc import Iterator

from app.errors import CaseInUse
from app.i18n import tr


class WorkGate:
    """Work of this process passes through while the case is in use; a passphrase change closes
    the gate, waits for the work inside to finish, and swaps the file with nobody inside: a
    connection left open on the old file would keep writing its log under the old key."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._inside = 0
        self._closed = False
        self._depth = threading.local()  # a thread already inside passes again (nested work)

    @contextlib.contextmanager
    def use(self) -> Iterator[None]:
        depth = getattr(self._depth, "n", 0)
        if not depth:
            with self._cond:
                self._cond.wait_for(lambda: not self._closed)
                self._inside += 1
        self._depth.n = depth + 1
        try:
            yield
        finally:
            self._depth.n = depth
            if not depth:
                with self._cond:
                    self._inside -= 1
                    self._cond.notify_all()

    @contextlib.contextmanager
    def alone(self, timeout: float) -> Iterator[None]:
        mine = 1 if getattr(self._depth, "n", 0) else 0
        with self._cond:
            self._cond.wait_for(lambda: not self._closed)
            self._closed = True
            if not self._cond.wait_for(lambda: self._inside == mine, timeout):
                self._closed = False
                self._cond.notify_all()
                raise CaseInUse(tr("The passphrase was not changed, and the old one still opens "
                                   "the case. Safekeep is still busy with this case: try again "
                                   "when it has finished."))
        try:
            yield
        finally:
            with self._cond:
                self._closed = False
                self._cond.notify_all()
