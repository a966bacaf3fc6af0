"""Conversations read a page at a time, and a message put on the timeline: real SQLCipher
case files, real WhatsApp exports added through intake, the event read back from the case,
its audit event, and the same through `safekeep add-event --from-message`."""

import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest

from app.core.intake import import_paths
from app.core.records import (
    add_message_to_timeline,
    list_conversations,
    list_events,
    message_page,
    message_place,
    search_messages,
)
from app.errors import NotFound
from app.models import AuditEvent, TimelineKind
from app.models.casefile import CaseFile
from tests.chats.test_json_exports import make_zip
from tests.chats.test_whatsapp import ANDROID_24H, LRM, NNBSP, write
from tests.conftest import CliResult
from tests.test_chat_import import jpeg

HOSTILE = ("=HYPERLINK(\"http://x\",\"y\") <b>bold</b> &amp; \x07bell "
           "\u05e9\u05dc\u05d5\u05dd " + "long " * 100)


def _whatsapp(case: CaseFile, tmp_path: Path, text: str = ANDROID_24H) -> int:
    outcomes = import_paths(case, [write(tmp_path, text)])
    evidence_id = outcomes[0].evidence_id
    assert evidence_id is not None
    return evidence_id


def test_pages_come_in_export_order_with_their_attachments(case: CaseFile,
                                                           tmp_path: Path) -> None:
    path = make_zip(tmp_path / "WhatsApp Chat - Sam.zip", {
        "_chat.txt": (f"[13/01/2024, 2:05:09{NNBSP}PM] Sam: {LRM}<attached: "
                      "00000012-PHOTO-2024-01-13-14-05-09.jpg>\n"
                      f"[13/01/2024, 2:06:00{NNBSP}PM] Alex: seen it\n"
                      f"[13/01/2024, 2:07:00{NNBSP}PM] Alex: last\n"),
        "00000012-PHOTO-2024-01-13-14-05-09.jpg": jpeg("red"),
    })
    outcomes = import_paths(case, [path])
    photo_id = outcomes[1].evidence_id
    (conversation,) = list_conversations(case)
    assert conversation.id is not None and conversation.message_count == 3
    first = message_page(case, conversation.id, 0, 2)
    assert [(m.position, m.sender, m.text) for m in first] == [
        (0, "Sam", ""), (1, "Alex", "seen it")]
    assert [(a.path, a.evidence_id) for a in first[0].attachments] == [
        ("00000012-PHOTO-2024-01-13-14-05-09.jpg", photo_id)]
    rest = message_page(case, conversation.id, 2, 50)
    assert [(m.position, m.text, m.sent_at) for m in rest] == [(2, "last", "2024-01-13T14:07:00")]
    assert message_page(case, conversation.id, 3, 50) == []
    assert message_place(case, rest[0].id) == (conversation.id, 2)
    assert message_place(case, 999_999) is None


def test_a_message_goes_on_the_timeline_with_its_time_as_written(case: CaseFile,
                                                                  tmp_path: Path) -> None:
    export_id = _whatsapp(case, tmp_path)
    (found,) = search_messages(case, "Or else")
    event_id = add_message_to_timeline(case, found.id, kind=TimelineKind.THREAT)
    (event,) = list_events(case)
    assert event.id == event_id and event.kind is TimelineKind.THREAT
    # No zone in a WhatsApp export: the time is taken as this computer's, as typed times are.
    assert event.occurred_at == datetime(2024, 1, 13, 9, 30).astimezone()
    assert event.evidence_ids == (export_id,)
    first, second = event.description.split("\n")
    assert first == "Alex wrote: “Send it now. / Or else.”"
    assert "WhatsApp Chat with Sam.txt" in second and "message 3 of 6" in second
    assert "2024-01-13T09:30" in second and "no time zone" in second
    with case.read() as session:
        last = session.query(AuditEvent).order_by(AuditEvent.id.desc()).first()
        assert last is not None and last.action == "timeline.add"
        details = json.loads(last.details)
    assert details["from_message"] == found.id
    assert details["sent_at_as_written"] == "2024-01-13T09:30"
    assert details["links"] == {"evidence": [[], [export_id]]}


