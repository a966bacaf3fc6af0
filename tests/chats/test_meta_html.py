"""Instagram's and Facebook's download in HTML (Meta's first offer): threads read oldest first
across their pages, words once, links and files kept, reactions left out; a page whose dates
are not in English, or of another shape, refused with what to ask for instead."""

from datetime import datetime
from pathlib import Path

import pytest

from app.core.chats import Message, Platform, Precision, SentAt, detect
from app.core.chats import read_chat_export as read
from app.errors import ChatExportUnreadable
from tests.chats.meta_html_download import Box, page
from tests.chats.test_json_exports import make_zip

INBOX = "your_instagram_activity/messages/inbox/annasmith_17841/"
PHOTO = INBOX + "photos/1234567890.jpg"
OFFENDER, ME = "anna.smith.love88", "Jo Bloggs"


def at(day: int, hour: int, minute: int, second: int = 0) -> datetime:
    return datetime(2025, 3, day, hour, minute, second)


THREAD = [
    Box(OFFENDER, at(15, 21, 4), "hey cutie 😘\nadd me on snap"),
    Box(ME, at(15, 21, 6), "who is this?", reaction="😮 Jo Bloggs"),
    Box(OFFENDER, at(15, 23, 59), "pay £500 here or I send it", link="https://paypal.me/annasm"),
    Box(OFFENDER, at(16, 0, 1), "", files=(PHOTO,)),
]


def minute(day: int, hour: int, m: int) -> SentAt:
    return SentAt(at(day, hour, m), Precision.MINUTE)


def test_an_instagram_thread_is_read_oldest_first(tmp_path: Path) -> None:
    path = make_zip(tmp_path / "instagram-jobloggs-2025-03-16-Ab1Cd.zip", {
        INBOX + "message_1.html": page(OFFENDER, THREAD), PHOTO: "jpeg bytes"})
    assert detect(path) is Platform.INSTAGRAM
    (conversation,) = read(path).conversations
    assert (conversation.platform, conversation.title) == (Platform.INSTAGRAM, OFFENDER)
    assert conversation.participants == (OFFENDER, ME)  # as the newest page names them
    assert any("no time zone" in note for note in conversation.notes)
    assert list(conversation.messages()) == [
        Message(OFFENDER, minute(15, 21, 4), "hey cutie 😘\nadd me on snap"),
        Message(ME, minute(15, 21, 6), "who is this?"),  # the reaction is not its words
        Message(OFFENDER, minute(15, 23, 59), "pay £500 here or I send it\n"
                "https://paypal.me/annasm", links=("https://paypal.me/annasm",)),
        Message(OFFENDER, minute(16, 0, 1), "", (PHOTO,)),
    ]


def test_pages_and_words_written_twice(tmp_path: Path) -> None:
    older = [Box(OFFENDER, at(1, 9, n), f"old {n}") for n in range(3)]
    path = make_zip(tmp_path / "instagram-jo-2025-03-16.zip", {
        INBOX + "message_1.html": page(OFFENDER, THREAD[:2], twice=True),
        INBOX + "message_2.html": page(OFFENDER, older)})
    (conversation,) = read(path).conversations
    assert [m.text for m in conversation.messages()] == [
        "old 0", "old 1", "old 2", "hey cutie 😘\nadd me on snap", "who is this?"]


@pytest.mark.parametrize("cards", [False, True])
def test_a_facebook_thread_with_seconds(tmp_path: Path, cards: bool) -> None:
    inbox = "your_activity_across_facebook/messages/inbox/annasmith_ABC123/"
    boxes = [Box("Anna Smith", at(15, 21, 4, 11), "hello"),
             Box(ME, at(15, 12, 0, 5).replace(day=16), "no")]
    path = make_zip(tmp_path / "facebook-jobloggs-2025-03-16-Html01.zip", {
        inbox + "message_1.html": page("Anna Smith", boxes, facebook=True, cards=cards)})
    assert detect(path) is Platform.MESSENGER
    (conversation,) = read(path).conversations
    assert [(m.sender, m.sent_at, m.text) for m in conversation.messages()] == [
        ("Anna Smith", SentAt(at(15, 21, 4, 11), Precision.SECOND), "hello"),
        (ME, SentAt(at(16, 12, 0, 5), Precision.SECOND), "no")]
    assert any("end-to-end encrypted" in note for note in conversation.notes)


