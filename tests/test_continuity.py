"""Continuity of exhibits as an officer receives it: csv/continuity.csv and the report's appendix,
read back from a real bundle of a real case whose evidence came in through the real importer
(files, a folder, a paste, a screen capture), checked against the case's own audit log."""

import csv
import getpass
import hashlib
import io
import json
import os
import re
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select, text

from app.core.intake import import_bytes, import_paths
from app.core.records import add_identifier, audit, edit_evidence, list_evidence
from app.errors import SafekeepError
from app.export import export_bundle
from app.export.casedata import take_snapshot
from app.models import AuditEvent, EvidenceItem, EvidenceSource
from app.models.casefile import CaseFile
from app.models.content import store_bytes
from tests.test_export_support import png_bytes

FILE_TIME = datetime(2024, 3, 1, 21, 14, 5, tzinfo=UTC)


def zip_member(bundle: Path, suffix: str) -> bytes:
    with zipfile.ZipFile(bundle) as zf:
        [name] = [n for n in zf.namelist() if n.endswith(suffix)]
        return zf.read(name)


def csv_rows(bundle: Path, suffix: str) -> list[dict[str, str]]:
    data = zip_member(bundle, suffix)
    assert data.startswith("\ufeff".encode())  # Excel reads it as UTF-8
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def pdf_text(bundle: Path) -> str:
    reader = PdfReader(io.BytesIO(zip_member(bundle, "report.pdf")))
    return "\n".join(page.extract_text() for page in reader.pages)


def add_events(case: CaseFile) -> dict[int, AuditEvent]:
    with case.read() as session:
        events = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "evidence.add")).all()
        return {int(e.subject.split(":")[1]): e for e in events}


def a_file(path: Path, seed: int) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(png_bytes(seed=seed))
    os.utime(path, (FILE_TIME.timestamp(), FILE_TIME.timestamp()))
    return path


@pytest.fixture
def acquired(case: CaseFile, tmp_path: Path) -> dict[str, int]:
    """Evidence brought in every way the importer knows, then looked after."""
    shot = a_file(tmp_path / "from" / "Screenshot 2024-03-01 at 21.14.05.png", 1)
    folder = tmp_path / "from" / "phone export"
    a_file(folder / "a.png", 2)
    a_file(folder / "b.png", 3)
    intimate = a_file(tmp_path / "from" / "IMG_0423.png", 4)
    ids: dict[str, int] = {}
    [ids["file"]] = [o.evidence_id for o in import_paths(case, [shot]) if o.evidence_id]
    ids["folder_a"], ids["folder_b"] = [
        o.evidence_id for o in import_paths(case, [folder]) if o.evidence_id is not None]
    pasted = import_bytes(case, png_bytes(seed=5), "pasted.png", source=EvidenceSource.CLIPBOARD)
    captured = import_bytes(case, png_bytes(seed=6), "capture.png",
                            source=EvidenceSource.SCREEN_CAPTURE)
    [ids["sensitive"]] = [o.evidence_id for o in import_paths(case, [intimate], sensitive=True)
                          if o.evidence_id]
    assert pasted.evidence_id and captured.evidence_id
    ids["pasted"], ids["captured"] = pasted.evidence_id, captured.evidence_id
    edit_evidence(case, ids["file"], description="Their threat, with the Skype ID.",
                  platform="Skype")
    edit_evidence(case, ids["pasted"], sensitive=True)
    edit_evidence(case, ids["pasted"], sensitive=False)
    add_identifier(case, "email", "anna.petrova1993@example.com", evidence_ids=[ids["folder_a"]])
    return ids


def test_new_items_record_how_when_and_from_what(case: CaseFile,
                                                 acquired: dict[str, int]) -> None:
    events = add_events(case)
    details = json.loads(events[acquired["file"]].details)
    assert details["source"] == "file" and details["name"].startswith("Screenshot 2024")
    assert details["file_modified"] == "2024-03-01T21:14:05Z"
    assert details["account"] == getpass.getuser()
    assert re.fullmatch(r"[+-]\d\d:\d\d", details["utc_offset"])
    assert details["exhibit_number"] == 1
    pasted = json.loads(events[acquired["pasted"]].details)
    assert pasted["source"] == "clipboard" and "file_modified" not in pasted
    by_id = {e.id: e for e in list_evidence(case)}
    assert by_id[acquired["folder_a"]].file_modified_at == FILE_TIME


