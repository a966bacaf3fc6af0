"""Chat exports in the bundle: csv/messages.csv read back with the csv module, row by row; the
report's transcripts read back from the PDF; hostile messages; a withheld export; a long
conversation shortened as the README says; the bundle still verifies.

The case is real (SQLCipher on disk) and the exports go in through intake, as a person adds
them: a WhatsApp text file, a WhatsApp ZIP with its photos, a Telegram ZIP.
"""

import csv
import hashlib
import io
import json
import re
import shutil
import subprocess
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from sqlalchemy import update

from app.core.intake import import_paths
from app.export import export_bundle, verify_bundle
from app.export.casedata import take_snapshot
from app.export.messages_export import HEAD, TAIL, messages_csv, transcripts_of
from app.export.portal import PortalLimits
from app.models import ChatMessage
from app.models.casefile import CaseFile
from tests.chats.test_json_exports import TELEGRAM_CHAT, make_zip
from tests.chats.test_whatsapp import ANDROID_24H, LRM, NNBSP
from tests.conftest import PASSPHRASE, TEST_KDF_PROFILE
from tests.test_chat_import import jpeg
from tests.test_export_support import build_demo_case, unzip

HOSTILE_LINES = (
    "13/01/2024, 09:40 - =cmd|' /C calc'!A0: =HYPERLINK(\"http://x\") <b>bold</b> &amp; "
    "\x07bell a\u202eb \U0001f600 \u4e2d\u6587 \u0645\u0631\u062d\u0628\u0627\n"
    "13/01/2024, 09:41 - Sam: +1 &lt;i&gt; <font color=red>red?</font>\n")
PHOTO = "00000012-PHOTO-2024-01-13-14-05-09.jpg"


def bundle_of(case: CaseFile, folder: Path) -> tuple[Path, Path]:
    """(the ZIP, the folder it unzips to)."""
    result = export_bundle(case, folder / "bundle.zip")
    return result.path, unzip(result.path, folder / "out")


def csv_rows(root: Path) -> list[dict[str, str]]:
    text = (root / "csv/messages.csv").read_bytes().decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def pdf_text(root: Path) -> str:
    reader = PdfReader(root / "report.pdf")
    return "\n".join(page.extract_text() or "" for page in reader.pages)


