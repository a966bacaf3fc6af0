"""An identifier the person saved that text recognition also read in a picture is linked to that
picture, in either order, and the link says where it came from: real pictures rendered here,
read by Tesseract in real worker processes, in a real SQLCipher case; then the bundle's
identifiers.csv and report.pdf read back."""

import io
import json
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from app.core.intake import import_bytes
from app.core.pictures import OcrPool
from app.core.reading import dismiss_suggestions, read_unread, suggestions_for
from app.core.records import (
    add_identifier,
    link_identifier_evidence,
    list_identifiers,
    remove_identifier,
)
from app.export import export_bundle
from app.export.casedata import take_snapshot
from app.models import AuditEvent, EvidenceSource, SuggestionState, TextSuggestion
from app.models.casefile import CaseFile
from tests.test_text_reading import CHAT, picture

MARK = "(found by text recognition)"


@pytest.fixture(scope="module")
def ocr_pool() -> Iterator[OcrPool]:
    with OcrPool(workers=2) as pool:
        yield pool


def add_picture(case: CaseFile, lines: list[str], name: str) -> int:
    outcome = import_bytes(case, picture(lines, size=(900, 60 + 44 * len(lines))), name,
                           source=EvidenceSource.CLIPBOARD)
    assert outcome.evidence_id is not None
    return outcome.evidence_id


def machine_links(case: CaseFile) -> list[dict[str, object]]:
    with case.read() as session:
        events = session.scalars(select(AuditEvent).where(AuditEvent.action == "identifier.link"))
        return [{"subject": e.subject, **json.loads(e.details)} for e in events
                if json.loads(e.details).get("by") == "text recognition"]


def test_an_identifier_saved_after_the_picture_was_read_is_linked_to_it(
    case: CaseFile, ocr_pool: OcrPool
) -> None:
    item = add_picture(case, CHAT, "chat.png")
    read_unread(case, ocr_pool)
    # Typed by hand, differently from the picture: the normalised forms are what match.
    result = add_identifier(case, "mtcn", "830 521 6473")
    assert result.recognised == (item,)
    assert "Text recognition found it in 1 picture" in result.message
    (ident,) = list_identifiers(case)
    assert ident.evidence_ids == (item,) and ident.recognised_ids == (item,)
    assert machine_links(case) == [{"subject": f"identifier:{ident.id}", "added": [item],
                                    "removed": [], "by": "text recognition",
                                    "suggestions": [s.id for s in suggestions_for(case, item)
                                                    if s.kind == "mtcn"]}]
    (found,) = [s for s in suggestions_for(case, item) if s.kind == "mtcn"]
    assert found.state is SuggestionState.ADDED


def test_a_picture_read_after_the_identifier_was_saved_is_linked_to_it(
    case: CaseFile, ocr_pool: OcrPool
) -> None:
    saved = add_identifier(case, "email", "jess.taylor58@EXAMPLE.com")
    assert saved.recognised == ()
    item = add_picture(case, ["Jess 21:14", CHAT[2]], "chat.png")
    progress = read_unread(case, ocr_pool)
    assert progress.linked == 1
    (ident,) = list_identifiers(case)
    assert ident.evidence_ids == (item,) and ident.recognised_ids == (item,)
    assert [e["added"] for e in machine_links(case)] == [[item]]


