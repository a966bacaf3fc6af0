"""WhatsApp "Export chat" files written by hand in each shape the app produces."""

import zipfile
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from app.core.chats import (
    DateOrder,
    Message,
    Platform,
    Precision,
    SentAt,
    detect,
    read_chat_export,
)
from app.errors import ChatExportUnreadable

NNBSP = "\u202f"
LRM = "\u200e"


def write(tmp_path: Path, text: str, name: str = "WhatsApp Chat with Sam.txt",
          encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def messages(path: Path, order: DateOrder | None = None) -> list[Message]:
    export = read_chat_export(path, date_order=order)
    assert len(export.conversations) == 1
    return list(export.conversations[0].messages())


def at(*parts: int, precision: Precision = Precision.MINUTE) -> SentAt:
    return SentAt(datetime(*parts), precision)  # type: ignore[arg-type]


ANDROID_24H = """\
12/01/2024, 14:05 - Messages and calls are end-to-end encrypted. Tap to learn more.
12/01/2024, 14:05 - Sam: hi
13/01/2024, 09:30 - Alex: Send it now.
Or else.
13/01/2024, 09:31 - Sam: IMG-20240113-WA0001.jpg (file attached)
my caption
13/01/2024, 09:32 - Alex: <Media omitted>
13/01/2024, 09:33 - Sam: This message was deleted
"""


def test_android_24_hour_day_first(tmp_path: Path) -> None:
    path = write(tmp_path, ANDROID_24H)
    assert detect(path) is Platform.WHATSAPP
    export = read_chat_export(path)
    conversation = export.conversations[0]
    assert conversation.title == "Sam"
    assert conversation.participants == ("Sam", "Alex")
    assert conversation.date_orders == (DateOrder.DAY_FIRST,)
    assert any("no time zone" in note for note in conversation.notes)
    got = list(conversation.messages())
    assert len(got) == 6
    assert got[0].is_system and got[0].sender is None
    assert got[0].text.startswith("Messages and calls are end-to-end encrypted.")
    assert got[1] == Message("Sam", at(2024, 1, 12, 14, 5), "hi")
    assert got[2] == Message("Alex", at(2024, 1, 13, 9, 30), "Send it now.\nOr else.")
    assert got[3] == Message("Sam", at(2024, 1, 13, 9, 31), "my caption",
                             ("IMG-20240113-WA0001.jpg",))
    assert got[4] == Message("Alex", at(2024, 1, 13, 9, 32), "", media_omitted=True)
    assert got[5] == Message("Sam", at(2024, 1, 13, 9, 33), "This message was deleted",
                             is_deleted=True)
    assert got[1].sent_at.isoformat() == "2024-01-12T14:05"


def test_ios_12_hour_with_narrow_spaces_and_marks(tmp_path: Path) -> None:
    text = (
        f"[1/2/24, 9:05:01{NNBSP}PM] Group of three: {LRM}Messages and calls are end-to-end "
        "encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them.\n"
        f"[1/2/24, 9:05:02{NNBSP}PM] Group of three: {LRM}Sam created group “Group of three”\n"
        f"[1/2/24, 9:06:00{NNBSP}PM] Sam: Hello 👋\n"
        f"{LRM}[1/2/24, 9:07:10{NNBSP}PM] Alex: {LRM}<attached: "
        "00000012-PHOTO-2024-01-02-21-07-10.jpg>\n"
        f"[1/2/24, 12:01:00{NNBSP}AM] Alex: midnight\n"
        f"[13/2/24, 12:30:00{NNBSP}PM] Sam: noon\n"
        f"[13/2/24, 1:00:00{NNBSP}PM] Sam: {LRM}image omitted\n"
    )
    path = write(tmp_path, text, "_chat.txt")
    export = read_chat_export(path)
    conversation = export.conversations[0]
    assert conversation.title == "Group of three"
    assert conversation.participants == ("Sam", "Alex")
    got = list(conversation.messages())
    assert len(got) == 7
    second = Precision.SECOND
    assert got[0].is_system and got[0].sender is None
    assert got[1] == Message(None, at(2024, 2, 1, 21, 5, 2, precision=second),
                             "Sam created group “Group of three”", is_system=True)
    assert got[2] == Message("Sam", at(2024, 2, 1, 21, 6, 0, precision=second), "Hello 👋")
    assert got[3] == Message("Alex", at(2024, 2, 1, 21, 7, 10, precision=second), "",
                             ("00000012-PHOTO-2024-01-02-21-07-10.jpg",))
    assert got[4].sent_at == at(2024, 2, 1, 0, 1, 0, precision=second)
    assert got[5].sent_at == at(2024, 2, 13, 12, 30, 0, precision=second)
    assert got[6].media_omitted and got[6].text == ""
    assert got[6].sent_at.isoformat() == "2024-02-13T13:00:00"


def test_month_first_us_export_with_am_pm_dots(tmp_path: Path) -> None:
    text = ("1/13/24, 10:15 a.m. - Sam: morning\n"
            "1/14/24, 11:45 p.m. - Alex: night\n"
            "2/3/24, 8:00 AM - Sam: 3 February\n")
    got = messages(write(tmp_path, text))
    assert [m.sent_at.when for m in got] == [datetime(2024, 1, 13, 10, 15),
                                             datetime(2024, 1, 14, 23, 45),
                                             datetime(2024, 2, 3, 8, 0)]
    assert [m.sender for m in got] == ["Sam", "Alex", "Sam"]


def test_dotted_two_digit_years_and_dashes(tmp_path: Path) -> None:
    dotted = ("12.01.24, 14:05 - Sam: Hallo\n"
              "13.01.24, 08:00 - Alex: <Medien ausgeschlossen>\n"
              "13.01.24, 08:01 - Alex: DOC-20240113-WA0002.pdf (Datei angehängt)\n"
              "[13.01.24, 08:02:03] Sam: ok\n")
    got = messages(write(tmp_path, dotted))
    assert len(got) == 4
    assert got[0] == Message("Sam", at(2024, 1, 12, 14, 5), "Hallo")
    assert got[1].media_omitted
    assert got[2].attachments == ("DOC-20240113-WA0002.pdf",)
    assert got[3].sent_at == at(2024, 1, 13, 8, 2, 3, precision=Precision.SECOND)
    dashed = ("25-12-2023, 07:00 - Sam: <Multimedia omitido>\n"
              "25-12-2023, 07:01 - Sam: IMG-20231225-WA0003.jpg (archivo adjunto)\n")
    got = messages(write(tmp_path, dashed, "b.txt"))
    assert got[0].media_omitted and got[0].sent_at == at(2023, 12, 25, 7, 0)
    assert got[1].attachments == ("IMG-20231225-WA0003.jpg",)


def test_a_line_that_looks_like_a_header_stays_in_its_message(tmp_path: Path) -> None:
    text = ("14/01/2024, 10:00 - Alex: I have these:\n"
            "31/02/2024, 10:00 - Sam: this date does not exist\n"
            "14/01/2024, 10:00 no dash so not a header\n"
            "14/01/2024, 10:00 - just words pasted in\n"
            "\n"
            "end of message\n"
            "14/01/2024, 10:01 - Sam: what?\n")
    got = messages(write(tmp_path, text))
    assert len(got) == 2
    assert got[0].text == ("I have these:\n31/02/2024, 10:00 - Sam: this date does not exist\n"
                           "14/01/2024, 10:00 no dash so not a header\n"
                           "14/01/2024, 10:00 - just words pasted in\n\nend of message")
    assert got[1] == Message("Sam", at(2024, 1, 14, 10, 1), "what?")


def test_system_lines_have_no_sender(tmp_path: Path) -> None:
    text = ("14/01/2024, 10:00 - Sam created group \"Us\"\n"
            "14/01/2024, 10:00 - Sam added Alex\n"
            "14/01/2024, 10:01 - Alex: hi\n"
            "14/01/2024, 10:02 - Alex left\n"
            "14/01/2024, 10:03 - Sam changed the subject from \"Us: old\" to \"Them\"\n")
    got = messages(write(tmp_path, text))
    assert [(m.sender, m.is_system) for m in got] == [
        (None, True), (None, True), ("Alex", False), (None, True), (None, True)]
    assert got[4].text == "Sam changed the subject from \"Us: old\" to \"Them\""


def test_blocking_a_contact_is_a_system_line_not_part_of_a_message(tmp_path: Path) -> None:
    text = ("14/01/2024, 10:01 - Sam: pay now\n"
            "14/01/2024, 10:02 - You blocked this contact. Tap to unblock.\n"
            "15/01/2024, 08:00 - You unblocked this contact.\n"
            "15/01/2024, 08:01 - Sie haben diesen Kontakt blockiert. Tippen, um die Blockierung "
            "aufzuheben.\n"
            f"[15/01/2024, 08:02:00] Sam: {LRM}You blocked this contact. Tap to unblock.\n")
    got = messages(write(tmp_path, text))
    assert [(m.sender, m.is_system) for m in got] == [
        ("Sam", False), (None, True), (None, True), (None, True), (None, True)]
    assert got[0].text == "pay now"  # the block line is not joined onto it
    assert got[1].text == "You blocked this contact. Tap to unblock."


def test_ambiguous_dates_are_reported_not_guessed(tmp_path: Path) -> None:
    path = write(tmp_path, "03/04/2024, 10:00 - Sam: hi\n05/06/2024, 11:00 - Alex: yo\n")
    conversation = read_chat_export(path).conversations[0]
    assert conversation.dates_ambiguous
    assert set(conversation.date_orders) == {DateOrder.DAY_FIRST, DateOrder.MONTH_FIRST}
    with pytest.raises(ChatExportUnreadable, match="day first or month first"):
        conversation.messages()
    day_first = messages(path, DateOrder.DAY_FIRST)
    month_first = messages(path, DateOrder.MONTH_FIRST)
    assert day_first[0].sent_at.when == datetime(2024, 4, 3, 10, 0)
    assert month_first[0].sent_at.when == datetime(2024, 3, 4, 10, 0)


def test_one_day_over_twelve_decides_the_whole_file(tmp_path: Path) -> None:
    text = "03/04/2024, 10:00 - Sam: hi\n" * 50 + "03/13/2024, 10:00 - Sam: 13 March\n"
    conversation = read_chat_export(write(tmp_path, text)).conversations[0]
    assert conversation.date_orders == (DateOrder.MONTH_FIRST,)
    assert next(conversation.messages()).sent_at.when == datetime(2024, 3, 4, 10, 0)


def test_utf16_with_bom_and_crlf(tmp_path: Path) -> None:
    text = "12/01/2024, 14:05 - Sam: hi\r\n13/01/2024, 09:30 - Alex: café ☕\r\n"
    path = write(tmp_path, "\ufeff" + text, encoding="utf-16-le")
    assert detect(path) is Platform.WHATSAPP
    got = messages(path)
    assert [m.text for m in got] == ["hi", "café ☕"]


def test_zip_with_chat_and_media(tmp_path: Path) -> None:
    path = tmp_path / "WhatsApp Chat - Sam.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("_chat.txt", f"[13/01/2024, 14:05:09] Sam: {LRM}<attached: "
                         "00000012-PHOTO-2024-01-12-14-05-09.jpg>\n"
                         "[13/01/2024, 14:06:00] Alex: seen\n")
        archive.writestr("00000012-PHOTO-2024-01-12-14-05-09.jpg", b"\xff\xd8\xff")
    assert detect(path) is Platform.WHATSAPP
    export = read_chat_export(path)
    conversation = export.conversations[0]
    assert conversation.title == "Sam"
    got = list(conversation.messages())
    assert got[0].attachments == ("00000012-PHOTO-2024-01-12-14-05-09.jpg",)
    assert got[0].sent_at.when == datetime(2024, 1, 13, 14, 5, 9)
    assert got[0].sent_at.utc_offset is None
    assert got[1] == Message("Alex", at(2024, 1, 13, 14, 6, 0, precision=Precision.SECOND),
                             "seen")


