"""One result shape for every chat export: conversations, their messages, and the caveats.

Times are kept as the export writes them. A WhatsApp time is local to the phone that exported
the chat and states no zone, so it stays naive with no offset; a Telegram `date_unixtime`, a
Meta `timestamp_ms` or a Snapchat "... UTC" is UTC, so it carries offset zero. Nothing here
invents a zone: an officer must be able to match each time to the export itself.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import Enum

from app.i18n import tr


class Platform(Enum):
    WHATSAPP = "whatsapp"
    INSTAGRAM = "instagram"
    MESSENGER = "messenger"
    TELEGRAM = "telegram"
    DISCORD = "discord"
    SNAPCHAT = "snapchat"
    SKYPE = "skype"
    EMAIL = "email"  # a saved e-mail (.eml, or Outlook's .msg): one message, read like a chat


_PLATFORM_NAMES = {Platform.WHATSAPP: "WhatsApp", Platform.INSTAGRAM: "Instagram",
                   Platform.MESSENGER: "Facebook Messenger", Platform.TELEGRAM: "Telegram",
                   Platform.DISCORD: "Discord", Platform.SNAPCHAT: "Snapchat",
                   Platform.SKYPE: "Skype", Platform.EMAIL: "E-mail"}


def platform_name(platform: str) -> str:
    """A chat export's platform as people call it ("whatsapp": "WhatsApp"), for the window
    and the report alike; a value this version does not know is shown as stored."""
    try:
        return _PLATFORM_NAMES[Platform(platform)]
    except ValueError:
        return platform


def export_kind(platform: str) -> str:
    """What a file read as `platform` is, in words: "WhatsApp chat export"; a saved e-mail
    is an e-mail."""
    if platform == Platform.EMAIL.value:
        return tr("E-mail")
    return tr("{platform} chat export").format(platform=platform_name(platform))


class Precision(Enum):
    MINUTE = "minute"
    SECOND = "second"
    MILLISECOND = "millisecond"


class DateOrder(Enum):
    """How a WhatsApp export writes its dates: 03/04 is 3 April or March 4."""

    DAY_FIRST = "day_first"
    MONTH_FIRST = "month_first"


@dataclass(frozen=True)
class SentAt:
    """A time as the export gives it: `when` is naive; `utc_offset` only if the export states
    one (timedelta(0) for times the export gives in UTC)."""

    when: datetime
    precision: Precision
    utc_offset: timedelta | None = None

    def isoformat(self) -> str:
        """ISO 8601 to the precision written, with an offset only when one was stated."""
        spec = {Precision.MINUTE: "minutes", Precision.SECOND: "seconds",
                Precision.MILLISECOND: "milliseconds"}[self.precision]
        text = self.when.isoformat(timespec=spec)
        if self.utc_offset is None:
            return text
        if self.utc_offset == timedelta(0):
            return text + "+00:00"
        total = int(self.utc_offset.total_seconds()) // 60
        sign = "+" if total >= 0 else "-"
        hours, minutes = divmod(abs(total), 60)
        return f"{text}{sign}{hours:02d}:{minutes:02d}"


@dataclass(frozen=True)
class Message:
    """One message. `sender` is None for system lines ("created group", "left", ...).

    `attachments` are paths of members inside the export (relative, '/'-separated), ready to
    be matched with the export's files; `links` are attachments the export names only by a web
    address (Discord), whose files are not in the download. `media_omitted` marks a message
    whose picture or video the export left out ("<Media omitted>"). `sender_id` is the
    sender's own account ID where the export gives one (Telegram's `from_id`): unlike a name,
    it stays the same when they rename themselves.
    """

    sender: str | None
    sent_at: SentAt
    text: str
    attachments: tuple[str, ...] = ()
    links: tuple[str, ...] = ()
    is_system: bool = False
    is_deleted: bool = False
    media_omitted: bool = False
    sender_id: str | None = None


MessageReader = Callable[[], Iterator[Message]]


@dataclass(frozen=True)
class Conversation:
    """One conversation's facts; `messages()` streams its messages from the export again each
    time it is called, so a huge export is never held in memory.

    `date_orders` lists the readings of the dates that the export allows: one when settled;
    two (day first, month first) when every date in a WhatsApp file fits both, so the person
    must be asked (read the export again with `date_order=`); empty where dates are not
    written that way. `me` is the sender who is the person, where the export says so (Skype
    names the account that made the download); otherwise the person chooses.
    """

    platform: Platform
    title: str
    participants: tuple[str, ...]
    notes: tuple[str, ...]
    source: str
    reader: MessageReader = field(repr=False, compare=False)
    date_orders: tuple[DateOrder, ...] = ()
    me: str | None = None

    @property
    def dates_ambiguous(self) -> bool:
        return len(self.date_orders) > 1

    def messages(self) -> Iterator[Message]:
        return self.reader()


@dataclass(frozen=True)
class ChatExport:
    """What one file (a text file, a JSON file or a ZIP) holds: its conversations, and notes
    about the file as a whole (for example ZIP members that were ignored as unsafe)."""

    platform: Platform
    conversations: tuple[Conversation, ...]
    notes: tuple[str, ...] = ()
