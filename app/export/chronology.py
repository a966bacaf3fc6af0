"""One chronology of the case: timeline events, payments and the times of the evidence, in one
ordered list, each entry saying how sure its time is and which exhibits it rests on.

How sure a time is matters to an officer as much as the time itself, so every entry carries
its basis: a time the person gave ("about" when they were not sure), a payment's date (no time
of day), the time a camera wrote into a picture (EXIF: no time zone), a file's modified time,
or only when the item was added to Safekeep. The order is by time; entries with the same time
keep the order timeline, payments, evidence (a stable sort), so the list is the same on every
export of the same case.

Many items with the same kind of time in the same minute (a folder copied at once, a chat
export's media with no time of their own) are one entry rather than one each: the chronology
shows such times to the minute, so the rows said the same thing thousands of times, burying
the events and payments an officer reads for. For the same reason, a day with many items the
person did not describe (a phone's folder of saved chat logs), with no event or payment
between them, has one entry for those items, from the first time to the last; an item the
person described, a picture with a camera time, an event and a payment keep rows of their
own. Each item keeps its own row, with its times to the second, in the table of exhibits.
"""

import dataclasses
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from enum import StrEnum

from app.core.records import (
    ConversationRow,
    EvidenceRow,
    MonthOnly,
    PaymentRow,
    TimelineRow,
    evidence_title,
)
from app.export.casedata import CaseSnapshot
from app.export.formatting import split_time
from app.models import TimelineKind


class Basis(StrEnum):
    """Where an entry's time comes from."""

    GIVEN = "given"  # a timeline event's time, as the person entered it
    ABOUT = "about"  # a timeline event's time the person marked as approximate
    DATE = "date"  # a payment's date: no time of day was recorded
    MONTH = "month"  # a payment's month: the day is not known (placed at its first day)
    CAMERA = "camera"  # EXIF time: the camera's clock, no time zone
    FILE = "file"  # the file's last-modified time (from the computer it came from)
    ADDED = "added"  # only when the item was added to Safekeep
    CHAT = "chat"  # a message's time as a chat export writes it (maybe with no time zone)


class Source(StrEnum):
    EVENT = "event"
    PAYMENT = "payment"
    EVIDENCE = "evidence"
    CONVERSATION = "conversation"  # the first or last message of one read from a chat export


@dataclass(frozen=True, slots=True)  # one per item before grouping: 30,000 in a big case
class Entry:
    at: datetime  # aware UTC; a camera or zoneless chat time: its clock reading, tagged UTC
    # (shown as written; `_placed_at` places it in this computer's zone to order it)
    basis: Basis
    source: Source
    event: TimelineRow | None = None
    payment: PaymentRow | None = None
    item: EvidenceRow | None = None
    evidence_ids: tuple[int, ...] = ()
    linked: tuple[PaymentRow, ...] = ()  # payments told of by this event (shown with it)
    conversation: ConversationRow | None = None
    last: bool = False  # of a conversation: its last message (else its first)
    written: str = ""  # of a conversation, or an item sent in one: the message's time as the
    # export writes it
    until: datetime | None = None  # of a group over a day: its last item's time

    @property
    def is_group(self) -> bool:
        """Several items with one kind of time in one minute (no single `item`)."""
        return self.source is Source.EVIDENCE and self.item is None


# "2024:03:01 21:14:05" as cameras write it; some write "-" or "/" between date parts.
_EXIF = re.compile(r"\s*(\d{4})[:\-/](\d{2})[:\-/](\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?")


def camera_time(text: str | None) -> datetime | None:
    """An EXIF time as written, read as a clock reading (no zone); None if it is not one."""
    if not text:
        return None
    found = _EXIF.match(text)
    if found is None:
        return None
    year, month, day, hour, minute, second = (int(g or 0) for g in found.groups())
    try:
        return datetime(year, month, day, hour, minute, second, tzinfo=UTC)
    except ValueError:  # "0000:00:00 00:00:00" is common in cameras that were never set
        return None


def evidence_time(item: EvidenceRow, sent: str | None = None) -> tuple[datetime, Basis]:
    """The best time an item tells of itself: camera time, else (a file kept from a chat
    export) when its message was sent, as `sent` writes it, else file time, else when added.
    A photo from a WhatsApp ZIP had stood at the moment it was added to Safekeep, months
    after the message that sent it."""
    taken = camera_time(item.exif_taken_at)
    if taken is not None:
        return taken, Basis.CAMERA
    if sent is not None and (at := chat_time(sent)) is not None:
        return at, Basis.CHAT
    if item.file_modified_at is not None:
        return item.file_modified_at.astimezone(UTC), Basis.FILE
    return item.acquired_at.astimezone(UTC), Basis.ADDED


