"""What settles a WhatsApp chat's date order when every date fits both orders.

Tried by hand: an export whose every date fits day first and month first (`03/12/2026,
21:04`) is held back until the person says which. Nothing is guessed still, but two things
are not guesses: an export holds its messages in the order they were sent, and none was sent
after the export was added. A reading under which the dates run backwards, or past today,
cannot be the phone's; when it is the only other reading, the chat is read the one way it
can be, and a note says why. A chat of 3 and 4 February added on the 5th is read day first
(month first, it would be 2 March and 2 April, still to come); one of 3 and 4 December
added on the 5th still asks (12 March and 12 April are possible).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from app.core.chats.model import DateOrder

# A phone's clock put back (summer time ending, a journey) moves a few hours; a wrong
# reading jumps by months.
_BACKWARDS_ALLOWED = timedelta(days=2)
# The phone's time zone may be ahead of this computer's.
_AHEAD_ALLOWED = timedelta(days=2)


@dataclass
class OrderSigns:
    """Fed every header's time under each order, in the file's order."""

    last: dict[DateOrder, datetime] = field(default_factory=dict)
    latest: dict[DateOrder, datetime] = field(default_factory=dict)
    impossible: set[DateOrder] = field(default_factory=set)  # some date could not be

    def see(self, order: DateOrder, when: datetime | None) -> None:
        if when is None:
            return
        before = self.last.get(order)
        if before is not None and when < before - _BACKWARDS_ALLOWED:
            self.impossible.add(order)
        self.last[order] = when
        self.latest[order] = max(when, self.latest.get(order, when))

    def possible(self, now: datetime) -> tuple[DateOrder, ...]:
        """The orders under which the dates run forwards and none is after `now`."""
        return tuple(order for order in (DateOrder.DAY_FIRST, DateOrder.MONTH_FIRST)
                     if order not in self.impossible
                     and self.latest.get(order, now) <= now + _AHEAD_ALLOWED)
