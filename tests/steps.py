"""Steps of a story test that must share one live thing (a session, a window), named.

A story test that cannot be split into several tests (each step needs the state the last
one left, in objects that do not outlive a test) runs each step in `with step("..."):`, so a
failure says which step it was in, not only a line number.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def step(name: str) -> Iterator[None]:
    try:
        yield
    except BaseException as error:  # a failed assert, pytest's own outcomes, a timeout
        error.add_note(f"in the step: {name}")
        raise
