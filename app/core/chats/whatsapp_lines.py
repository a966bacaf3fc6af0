"""One line of a WhatsApp "Export chat" text file: is it a header, and what does it say?

Shapes, as real exports pasted into public parsers' bug reports show them (Pustur/
whatsapp-chat-parser issues 248: U+202F before AM/PM, and 224: "8:28 p. m."; mrmelon54/
WhatsAppExportViewer-v0 issue 2: iOS with no comma, group events with no sender; mazen160/
whatsapp-chat-parser pull 3: "RS.pdf • 14 pages <attached: 00000002-RS.pdf>"; bernhard-pfann/
lad-gpt issue 3: "[5.04.19, 14:59:45]"):

    Android  12/01/2024, 14:05 - Bob: text             1/12/24, 2:05 PM - Bob: text
    iOS      [12/01/2024, 14:05:09] Bob: text          [1/12/24, 2:05:09 PM] Bob: text
    dotted   12.01.24, 14:05 - Bob: text               [12.01.24, 14:05:09] Bob: text
    no comma [31/12/2022 11:40:26] Bob: text           year first: 2024-01-12 14:05 - Bob: text

iOS puts U+200E (LEFT-TO-RIGHT MARK) before attachment and system lines and names the group
(or the contact) as their "sender"; newer exports put U+202F (NARROW NO-BREAK SPACE) before
AM/PM; Android writes system lines with no sender at all. A header only counts when its whole
shape fits: otherwise the line belongs to the message above (people paste dates too).
"""

import re
from datetime import datetime
from typing import NamedTuple

from app.core.chats.model import DateOrder

MARKS = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"
_M = "[\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]*"
_SP = "[ \u00a0\u202f]"
_DATE = r"(?P<d1>\d{1,4})(?P<sep>[./-])(?P<d2>\d{1,2})(?P=sep)(?P<d3>\d{2,4})\.?"
_TIME = (rf"(?P<h>\d{{1,2}})[:.](?P<mi>\d{{2}})(?:[:.](?P<s>\d{{2}}))?"
         rf"(?:{_SP}?(?P<ampm>[AaPp]\.?{_SP}?[Mm]\.?))?")
# Between the date and the time: a comma, a space, or a word (French Android "14/03/2025 à
# 21:01", Finnish iPhone "[14.3.2025 klo 21.01.10]"): chats in those languages had been kept
# as documents, their messages unread.
_GAP = rf"(?:,?{_SP}(?:à|klo){_SP}|,?{_SP})"
_ANDROID = re.compile(rf"^{_M}{_DATE}{_GAP}{_M}{_TIME}{_M}{_SP}?[-–]{_SP}(?P<rest>.*)$")
_IOS = re.compile(rf"^{_M}\[{_DATE}{_GAP}{_M}{_TIME}{_M}\]{_SP}(?P<rest>.*)$")

# iOS may put a document's label first: "RS.pdf • 14 pages <attached: 00000002-RS.pdf>".
_ATTACHED = re.compile(
    r"^(?P<label>.*?) ?<(?:attached|anhang|adjunto|allegato|pi[eè]ce jointe|anexo|bijlage): "
    r"(?P<name>[^<>]+)>$", re.IGNORECASE)
_FILE_ATTACHED = re.compile(
    r"^(?P<name>[^<>/\\]+?\.\w{1,5}) \((?:file attached|datei angehängt|archivo adjunto|"
    r"fichier joint|arquivo anexado|file allegato|bestand bijgevoegd)\)$", re.IGNORECASE)
_OMITTED = re.compile(
    r"^(?:<(?:media omitted|medien ausgeschlossen|multimedia omitido|médias omis|"
    r"media omessi|mídia oculta|media weggelaten)>|(?:image|video|audio|sticker|gif|document|"
    r"contact card) omitted|(?:bild|video|audio|sticker|gif|dokument) weggelassen|"
    r"(?:imagen|video|audio|sticker|gif) omitid[oa])$", re.IGNORECASE)
_DELETED = re.compile(
    r"^(?:this message was deleted|you deleted this message|diese nachricht wurde gelöscht|"
    r"du hast diese nachricht gelöscht|se eliminó este mensaje|eliminaste este mensaje|"
    r"ce message a été supprimé|vous avez supprimé ce message)\.?$", re.IGNORECASE)
# What WhatsApp writes for events, in English and the first few languages people reported.
_SYSTEM = re.compile(
    r"end-to-end encrypt|ende-zu-ende-verschlüsselt|de extremo a extremo|de bout en bout|"
    r"\bcreated (?:this )?group|hat die gruppe .* erstellt|creó el grupo|a créé le groupe|"
    r"\badded\b|hinzugefügt|\bañadió\b|a ajouté|\bleft$|verlassen$|\bsalió\b|est parti|"
    r"\bremoved\b|\bentfernt\b|changed (?:the subject|this group's|the group|their phone|"
    r"to )|\bsecurity code\b|sicherheitsnummer|joined using this group's invite link|"
    r"now an admin|disappearing messages|missed (?:voice|video) call|pinned a message|"
    r"business account|deleted this group's icon|"
    r"\b(?:un)?blocked this contact|kontakt (?:ent)?blockiert|bloqueaste a este contacto|"
    r"desbloqueaste a este contacto|avez (?:dé)?bloqué ce contact",
    re.IGNORECASE)
