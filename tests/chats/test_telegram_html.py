"""Telegram Desktop's HTML chat export (its default format), read from pages written as its
export code writes them: a folder zipped, pages read in order as one chat, a whole account's
export, a page on its own, and hostile pages."""

import zipfile
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from app.core.chats import Message, Platform, Precision, SentAt, detect
from app.core.chats import read_chat_export as read
from app.core.chats.html_blocks import MAX_WORDS
from app.errors import ChatExportUnreadable
from tests.chats.telegram_html_export import Msg, pages, serialize, write_folder, zip_of

PHOTO = "photos/photo_1@15-03-2025_21-06-00.jpg"
OFFENDER, ME = "Anna Smith", "Jo"


def chat() -> list[Msg]:
    def at(day: int, hour: int, minute: int, second: int = 0) -> datetime:
        return datetime(2025, 3, day, hour, minute, second)
    return [
        Msg(OFFENDER, at(15, 21, 4, 11), serialize("Hi <3 \"you\" & me\nsecond line"),
            sender_id=2),
        Msg(OFFENDER, at(15, 21, 5), 'Pay here <a href="https://paypal.me/annasm">'
            'paypal.me/annasm</a>', sender_id=2),
        Msg(OFFENDER, at(15, 21, 6), photo=PHOTO, sender_id=2),
        Msg(ME, at(15, 21, 7), serialize("who are you")),
        Msg(ME, at(15, 21, 7), notice="Anna Smith joined Telegram"),
        Msg(OFFENDER, at(16, 9, 0), call="Incoming (15 seconds)", sender_id=2),
        Msg(OFFENDER, at(16, 9, 1), contact=("Bank Man", "+44 7911 123456"), sender_id=2),
        Msg(OFFENDER, at(16, 9, 2), missing_photo=True, sender_id=2),
        Msg(OFFENDER, at(16, 9, 3), serialize("your own words"), forwarded_from=ME,
            sender_id=2),
        Msg(ME, at(16, 9, 4), serialize("ok"), reply_to=2,
            file=("files/receipt.pdf", "receipt.pdf")),
    ]


def exported(tmp_path: Path, messages: list[Msg] | None = None, **kwargs: str | None) -> Path:
    folder = write_folder(tmp_path / "ChatExport_2025-03-16", OFFENDER, messages or chat(),
                          {PHOTO: b"\xff\xd8\xff photo", "files/receipt.pdf": b"%PDF-1.4"},
                          **kwargs)
    return zip_of(folder, tmp_path / "ChatExport_2025-03-16.zip")


def second(day: int, hour: int, minute: int, s: int = 0) -> SentAt:
    return SentAt(datetime(2025, 3, day, hour, minute, s), Precision.SECOND)


def test_a_zipped_export_is_one_chat_with_its_files(tmp_path: Path) -> None:
    path = exported(tmp_path)
    assert detect(path) is Platform.TELEGRAM
    export = read(path)
    (conversation,) = export.conversations
    assert conversation.platform is Platform.TELEGRAM
    assert conversation.title == OFFENDER
    assert conversation.participants == (OFFENDER, ME)
    assert "UTC+01:00" in conversation.notes[0] and "not applied" in conversation.notes[0]
    assert any("no time for notices" in note for note in conversation.notes)
    top = "ChatExport_2025-03-16/"
    assert list(conversation.messages()) == [
        Message(OFFENDER, second(15, 21, 4, 11), 'Hi <3 "you" & me\nsecond line'),
        Message(OFFENDER, second(15, 21, 5), "Pay here paypal.me/annasm",
                links=("https://paypal.me/annasm",)),
        Message(OFFENDER, second(15, 21, 6), "", (top + PHOTO,)),
        Message(ME, second(15, 21, 7), "who are you"),
        Message(None, SentAt(datetime(2025, 3, 15, 21, 7), Precision.MINUTE),
                "Anna Smith joined Telegram", is_system=True),
        Message(OFFENDER, second(16, 9, 0), "Call: Incoming (15 seconds)"),
        Message(OFFENDER, second(16, 9, 1), "Shared contact: Bank Man, +44 7911 123456"),
        Message(OFFENDER, second(16, 9, 2), "", media_omitted=True),
        # The original author's name of a forwarded message is not taken for its sender.
        Message(OFFENDER, second(16, 9, 3), "your own words"),
        # "In reply to this message" is a link within the page, not words of the message.
        Message(ME, second(16, 9, 4), "ok", (top + "files/receipt.pdf",)),
    ]


