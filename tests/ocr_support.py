"""Tests through `find_candidates` must see a rule that raised.

`find_candidates` catches a rule that raises and logs it, so that one library meeting text
nobody foresaw does not cost the person the other details on the page. That is right for the
person and wrong for a test, which would pass with every rule broken. `no_rule_fails` turns
a logged rule failure back into a failed test.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from app.core.reading import candidates


class _Failures(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def no_rule_fails() -> Iterator[None]:
    """Fail when `find_candidates` swallowed a rule's exception inside the block."""
    logger = logging.getLogger(candidates.__name__)
    assert logger.isEnabledFor(logging.ERROR), "rule failures would go unseen"
    failures = _Failures()
    logger.addHandler(failures)
    try:
        yield
    finally:
        logger.removeHandler(failures)
    assert failures.messages == [], "a rule raised (find_candidates logged it and went on)"
