"""report.pdf read back as an officer reads it: page 1 holds the facts they act on (values, not
counts), the chronology is one ordered list with its times marked, identifier values are never
split across lines, empty columns are left out, and hostile values are drawn as text.

Text is read back with `pdftotext -layout` (poppler-utils), whose lines are the printed lines.
"""

import re
import shutil
import subprocess
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from app.core.identifiers import IdentifierType, normalise
from app.core.records import case_summary, exhibit_reference
from app.core.records.identifiers import add_identifier
from app.core.records.payments import add_payment
from app.core.records.timeline import add_event
from app.export import export_bundle
from app.models import EvidenceItem, TextSuggestion
from app.models.casefile import CaseFile
from tests.test_export_support import add_evidence_direct, build_demo_case, png_bytes, unzip

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                reason="pdftotext (poppler-utils) is not installed")

LONG_EMAIL = "anna.smith.love88@gmail.com"
LONG_URL = "https://www.instagram.com/anna.smith.love88.official.backup.account/?igshid=a1b2c3"


def pages_of(case: CaseFile, tmp_path: Path, **kwargs: object) -> list[str]:
    """The report's pages as text, printed lines kept."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    result = export_bundle(case, tmp_path / "bundle.zip", **kwargs)  # type: ignore[arg-type]
    pdf = next((unzip(result.path, tmp_path / "out")).rglob("report.pdf"))
    text = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(pdf), "-"],
                          check=True, capture_output=True, text=True).stdout
    return text.split("\f")[:-1]


def section(pages: list[str], title: str, next_title: str) -> str:
    text = "\n".join(pages)
    start = text.index("\n" + title + "\n")
    return text[start:text.index("\n" + next_title + "\n", start)]


def ref(case: CaseFile, number: int) -> str:
    """The exhibit reference the case gives its item `number`, e.g. "TC/1"."""
    return exhibit_reference(case_summary(case).producer_initials, number)


def set_times(case: CaseFile, evidence_id: int, *, exif: str | None = None,
              modified: datetime | None = None) -> None:
    with case.write() as session:
        row = session.get(EvidenceItem, evidence_id)
        assert row is not None
        row.exif_taken_at = exif
        row.file_modified_at = modified


def test_page_one_holds_the_values_an_officer_acts_on(case: CaseFile, tmp_path: Path) -> None:
    build_demo_case(case)
    add_event(case, datetime(2024, 3, 1, 22, 10, tzinfo=UTC), "Asked for £500 by Western Union.",
              kind="demand")
    page1 = pages_of(case, tmp_path)[0]
    for expected in (
        # the offender's details, by type, with their values
        "Skype ID", "live:.cid.7f3a9b2e41d0c6", "Facebook profile",
        "https://www.facebook.com/anna.petrova.5817", "anna.petrova1993@example.com",
        "4817 2930 56", "Anna Petrova", "Exhibit " + ref(case, 1),
        # money asked and paid: date, amount, method, MTCN, collected, to whom
        "Asked 2024-03-01 22:10 UTC: Asked for £500 by Western Union.",
        "2024-03-02", "250.00 GBP", "Western", "4817293056", "Collected", "Chukwuemeka Obi",
        # period, platforms, references, the under-18 flag
        "From 2024-03-01 20:05 UTC (First contact)", "Skype, Facebook", "LC-20240302-0147",
        "FR-88213", "Person under 18",
    ):
        assert expected in page1, expected
    assert "Page 1 of" in page1


def test_page_one_gives_the_apps_hint_for_a_value_that_looks_wrong(case: CaseFile,
                                                                   tmp_path: Path) -> None:
    add_identifier(case, "mtcn", "123 456 789")
    add_payment(case, amount="100", method="western-union", reference="987654321",
                paid_on=date(2024, 3, 2))
    # The same check the app shows beside the value, not a second one.
    app_hint = normalise(IdentifierType.MTCN, "123456789").warnings[0]
    hint = app_hint.split(".")[0]  # "This does not look like a 10-digit MTCN"
    page1 = " ".join(pages_of(case, tmp_path)[0].split())
    assert page1.count(hint) == 2, page1  # beside the identifier and the payment's MTCN
    assert "Keep it anyway" not in page1  # that reassurance is for the person, not the officer


def test_page_one_says_the_type_a_value_plainly_is(case: CaseFile, tmp_path: Path) -> None:
    """A Skype ID the person kept as a Facebook profile: the officer reads what the app
    offered (the type it plainly is), and not the app's pointer to its own help."""
    add_identifier(case, "facebook", "live:anna.smith.love88")
    add_identifier(case, "facebook", "Anna Smith")  # doubted, but no other type
    page1 = " ".join(pages_of(case, tmp_path)[0].split())
    assert page1.count("By its form, it may be this type instead: Skype ID (live:...).") == 1
    assert page1.count("police ask for the link.") == 2
    assert "The help explains" not in page1