def test_pages_are_read_in_order_as_one_chat(tmp_path: Path) -> None:
    start = datetime(2025, 1, 1, 8, 0)
    messages = [Msg(OFFENDER if n % 3 else ME, start + timedelta(minutes=7 * n),
                    serialize(f"message {n}"), sender_id=2 if n % 3 else 1)
                for n in range(2500)]
    path = exported(tmp_path, messages)
    with zipfile.ZipFile(path) as archive:
        assert {n.rsplit("/", 1)[-1] for n in archive.namelist() if n.endswith(".html")} == {
            "messages.html", "messages2.html", "messages3.html"}
    (conversation,) = read(path).conversations
    read_back = list(conversation.messages())
    assert [m.text for m in read_back] == [f"message {n}" for n in range(2500)]
    assert [m.sender for m in read_back] == [m.sender for m in messages]
    assert [m.sent_at.when for m in read_back] == [m.when for m in messages]


def test_a_whole_accounts_export_gives_each_chat(tmp_path: Path) -> None:
    root = tmp_path / "DataExport_2025-03-16"
    when = datetime(2025, 3, 16, 9, 0)
    for number, (title, sender) in enumerate([(OFFENDER, OFFENDER), ("Mum", "Mum")], 1):
        photo = f"chats/chat_00{number}/photos/photo_1.jpg"
        folder = root / "chats" / f"chat_00{number}"
        write_folder(folder, title, [Msg(sender, when, serialize(f"from {sender}"),
                                         photo=f"../../{photo}")], {})
        (root / photo).parent.mkdir(parents=True, exist_ok=True)
        (root / photo).write_bytes(b"\xff\xd8\xff")
    (root / "lists").mkdir()
    (root / "lists" / "chats.html").write_text('<div class="page_body list_page">')
    (root / "export_results.html").write_text("<html>Exported Data</html>")
    export = read(zip_of(root, tmp_path / "export.zip"))
    assert [c.title for c in export.conversations] == [OFFENDER, "Mum"]
    first = next(export.conversations[0].messages())
    assert first.attachments == ("DataExport_2025-03-16/chats/chat_001/photos/photo_1.jpg",)


def test_a_page_on_its_own_is_read_and_says_where_its_files_are(tmp_path: Path) -> None:
    messages = [Msg(OFFENDER, datetime(2025, 1, 1) + timedelta(minutes=n), serialize(str(n)),
                    photo=PHOTO if n == 1500 else None) for n in range(1600)]
    write_folder(tmp_path, OFFENDER, messages, {})
    (conversation,) = read(tmp_path / "messages2.html").conversations
    assert conversation.title == f"{OFFENDER} (messages2.html)"
    assert any("export's whole folder is added" in note for note in conversation.notes)
    read_back = list(conversation.messages())
    assert [m.text for m in read_back] == [str(n) for n in range(1000, 1600)]
    assert read_back[500].attachments == (PHOTO,)


def test_an_older_export_without_an_offset_says_none_is_stated(tmp_path: Path) -> None:
    (conversation,) = read(exported(tmp_path, zone=None)).conversations
    assert "no time zone is stated" in conversation.notes[0]
    assert next(conversation.messages()).sent_at == second(15, 21, 4, 11)


