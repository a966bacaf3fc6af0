"""Chat exports that need care: dates that fit both orders (the person chooses, nothing is
guessed), exports that cannot be read (still kept), hostile names and values, a kill in the
middle of a large import, and a 100,000-message export stored with bounded memory."""

import json
import random
import subprocess
import sys
import textwrap
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.core.intake import import_paths
from app.core.records import check_case
from app.models import ChatConversation, ChatExportRead, ChatMessage, EvidenceItem
from app.models.casefile import CaseFile
from tests.chats.test_json_exports import make_zip
from tests.conftest import PASSPHRASE, CliResult
from tests.test_chat_import import added, jpeg, listed, new_case
from tests.test_crash_safety import _kill_at_random

Cli = Callable[..., CliResult]
AMBIGUOUS = "03/04/2024, 10:00 - Sam: hi\n05/06/2024, 11:00 - Alex: pay now\n"


def test_ambiguous_dates_wait_for_the_person_then_read_as_chosen(tmp_path: Path,
                                                                 cli: Cli) -> None:
    case = new_case(tmp_path, cli)
    path = tmp_path / "WhatsApp Chat with Sam.txt"
    path.write_text(AMBIGUOUS, encoding="utf-8")
    plain = cli("add-evidence", case, str(path))
    assert plain.code == 0 and plain.err == ""
    assert plain.out.splitlines() == [
        f"added: {path}",
        "  The file is kept, but its messages were not read yet: its dates could be day first "
        "or month first. To choose, run: safekeep read-chat CASE 1 --date-order day-first "
        "(or month-first)."]
    assert listed(cli, case, "messages") == []
    (waiting,) = listed(cli, case, "conversations")
    assert (waiting["id"], waiting["evidence_id"], waiting["status"]) == (
        None, 1, "needs-date-order")
    assert "read-chat CASE 1" in cli("list", case, "conversations").out
    chosen = cli("read-chat", case, "1", "--date-order", "day-first", "--json")
    assert chosen.code == 0, chosen
    assert json.loads(chosen.out)["chat"]["messages"] == 2
    assert [(m["sent_at"], m["text"]) for m in listed(cli, case, "messages")] == [
        ("2024-04-03T10:00", "hi"), ("2024-06-05T11:00", "pay now")]
    actions = [a["action"] for a in listed(cli, case, "audit")]
    assert actions.index("chat.needs-date-order") < actions.index("chat.read-start") < (
        actions.index("chat.read"))


def test_the_date_order_can_be_given_when_adding(tmp_path: Path, cli: Cli) -> None:
    case = new_case(tmp_path, cli)
    path = make_zip(tmp_path / "WhatsApp Chat - Sam.zip", {
        "_chat.txt": "[03/04/2024, 10:00:00] Sam: <attached: 00000001-PHOTO.jpg>\n"
                     "[05/06/2024, 11:00:00] Alex: ok\n",
        "00000001-PHOTO.jpg": jpeg("red")})
    result = cli("add-evidence", case, str(path), "--date-order", "month-first", "--json")
    document = json.loads(result.out)
    assert [o["status"] for o in document["items"]] == ["added", "added"]
    messages = listed(cli, case, "messages")
    assert [m["sent_at"] for m in messages] == ["2024-03-04T10:00:00", "2024-05-06T11:00:00"]
    assert messages[0]["attachments"][0]["evidence_id"] == document["items"][1]["evidence_id"]


def test_an_ambiguous_zip_read_later_keeps_its_pictures_hidden_like_the_export(
        tmp_path: Path, cli: Cli) -> None:
    case = new_case(tmp_path, cli)
    path = make_zip(tmp_path / "WhatsApp Chat - Sam.zip", {
        "_chat.txt": "[03/04/2024, 10:00:00] Sam: <attached: 00000001-PHOTO.jpg>\n",
        "00000001-PHOTO.jpg": jpeg("red")})
    added_now = json.loads(cli("add-evidence", case, str(path), "--sensitive", "--json").out)
    assert [o["status"] for o in added_now["items"]] == ["added"]  # nothing read yet
    later = cli("read-chat", case, "1", "--date-order", "day-first")
    assert later.code == 0, later
    assert "added: WhatsApp Chat - Sam.zip/00000001-PHOTO.jpg" in later.out
    evidence = listed(cli, case, "evidence")
    assert [e["sensitive"] for e in evidence] == [True, True]
    again = cli("read-chat", case, "1", "--date-order", "month-first")
    assert "nothing was added twice" in again.out
    assert len(listed(cli, case, "messages")) == 1