def test_the_under_18_flag_is_on_page_one(case: CaseFile, tmp_path: Path) -> None:
    from app.core.records.summary import edit_case

    edit_case(case, under_18=True)
    page1 = pages_of(case, tmp_path)[0]
    assert "The person this case is about is under 18." in page1


def test_a_long_email_or_url_is_never_split(case: CaseFile, tmp_path: Path) -> None:
    shot = add_evidence_direct(case, png_bytes(seed=1), "chat.png")
    add_identifier(case, "email", LONG_EMAIL, evidence_ids=[shot])
    add_identifier(case, "url", LONG_URL, evidence_ids=[shot])
    add_identifier(case, "username", "x" * 60 + ".love88")
    add_payment(case, amount="50", method="bank-transfer", reference="GB29NWBK60161331926819",
                paid_on=date(2024, 3, 2), recipient_name="A. Smith")
    pages = pages_of(case, tmp_path)
    lines = [line for page in pages for line in page.splitlines()]
    for value, start in ((LONG_EMAIL, "anna.smith.love88@"), (LONG_URL, "https://www.instagram"),
                         ("x" * 60 + ".love88", "x" * 40),
                         ("GB29NWBK60161331926819", "GB29NWBK")):
        found = [line for line in lines if start in line]
        assert found, value
        for line in found:  # wherever it begins, the whole value is on that line, or the
            # line says it goes on (a grey return arrow: never a silent break like "co / m")
            assert value in line or line.rstrip().endswith("\u21b5"), (value, line)
        assert any(value in line for line in found), value  # whole where it is listed
    assert LONG_EMAIL in pages[0] and LONG_URL in pages[0]


def test_a_long_email_is_whole_in_the_identifier_table_beside_a_normalised_one(
        case: CaseFile, tmp_path: Path) -> None:
    # A phone number's normalised form had a column of its own, which narrowed the Value
    # column for every row: this 69-character e-mail then went on after a return arrow.
    email = "anna.maria.smith.love88.forever.and.always@fastmail-secure-mailbox.co"
    assert len(email) == 69
    shot = add_evidence_direct(case, png_bytes(seed=2), "profile.png")
    add_identifier(case, "email", email, evidence_ids=[shot])
    add_identifier(case, "phone", "07700 900123", platform="WhatsApp", unsure=True)
    identifiers = section(pages_of(case, tmp_path), "Offender identifiers", "Payments")
    lines = [line for line in identifiers.splitlines() if "anna.maria" in line]
    assert lines and all(email in line and "\u21b5" not in line for line in lines), lines
    assert "+447700900123 normalised" in " ".join(identifiers.split())


