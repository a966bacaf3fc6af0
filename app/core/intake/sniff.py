"""Tell what a piece of evidence really is from its first bytes, not from its name.

Files sent by criminals are often misnamed, sometimes on purpose (a program named `.jpg`), and
phones and websites misname files all the time (a JPEG saved as `.png`). The importer records
the type found here, and the window shows `note` so a person is not surprised later.

Our own table comes first because it covers the evidence people actually bring (screenshots,
phone photos and videos, voice notes, chat exports, documents) precisely; `puremagic` covers the
long tail. `detect_type` never raises: any bytes give an answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from enum import StrEnum

from app.i18n import tr

OCTET_STREAM = "application/octet-stream"


class EvidenceKind(StrEnum):
    IMAGE = "image"
    VIDEO = "video"
    AUDIO = "audio"
    DOCUMENT = "document"
    ARCHIVE = "archive"
    TEXT = "text"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class DetectedType:
    mime: str
    label: str  # translated, e.g. "JPEG image"
    kind: EvidenceKind
    extension_mismatch: bool
    note: str | None  # one calm sentence when the name and the content disagree

    def with_note(self, note: str | None) -> DetectedType:
        """The same, with one more thing to say about a file kept as it is (a ZIP cut
        short), said when it is added and kept with the item for the officer."""
        if note is None:
            return self
        return replace(self, note=f"{self.note} {note}" if self.note else note)


@dataclass(frozen=True, slots=True)
class _Format:
    mime: str
    label: str  # English; translated when a DetectedType is made
    phrase: str  # the label as it reads in a sentence ("a JPEG image"), for translators
    kind: EvidenceKind
    extensions: frozenset[str]  # names that agree with this content


_ALL: list[_Format] = []  # every format of our own table, in the order defined


def _fmt(mime: str, label: str, phrase: str, kind: EvidenceKind, exts: str) -> _Format:
    _ALL.append(found := _Format(mime, label, phrase, kind, frozenset(exts.split())))
    return found


_K = EvidenceKind
_ISO_MEDIA_EXTS = "mp4 m4v m4a m4b mov qt 3gp 3g2 3gpp f4v"
_ZIP_EXTS = "zip docx docm dotx xlsx xlsm pptx pptm odt ods odp epub apk jar kmz cbz ipa xpi"
_TEXT_EXTS = (
    "txt text log csv tsv md json xml html htm xhtml mht mhtml eml vcf ics srt vtt ini cfg conf"
    " yaml yml svg js css py sh bat ps1 rtf nfo me"
)

# A table reads best as one row per format.
# fmt: off
PNG = _fmt("image/png", "PNG image", "a PNG image", _K.IMAGE, "png apng")
JPEG = _fmt("image/jpeg", "JPEG image", "a JPEG image", _K.IMAGE, "jpg jpeg jpe jfif jfi jif mpo")
GIF = _fmt("image/gif", "GIF image", "a GIF image", _K.IMAGE, "gif")
WEBP = _fmt("image/webp", "WebP image", "a WebP image", _K.IMAGE, "webp")
BMP = _fmt("image/bmp", "BMP image", "a BMP image", _K.IMAGE, "bmp dib")
# Camera raw formats are TIFF inside, so their names agree with TIFF content.
TIFF = _fmt("image/tiff", "TIFF image", "a TIFF image", _K.IMAGE,
            "tif tiff dng nef nrw cr2 arw srw sr2 pef erf 3fr mos")
HEIC = _fmt("image/heic", "HEIC photo", "a HEIC photo", _K.IMAGE, "heic heif hif")
AVIF = _fmt("image/avif", "AVIF image", "an AVIF image", _K.IMAGE, "avif")
SVG = _fmt("image/svg+xml", "SVG drawing", "an SVG drawing", _K.IMAGE, "svg svgz " + _TEXT_EXTS)
MP4 = _fmt("video/mp4", "MP4 video", "an MP4 video", _K.VIDEO, _ISO_MEDIA_EXTS)
MOV = _fmt("video/quicktime", "QuickTime video", "a QuickTime video", _K.VIDEO, _ISO_MEDIA_EXTS)
GPP = _fmt("video/3gpp", "3GP video", "a 3GP video", _K.VIDEO, _ISO_MEDIA_EXTS)
M4A = _fmt("audio/mp4", "M4A audio", "an M4A audio file", _K.AUDIO, _ISO_MEDIA_EXTS)
WEBM = _fmt("video/webm", "WebM video", "a WebM video", _K.VIDEO, "webm mkv mka")
MKV = _fmt("video/x-matroska", "Matroska video", "a Matroska video", _K.VIDEO, "mkv mka mk3d webm")
AVI = _fmt("video/x-msvideo", "AVI video", "an AVI video", _K.VIDEO, "avi")
WAV = _fmt("audio/wav", "WAV audio", "a WAV audio file", _K.AUDIO, "wav wave")
MP3 = _fmt("audio/mpeg", "MP3 audio", "an MP3 audio file", _K.AUDIO, "mp3 mpga mp2")
AAC = _fmt("audio/aac", "AAC audio", "an AAC audio file", _K.AUDIO, "aac adts m4a")
# WhatsApp and Telegram voice notes are Opus in Ogg, usually named .opus or .ogg.
OGG = _fmt("audio/ogg", "Ogg audio", "an Ogg audio file", _K.AUDIO, "ogg oga opus spx ogv")
OGV = _fmt("video/ogg", "Ogg video", "an Ogg video", _K.VIDEO, "ogv ogg")
FLAC = _fmt("audio/flac", "FLAC audio", "a FLAC audio file", _K.AUDIO, "flac")
AMR = _fmt("audio/amr", "AMR voice recording", "an AMR voice recording", _K.AUDIO, "amr 3ga")
PDF = _fmt("application/pdf", "PDF document", "a PDF document", _K.DOCUMENT, "pdf ai")
POSTSCRIPT = _fmt("application/postscript", "PostScript document", "a PostScript document",
                  _K.DOCUMENT, "ps eps epsf epsi ai")
RTF = _fmt("application/rtf", "RTF document", "an RTF document", _K.DOCUMENT, "rtf doc")
DOCX = _fmt("application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "Word document", "a Word document", _K.DOCUMENT, "docx docm dotx zip")
XLSX = _fmt("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "Excel spreadsheet", "an Excel spreadsheet", _K.DOCUMENT, "xlsx xlsm xltx zip")
PPTX = _fmt("application/vnd.openxmlformats-officedocument.presentationml.presentation",
            "PowerPoint presentation", "a PowerPoint presentation", _K.DOCUMENT,
            "pptx pptm ppsx potx zip")
ODF = _fmt("application/vnd.oasis.opendocument", "OpenDocument file", "an OpenDocument file",
           _K.DOCUMENT, "odt ods odp odg zip")
EPUB = _fmt("application/epub+zip", "EPUB book", "an EPUB book", _K.DOCUMENT, "epub zip")
OLE = _fmt("application/x-ole-storage", "Office document or Outlook message (older format)",
           "an older Office document or Outlook message", _K.DOCUMENT,
           "doc dot xls xlt ppt pps pot msg msi vsd pub mpp db")
# Outlook's own saved e-mail, told from other Compound Files by its property streams' names
# in the directory (when that is within the start read; else it is said as OLE above).
OUTLOOK_MSG = _fmt("application/vnd.ms-outlook", "Outlook e-mail", "an Outlook e-mail",
                   _K.DOCUMENT, "msg")
_OUTLOOK_STREAM = "__substg1.0_".encode("utf-16-le")
ZIP = _fmt("application/zip", "ZIP archive", "a ZIP archive", _K.ARCHIVE, _ZIP_EXTS)
# "Install this app to video chat" is a known sextortion trick: name apps plainly.
APK = _fmt("application/vnd.android.package-archive", "Android app", "an Android app", _K.OTHER,
           "apk apks xapk zip")
SEVEN_Z = _fmt("application/x-7z-compressed", "7-Zip archive", "a 7-Zip archive", _K.ARCHIVE, "7z")
RAR = _fmt("application/vnd.rar", "RAR archive", "a RAR archive", _K.ARCHIVE, "rar cbr")
GZIP = _fmt("application/gzip", "Gzip archive", "a Gzip archive", _K.ARCHIVE, "gz tgz gzip svgz")
SQLITE = _fmt("application/vnd.sqlite3", "SQLite database", "an SQLite database", _K.OTHER,
              "db db3 sqlite sqlite3 sqlitedb")
EXE_WINDOWS = _fmt("application/vnd.microsoft.portable-executable", "Windows program",
                   "a Windows program", _K.OTHER, "exe dll com scr sys cpl ocx drv efi mui ax bin")
EXE_LINUX = _fmt("application/x-executable", "Linux program", "a Linux program", _K.OTHER,
                 "so bin elf out run o ko axf appimage")
EXE_MAC = _fmt("application/x-mach-binary", "Mac program", "a Mac program", _K.OTHER,
               "dylib bundle o bin")
JAVA_CLASS = _fmt("application/java-vm", "Java program", "a Java program", _K.OTHER, "class")
EMAIL = _fmt("message/rfc822", "E-mail message", "an e-mail message", _K.DOCUMENT,
             "eml msg mht mhtml " + _TEXT_EXTS)
HTML = _fmt("text/html", "Web page", "a web page", _K.TEXT, _TEXT_EXTS)
XML = _fmt("application/xml", "XML text", "XML text", _K.TEXT, _TEXT_EXTS)
TEXT = _fmt("text/plain", "Text", "plain text", _K.TEXT, _TEXT_EXTS)

_FTYP_BRANDS = {
    b"heic": HEIC, b"heix": HEIC, b"heim": HEIC, b"heis": HEIC, b"hevc": HEIC, b"hevx": HEIC,
    b"mif1": HEIC, b"msf1": HEIC, b"avif": AVIF, b"avis": AVIF, b"qt  ": MOV, b"M4A ": M4A,
    b"M4B ": M4A, b"3gp4": GPP, b"3gp5": GPP, b"3gp6": GPP, b"3g2a": GPP,
}
_SIMPLE_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", PNG), (b"\xff\xd8\xff", JPEG), (b"GIF87a", GIF), (b"GIF89a", GIF),
    (b"II*\x00", TIFF), (b"MM\x00*", TIFF), (b"fLaC", FLAC), (b"#!AMR", AMR),
    (b"7z\xbc\xaf\x27\x1c", SEVEN_Z), (b"Rar!\x1a\x07", RAR), (b"\x1f\x8b", GZIP),
    (b"SQLite format 3\x00", SQLITE), (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", OLE),
    (b"{\\rtf", RTF), (b"%!PS", POSTSCRIPT), (b"\xc5\xd0\xd3\xc6", POSTSCRIPT),
    (b"\x7fELF", EXE_LINUX), (b"ID3", MP3), (b"%PDF-", PDF),
)
# fmt: on

# Names whose formats always start with a signature: content without it is clearly not one.
_STRICT = PNG.extensions | JPEG.extensions | GIF.extensions | WEBP.extensions | HEIC.extensions
_STRICT |= PDF.extensions | {"docx", "xlsx", "pptx", "odt", "zip", "7z", "rar", "gz", "flac"}
_KNOWN_EXTENSIONS = frozenset[str]().union(*(f.extensions for f in _ALL))
_PROGRAMS = (EXE_WINDOWS, EXE_LINUX, EXE_MAC, JAVA_CLASS, APK)
_QUICKTIME_ATOMS = (b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot")
_EMAIL_HEADER = re.compile(
    r"(?i)^(received|return-path|delivered-to|from|to|subject|date|message-id|mime-version"
    r"|x-[a-z0-9-]+):[ \t]"
)
_TEXT_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]")


def detect_type(head: bytes, original_name: str) -> DetectedType:
    """The type of a file from `head`, its first ~8 KiB; `original_name` only feeds the note."""
    found = _sniff_content(head)
    extension = _extension(original_name)
    mismatch, note = _compare_with_name(found, extension, head)
    if found is None:
        label = tr("Empty file") if not head else tr("Unknown type of file")
        return DetectedType(OCTET_STREAM, label, EvidenceKind.OTHER, mismatch, note)
    return DetectedType(found.mime, tr(found.label), found.kind, mismatch, note)


def _sniff_content(head: bytes) -> _Format | None:
    if not head:
        return None
    if found := _known_signature(head) or _text_format(head):
        return found
    if b"%PDF-" in head[:1024]:  # PDF readers accept junk before the header, so must we
        return PDF
    return _puremagic_format(head)


def _known_signature(head: bytes) -> _Format | None:
    for magic, fmt in _SIMPLE_SIGNATURES:
        if head.startswith(magic):
            return OUTLOOK_MSG if fmt is OLE and _OUTLOOK_STREAM in head else fmt
    if head[:4] in (
        b"\xfe\xed\xfa\xce",
        b"\xfe\xed\xfa\xcf",
        b"\xce\xfa\xed\xfe",
        b"\xcf\xfa\xed\xfe",
    ):
        return EXE_MAC
    if head.startswith(b"\xca\xfe\xba\xbe") and len(head) >= 8:
        # Shared by universal Mac programs (a small architecture count follows) and Java
        # classes (a class-file version of 45 or more follows).
        return JAVA_CLASS if int.from_bytes(head[4:8], "big") >= 45 else EXE_MAC
    if head.startswith(b"RIFF") and len(head) >= 12:
        return {b"WEBP": WEBP, b"WAVE": WAV, b"AVI ": AVI}.get(head[8:12])
    if head[4:8] == b"ftyp":
        return _FTYP_BRANDS.get(head[8:12], GPP if head[8:11] == b"3gp" else MP4)
    if head[0] == 0 and head[4:8] in _QUICKTIME_ATOMS:
        return MOV
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return WEBM if b"webm" in head[:64] else MKV
    if head.startswith(b"OggS"):
        return OGV if b"theora" in head[:256] else OGG
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return _zip_format(head)
    if head.startswith(b"MZ") and _is_windows_program(head):
        return EXE_WINDOWS
    if head.startswith(b"BM") and len(head) >= 14 and head[6:10] == b"\x00\x00\x00\x00":
        return BMP  # "BM" alone is too weak: the reserved bytes must also be zero
    return _mpeg_audio(head)


def _zip_format(head: bytes) -> _Format:
    first_name = head[30 : 30 + int.from_bytes(head[26:28], "little")]
    if first_name == b"mimetype":
        stored = head[30 + len(first_name) + int.from_bytes(head[28:30], "little") :][:80]
        if stored.startswith(b"application/epub+zip"):
            return EPUB
        if found := re.match(rb"application/vnd\.oasis\.opendocument\.[a-z.-]{1,40}", stored):
            return replace(ODF, mime=found.group().decode("ascii"))
    for marker, fmt in (
        (b"AndroidManifest.xml", APK),
        (b"classes.dex", APK),
        (b"word/", DOCX),
        (b"xl/", XLSX),
        (b"ppt/", PPTX),
    ):
        if marker in head:
            return fmt
    return ZIP


def _is_windows_program(head: bytes) -> bool:
    if len(head) < 64:
        return False
    offset = int.from_bytes(head[60:64], "little")
    if offset + 4 <= len(head):
        return head[offset : offset + 4] == b"PE\x00\x00"
    # The PE header lies beyond the head we were given: "MZ" plus a sane offset must do.
    return 64 <= offset < 4096


def _mpeg_audio(head: bytes) -> _Format | None:
    if len(head) < 4 or head[0] != 0xFF or head[1] & 0xE0 != 0xE0:
        return None
    version, layer = (head[1] >> 3) & 3, (head[1] >> 1) & 3
    if head[1] & 0xF6 == 0xF0:  # 12-bit sync, layer 00: AAC in ADTS frames
        return AAC
    bitrate, rate = head[2] >> 4, (head[2] >> 2) & 3
    # Layer III only: a UTF-16 byte order mark (FF FE) would pass as layer I.
    if version != 1 and layer == 1 and bitrate not in (0, 15) and rate != 3:
        return MP3
    return None


def _text_format(head: bytes) -> _Format | None:
    text = _decode_text(head)
    if text is None:
        return None
    start = text.lstrip("\ufeff \t\r\n")[:512].lower()
    if start.startswith(("<!doctype html", "<html")) or "<html" in start[:256]:
        return HTML
    if "<svg" in start:
        return SVG
    if start.startswith("<?xml"):
        return SVG if "<svg" in text[:4096].lower() else XML
    lines = start.splitlines()[:8]
    # A saved e-mail starts with header lines; one "From: " line alone could be any note.
    header_lines = [line for line in lines if _EMAIL_HEADER.match(line)]
    if lines and _EMAIL_HEADER.match(lines[0]) and len(header_lines) >= 2:
        return EMAIL
    return TEXT


def _decode_text(head: bytes) -> str | None:
    """The head as text if it is clearly text (UTF-8, UTF-16 with a BOM, or a Windows code page)."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = head[2 : len(head) - (len(head) % 2)].decode(
            "utf-16-le" if head[0] == 0xFF else "utf-16-be", errors="replace"
        )
    elif b"\x00" in head:
        return None
    else:
        try:
            text = head.decode("utf-8")
        except UnicodeDecodeError as error:
            # A multi-byte character cut at the end of the head is still text.
            if error.start >= len(head) - 3 and error.reason == "unexpected end of data":
                text = head[: error.start].decode("utf-8")
            else:
                # Not UTF-8: a Windows code page (Notepad's "ANSI") if mostly plain letters.
                text = head.decode("cp1252", errors="replace")
                if sum(1 for c in text if ord(c) >= 0x80) * 3 > len(text):
                    return None
    if text.count("\ufffd") > 2 or _TEXT_CONTROLS.search(text):
        return None
    return text


