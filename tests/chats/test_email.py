"""Saved e-mails (.eml) read like a chat of one message: who sent it, when (with the zone its
Date line states), the subject, where replies go and the text, plain or HTML; the offender's
details in it offered; the person's own address never offered; broken and crafted e-mails
refused calmly or read as far as they hold.

Shaped as each mail program saves them (checked against RFC 5322 and their "save" or
"download" output): Gmail's "Download message" (CRLF, DKIM, multipart/alternative,
quoted-printable, an encoded-word subject), Outlook on the web (HTML only, base64,
windows-1252) and Thunderbird's "Save as" (an mbox "From " line first, X-Mozilla lines).
"""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from app.core.chats import Message, Platform, detect, read_chat_export
from app.core.chats import email_message as email_module
from app.core.intake import import_paths
from app.core.reading import find_in_chats, suggestion_groups
from app.errors import ChatExportUnreadable
from app.models.casefile import CaseFile

GMAIL = (
    "Delivered-To: alex.victim@example.org\r\n"
    "Received: by 2002:a05:6a10:1234 with SMTP id abc;\r\n"
    "        Thu, 13 Mar 2025 15:41:09 -0700 (PDT)\r\n"
    "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.com; s=s1;\r\n"
    "        h=from:to:subject:date; bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=;\r\n"
    "        b=dGhpcyBpcyBub3QgYSByZWFsIHNpZ25hdHVyZQ==\r\n"
    "MIME-Version: 1.0\r\n"
    "From: Jess T <jess.t58@example.com>\r\n"
    "Date: Thu, 13 Mar 2025 23:40:59 +0100\r\n"
    "Message-ID: <CAF=abc@mail.example.com>\r\n"
    "Subject: =?UTF-8?Q?I_have_your_video_=F0=9F=98=88?=\r\n"
    "To: Alex <alex.victim@example.org>\r\n"
    "Cc: \"Smith, Jo\" <jo.smith@example.org>\r\n"
    "Reply-To: Payments <payme.now@example.net>\r\n"
    "Content-Type: multipart/alternative; boundary=\"000000000000abcd\"\r\n"
    "\r\n"
    "--000000000000abcd\r\n"
    "Content-Type: text/plain; charset=\"UTF-8\"\r\n"
    "Content-Transfer-Encoding: quoted-printable\r\n"
    "\r\n"
    "I recorded you. Send =C2=A3500 in Bitcoin to bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh=\r\n"
    "\r\nor call +44 7911 123456. You have 24 hours.\r\n"
    "\r\n"
    "--000000000000abcd\r\n"
    "Content-Type: text/html; charset=\"UTF-8\"\r\n"
    "\r\n"
    "<div dir=\"ltr\">I recorded you.</div>\r\n"
    "--000000000000abcd--\r\n"
)


def outlook(html: str, charset: str = "windows-1252") -> bytes:
    body = base64.encodebytes(html.encode(charset if charset != "x-unknown" else "utf-8"))
    return (
        "Received: from EUR01.outbound.protection.outlook.com (40.92.1.1) by\r\n"
        " AM0PR01.outlook.office365.com; Fri, 14 Mar 2025 09:12:00 +0000\r\n"
        "From: \"Support Team\" <support.team.4471@outlook.example>\r\n"
        "To: \"alex.victim@example.org\" <alex.victim@example.org>\r\n"
        "Subject: Final warning\r\n"
        "Date: Fri, 14 Mar 2025 09:11:58 +0000\r\n"
        "Message-ID: <AM0PR01MB1234@AM0PR01.eurprd01.prod.outlook.example>\r\n"
        "X-MS-Has-Attach: yes\r\n"
        f"Content-Type: text/html; charset=\"{charset}\"\r\n"
        "Content-Transfer-Encoding: base64\r\n"
        "MIME-Version: 1.0\r\n\r\n").encode() + body