def test_hostile_text_is_kept_as_data_and_shortened(case: CaseFile, tmp_path: Path) -> None:
    _whatsapp(case, tmp_path, f"13/01/2024, 14:05 - =cmd|' /C calc'!A0: {HOSTILE}\n")
    (message,) = search_messages(case, "HYPERLINK")
    add_message_to_timeline(case, message.id)
    (event,) = list_events(case)
    summary = event.description.split("\n")[0]
    assert summary.startswith("=cmd|' /C calc'!A0 wrote: “=HYPERLINK(\"http://x\",\"y\") <b>bold")
    assert summary.endswith("…”") and len(summary) < 260
    assert "\u05e9\u05dc\u05d5\u05dd" in summary


def test_an_attachment_kept_from_the_export_is_linked_too(case: CaseFile,
                                                          tmp_path: Path) -> None:
    path = make_zip(tmp_path / "WhatsApp Chat - Sam.zip", {
        "_chat.txt": (f"[13/01/2024, 2:05:09{NNBSP}PM] Sam: {LRM}<attached: "
                      "00000012-PHOTO-2024-01-13-14-05-09.jpg>\n"),
        "00000012-PHOTO-2024-01-13-14-05-09.jpg": jpeg("red"),
    })
    export_id, photo_id = (o.evidence_id for o in import_paths(case, [path]))
    (conversation,) = list_conversations(case)
    assert conversation.id is not None
    (message,) = message_page(case, conversation.id, 0, 10)
    add_message_to_timeline(case, message.id)
    (event,) = list_events(case)
    assert sorted(event.evidence_ids) == sorted([export_id, photo_id])  # type: ignore[type-var]
    assert event.description.split("\n")[0] == (
        "Sam wrote: “sent 00000012-PHOTO-2024-01-13-14-05-09.jpg”")
    assert event.occurred_at == datetime(2024, 1, 13, 14, 5, 9).astimezone()


def test_no_such_message(case: CaseFile) -> None:
    with pytest.raises(NotFound):
        add_message_to_timeline(case, 12345)
    assert list_events(case) == []


def test_command_line_puts_a_message_on_the_timeline(tmp_path: Path,
                                                     cli: Callable[..., CliResult]) -> None:
    path = str(tmp_path / "case.skcase")
    assert cli("new", path, "--kdf-profile", "1").code == 0
    assert cli("add-evidence", path, str(write(tmp_path, ANDROID_24H))).code == 0
    messages = json.loads(cli("list", path, "messages", "--json").out)["items"]
    threat = next(m for m in messages if m["text"].startswith("Send it now"))
    result = cli("add-message-event", path, str(threat["id"]), "--kind", "threat", "--json")
    assert result.code == 0, result
    (event,) = json.loads(cli("list", path, "timeline", "--json").out)["items"]
    assert event["id"] == json.loads(result.out)["id"] and event["kind"] == "threat"
    assert event["description"].startswith("Alex wrote: “Send it now. / Or else.”")
    assert event["evidence_ids"] == [messages[0]["evidence_id"]]
    missing = cli("add-message-event", path, "99999")
    assert missing.code != 0 and "no message" in missing.err
    wrong = cli("add-message-event", path, str(threat["id"]), "--kind", "nonsense")
    assert wrong.code != 0 and "Unknown kind" in wrong.err
    assert len(json.loads(cli("list", path, "timeline", "--json").out)["items"]) == 1


def test_date_order_examples_show_the_first_date_both_ways(case: CaseFile,
                                                           tmp_path: Path) -> None:
    from app.core.chats import DateOrder
    from app.core.intake import date_order_examples

    path = write(tmp_path, "03/04/2024, 10:00 - Sam: hi\n05/06/2024, 11:00 - Alex: pay now\n")
    (outcome,) = import_paths(case, [path])
    assert outcome.evidence_id is not None
    (waiting,) = list_conversations(case)
    assert waiting.status == "needs-date-order"
    assert date_order_examples(case, outcome.evidence_id) == {
        DateOrder.DAY_FIRST: "2024-04-03T10:00", DateOrder.MONTH_FIRST: "2024-03-04T10:00"}
    assert date_order_examples(case, 4242) == {}