def test_continuity_csv_has_one_row_per_exhibit_matching_the_audit_log(
    case: CaseFile, acquired: dict[str, int], tmp_path: Path
) -> None:
    bundle = export_bundle(case, tmp_path / "bundle.zip").path
    rows = csv_rows(bundle, "csv/continuity.csv")
    snap = take_snapshot(case, include_sensitive=False)
    assert [r["exhibit"] for r in rows] == [snap.exhibit(e.id) for e in snap.evidence]
    assert len(rows) == len(acquired)
    by_exhibit = {r["exhibit"]: r for r in rows}
    audit_csv = {r["id"]: r for r in csv_rows(bundle, "csv/audit.csv")}
    for evidence_id, event in add_events(case).items():
        row = by_exhibit[snap.exhibit(evidence_id)]
        details = json.loads(event.details)
        assert row["sha256_at_acquisition"] == details["sha256"] == row["sha256_at_export"]
        assert row["acquired_at_utc"] == event.at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        assert row["recorded_in"] == f"audit event {event.id}"
        # A third party can find the same event, with the same time, in the bundle's audit log.
        assert audit_csv[str(event.id)]["at_utc"] == row["acquired_at_utc"]
        assert audit_csv[str(event.id)]["action"] == "evidence.add"
        assert row["acquired_by"] == "tester"
        assert row["computer_account"] == getpass.getuser()
        assert row["acquired_at_local"].endswith(f"(UTC{details['utc_offset']})")
    file_row = by_exhibit[snap.exhibit(acquired["file"])]
    assert file_row["how_obtained"] == "file"
    assert file_row["original_name"] == "Screenshot 2024-03-01 at 21.14.05.png"
    assert file_row["file_modified_at_utc"] == "2024-03-01T21:14:05Z"
    assert file_row["export_check"] == "matches"
    assert "description changed" in file_row["since"]
    assert "platform set to Skype" in file_row["since"]
    assert by_exhibit[snap.exhibit(acquired["folder_b"])]["how_obtained"] == "folder"
    assert by_exhibit[snap.exhibit(acquired["captured"])]["how_obtained"] == "screen-capture"
    pasted = by_exhibit[snap.exhibit(acquired["pasted"])]
    assert pasted["how_obtained"] == "clipboard" and pasted["file_modified_at_utc"] == ""
    assert pasted["since"].count("\n") == 1
    assert "marked sensitive" in pasted["since"] and "no longer marked sensitive" in pasted["since"]
    linked = by_exhibit[snap.exhibit(acquired["folder_a"])]["since"]
    assert "linked to E-mail" in linked and "anna.petrova1993@example.com" in linked
    # Withheld from the bundle, but its original was still checked against its hash.
    withheld = by_exhibit[snap.exhibit(acquired["sensitive"])]
    assert withheld["export_check"] == "matches (the file is withheld as sensitive)"
    assert withheld["sha256_at_export"] == withheld["sha256_at_acquisition"]


def test_the_report_table_of_exhibits_lists_every_exhibit(
    case: CaseFile, acquired: dict[str, int], tmp_path: Path
) -> None:
    bundle = export_bundle(case, tmp_path / "bundle.zip").path
    report = pdf_text(bundle)
    start = report.index("Exhibits and their continuity")
    end = report.index("Appendix: audit log")
    assert start < end
    appendix = report[start:end]
    flat = " ".join(appendix.split())
    assert "originals as they were received, byte for byte" in flat
    assert "working copies" in flat
    snap = take_snapshot(case, include_sensitive=False)
    for item in snap.evidence:
        assert re.search(rf"\b{re.escape(snap.exhibit(item.id))}\b", appendix)
        assert item.sha256[:32] in appendix and item.sha256[32:] in appendix
    assert flat.count("SHA-256 checked again: matches") == len(snap.evidence)
    assert "Screen capture" in flat and "Pasted" in flat


