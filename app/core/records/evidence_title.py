"""What names an evidence item in a list: the person's own words for it, else its file name.

A file kept from a chat export (a photo inside a WhatsApp ZIP) is described by intake as
"From the chat export WhatsApp Chat with Sam.zip: IMG-20250312-WA0001.jpg". As a tile's
caption that sentence was cut to "From the chat …" on every such tile, so thirty photos from
one chat could not be told apart; their file names can.
"""

import re
from functools import lru_cache

from app.core.records.evidence import EvidenceRow
from app.i18n import tr
from app.models import EvidenceSource


def chat_attachment_note(export_name: str, member: str) -> str:
    """The description intake gives a file kept from a chat export."""
    return tr("From the chat export {name}: {member}").format(name=export_name, member=member)


def is_chat_attachment_note(line: str) -> bool:
    """Whether `line` is that description (any export, any member), in the language in use."""
    return _note_pattern(chat_attachment_note("\0name\0", "\0member\0")).fullmatch(line) \
        is not None


@lru_cache(maxsize=4)
def _note_pattern(template: str) -> re.Pattern[str]:
    # Made once per language: a tile asks at every repaint, and the chronology per exhibit.
    escaped = re.escape(template)
    return re.compile(escaped.replace(re.escape("\0name\0"), ".+")
                      .replace(re.escape("\0member\0"), ".+"), re.DOTALL)


def evidence_title(item: EvidenceRow) -> tuple[str, bool]:
    """(words, whether they are the file's name): the first line of the item's description,
    or its file name when it has none, or only the note intake gave a chat export's file."""
    described = item.description.strip()
    first = described.splitlines()[0] if described else ""
    if not first or (item.source == EvidenceSource.CHAT_EXPORT and is_chat_attachment_note(first)):
        return item.original_name, True
    return first, False
