"""The chronology of a case with many items on one day: the items the person did not describe,
with no event or payment between them, share one row from their first time to their last;
described items, pictures with a camera time, events and payments keep rows of their own, and
the period of the offence on page 1 still ends at the last item's own time."""

import re
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.core.records.timeline import add_event
from app.export.casedata import take_snapshot
from app.export.chronology import DAY_GROUP_FROM, Source, chronology
from app.models.casefile import CaseFile
from tests.test_export_report_front import pages_of, ref, section, set_times
from tests.test_export_support import add_evidence_direct, png_bytes

START = datetime(2024, 1, 5, 6, 0, tzinfo=UTC)


def _logs(case: CaseFile, count: int, first: datetime, *, described: set[int] = frozenset(),
          prefix: str = "log") -> list[int]:
    """`count` chat logs with file times five minutes apart; those numbered in `described`
    carry a description."""
    ids = []
    for n in range(count):
        item = add_evidence_direct(case, f"{prefix} {n}".encode(), f"{prefix}-{n}.txt",
                                   kind="text", detected_type="text/plain",
                                   description="The threat to share the video" if n in described
                                   else "")
        set_times(case, item, modified=first + timedelta(minutes=5 * n))
        ids.append(item)
    return ids


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext is not installed")
def test_a_day_of_undescribed_items_shares_a_row_and_the_rest_keep_theirs(
        case: CaseFile, tmp_path: Path) -> None:
    assert DAY_GROUP_FROM == 50
    _logs(case, 55, START, described={10, 30})  # 06:00 to 10:30: 53 undescribed
    camera = add_evidence_direct(case, png_bytes(seed=3), "camera.png")
    set_times(case, camera, exif="2024:01:05 08:02:00")
    add_event(case, START + timedelta(hours=5), "They asked for money again.", kind="demand")
    _logs(case, 20, START + timedelta(hours=5, minutes=5), prefix="late")  # too few to group
    chronology_text = section(pages_of(case, tmp_path), "Chronology", "Offender identifiers")
    flat = " ".join(chronology_text.split())
    assert "53 items" in flat and "did not describe" in flat, flat
    assert "2024-01-05 06:00 UTC" in flat and "to 10:30 UTC" in flat  # first to last
    assert "log-10.txt" in flat and "log-30.txt" in flat  # described: rows of their own
    assert "camera.png" in flat
    assert not re.search(r"\blog-(?!10\b|30\b)\d+\.txt", flat)  # the others are in the group
    assert all(f"late-{n}.txt" in flat for n in range(20))  # after the event: their own rows
    ranges = re.findall(r"\b\w+/\d+ to \w+/\d+", chronology_text)  # each on one line
    assert ranges == [f"{ref(case, 1)} to {ref(case, 10)}", f"{ref(case, 12)} to {ref(case, 30)}",
                      f"{ref(case, 32)} to {ref(case, 55)}"]
    assert flat.index(ranges[0]) < flat.index("They asked for money again") \
        < flat.index("late-0.txt")
    # Each item, grouped or not, is in the table of exhibits with its time to the second.
    exhibits = " ".join("\n".join(pages_of(case, tmp_path / "again")).split())
    assert "file modified 2024-01-05 09:05:00 UTC" in exhibits


def test_the_period_of_the_offence_ends_at_a_day_groups_last_item(
        case: CaseFile, tmp_path: Path) -> None:
    ids = _logs(case, 60, START)
    snap = take_snapshot(case, include_sensitive=False)
    entries = chronology(snap)
    [group] = entries
    assert group.source is Source.EVIDENCE and group.item is None
    assert group.evidence_ids == tuple(ids) and group.until == START + timedelta(minutes=295)
    from app.export.chronology import offence_period

    period = offence_period(entries)
    assert period is not None
    first, last = period
    assert first.at == START and last.at == START + timedelta(minutes=295)
    assert last.evidence_ids == (ids[-1],)


def test_a_chat_export_and_other_days_are_never_pulled_into_a_group(
        case: CaseFile, tmp_path: Path) -> None:
    # 49 on one day and 49 the next: neither day reaches the threshold.
    _logs(case, 49, START)
    _logs(case, 49, START + timedelta(days=1), prefix="next")
    entries = chronology(take_snapshot(case, include_sensitive=False))
    assert len(entries) == 98 and all(e.item is not None for e in entries)
