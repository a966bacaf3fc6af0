"""What small files stored together take on the disk, measured on a real case: a commit's
write-ahead log and the case file's growth once it is folded in stay within what the room
check counts (app/models/disk_room.py). The log had been counted as the files' own size: a
commit of 40 files of 1 kB wrote 330 to 370 kB to it, and on a nearly full disk the case's
close then filled the disk folding the last group in."""

import os
from pathlib import Path

import pytest

from app.core.intake import group
from app.core.intake.ingest import import_paths
from app.models.casefile import PAGE_SIZE, CaseFile
from app.models.disk_room import COMMIT_FILE_PAGES, COMMIT_LOG_PAGES, item_in_file, item_in_log
from tests.conftest import PASSPHRASE

Commit = tuple[list[int], int, int]  # the items' sizes, the log's bytes, the case file's growth


def _files(folder: Path, count: int, size: int, start: int = 0) -> Path:
    folder.mkdir()
    for i in range(start, start + count):
        (folder / f"{i:05d}.bin").write_bytes(os.urandom(size))
    return folder


def _measured_commits(case: CaseFile, files: Path, monkeypatch: pytest.MonkeyPatch,
                      per_commit: int) -> list[Commit]:
    """Add `files`, `per_commit` to a commit, each commit starting from an empty log; what each
    commit wrote to the log, and what folding it in grew the case file by."""
    monkeypatch.setattr(group, "GROUP_MAX_ITEMS", per_commit)
    monkeypatch.setattr(group, "GROUP_SECONDS", 600.0)  # however slow the machine
    log = Path(f"{case.path}-wal")
    commit = group.CommitGroup.commit
    commits: list[Commit] = []

    def measured(self: group.CommitGroup) -> list[group.StagedItem]:
        case.give_back_log_room()
        assert not log.exists() or log.stat().st_size == 0
        sizes = [len(item.data) for item in self.items]
        if not sizes:
            return commit(self)
        before = case.path.stat().st_size
        written = commit(self)
        logged = log.stat().st_size
        case.give_back_log_room()
        commits.append((sizes, logged, case.path.stat().st_size - before))
        return written

    monkeypatch.setattr(group.CommitGroup, "commit", measured)
    import_paths(case, [files])
    return commits


@pytest.mark.parametrize(("per_commit", "size", "count"), [(1, 1024, 6), (40, 1024, 120),
                                                           (40, 16 * 1024, 80)])
def test_a_commit_of_small_files_takes_no_more_than_the_room_check_counts(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, per_commit: int, size: int,
        count: int) -> None:
    case_path = tmp_path / "case.skcase"
    CaseFile.create(case_path, PASSPHRASE, display_name="x", actor="t", kdf_profile=1).close()
    with CaseFile.open(case_path, PASSPHRASE, actor="t") as case:
        # 1,200 items already: the indexes keyed by hashes span many pages, as in a real case.
        import_paths(case, [_files(tmp_path / "before", 1200, 512)])
        commits = _measured_commits(case, _files(tmp_path / "now", count, size, start=1200),
                                    monkeypatch, per_commit)
    assert [len(sizes) for sizes, _, _ in commits] == [per_commit] * (count // per_commit)
    for sizes, logged, grown in commits:
        assert logged <= _counted_in_log(sizes), (len(sizes), logged, _counted_in_log(sizes))
        counted_in_file = COMMIT_FILE_PAGES * PAGE_SIZE + sum(map(item_in_file, sizes))
        assert grown <= counted_in_file, (len(sizes), grown, counted_in_file)
    # Not so loose that it calls a disk with room full: within twice the most written.
    assert _counted_in_log(commits[0][0]) < 2 * max(logged for _, logged, _ in commits)


def _counted_in_log(sizes: list[int]) -> int:
    return COMMIT_LOG_PAGES * PAGE_SIZE + sum(map(item_in_log, sizes))
