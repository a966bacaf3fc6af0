"""Outlook's own .msg e-mails, written as [MS-OXMSG] lays them out (outlook_msg_file.py), read
as the saved e-mail they hold: a received one by the headers its servers wrote (its Date's
zone, Reply-To), one never sent by its own properties; its attachments kept as items; damaged
and crafted ones kept and not read, calmly; a Word document (also a Compound File) left alone.
"""

from __future__ import annotations

import hashlib
import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PIL import Image

from app.core.chats import Platform, detect, read_chat_export
from app.core.chats.outlook_msg import as_eml, looks_like_msg
from app.core.intake import import_paths
from app.core.reading import find_in_chats, suggestion_groups
from app.core.records.evidence import list_evidence
from app.errors import ChatExportUnreadable
from app.models.casefile import CaseFile
from tests.chats.compound_file import compound_file
from tests.chats.outlook_msg_file import msg_file
from tests.chats.test_email import the_message

WALLET = "bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh"
RECEIVED = (
    "Received: from EUR01.outbound.protection.outlook.com (40.92.1.1) by\r\n"
    " AM0PR01.outlook.office365.com; Fri, 14 Mar 2025 09:12:00 +0000\r\n"
    "From: \"Support Team\" <support.team.4471@outlook.example>\r\n"
    "To: \"Alex\" <alex.victim@example.org>\r\n"
    "Reply-To: Payments <payme.now@example.net>\r\n"
    "Subject: Final warning\r\n"
    "Date: Fri, 14 Mar 2025 10:11:58 +0100\r\n"
    "Message-ID: <AM0PR01MB1234@AM0PR01.eurprd01.prod.outlook.example>\r\n"
    "Content-Type: multipart/alternative; boundary=\"x\"\r\n"
    "MIME-Version: 1.0\r\n\r\n")


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), "white").save(out, "PNG")
    return out.getvalue()


def received(tmp_path: Path) -> Path:
    path = tmp_path / "Final warning.msg"
    path.write_bytes(msg_file(
        subject="Final warning", headers=RECEIVED,
        body=f"I recorded you. Send £500 in Bitcoin to {WALLET}\r\nor everyone sees it.",
        html="<p>I recorded you.</p>", sender=("Support Team", "support.team.4471@outlook.example"),
        to=[("Alex", "alex.victim@example.org")],
        attachments=[("you.png", "image/png", _png())]))
    return path


def test_a_received_msg_is_read_by_its_servers_headers(tmp_path: Path) -> None:
    path = received(tmp_path)
    assert detect(path) is Platform.EMAIL
    (conversation,) = read_chat_export(path).conversations
    assert conversation.title == "Final warning"
    message = the_message(path)
    assert (message.sender, message.sender_id) == ("Support Team",
                                                   "support.team.4471@outlook.example")
    assert message.sent_at.isoformat() == "2025-03-14T10:11:58+01:00"  # as its Date states
    assert message.text.splitlines()[:4] == [
        "Subject: Final warning", "Replies go to: Payments <payme.now@example.net>", "",
        f"I recorded you. Send £500 in Bitcoin to {WALLET}"]
    assert "Attached: you.png (image/png" in message.text
    assert "alex.victim" not in message.text


def test_one_never_sent_is_read_by_its_own_properties(tmp_path: Path) -> None:
    path = tmp_path / "draft.msg"
    path.write_bytes(msg_file(subject="pay", body="MTCN 8305216473",
                              sender=("Kev W", "kev.w@example.com"),
                              sent=datetime(2025, 3, 15, 21, 4, 11, tzinfo=UTC),
                              to=[("Alex", "alex.victim@example.org")],
                              cc=[("Smith, Jo", "jo.smith@example.org")]))
    (conversation,) = read_chat_export(path).conversations
    assert conversation.participants == ("Kev W", "Alex <alex.victim@example.org>",
                                         "Smith, Jo <jo.smith@example.org>")
    headers = as_eml(path.read_bytes()).split(b"\r\n\r\n")[0]
    assert b"\r\nCc: \"Smith, Jo\" <jo.smith@example.org>" in headers  # copied, not sent to
    message = the_message(path)
    assert (message.sender, message.sender_id) == ("Kev W", "kev.w@example.com")
    assert message.sent_at.isoformat() == "2025-03-15T21:04:11+00:00"  # the file's UTC time
    assert message.text.endswith("MTCN 8305216473")