def test_the_chronology_is_one_ordered_list_with_its_times_marked(case: CaseFile,
                                                                  tmp_path: Path) -> None:
    base = datetime(2024, 3, 1, 20, 0, tzinfo=UTC)
    # Entered out of order, as people do.
    add_event(case, base + timedelta(hours=3), "They threatened to share the video.",
              kind="threat")
    add_event(case, base, "A friend request on Instagram.", kind="first-contact",
              approximate=True)
    add_payment(case, amount="100", method="western-union", reference="4817293056",
                paid_on=date(2024, 3, 2), status="collected")
    camera = add_evidence_direct(case, png_bytes(seed=1), "photo.png")
    set_times(case, camera, exif="2024:03:01 21:30:00", modified=None)
    filed = add_evidence_direct(case, png_bytes(seed=2), "chat.png")
    set_times(case, filed, modified=base + timedelta(hours=1))
    add_event(case, base + timedelta(days=2), "Reported to the police.", kind="report")
    pages = pages_of(case, tmp_path)
    chronology = section(pages, "Chronology", "Offender identifiers")
    times = re.findall(r"^\s*(?:about )?(\d{4}-\d{2}-\d{2})(?: (\d{2}:\d{2}))?",
                       chronology, flags=re.MULTILINE)
    stamps = [f"{day} {clock or '00:00'}" for day, clock in times]
    assert len(stamps) == 6, chronology
    assert stamps == sorted(stamps), stamps
    order = [chronology.index(s) for s in (
        "A friend request", "chat.png", "photo.png", "They threatened", "MTCN 4817293056",
        "Reported to the police")]
    assert order == sorted(order)
    approximate = chronology[chronology.index("2024-03-01 20:00 UTC"):]
    assert "approximate time" in approximate.splitlines()[1]
    assert "camera time, no time zone" in chronology
    assert "file time" in chronology
    assert "date only, no time" in chronology
    assert ref(case, 1) in chronology and ref(case, 2) in chronology  # exhibit references


def test_empty_columns_are_left_out_and_normalised_only_where_it_differs(
    case: CaseFile, tmp_path: Path
) -> None:
    add_identifier(case, "email", "anna@example.com")  # no exhibit, no platform, sure
    add_payment(case, amount="10", method="gift-card", paid_on=date(2024, 3, 2))  # no reference
    pages = pages_of(case, tmp_path / "a")
    identifiers = section(pages, "Offender identifiers", "Payments")
    head = next(line for line in identifiers.splitlines() if line.strip().startswith("Kind"))
    assert head.split() == ["Kind", "Value"]
    payments = section(pages, "Payments", "Police advice checklist")
    head = next(line for line in payments.splitlines() if line.strip().startswith("Paid on"))
    for absent in ("Sent to", "MTCN", "Exhibits"):
        assert absent not in head
    assert "Cancelled" not in payments

    add_identifier(case, "phone", "07700 900123", platform="WhatsApp", unsure=True)
    pages = pages_of(case, tmp_path / "b")
    identifiers = section(pages, "Offender identifiers", "Payments")
    head = next(line for line in identifiers.splitlines() if line.strip().startswith("Kind"))
    assert head.split() == ["Kind", "Value", "Platform", "Sure?"]
    assert "+447700900123 normalised" in " ".join(identifiers.split())  # differs: shown
    assert identifiers.count("anna@example.com") == 1  # the same: not repeated


def test_hostile_values_on_page_one_are_drawn_as_text(case: CaseFile, tmp_path: Path) -> None:
    add_identifier(case, "username", "<b>bold</b>&amp;")
    add_identifier(case, "email", "a&b<i>@example.com")
    add_identifier(case, "other", "bell\x07 <font size=80>x</font>")
    add_payment(case, amount="10", method="western-union", reference="<b>123",
                recipient_name="&lt;Obi&gt;", paid_on=date(2024, 3, 2))
    page1 = pages_of(case, tmp_path)[0]
    for value in ("<b>bold</b>&amp;", "a&b<i>@example.com", "bell\\u0007 <font size=80>x</font>",
                  "<b>123", "&lt;Obi&gt;"):
        assert value in page1, value


def test_the_audit_log_is_summarised(case: CaseFile, tmp_path: Path) -> None:
    for n in range(40):
        add_identifier(case, "other", f"value {n}")
    pages = pages_of(case, tmp_path)
    audit = "\n".join(pages)[("\n".join(pages)).index("Appendix: audit log (summary)"):]
    assert re.search(r"identifier\.add\s+40\b", audit)
    assert "csv/audit.csv" in audit
    assert "value 39" not in audit  # no event rows: the full log is in the CSV