MAX_NAME_CHARS = 80
_QUOTES = re.compile("[\"“”«»]")
_HEADER_STARTS = frozenset("0123456789[")


class Header(NamedTuple):
    """A line shaped like a message header, its date fields not yet read (the order is
    decided over the whole file). NamedTuples here: made for every line of huge files."""

    d1: str
    d2: str
    d3: str
    hour: int
    minute: int
    second: int | None
    ampm: str | None
    rest: str
    bracketed: bool


def match_header(line: str) -> Header | None:
    start = line.lstrip(MARKS)[:1]
    if not start or start not in _HEADER_STARTS:
        return None  # most continuation lines: no regex at all
    found = (_IOS if start == "[" else _ANDROID).match(line)
    if found is None:
        return None
    second = found["s"]
    ampm = found["ampm"]
    return Header(found["d1"], found["d2"], found["d3"], int(found["h"]), int(found["mi"]),
                  int(second) if second else None,
                  ampm.replace(".", "").replace(" ", "").replace("\u00a0", "")
                  .replace("\u202f", "").lower() if ampm else None,
                  found["rest"], line.lstrip(MARKS).startswith("["))


def order_evidence(header: Header) -> DateOrder | None:
    """Which date order this header proves: a first field over 12 can only be a day."""
    if len(header.d1) == 4:
        return None
    first, second = int(header.d1), int(header.d2)
    if 12 < first <= 31 and 1 <= second <= 12:
        return DateOrder.DAY_FIRST
    if 12 < second <= 31 and 1 <= first <= 12:
        return DateOrder.MONTH_FIRST
    return None


def header_time(header: Header, order: DateOrder) -> datetime | None:
    """The header's date and time under `order`, or None when impossible (then the line is
    not a header at all but text of the message above)."""
    if len(header.d1) == 4:
        year, month, day = int(header.d1), int(header.d2), int(header.d3)
    else:
        first, second, year = int(header.d1), int(header.d2), int(header.d3)
        day, month = (first, second) if order is DateOrder.DAY_FIRST else (second, first)
        if len(header.d3) == 2:
            year += 2000  # WhatsApp began in 2009: a two-digit year is this century's
        elif len(header.d3) != 4:
            return None
    hour = header.hour
    if header.ampm is not None:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if header.ampm == "pm" else 0)
    try:
        return datetime(year, month, day, hour, header.minute, header.second or 0)
    except ValueError:
        return None


class Body(NamedTuple):
    """What the rest of a header line says."""

    sender: str | None
    text: str
    is_system: bool


def split_rest(rest: str, known: frozenset[str]) -> Body | None:
    """Sender and text, a system line (sender None), or None: not a header after all."""
    name, colon, text = rest.partition(": ")
    clean_name = name.strip(MARKS + " ")
    if (colon and clean_name and len(clean_name) <= MAX_NAME_CHARS
            and not _QUOTES.search(clean_name)):
        if text.startswith("\u200e") and _SYSTEM.search(text):
            return Body(None, text.strip(MARKS), True)  # iOS: the "sender" is the group
        # iOS's own mark before "This message was deleted." and attachments, not the sender's
        # words: kept, it showed as "\u200e" in the bundle's CSV and report.
        return Body(clean_name, text.removeprefix("\u200e"), False)
    if rest.endswith(":") and 0 < len(rest.strip(MARKS)) - 1 <= MAX_NAME_CHARS:
        return Body(rest.strip(MARKS)[:-1], "", False)  # a message with no text
    event = rest.strip(MARKS)
    # "You deleted this message" with no sender: the person's own message, gone. Joined to
    # the message above, it had read as the offender's words, and a message was lost.
    if _SYSTEM.search(event) or _DELETED.match(event) \
            or any(event.startswith(n + " ") for n in known):
        return Body(None, event, True)
    return None


class Media(NamedTuple):
    attachment: str | None
    omitted: bool
    deleted: bool
    label: str = ""


def first_line_media(line: str) -> Media | None:
    """An attachment, "<Media omitted>" or "This message was deleted" on a message's first
    line, in the forms WhatsApp writes (and a few of their translations)."""
    clean = line.strip(MARKS + " ")
    found = _ATTACHED.match(clean)
    if found:
        return Media(found["name"].strip(MARKS + " "), False, False,
                     found["label"].strip(MARKS + " "))
    found = _FILE_ATTACHED.match(clean)
    if found:
        return Media(found["name"].strip(MARKS + " "), False, False)
    if _OMITTED.match(clean):
        return Media(None, True, False)
    if _DELETED.match(clean):
        return Media(None, False, True)
    return None