THUNDERBIRD = (
    "From - Fri Mar 14 10:00:00 2025\n"
    "X-Mozilla-Status: 0001\n"
    "X-Mozilla-Status2: 00000000\n"
    "Return-Path: <kev.w@example.com>\n"
    "From: kev.w@example.com\n"
    "To: alex.victim@example.org\n"
    "Subject: last chance\n"
    "Date: Fri, 14 Mar 2025 10:00:00 -0500\n"
    "Content-Type: text/plain; charset=utf-8\n\n"
    "Western Union MTCN 8305216473 by 5pm or everyone sees it\n"
)


def test_one_name_for_the_platform_in_every_layer() -> None:
    from app.models import EMAIL_PLATFORM

    assert Platform.EMAIL.value == EMAIL_PLATFORM


def the_message(path: Path) -> Message:
    export = read_chat_export(path)
    assert export.platform is Platform.EMAIL
    [conversation] = export.conversations
    [message] = list(conversation.messages())
    return message


def test_a_gmail_download_is_read(tmp_path: Path) -> None:
    path = tmp_path / "I have your video.eml"
    path.write_bytes(GMAIL.encode())
    assert detect(path) is Platform.EMAIL
    export = read_chat_export(path)
    [conversation] = export.conversations
    assert conversation.title == "I have your video 😈"
    assert conversation.participants == ("Jess T", "Alex <alex.victim@example.org>",
                                         "Smith, Jo <jo.smith@example.org>")
    [message] = list(conversation.messages())
    assert (message.sender, message.sender_id) == ("Jess T", "jess.t58@example.com")
    assert message.sent_at.isoformat() == "2025-03-13T23:40:59+01:00"  # as its Date states
    assert message.text.splitlines() == [
        "Subject: I have your video 😈",
        "Replies go to: Payments <payme.now@example.net>",
        "",
        "I recorded you. Send £500 in Bitcoin to bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh",
        "or call +44 7911 123456. You have 24 hours."]
    assert "alex.victim" not in message.text  # the person's own address is not looked through
    assert "jo.smith" not in message.text


def test_an_outlook_html_only_e_mail_is_read_as_its_words(tmp_path: Path) -> None:
    path = tmp_path / "Final warning.eml"
    path.write_bytes(outlook(
        "<html><head><style>p {color: red}</style><title>x</title></head><body>"
        "<p>Pay &pound;300 &amp; nobody sees it.</p><script>var a = 'evil@example.com';"
        "</script><div>IBAN GB82 WEST 1234 5698 7654 32<br>Ref: caf\xe9</div></body></html>"))
    message = the_message(path)
    assert message.sender == "Support Team" and message.sender_id == \
        "support.team.4471@outlook.example"
    assert message.sent_at.isoformat() == "2025-03-14T09:11:58+00:00"
    body = message.text.split("\n\n", 1)[1]
    assert [line for line in body.splitlines() if line] == [
        "Pay £300 & nobody sees it.", "IBAN GB82 WEST 1234 5698 7654 32", "Ref: café"]
    assert "evil@" not in message.text and "color" not in message.text and "<" not in body


def test_thunderbirds_save_as_is_read(tmp_path: Path) -> None:
    path = tmp_path / "last chance.eml"
    path.write_text(THUNDERBIRD)
    assert detect(path) is Platform.EMAIL
    message = the_message(path)
    assert (message.sender, message.sender_id) == ("kev.w@example.com", "kev.w@example.com")
    assert message.sent_at.isoformat() == "2025-03-14T10:00:00-05:00"
    assert "MTCN 8305216473" in message.text and "Replies go to" not in message.text


def test_attachments_are_named_and_are_the_exports_members(tmp_path: Path) -> None:
    picture = base64.encodebytes(b"\xff\xd8\xff\xe0" + b"JFIF secret pixels" * 100).decode()
    path = tmp_path / "with picture.eml"
    path.write_text(
        "From: Jess <jess.t58@example.com>\nDate: Thu, 13 Mar 2025 23:40:59 +0100\n"
        "Subject: look\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=B\n\n"
        "--B\nContent-Type: text/plain\n\nthis is you\n--B\n"
        "Content-Type: image/jpeg\nContent-Disposition: attachment; filename=\"you.jpg\"\n"
        f"Content-Transfer-Encoding: base64\n\n{picture}--B--\n")
    message = the_message(path)
    assert message.text.endswith("this is you\n\nAttached: you.jpg (image/jpeg, 1.8 kB)")
    assert "secret" not in message.text
    assert message.attachments == ("attachments/1/you.jpg",)