def test_page_one_never_runs_on_and_says_where_the_rest_is(case: CaseFile,
                                                            tmp_path: Path) -> None:
    for n in range(30):
        add_identifier(case, "email", f"someone.{n:02d}.{'x' * 30}@example.com")
        add_identifier(case, "username", f"handle_{n:02d}")
    for n in range(12):
        add_payment(case, amount=str(10 + n), method="western-union",
                    reference=f"{4817293000 + n}", paid_on=date(2024, 3, 1 + n),
                    recipient_name="A. Smith " * 8)
        add_event(case, datetime(2024, 3, 1 + n, tzinfo=UTC), f"Asked again ({n}).",
                  kind="demand")
    pages = pages_of(case, tmp_path)
    page1 = " ".join(pages[0].split())
    assert "Checking this bundle" in page1  # the end of page 1 is on page 1
    assert "someone.00." in page1  # the first details of each kind are there
    # Twelve transfers alike, none known collected: the latest are the likeliest to be stopped.
    assert "4817293011" in page1 and "4817293000" not in page1
    assert "Page 1 shows" in page1 and "csv/identifiers.csv" in page1 and \
        "csv/payments.csv" in page1
    assert "more demands are in the chronology" in page1
    assert [line for line in pages[1].splitlines() if line.strip()][1] == "Chronology"


def test_a_payment_told_of_by_an_event_is_shown_once_with_its_time(case: CaseFile,
                                                                   tmp_path: Path) -> None:
    receipt = add_evidence_direct(case, png_bytes(seed=1), "receipt.png")
    paid = add_payment(case, amount="250", method="western-union", reference="481729305",
                       paid_on=date(2024, 3, 2), status="collected", evidence_ids=[receipt])
    add_event(case, datetime(2024, 3, 2, 20, 5, tzinfo=UTC), "Paid £250 by Western Union.",
              kind="payment", payment_ids=[paid])
    chronology = section(pages_of(case, tmp_path), "Chronology", "Offender identifiers")
    assert chronology.count("MTCN 481729305") == 1
    row = chronology[chronology.index("2024-03-02 20:05 UTC"):]
    assert "Paid £250 by Western Union." in row and "MTCN 481729305" in row
    assert "This does not look like a 10-digit MTCN" in " ".join(row.split())
    assert ref(case, 1) in row  # the receipt, through the payment
    assert "date only" not in chronology


def test_a_huge_event_with_many_payments_still_lays_out(case: CaseFile, tmp_path: Path) -> None:
    paid = [add_payment(case, amount=str(n + 1), method="western-union",
                        reference=f"48172930{n:02d}", paid_on=date(2024, 3, 2),
                        recipient_name="Name " * 40, recipient_place="Place " * 40)
            for n in range(12)]
    add_event(case, datetime(2024, 3, 2, 9, 0, tzinfo=UTC), ("line\n" * 500) + "w" * 5000,
              kind="payment", payment_ids=paid)
    chronology = section(pages_of(case, tmp_path), "Chronology", "Offender identifiers")
    for n in range(12):  # each payment once: three in the event's row, the rest on their own
        assert chronology.count(f"MTCN 48172930{n:02d}") == 1, n


def test_an_identifier_shown_in_hundreds_of_pictures_still_fits_its_row(case: CaseFile,
                                                                        tmp_path: Path) -> None:
    """Text recognition links a username to every screenshot that shows it: in a long chat that
    is hundreds. The identifier table lists the first exhibits and says where the rest are,
    instead of one cell taller than a page (which ReportLab cannot lay out)."""
    shots = [add_evidence_direct(case, f"chat line {n}".encode(), f"note-{n}.txt",
                                 kind="text", detected_type="text/plain", thumbnail=False)
             for n in range(120)]
    add_identifier(case, "username", "jade.moore44", evidence_ids=shots)
    pages = pages_of(case, tmp_path)
    text = " ".join(" ".join(pages).split())
    section = text[text.index("Offender identifiers"):]
    assert "jade.moore44" in section
    assert "and 108 more, listed in the CSV files" in section