@pytest.mark.parametrize("page", [
    "<!DOCTYPE html><html><head><title>My holiday</title></head><body><p>Hello</p></body></html>",
    '<div class="message">not a chat</div>',
    "<p>Notes on Telegram's page_body chat_page markup</p>",
])
def test_other_web_pages_are_not_taken_for_a_chat(tmp_path: Path, page: str) -> None:
    path = tmp_path / "messages.html"
    path.write_text(page)
    assert detect(path) is None


def page_with(body: str) -> str:
    one = pages(OFFENDER, [Msg(OFFENDER, datetime(2025, 3, 15, 21, 4), "BODY")])["messages.html"]
    return one.replace("BODY", body)


@pytest.mark.parametrize("href", [
    "../../../etc/passwd", "/etc/passwd", "C:\\Windows\\win.ini", "photos\\..\\..\\x.jpg",
    "file:///etc/passwd", "#go_to_message1", "../../../../"])
def test_links_out_of_the_export_are_not_taken_for_its_files(tmp_path: Path, href: str) -> None:
    path = tmp_path / "messages.html"
    markup = f'<a class="photo_wrap clearfix pull_left" href="{href}"></a>'
    path.write_text(page_with(markup))
    (message,) = read(path).conversations[0].messages()
    assert message.attachments == ()


def test_only_web_addresses_are_kept_as_links(tmp_path: Path) -> None:
    path = tmp_path / "messages.html"
    path.write_text(page_with('<a href="javascript:alert(1)">a</a> <a href="tel:+4479">b</a> '
                              '<a href="https://example.org/pay">c</a><script>alert(2)</script>'))
    (message,) = read(path).conversations[0].messages()
    assert message.links == ("https://example.org/pay",)
    assert message.text.startswith("a b c")


def test_hostile_pages_are_read_as_far_as_they_hold(tmp_path: Path) -> None:
    path = tmp_path / "messages.html"
    path.write_text(page_with("<div>" * 200_000 + "deep" + "</div>" * 10))
    (message,) = read(path).conversations[0].messages()
    assert message.sender == OFFENDER  # nesting beyond the limit is passed over

    path.write_text(page_with("x" * (MAX_WORDS * 5)))
    (message,) = read(path).conversations[0].messages()
    assert MAX_WORDS - 100 < len(message.text) <= MAX_WORDS  # less the layout's spaces

    whole = pages(OFFENDER, chat())["messages.html"]
    path.write_text(whole[: len(whole) // 2])  # a download cut short
    assert 0 < len(list(read(path).conversations[0].messages())) < len(chat())


@pytest.mark.parametrize("title", ["", "yesterday", "31.02.2025 10:00:00", "99.99.9999 99:99:99"])
def test_a_message_without_a_readable_time_is_damaged_calmly(tmp_path: Path, title: str) -> None:
    path = tmp_path / "messages.html"
    page = pages(OFFENDER, [Msg(OFFENDER, datetime(2025, 3, 15, 21, 4), "hi")], zone=None)
    path.write_text(page["messages.html"].replace('title="15.03.2025 21:04:00"',
                                                  f'title="{title}"'))
    with pytest.raises(ChatExportUnreadable, match="damaged or incomplete"):
        list(read(path).conversations[0].messages())


@pytest.mark.parametrize(("member", "where"), [
    ("photos/a.jpg", "/cases/export/photos/a.jpg"), ("a b/c.jpg", "/cases/export/a b/c.jpg"),
    ("../a.jpg", ""), ("photos/../../a.jpg", ""), ("/etc/passwd", "")])
def test_files_beside_an_export_are_only_those_in_its_folder(member: str, where: str) -> None:
    from app.core.intake.chat_reading import _beside
    assert _beside("/cases/export/messages.html", member) == where


def test_a_tag_that_never_ends_is_refused(tmp_path: Path) -> None:
    """Not held and searched again at every chunk, ever longer, to the end of the file."""
    path = tmp_path / "messages.html"
    path.write_text(page_with('<a href="' + "x" * 40_000_000))
    with pytest.raises(ChatExportUnreadable, match="damaged or incomplete"):
        list(read(path).conversations[0].messages())
