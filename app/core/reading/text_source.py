"""What the "Found in this picture" section can say of one evidence item.

Tried by hand: a chat export waiting for its date order (and any file that is not a picture:
a PDF, a video, a ZIP) was shown "Safekeep has not read the text in this picture yet. It does
this by itself ... after pictures are added", which it never would. Each item is now one of:
a picture whose text Safekeep reads, a document whose text it reads (a PDF, a text file that
is not a chat), a chat export (and how far reading it went), or none of them.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.core.reading.documents import DOCUMENT_TYPES
from app.models import EMAIL_PLATFORM, ChatExportRead, ChatReadStatus, EvidenceItem
from app.models.casefile import CaseFile
from app.models.evidence import PreviewStatus


@dataclass(frozen=True)
class TextSource:
    chat: ChatReadStatus | None  # a chat export: how far reading its messages went
    looked_through: bool  # a read chat export's messages were looked through for details
    picture: bool  # a picture whose text Safekeep reads (it has a preview, or will soon)
    email: bool = False  # a saved e-mail, read as a chat of one message
    note: str = ""  # why an export could not be read, as reading said it (what to do)
    document: bool = False  # a PDF or a text file: its text is read as written

    @property
    def nothing_to_read(self) -> bool:
        return self.chat is None and not self.picture and not self.document


def text_source(case: CaseFile, evidence_id: int) -> TextSource:
    with case.read() as session:
        chat = session.get(ChatExportRead, evidence_id)
        item = session.get(EvidenceItem, evidence_id)
        picture = item is not None and item.preview_status in (PreviewStatus.OK,
                                                               PreviewStatus.PENDING)
        if chat is None:
            document = item is not None and item.detected_type in DOCUMENT_TYPES
            return TextSource(None, False, picture, document=document)
        return TextSource(ChatReadStatus(chat.status), bool(chat.details_found), picture,
                          email=chat.platform == EMAIL_PLATFORM, note=chat.note or "")
