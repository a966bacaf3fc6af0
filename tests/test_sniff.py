"""Type detection from content: every input is made here (Pillow, stdlib writers, or bytes)."""

import gzip
import io
import os
import sqlite3
import struct
import wave
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from app.core.intake.sniff import DetectedType, EvidenceKind, detect_type
from app.i18n import set_translator


def image_bytes(fmt: str, mode: str = "RGB", **options: object) -> bytes:
    out = io.BytesIO()
    Image.new(mode, (64, 40), "white").save(out, fmt, **options)
    return out.getvalue()


def zip_bytes(*names: str, first: tuple[str, bytes] | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        if first:  # EPUB and OpenDocument store their "mimetype" first, uncompressed
            archive.writestr(first[0], first[1], compress_type=zipfile.ZIP_STORED)
        for name in names:
            archive.writestr(name, b"<xml/>" * 10, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def wav_bytes() -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as sound:
        sound.setnchannels(1)
        sound.setsampwidth(2)
        sound.setframerate(8000)
        sound.writeframes(b"\0\0" * 800)
    return out.getvalue()


def sqlite_bytes(tmp_path: Path) -> bytes:
    path = tmp_path / "msgstore.db"
    with sqlite3.connect(path) as db:
        db.execute("create table messages (body text)")
    return path.read_bytes()


def pe_bytes() -> bytes:
    header = bytearray(256)
    header[:2] = b"MZ"
    header[60:64] = struct.pack("<I", 128)
    header[128:132] = b"PE\0\0"
    return bytes(header)


def iso_media(brand: bytes) -> bytes:
    return b"\x00\x00\x00\x18ftyp" + brand + b"\x00\x00\x02\x00isommp42" + b"\0" * 64


PS_HEAD = b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\n"

CASES: list[tuple[str, bytes, str, str, EvidenceKind]] = [
    # (id, content, a name that agrees, expected MIME, expected kind)
    ("png", image_bytes("PNG"), "shot.png", "image/png", EvidenceKind.IMAGE),
    ("jpeg", image_bytes("JPEG"), "IMG_0001.JPG", "image/jpeg", EvidenceKind.IMAGE),
    ("gif", image_bytes("GIF"), "a.gif", "image/gif", EvidenceKind.IMAGE),
    ("webp", image_bytes("WEBP"), "a.webp", "image/webp", EvidenceKind.IMAGE),
    ("bmp", image_bytes("BMP"), "a.bmp", "image/bmp", EvidenceKind.IMAGE),
    ("tiff", image_bytes("TIFF"), "scan.tif", "image/tiff", EvidenceKind.IMAGE),
    ("ico", image_bytes("ICO"), "favicon.ico", "image/x-icon", EvidenceKind.IMAGE),
    ("pdf", image_bytes("PDF"), "statement.pdf", "application/pdf", EvidenceKind.DOCUMENT),
    ("eps", PS_HEAD, "figure.eps", "application/postscript", EvidenceKind.DOCUMENT),
    ("heic", iso_media(b"heic"), "IMG_1234.HEIC", "image/heic", EvidenceKind.IMAGE),
    ("mp4", iso_media(b"isom"), "call.mp4", "video/mp4", EvidenceKind.VIDEO),
    ("mov", iso_media(b"qt  "), "IMG_0002.MOV", "video/quicktime", EvidenceKind.VIDEO),
    ("m4a", iso_media(b"M4A "), "voice.m4a", "audio/mp4", EvidenceKind.AUDIO),
    ("3gp", iso_media(b"3gp4"), "clip.3gp", "video/3gpp", EvidenceKind.VIDEO),
    (
        "webm",
        b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x84webm",
        "rec.webm",
        "video/webm",
        EvidenceKind.VIDEO,
    ),
    (
        "ogg-opus",
        b"OggS\x00\x02" + b"\0" * 22 + b"OpusHead",
        "PTT-2024.opus",
        "audio/ogg",
        EvidenceKind.AUDIO,
    ),
    ("wav", wav_bytes(), "memo.wav", "audio/wav", EvidenceKind.AUDIO),
    (
        "mp3-id3",
        b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\0" * 32,
        "song.mp3",
        "audio/mpeg",
        EvidenceKind.AUDIO,
    ),
    ("mp3-frame", b"\xff\xfb\x90\x64" + b"\0" * 64, "song.mp3", "audio/mpeg", EvidenceKind.AUDIO),
    ("aac", b"\xff\xf1\x50\x80\x02\x1f\xfc" + b"\0" * 32, "a.aac", "audio/aac", EvidenceKind.AUDIO),
    ("amr", b"#!AMR\n" + b"\0" * 32, "voice.amr", "audio/amr", EvidenceKind.AUDIO),
    ("zip", zip_bytes("chat/1.txt"), "export.zip", "application/zip", EvidenceKind.ARCHIVE),
    (
        "docx",
        zip_bytes("[Content_Types].xml", "word/document.xml"),
        "letter.docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        EvidenceKind.DOCUMENT,
    ),
    (
        "apk",
        zip_bytes("AndroidManifest.xml", "classes.dex"),
        "videochat.apk",
        "application/vnd.android.package-archive",
        EvidenceKind.OTHER,
    ),
    (
        "epub",
        zip_bytes("OEBPS/a.html", first=("mimetype", b"application/epub+zip")),
        "b.epub",
        "application/epub+zip",
        EvidenceKind.DOCUMENT,
    ),
    (
        "odt",
        zip_bytes("content.xml", first=("mimetype", b"application/vnd.oasis.opendocument.text")),
        "notes.odt",
        "application/vnd.oasis.opendocument.text",
        EvidenceKind.DOCUMENT,
    ),
    (
        "gzip",
        gzip.compress(b"log line\n" * 50),
        "logs.tar.gz",
        "application/gzip",
        EvidenceKind.ARCHIVE,
    ),
    (
        "7z",
        b"7z\xbc\xaf\x27\x1c\x00\x04" + b"\0" * 24,
        "a.7z",
        "application/x-7z-compressed",
        EvidenceKind.ARCHIVE,
    ),
    (
        "rar",
        b"Rar!\x1a\x07\x01\x00" + b"\0" * 24,
        "a.rar",
        "application/vnd.rar",
        EvidenceKind.ARCHIVE,
    ),
    (
        "ole",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64,
        "old.doc",
        "application/x-ole-storage",
        EvidenceKind.DOCUMENT,
    ),
    ("rtf", b"{\\rtf1\\ansi hello}", "a.rtf", "application/rtf", EvidenceKind.DOCUMENT),
    (
        "exe",
        pe_bytes(),
        "setup.exe",
        "application/vnd.microsoft.portable-executable",
        EvidenceKind.OTHER,
    ),
    (
        "elf",
        b"\x7fELF\x02\x01\x01" + b"\0" * 57,
        "tool",
        "application/x-executable",
        EvidenceKind.OTHER,
    ),
    (
        "text",
        "Hello — it's me. Pay or else.\n".encode() * 3,
        "chat.txt",
        "text/plain",
        EvidenceKind.TEXT,
    ),
    (
        "text-utf16",
        "WhatsApp chat\r\n".encode("utf-16"),
        "chat.txt",
        "text/plain",
        EvidenceKind.TEXT,
    ),
    (
        "text-cp1252",
        "Caf\xe9 au lait, 5\u20ac\n".encode("cp1252") * 5,
        "note.txt",
        "text/plain",
        EvidenceKind.TEXT,
    ),
    (
        "html",
        b"<!DOCTYPE html><html><body>Profile</body></html>",
        "page.html",
        "text/html",
        EvidenceKind.TEXT,
    ),
    (
        "svg",
        b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>',
        "a.svg",
        "image/svg+xml",
        EvidenceKind.IMAGE,
    ),
    (
        "email",
        b"Return-Path: <x@example.com>\nReceived: from mx\nSubject: pay\n\nhi",
        "m.eml",
        "message/rfc822",
        EvidenceKind.DOCUMENT,
    ),
]


@pytest.mark.parametrize(
    ("content", "name", "mime", "kind"), [case[1:] for case in CASES], ids=[c[0] for c in CASES]
)
def test_content_decides_the_type(content: bytes, name: str, mime: str, kind: EvidenceKind) -> None:
    found = detect_type(content[:8192], name)
    assert (found.mime, found.kind) == (mime, kind)
    assert found.label and not found.extension_mismatch and found.note is None


def test_a_real_sqlite_database_such_as_a_chat_backup(tmp_path: Path) -> None:
    found = detect_type(sqlite_bytes(tmp_path)[:8192], "msgstore.db")
    assert (found.mime, found.kind, found.extension_mismatch) == (
        "application/vnd.sqlite3",
        EvidenceKind.OTHER,
        False,
    )


def test_a_jpeg_named_png_is_noted_calmly() -> None:
    found = detect_type(image_bytes("JPEG"), "Screenshot 2024-03-01.png")
    assert found == DetectedType(
        "image/jpeg",
        "JPEG image",
        EvidenceKind.IMAGE,
        True,
        "The name says PNG but the content is a JPEG image.",
    )


@pytest.mark.parametrize(
    "name", ["holiday.jpg", "photo.JPG", "C:\\Users\\me\\cute.jpeg", "invoice.pdf", "voice.mp3"]
)
def test_a_program_disguised_as_something_else(name: str) -> None:
    found = detect_type(pe_bytes(), name)
    assert found.extension_mismatch and found.kind is EvidenceKind.OTHER
    assert found.label == "Windows program"
    assert found.note is not None and "a Windows program" in found.note
    assert "please do not open it" in found.note


def test_an_android_app_named_as_a_video() -> None:
    found = detect_type(zip_bytes("AndroidManifest.xml"), "private_video.mp4")
    assert found.extension_mismatch and found.note and "an Android app" in found.note


def test_text_named_as_an_image() -> None:
    found = detect_type(b"just some words\n", "nude.png")
    assert found.kind is EvidenceKind.TEXT and found.extension_mismatch
    assert found.note == "The name says PNG but the content is plain text."


def test_unknown_content() -> None:
    junk = bytes(range(256)) * 4
    found = detect_type(junk, "data.bin")
    assert (found.mime, found.kind, found.label) == (
        "application/octet-stream",
        EvidenceKind.OTHER,
        "Unknown type of file",
    )
    assert not found.extension_mismatch
    # A format that always starts with a signature is clearly not what the name says ...
    png = detect_type(junk, "picture.png")
    assert png.extension_mismatch and png.note and "not a PNG file" in png.note
    # ... but unknown content under a name we do not know, or one without a signature, is not.
    assert not detect_type(junk, "recording.mp3").extension_mismatch
    assert not detect_type(junk, "thing.xyz").extension_mismatch
    assert not detect_type(junk, "no_extension").extension_mismatch


def test_empty_input() -> None:
    found = detect_type(b"", "empty.png")
    assert (found.mime, found.kind, found.label) == (
        "application/octet-stream",
        EvidenceKind.OTHER,
        "Empty file",
    )
    assert not found.extension_mismatch and found.note is None


@pytest.mark.parametrize(
    ("name", "mismatch"),
    [
        ("shot.PNG", False),
        ("shot.png.", False),  # Windows drops trailing dots
        ("folder.jpg/shot.png", False),
        ("shot.jpg", True),
        (".png", False),  # a hidden file named ".png" has no extension
        ("shot", False),
        ("shot.p n g", False),
        ("shot.jpg_large", False),  # Twitter's name: not one we know, so no claim
        ("shot.docx", True),
    ],
)
def test_names_are_read_like_the_operating_system_does(name: str, mismatch: bool) -> None:
    assert detect_type(image_bytes("PNG"), name).extension_mismatch is mismatch


def test_close_relatives_do_not_count_as_mismatches() -> None:
    assert not detect_type(iso_media(b"qt  "), "clip.mp4").extension_mismatch
    assert not detect_type(iso_media(b"isom"), "clip.mov").extension_mismatch
    assert not detect_type(zip_bytes("word/document.xml"), "letter.zip").extension_mismatch
    assert not detect_type(image_bytes("TIFF"), "raw.dng").extension_mismatch
    assert not detect_type(b"a,b\n1,2\n", "table.csv").extension_mismatch
    assert not detect_type(image_bytes("PDF"), "drawing.ai").extension_mismatch


def test_pdf_with_junk_before_its_header() -> None:
    assert detect_type(b"\r\n\x00junk" + image_bytes("PDF"), "a.pdf").mime == "application/pdf"
    assert detect_type(b"My notes mention %PDF- files.\n", "n.txt").mime == "text/plain"


def test_labels_and_notes_are_translated() -> None:
    set_translator(lambda context, text: f"«{text}»")
    try:
        found = detect_type(image_bytes("JPEG"), "a.png")
    finally:
        set_translator(None)
    assert found.label == "«JPEG image»"
    assert found.note == "«The name says PNG but the content is «a JPEG image».»"


def test_a_broken_translation_does_not_break_detection() -> None:
    set_translator(lambda context, text: text.upper())  # "{claimed}" became "{CLAIMED}"
    try:
        found = detect_type(image_bytes("JPEG"), "a.png")
    finally:
        set_translator(None)
    assert found.note == "The name says PNG but the content is A JPEG IMAGE."


def test_a_head_cut_inside_a_utf8_character_is_still_text() -> None:
    head = ("é" * 5000).encode()[:8191]
    assert detect_type(head, "a.txt").kind is EvidenceKind.TEXT


SIGNATURES = [case[1][:12] for case in CASES] + [b"MZ", b"BM", b"RIFF", b"PK\x03\x04", b"\xca\xfe"]


@settings(max_examples=400, deadline=None)
@given(
    head=st.one_of(
        st.binary(max_size=300),
        st.builds(lambda sig, tail: sig + tail, st.sampled_from(SIGNATURES), st.binary()),
    ),
    name=st.text(max_size=40),
)
def test_never_raises_on_any_bytes_or_name(head: bytes, name: str) -> None:
    found = detect_type(head, name)
    assert isinstance(found.kind, EvidenceKind) and "/" in found.mime and found.label
    assert (found.note is not None) == found.extension_mismatch


def test_random_bytes_are_not_mistaken_for_text() -> None:
    for seed in range(20):
        head = os.urandom(8192)
        assert detect_type(head, f"{seed}.bin").kind is not EvidenceKind.TEXT


def test_an_outlook_e_mail_is_told_from_other_compound_files() -> None:
    from tests.chats.outlook_msg_file import msg_file

    saved = msg_file(subject="pay", body="now")
    found = detect_type(saved[:8192], "Final warning.msg")
    assert (found.mime, found.label, found.extension_mismatch) == (
        "application/vnd.ms-outlook", "Outlook e-mail", False)
    # A .msg whose directory lies past the start is said as a Compound File, without alarm.
    assert not detect_type(saved[:512], "Final warning.msg").extension_mismatch