def test_an_unreadable_export_is_still_kept(tmp_path: Path, cli: Cli) -> None:
    case = new_case(tmp_path, cli)
    broken = tmp_path / "message_1.json"
    broken.write_text('{"participants": [{"name": "Sam"}], "messages": [{"timestamp_ms": 17'
                      '04067200000, "sender_name": "Sam", "content": "hi"}, {"timest',
                      encoding="utf-8")
    result = cli("add-evidence", case, str(broken))
    assert result.code == 0 and result.err == ""
    assert result.out.splitlines() == [
        f"added: {broken}",
        "  The file is kept as evidence, but its messages could not be read: This chat export "
        "could not be read: it is damaged or incomplete."]
    (item,) = listed(cli, case, "evidence")
    assert item["size"] == broken.stat().st_size
    (waiting,) = listed(cli, case, "conversations")
    assert waiting["status"] == "unreadable" and "damaged" in waiting["note"]
    assert cli("read-chat", case, "1").code == 1
    assert "chat.unreadable" in [a["action"] for a in listed(cli, case, "audit")]
    not_chat = cli("read-chat", case, "99")
    assert not_chat.code == 2 and "Traceback" not in not_chat.err


def test_hostile_names_and_values(tmp_path: Path, cli: Cli) -> None:
    case = new_case(tmp_path, cli)
    inside = tmp_path / "inside"
    inside.mkdir()
    tricky = "a\u202egpj.exe.jpg"
    path = make_zip(inside / "WhatsApp Chat - x.zip", {
        "_chat.txt": (f"[13/01/2024, 14:05:09] Ev\u202eil\u0007: <attached: {tricky}>\n"
                      "[13/01/2024, 14:06:00] Alex: <attached: ../evil.jpg>\n"
                      "[13/01/2024, 14:07:00] Alex: <attached: /etc/passwd>\n"
                      "[13/01/2024, 14:08:00] Alex: \x1b[2Jcleared =cmd|' /C calc'!A0\n"),
        tricky: jpeg("red"), "../evil.jpg": jpeg("blue"), "/etc/passwd": b"root:x:0:0"})
    before = sorted(p.name for p in tmp_path.rglob("*"))
    document = added(cli, case, path)
    assert sorted(p.name for p in tmp_path.rglob("*") if "case.skcase" not in p.name) == [
        n for n in before if "case.skcase" not in n]  # nothing unpacked anywhere
    assert [o["path"] for o in document["items"]] == [str(path), f"{path}/{tricky}"]
    messages = listed(cli, case, "messages")
    assert messages[0]["sender"] == "Ev\u202eil\u0007"  # JSON keeps values exactly
    assert [[a["evidence_id"] is not None for a in m["attachments"]] for m in messages] == [
        [True], [False], [False], []]
    assert messages[3]["text"] == "\x1b[2Jcleared =cmd|' /C calc'!A0"
    plain = cli("list", case, "messages").out
    assert "\u202e" not in plain and "\x1b" not in plain and "\x07" not in plain
    assert "Ev\\u202eil\\u0007:" in plain and "\\u001b[2Jcleared" in plain
    (conversation,) = listed(cli, case, "conversations")
    assert conversation["message_count"] == 4
    assert cli("check", case).code == 0


CHAT_CHILD = textwrap.dedent("""
    import sys
    from pathlib import Path
    from app.models.casefile import CaseFile
    from app.core.intake import import_paths

    if __name__ == "__main__":
        case_path, chat, passphrase = sys.argv[1:4]
        case = CaseFile.open(case_path, passphrase, actor="child")
        print("ready", flush=True)
        import_paths(case, [chat],
                     on_outcome=lambda o: print("added", o.evidence_id, flush=True),
                     on_chat=lambda r: print("chat", r.status, r.messages, flush=True))
        case.close()
        print("done", flush=True)
""")


def _chat_file(path: Path, count: int) -> Path:
    with path.open("w", encoding="utf-8") as out:
        for i in range(count):
            out.write(f"13/01/2024, {i // 60 % 24:02d}:{i % 60:02d} - Sam: message {i}\n")
    return path