def test_items_added_together_with_no_time_of_their_own_share_one_chronology_row(
        case: CaseFile, tmp_path: Path) -> None:
    added = datetime(2026, 5, 4, 10, 15, 5, tzinfo=UTC)
    ids = []
    for n in range(12):
        if n == 3:  # a picture with a camera time: its own row, at its own time
            camera = add_evidence_direct(case, png_bytes(seed=40), "camera.png",
                                         acquired_at=added)
            set_times(case, camera, exif="2024:03:01 21:30:00")
            continue
        item = add_evidence_direct(case, f"chat part {n}".encode(), f"part-{n}.txt",
                                   kind="text", detected_type="text/plain",
                                   acquired_at=added + timedelta(seconds=n))
        set_times(case, item, modified=None)
        ids.append(item)
    for n in range(2):  # two more a day later: too few to group, each keeps its row
        item = add_evidence_direct(case, f"late {n}".encode(), f"late-{n}.txt", kind="text",
                                   detected_type="text/plain",
                                   acquired_at=added + timedelta(days=1, seconds=n))
        set_times(case, item, modified=None)
    chronology = section(pages_of(case, tmp_path), "Chronology", "Offender identifiers")
    flat = " ".join(chronology.split())
    assert "Evidence items" in flat and "11 items" in flat, flat
    ranges = re.findall(r"\b\w+/\d+ to \w+/\d+", chronology)  # each range on one line
    assert ranges == [f"{ref(case, 1)} to {ref(case, 3)}", f"{ref(case, 5)} to {ref(case, 12)}"]
    assert "was not sure of." in flat  # the introduction is whole
    assert "part-0.txt" not in chronology and "part-11.txt" not in chronology
    assert "late-0.txt" in chronology and "late-1.txt" in chronology  # two: not grouped
    assert "camera.png" in chronology
    # The grouped row sits at the time the first of them was added.
    assert chronology.index("2024-03-01 21:30") < chronology.index("2026-05-04 10:15") \
        < chronology.index("late-0.txt")


def test_many_files_modified_in_one_minute_share_a_row_with_their_times_kept_elsewhere(
        case: CaseFile, tmp_path: Path) -> None:
    modified = datetime(2024, 3, 1, 21, 14, 0, tzinfo=UTC)
    for n in range(10):
        item = add_evidence_direct(case, f"log {n}".encode(), f"log-{n}.txt", kind="text",
                                   detected_type="text/plain")
        set_times(case, item, modified=modified + timedelta(seconds=5 * n))
    item = add_evidence_direct(case, b"later log", "later.txt", kind="text",
                               detected_type="text/plain")
    set_times(case, item, modified=modified + timedelta(minutes=1))
    pages = pages_of(case, tmp_path)
    chronology = section(pages, "Chronology", "Offender identifiers")
    flat = " ".join(chronology.split())
    assert "Files last modified in the same minute" in flat and "10 items" in flat
    assert "file time" in chronology and "log-3.txt" not in chronology
    assert "later.txt" in chronology  # the next minute: a row of its own
    continuity = " ".join("\n".join(pages).split())
    assert "modified 2024-03-01 21:14:45 UTC" in continuity  # to the second, in the appendix


def test_the_period_ends_at_the_last_event_not_when_files_were_copied(
        case: CaseFile, tmp_path: Path) -> None:
    # Screenshots copied from a phone weeks later carry that day as their file time: the
    # period of the offence said "23 calendar days" for four days of events.
    base = datetime(2026, 11, 12, 21, 0, tzinfo=UTC)
    add_event(case, base, "A friend request on Instagram.", kind="first-contact")
    add_event(case, base + timedelta(days=4), "They asked for £500.", kind="demand")
    copied = add_evidence_direct(case, png_bytes(seed=3), "chat.png")
    set_times(case, copied, modified=base + timedelta(days=22))
    first_page = " ".join(pages_of(case, tmp_path)[0].split())
    period = first_page.split("Period of the offence", 1)[1][:160]
    assert period.startswith(" From 2026-11-12 21:00 UTC (First contact) to 2026-11-16 21:00 "
                             "UTC ("), period
    assert "5 calendar days" in period and "file time" not in period, period