def test_links_by_hand_stay_unmarked_and_the_persons_choices_stand(
    case: CaseFile, ocr_pool: OcrPool
) -> None:
    by_hand = add_picture(case, CHAT, "one.png")
    by_machine = add_picture(case, ["again:", CHAT[1]], "two.png")
    dismissed = add_picture(case, ["and again:", CHAT[1]], "three.png")
    read_unread(case, ocr_pool)
    (no,) = [s for s in suggestions_for(case, dismissed) if s.kind == "skype-id"]
    dismiss_suggestions(case, [no.id])
    result = add_identifier(case, "skype-id", "live:.cid.5a3f0c2e9d4b7a61",
                            evidence_ids=[by_hand])
    (ident,) = list_identifiers(case)
    assert result.recognised == (by_machine,)
    assert ident.evidence_ids == (by_hand, by_machine)  # not the dismissed one
    assert ident.recognised_ids == (by_machine,)  # the person linked the first themselves
    # The person removes the machine's link: saving the identifier again does not undo that.
    link_identifier_evidence(case, ident.id, [by_hand])
    again = add_identifier(case, "skype-id", "live:.cid.5a3f0c2e9d4b7a61")
    assert again.merged and again.recognised == ()
    (ident,) = list_identifiers(case)
    assert ident.evidence_ids == (by_hand,) and ident.recognised_ids == ()
    # Removed and saved again: the pictures that show it are linked again.
    remove_identifier(case, ident.id)
    add_identifier(case, "skype-id", "live:.cid.5a3f0c2e9d4b7a61")
    (ident,) = list_identifiers(case)
    assert ident.evidence_ids == (by_hand, by_machine)
    with case.read() as session:
        states = dict(session.execute(select(TextSuggestion.evidence_id, TextSuggestion.state)
                                      .where(TextSuggestion.kind == "skype-id")).all())
    assert states[dismissed] == SuggestionState.DISMISSED


def test_the_bundle_shows_which_exhibits_show_each_identifier(
    case: CaseFile, ocr_pool: OcrPool, tmp_path: Path
) -> None:
    typed = add_picture(case, CHAT, "one.png")
    read_by_machine = add_picture(case, ["again:", CHAT[2]], "two.png")
    read_unread(case, ocr_pool)
    add_identifier(case, "email", "jess.taylor58@example.com", evidence_ids=[typed])
    add_identifier(case, "name", "Jess T")  # shown in no picture
    bundle = export_bundle(case, tmp_path / "bundle.zip").path
    snap = take_snapshot(case, include_sensitive=False)
    first, second = snap.exhibit(typed), snap.exhibit(read_by_machine)
    with zipfile.ZipFile(bundle) as zf:
        [csv_name] = [n for n in zf.namelist() if n.endswith("csv/identifiers.csv")]
        [pdf_name] = [n for n in zf.namelist() if n.endswith("report.pdf")]
        import csv

        rows = list(csv.DictReader(io.StringIO(zf.read(csv_name).decode("utf-8-sig"))))
        report = PdfReader(io.BytesIO(zf.read(pdf_name)))
    found_in = {r["value_as_entered"]: r["found_in"] for r in rows}
    assert found_in == {"jess.taylor58@example.com": f"{first}; {second} {MARK}", "Jess T": ""}
    section = " ".join("\n".join(p.extract_text() for p in report.pages).split())
    start = section.index("Offender identifiers")
    shown = section[start:section.index("Payments", start)]
    assert re.search(rf"{re.escape(first)}\s+{re.escape(second)}\s+"
                     rf"{re.escape('(found by text')}\s+{re.escape('recognition)')}", shown), shown
    continuity = section[section.index("Exhibits and their continuity"):]
    assert "(found by text recognition)" in continuity


def test_saving_says_which_were_pictures_and_which_chat_exports(
    case: CaseFile, ocr_pool: OcrPool, tmp_path: Path
) -> None:
    # It said "Text recognition found it in 1 picture" for a chat export's messages: the
    # person looked for a picture that was not there.
    from app.core.intake import import_paths
    from app.core.reading import find_in_chats
    from tests.test_chat_details import WHATSAPP

    chat = tmp_path / "WhatsApp Chat with Sam.txt"
    chat.write_text(WHATSAPP, encoding="utf-8")
    (outcome,) = import_paths(case, [chat])
    find_in_chats(case)
    only_chat = add_identifier(case, "phone", "020 7946 0018")
    assert only_chat.recognised == (outcome.evidence_id,)
    assert only_chat.message == ("Saved. It is in the messages of 1 chat export, so it is now "
                                 "linked to that export.")

    item = add_picture(case, CHAT, "chat.png")  # shows the MTCN the chat gives too
    read_unread(case, ocr_pool)
    both = add_identifier(case, "mtcn", "830 521 6473")
    assert set(both.recognised) == {item, outcome.evidence_id}
    assert both.message == ("Saved. Text recognition found it in 1 picture, and it is in the "
                            "messages of 1 chat export, so it is now linked to them.")