def test_without_a_date_the_receiving_servers_time_is_used(tmp_path: Path) -> None:
    path = tmp_path / "no date.eml"
    path.write_text("Received: from a.example by b.example; Sat, 15 Mar 2025 08:00:01 +0000\n"
                    "From: x@example.com\nSubject: hi\n\nPay up\n")
    assert the_message(path).sent_at.isoformat() == "2025-03-15T08:00:01+00:00"
    path.write_text("From: x@example.com\nSubject: hi\nDate: not a date\n\nPay up\n")
    with pytest.raises(ChatExportUnreadable, match="no date Safekeep can read"):
        read_chat_export(path)


@pytest.mark.parametrize("text", [
    "From: Mum\nTo do: milk, eggs\n\nnotes",  # a note, not an e-mail: no Date or Subject
    "Subject: my notes\n\nFrom: the offender, at 22:41",  # no From line in its header
    "12/03/2025, 22:41 - Jess: From: me\n",  # a WhatsApp chat
    # a web page Chrome saved as one file (.mhtml), such as the offender's profile
    "From: <Saved by Blink>\nSnapshot-Content-Location: https://www.facebook.com/x\n"
    "Subject: Jess T | Facebook\nDate: Fri, 14 Mar 2025 10:00:00 -0000\nMIME-Version: 1.0\n",
    "From: <Saved by Windows Internet Explorer 8>\nSubject: x\nDate: Fri, 14 Mar 2025 10:00:00 "
    "-0000\n",
    "",
])
def test_what_is_not_an_e_mail(tmp_path: Path, text: str) -> None:
    path = tmp_path / "notes.txt"
    path.write_text(text)
    assert detect(path) is not Platform.EMAIL


@pytest.mark.parametrize("crafted", [
    # a subject of a million letters, with controls and markup
    "Subject: " + "<b>\x1b[31m" * 100_000 + "\n",
    # a character set Python does not know, and broken base64
    "Content-Type: text/plain; charset=x-unknown\nContent-Transfer-Encoding: base64\n\n"
    "!!!not base64@@@ jess.t58@example.com\n",
    # parts nested ten thousand deep
    "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b0\n\n"
    + "".join(f"--b{i}\nContent-Type: multipart/mixed; boundary=b{i + 1}\n\n"
              for i in range(10_000)),
    # an address that is not one, and a header split oddly
    "Reply-To: =?UTF-8?B?!!!?= <<<@@>>>\nX-Odd:\n \n",
])
def test_crafted_e_mails_are_read_calmly_or_refused(tmp_path: Path, crafted: str) -> None:
    path = tmp_path / "crafted.eml"
    path.write_text("From: Jess <jess.t58@example.com>\nDate: Thu, 13 Mar 2025 23:40:59 +0100\n"
                    + crafted, errors="surrogateescape")
    assert detect(path) is Platform.EMAIL
    try:
        message = the_message(path)
    except ChatExportUnreadable as refused:
        assert refused.message  # one calm sentence
        return
    assert message.sender_id == "jess.t58@example.com"
    assert len(message.text) < 10_000  # a header is read no further than 500 letters