def test_a_renamed_file_is_still_recognised_and_other_text_is_not(tmp_path: Path) -> None:
    assert detect(write(tmp_path, ANDROID_24H, "notes.txt")) is Platform.WHATSAPP
    assert detect(write(tmp_path, "Dear diary,\ntoday 12/01/2024 was fine.\n", "d.txt")) is None
    with pytest.raises(ChatExportUnreadable, match="not a chat export"):
        read_chat_export(tmp_path / "d.txt")


def test_sent_at_isoformat_states_an_offset_only_when_given() -> None:
    assert SentAt(datetime(2024, 1, 2, 3, 4, 5, 678000), Precision.MILLISECOND,
                  timedelta(0)).isoformat() == "2024-01-02T03:04:05.678+00:00"
    assert SentAt(datetime(2024, 1, 2, 3, 4), Precision.SECOND,
                  timedelta(hours=-5, minutes=-30)).isoformat() == "2024-01-02T03:04:00-05:30"


def test_year_first_dates_need_no_order_and_rtl_marks_are_ignored(tmp_path: Path) -> None:
    text = ("\u200f2024-01-02, 10:00 - \u200fSam: \u200fمرحبا\n"
            "2024-01-03, 10:01 - Alex: hi\n")
    conversation = read_chat_export(write(tmp_path, text)).conversations[0]
    assert conversation.date_orders == ()
    got = list(conversation.messages())
    assert [(m.sender, m.sent_at.when, m.text) for m in got] == [
        ("Sam", datetime(2024, 1, 2, 10, 0), "\u200fمرحبا"),
        ("Alex", datetime(2024, 1, 3, 10, 1), "hi")]