def test_the_period_ends_at_the_offenders_last_act_not_the_report_to_police(
        case: CaseFile, tmp_path: Path) -> None:
    # The person's own report the next morning had been the period's end ("Report made").
    base = datetime(2025, 3, 15, 21, 14, tzinfo=UTC)
    add_event(case, base, "Friend request on Instagram.", kind="first-contact")
    add_event(case, base + timedelta(days=18), "They said they would send it.", kind="threat")
    add_event(case, base + timedelta(days=19), "Reported to police on 101.", kind="report")
    first_page = " ".join(pages_of(case, tmp_path)[0].split())
    period = first_page.split("Period of the offence", 1)[1][:160]
    assert period.startswith(" From 2025-03-15 21:14 UTC (First contact) to 2025-04-02 21:14 "
                             "UTC (Threat): 19 calendar days."), period


def test_a_report_alone_gives_no_period_of_the_offence(case: CaseFile, tmp_path: Path) -> None:
    add_event(case, datetime(2025, 4, 3, 9, 0, tzinfo=UTC), "Reported online.", kind="report")
    first_page = " ".join(pages_of(case, tmp_path)[0].split())
    assert "Period of the offence No times recorded" in first_page, first_page[:900]


def test_file_times_give_the_period_when_nothing_else_has_a_time(
        case: CaseFile, tmp_path: Path) -> None:
    base = datetime(2026, 11, 12, 21, 0, tzinfo=UTC)
    for seed, days in ((1, 0), (2, 3)):
        shot = add_evidence_direct(case, png_bytes(seed=seed), f"chat{seed}.png")
        set_times(case, shot, modified=base + timedelta(days=days))
    first_page = " ".join(pages_of(case, tmp_path)[0].split())
    assert "to 2026-11-15 21:00 UTC (file time of" in first_page, first_page


def test_an_event_given_to_the_second_shows_its_seconds(case: CaseFile, tmp_path: Path) -> None:
    add_event(case, datetime(2024, 3, 1, 21, 14, 5, tzinfo=UTC), "The first message.",
              kind="first-contact")
    add_event(case, datetime(2024, 3, 1, 22, 0, tzinfo=UTC), "A threat.", kind="threat")
    chronology = section(pages_of(case, tmp_path), "Chronology", "Offender identifiers")
    assert "2024-03-01 21:14:05" in chronology, chronology
    assert "2024-03-01 22:00 " in chronology or "2024-03-01 22:00\n" in chronology, chronology


def test_page_one_keeps_the_payments_that_can_still_be_stopped_when_not_all_fit(
        case: CaseFile, tmp_path: Path) -> None:
    # Many kinds of detail and many payments: page 1 has room for only some payments. The
    # earliest are collected gift cards; the money that may still be stopped (a MoneyGram
    # transfer not collected, a bank transfer the bank can freeze) is paid later.
    for kind, value in [("skype-id", "live:.cid.1a2b3c4d5e6f"), ("skype-name", "anna.smith88"),
                        ("facebook", "https://www.facebook.com/anna.smith.love88"),
                        ("email", LONG_EMAIL), ("phone", "+234 803 123 4567"),
                        ("url", LONG_URL), ("name", "Anna Smith")]:
        for n in range(3):
            add_identifier(case, kind, value if n == 0 else f"{value}{n}")
    for n in range(10):
        add_payment(case, amount=str(20 + n), method="gift-card", reference=f"GC-{n:04d}",
                    paid_on=date(2024, 3, 1 + n), status="collected",
                    recipient_name="A. Smith " * 6)
    add_payment(case, amount="300", method="bank-transfer", reference="REF-BANK-77",
                paid_on=date(2024, 3, 20), recipient_name="Smith Holdings Ltd")
    add_payment(case, amount="250", method="moneygram", reference="77553311",
                paid_on=date(2024, 3, 21), status="not-collected", recipient_name="A. Smith")
    pages = pages_of(case, tmp_path)
    page1 = " ".join(pages[0].split())
    assert "Checking this bundle" in page1  # page 1 still fits on page 1
    assert "of 12 payments, those that may still be stopped or traced first" in page1
    assert "77553311" in page1 and "REF-BANK-77" in page1
    assert page1.index("REF-BANK-77") < page1.index("77553311")  # still in date order
    assert "GC-0000" not in page1  # the oldest collected gift card gave way
    payments_section = section(pages, "Payments", "Police advice checklist")
    assert all(f"GC-{n:04d}" in payments_section for n in range(10))


