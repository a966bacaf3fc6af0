"""The offender's details found in chat messages: real exports added through the command line
into real SQLCipher case files, then looked through; each detail offered once, tied to the
message it came from; added as an identifier linked to the export, or dismissed for good, both
in the audit log; hostile text kept exactly and harmless."""

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update

import app.core.reading.chat_details as chat_details
from app.core.intake import import_paths, read_chat
from app.core.reading import (
    add_suggestions,
    dismiss_suggestions,
    find_in_chats,
    pending_exports,
    suggestion_groups,
    suggestions_for,
    text_source,
)
from app.core.reading.candidates import find_in_text
from app.core.records import list_identifiers
from app.models import AuditEvent, ChatExportRead, ChatMessage, SuggestionState
from app.models.casefile import CaseFile
from tests.chats.test_json_exports import make_zip
from tests.conftest import PASSPHRASE, CliResult

Cli = Callable[..., CliResult]

WHATSAPP = (
    "13/03/2024, 21:14 - Messages and calls are end-to-end encrypted. Tap to learn more.\n"
    "13/03/2024, 21:14 - Sam: who is this?\n"
    "13/03/2024, 21:15 - +44 7911 123456: Pay £500 today or everyone sees the pictures.\n"
    "Write to scam.collector99@gmail.com when it is sent\n"
    "13/03/2024, 21:16 - +44 7911 123456: Use Western Union, MTCN 8305216473. Or call me on"
    " 07700 900982, no wait, 020 7946 0018\n"
    "13/03/2024, 21:17 - +44 7911 123456: and add me on snap: dark.lord_22 so we can talk\n"
    "13/03/2024, 21:18 - Sam: please stop, my email is sam@example.org\n"
    "13/03/2024, 21:19 - +44 7911 123456: again scam.collector99@gmail.com\n"
)
TELEGRAM = {
    "name": "Alex", "type": "personal_chat", "id": 4242,
    "messages": [
        {"id": 1, "type": "message", "date": "2024-01-12T15:06:00",
         "date_unixtime": "1705068360", "from": "Alex", "from_id": "user5550001234",
         "text": ["send it to ", {"type": "mention", "text": "@alex_pays_88"}]},
        {"id": 2, "type": "message", "date": "2024-01-12T15:07:00",
         "date_unixtime": "1705068420", "from": None, "from_id": "user5550009999",
         "text": "deleted account wrote this"},
    ],
}


def new_case(tmp_path: Path, cli: Cli) -> Path:
    path = tmp_path / "case.skcase"
    assert cli("new", str(path), "--kdf-profile", "1").code == 0
    return path


def add(cli: Cli, case: Path, *paths: Path) -> dict[str, Any]:
    result = cli("add-evidence", str(case), *map(str, paths), "--json")
    assert result.code == 0, result
    document: dict[str, Any] = json.loads(result.out)
    return document


def opened(path: Path) -> CaseFile:
    return CaseFile.open(path, PASSPHRASE, actor="tester")


def found(case: CaseFile, evidence_id: int) -> dict[tuple[str, str], Any]:
    return {(s.kind.value, s.value): s for s in suggestions_for(case, evidence_id)}


def test_a_whatsapp_chat_offers_the_offenders_details_with_their_messages(
        tmp_path: Path, cli: Cli) -> None:
    case_path = new_case(tmp_path, cli)
    chat = tmp_path / "WhatsApp Chat with +44 7911 123456.txt"
    chat.write_text(WHATSAPP, encoding="utf-8")
    document = add(cli, case_path, chat)
    export = document["items"][0]["evidence_id"]
    assert document["details_found_in_messages"] == 7
    with opened(case_path) as case:
        got = found(case, export)
        assert set(got) == {
            ("phone", "+44 7911 123456"),  # the sender, shown by number: no contact saved
            ("amount", "£500"),
            ("email", "scam.collector99@gmail.com"),
            ("mtcn", "8305216473"),
            ("phone", "020 7946 0018"),
            ("username", "dark.lord_22"),
            ("email", "sam@example.org"),  # every sender's messages: the person dismisses
        }
        assert got["username", "dark.lord_22"].platform == "Snapchat"
        assert got["phone", "+44 7911 123456"].normalised == "+447911123456"
        # Each once, tied to the first message it was seen in, with sender and time.
        mail = got["email", "scam.collector99@gmail.com"].message
        assert mail is not None
        assert (mail.sender, mail.sent_at, mail.conversation) == (
            "+44 7911 123456", "2024-03-13T21:15", "+44 7911 123456")
        assert mail.text == "…pictures.\nWrite to scam.collector99@gmail.com when it is sent"
        assert not any(s.boxes for s in got.values())
        assert pending_exports(case) == [] and text_source(case, export).looked_through
        # The case-wide list groups them with pictures' details, saying where they came from.
        groups = {(g.kind.value, g.normalised): g for g in suggestion_groups(case)}
        group = groups["mtcn", "8305216473"]
        assert group.export_ids == (export,) and group.pictures == 0
        assert [m.sent_at for m in group.messages] == ["2024-03-13T21:16"]


