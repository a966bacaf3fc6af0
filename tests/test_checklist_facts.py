"""What the case's records say about the checklist, in real case files: steps the records show
done are offered (never ticked), and steps they show are not needed say why."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image

from app.core.guidance.advice import load_pack
from app.core.guidance.case_shows import FACTS, CaseRecords, fact_finding, shown_value
from app.core.guidance.checklist import ChecklistEntry, checklist_state, mark_item
from app.core.guidance.schema import RECORD_FACTS
from app.core.intake.ingest import import_paths
from app.core.records.identifiers import add_identifier
from app.core.records.payments import add_payment, edit_payment
from app.core.records.summary import edit_case
from app.models.casefile import CaseFile
from tests.conftest import CliResult
from tests.test_advice import write_pack


def entry(case: CaseFile, item_id: str) -> ChecklistEntry:
    return next(e for e in checklist_state(case).entries if e.item.id == item_id)


def offers(case: CaseFile) -> dict[str, str]:
    return {e.item.id: e.case_shows_done or "" for e in checklist_state(case).entries
            if e.offer_tick}


def test_every_fact_in_the_pack_vocabulary_has_one_evaluator() -> None:
    assert set(FACTS) == set(RECORD_FACTS)
    with pytest.raises(ValueError):
        fact_finding("no-such-fact", CaseRecords())


def test_a_new_case_shows_nothing_done_and_everything_needed(case: CaseFile) -> None:
    state = checklist_state(case)
    assert not any(e.case_shows_done for e in state.entries)
    assert all(e.applies for e in state.entries)
    assert state.progress.total == len(state.entries)


def test_the_only_payment_collected_means_nothing_to_cancel(case: CaseFile) -> None:
    payment = add_payment(case, amount="250", method="western-union", reference="1234567890")
    cancel = entry(case, "cancel-payment")
    total_open = checklist_state(case).progress.total
    assert cancel.applies and cancel.not_needed is None  # status not known yet: may be open

    edit_payment(case, payment, status="collected")
    state = checklist_state(case)
    cancel = next(e for e in state.entries if e.item.id == "cancel-payment")
    assert not cancel.applies and not cancel.is_next
    assert cancel.not_needed == "Not needed: the payment was collected, so it cannot be cancelled."
    assert state.progress.total == total_open - 1  # not counted
    # Checking whether it was collected is what the person did: offered, not ticked.
    check = next(e for e in state.entries if e.item.id == "check-payment-collected")
    assert check.offer_tick and not check.done
    assert check.case_shows_done == "Your payment says whether it was collected."


@pytest.mark.parametrize(
    ("statuses", "needed", "reason"),
    [
        (["not-collected"], True, None),
        (["sent"], True, None),
        (["unknown"], True, None),
        (["cancelled"], False, "Not needed: the payment was cancelled."),
        (["collected", "not-collected"], True, None),
        (["collected", "cancelled"], False,
         "Not needed: every payment was collected or cancelled."),
        (["collected", "collected"], False,
         "Not needed: every payment was collected, so none can be cancelled."),
        (["cancelled", "cancelled"], False, "Not needed: every payment was cancelled."),
    ],
)
def test_cancel_step_follows_every_payment(
    case: CaseFile, statuses: list[str], needed: bool, reason: str | None
) -> None:
    for status in statuses:
        add_payment(case, amount="50", method="moneygram", status=status)
    cancel = entry(case, "cancel-payment")
    assert cancel.applies is needed and cancel.not_needed == reason
    checked = all(s in ("collected", "not-collected", "cancelled") for s in statuses)
    assert entry(case, "check-payment-collected").offer_tick is checked


def test_a_ticked_step_counts_even_when_no_longer_needed(case: CaseFile) -> None:
    payment = add_payment(case, amount="80", method="western-union", status="not-collected")
    mark_item(case, "cancel-payment")
    before = checklist_state(case).progress
    edit_payment(case, payment, status="cancelled")
    after = checklist_state(case).progress
    cancel = entry(case, "cancel-payment")
    assert cancel.done and cancel.applies and cancel.not_needed is None
    assert (after.done, after.total) == (before.done, before.total)


def test_a_saved_skype_id_offers_its_step_with_the_reason(case: CaseFile) -> None:
    assert "find-skype-id" not in offers(case)
    add_identifier(case, "skype-id", "live:.cid.1a2b3c4d5e")
    found = offers(case)
    assert found["find-skype-id"] == "You saved a Skype ID: live:.cid.1a2b3c4d5e."
    # A Skype ID is one of their accounts too.
    assert found["note-their-accounts"] == "You saved one of their details: live:.cid.1a2b3c4d5e."
    assert not entry(case, "find-skype-id").done  # offered, never ticked
    add_identifier(case, "skype-id", "live:someone_else")
    assert offers(case)["find-skype-id"] == "You saved 2 Skype IDs, such as live:.cid.1a2b3c4d5e."
    mark_item(case, "find-skype-id")
    ticked = entry(case, "find-skype-id")
    assert ticked.done and not ticked.offer_tick and ticked.case_shows_done  # still reported


def test_a_skype_name_is_not_a_skype_id(case: CaseFile) -> None:
    add_identifier(case, "skype-name", "John Smith")
    found = offers(case)
    assert "find-skype-id" not in found and "note-their-accounts" in found
    assert "note-bank-details" not in found


def test_bank_details_and_bank_told(case: CaseFile) -> None:
    add_identifier(case, "mtcn", "1234567890")
    assert offers(case)["note-bank-details"] == "You saved a bank or payment detail: 1234567890."
    assert "note-their-accounts" not in offers(case)
    payment = add_payment(case, amount="100", method="bank-transfer")
    add_payment(case, amount="40", method="card")
    assert "tell-bank" not in offers(case)
    edit_payment(case, payment, bank_told=True)
    assert offers(case)["tell-bank"] == "1 of your 2 payments are marked: bank told."


def test_crime_reference_offers_the_police_step_with_the_number(case: CaseFile) -> None:
    assert "report-to-police" not in offers(case)
    edit_case(case, crime_reference="LC-20250314-0042")
    police = entry(case, "report-to-police")
    assert police.offer_tick
    assert police.case_shows_done == "Your case details have the crime reference LC-20250314-0042."
    assert police.suggested_reference == "LC-20250314-0042"


def test_evidence_offers_the_screenshot_and_media_steps(case: CaseFile, tmp_path: Path) -> None:
    shots = tmp_path / "shots"
    shots.mkdir()
    Image.new("RGB", (40, 30), "white").save(shots / "Screenshot 2025-03-14 at 22.30.png")
    Image.new("RGB", (40, 30), "grey").save(shots / "chat.png")
    (shots / "notes.txt").write_text("what they said", encoding="utf-8")
    import_paths(case, [shots])
    found = offers(case)
    assert found["take-screenshots"] == "Your case has 2 screenshots or pictures."
    assert "keep-media" not in found  # a document or a screenshot is not a photo sent
    private = tmp_path / "private.png"
    Image.new("RGB", (40, 30), "black").save(private)
    import_paths(case, [private], sensitive=True)
    found = offers(case)
    assert found["keep-media"] == "You added an item marked sensitive."
    assert found["take-screenshots"] == "Your case has 2 screenshots or pictures."


def test_under_18_is_never_offered_the_adult_media_step(
    make_case: Callable[..., CaseFile], tmp_path: Path
) -> None:
    young = make_case("young", under_18=True)
    private = tmp_path / "p.png"
    Image.new("RGB", (20, 20), "black").save(private)
    import_paths(young, [private], sensitive=True)
    assert "keep-media" not in {e.item.id for e in checklist_state(young).entries}


def test_hostile_values_stay_one_short_line() -> None:
    assert shown_value("live:a\nCrime reference: FAKE") == "live:a Crime reference: FAKE"
    assert shown_value("\u202eevil") == "evil"
    long = shown_value("x" * 100_000)
    assert len(long) == 40 and long.endswith("…")


def test_a_charity_pack_chooses_which_fact_belongs_to_which_step(
    case: CaseFile, tmp_path: Path
) -> None:
    # The same minimal pack the schema tests use, with one step.
    path = write_pack(tmp_path, item_extra='done_when = ["bank-told", "skype-id-saved"]\n'
                                          'not_needed_when = ["payments-settled"]')
    pack = load_pack(path)
    assert pack.items[0].done_when == ("bank-told", "skype-id-saved")
    add_identifier(case, "skype-id", "live:abc")
    [step] = checklist_state(case, pack).entries
    assert step.case_shows_done == "You saved a Skype ID: live:abc."
    add_payment(case, amount="5", method="card", status="collected")
    [step] = checklist_state(case, pack).entries
    assert step.not_needed is not None and not step.offer_tick
    assert checklist_state(case, pack).progress.total == 0


def test_cli_checklist_says_what_the_case_shows(
    tmp_path: Path, cli: Callable[..., CliResult]
) -> None:
    path = str(tmp_path / "c.skcase")
    assert cli("new", path, "--kdf-profile", "1").code == 0
    assert cli("add-identifier", path, "skype-id", "live:cli_person").code == 0
    assert cli("add-payment", path, "--amount", "100", "--currency", "GBP", "--method",
               "western-union", "--status", "collected").code == 0
    doc = json.loads(cli("checklist", path, "--json").out)
    items = {i["id"]: i for i in doc["items"]}
    skype = items["find-skype-id"]
    assert skype["case_shows_done"] is True and skype["done"] is False
    assert skype["case_shows_done_reason"] == "You saved a Skype ID: live:cli_person."
    assert skype["applies"] is True and skype["not_needed"] is None
    cancel = items["cancel-payment"]
    assert cancel["applies"] is False and cancel["not_needed"].startswith("Not needed:")
    assert cancel["case_shows_done"] is False and cancel["case_shows_done_reason"] is None
    assert {"id", "title", "done", "explanation", "next", "action"} <= set(skype)
    plain = cli("checklist", path).out
    assert "[-] cancel-payment" in plain and "Not needed: the payment was collected" in plain
    assert "You saved a Skype ID: live:cli_person." in plain
    assert "--done find-skype-id" in plain
    # Ticking from the command line stops the offer.
    cli("checklist", path, "--done", "find-skype-id")
    doc = json.loads(cli("checklist", path, "--json").out)
    skype = next(i for i in doc["items"] if i["id"] == "find-skype-id")
    assert skype["done"] and skype["case_shows_done"]
    assert "--done find-skype-id" not in cli("checklist", path).out


def test_a_chat_export_read_offers_the_step_on_saving_conversations(
        case: CaseFile, tmp_path: Path) -> None:
    assert "save-whole-chats" not in offers(case)
    text = tmp_path / "notes.txt"  # a text file that is not a chat: nothing to offer
    text.write_text("just some notes\n", encoding="utf-8")
    chat = tmp_path / "WhatsApp Chat with Kim.txt"
    chat.write_text("13/03/2024, 21:14 - Kim: pay now\n13/03/2024, 21:15 - Sam: no\n",
                    encoding="utf-8")
    import_paths(case, [text])
    assert "save-whole-chats" not in offers(case)
    import_paths(case, [chat])
    assert offers(case)["save-whole-chats"] == (
        "You added a chat export, and its messages were read.")
    assert not entry(case, "save-whole-chats").done  # offered, never ticked
