"""A Skype download added through the command line into a real SQLCipher case file: the TAR
file kept byte for byte, its picture kept as an item linked to its message, the messages
listed as the reader gives them, the account holder's messages on the right, and the
offender's Skype ID, profile name and number offered as details (never the holder's own)."""

import csv
import hashlib
import io
import zipfile
from pathlib import Path

from pypdf import PdfReader

from app.core.reading import suggestions_for
from app.models.casefile import CaseFile
from tests.chats.skype_download import PHOTO, PHOTO_ID, download, message, write_download
from tests.conftest import PASSPHRASE
from tests.test_chat_import import Cli, added, listed, new_case, same_as_parser


def test_a_skype_download_becomes_a_case(tmp_path: Path, cli: Cli) -> None:
    case = new_case(tmp_path, cli)
    download = write_download(tmp_path)
    document = added(cli, case, download)
    assert [(o["path"], o["status"]) for o in document["items"]] == [
        (str(download), "added"), (f"{download}/media/{PHOTO_ID}.1.jpg", "added")]
    export_id, photo_id = (o["evidence_id"] for o in document["items"])
    evidence = {e["id"]: e for e in listed(cli, case, "evidence")}
    assert evidence[export_id]["sha256"] == hashlib.sha256(download.read_bytes()).hexdigest()
    assert evidence[export_id]["platform"] == "Skype"
    assert evidence[photo_id]["sha256"] == hashlib.sha256(PHOTO).hexdigest()

    messages = listed(cli, case, "messages")
    same_as_parser(download, messages)
    picture = next(m for m in messages if m["attachments"])
    assert [a["evidence_id"] for a in picture["attachments"]] == [photo_id]
    assert picture["sender_id"] == "live:.cid.bbbb2222"
    assert {m["sender_id"] for m in messages if m["sender"] == "You (the account holder)"} == {
        None}
    conversations = listed(cli, case, "conversations")
    assert [(c["title"], c["platform"], c["me"]) for c in conversations] == [
        ("Anna Smith", "skype", "You (the account holder)"), ("Deal", "skype", None)]

    with CaseFile.open(Path(case), PASSPHRASE, actor="tester") as opened:
        offered = {(s.kind.value, s.value) for s in suggestions_for(opened, export_id)}
    assert {("skype-id", "live:.cid.bbbb2222"), ("skype-name", "Anna Smith"),
            ("phone", "+447911123456")} <= offered
    values = {value for _, value in offered}
    assert not any("aaaa1111" in value for value in values)  # the account holder's own
    assert not any("concierge" in value.casefold() for value in values)  # a bot
    found = cli("search", case, "live:.cid.bbbb2222", "video")
    assert found.code == 0, found
    assert found.out.count("\n") == 1 and "Pay £500" in found.out  # by their Skype ID
    check = cli("check", case)
    assert check.code == 0, check


def test_the_bundle_lists_the_skype_messages_and_verifies(tmp_path: Path, cli: Cli) -> None:
    case = new_case(tmp_path, cli)
    added(cli, case, write_download(tmp_path))
    bundle = tmp_path / "bundle.zip"
    exported = cli("export", case, str(bundle))
    assert exported.code == 0, exported
    verified = cli("verify", str(bundle))
    assert verified.code == 0, verified
    with zipfile.ZipFile(bundle) as archive:
        name = next(n for n in archive.namelist() if n.endswith("/csv/messages.csv"))
        rows = list(csv.DictReader(io.StringIO(archive.read(name).decode("utf-8-sig"))))
    assert {r["platform"] for r in rows} == {"skype"}
    assert ("Anna Smith", "live:.cid.bbbb2222",
            "Pay £500 to paypal.me/annasm or I send the video :)") in {
        (r["sender"], r["sender_account"], r["text"]) for r in rows}
    with zipfile.ZipFile(bundle) as archive:
        report = next(n for n in archive.namelist() if n.endswith("/report.pdf"))
        pages = PdfReader(io.BytesIO(archive.read(report))).pages
        flat = " ".join(" ".join(page.extract_text() for page in pages).split())
    assert "Anna Smith (live:.cid.bbbb2222), You (the account holder)" in flat
    # A number is kept from a spreadsheet's formulas, as every cell that starts with "+".
    assert {r["sender_account"] for r in rows if r["text"] == "send it now"} == {
        "'+447911123456"}
    assert {r["sender_account"] for r in rows if r["sender"] == "You (the account holder)"} \
        == {""}


def test_a_download_added_hidden_hides_its_files_too(tmp_path: Path, cli: Cli) -> None:
    case = new_case(tmp_path, cli)
    result = cli("add-evidence", case, str(write_download(tmp_path)), "--sensitive")
    assert result.code == 0, result
    assert [(e["original_name"], e["sensitive"]) for e in listed(cli, case, "evidence")] == [
        ("8_live_cid_aaaa1111_export.tar", True), (f"{PHOTO_ID}.1.jpg", True)]


def test_a_hostile_account_is_harmless_in_the_spreadsheet(tmp_path: Path, cli: Cli) -> None:
    case = new_case(tmp_path, cli)
    hostile = '=HYPERLINK("http://x","y")\u202e\x07'
    chat = [message("2024-03-02T21:00:00Z", f"8:{hostile}", "Text", "pay", name="=1+1")]
    added(cli, case, write_download(tmp_path, download(chat)))
    bundle = tmp_path / "bundle.zip"
    assert cli("export", case, str(bundle)).code == 0
    with zipfile.ZipFile(bundle) as archive:
        name = next(n for n in archive.namelist() if n.endswith("/csv/messages.csv"))
        rows = list(csv.DictReader(io.StringIO(archive.read(name).decode("utf-8-sig"))))
    (row,) = [r for r in rows if r["text"] == "pay"]
    assert (row["sender"], row["sender_account"]) == (
        "'=1+1", "'=HYPERLINK(\"http://x\",\"y\")\\u202e\\u0007")