def test_an_e_mail_over_the_cap_is_refused(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(email_module, "MAX_EMAIL_BYTES", 1_000)
    path = tmp_path / "big.eml"
    path.write_bytes(GMAIL.encode() + b"x" * 2_000)
    with pytest.raises(ChatExportUnreadable, match="larger than Safekeep reads"):
        read_chat_export(path)


def test_in_a_case_its_details_are_offered_and_the_persons_own_are_not(
        case: CaseFile, tmp_path: Path) -> None:
    path = tmp_path / "I have your video.eml"
    path.write_bytes(GMAIL.encode())
    [outcome] = import_paths(case, [path])
    assert outcome.status == "added", outcome
    find_in_chats(case)
    values = {group.value for group in suggestion_groups(case)}
    assert {"jess.t58@example.com", "payme.now@example.net", "+44 7911 123456",
            "bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh"} <= values, values
    assert not any("alex.victim" in value for value in values)


def test_the_report_lists_it_as_an_e_mail_and_prints_it(case: CaseFile, tmp_path: Path) -> None:
    from pypdf import PdfReader

    from app.export import export_bundle
    from tests.test_export_support import unzip

    path = tmp_path / "I have your video.eml"
    path.write_bytes(GMAIL.encode())
    import_paths(case, [path])
    result = export_bundle(case, tmp_path / "bundle.zip")
    folder = unzip(result.path, tmp_path / "out")
    text = "\n".join(page.extract_text() or "" for page in PdfReader(folder / "report.pdf").pages)
    assert "Chat message" not in text  # in the chronology it is an e-mail, not a chat
    assert "E-mail" in text and "see “Conversations from chat exports”" in text
    assert "Replies go to: Payments <payme.now@example.net>" in text  # its transcript
    messages = (folder / "csv" / "messages.csv").read_text("utf-8-sig")
    assert "jess.t58@example.com" in messages and "bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh" \
        in messages


def test_adding_one_says_it_was_read_as_an_e_mail(case: CaseFile, tmp_path: Path) -> None:
    from app.core.intake import ChatReading
    from app.ui.evidence.importing import chats_note

    path = tmp_path / "I have your video.eml"
    path.write_bytes(GMAIL.encode())
    broken = tmp_path / "no date.eml"
    broken.write_text("From: x@example.com\nSubject: hi\nDate: never\n\nPay up\n")
    readings: list[ChatReading] = []
    import_paths(case, [path, broken], on_chat=readings.append)
    assert readings[0].line() == "  Read as an e-mail: its sender, time, subject and text."
    assert "no date Safekeep can read" in readings[1].line()
    assert chats_note(readings) == [
        "The e-mail is on the Chats tab.",
        "An e-mail is kept, but it could not be read; the Chats tab says why."]


def _with_attachments(path: Path, files: list[tuple[str, str, bytes]]) -> Path:
    parts = "".join(
        f"--B\nContent-Type: {kind}\nContent-Disposition: attachment; filename=\"{name}\"\n"
        f"Content-Transfer-Encoding: base64\n\n{base64.encodebytes(data).decode()}"
        for name, kind, data in files)
    path.write_text(
        "From: Jess <jess.t58@example.com>\nDate: Thu, 13 Mar 2025 23:40:59 +0100\n"
        "Subject: look\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=B\n\n"
        f"--B\nContent-Type: text/plain\n\nthis is you\n{parts}--B--\n")
    return path


def test_an_attached_picture_is_kept_as_an_item_of_its_own(case: CaseFile,
                                                           tmp_path: Path) -> None:
    """As a chat export's photos are: previewed, read, and linked to the e-mail; hidden when
    the e-mail was added with "Hide what I add next"."""
    import io

    from PIL import Image

    from app.core.records.evidence import list_evidence

    picture = io.BytesIO()
    Image.new("RGB", (64, 48), "white").save(picture, "PNG")
    mail = _with_attachments(tmp_path / "look.eml", [
        ("you.png", "image/png", picture.getvalue()),
        ("../../etc/passwd", "text/plain", b"root:x:0:0\n"),  # a name that climbs out
        ("\u202egpj.exe", "application/octet-stream", b"MZ"),  # a name that hides its end
    ])
    outcomes = import_paths(case, [mail], sensitive=True)
    assert [o.status for o in outcomes] == ["added"] * 4, outcomes
    items = {e.original_name: e for e in list_evidence(case)}
    assert set(items) == {"look.eml", "you.png", "passwd", "gpj.exe"}
    assert items["you.png"].preview_status == "ok" and items["you.png"].sensitive
    assert all(item.sensitive for item in items.values())


def test_many_attachments_and_broken_ones(tmp_path: Path) -> None:
    from app.core.chats import Container
    from app.core.chats.email_parts import MAX_ATTACHMENTS

    mail = _with_attachments(tmp_path / "many.eml", [
        (f"{n}.txt", "text/plain", b"x") for n in range(MAX_ATTACHMENTS + 5)])
    container = Container.open(mail, attachments=True)
    assert len(container.attached) == MAX_ATTACHMENTS  # the rest stay inside the e-mail
    with container.binary("attachments/3/2.txt") as part:
        assert part.read() == b"x"
    # Each member's size and bytes come from one reading of the e-mail, not one each.
    from app.core.chats import email_parts

    parses: list[bytes] = []
    real_parse = email_parts.parse_email
    email_parts.parse_email = lambda data: parses.append(data) or real_parse(data)  # type: ignore[assignment]
    try:
        fresh = Container.open(mail, attachments=True)
        parses.clear()
        for member in fresh.attached[:20]:
            assert fresh.size(member) == 1
            with fresh.binary(member) as part:
                assert part.read() == b"x"
    finally:
        email_parts.parse_email = real_parse
    assert len(parses) == 1
    assert Container.open(mail).attached == ()  # detection reads no further than it needs
    broken = tmp_path / "broken.eml"
    broken.write_text("From: a@example.com\nDate: Thu, 13 Mar 2025 23:40:59 +0100\n"
                      "Content-Type: multipart/mixed; boundary=B\n\n--B\n"
                      "Content-Disposition: attachment; filename=x.bin\n"
                      "Content-Transfer-Encoding: base64\n\n!!!!\n--B--\n")
    assert Container.open(broken, attachments=True).attached == ("attachments/1/x.bin",)


def test_a_detail_late_in_a_long_e_mail_is_shown_with_its_words(case: CaseFile,
                                                                 tmp_path: Path) -> None:
    """The message beside a detail showed its first 200 letters: in an e-mail the wallet
    comes after paragraphs of threats, and was not in sight."""
    from app.core.reading import suggestions_for

    threats = "I know everything about you and your family. " * 12
    mail = tmp_path / "long.eml"
    mail.write_text("From: Jess <jess.t58@example.com>\nDate: Thu, 13 Mar 2025 23:40:59 +0100\n"
                    f"Subject: read this\n\n{threats}\nPay to "
                    "bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh within 24 hours.\n")
    [outcome] = import_paths(case, [mail])
    find_in_chats(case)
    assert outcome.evidence_id is not None
    found = {s.value: s for s in suggestions_for(case, outcome.evidence_id)}
    wallet = found["bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh"].message
    assert wallet is not None
    assert wallet.text == "…Pay to bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh within 24 hours."
    sender = found["jess.t58@example.com"].message  # from the From line: not in the words
    assert sender is not None and sender.text.startswith("Subject: read this")


def test_the_checklist_does_not_take_an_e_mail_for_a_saved_chat(case: CaseFile,
                                                               tmp_path: Path) -> None:
    """"Save the whole conversation as well" asks for the chat itself: an e-mail saved is not
    it, so the step is not offered as done ("You added a chat export...")."""
    from app.core.guidance.case_shows import fact_finding, read_case_records
    from tests.test_chat_details import WHATSAPP

    mail = tmp_path / "I have your video.eml"
    mail.write_bytes(GMAIL.encode())
    import_paths(case, [mail])
    assert fact_finding("chat-export-added", read_case_records(case)) is None
    chat = tmp_path / "WhatsApp Chat with Sam.txt"
    chat.write_text(WHATSAPP, encoding="utf-8")
    import_paths(case, [chat])
    finding = fact_finding("chat-export-added", read_case_records(case))
    assert finding is not None
    assert finding.reason == "You added a chat export, and its messages were read."