def test_an_export_of_one_message_is_recognised(tmp_path: Path) -> None:
    path = write(tmp_path, "13/01/2024, 10:00 - Sam: only this")
    assert detect(path) is Platform.WHATSAPP
    assert messages(path) == [Message("Sam", at(2024, 1, 13, 10, 0), "only this")]


def test_shapes_from_real_exports_in_bug_reports(tmp_path: Path) -> None:
    text = (f"[31/12/2022 11:40:26] John Doe: {LRM}RS.pdf • 14 pages "
            f"{LRM}<attached: 00000002-RS.pdf>\n"
            "[31/12/2022 19:29:20] +12 345 67 89 00 changed the subject to “Group Name”\n"
            "[31/12/2022 22:44:23] John Doe: This message was deleted.\n")
    got = messages(write(tmp_path, text, "_chat.txt"))
    assert got[0] == Message("John Doe", at(2022, 12, 31, 11, 40, 26,
                                            precision=Precision.SECOND),
                             "RS.pdf • 14 pages", ("00000002-RS.pdf",))
    assert got[1].is_system and got[1].sender is None
    assert got[2].is_deleted and got[2].text == "This message was deleted."
    spanish = "20/6/2017 8:28 p.\u00a0m. - Michelle: test\n21/6/2017 9:00 a. m. - Ana: hola\n"
    got = messages(write(tmp_path, spanish, "es.txt"))
    assert [(m.sender, m.sent_at.when) for m in got] == [
        ("Michelle", datetime(2017, 6, 20, 20, 28)), ("Ana", datetime(2017, 6, 21, 9, 0))]