def test_older_items_fall_back_to_the_evidence_record(case: CaseFile, tmp_path: Path) -> None:
    data = png_bytes(seed=8)
    with case.write() as session:  # as a case file from before these events would hold
        row = EvidenceItem(sha256=hashlib.sha256(data).hexdigest(),
                           size=len(data), original_name="old.png", kind="screenshot",
                           detected_type="image/png", source="file", preview_status="none",
                           file_modified_at=FILE_TIME)
        session.add(row)
        session.flush()
        store_bytes(session, row.id, data)
    bundle = export_bundle(case, tmp_path / "bundle.zip").path
    [row_out] = csv_rows(bundle, "csv/continuity.csv")
    assert row_out["recorded_in"] == "evidence record (no matching audit event)"
    assert row_out["original_name"] == "old.png"
    assert row_out["file_modified_at_utc"] == "2024-03-01T21:14:05Z"
    assert row_out["export_check"] == "matches"
    assert row_out["acquired_by"] == row_out["computer_account"] == "not recorded"
    assert "from the evidence record" in " ".join(pdf_text(bundle).split())


def add_with_arrival(case: CaseFile, data: bytes, name: str, source: str,
                     **recorded: object) -> None:
    """A picture stored with an arrival event written by hand, as an older (or broken)
    version of Safekeep wrote it: the usual facts, plus `recorded`."""
    digest = hashlib.sha256(data).hexdigest()
    with case.write() as session:
        row = EvidenceItem(sha256=digest, size=len(data), original_name=name,
                           kind="screenshot", detected_type="image/png", source=source,
                           preview_status="none")
        session.add(row)
        session.flush()
        store_bytes(session, row.id, data)
        audit(session, "caseworker", "evidence.add", f"evidence:{row.id}",
              {"sha256": digest, "size": len(data), "name": name, "type": "image/png",
               "source": source, "sensitive": False, **recorded})


def test_an_older_arrival_event_is_used_and_what_it_lacks_is_not_recorded(
    case: CaseFile, tmp_path: Path
) -> None:
    """Safekeep before this version recorded the hash, name and source, not the account."""
    add_with_arrival(case, png_bytes(seed=12), "older.png", "folder")
    bundle = export_bundle(case, tmp_path / "bundle.zip").path
    [out] = csv_rows(bundle, "csv/continuity.csv")
    [event] = add_events(case).values()
    assert out["recorded_in"] == f"audit event {event.id}"
    assert out["acquired_by"] == "caseworker"
    assert out["computer_account"] == "not recorded"
    assert out["how_obtained"] == "folder" and out["export_check"] == "matches"


@pytest.mark.parametrize("offset", ["+99:00", "-24:00", "+0a:00", "+01:00x"])
def test_an_offset_out_of_range_in_the_audit_log_falls_back_to_this_computer_s_time(
    case: CaseFile, tmp_path: Path, offset: str
) -> None:
    """The recorded offset is data like any other: one no clock can have (written by a broken
    or tampered version) gives this computer's local time, never a failed export."""
    add_with_arrival(case, png_bytes(seed=14), "odd.png", "file", utc_offset=offset)
    bundle = export_bundle(case, tmp_path / "bundle.zip").path
    [out] = csv_rows(bundle, "csv/continuity.csv")
    assert out["acquired_at_local"] and offset not in out["acquired_at_local"]


def test_hostile_names_are_neutralised_in_the_continuity_csv(case: CaseFile,
                                                              tmp_path: Path) -> None:
    import_bytes(case, png_bytes(seed=9), '=HYPERLINK("http://x")\u202e.png',
                 source=EvidenceSource.CLIPBOARD)
    bundle = export_bundle(case, tmp_path / "bundle.zip").path
    [row] = csv_rows(bundle, "csv/continuity.csv")
    assert row["original_name"] == "'=HYPERLINK(\"http://x\")\\u202e.png"