def test_in_a_case_it_is_kept_whole_with_its_attachment_an_item(
        case: CaseFile, tmp_path: Path) -> None:
    path = received(tmp_path)
    outcomes = import_paths(case, [path])
    assert [o.status for o in outcomes] == ["added", "added"], outcomes
    items = {e.original_name: e for e in list_evidence(case)}
    assert set(items) == {"Final warning.msg", "you.png"}
    assert items["Final warning.msg"].sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert items["you.png"].preview_status == "ok"
    find_in_chats(case)
    values = {group.value for group in suggestion_groups(case)}
    assert {"support.team.4471@outlook.example", "payme.now@example.net", WALLET} <= values
    assert not any("alex.victim" in value for value in values)


@pytest.mark.parametrize("cut", [600, 2000, 5000])
def test_a_damaged_msg_is_kept_and_not_read(tmp_path: Path, cut: int) -> None:
    path = tmp_path / "cut.msg"
    path.write_bytes(received(tmp_path).read_bytes()[:cut])
    assert detect(path) is None  # kept as a file; nothing is read from it
    with pytest.raises(ChatExportUnreadable):
        read_chat_export(path)


def test_crafted_properties_are_read_calmly(tmp_path: Path) -> None:
    path = tmp_path / "crafted.msg"
    path.write_bytes(msg_file(
        subject="=?UTF-8?Q?x?=\u202e" + "s" * 100_000, body="\0\x07 pay",
        headers="From: <<<\r\nDate: yesterday\r\nX-Evil: \r\n\r\nbody in the headers",
        sender=("=HYPERLINK(\"x\")", "not an address"),
        sent=datetime(2025, 3, 15, tzinfo=UTC),
        attachments=[("../../etc/passwd", "no/such/type", b"root")]))
    message = the_message(path)  # its Date unreadable: the time Outlook kept stands in
    assert message.sent_at.isoformat() == "2025-03-15T00:00:00+00:00"
    assert "\x07 pay\n" in message.text
    assert message.attachments == ("attachments/1/passwd",)  # its name made safe


def test_a_word_document_is_not_taken_for_an_e_mail(tmp_path: Path) -> None:
    path = tmp_path / "notes.doc"
    path.write_bytes(compound_file({"WordDocument": b"\xec\xa5" + b"\0" * 5000,
                                    "\x01CompObj": b"\0" * 100}))
    assert detect(path) is None


def test_only_a_msg_loads_the_compound_file_reader(tmp_path: Path) -> None:
    """Most files are never .msg e-mails: olefile is imported only when one is met."""
    import subprocess
    import sys

    mail = tmp_path / "mail.eml"
    mail.write_text("From: a@example.com\nDate: Fri, 14 Mar 2025 10:00:00 +0000\n\nhi\n")
    code = ("import sys\nfrom pathlib import Path\nfrom app.core.chats import detect\n"
            f"assert detect(Path({str(mail)!r})) is not None\n"
            "assert 'olefile' not in sys.modules, 'loaded'\n"
            f"assert detect(Path({str(received(tmp_path))!r})) is not None\n"
            "assert 'olefile' in sys.modules\n")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).parents[2])


def test_a_msg_whose_directory_lies_past_the_start_is_read_by_its_name(tmp_path: Path) -> None:
    """A large attachment can put the streams' names past the start detection reads."""
    from tests.chats.outlook_msg_file import msg_file as write

    big = write(subject="look", body="this is you", sent=datetime(2025, 3, 15, tzinfo=UTC),
                sender=("Jess", "jess.t58@example.com"),
                attachments=[("you.jpg", "image/jpeg", b"\xff\xd8" + b"\x17" * 200_000)],
                directory_last=True)
    assert not looks_like_msg(big[:65536])  # its streams' names are past what is read first
    named = tmp_path / "look.msg"
    named.write_bytes(big)
    assert detect(named) is Platform.EMAIL
    other = tmp_path / "notes.msg"  # a Word document named .msg: not an e-mail
    other.write_bytes(compound_file({"WordDocument": b"\xec\xa5" + b"\0" * 5000}))
    assert detect(other) is None