@pytest.mark.parametrize("odd", [b"caf\xe9", b"nul\x00here"], ids=["latin-1 byte", "NUL"])
def test_one_stray_byte_near_the_start_is_read_as_one_at_the_end(tmp_path: Path,
                                                                 odd: bytes) -> None:
    lines = [f"14/03/2025, 22:{i % 60:02d} - Alex: hello {i}".encode() for i in range(4000)]
    stray = b"14/03/2025, 22:32 - Jess: " + odd
    early = tmp_path / "early.txt"
    early.write_bytes(b"\n".join([*lines[:5], stray, *lines[5:]]) + b"\n")
    late = tmp_path / "late.txt"
    late.write_bytes(b"\n".join([*lines, stray]) + b"\n")
    assert detect(early) is Platform.WHATSAPP and detect(late) is Platform.WHATSAPP
    read_early, read_late = messages(early), messages(late)
    assert len(read_early) == len(read_late) == 4001
    assert read_early[5].sender == "Jess" and read_early[5].text.startswith(odd[:3].decode())


def test_a_picture_or_random_bytes_are_still_not_text(tmp_path: Path) -> None:
    import random

    noise = random.Random(7).randbytes(64 * 1024)
    (tmp_path / "noise.txt").write_bytes(noise)
    assert detect(tmp_path / "noise.txt") is None
    # A chat's first lines with a few odd bytes in every line is not text either.
    garbled = b"".join(b"14/03/2025, 22:%02d - A: \xff\xfe\x00\xc3 hi\n" % (i % 60)
                       for i in range(200))
    (tmp_path / "garbled.txt").write_bytes(garbled)
    assert detect(tmp_path / "garbled.txt") is None


def test_a_reading_that_runs_backwards_cannot_be_the_phones(tmp_path: Path) -> None:
    """Every date fits both orders, but month first the messages would run backwards
    (1 December, then 2 January): an export is in the order sent, so it is day first."""
    text = "12/01/2024, 10:00 - Sam: hi\n20/01/2024, 10:00 - Sam: x\n"  # settled by 20
    assert read_chat_export(write(tmp_path, text)).conversations[0].date_orders == (
        DateOrder.DAY_FIRST,)
    text = "12/01/2024, 10:00 - Sam: hi\n01/02/2024, 09:00 - Alex: pay\n"
    conversation = read_chat_export(write(tmp_path, text, "b.txt")).conversations[0]
    assert conversation.date_orders == (DateOrder.DAY_FIRST,) and not conversation.dates_ambiguous
    assert [m.sent_at.when for m in conversation.messages()] == [
        datetime(2024, 1, 12, 10, 0), datetime(2024, 2, 1, 9, 0)]
    assert any("would run backwards" in note for note in conversation.notes)
    text = "05/06/2024, 10:00 - Sam: hi\n06/05/2024, 09:00 - Alex: pay\n"  # the other way
    conversation = read_chat_export(write(tmp_path, text, "c.txt")).conversations[0]
    assert conversation.date_orders == (DateOrder.MONTH_FIRST,)