def test_hostile_file_names_and_times_reach_the_csv_and_report_harmlessly(
    case: CaseFile, tmp_path: Path
) -> None:
    """A real file whose name a criminal chose: a formula, a terminal escape, a bell, a
    right-to-left override and markup, brought in from disk."""
    name = "@SUM(1+1)*cmd|' -c calc'!A0\x1b[31m\x07\u202e<b>gnp&amp;exe.png"
    path = a_file(tmp_path / "from" / name, 13)
    [outcome] = import_paths(case, [path])
    assert outcome.evidence_id is not None
    bundle = export_bundle(case, tmp_path / "bundle.zip").path
    [row] = csv_rows(bundle, "csv/continuity.csv")
    assert row["original_name"] == (
        "'@SUM(1+1)*cmd|' -c calc'!A0\\u001b[31m\\u0007\\u202e<b>gnp&amp;exe.png")
    assert row["file_modified_at_utc"] == "2024-03-01T21:14:05Z"
    raw = zip_member(bundle, "csv/continuity.csv").decode("utf-8-sig")
    assert not any(ch in raw for ch in "\x1b\x07\u202e")
    appendix = pdf_text(bundle)
    appendix = appendix[appendix.index("Exhibits and their continuity"):]
    flat = "".join(appendix.split())
    assert "<b>gnp&amp;exe.png" in flat  # shown as text, never read as markup
    assert not any(ch in appendix for ch in "\x1b\x07\u202e")


def test_a_changed_withheld_original_also_stops_the_export(
    case: CaseFile, tmp_path: Path
) -> None:
    """Its file is not in the bundle, but its hash is: a changed original cannot be listed
    under the hash it had on arrival without anyone noticing."""
    outcome = import_bytes(case, png_bytes(seed=10), "intimate.png",
                           source=EvidenceSource.CLIPBOARD, sensitive=True)
    with case.write() as session:  # bypasses the app, as damage or tampering would
        session.execute(text("UPDATE evidence_chunk SET data = :d WHERE evidence_id = :i"),
                        {"d": png_bytes(seed=11), "i": outcome.evidence_id})
    with pytest.raises(SafekeepError, match="no longer matches"):
        export_bundle(case, tmp_path / "bundle.zip")
    assert not (tmp_path / "bundle.zip").exists()


def test_the_table_of_exhibits_covers_every_exhibit_of_a_long_case(
    case: CaseFile, acquired: dict[str, int], tmp_path: Path
) -> None:
    """Drawn as rows on the canvas, the table of exhibits and their continuity stops at no
    limit: every exhibit of a case of many items is in it, in exhibit order, over many pages,
    with its hash and its check, and the continuity CSV has the same exhibits."""
    folder = tmp_path / "chat export"
    folder.mkdir()
    for number in range(140):
        (folder / f"chat-{number:03}.txt").write_text(
            f"[21:{number % 60:02}] them: pay now or everyone sees it ({number})\n")
    assert len([o for o in import_paths(case, [folder]) if o.evidence_id]) == 140
    bundle = export_bundle(case, tmp_path / "bundle.zip").path
    snap = take_snapshot(case, include_sensitive=False)
    items = sorted(snap.evidence, key=lambda e: e.exhibit_number)
    reader = PdfReader(io.BytesIO(zip_member(bundle, "report.pdf")))
    pages = [page.extract_text() for page in reader.pages]
    first = next(n for n, t in enumerate(pages) if "Exhibits and their continuity" in t)
    last = next(n for n, t in enumerate(pages) if "Appendix: audit log" in t)
    assert last - first >= 3  # many pages, each with the table's header
    appendix = "\n".join(pages[first:last + 1])
    appendix = appendix[appendix.index("Exhibits and their continuity"):
                        appendix.index("Appendix: audit log")]
    flat = " ".join(appendix.split())
    assert flat.count("SHA-256 checked again: matches") == len(items) == 146
    assert "csv/continuity.csv, with the same facts" not in flat  # nothing left out
    for item in items:
        assert re.search(rf"(?<![\w/]){re.escape(snap.exhibit(item.id))}(?![\w/])", appendix)
        assert item.sha256[:32] in appendix and item.sha256[32:] in appendix
    positions = [appendix.index(item.sha256[:32]) for item in items]
    assert positions == sorted(positions)  # in exhibit order
    assert [r["exhibit"] for r in csv_rows(bundle, "csv/continuity.csv")] == \
        [snap.exhibit(e.id) for e in items]
    assert "Since:" in flat and "linked to E-mail" in flat  # what happened after arrival