def test_a_payments_note_is_not_read_as_who_it_went_to(case: CaseFile, tmp_path: Path) -> None:
    add_payment(case, amount="500", method="other", note="Asked for but not paid")
    add_payment(case, amount="250", method="western-union", reference="7720194835",
                recipient_name="Kwame Mensah", paid_on=date(2025, 3, 17))
    payments = " ".join(section(pages_of(case, tmp_path), "Payments",
                                "Police advice checklist").split())
    assert "Sent to, and notes" in payments
    assert "Note: Asked for but not paid" in payments


def test_page_one_gives_back_the_room_a_long_value_left(case: CaseFile, tmp_path: Path) -> None:
    # A 500-character value had made page 1 fall to its smallest step: 2 of 3 payments and
    # 5 of 17 details, with a fifth of the page empty.
    from app.core.records.summary import edit_case

    edit_case(case, under_18=True, crime_reference="CR/12345/25", caseworker="PC 1234 Smith")
    shots = [add_evidence_direct(case, png_bytes(seed=n), f"shot{n}.png") for n in range(4)]
    add_event(case, datetime(2025, 3, 15, 21, 14, tzinfo=UTC),
              "Anna (anna.smith_93) messaged me on Instagram", kind="first-contact",
              evidence_ids=shots[:1])
    add_event(case, datetime(2025, 4, 2, 19, 0, tzinfo=UTC),
              "New threat on WhatsApp, asked for 500 GBP more", kind="threat")
    for kind, value, platform in (
            ("email", "annasmith93@outlook.com", None), ("email", "kwame77@gmail.com", None),
            ("mtcn", "4839201756", None), ("mtcn", "7720194835", None),
            ("name", "Kwame Mensah", None), ("other", '=HYPERLINK("http://x/x","click")', None),
            ("other", "../../etc/passwd", None), ("other", "A" * 250 + "B" * 250, None),
            ("phone", "+233 24 123 4567", None), ("phone", "+44 7700 900123", None),
            ("skype-name", "anna.smith.1993", "Skype"), ("url", "https://bit.ly/anna93", None),
            ("username", "anna.smith_93", "Instagram"), ("username", "<b>bold</b>", "<i>Snap</i>"),
            ("username", "ctrl\x07bell\x1b[31mred\t\u202eevil", None),
            ("username", "-2+3", None), ("username", "@cmd|calc", None)):
        add_identifier(case, kind, value, platform=platform, evidence_ids=shots[:2])
    add_payment(case, amount="250", method="western-union", reference="4839201756",
                status="collected", paid_on=date(2025, 3, 16), recipient_name="Kwame Mensah",
                recipient_place="Accra, Ghana")
    add_payment(case, amount="250", method="western-union", reference="7720194835",
                status="not-collected", paid_on=date(2025, 3, 17), recipient_name="Kwame Mensah",
                recipient_place="Accra, Ghana")
    add_payment(case, amount="500", method="other", status="unknown")
    with case.write() as session:  # one detail read from a picture, not checked yet
        session.add(TextSuggestion(evidence_id=shots[0], kind="email",
                                   value="annasmith98@outlook.com",
                                   normalised="annasmith98@outlook.com"))
    page1 = " ".join(pages_of(case, tmp_path)[0].split())
    assert "Checking this bundle" in page1  # still one page
    assert "of 3 payments" not in page1 and "4839201756" in page1, page1
    shown = re.search(r"Page 1 shows (\d+) of 17 details", page1)
    assert shown is None or int(shown.group(1)) >= 8, page1
