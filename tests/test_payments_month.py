"""A payment known only to its month ("March 2025"): read, kept, listed and exported as a month.

People often remember the month they paid, not the day; the date had to be invented or left
"not known". A `MonthOnly` is the month's first day and a flag in the case file; it is written
`2025-03` (ISO 8601) in the CSV files, manifest.json and the report, and the chronology places it
at the month's start, marked "month only, day not known".
"""

import json
import pickle
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from app.core.records import add_event, add_payment, edit_payment, list_payments
from app.core.records.when_text import MonthOnly, read_month
from app.errors import InvalidInput
from app.export import export_bundle
from app.models.casefile import CaseFile
from tests.conftest import CliResult
from tests.test_continuity import csv_rows, zip_member
from tests.test_export_report_front import pages_of, section


@pytest.mark.parametrize("typed", ["March 2025", "Mar 2025", "march, 2025", "03/2025",
                                   "3/2025", "3.2025", "2025-03", "2025/3", " March  2025 "])
def test_a_month_and_a_year_read_as_a_month(typed: str) -> None:
    month = read_month(typed)
    assert isinstance(month, MonthOnly) and (month.year, month.month, month.day) == (2025, 3, 1)
    assert month.isoformat() == str(month) == f"{month}" == "2025-03"
    assert month.words() == "March 2025"


@pytest.mark.parametrize("typed", ["14/03/2025", "March 14 2025", "2025-03-14", "today",
                                   "March", "2025", "=1+1", "03/25"])
def test_anything_else_is_not_a_month(typed: str) -> None:
    assert read_month(typed) is None  # read as a day, or refused, by read_when


def test_a_month_that_does_not_exist_is_refused_calmly() -> None:
    with pytest.raises(InvalidInput, match="There is no month 13"):
        read_month("13/2025")


def test_a_month_stays_a_month_only_while_it_is_the_first() -> None:
    month = MonthOnly(2025, 3)
    assert month == date(2025, 3, 1)
    moved = month.replace(day=9)
    assert type(moved) is date and moved == date(2025, 3, 9)  # a day: no longer a month
    assert pickle.loads(pickle.dumps(month)).isoformat() == "2025-03"


def test_kept_and_changed_as_a_month(case: CaseFile) -> None:
    payment = add_payment(case, amount="250", method="western-union",
                          paid_on=MonthOnly(2025, 3))
    [row] = list_payments(case)
    assert isinstance(row.paid_on, MonthOnly) and row.paid_on.isoformat() == "2025-03"
    edit_payment(case, payment, paid_on=date(2025, 3, 1))  # the same day as a date: a change
    [row] = list_payments(case)
    assert type(row.paid_on) is date and row.paid_on.isoformat() == "2025-03-01"
    edit_payment(case, payment, paid_on=MonthOnly(2025, 4))
    [row] = list_payments(case)
    assert isinstance(row.paid_on, MonthOnly) and row.paid_on.isoformat() == "2025-04"
    edit_payment(case, payment, paid_on=None)
    assert list_payments(case)[0].paid_on is None


def test_exported_as_a_month_everywhere(case: CaseFile, tmp_path: Path) -> None:
    add_payment(case, amount="250", method="western-union", reference="4817293056",
                paid_on=MonthOnly(2025, 3), status="collected")
    add_payment(case, amount="100", method="bank-transfer", paid_on=date(2025, 2, 27))
    add_event(case, datetime(2025, 3, 10, 20, 0, tzinfo=UTC), "They threatened me.",
              kind="threat")
    bundle = export_bundle(case, tmp_path / "bundle.zip").path
    assert [r["paid_on"] for r in csv_rows(bundle, "csv/payments.csv")] == ["2025-02-27",
                                                                             "2025-03"]
    manifest = json.loads(zip_member(bundle, "manifest.json"))
    assert sorted(p["paid_on"] for p in manifest["payments"]) == ["2025-02-27", "2025-03"]
    pages = pages_of(case, tmp_path / "pdf")
    assert "2025-03" in pages[0]  # page 1's money: the month
    # The period starts at what has a day (February's payment), not at the month's first day.
    assert "From 2025-02-27 (payment, date only) to 2025-03-10 20:00 UTC" in \
        " ".join(pages[0].split())
    lines = section(pages, "Chronology", "Offender identifiers").splitlines()
    [at] = [n for n, line in enumerate(lines) if line.split()[:2] == ["2025-03", "Payment"]]
    assert lines[at + 1].split()[:5] == ["month", "only,", "day", "not", "known"], lines[at:]
    chronology = " ".join(" ".join(lines).split())
    # In order: the payment in February, then March's (placed at its start), then the event.
    assert chronology.index("2025-02-27") < chronology.index("2025-03 Payment") \
        < chronology.index("2025-03-10 20:00")