def _seconds_of_a_whole_run(child: Path, case_path: Path, chat: Path) -> float:
    """How long the child takes from "ready" to "done" when nothing stops it."""
    CaseFile.create(case_path, PASSPHRASE, display_name="s", actor="t", kdf_profile=1).close()
    proc = subprocess.Popen([sys.executable, str(child), str(case_path), str(chat), PASSPHRASE],
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "ready"
    started = time.monotonic()
    for line in proc.stdout:
        if line.strip() == "done":
            break
    seconds = time.monotonic() - started
    assert proc.wait(timeout=300) == 0
    return seconds


@pytest.mark.slow
def test_a_kill_mid_import_loses_nothing_reported_and_the_next_add_finishes(
        tmp_path: Path) -> None:
    count = 40_000
    chat = _chat_file(tmp_path / "WhatsApp Chat with Sam.txt", count)
    case_path = tmp_path / "case.skcase"
    CaseFile.create(case_path, PASSPHRASE, display_name="c", actor="t", kdf_profile=1).close()
    child = tmp_path / "child.py"
    child.write_text(CHAT_CHILD, encoding="utf-8")
    # The kills land within the time a whole import takes on this machine, measured on a
    # scratch case: a fixed window was too long for a quick machine, and once one run
    # finished, the rest met "already read" and proved nothing (seen in CI).
    whole = _seconds_of_a_whole_run(child, tmp_path / "scratch.skcase", chat)
    rng = random.Random(16)
    cut_short = 0
    for _ in range(5):
        out = _kill_at_random(child, [str(case_path), str(chat), PASSPHRASE], rng, 0.6 * whole)
        if "done" in out.split():
            break
        cut_short += 1
        with CaseFile.open(case_path, PASSPHRASE, actor="checker", record_open=False) as case:
            assert check_case(case).ok
            with case.read() as s:
                items = s.scalar(select(func.count()).select_from(EvidenceItem))
                state = s.get(ChatExportRead, 1)
                stored = s.scalar(select(func.count()).select_from(ChatMessage))
            if "added" in out.split():
                assert items == 1, "the export was reported as added and is missing"
            if state is not None and state.status == "read":
                assert stored == count
    assert cut_short >= 2, "the kills all came too late: the test proved nothing"
    final = subprocess.run([sys.executable, str(child), str(case_path), str(chat), PASSPHRASE],
                           capture_output=True, text=True, timeout=300, check=True)
    assert "chat read 40000" in final.stdout or "chat already-read 0" in final.stdout
    with CaseFile.open(case_path, PASSPHRASE, actor="checker") as case, case.read() as s:
        assert s.scalar(select(func.count()).select_from(ChatMessage)) == count
        assert s.scalar(select(func.count()).select_from(ChatConversation)) == 1
        assert s.scalar(select(func.count()).select_from(EvidenceItem)) == 1


@pytest.mark.slow
def test_a_100000_message_export_is_stored_with_bounded_memory(tmp_path: Path,
                                                               case: CaseFile) -> None:
    count = 100_000
    chat = _chat_file(tmp_path / "WhatsApp Chat with Sam.txt", count)
    tracemalloc.start()
    try:
        readings: list[object] = []
        import_paths(case, [chat], on_chat=readings.append)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    with case.read() as s:
        assert s.scalar(select(func.count()).select_from(ChatMessage)) == count
        last = s.scalar(select(ChatMessage.text).where(ChatMessage.position == count - 1))
    assert last == f"message {count - 1}"
    # Holding every message (or every row to insert) would take far more than this.
    assert peak < 40 * 1024 * 1024, peak


def test_a_chat_zip_cut_short_is_said_and_kept(tmp_path: Path, cli: Cli) -> None:
    # An incomplete download printed only "added:", nothing saying its messages were not read.
    from tests.chats.test_whatsapp import ANDROID_24H

    case = new_case(tmp_path, cli)
    whole = make_zip(tmp_path / "whole.zip", {"WhatsApp Chat with Sam.txt": ANDROID_24H * 40,
                                              "IMG-20240113-WA0001.jpg": jpeg("green")})
    cut = tmp_path / "WhatsApp Chat with Sam.zip"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size * 9 // 10])
    result = cli("add-evidence", case, str(cut))
    assert result.code == 0 and "Traceback" not in result.err, result
    assert f"added: {cut}" in result.out
    assert "This ZIP file looks damaged or incomplete (a download cut short?)" in result.out
    (item,) = listed(cli, case, "evidence")
    assert item["size"] == cut.stat().st_size  # kept byte for byte all the same


def test_a_large_zip_cut_short_is_said_too(tmp_path: Path, cli: Cli) -> None:
    # Over 4 MiB a file is streamed into the case, not held: that path kept a cut ZIP silently.
    from app.core.intake.batch import SMALL_FILE_BYTES

    case = new_case(tmp_path, cli)
    video = random.Random(7).randbytes(SMALL_FILE_BYTES + (1 << 20))  # does not compress
    whole = make_zip(tmp_path / "whole.zip", {"WhatsApp Chat with Sam.txt": "x\n",
                                              "VID-20240113-WA0001.mp4": video})
    assert whole.stat().st_size > SMALL_FILE_BYTES
    cut = tmp_path / "WhatsApp Chat with Sam.zip"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size * 9 // 10])
    result = cli("add-evidence", case, str(cut), str(whole))
    assert result.code == 0 and "Traceback" not in result.err, result
    lines = result.out.splitlines()
    [cut_line] = [i for i, line in enumerate(lines) if line == f"added: {cut}"]
    assert "This ZIP file looks damaged or incomplete" in lines[cut_line + 1]
    assert result.out.count("looks damaged or incomplete") == 1  # not the whole one
    sizes = sorted(item["size"] for item in listed(cli, case, "evidence"))
    assert sizes == sorted([cut.stat().st_size, whole.stat().st_size])  # both, byte for byte


def test_an_attachment_that_cannot_be_kept_is_said(tmp_path: Path, cli: Cli) -> None:
    # An attachment that unpacks to far more than its size is refused as an item of its own:
    # the line said only how many messages were read.
    import zipfile

    from tests.chats.test_whatsapp import ANDROID_24H

    case = new_case(tmp_path, cli)
    export = tmp_path / "WhatsApp Chat with Sam.zip"
    with zipfile.ZipFile(export, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("WhatsApp Chat with Sam.txt", ANDROID_24H)
        archive.writestr("IMG-20240113-WA0001.jpg", b"\0" * (300 * 1024 * 1024))
    result = cli("add-evidence", case, str(export))
    assert result.code == 0, result
    assert "1 attachment could not be kept as an item of its own" in result.out, result
    assert "still inside the export" in result.out