def test_an_item_that_takes_a_removed_item_s_id_has_its_own_arrival(case: CaseFile,
                                                                     tmp_path: Path) -> None:
    """SQLite gives the next item the id of a removed last one: its continuity must come from
    its own arrival, never from the removed item's (whose hash and name differ)."""
    from app.core.records import remove_evidence

    first = import_paths(case, [a_file(tmp_path / "in" / "first.png", 1)])[0].evidence_id
    gone = import_paths(case, [a_file(tmp_path / "in" / "gone.png", 2)])[0].evidence_id
    assert first is not None and gone is not None
    remove_evidence(case, gone, "added by mistake")
    later = import_paths(case, [a_file(tmp_path / "in" / "later.png", 3)])[0].evidence_id
    assert later == gone  # the id is taken again: the case this test is about
    bundle = export_bundle(case, tmp_path / "bundle.zip").path
    rows = {r["original_name"]: r for r in csv_rows(bundle, "csv/continuity.csv")}
    assert set(rows) == {"first.png", "later.png", "gone.png"}
    assert rows["gone.png"]["export_check"].startswith("removed from the case")
    gone_arrival = arrivals_named(case, later, "gone.png")
    assert rows["gone.png"]["recorded_in"] != f"audit event {gone_arrival.id}"  # the removal's
    assert rows["gone.png"]["acquired_at_utc"] == gone_arrival.at.strftime("%Y-%m-%dT%H:%M:%SZ")
    arrivals = {json.loads(e.details)["name"]: e for e in _arrivals_of(case, later)}
    own = arrivals["later.png"]
    assert rows["later.png"]["recorded_in"] == f"audit event {own.id}"
    assert rows["later.png"]["sha256_at_acquisition"] == json.loads(own.details)["sha256"]
    assert rows["later.png"]["export_check"] == "matches"
    assert "added by mistake" not in rows["later.png"]["since"]


def arrivals_named(case: CaseFile, evidence_id: int, name: str) -> AuditEvent:
    [event] = [e for e in _arrivals_of(case, evidence_id) if json.loads(e.details)["name"] == name]
    return event


def _arrivals_of(case: CaseFile, evidence_id: int) -> list[AuditEvent]:
    with case.read() as session:
        return list(session.scalars(select(AuditEvent).where(
            AuditEvent.action == "evidence.add",
            AuditEvent.subject == f"evidence:{evidence_id}")))


def test_an_exhibit_marked_with_other_initials_before_says_so(case: CaseFile,
                                                              tmp_path: Path) -> None:
    # A bundle made as AB, the initials changed to CD, a bundle made again: the second had
    # kept no trace of AB/1, by which officers who had the first knew the exhibit.
    from app.core.records import edit_case, last_bundle_marks
    from tests.test_export_support import add_evidence_direct

    first = add_evidence_direct(case, png_bytes(seed=1), "first.png")
    edit_case(case, producer_initials="AB")
    export_bundle(case, tmp_path / "one.zip")
    marks = last_bundle_marks(case)
    assert marks is not None and marks.initials == "AB"
    edit_case(case, producer_initials="CD")
    later = add_evidence_direct(case, png_bytes(seed=2), "later.png")
    bundle = export_bundle(case, tmp_path / "two.zip").path
    rows = {r["original_name"]: r for r in csv_rows(bundle, "csv/continuity.csv")}
    assert rows["first.png"]["exhibit"] == "CD/1"
    assert "marked AB/1 in the bundle made then (the initials have changed since)" \
        in rows["first.png"]["since"]
    assert "marked AB" not in rows["later.png"]["since"]  # added after that bundle
    text = " ".join(pdf_text(bundle).split())
    assert "A bundle made before this one marked these exhibits with other initials (AB); " \
        "the numbers are the same: AB/3 there is CD/3 here." in text
    assert "marked AB/1 in the bundle made then" in text
    assert first != later