@pytest.fixture(scope="module")
def chats(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("chats")
    android = folder / "WhatsApp Chat with Sam.txt"
    android.write_text(ANDROID_24H + HOSTILE_LINES, encoding="utf-8")
    ios = make_zip(folder / "WhatsApp Chat - Sam.zip", {
        "_chat.txt": (f"[13/01/2024, 2:05:09{NNBSP}PM] Sam: {LRM}<attached: {PHOTO}>\n"
                      f"[13/01/2024, 2:06:00{NNBSP}PM] Alex: seen it\n"
                      f"[13/01/2024, 2:08:00{NNBSP}PM] Sam: {LRM}<attached: gone.jpg>\n"),
        PHOTO: jpeg("red")})
    telegram = make_zip(folder / "telegram.zip",
                        {"ChatExport_2024-01-13/result.json": TELEGRAM_CHAT})
    private = folder / "WhatsApp Chat with Kim.txt"
    private.write_text("13/01/2024, 14:05 - Kim: only for me\n", encoding="utf-8")
    undecided = folder / "WhatsApp Chat with Lee.txt"  # 12 January, or 1 December?
    undecided.write_text("12/01/2024, 14:05 - Lee: which day\n", encoding="utf-8")
    with CaseFile.create(folder / "case.skcase", PASSPHRASE, display_name="Alex",
                         actor="tester", kdf_profile=TEST_KDF_PROFILE) as case:
        build_demo_case(case)  # AL/1 to AL/4
        import_paths(case, [android, ios, telegram])  # AL/5, AL/6, AL/7; the photo AL/8
        import_paths(case, [private], sensitive=True)  # AL/9, withheld
        import_paths(case, [undecided])  # AL/10, waiting for its date order
        path, root = bundle_of(case, folder)
    return {"zip": path, "root": root, "case": folder / "case.skcase", "rows": csv_rows(root),
            "pdf": pdf_text(root)}


def test_messages_csv_has_every_message_exactly(chats: dict[str, Any]) -> None:
    rows = chats["rows"]
    assert list(rows[0]) == [
        "exhibit", "conversation_id", "conversation_title", "platform", "number", "sender",
        "sender_account", "sent_at", "precision", "text", "attachments", "attachment_exhibits",
        "links", "is_system", "is_deleted", "media_omitted"]
    sam = [r for r in rows if r["exhibit"] == "AL/5"]
    assert [(r["number"], r["sender"], r["sent_at"], r["precision"], r["text"], r["attachments"],
             r["is_system"], r["is_deleted"], r["media_omitted"]) for r in sam] == [
        ("1", "", "2024-01-12T14:05", "minute",
         "Messages and calls are end-to-end encrypted. Tap to learn more.", "", "yes", "no",
         "no"),
        ("2", "Sam", "2024-01-12T14:05", "minute", "hi", "", "no", "no", "no"),
        ("3", "Alex", "2024-01-13T09:30", "minute", "Send it now.\nOr else.", "", "no", "no",
         "no"),
        ("4", "Sam", "2024-01-13T09:31", "minute", "my caption", "IMG-20240113-WA0001.jpg",
         "no", "no", "no"),
        ("5", "Alex", "2024-01-13T09:32", "minute", "", "", "no", "no", "yes"),
        ("6", "Sam", "2024-01-13T09:33", "minute", "This message was deleted", "", "no", "yes",
         "no"),
        # Formulas start with a quote; hidden characters are shown as escapes.
        ("7", "'=cmd|' /C calc'!A0", "2024-01-13T09:40", "minute",
         "'=HYPERLINK(\"http://x\") <b>bold</b> &amp; \\u0007bell a\\u202eb \U0001f600 "
         "\u4e2d\u6587 \u0645\u0631\u062d\u0628\u0627", "", "no", "no", "no"),
        ("8", "Sam", "2024-01-13T09:41", "minute", "'+1 &lt;i&gt; <font color=red>red?</font>",
         "", "no", "no", "no"),
    ]
    assert {(r["conversation_title"], r["platform"]) for r in sam} == {("Sam", "whatsapp")}
    assert all(r["attachment_exhibits"] == "" and r["links"] == "" for r in sam)


def test_attachments_name_the_exhibit_their_file_became(chats: dict[str, Any]) -> None:
    ios = [r for r in chats["rows"] if r["exhibit"] == "AL/6"]
    assert [(r["sender"], r["sent_at"], r["attachments"], r["attachment_exhibits"])
            for r in ios] == [
        ("Sam", "2024-01-13T14:05:09", f"{PHOTO} (AL/8)", "AL/8"),
        ("Alex", "2024-01-13T14:06:00", "", ""),
        ("Sam", "2024-01-13T14:08:00", "gone.jpg", ""),  # named, but not in the ZIP
    ]
    telegram = [r for r in chats["rows"] if r["exhibit"] == "AL/7"]
    assert [(r["sender"], r["sent_at"], r["precision"]) for r in telegram] == [
        ("", "2024-01-12T14:05:09+00:00", "second"),
        ("Alex", "2024-01-12T14:06:00+00:00", "second"),
        ("Sam", "2024-01-12T14:07:00+00:00", "second"),
        ("Alex", "2024-01-12T14:08:00+00:00", "second")]
    assert telegram[1]["sender_account"] == "user1"  # Telegram's from_id, beside the name
    assert telegram[0]["sender_account"] == "" and all(r["sender_account"] == "" for r in ios)
    assert telegram[1]["text"] == "Pay to this card now https://pay.invalid or here"
    assert telegram[1]["links"] == "https://other.invalid/p"
    assert telegram[2]["attachments"] == (
        "ChatExport_2024-01-13/photos/photo_1@12-01-2024_15-07-00.jpg")


def test_a_withheld_export_keeps_its_messages_out(chats: dict[str, Any]) -> None:
    assert not any(r["exhibit"] == "AL/9" or "only for me" in r["text"] for r in chats["rows"])
    assert len(chats["rows"]) == 8 + 3 + 4
    flat = " ".join(chats["pdf"].split())
    assert "only for me" not in flat
    assert "The export is marked sensitive and is not in this bundle" in flat


def test_an_export_not_yet_read_is_named(chats: dict[str, Any]) -> None:
    flat = " ".join(chats["pdf"].split())
    assert "which day" not in flat
    assert ("Exhibit AL/10 (WhatsApp): its messages are not in this report or in "
            "csv/messages.csv: its dates fit both day first and month first") in flat


def test_messages_csv_is_listed_and_the_bundle_verifies(chats: dict[str, Any]) -> None:
    root: Path = chats["root"]
    digest = hashlib.sha256((root / "csv/messages.csv").read_bytes()).hexdigest()
    manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    assert {"path": "csv/messages.csv", "sha256": digest,
            "size": (root / "csv/messages.csv").stat().st_size} in manifest["files"]
    assert f"{digest}  csv/messages.csv" in (root / "SHA256SUMS").read_text().splitlines()
    report = verify_bundle(chats["zip"])
    assert report.ok, report.problems
    readme = (root / "README.txt").read_text(encoding="utf-8")
    assert "csv/messages.csv" in readme


def test_the_report_holds_each_transcript(chats: dict[str, Any]) -> None:
    text = chats["pdf"]
    flat = " ".join(text.split())
    assert "Conversations from chat exports" in flat
    for heading in ("WhatsApp: Sam", "Exhibit AL/5 · WhatsApp Chat with Sam.txt",
                    "AL/6 · WhatsApp Chat - Sam.zip", "Telegram: Alex", "AL/7 · telegram.zip",
                    "WhatsApp times are local to the phone"):
        assert heading in flat, heading
    assert "2024-01-12 14:05 to 2024-01-13 09:41" in flat  # first and last, as written
    assert "as the export writes them, in UTC" in flat  # Telegram's +00:00, said once
    assert "Alex (user1)" in flat  # a person with their own account, as Telegram gives it
    for line in ("Send it now.", "Or else.", "my caption",
                 "Attachment (no file in the case): IMG-20240113-WA0001.jpg",
                 f"Attachment AL/8: {PHOTO}", "Link: https://other.invalid/p",
                 "Pay to this card now https://pay.invalid or here",
                 "(the export left out this media)"):
        assert line in text, line
    # A time on every row, as written, without the offset the heading gives.
    assert "2024-01-12 14:06:00" in text and "14:06:00+00:00" not in text


def test_hostile_messages_are_drawn_as_text(chats: dict[str, Any]) -> None:
    text = chats["pdf"]
    assert "=cmd|' /C calc'!A0" in text
    assert '=HYPERLINK("http://x") <b>bold</b> &amp; \\u0007bell a\\u202eb' in text
    assert "[U+4E2D][U+6587]" in text  # no CJK in the shipped fonts: shown, not a blank box
    assert "+1 &lt;i&gt; <font color=red>red?</font>" in text
    assert "\u202e" not in text and "\x07" not in text


def test_the_report_budget_leaves_later_conversations_to_the_csv(chats: dict[str, Any]) -> None:
    """The pass that writes the CSV keeps at most `budget` messages for the report."""
    with CaseFile.open(chats["case"], PASSPHRASE, actor="tester") as case:
        snap = take_snapshot(case, include_sensitive=False)
        transcripts = transcripts_of(snap)
        transcripts.budget = 10
        data = b"".join(messages_csv(case, snap, transcripts))
    assert data == (chats["root"] / "csv/messages.csv").read_bytes()  # the same CSV
    shown = {t.exhibit: t for t in transcripts.shown}
    assert [(len(t.head), len(t.tail), t.in_report, t.count) for t in transcripts.shown] == [
        (8, 0, True, 8), (2, 0, True, 3), (0, 0, False, 4), (0, 0, True, 1)]
    assert shown["AL/6"].left_out == 1 and shown["AL/7"].left_out == 4
    assert shown["AL/9"].withheld


def test_a_long_conversation_shows_its_first_and_last_messages(tmp_path: Path,
                                                                make_case: Any) -> None:
    total = HEAD + TAIL + 150
    chat = tmp_path / "WhatsApp Chat with Sam.txt"
    with chat.open("w", encoding="utf-8") as out:
        for i in range(total):
            out.write(f"13/03/2024, {i // 60 % 24:02d}:{i % 60:02d} - Sam: msg {i + 1} end\n")
    case = make_case()
    import_paths(case, [chat])
    _, root = bundle_of(case, tmp_path)
    rows = csv_rows(root)
    assert [r["text"] for r in rows] == [f"msg {i + 1} end" for i in range(total)]
    flat = " ".join(pdf_text(root).split())
    assert (f"This conversation has {total:,} messages. The first {HEAD:,} and the last "
            f"{TAIL:,} are shown here; all of them are in csv/messages.csv.") in flat
    assert ("… 150 messages are not shown here (numbers 1,001 to 1,150): every message is "
            "in csv/messages.csv.") in flat
    shown = {int(n) for n in re.findall(r"msg (\d+) end", flat)}
    assert shown == set(range(1, HEAD + 1)) | set(range(total - TAIL + 1, total + 1))


def test_sha256sum_checks_a_bundle_with_messages(chats: dict[str, Any]) -> None:
    if shutil.which("sha256sum") is None:
        pytest.skip("sha256sum (GNU coreutils) is not installed here")
    proc = subprocess.run(["sha256sum", "-c", "--strict", "SHA256SUMS"], cwd=chats["root"],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "csv/messages.csv: OK" in proc.stdout


def test_very_long_values_never_stop_the_report(tmp_path: Path, make_case: Any) -> None:
    """A message longer than a page, a sender's name of thousands of characters, a line of
    CJK with no space in it: the report is made, shortened where it must be, and the CSV
    keeps every value whole."""
    sender = "S" * 3000
    words = " ".join(["threat"] * 3000)
    cjk = "\u4e2d" * 5000
    chat = tmp_path / "WhatsApp Chat with Sam.txt"
    chat.write_text(f"13/01/2024, 09:40 - Sam: {words}\n13/01/2024, 09:41 - Sam: {cjk}\n"
                    f"13/01/2024, 09:42 - Sam: IMG-{'9' * 400}.jpg (file attached)\n",
                    encoding="utf-8")
    case = make_case()
    import_paths(case, [chat])
    short = tmp_path / "names.txt"  # WhatsApp's parser caps names; the schema does not
    short.write_text("13/01/2024, 09:43 - Kim: hello\n", encoding="utf-8")
    import_paths(case, [short])
    with case.write() as session:
        session.execute(update(ChatMessage).where(ChatMessage.text == "hello")
                        .values(sender=sender))
    _, root = bundle_of(case, tmp_path)
    rows = csv_rows(root)
    assert [r["text"] for r in rows] == [words, cjk, "", "hello"]
    assert rows[3]["sender"] == sender
    assert rows[2]["attachments"] == f"IMG-{'9' * 400}.jpg"
    flat = " ".join(pdf_text(root).split())
    assert "… (continues in the CSV files)" in flat
    assert "[U+4E2D]" in flat and "hello" in flat


def test_the_chronology_has_each_conversations_first_and_last_message(
        chats: dict[str, Any]) -> None:
    flat = " ".join(chats["pdf"].split())
    chronology = flat[flat.index("Chronology"):flat.index("Offender identifiers")]
    first = chronology.index("First message of the conversation \u201cSam\u201d")
    last = chronology.index("Last message of the conversation \u201cSam\u201d")
    assert first < last
    assert "2024-01-12 14:05 as the chat export writes it, no time zone Chat message" in \
        chronology
    assert "8 messages (see \u201cConversations from chat exports\u201d) AL/5" in chronology
    # Telegram states UTC: its time keeps the offset, and sorts among the others by it.
    assert "2024-01-12 14:05:09 +00:00 as the chat export writes it Chat message" in chronology
    assert "1 message; the export is withheld as sensitive" in chronology


def test_a_portal_pack_carries_the_messages_and_verifies(chats: dict[str, Any],
                                                        tmp_path: Path) -> None:
    with CaseFile.open(chats["case"], PASSPHRASE, actor="tester") as case:
        result = export_bundle(case, tmp_path / "pack", portal=PortalLimits(4, 300_000))
    report = verify_bundle(result.path)
    assert report.ok, report.problems
    names = {n for part in result.parts for n in zipfile.ZipFile(part).namelist()}
    assert any(n.endswith("/csv/messages.csv") for n in names)


def test_page_one_names_chat_platforms_and_ends_the_period_at_a_message(
        chats: dict[str, Any]) -> None:
    page1 = " ".join((PdfReader(chats["root"] / "report.pdf").pages[0].extract_text()
                      or "").split())
    platforms = page1[page1.index("Platforms used"):]
    assert "WhatsApp" in platforms and "Telegram" in platforms
    # The exports were written to disk today: their file times tell when the person saved
    # the chats, not of the offence, and must not end its period.
    period = page1[page1.index("Period of the offence"):page1.index("Platforms used")]
    today = datetime.now(UTC).date().isoformat()
    assert today not in period, period