def _puremagic_format(head: bytes) -> _Format | None:
    # Here, not at the top: puremagic builds its table of about 2,000 signatures on import,
    # which the app's start-up (the main window imports this package) does not need.
    import puremagic

    try:
        matches = puremagic.magic_string(head)
    except Exception:  # puremagic raises for "no match" and may raise for odd bytes
        return None
    best = next((m for m in matches if m.mime_type and m.confidence >= 0.4), None)
    if best is None:
        return None
    extensions = " ".join(
        m.extension.lstrip(".").lower()
        for m in matches
        if m.mime_type == best.mime_type and m.extension
    )
    top = best.mime_type.split("/", 1)[0]
    kind = {"image": _K.IMAGE, "video": _K.VIDEO, "audio": _K.AUDIO, "text": _K.TEXT}.get(top)
    if kind is None:
        kind = (
            _K.ARCHIVE
            if any(w in best.mime_type for w in ("zip", "compressed", "tar", "archive"))
            else _K.OTHER
        )
    # puremagic's names are format names ("Matroska stream"), not sentences to translate.
    return _Format(best.mime_type, best.name.strip(), "", kind, frozenset(extensions.split()))


def _extension(original_name: str) -> str:
    """Lower-case last suffix of a name, or "" (Windows ignores trailing dots and spaces)."""
    base = re.split(r"[\\/]", original_name)[-1].rstrip(". ")
    stem, dot, suffix = base.rpartition(".")
    if not dot or not stem or not re.fullmatch(r"[A-Za-z0-9_+-]{1,16}", suffix):
        return ""
    return suffix.lower()


def _compare_with_name(
    found: _Format | None, extension: str, head: bytes
) -> tuple[bool, str | None]:
    if not extension or extension not in _KNOWN_EXTENSIONS or not head:
        return False, None
    claimed = extension.upper()
    if found is None:
        if extension not in _STRICT:
            return False, None
        return True, _say(
            "The name says {claimed} but the content is not a {claimed} file. "
            "The file is kept exactly as it is.",
            claimed=claimed,
        )
    if extension in found.extensions:
        return False, None
    if found in _PROGRAMS:
        return True, _say(
            "The name says {claimed} but the content is {what}. It is kept safely as "
            "evidence; please do not open it.",
            claimed=claimed,
            what=tr(found.phrase),
        )
    if found.phrase:
        return True, _say(
            "The name says {claimed} but the content is {what}.",
            claimed=claimed,
            what=tr(found.phrase),
        )
    return True, _say(
        "The name says {claimed} but the content is another type of file ({label}).",
        claimed=claimed,
        label=found.label,
    )


def _say(template: str, **values: str) -> str:
    """Translate, then fill in; a translation with broken placeholders falls back to English."""
    try:
        return tr(template).format(**values)
    except (KeyError, IndexError, ValueError):
        return template.format(**values)
