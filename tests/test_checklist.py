"""The checklist in a real case: ticks are stored, audited and survive reopening; the case
(under 18, a payment recorded, in danger now) switches steps on and off."""

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from app.core.guidance.checklist import checklist_state, mark_item
from app.core.records.payments import add_payment
from app.core.records.summary import case_summary, edit_case
from app.errors import NotFound
from app.models.casefile import CaseFile
from tests.conftest import PASSPHRASE, CliResult


def _ids(case: CaseFile) -> list[str]:
    return [e.item.id for e in checklist_state(case).entries]


def test_ticks_are_stored_audited_and_survive_reopening(case: CaseFile) -> None:
    state = checklist_state(case)
    first = state.entries[0]
    assert first.is_next and not first.done
    mark_item(case, first.item.id)
    mark_item(case, "report-to-platforms", reference="IG-REPORT-778", note="Instagram form")
    path = case.path
    case.close()
    with CaseFile.open(path, PASSPHRASE, actor="t") as again:
        state = checklist_state(again)
        done = {e.item.id: e for e in state.entries if e.done}
        assert set(done) == {first.item.id, "report-to-platforms"}
        assert done["report-to-platforms"].reference == "IG-REPORT-778"
        assert done["report-to-platforms"].done_at is not None
        assert state.progress.done == 2
        assert state.entries[1].is_next
        from app.cli.lists import LISTERS

        audit, _ = LISTERS["audit"](again)
        actions = [a["action"] for a in audit]
        assert actions.count("checklist.done") == 2


def test_untick_clears_the_time(case: CaseFile) -> None:
    mark_item(case, "stop-contact")
    mark_item(case, "stop-contact", done=False)
    entry = next(e for e in checklist_state(case).entries if e.item.id == "stop-contact")
    assert not entry.done and entry.done_at is None


def test_conditions_follow_the_case(case: CaseFile) -> None:
    adult = _ids(case)
    assert "keep-media" in adult and "report-to-ceop" not in adult
    assert "check-payment-collected" not in adult and "call-999-now" not in adult
    add_payment(case, amount="100", method="western-union")
    assert "check-payment-collected" in _ids(case) and "dont-pay" not in _ids(case)
    edit_case(case, under_18=True, in_danger_now=True)
    young = _ids(case)
    assert "report-to-ceop" in young and "keep-media" not in young
    assert young[:2] == ["call-999-now", "dont-panic"]  # happening now: 999 is the next step


def test_under_18_never_invites_keeping_intimate_images(make_case: Callable[..., CaseFile]) -> None:
    case = make_case("young", under_18=True)
    for entry in checklist_state(case).entries:
        assert "keep-media-adult" not in entry.item.topics
        assert entry.item.action != "add-evidence" or "intimate" not in entry.item.body.lower()


def test_crime_reference_fills_the_case_once(case: CaseFile) -> None:
    mark_item(case, "report-to-police", reference="LC-2024-0001")
    assert case_summary(case).crime_reference == "LC-2024-0001"
    edit_case(case, crime_reference="TYPED-ON-PURPOSE")
    mark_item(case, "report-to-police", reference="LC-2024-0002")
    assert case_summary(case).crime_reference == "TYPED-ON-PURPOSE"


def test_unknown_step(case: CaseFile) -> None:
    with pytest.raises(NotFound):
        mark_item(case, "no-such-step")


def test_cli_checklist(tmp_path: Path, cli: Callable[..., CliResult]) -> None:
    path = tmp_path / "c.skcase"
    assert cli("new", str(path), "--kdf-profile", "1").code == 0
    result = cli("checklist", str(path), "--done", "report-to-police", "--reference", "CR/123")
    assert result.code == 0 and "[x] report-to-police" in result.out, result
    doc = json.loads(cli("checklist", str(path), "--json").out)
    item = next(i for i in doc["items"] if i["id"] == "report-to-police")
    assert item["done"] and item["reference"] == "CR/123" and item["explanation"]
    assert {"id", "title", "done", "explanation"} <= set(doc["items"][0])
    assert doc["progress"]["done"] == 1
    bad = cli("checklist", str(path), "--done", "nope")
    assert bad.code == 2 and bad.err.startswith("safekeep: error:")
    # A step written as people write it (its id with spaces, any case) is found too.
    assert cli("checklist", str(path), "--done", "Take screenshots").code == 0
    assert cli("checklist", str(path), "--undo", "Report to police").code == 0
    doc = json.loads(cli("checklist", str(path), "--json").out)
    done = {i["id"] for i in doc["items"] if i["done"]}
    assert done == {"take-screenshots"}