def test_a_thread_page_on_its_own_is_read_when_its_app_shows(tmp_path: Path) -> None:
    one = tmp_path / "message_1.html"
    one.write_text(page(OFFENDER, THREAD).replace(
        "<main", '<a href="https://www.instagram.com/anna.smith.love88"></a><main'))
    assert detect(one) is Platform.INSTAGRAM
    assert len(list(read(one).conversations[0].messages())) == 4
    one.write_text(page(OFFENDER, THREAD))  # which app, not said: not taken for either
    assert detect(one) is None
    one.write_text("<html><body>My message_1 notes</body></html>")
    assert detect(one) is None


@pytest.mark.parametrize("stamp", ["ene. 15, 2025 9:04 pm", "15 mars 2025 21:04", "yesterday",
                                   "Mar 32, 2025 9:04 pm", "Mar 15, 2025 13:04 pm"])
def test_dates_it_cannot_read_say_to_ask_for_json(tmp_path: Path, stamp: str) -> None:
    text = page(OFFENDER, THREAD[:1]).replace("Mar 15, 2025 9:04 pm", stamp)
    path = make_zip(tmp_path / "instagram-jo-2025-03-16.zip", {INBOX + "message_1.html": text})
    assert detect(path) is Platform.INSTAGRAM
    with pytest.raises(ChatExportUnreadable) as refused:
        read(path)
    assert refused.value.message.startswith("This is Instagram's download in HTML, written in "
                                            "a way Safekeep does not read")
    assert "choose JSON as the format" in refused.value.message


def test_links_out_of_the_download_are_not_taken_for_its_files(tmp_path: Path) -> None:
    boxes = [Box(OFFENDER, at(15, 21, 4), "x", files=("../../../etc/passwd", "/etc/passwd",
                                                      "C:\\win.ini", "javascript:alert(1)"))]
    path = make_zip(tmp_path / "instagram-jo.zip", {INBOX + "message_1.html": page("a", boxes)})
    (message,) = read(path).conversations[0].messages()
    assert message.attachments == () and message.links == ()


def test_hostile_pages_are_read_as_far_as_they_hold_or_refused(tmp_path: Path) -> None:
    def zipped(text: str) -> Path:
        return make_zip(tmp_path / "instagram-jo.zip", {INBOX + "message_1.html": text})

    deep = page(OFFENDER, THREAD[:1]).replace("hey cutie", "<div>" * 1_000 + "deep")
    assert [m.sender for m in read(zipped(deep)).conversations[0].messages()] == [OFFENDER]
    deeper = page(OFFENDER, THREAD[:1]).replace("hey cutie", "<div>" * 100_000 + "deep")
    with pytest.raises(ChatExportUnreadable, match="choose JSON"):  # its time out of reach
        read(zipped(deeper))
    huge = page(OFFENDER, THREAD[:1]).replace("hey cutie", "x" * 1_000_000)
    (message,) = read(zipped(huge)).conversations[0].messages()
    assert len(message.text) <= 100_000
    endless = tmp_path / "message_1.html"  # not zipped: it would be refused as a ZIP bomb
    endless.write_text(page(OFFENDER, THREAD[:1]).replace(
        "<main", '<a href="https://instagram.com/a"></a><main') + '<a href="' + "x" * 10_000_000)
    with pytest.raises(ChatExportUnreadable, match="damaged or incomplete"):
        list(read(endless).conversations[0].messages())


def test_a_newer_facebook_json_download_is_messenger(tmp_path: Path) -> None:
    import json
    thread = {"participants": [{"name": "Anna Smith"}], "title": "Anna Smith", "messages": [
        {"sender_name": "Anna Smith", "timestamp_ms": 1742072651000, "content": "hi"}]}
    path = make_zip(tmp_path / "facebook-jo.zip", {
        "your_activity_across_facebook/messages/inbox/annasmith_1/message_1.json":
            json.dumps(thread)})
    assert detect(path) is Platform.MESSENGER


def test_a_long_facebook_page_with_times_after_their_boxes(tmp_path: Path) -> None:
    """Read in pieces of 256 KiB: a box's time just past a piece's end is still its own."""
    inbox = "your_facebook_activity/messages/inbox/annasmith_ABC123/"
    boxes = [Box("Anna Smith", datetime(2025, 1, 1) + (at(1, 0, 1) - at(1, 0, 0)) * n,
                 f"message {n} " + "words " * 40) for n in range(3000)]
    text = page("Anna Smith", boxes, cards=True)
    assert len(text) > 3 * 256 * 1024
    path = make_zip(tmp_path / "facebook-jo.zip", {inbox + "message_1.html": text})
    read_back = list(read(path).conversations[0].messages())
    assert [m.sent_at.when for m in read_back] == [b.when for b in boxes]
    assert [m.text.split()[1] for m in read_back] == [str(n) for n in range(3000)]
