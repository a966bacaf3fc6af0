"""What the person is told about an export, what is on disk and what the audit log says always
match: a bundle that stays is reported as written and recorded; one that does not stay is
reported as not written and leaves no "bundle.export" event. Above all at the very end, where
a cancel, or a failure after the rename, used to delete a bundle the log still recorded."""

import errno
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select

from app.errors import Cancelled, SafekeepError, StorageError
from app.export import export_bundle
from app.export.bundle import ExportResult
from app.models import AuditEvent
from app.models.casefile import CaseFile
from tests.test_export_support import build_demo_case


@pytest.fixture
def demo(case: CaseFile) -> CaseFile:
    build_demo_case(case)
    return case


def export_events(case: CaseFile) -> list[dict[str, object]]:
    with case.read() as session:
        rows = session.scalars(select(AuditEvent).where(AuditEvent.action == "bundle.export"))
        return [json.loads(r.details) for r in rows]


def outcome_of(run: Callable[[], ExportResult]) -> ExportResult | SafekeepError:
    try:
        return run()
    except SafekeepError as exc:  # Cancelled and StorageError included
        return exc


def assert_all_agree(case: CaseFile, target: Path, outcome: ExportResult | SafekeepError,
                     events_before: int) -> None:
    events = export_events(case)
    leftovers = [p.name for p in target.parent.iterdir() if ".partial-" in p.name]
    assert leftovers == []
    if isinstance(outcome, ExportResult):
        assert target.is_file(), "reported as written, but there is no bundle"
        assert len(events) == events_before + 1, "a bundle on disk that the log does not record"
        assert events[-1]["manifest_sha256"] == outcome.manifest_sha256
        assert events[-1]["bytes"] == target.stat().st_size == outcome.bytes_written
    else:
        assert not target.exists(), f"told {outcome.message!r}, but the bundle is there"
        assert len(events) == events_before, "the log records a bundle that is not there"
        assert "bundle" in outcome.message


def count_checks(case: CaseFile, folder: Path) -> int:
    checks = 0

    def count() -> bool:
        nonlocal checks
        checks += 1
        return False

    export_bundle(case, folder / "counting.zip", is_cancelled=count)
    return checks


def flip_on(n: int) -> Callable[[], bool]:
    """Not cancelled until the n-th check (counting from 1), cancelled from then on."""
    calls = 0

    def is_cancelled() -> bool:
        nonlocal calls
        calls += 1
        return calls >= n

    return is_cancelled


def test_cancel_at_the_very_last_step_is_told_as_it_is(demo: CaseFile, tmp_path: Path) -> None:
    checks = count_checks(demo, tmp_path)
    for last in (checks, checks - 1, checks - 2):  # the last check, and the two before it
        out = tmp_path / f"at{last}"
        out.mkdir()
        before = len(export_events(demo))
        outcome = outcome_of(lambda: export_bundle(
            demo, out / "bundle.zip", is_cancelled=flip_on(last)))
        assert_all_agree(demo, out / "bundle.zip", outcome, before)
        if isinstance(outcome, Cancelled):
            assert outcome.message == "The export was cancelled. No bundle was written."


def test_cancel_after_the_last_progress_step_is_told_as_it_is(
    demo: CaseFile, tmp_path: Path
) -> None:
    """Cancel pressed once "Finishing" shows: only the checks after the last step see it."""
    target = tmp_path / "bundle.zip"
    labels: list[str] = []
    before = len(export_events(demo))
    outcome = outcome_of(lambda: export_bundle(
        demo, target, progress=lambda d, t, label: labels.append(label),
        is_cancelled=lambda: "Finishing" in labels))
    assert_all_agree(demo, target, outcome, before)
    assert isinstance(outcome, Cancelled)
    assert labels[-1] == "Finishing"


def test_cancel_pressed_once_the_bundle_is_in_place_keeps_it(
    demo: CaseFile, tmp_path: Path
) -> None:
    target = tmp_path / "bundle.zip"
    before = len(export_events(demo))
    # The person presses Cancel just as the bundle gets its final name.
    outcome = outcome_of(lambda: export_bundle(demo, target, is_cancelled=target.exists))
    assert_all_agree(demo, target, outcome, before)
    assert isinstance(outcome, ExportResult)


def test_a_failure_after_the_rename_leaves_no_bundle_behind(
    demo: CaseFile, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The folder's fsync fails (a USB stick pulled out): the audit event is rolled back, so
    the bundle that already has its final name must go too."""
    import app.models.safe_files as safe_files

    def failing_fsync_dir(directory: Path) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(safe_files, "fsync_dir", failing_fsync_dir)
    target = tmp_path / "bundle.zip"
    before = len(export_events(demo))
    outcome = outcome_of(lambda: export_bundle(demo, target))
    assert isinstance(outcome, StorageError)
    assert_all_agree(demo, target, outcome, before)


def test_replacing_keeps_the_older_bundle_until_the_new_one_is_recorded(
    demo: CaseFile, tmp_path: Path
) -> None:
    target = tmp_path / "bundle.zip"
    first = export_bundle(demo, target)
    older = target.read_bytes()
    (tmp_path / "count").mkdir()
    checks = count_checks(demo, tmp_path / "count")
    before = export_events(demo)
    outcome = outcome_of(lambda: export_bundle(demo, target, overwrite=True,
                                               is_cancelled=flip_on(checks)))
    events = export_events(demo)
    if isinstance(outcome, ExportResult):
        assert events[-1]["manifest_sha256"] == outcome.manifest_sha256
        assert len(events) == len(before) + 1
    else:  # cancelled before the rename: the older bundle stays, and no new event
        assert target.read_bytes() == older
        assert events == before
        assert [e for e in events if e["file"] == "bundle.zip"][-1]["manifest_sha256"] == (
            first.manifest_sha256)
