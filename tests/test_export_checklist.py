"""The report's checklist agrees with the rest of the report: a step the person did not tick,
which the case's records show done (a payment marked "bank told"), or which is not needed,
says so, and the time a step was ticked is called that, not the time it was done."""

import shutil
from datetime import date
from pathlib import Path

import pytest

from app.core.guidance import mark_item
from app.core.records.payments import add_payment
from app.models.casefile import CaseFile
from tests.test_export_report_front import pages_of, section

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                reason="pdftotext is not installed")


def _rows(case: CaseFile, tmp_path: Path) -> dict[str, str]:
    checklist = section(pages_of(case, tmp_path), "Police advice checklist", "About this bundle")
    flat = " ".join(checklist.split())
    return {title: flat[flat.index(title):][:220] for title in (
        "Tell your bank", "Do not pay", "Ask your bank or the money transfer company")
        if title in flat} | {"all": flat}


def test_a_step_the_records_show_done_is_not_just_not_yet(case: CaseFile,
                                                           tmp_path: Path) -> None:
    add_payment(case, amount="250", method="western-union", paid_on=date(2025, 3, 17),
                reference="7720194835", status="collected", bank_told=True,
                bank_told_on=date(2025, 3, 18))
    rows = _rows(case, tmp_path)
    bank = rows["Tell your bank"]
    assert "Step Done Note" in rows["all"], rows["all"][:400]  # nothing ticked: no such column
    assert bank.startswith("Tell your bank Not yet"), bank
    assert "The case’s records suggest it is done." in bank, bank
    # The payment was collected: cancelling it is not needed, and the row says why.
    assert "Not needed The payment was collected, so it cannot be cancelled." in rows["all"], \
        rows["all"]


def test_a_ticked_step_has_no_such_words(case: CaseFile, tmp_path: Path) -> None:
    add_payment(case, amount="250", method="western-union", paid_on=date(2025, 3, 17),
                bank_told=True)
    mark_item(case, "tell-bank", note="Rang them the next day")
    bank = _rows(case, tmp_path)["Tell your bank"]
    assert bank.startswith("Tell your bank Done"), bank
    assert "records suggest" not in bank and "Rang them the next day" in bank
    assert "Step Done Ticked on Note" in _rows(case, tmp_path / "again")["all"]