def test_adding_links_the_export_and_dismissing_lasts_when_the_chat_is_read_again(
        tmp_path: Path, cli: Cli) -> None:
    case_path = new_case(tmp_path, cli)
    chat = tmp_path / "WhatsApp Chat with Sam.txt"
    chat.write_text(WHATSAPP, encoding="utf-8")
    export = add(cli, case_path, chat)["items"][0]["evidence_id"]
    with opened(case_path) as case:
        got = found(case, export)
        result = add_suggestions(case, [got["email", "scam.collector99@gmail.com"].id])
        dismiss_suggestions(case, [got["email", "sam@example.org"].id])
        (identifier,) = list_identifiers(case)
        assert identifier.value == "scam.collector99@gmail.com"
        assert identifier.evidence_ids == (export,)
        assert "chat export" in identifier.note
        assert result.identifier_id == identifier.id
        with case.read() as s:
            actions = [(e.action, json.loads(e.details)) for e in s.scalars(
                select(AuditEvent).where(AuditEvent.action.like("suggestion.%"))
                .order_by(AuditEvent.id))]
        assert actions == [
            ("suggestion.added", {"ids": [got["email", "scam.collector99@gmail.com"].id],
                                  "identifier": identifier.id}),
            ("suggestion.dismissed", {"ids": [got["email", "sam@example.org"].id],
                                      "identifier": None})]
        # Read again, as after an interrupted read: the messages are new rows.
        with case.write() as s:
            s.execute(update(ChatExportRead).values(status="reading"))
        reading, _ = read_chat(case, export)
        assert reading is not None and reading.status == "read"
        assert not text_source(case, export).looked_through
        assert find_in_chats(case).found == 5  # the 5 not acted on, offered again
        again = found(case, export)
        assert len(again) == 7  # nothing twice
        assert again["email", "sam@example.org"].state is SuggestionState.DISMISSED
        assert again["email", "scam.collector99@gmail.com"].state is SuggestionState.ADDED
        with case.read() as s:
            texts = dict(s.execute(select(ChatMessage.id, ChatMessage.text)).all())
        message = again["email", "sam@example.org"].message
        assert message is not None and "my email is" in texts[message.message_id]
        assert all(g.normalised != "sam@example.org" for g in suggestion_groups(case))


def test_telegram_from_id_is_offered_and_kept_with_the_message(
        tmp_path: Path, cli: Cli) -> None:
    case_path = new_case(tmp_path, cli)
    export_zip = make_zip(tmp_path / "telegram.zip",
                          {"ChatExport_2024-01-13/result.json": TELEGRAM})
    export = add(cli, case_path, export_zip)["items"][0]["evidence_id"]
    with opened(case_path) as case:
        with case.read() as s:
            assert list(s.scalars(select(ChatMessage.sender_id).order_by(ChatMessage.id))) == [
                "user5550001234", "user5550009999"]
        got = found(case, export)
        assert set(got) == {("other", "user5550001234"), ("other", "user5550009999"),
                            ("username", "@alex_pays_88")}
        assert got["other", "user5550001234"].platform == "Telegram"
        # "Other detail" and "Telegram" did not say what it is (the types are the CLI's).
        assert got["other", "user5550001234"].platform_to_show == "Telegram account number"
        deleted = got["other", "user5550009999"].message
        assert deleted is not None and deleted.sender == "user5550009999"
        from app.export import export_bundle

        bundle = export_bundle(case, tmp_path / "bundle.zip").path  # both still unchecked
        add_suggestions(case, [got["other", "user5550001234"].id])
        (identifier,) = list_identifiers(case)
        assert (identifier.type, identifier.value, identifier.platform) == (
            "other", "user5550001234", "Telegram")
        assert identifier.evidence_ids == (export,)
        assert identifier.note.startswith("Telegram account number. Found by Safekeep in a message")
    listed = cli("ocr", str(case_path))
    assert "Other detail: user5550009999  (Telegram account number)" in listed.out
    page_one = _first_page_text(bundle)
    assert "user5550001234" in page_one and "Telegram account number" in page_one