def test_a_clock_put_back_is_not_running_backwards(tmp_path: Path) -> None:
    text = ("03/04/2024, 10:00 - Sam: hi\n03/04/2024, 09:30 - Alex: clock put back\n"
            "05/06/2024, 11:00 - Alex: yo\n")
    assert read_chat_export(write(tmp_path, text)).conversations[0].dates_ambiguous


def test_no_message_is_after_the_day_it_was_added() -> None:
    from app.core.chats.date_order_signs import OrderSigns

    signs = OrderSigns()
    # "03/02/2027" and "04/02/2027", added on 5 February 2027.
    for day_first, month_first in ((datetime(2027, 2, 3, 21), datetime(2027, 3, 2, 21)),
                                   (datetime(2027, 2, 4, 8), datetime(2027, 4, 2, 8))):
        signs.see(DateOrder.DAY_FIRST, day_first)
        signs.see(DateOrder.MONTH_FIRST, month_first)
    assert signs.possible(datetime(2027, 2, 5, 12)) == (DateOrder.DAY_FIRST,)
    assert signs.possible(datetime(2027, 4, 5, 12)) == (DateOrder.DAY_FIRST,
                                                        DateOrder.MONTH_FIRST)
    # The phone's time zone may be ahead of this computer's: a day later is still possible.
    assert DateOrder.DAY_FIRST in signs.possible(datetime(2027, 2, 3, 12))


def test_a_deleted_message_with_no_sender_is_not_joined_to_the_one_above(
        tmp_path: Path) -> None:
    """A line WhatsApp writes with no sender when the person deleted their own message: it
    had been joined to the message above, so the offender's message read "hi / 3/14/25,
    9:05 PM - You deleted this message", in the bundle's CSV too, and a message was lost."""
    text = ("3/14/25, 9:04 PM - Sam: hi\n"
            "3/14/25, 9:05 PM - You deleted this message\n"
            "3/14/25, 9:06 PM - Sam: why did you delete it\n")
    got = messages(write(tmp_path, text))
    assert [(m.sender, m.text) for m in got] == [
        ("Sam", "hi"), (None, "You deleted this message"), ("Sam", "why did you delete it")]
    assert got[1].is_system


def test_a_word_between_the_date_and_the_time(tmp_path: Path) -> None:
    """French Android writes "14/03/2025 à 21:01", Finnish iPhone "[14.3.2025 klo 21.01.10]":
    such chats had been kept as documents, their messages unread, with nothing said."""
    french = ("14/03/2025 à 21:01 - Sam: Salut\n"
              "14/03/2025 à 21:02 - Sam: envoie 300 € ou je publie tout\n")
    got = messages(write(tmp_path, french, "Discussion WhatsApp avec Sam.txt"))
    assert [(m.sender, m.sent_at.when) for m in got] == [
        ("Sam", datetime(2025, 3, 14, 21, 1)), ("Sam", datetime(2025, 3, 14, 21, 2))]
    finnish = "[14.3.2025 klo 21.01.10] Sam: hei\n[14.3.2025 klo 21.02.00] Sam: maksa\n"
    got = messages(write(tmp_path, finnish, "_chat.txt"))
    assert [(m.sender, m.sent_at.when) for m in got] == [
        ("Sam", datetime(2025, 3, 14, 21, 1, 10)), ("Sam", datetime(2025, 3, 14, 21, 2))]


def test_the_iphone_s_mark_before_a_deleted_message_is_not_kept_in_its_words(
        tmp_path: Path) -> None:
    """iOS writes U+200E before "This message was deleted." and an attachment: kept in the
    words, it showed as "\\u200e" before them in the bundle's CSV and report."""
    text = (f"[15/03/2025, 21:01:10] Sam: {LRM}This message was deleted.\n"
            f"[15/03/2025, 21:02:00] Sam: {LRM}<attached: 00000003-PHOTO.jpg>\n"
            f"[15/03/2025, 21:03:00] Sam: I said {LRM}pay\n")
    got = messages(write(tmp_path, text, "_chat.txt"))
    assert got[0].text == "This message was deleted." and got[0].is_deleted
    assert got[1].attachments == ("00000003-PHOTO.jpg",) and LRM not in got[1].text
    assert got[2].text == f"I said {LRM}pay"  # one inside the words is theirs: kept