def test_the_command_line_takes_a_month(tmp_path: Path,
                                        cli: Callable[..., CliResult]) -> None:
    from tests.test_chat_import import listed, new_case

    case = new_case(tmp_path, cli)
    added = cli("add-payment", case, "--amount", "250", "--method", "western-union",
                "--paid-on", "2025-03")
    assert added.code == 0, added
    [payment] = listed(cli, case, "payments")
    assert payment["paid_on"] == "2025-03"
    refused = cli("add-payment", case, "--amount", "250", "--method", "western-union",
                  "--paid-on", "2025-13")
    assert refused.code == 2 or refused.code == 1
    assert "Give the month as YYYY-MM, for example 2024-03." in refused.err
    assert "Traceback" not in refused.err


def test_the_period_of_the_offence_does_not_start_at_a_months_first_day(
        case: CaseFile, tmp_path: Path) -> None:
    add_payment(case, amount="250", method="western-union", paid_on=MonthOnly(2025, 2))
    add_event(case, datetime(2025, 2, 20, 20, 0, tzinfo=UTC), "They threatened me.",
              kind="threat")
    page1 = " ".join(pages_of(case, tmp_path)[0].split())
    assert "From 2025-02-20 20:00 UTC (Threat) to 2025-02-20 20:00 UTC (Threat)" in page1


def test_every_decimal_of_an_amount_reaches_every_file(case: CaseFile, tmp_path: Path) -> None:
    """0.0035 of a cryptocurrency was 0.00 on page 1, in the chronology, in payments.csv and in
    the facts copied for a police form (the window and the report's payments table had it)."""
    from app.core.guidance.copy_facts import case_facts

    add_payment(case, amount="0.0035", currency="XBT", method="crypto",
                paid_on=date(2025, 3, 2))
    add_payment(case, amount="1250", method="bank-transfer", paid_on=date(2025, 3, 3))
    bundle = export_bundle(case, tmp_path / "bundle.zip").path
    assert [r["amount"] for r in csv_rows(bundle, "csv/payments.csv")] == ["0.0035", "1250.00"]
    pages = pages_of(case, tmp_path / "pdf")
    assert "0.0035 XBT" in pages[0] and "1,250.00 GBP" in pages[0]
    chronology = section(pages, "Chronology", "Offender identifiers")
    assert "0.0035 XBT by Cryptocurrency" in chronology
    assert [p.amount for p in case_facts(case).payments] == ["0.0035", "1250.00"]


def test_the_copied_texts_write_a_payments_date_as_their_other_dates(case: CaseFile) -> None:
    """The police summary gave "4 Dec 2026, 21:00" for first contact and "2026-12-06" for the
    payment."""
    from app.core.guidance.copy_facts import case_facts, copy_text_for
    from app.core.guidance.schema import ChecklistAction

    add_event(case, datetime(2026, 12, 4, 21, 0, tzinfo=UTC), "Hi", kind="first-contact")
    add_payment(case, amount="300", method="western-union", paid_on=date(2026, 12, 6))
    add_payment(case, amount="50", method="card", paid_on=MonthOnly(2026, 11))
    dates = sorted(p.date or "" for p in case_facts(case).payments)
    assert dates == ["6 Dec 2026", "November 2026"]
    summary = copy_text_for(case, ChecklistAction("copy-police-summary"))
    assert "6 Dec 2026" in summary and "2026-12-06" not in summary