def _first_page_text(bundle: Path) -> str:
    import io
    import zipfile

    from pypdf import PdfReader

    with zipfile.ZipFile(bundle) as archive:
        name = next(n for n in archive.namelist() if n.endswith("/report.pdf"))
        return PdfReader(io.BytesIO(archive.read(name))).pages[0].extract_text()


def test_display_names_and_the_account_holder_are_not_offered(tmp_path: Path,
                                                              cli: Cli) -> None:
    case_path = new_case(tmp_path, cli)
    thread = {"participants": [{"name": "Kim Lee"}, {"name": "Sam"}], "title": "Kim Lee",
              "thread_type": "Regular", "messages": [
                  {"sender_name": "Kim Lee", "timestamp_ms": 1705068360000, "content": "hi"}]}
    snap = {"Received Saved Chat History": [
        {"From": "dark.lord_22", "Media Type": "TEXT", "Created": "2024-01-12 14:05:09 UTC",
         "Text": "hello"}],
        "Sent Saved Chat History": [
        {"To": "dark.lord_22", "Media Type": "TEXT", "Created": "2024-01-12 14:06:09 UTC",
         "Text": "who are you"}]}
    meta = make_zip(tmp_path / "facebook.zip",
                    {"your_facebook_activity/messages/inbox/kim_1/message_1.json": thread})
    snapchat = make_zip(tmp_path / "mydata.zip", {"json/chat_history.json": snap})
    items = add(cli, case_path, meta, snapchat)["items"]
    with opened(case_path) as case:
        assert found(case, items[0]["evidence_id"]) == {}  # "Kim Lee" is a display name
        got = found(case, items[1]["evidence_id"])
        assert set(got) == {("username", "dark.lord_22")}  # a Snapchat username; not "You"
        assert got["username", "dark.lord_22"].platform == "Snapchat"


HOSTILE = [
    '=HYPERLINK("http://evil.example.com/x","click")',
    "<b>bold</b> &amp; <script>alert(1)</script> write to evil.mail@example.com<br>",
    "bell\x07 and escape then\x1b[31m red, mail ctl.test@example.com\x0b",
    "\u202eRTL moc.elpmaxe@ttam then \u05e9\u05dc\u05d5\u05dd call +44 7911 123456",
    "x" * 5000 + " far.along@example.com " + "y" * 30_000 + " past.the.end@example.com",
]


def test_hostile_messages_are_read_safely(tmp_path: Path, cli: Cli) -> None:
    lines = "".join(f"13/03/2024, 21:{10 + n:02d} - Kim: {text}\n"
                    for n, text in enumerate(HOSTILE))
    case_path = new_case(tmp_path, cli)
    chat = tmp_path / "WhatsApp Chat with Kim.txt"
    chat.write_bytes(lines.encode("utf-8"))
    export = add(cli, case_path, chat)["items"][0]["evidence_id"]
    with opened(case_path) as case:
        values = {s.value for s in suggestions_for(case, export)}
    assert values == {"http://evil.example.com/x", "evil.mail@example.com",
                      "ctl.test@example.com", "+44 7911 123456", "far.along@example.com"}
    # Nothing found starts like a formula or holds a control character.
    assert not any(v[0] in "=+-@" and not v.startswith("+44") for v in values)
    assert not any(ord(c) < 32 for v in values for c in v)