_MERGE_LIMIT = 3  # payments shown in one event's row; more keep rows of their own


def _day(value: date) -> datetime:
    return datetime.combine(value, time(0, 0), tzinfo=UTC)


def _same_day(paid_on: date | None, day: date) -> bool:
    """Could a payment with this date have been made on `day`? (Not recorded: it could.)"""
    if isinstance(paid_on, MonthOnly):
        return paid_on.covers(day)
    return paid_on is None or paid_on == day


def _event_entries(snap: CaseSnapshot) -> tuple[list[Entry], set[int]]:
    """An entry per timeline event; a payment the event links to, made on the same day (or on
    a day not recorded), is shown with the event, which has its time, rather than twice."""
    payments = {p.id: p for p in snap.payments}
    merged: set[int] = set()
    entries = []
    for t in snap.timeline:
        at = t.occurred_at.astimezone(UTC)
        linked = tuple(
            payments[i] for i in t.payment_ids
            if i in payments and i not in merged
            and _same_day(payments[i].paid_on, at.date())
        )[:_MERGE_LIMIT]
        merged.update(p.id for p in linked)
        ids = dict.fromkeys(t.evidence_ids)
        for p in linked:
            ids.update(dict.fromkeys(p.evidence_ids))
        entries.append(Entry(at, Basis.ABOUT if t.approximate else Basis.GIVEN, Source.EVENT,
                             event=t, evidence_ids=tuple(ids), linked=linked))
    return entries, merged


def chronology(snap: CaseSnapshot) -> list[Entry]:
    """Every timeline event, every payment with a date, every evidence item and the first and
    last message of every conversation read from a chat export, in time order."""
    entries, merged = _event_entries(snap)
    entries += [
        Entry(_day(p.paid_on), Basis.MONTH if isinstance(p.paid_on, MonthOnly) else Basis.DATE,
              Source.PAYMENT, payment=p, evidence_ids=p.evidence_ids)
        for p in snap.payments if p.paid_on is not None and p.id not in merged
    ]
    for e in snap.evidence:
        sent = snap.sent_in_chat(e.id)
        at, basis = evidence_time(e, sent)
        entries.append(Entry(at, basis, Source.EVIDENCE, item=e, evidence_ids=(e.id,),
                             written=sent if basis is Basis.CHAT and sent else ""))
    entries += conversation_entries(snap)
    entries.sort(key=_placed_at)  # stable: ties keep the order above
    exports = frozenset(c.evidence_id for c in snap.conversations)
    return _grouped(_grouped_by_day(entries, exports))


def _placed_at(entry: Entry) -> datetime:
    """Where an entry stands in time. A clock reading with no time zone (a camera's, a
    WhatsApp message's: the phone's own clock) is placed in this computer's time zone, the
    zone the person's phone most likely kept, and in which they gave the events' times:
    taken as UTC, a message sent at 21:00 on a summer evening in the UK stood after a threat
    the person recorded at 21:15 (20:15 UTC). Its time is still shown as written."""
    if entry.basis is Basis.CAMERA or (entry.basis is Basis.CHAT
                                       and not split_time(entry.written)[1]):
        return entry.at.replace(tzinfo=None).astimezone(UTC)  # naive: read as local time
    return entry.at


GROUP_FROM = 10  # items with the same kind of time in one minute: fewer keep their own rows
# Times many items share when a folder or a chat's photos come in: a file time, a time of
# adding, the time of the message that sent a photo.
_QUIET = (Basis.FILE, Basis.ADDED, Basis.CHAT)
DAY_GROUP_FROM = 50  # undescribed items with one kind of time on one day, nothing between


def _quiet(entry: Entry, exports: frozenset[int]) -> Basis | None:
    """The basis of an entry that may join a day's group: an item with only a file time, a
    time of adding or the time of the message that sent it, which the person did not describe
    (intake's note on a chat's photo is not theirs), and which is not a chat export (whose
    file time tells when the chat was saved)."""
    item = entry.item
    if item is None or entry.basis not in _QUIET \
            or not evidence_title(item)[1] or item.id in exports:
        return None
    return entry.basis


