"""For each identifier, the exhibits that show it ("AB/3"), each marked where the link came from
Safekeep reading the identifier in that exhibit (text recognition in a picture, a chat's
messages, a PDF's text: app/core/records/recognised.py) rather than from the person. Used by
csv/identifiers.csv and the report's identifier tables."""

from collections.abc import Callable
from xml.sax.saxutils import escape

from app.core.pictures import PDF_READER
from app.core.reading import DOCUMENT_TYPES, TEXT_READER, is_document_reading
from app.core.records import IdentifierRow
from app.export.casedata import CaseSnapshot
from app.i18n import tr, tr_n


def found_mark(in_a_chat: bool, in_a_document: bool = False) -> str:
    """Where a link Safekeep made came from: a picture's text it read, a chat export's
    messages or a document's text (an officer told "text recognition" would look for a
    picture, and would doubt words a PDF or a text file holds as text)."""
    if in_a_chat:
        return tr("(found in its messages)")
    return tr("(found in its text)") if in_a_document else tr("(found by text recognition)")


def text_read_words(engine: str, status: str) -> str:
    """How an exhibit's text was read, for its continuity: by recognition, or (a PDF) the
    words it holds as they are (a PDF, a text file), or why they could not be; "" for a text
    file found to be a chat export (its messages are read as a chat's, said apart)."""
    if engine.startswith(TEXT_READER) and status == "none":
        return ""
    if engine.startswith(PDF_READER) and status == "locked":
        return tr("its text could not be read: it is locked with a password ({engine})").format(
            engine=engine)
    if is_document_reading(engine) and status != "ok":
        return tr("its text could not be read ({engine})").format(engine=engine)
    if engine.startswith(TEXT_READER):
        return tr("its words were read as plain text ({encoding}), on a working copy").format(
            encoding=engine.removeprefix(TEXT_READER).strip() or "UTF-8")
    if is_document_reading(engine):
        return tr("the text it holds was read ({engine}), on a working copy").format(
            engine=engine)
    return tr("its text was read by text recognition ({engine}), on a working copy").format(
        engine=engine)


def document_ids(snap: CaseSnapshot) -> frozenset[int]:
    """The items that are documents (PDFs, text files that are not chat exports), whose text
    Safekeep reads as it is written."""
    if "documents" not in snap.memo:
        chats = chat_export_ids(snap)
        snap.memo["documents"] = frozenset(
            e.id for e in snap.evidence
            if e.detected_type in DOCUMENT_TYPES and e.id not in chats)
    documents: frozenset[int] = snap.memo["documents"]
    return documents


def chat_export_ids(snap: CaseSnapshot) -> frozenset[int]:
    """The items that are chat exports read into conversations."""
    if "chat_exports" not in snap.memo:
        snap.memo["chat_exports"] = frozenset(c.evidence_id for c in snap.conversations)
    chats: frozenset[int] = snap.memo["chat_exports"]
    return chats


def found_marks(snap: CaseSnapshot) -> Callable[[int], str]:
    """found_mark for an exhibit of the snapshot, by its evidence id."""
    chats, documents = chat_export_ids(snap), document_ids(snap)
    return lambda evidence_id: found_mark(evidence_id in chats, evidence_id in documents)


def found_in(snap: CaseSnapshot, ident: IdentifierRow) -> list[str]:
    """The exhibit references, as plain text: "AB/1", "AB/3 (found by text recognition)"."""
    mark = found_marks(snap)
    return [f"{snap.exhibit(e)} {mark(e)}" if e in ident.recognised_ids else snap.exhibit(e)
            for e in ident.evidence_ids]


def found_in_markup(snap: CaseSnapshot, ident: IdentifierRow, limit: int = 12) -> str:
    """The same as ReportLab paragraph markup: one exhibit a line, the machine's mark in grey.

    At most `limit` lines: text recognition may link a username to hundreds of screenshots,
    and a table cell taller than a page cannot be laid out; the CSV lists every one."""
    mark = found_marks(snap)
    lines = [escape(snap.exhibit(e)) + (f' <font color="#5b636b">{escape(mark(e))}</font>'
                                        if e in ident.recognised_ids else "")
             for e in ident.evidence_ids[:limit]]
    rest = len(ident.evidence_ids) - limit
    if rest > 0:
        # Words that wrap in a narrow column (a path would be broken mid-name).
        lines.append(escape(tr_n("and %n more, listed in the CSV files",
                                 "and %n more, listed in the CSV files", rest)))
    return "<br/>".join(lines)
