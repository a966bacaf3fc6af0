"""The snapshot's exhibits (app/export/exhibit_rows.py): read like a list, and looked up by
id, by place and in exhibit order through the arrays kept beside them."""

from datetime import UTC, datetime

import pytest

from app.core.records import EvidenceRow
from app.export.exhibit_rows import ExhibitRows


def _row(n: int, *, number: int | None = None) -> EvidenceRow:
    odd = n % 2 == 1
    return EvidenceRow(
        id=n * 3, sha256=f"{n:064x}", size=n * 1000, original_name=f"=HYPERLINK(\"x\") {n}\u202e",
        kind="image" if odd else "document", detected_type="image/png" if odd else "text/plain",
        type_note=None if odd else "note", source="file",
        acquired_at=datetime(2024, 1, 13, 14, 8, n % 60, tzinfo=UTC),
        file_modified_at=None, file_created_at=None,
        exif_taken_at="2023:05:01 09:30:00" if odd else None, exif_camera=None,
        width=1920 if odd else None, height=1080 if odd else None, description="d" * (n % 7),
        platform=None if odd else "whatsapp", sensitive=n % 5 == 0, preview_status="ok",
        preview_note=None, exhibit_number=n if number is None else number)


def test_reads_like_the_list_it_was_made_from() -> None:
    rows = [_row(n) for n in range(1, 700)]
    listed = ExhibitRows(rows)
    assert len(listed) == 699 and list(listed) == rows
    assert [listed[i] for i in (0, 698, -1)] == [rows[i] for i in (0, 698, -1)]
    assert listed[250:260] == rows[250:260]
    assert listed == rows and listed == ExhibitRows(rows)
    with pytest.raises(IndexError):
        listed[699]
    assert list(listed.ids) == [r.id for r in rows]
    assert list(listed.sizes) == [r.size for r in rows]
    assert [bool(s) for s in listed.sensitive] == [r.sensitive for r in rows]


def test_lookups_by_id_and_exhibit_number() -> None:
    listed = ExhibitRows(_row(n) for n in range(1, 600))
    assert listed.by_id(300) == _row(100)
    assert listed.by_id(301) is None and listed.by_id(0) is None and listed.by_id(10**6) is None
    assert listed.number_of(597) == 199
    with pytest.raises(KeyError):
        listed.number_of(598)
    assert listed.in_exhibit_order() is listed  # numbers given as items arrived: no copy
    assert listed.where(lambda r: r.sensitive) == [_row(n) for n in range(1, 600) if n % 5 == 0]


def test_exhibit_order_when_numbers_do_not_follow_ids() -> None:
    rows = [_row(1, number=3), _row(2, number=1), _row(3, number=2)]
    listed = ExhibitRows(rows)
    assert [r.exhibit_number for r in listed.in_exhibit_order()] == [1, 2, 3]
    assert listed.number_of(3) == 3


def test_an_empty_list() -> None:
    listed = ExhibitRows([])
    assert len(listed) == 0 and list(listed) == [] and not listed
    assert listed.by_id(1) is None and list(listed.in_exhibit_order()) == []