def _grouped_by_day(entries: list[Entry], exports: frozenset[int]) -> list[Entry]:
    """In each stretch of one UTC day with no event, payment or message between, the quiet
    items of one basis become one entry when there are at least `DAY_GROUP_FROM` of them; the
    others in the stretch (described items, camera times) keep their own rows."""
    out: list[Entry] = []
    start = 0
    while start < len(entries):
        end = start
        day = entries[start].at.date()
        while end < len(entries) and entries[end].source is Source.EVIDENCE \
                and entries[end].at.date() == day:
            end += 1
        if end == start:  # an event, payment or message
            out.append(entries[start])
            start += 1
            continue
        stretch = entries[start:end]
        by_basis: dict[Basis, list[Entry]] = {}
        for entry in stretch:
            if (basis := _quiet(entry, exports)) is not None:
                by_basis.setdefault(basis, []).append(entry)
        grouped = {id(e) for run in by_basis.values() if len(run) >= DAY_GROUP_FROM for e in run}
        for entry in stretch:
            if id(entry) not in grouped:
                out.append(entry)
                continue
            run = by_basis[entry.basis]
            if entry is run[0]:
                out.append(Entry(entry.at, entry.basis, Source.EVIDENCE,
                                 evidence_ids=tuple(e.evidence_ids[0] for e in run),
                                 until=run[-1].at, written=entry.written))
        start = end
    return out


def _minute(entry: Entry) -> tuple[Basis, datetime] | None:
    """What groups an entry with its neighbours: a file time or a time of adding, to the
    minute (camera times are shown to the second, and events and payments always stand
    alone)."""
    if entry.item is not None and entry.basis in _QUIET:
        return entry.basis, entry.at.replace(second=0, microsecond=0)
    return None


def _grouped(entries: list[Entry]) -> list[Entry]:
    """Runs of at least `GROUP_FROM` neighbouring entries of one basis in one minute become
    one entry at the run's first time, naming all their exhibits."""
    out: list[Entry] = []
    start = 0
    while start < len(entries):
        minute = _minute(entries[start])
        end = start + 1
        if minute is not None:
            while end < len(entries) and _minute(entries[end]) == minute:
                end += 1
        if end - start >= GROUP_FROM:
            ids = tuple(e.evidence_ids[0] for e in entries[start:end])
            out.append(Entry(entries[start].at, entries[start].basis, Source.EVIDENCE,
                             evidence_ids=ids, written=entries[start].written))
        else:
            out.extend(entries[start:end])
        start = end
    return out


def chat_time(written: str) -> datetime | None:
    """A message's time as a chat export writes it, to sort by: UTC when the export states an
    offset, else its clock reading taken as UTC (as a camera time is)."""
    try:
        at = datetime.fromisoformat(written)
    except ValueError:
        return None
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)


def conversation_entries(snap: CaseSnapshot) -> list[Entry]:
    """Two entries per conversation read to the end (one when it has a single time)."""
    entries = []
    for c in snap.conversations:
        if c.id is None or c.status != "read" or not c.first_at or not c.last_at:
            continue
        ends = [(c.first_at, False)] + ([(c.last_at, True)] if c.last_at != c.first_at else [])
        for written, last in ends:
            at = chat_time(written)
            if at is not None:
                entries.append(Entry(at, Basis.CHAT, Source.CONVERSATION,
                                     evidence_ids=(c.evidence_id,), conversation=c, last=last,
                                     written=written))
    return entries


def offence_period(entries: list[Entry],
                   chat_exports: frozenset[int] = frozenset()) -> tuple[Entry, Entry] | None:
    """The first and last entry that tell of the offence itself: everything but the moment an
    item was added to Safekeep (which tells of the keeping, not of what happened), and the
    file times of chat exports (when the person exported the chat; its messages tell of the
    offence, by their own entries). A file's own time is used only when nothing else has a
    time: it is most often when the file was copied from a phone, days after the events,
    and would stretch a four-day offence to the day the evidence was gathered. A payment
    known only to its month is used only when nothing else has a time either: it stands at
    the month's first day, which could be weeks before it was made. The person's own report
    to police (an event of that kind) is not the offence either: a period ending at it had
    stretched past the offender's last threat to the morning the person went to the police."""
    told = [e for e in entries if e.basis is not Basis.ADDED
            and not (e.item is not None and e.item.id in chat_exports)
            and not (e.event is not None and e.event.kind == TimelineKind.REPORT)]
    told = [e for e in told if e.basis is not Basis.FILE] or told
    told = [e for e in told if e.basis is not Basis.MONTH] or told
    if not told:
        return None
    last = told[-1]
    if last.until is not None:  # a day's group ends at its last item
        last = dataclasses.replace(last, at=last.until, evidence_ids=last.evidence_ids[-1:],
                                   until=None)
    return told[0], last