def test_a_chat_full_of_details_is_capped(tmp_path: Path, cli: Cli,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    case_path = new_case(tmp_path, cli)
    chat = tmp_path / "WhatsApp Chat with Kim.txt"
    chat.write_text("13/03/2024, 20:59 - Kim: mail0@example.com, mail1@example.com, "
                    "mail2@example.com\n"
                    + "".join(f"13/03/2024, 21:{n:02d} - Kim: mail{n}@example.com\n"
                              for n in range(3, 10)), encoding="utf-8")
    with opened(case_path) as case:
        (outcome,) = import_paths(case, [chat])
        assert outcome.evidence_id is not None
        monkeypatch.setattr(chat_details, "MAX_DETAILS_PER_EXPORT", 2)
        progress = find_in_chats(case)  # three in the first message: the first two kept
        assert (progress.exports, progress.messages, progress.found) == (1, 8, 2)
        assert sorted(s.value for s in suggestions_for(case, outcome.evidence_id)) == [
            "mail0@example.com", "mail1@example.com"]


def test_typed_text_is_not_mended_like_a_picture() -> None:
    # In a picture "4l" is a misread "41"; typed, it is what was written.
    assert [c.value for c in find_in_text("mail jack4l@example.com now")] == [
        "jack4l@example.com"]
    # Typed handles lose no underscore, so a made-up name before more words is taken...
    assert [c.normalised for c in find_in_text("my insta is ann.lee92 add me")] == [
        "instagram:ann.lee92"]
    # ...but an ordinary word still is not.
    assert find_in_text("snap: kyle wilson") == []
    # Messages are full of times; a message has its own.
    assert find_in_text("see you 13/03/2024 at 21:15") == []


def test_safekeep_ocr_lists_the_details_found_in_messages(tmp_path: Path, cli: Cli) -> None:
    case_path = new_case(tmp_path, cli)
    chat = tmp_path / "WhatsApp Chat with Kim.txt"
    chat.write_text(WHATSAPP, encoding="utf-8")
    export = add(cli, case_path, chat)["items"][0]["evidence_id"]
    text = cli("ocr", str(case_path))
    assert text.code == 0, text
    assert "E-mail address: scam.collector99@gmail.com" in text.out
    assert ("in a message from +44 7911 123456 at 2024-03-13T21:15 in \u201cKim\u201d"
            in text.out)
    # The platform, as the window lists it ("add me on snap: ..." had been a bare username).
    assert "Username on an app or website: dark.lord_22  (Snapchat)" in text.out
    result = cli("ocr", str(case_path), "--json")
    assert result.code == 0, result
    details = {d["value"]: d for d in json.loads(result.out)["details"]}
    assert details["dark.lord_22"]["platform"] == "Snapchat"
    assert details["dark.lord_22"]["hard_to_read"] is False  # typed, never doubted
    mtcn = details["8305216473"]
    assert mtcn["evidence"] == [{"id": export, "name": chat.name}]
    assert [(m["sender"], m["sent_at"], m["conversation"]) for m in mtcn["messages"]] == [
        ("+44 7911 123456", "2024-03-13T21:16", "Kim")]
    # It lists; it never adds.
    listed = cli("list", str(case_path), "identifiers", "--json")
    assert json.loads(listed.out) == {"items": []}


def test_stopping_leaves_the_export_to_look_through_later(tmp_path: Path, cli: Cli) -> None:
    case_path = new_case(tmp_path, cli)
    chat = tmp_path / "WhatsApp Chat with Kim.txt"
    chat.write_text("".join(f"13/03/2024, 21:{n % 60:02d} - Kim: call 07911 123456 ({n})\n"
                            for n in range(2500)), encoding="utf-8")
    with opened(case_path) as case:
        (outcome,) = import_paths(case, [chat])
        assert pending_exports(case) == [outcome.evidence_id]
        stopped = find_in_chats(case, should_stop=lambda: True)  # locked, say
        assert (stopped.exports, stopped.found) == (0, 0)
        assert pending_exports(case) == [outcome.evidence_id]
        assert suggestions_for(case, outcome.evidence_id) == []
        done = find_in_chats(case)
        assert (done.exports, done.messages, done.found) == (1, 2500, 1)
        assert pending_exports(case) == []


def test_a_detail_found_in_a_chats_messages_says_so_in_the_bundle(tmp_path: Path,
                                                                 cli: Cli) -> None:
    # It said "found by text recognition": an officer would look for a picture.
    import csv
    import io
    import zipfile

    from app.export import export_bundle

    case_path = new_case(tmp_path, cli)
    chat = tmp_path / "WhatsApp Chat with Sam.txt"
    chat.write_text(WHATSAPP, encoding="utf-8")
    export = add(cli, case_path, chat)["items"][0]["evidence_id"]
    with opened(case_path) as case:
        add_suggestions(case, [found(case, export)["email", "scam.collector99@gmail.com"].id])
        bundle = export_bundle(case, tmp_path / "bundle.zip").path
    with zipfile.ZipFile(bundle) as archive:
        [name] = [n for n in archive.namelist() if n.endswith("csv/identifiers.csv")]
        [row] = csv.DictReader(io.StringIO(archive.read(name).decode("utf-8-sig")))
    found_in = " ".join(str(v) for v in row.values())
    assert "(found in its messages)" in found_in and "text recognition" not in found_in, row


def test_what_each_item_can_have_text_read_from(tmp_path: Path, cli: Cli) -> None:
    """A chat export waiting for its date order, and a file that is no picture, were told
    "Safekeep has not read the text in this picture yet"."""
    from app.models import ChatReadStatus

    case_path = new_case(tmp_path, cli)
    waiting = tmp_path / "WhatsApp Chat with Lee.txt"
    waiting.write_text("03/12/2026, 21:04 - Lee: hi\n04/12/2026, 08:15 - Lee: pay me\n",
                       encoding="utf-8")
    other = tmp_path / "notes.bin"
    other.write_bytes(bytes(range(256)) * 4)
    chat = tmp_path / "WhatsApp Chat with Kim.txt"
    chat.write_text(WHATSAPP, encoding="utf-8")
    ids = [add(cli, case_path, f)["items"][0]["evidence_id"] for f in (waiting, other, chat)]
    with opened(case_path) as case:
        first, second, third = (text_source(case, i) for i in ids)
    assert first.chat is ChatReadStatus.NEEDS_DATE_ORDER and not first.nothing_to_read
    assert second.nothing_to_read and second.chat is None
    assert third.chat is ChatReadStatus.READ and third.looked_through


def test_two_passes_at_once_look_through_an_export_once(tmp_path: Path, cli: Cli) -> None:
    # The window's background reader and an export of the bundle can both start on a chat
    # export just added: the second waits, then finds it looked through and moves on.
    import threading

    case_path = new_case(tmp_path, cli)
    chat = tmp_path / "WhatsApp Chat with Kim.txt"
    chat.write_text("".join(f"13/03/2024, 21:{n % 60:02d} - Kim: call 07911 123456 ({n})\n"
                            for n in range(2500)), encoding="utf-8")
    second_waits = threading.Event()
    results: dict[str, Any] = {}

    def second() -> None:
        def waiting() -> bool:  # asked while it waits for the first pass
            second_waits.set()
            return False
        results["second"] = find_in_chats(case, should_stop=waiting)

    other = threading.Thread(target=second)

    def first_midway() -> bool:  # asked every 1,000 messages
        if not other.is_alive() and "second" not in results:
            other.start()
            assert second_waits.wait(10)
        return False

    with opened(case_path) as case:
        import_paths(case, [chat])
        results["first"] = find_in_chats(case, should_stop=first_midway)
        other.join(10)
        with case.read() as session:
            passes = session.scalars(select(AuditEvent)
                                     .where(AuditEvent.action == "chat.find-details")).all()
    assert (results["first"].messages, results["first"].found) == (2500, 1)
    assert (results["second"].messages, results["second"].found) == (0, 0)
    assert len(passes) == 1


def test_list_says_which_items_are_chats(tmp_path: Path, cli: Cli) -> None:
    # `list evidence` gave a chat export as "text/plain ... WhatsApp Chat with Sam.txt" like
    # any text file; its messages are what `search` and `read-chat` work on.
    case_path = new_case(tmp_path, cli)
    chat = tmp_path / "WhatsApp Chat with Sam.txt"
    chat.write_text(WHATSAPP, encoding="utf-8")
    note = tmp_path / "note.txt"
    note.write_text("a note\n", encoding="utf-8")
    add(cli, case_path, chat, note)
    lines = cli("list", str(case_path), "evidence").out.splitlines()
    assert lines[0].endswith("WhatsApp Chat with Sam.txt [WhatsApp chat]")
    assert lines[1].endswith("note.txt")
    items = json.loads(cli("list", str(case_path), "evidence", "--json").out)["items"]
    assert [i["chat_platform"] for i in items] == ["whatsapp", None]
