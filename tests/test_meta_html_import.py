"""Instagram's download in HTML added through the command line into a real SQLCipher case
file: the ZIP kept byte for byte, the photo sent kept as an item linked to its message, the
messages listed as the reader gives them, and the offender's details offered."""

from pathlib import Path

from app.core.reading import suggestions_for
from app.models.casefile import CaseFile
from tests.chats.meta_html_download import page
from tests.chats.test_json_exports import make_zip
from tests.chats.test_meta_html import INBOX, OFFENDER, PHOTO, THREAD
from tests.conftest import PASSPHRASE
from tests.test_chat_import import Cli, added, jpeg, listed, new_case, same_as_parser


def test_an_instagram_html_download_becomes_a_case(tmp_path: Path, cli: Cli) -> None:
    case = new_case(tmp_path, cli)
    download = make_zip(tmp_path / "instagram-jobloggs-2025-03-16-Ab1Cd.zip", {
        INBOX + "message_1.html": page(OFFENDER, THREAD), PHOTO: jpeg("red"),
        "start_here.html": "<!DOCTYPE html><title>Your information</title>"})
    document = added(cli, case, download)
    assert [(o["path"], o["status"]) for o in document["items"]] == [
        (str(download), "added"), (f"{download}/{PHOTO}", "added")]
    export_id, photo_id = (o["evidence_id"] for o in document["items"])
    assert document["chats"][0]["status"] == "read"
    assert {e["id"]: e["platform"] for e in listed(cli, case, "evidence")}[export_id] == \
        "Instagram"
    messages = listed(cli, case, "messages")
    same_as_parser(download, messages)
    assert [[a["evidence_id"] for a in m["attachments"]] for m in messages] == [
        [], [], [], [photo_id]]
    with CaseFile.open(Path(case), PASSPHRASE, actor="tester") as opened:
        offered = {(s.kind.value, s.value) for s in suggestions_for(opened, export_id)}
    assert {("url", "https://paypal.me/annasm"), ("amount", "£500")} <= offered
